"""Review management (审查管理): staff follow every task and accept or return opinions; an expert works on
their own tasks — accept, write the opinion and the conclusion, submit."""

from __future__ import annotations

from apps.budget.common.context import BudgetContext
from apps.budget.platform.widgets import (
    PlatformPage,
    day_text,
    fill,
    hint,
    make_table,
    name_of,
    row_data,
    section,
)
from apps.common.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_OPINION, P_BUDGET_PLAN
from core.budget.platform import tasks as service
from core.budget.platform.experts import list_experts
from core.budget.platform.tasks import CONCLUSIONS, TaskView
from core.budget.work import REVIEW_TASK_STATUSES


class ReviewTasksPage(PlatformPage):
    """Staff: all tasks and opinions, accept or return. Expert: my tasks, opinion and conclusion, submit."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.staff = ctx.can(P_BUDGET_PLAN)
        self.expert = ctx.can(P_BUDGET_OPINION) and not self.staff
        self.rows: list[TaskView] = []
        self.names: dict[str, str] = {}
        self.status = QComboBox()
        self.status.setObjectName("task_status_filter")
        self.status.addItem(self.tr("全部状态"), "")
        for s in REVIEW_TASK_STATUSES:
            self.status.addItem(name_of(s), s)
        self.status.currentIndexChanged.connect(self.refresh)
        self.top_bar.addWidget(QLabel(self.tr("状态")))
        self.top_bar.addWidget(self.status)
        self.outer.addWidget(hint(self.tr("选中任务，在右侧查看审查要求。专家接受任务后填写审查意见和结论并提交；"
                                          "预工委工作人员验收或退回。")))
        split = QSplitter()
        headers = [self.tr("编号"), self.tr("审查对象"), self.tr("截止日期"), self.tr("状态"), self.tr("结论")]
        if self.staff:
            headers.insert(2, self.tr("承办"))
        self.table = make_table(headers, "task_table", 1)
        self.table.currentCellChanged.connect(lambda *_: self._show())
        split.addWidget(self.table)
        detail = QWidget()
        box = QVBoxLayout(detail)
        box.addWidget(section(self.tr("审查要求")))
        self.brief = QLabel("")
        self.brief.setObjectName("task_brief")
        self.brief.setWordWrap(True)
        self.brief.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.brief)
        box.addWidget(section(self.tr("审查意见")))
        self.opinion = QPlainTextEdit()
        self.opinion.setObjectName("task_opinion")
        self.opinion.setPlaceholderText(self.tr("写明审查发现的问题、理由和建议（至少 10 个字）。"))
        self.opinion.setReadOnly(not self.expert)
        box.addWidget(self.opinion, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("审查结论")))
        self.conclusion = QComboBox()
        self.conclusion.setObjectName("task_conclusion")
        self.conclusion.addItem(self.tr("请选择"), "")
        for c in CONCLUSIONS:
            self.conclusion.addItem(name_of(c), c)
        self.conclusion.setEnabled(self.expert)
        row.addWidget(self.conclusion)
        row.addStretch(1)
        box.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.accept_button = self._button(buttons, self.tr("接受任务"), "accept_task", self.accept_task, self.expert)
        self.draft_button = self._button(buttons, self.tr("保存草稿"), "save_draft", self.save_draft, self.expert)
        self.submit_button = self._button(buttons, self.tr("提交意见"), "submit_opinion", self.submit, self.expert,
                                          primary=True)
        box.addLayout(buttons)
        self.reason = QLineEdit()
        self.reason.setObjectName("return_reason")
        self.reason.setPlaceholderText(self.tr("退回理由，例如：请补充对资金闲置的意见"))
        self.reason.setVisible(self.staff)
        box.addWidget(self.reason)
        staff_buttons = QHBoxLayout()
        staff_buttons.addStretch(1)
        self.return_button = self._button(staff_buttons, self.tr("退回修改"), "return_task", self.send_back,
                                          self.staff)
        self.complete_button = self._button(staff_buttons, self.tr("验收通过"), "complete_task", self.complete,
                                            self.staff, primary=True)
        box.addLayout(staff_buttons)
        split.addWidget(detail)
        split.setSizes([760, 640])
        self.outer.addWidget(split, 1)
        self.empty = hint("")
        self.outer.addWidget(self.empty)
        self.refresh()

    def title(self) -> str:
        return self.tr("审查任务") if self.ctx.can(P_BUDGET_PLAN) else self.tr("我的审查任务")

    def _button(self, layout: QHBoxLayout, text: str, name: str, slot: object, visible: bool,
                primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if primary:
            set_role(button, "primary")
        button.clicked.connect(slot)
        button.setVisible(visible)
        layout.addWidget(button)
        return button

    def refresh(self) -> None:
        mine = None if self.staff else self.ctx.user_id
        status = self.status.currentData() or ""
        staff = self.staff

        def load() -> tuple[list[TaskView], dict[str, str]]:
            names = ({e.id: e.name for e in list_experts(self.ctx.engine, self.ctx, include_inactive=True)}
                     if staff else {})
            return service.list_tasks(self.ctx.engine, expert_user_id=mine, status=status), names

        self.run(load, self._fill)

    def _fill(self, data: tuple[list[TaskView], dict[str, str]]) -> None:
        rows, self.names = data
        shown = self.current()
        keep = shown.id if shown else None
        self.rows = rows
        out = []
        for t in rows:
            due = day_text(t.due_on) + (self.tr("（已逾期）") if t.overdue else "")
            line = [t.task_no, t.target, due, name_of(t.status), name_of(t.conclusion)]
            if self.staff:
                line.insert(2, self._who(t))
            out.append(line)
        fill(self.table, out, [t.id for t in rows])
        ids = [t.id for t in rows]
        if rows:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self.empty.setText("" if rows else (self.tr("目前没有分派给您的审查任务。") if self.expert
                                            else self.tr("还没有审查任务。在“审查计划”页分派专家后生成任务。")))
        self.empty.setVisible(not rows)
        self._show()
        self.loaded.emit()

    def _who(self, t: TaskView) -> str:
        return t.committee or self.names.get(t.expert_id, t.expert_user_id or "")

    def current(self) -> TaskView | None:
        row = self.table.currentRow() if hasattr(self, "table") else -1
        tid = row_data(self.table, row) if row >= 0 else None
        return next((t for t in self.rows if t.id == tid), None)

    def _show(self) -> None:
        t = self.current()
        self.brief.setText(t.brief if t else self.tr("选择一项任务查看审查要求。"))
        self.opinion.setPlainText(t.opinion if t else "")
        self.conclusion.setCurrentIndex(max(0, self.conclusion.findData(t.conclusion if t else "")))
        status = t.status if t else ""
        editable = self.expert and status in ("已接受", "已退回")
        self.opinion.setReadOnly(not editable)
        self.conclusion.setEnabled(editable)
        self.accept_button.setEnabled(self.expert and status == "已分派")
        self.draft_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        self.complete_button.setEnabled(self.staff and status == "已提交")
        self.return_button.setEnabled(self.staff and status == "已提交")

    def _after(self, text: str) -> None:
        self.say(text)
        self.refresh()

    def accept_task(self) -> None:
        t = self.current()
        if t:
            self.write(lambda s: service.accept(s, self.ctx, t.id), lambda _r: self._after(self.tr("已接受任务。")))

    def save_draft(self) -> None:
        t = self.current()
        if t:
            text, conclusion = self.opinion.toPlainText(), self.conclusion.currentData() or ""
            self.write(lambda s: service.save_draft(s, self.ctx, t.id, text, conclusion),
                       lambda _r: self._after(self.tr("草稿已保存。")))

    def submit(self) -> None:
        t = self.current()
        if t:
            text, conclusion = self.opinion.toPlainText(), self.conclusion.currentData() or ""
            self.write(lambda s: service.submit(s, self.ctx, t.id, text, conclusion),
                       lambda _r: self._after(self.tr("审查意见已提交，等待预工委验收。")))

    def complete(self) -> None:
        t = self.current()
        if t:
            self.write(lambda s: service.complete(s, self.ctx, t.id), lambda _r: self._after(self.tr("已验收。")))

    def send_back(self) -> None:
        t = self.current()
        if t:
            reason = self.reason.text()
            self.write(lambda s: service.send_back(s, self.ctx, t.id, reason), lambda _r: self._returned())

    def _returned(self) -> None:
        self.reason.clear()
        self._after(self.tr("已退回专家修改。"))
