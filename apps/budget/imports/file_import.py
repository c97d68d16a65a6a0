"""Import one bureau's file: choose what it is and the file, run it in the background, see what happened.

The whole file is checked first; one problem and nothing is written, and the problems are listed row by row.
Templates (CSV and Excel, with a sheet explaining every column) can be saved to a folder for the bureaus.
"""

from __future__ import annotations

from pathlib import Path

from apps.budget.common.context import BudgetContext
from apps.budget.imports.names import KIND_NAMES, kind_name
from apps.budget.imports.problems import ProblemsTable
from apps.budget.imports.progress import TaskStrip
from apps.budget.imports.target import write_hooks
from apps.common.qt import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_DATA
from core.budget.importers import ImportResult, import_file
from core.budget.importers.templates import write_templates
from core.budget.links.atomic import all_or_nothing


class FileImportPanel(QWidget):
    """导入文件: kind, file, 开始导入, progress and cancel, then the result."""

    imported = Signal(object)
    """An :class:`ImportResult` after every finished import (good or refused)."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: ImportResult | None = None
        self.kind = QComboBox()
        for kind in KIND_NAMES:
            self.kind.addItem(kind_name(kind), kind)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("请选择对方报送的 CSV 或 Excel 文件"))
        self.path.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.allow_updates = QCheckBox(self.tr("允许更正已导入的记录（对方重新报送的更正文件）"))
        self.start_button = set_role(QPushButton(self.tr("开始导入")), "primary")
        self.start_button.clicked.connect(self.start)
        self.strip = TaskStrip()
        self.strip.busy_changed.connect(lambda _busy: self._update_buttons())

        form = QFormLayout()
        form.addRow(self.tr("文件类别"), self.kind)
        form.addRow(self.tr("文件"), file_row)
        form.addRow("", self.allow_updates)
        box = QGroupBox(self.tr("导入一个文件"))
        inner = QVBoxLayout(box)
        hint = set_role(QLabel(self.tr(
            "整个文件先检查，再一次写入：只要有一处问题，整个文件都不导入，下面逐行列出问题和改法。"
            "同一文件重复导入不会产生重复数据。")), "hint")
        hint.setWordWrap(True)
        inner.addWidget(hint)
        inner.addLayout(form)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        inner.addLayout(start_row)
        inner.addWidget(self.strip)

        self.summary = QLabel(self.tr("还没有导入文件。选择文件类别和文件后点“开始导入”。"))
        self.summary.setWordWrap(True)
        set_role(self.summary, "notice")
        self.problems = ProblemsTable()
        self.problems.setVisible(False)

        templates = QGroupBox(self.tr("导入模板"))
        trow = QHBoxLayout(templates)
        explain = QLabel(self.tr("把各类文件的空白模板（CSV 和 Excel，含填写说明）保存到一个文件夹，发给报送单位。"))
        explain.setWordWrap(True)
        trow.addWidget(explain, 1)
        save_templates = QPushButton(self.tr("保存模板到文件夹…"))
        save_templates.clicked.connect(self._ask_templates)
        trow.addWidget(save_templates)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        layout.addWidget(templates)
        if not ctx.can(P_BUDGET_DATA):
            box.setEnabled(False)
            self.summary.setText(self.tr("您没有导入数据的权限。导入由预算工作委员会工作人员办理。"))
        self._update_buttons()

    def title(self) -> str:
        return self.tr("导入文件")

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def set_file(self, path: Path) -> None:
        self.path.setText(str(path))

    def _update_buttons(self) -> None:
        self.start_button.setEnabled(bool(self.path.text().strip()) and not self.strip.busy
                                     and self.ctx.can(P_BUDGET_DATA))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择要导入的文件"), "",
                                              self.tr("表格文件 (*.csv *.xlsx)"))
        if name:
            self.set_file(Path(name))

    def start(self) -> None:
        """Check and import the chosen file in the background."""
        text = self.path.text().strip()
        if not text or self.strip.busy or not self.ctx.can(P_BUDGET_DATA):
            return
        path = Path(text)
        if not path.is_file():
            self._show_error(self.tr("找不到文件“%1”。请重新选择。").replace("%1", text))
            return
        kind = str(self.kind.currentData())
        allow = self.allow_updates.isChecked()
        engine, hooks, actor = self.ctx.engine, write_hooks(self.ctx), self.ctx.user_id
        checking, writing = self.tr("检查"), self.tr("写入")

        def work(task: TaskContext) -> ImportResult:
            def progress(done: int, total: int, phase: str) -> None:
                task.progress(checking if phase == "检查" else writing, done, total)

            with all_or_nothing(engine, hooks) as factory:
                return import_file(factory, kind, path, actor=actor, progress=progress, cancel=task.cancel,
                                   allow_updates=allow)

        self.problems.setVisible(False)
        set_role(self.summary, "notice")
        self.summary.setText(self.tr("正在导入“%1”……").replace("%1", path.name))
        self.strip.run(work, on_success=self._show_result, on_failure=lambda e: self._show_error(str(e)),
                       on_cancelled=lambda _e: self._show_cancelled(), first_stage=self.tr("正在读取文件"))
        self._update_buttons()

    def _show_result(self, result: ImportResult) -> None:
        self.result = result
        if result.cancelled:
            self._show_cancelled()
        elif result.ok:
            self._restyle("notice")
            self.summary.setText(self.tr("“%1”导入完成：共 %2 行，新增 %3 行，更新 %4 行，%5 行与已导入的相同未作改动。")
                                 .replace("%1", result.filename).replace("%2", str(result.rows))
                                 .replace("%3", str(result.inserted)).replace("%4", str(result.updated))
                                 .replace("%5", str(result.unchanged)))
            self.problems.setVisible(False)
        else:
            self._restyle("error")
            self.summary.setText(self.tr("“%1”有 %2 处问题，整个文件没有导入。请按下表改正后重新导入，"
                                         "或复制、另存后转告报送单位。")
                                 .replace("%1", result.filename).replace("%2", str(len(result.problems))))
            self.problems.show_problems(result.problems)
            self.problems.setVisible(True)
        self.imported.emit(result)

    def _show_cancelled(self) -> None:
        self._restyle("notice")
        self.summary.setText(self.tr("导入已取消，没有写入任何数据。"))

    def _show_error(self, message: str) -> None:
        self._restyle("error")
        self.summary.setText(message)

    def _restyle(self, role: str) -> None:
        set_role(self.summary, role)
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    def save_templates(self, folder: Path) -> list[Path]:
        written = write_templates(folder)
        self._restyle("notice")
        self.summary.setText(self.tr("已把 %1 个模板文件保存到 %2。").replace("%1", str(len(written)))
                             .replace("%2", str(folder)))
        return written

    def _ask_templates(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存模板的文件夹"))
        if folder:
            self.save_templates(Path(folder))
