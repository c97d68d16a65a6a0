"""The work platform (工作台): what each role sees first.

- staff: warnings to follow up, comments to answer, review tasks by status, the latest imports;
- a special committee: its domains' budget, execution and open warnings;
- a deputy: the public budget by book, their comments with the answers, and a "提建言" button;
- an expert: their review tasks with due dates.
"""

from __future__ import annotations

from typing import Any

from apps.budget.common.context import BudgetContext
from apps.budget.platform.comments import CommentDialog
from apps.budget.platform.widgets import (
    LEVEL_COLOURS,
    PlatformPage,
    day_text,
    fill,
    hint,
    make_table,
    name_of,
    section,
)
from apps.budget.warnings.common import readable_subject
from apps.common.qt import QColor, QGridLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget, Signal
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_COMMENT, P_BUDGET_OPINION, P_BUDGET_PLAN, P_BUDGET_WARNING
from core.budget.platform import comments, home, tasks
from core.money import MoneyUnit, format_fen


def role_of(ctx: BudgetContext) -> str:
    """Which platform a user gets: staff, committee, expert or deputy (by what they may do)."""
    if ctx.can(P_BUDGET_PLAN):
        return "staff"
    if ctx.domains or ctx.can(P_BUDGET_WARNING):
        return "committee"
    if ctx.can(P_BUDGET_OPINION):
        return "expert"
    return "deputy"


