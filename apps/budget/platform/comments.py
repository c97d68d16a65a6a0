"""Deputies' comments (代表建言): a deputy writes and follows theirs; staff read all of them and answer."""

from __future__ import annotations

from typing import Any

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
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_COMMENT, P_BUDGET_PLAN
from core.budget.platform import PlatformError
from core.budget.platform import comments as service
from core.budget.platform.comments import TARGET_KINDS, CommentView


class CommentDialog(QDialog):
    """Write a comment: what it is about (book, class, department, project) and what the deputy says."""

    refused = Signal(str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("提建言"))
        self.setMinimumWidth(640)
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("comment_kind")
        for kind in TARGET_KINDS:
            self.kind.addItem(name_of(kind), kind)
        self.target = QComboBox()
        self.target.setObjectName("comment_target")
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.target.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.body = QPlainTextEdit()
        self.body.setObjectName("comment_body")
        self.body.setPlaceholderText(self.tr("请写下您的意见和建议，例如：建议公开项目绩效目标。"))
        self.error = set_role(QLabel(""), "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.tr("建言对象类型"), self.kind)
        form.addRow(self.tr("建言对象"), self.target)
        form.addRow(self.tr("建言内容"), self.body)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("提交建言"))
        ok.setObjectName("comment_submit")
        self.submit_button = ok
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._load_targets)
        self.created: Any = None
        self._load_targets()

    def _load_targets(self) -> None:
        self.target.clear()
        for code, name in service.targets(self.ctx.engine, self.ctx.year, self.kind.currentData()):
            self.target.addItem(f"{code}  {name}", (code, name))

    def choose(self, kind: str, code: str) -> None:
        """Preselect an item (for a page that offers "comment on this")."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        for i in range(self.target.count()):
            if self.target.itemData(i)[0] == code:
                self.target.setCurrentIndex(i)

    def submit(self) -> None:
        """Write the comment in a worker thread; the dialog closes when it is saved, or shows why not."""
        data = self.target.currentData()
        if data is None or self.target.currentText() != self.target.itemText(self.target.currentIndex()):
            self._refused(self.tr("请从列表中选择建言对象"))
            return
        code, name = data
        kind, body, ctx = self.kind.currentData(), self.body.toPlainText(), self.ctx

        def save(_tc: TaskContext) -> str:
            with ctx.session() as s, s.begin():
                return service.write(s, ctx, year=ctx.year, target_kind=kind, target_code=code, target_name=name,
                                     body=body).id

        self.submit_button.setEnabled(False)
        BackgroundTask(save, owner=self, name="write-comment").on_success(self._saved) \
            .on_failure(lambda exc: self._refused(str(exc) if isinstance(exc, PlatformError) else repr(exc))) \
            .on_finished(lambda: self.submit_button.setEnabled(True)).start()

    def _saved(self, comment_id: str) -> None:
        self.created = comment_id
        self.accept()

    def _refused(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.refused.emit(text)


class CommentsPage(PlatformPage):
    """Deputies see and write their own comments; staff see all comments and answer them."""

    open_item = Signal(str, str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.staff = ctx.can(P_BUDGET_PLAN)
        self.may_write = ctx.can(P_BUDGET_COMMENT) and not self.staff
        self.rows: list[CommentView] = []
        self.new_button = QPushButton(self.tr("提建言"))
        self.new_button.setObjectName("new_comment")
        set_role(self.new_button, "primary")
        self.new_button.setVisible(self.may_write)
        self.new_button.clicked.connect(self.write_comment)
        self.filter = QComboBox()
        self.filter.setObjectName("comment_filter")
        self.filter.addItem(self.tr("全部建言"), "")
        self.filter.addItem(name_of("待答复"), "待答复")
        self.filter.addItem(name_of("已答复"), "已答复")
        self.filter.currentIndexChanged.connect(self.refresh)
        self.top_bar.addWidget(self.filter)
        self.top_bar.addWidget(self.new_button)
        self.outer.addWidget(hint(self.tr("建言由预工委工作人员答复；答复后您在这里看到答复内容。") if not self.staff else
                                  self.tr("选中一条建言，在右侧写答复。答复同步后代表即可看到。")))
        split = QSplitter()
        self.table = make_table([self.tr("状态"), self.tr("对象"), self.tr("建言人"), self.tr("建言内容")],
                                "comment_table")
        self.table.currentCellChanged.connect(lambda *_: self._show())
        self.table.cellDoubleClicked.connect(self._open)
        split.addWidget(self.table)
        detail = QWidget()
        box = QVBoxLayout(detail)
        self.detail = QLabel("")
        self.detail.setObjectName("comment_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(section(self.tr("建言详情")))
        box.addWidget(self.detail)
        self.answer = QPlainTextEdit()
        self.answer.setObjectName("answer_text")
        self.answer.setPlaceholderText(self.tr("写下答复，例如：已转市财政局研究办理。"))
        self.answer_button = QPushButton(self.tr("答复"))
        self.answer_button.setObjectName("answer_button")
        set_role(self.answer_button, "primary")
        self.answer_button.clicked.connect(self.answer_selected)
        self.answer.setVisible(self.staff)
        self.answer_button.setVisible(self.staff)
        box.addWidget(self.answer)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.answer_button)
        box.addLayout(row)
        box.addStretch(1)
        split.addWidget(detail)
        split.setSizes([700, 500])
        self.outer.addWidget(split, 1)
        self.empty = hint("")
        self.outer.addWidget(self.empty)
        self.refresh()

    def title(self) -> str:
        return self.tr("代表建言")

    def refresh(self) -> None:
        author = None if self.staff else self.ctx.user_id
        status = self.filter.currentData() or ""
        self.run(lambda: service.list_comments(self.ctx.engine, author_id=author, status=status), self._fill)

    def _fill(self, rows: list[CommentView]) -> None:
        self.rows = rows
        fill(self.table, [[name_of(c.status), f"{name_of(c.target_kind)}：{c.target_name}", c.author_name,
                           c.body] for c in rows], [c.id for c in rows])
        self.empty.setText("" if rows else (self.tr("还没有建言。点“提建言”对预算账本、功能分类、部门或项目提出意见。")
                                            if self.may_write else self.tr("没有符合条件的建言。")))
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)
        self._show()
        self.loaded.emit()

    def current(self) -> CommentView | None:
        row = self.table.currentRow()
        cid = row_data(self.table, row) if row >= 0 else None
        return next((c for c in self.rows if c.id == cid), None)

    def _show(self) -> None:
        c = self.current()
        if c is None:
            self.detail.setText(self.tr("选择一条建言查看详情。"))
            self.answer_button.setEnabled(False)
            return
        lines = [self.tr("对象：%1").replace("%1", f"{name_of(c.target_kind)} {c.target_code} {c.target_name}"),
                 self.tr("建言人：%1").replace("%1", c.author_name), "", c.body, ""]
        if c.answer:
            lines += [self.tr("答复（%1，%2）：").replace("%1", c.answered_by).replace("%2", day_text(c.answered_at)),
                      c.answer]
        else:
            lines.append(self.tr("尚未答复。"))
        self.detail.setText("\n".join(lines))
        self.answer_button.setEnabled(self.staff and c.author_id != self.ctx.user_id)

    def _open(self, _row: int, _column: int) -> None:
        c = self.current()
        if c is not None and c.target_kind in ("department", "project"):
            self.open_item.emit(c.target_kind, c.target_code)

    def write_comment(self) -> CommentDialog:
        dialog = CommentDialog(self.ctx, self)
        dialog.accepted.connect(self._written)
        dialog.open()
        return dialog

    def _written(self) -> None:
        self.say(self.tr("建言已提交，等待答复。"))
        self.refresh()

    def answer_selected(self) -> None:
        c = self.current()
        if c is None:
            return
        text = self.answer.toPlainText()
        self.write(lambda s: service.answer(s, self.ctx, c.id, text), lambda _r: self._answered(),
                   self.tr("已答复，代表同步后可以看到。"))

    def _answered(self) -> None:
        self.answer.clear()
        self.refresh()