class Tile(QWidget):
    """A big number with its caption."""

    def __init__(self, caption: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        self.value = set_role(QLabel("–"), "title")
        self.caption = set_role(QLabel(caption), "tile-summary")
        box.addWidget(self.value)
        box.addWidget(self.caption)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#{name} {{ border: 1px solid #c9d3df; border-radius: 8px; background: #f7f9fc; }}")

    def set(self, value: str, colour: str = "") -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


class HomePage(PlatformPage):
    """The work platform of the signed-in user's role."""

    open_item = Signal(str, str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.role = role_of(ctx)
        self.tiles: dict[str, Tile] = {}
        self.tables: dict[str, Any] = {}
        self.lines: dict[str, list[home.WarningLine]] = {}
        greeting = {"staff": self.tr("预工委工作平台"), "committee": self.tr("专委会工作平台"),
                    "expert": self.tr("专家工作平台"), "deputy": self.tr("代表工作平台")}[self.role]
        self.outer.addWidget(section(self.tr("%1 · %2 · %3 年度").replace("%1", greeting)
                                     .replace("%2", ctx.user_name).replace("%3", str(ctx.year))))
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self.outer.addLayout(self.grid)
        self.body = QVBoxLayout()
        self.outer.addLayout(self.body, 1)
        self.comment_button = QPushButton(self.tr("提建言"))
        self.comment_button.setObjectName("home_comment")
        set_role(self.comment_button, "primary")
        self.comment_button.setVisible(self.role == "deputy" and ctx.can(P_BUDGET_COMMENT))
        self.comment_button.clicked.connect(self.write_comment)
        self.top_bar.addWidget(self.comment_button)
        getattr(self, f"_build_{self.role}")()
        self.refresh()

    def title(self) -> str:
        return self.tr("工作台")

    # ------------------------------------------------------------------ layout per role
    def _tile(self, key: str, caption: str) -> None:
        tile = Tile(caption, f"tile_{key}")
        self.tiles[key] = tile
        self.grid.addWidget(tile, 0, len(self.tiles) - 1)

    def _table(self, key: str, caption: str, headers: list[str], empty: str, stretch: int = 1) -> None:
        """A section with its table; column ``stretch`` (the object, file or name) takes the spare width."""
        self.body.addWidget(section(caption))
        table = make_table(headers, f"home_{key}", stretch)
        table.setMinimumHeight(150)
        self.body.addWidget(table, 1)
        note = hint(empty)
        note.setObjectName(f"home_{key}_empty")
        self.body.addWidget(note)
        self.tables[key] = (table, note)
        table.cellDoubleClicked.connect(lambda row, _column: self._double(key, row))

    def _build_staff(self) -> None:
        self._tile("red", self.tr("红色预警待处理"))
        self._tile("yellow", self.tr("黄色预警待处理"))
        self._tile("comments", self.tr("建言待答复"))
        self._tile("submitted", self.tr("审查意见待验收"))
        self._tile("open_tasks", self.tr("审查任务进行中"))
        self._table("warnings", self.tr("需要跟进的预警"), [self.tr("等级"), self.tr("对象"), self.tr("原因"),
                                                           self.tr("状态")], self.tr("没有待处理的预警。"), 2)
        self._table("imports", self.tr("最近的数据导入"), [self.tr("类型"), self.tr("文件"), self.tr("行数"),
                                                          self.tr("新增"), self.tr("时间")],
                    self.tr("还没有导入数据。到“数据接入”页导入各部门报送的文件。"))

    def _build_committee(self) -> None:
        self._tile("domains", self.tr("联系的领域"))
        self._tile("red", self.tr("红色预警"))
        self._tile("yellow", self.tr("黄色预警"))
        self._table("domains", self.tr("领域预算执行"), [self.tr("领域"), self.tr("部门数"), self.tr("预算"),
                                                        self.tr("已支付"), self.tr("待处理预警")],
                    self.tr("您还没有联系的专门委员会领域，请系统管理员授权。"), 0)
        self._table("warnings", self.tr("领域内需要关注的预警"), [self.tr("等级"), self.tr("对象"), self.tr("原因"),
                                                                 self.tr("状态")], self.tr("领域内没有待处理的预警。"), 2)

    def _build_deputy(self) -> None:
        self._tile("comments", self.tr("我的建言"))
        self._tile("answered", self.tr("已答复"))
        self._table("books", self.tr("全市预算概览（四本预算）"), [self.tr("预算"), self.tr("预算数"),
                                                                  self.tr("调整后"), self.tr("已执行"),
                                                                  self.tr("执行率")],
                    self.tr("本年度预算数据尚未公开。"), 0)
        self._table("comments", self.tr("我的建言和答复"), [self.tr("状态"), self.tr("对象"), self.tr("建言"),
                                                          self.tr("答复")],
                    self.tr("您还没有提出建言。点右上角“提建言”。"), 2)

    def _build_expert(self) -> None:
        self._tile("todo", self.tr("待完成任务"))
        self._tile("overdue", self.tr("已逾期"))
        self._tile("done", self.tr("已完成"))
        self._table("tasks", self.tr("我的审查任务"), [self.tr("编号"), self.tr("审查对象"), self.tr("截止日期"),
                                                      self.tr("状态")],
                    self.tr("目前没有分派给您的审查任务。"))

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        ctx = self.ctx
        loaders = {
            "staff": lambda: home.staff_figures(ctx.engine, ctx.year),
            "committee": lambda: home.committee_figures(ctx.engine, ctx.year, ctx.domains),
            "deputy": lambda: (home.books(ctx.engine, ctx.year),
                               comments.list_comments(ctx.engine, author_id=ctx.user_id)),
            "expert": lambda: tasks.list_tasks(ctx.engine, expert_user_id=ctx.user_id),
        }
        self.run(loaders[self.role], self._show)

    def _show(self, data: Any) -> None:
        getattr(self, f"_show_{self.role}")(data)
        self.loaded.emit()

    def _put(self, key: str, rows: list[list[Any]], data: list[Any] | None = None) -> None:
        table, note = self.tables[key]
        fill(table, rows, data)
        table.setVisible(bool(rows))
        note.setVisible(not rows)

    def _warning_rows(self, lines: list[home.WarningLine]) -> list[list[Any]]:
        return [[name_of(w.level), readable_subject(w), w.reason, name_of(w.status)] for w in lines]

    def _colour_levels(self, key: str, lines: list[home.WarningLine]) -> None:
        table, _note = self.tables[key]
        for r, w in enumerate(lines):
            item = table.item(r, 0)
            if item is not None and w.level in LEVEL_COLOURS:
                item.setForeground(QColor(LEVEL_COLOURS[w.level]))

    def _open_warning(self, key: str, lines: list[home.WarningLine]) -> None:
        """Double-clicking a warning shows its department in the query view."""
        self.lines[key] = lines

    def _double(self, key: str, row: int) -> None:
        lines = self.lines.get(key, [])
        if 0 <= row < len(lines) and lines[row].department_code:
            self.open_item.emit("department", lines[row].department_code)

    def _show_staff(self, f: home.StaffFigures) -> None:
        self.tiles["red"].set(str(f.warnings_by_level.get("red", 0)), LEVEL_COLOURS["red"])
        self.tiles["yellow"].set(str(f.warnings_by_level.get("yellow", 0)), LEVEL_COLOURS["yellow"])
        self.tiles["comments"].set(str(f.comments_waiting))
        self.tiles["submitted"].set(str(f.tasks_by_status.get("已提交", 0)))
        self.tiles["open_tasks"].set(str(sum(f.tasks_by_status.get(s, 0) for s in ("已分派", "已接受", "已退回"))))
        self._put("warnings", self._warning_rows(f.warnings))
        self._colour_levels("warnings", f.warnings)
        self._open_warning("warnings", f.warnings)
        self._put("imports", [[i.kind, i.filename, i.rows, i.inserted, day_text(i.at)] for i in f.imports])

    def _show_committee(self, f: home.CommitteeFigures) -> None:
        self.tiles["domains"].set("、".join(sorted(self.ctx.domains)) or "–")
        self.tiles["red"].set(str(f.warnings_by_level.get("red", 0)), LEVEL_COLOURS["red"])
        self.tiles["yellow"].set(str(f.warnings_by_level.get("yellow", 0)), LEVEL_COLOURS["yellow"])
        self._put("domains", [[d.domain, d.departments, format_fen(d.budget_fen, MoneyUnit.YI),
                               format_fen(d.paid_fen, MoneyUnit.YI), d.warnings] for d in f.domains])
        self._put("warnings", self._warning_rows(f.warnings))
        self._colour_levels("warnings", f.warnings)
        self._open_warning("warnings", f.warnings)

    def _show_deputy(self, data: tuple[list[home.BookLine], list[comments.CommentView]]) -> None:
        books, mine = data
        self.tiles["comments"].set(str(len(mine)))
        self.tiles["answered"].set(str(sum(1 for c in mine if c.status == "已答复")))
        self._put("books", [[b.name, format_fen(b.budget_fen, MoneyUnit.YI), format_fen(b.adjusted_fen, MoneyUnit.YI),
                             format_fen(b.executed_fen, MoneyUnit.YI), f"{b.rate:.1f}%"] for b in books])
        self._put("comments", [[name_of(c.status), f"{name_of(c.target_kind)}：{c.target_name}", c.body,
                                c.answer or self.tr("等待答复")] for c in mine], [c.id for c in mine])

    def _show_expert(self, rows: list[tasks.TaskView]) -> None:
        self.tiles["todo"].set(str(sum(1 for t in rows if t.status in ("已分派", "已接受", "已退回"))))
        self.tiles["overdue"].set(str(sum(1 for t in rows if t.overdue)), LEVEL_COLOURS["red"])
        self.tiles["done"].set(str(sum(1 for t in rows if t.status == "已完成")))
        self._put("tasks", [[t.task_no, t.target, day_text(t.due_on) + (self.tr("（已逾期）") if t.overdue else ""),
                             name_of(t.status)] for t in rows], [t.id for t in rows])

    def write_comment(self) -> CommentDialog:
        dialog = CommentDialog(self.ctx, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog


__all__ = ["HomePage", "role_of"]
