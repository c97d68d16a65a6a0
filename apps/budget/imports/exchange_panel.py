"""District exchange (纵向贯通): export a year's or some months' data as a package; import a district's package.

An imported package is checked as a whole (complete, unchanged, departments known) and written all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from apps.budget.common.context import BudgetContext
from apps.budget.imports.problems import ProblemsTable
from apps.budget.imports.progress import TaskStrip
from apps.budget.imports.target import write_hooks
from apps.common.qt import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_DATA
from core.budget.exchange import ExchangeError, PackageImport, PackageManifest, export_package, import_package
from core.budget.links import LinkError


class ExchangePanel(QWidget):
    """区人大数据包."""

    finished = Signal(object)
    """The :class:`PackageManifest` of an export or the :class:`PackageImport` of an import."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.year)
        self.first = QSpinBox()
        self.first.setRange(1, 12)
        self.last = QSpinBox()
        self.last.setRange(1, 12)
        self.last.setValue(12)
        for spin in (self.first, self.last):
            spin.setMinimumWidth(80)
        months = QHBoxLayout()
        months.addWidget(self.first)
        months.addWidget(QLabel(self.tr("月 至")))
        months.addWidget(self.last)
        months.addWidget(QLabel(self.tr("月")))
        months.addStretch(1)
        self.producer = QLineEdit(self.tr("上海市人大常委会预算工作委员会"))
        self.export_button = set_role(QPushButton(self.tr("导出数据包…")), "primary")
        self.export_button.clicked.connect(self._ask_export)
        out_box = QGroupBox(self.tr("导出数据包（报送或下发）"))
        out_form = QFormLayout(out_box)
        out_form.addRow(self.tr("预算年度"), self.year)
        out_form.addRow(self.tr("月份"), months)
        out_form.addRow(self.tr("报送单位"), self.producer)
        out_form.addRow("", self.export_button)

        self.register = QCheckBox(self.tr("同时登记数据包中本系统没有的部门"))
        self.import_button = set_role(QPushButton(self.tr("导入数据包…")), "primary")
        self.import_button.clicked.connect(self._ask_import)
        in_box = QGroupBox(self.tr("导入区人大报送的数据包"))
        in_layout = QVBoxLayout(in_box)
        hint = set_role(QLabel(self.tr(
            "数据包整包检查：缺文件、文件被改动或损坏、行数不符、部门未登记，都会整包拒收；"
            "检查通过后整包一次导入，有一处问题就整包不导入。")), "hint")
        hint.setWordWrap(True)
        in_layout.addWidget(hint)
        in_layout.addWidget(self.register)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        in_layout.addLayout(row)
        in_layout.addStretch(1)

        self.strip = TaskStrip()
        self.strip.busy_changed.connect(lambda busy: self._set_busy(busy))
        self.message = QLabel(self.tr("可以把本系统一个年度（或若干月份）的数据导出为数据包，也可以导入区人大报送的数据包。"))
        self.message.setWordWrap(True)
        set_role(self.message, "notice")
        self.problems = ProblemsTable()
        self.problems.setVisible(False)
        boxes = QHBoxLayout()
        boxes.addWidget(out_box, 1)
        boxes.addWidget(in_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(boxes)
        layout.addWidget(self.strip)
        layout.addWidget(self.message)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        self._set_busy(False)

    def title(self) -> str:
        return self.tr("区人大数据包")

    def _set_busy(self, busy: bool) -> None:
        allowed = self.ctx.can(P_BUDGET_DATA)
        self.export_button.setEnabled(allowed and not busy)
        self.import_button.setEnabled(allowed and not busy)

    def _ask_export(self) -> None:
        suggested = f"预算数据包-{self.year.value()}.zip"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出数据包"), suggested, self.tr("数据包 (*.zip)"))
        if name:
            self.export_to(Path(name))

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择数据包"), "", self.tr("数据包 (*.zip)"))
        if name:
            self.import_from(Path(name))

    def export_to(self, out: Path) -> None:
        first, last = self.first.value(), self.last.value()
        if first > last:
            self._say(self.tr("起始月份不能晚于结束月份。没有导出。"), "error")
            return
        engine, year, producer = self.ctx.engine, self.year.value(), self.producer.text().strip()
        if not producer:
            self._say(self.tr("请填写报送单位。没有导出。"), "error")
            return

        def work(task: TaskContext) -> PackageManifest:
            return export_package(engine, year, out, producer=producer, months=(first, last),
                                  progress=lambda d, t, s: task.progress(s, d, t), cancel=task.cancel)

        self.problems.setVisible(False)
        self.strip.run(work, on_success=lambda m: self._exported(m, out), on_failure=self._failed,
                       on_cancelled=lambda _e: self._say(self.tr("已取消，没有生成数据包。"), "notice"),
                       first_stage=self.tr("正在导出"))

    def _exported(self, manifest: PackageManifest, out: Path) -> None:
        rows = sum(f.rows for f in manifest.files)
        if not manifest.files:
            self._say(self.tr("%1 没有数据，已导出一个空数据包：%2").replace("%1", manifest.period)
                      .replace("%2", str(out)), "notice")
        else:
            self._say(self.tr("已导出%1数据包：%2 个文件，共 %3 行。文件：%4").replace("%1", manifest.period)
                      .replace("%2", str(len(manifest.files))).replace("%3", f"{rows:,}").replace("%4", str(out)),
                      "notice")
        self.finished.emit(manifest)

    def import_from(self, path: Path) -> None:
        engine, hooks, actor, register = self.ctx.engine, write_hooks(self.ctx), self.ctx.user_id, \
            self.register.isChecked()

        def work(task: TaskContext) -> PackageImport:
            return import_package(engine, path, hooks=hooks, actor=actor, register_departments=register,
                                  progress=lambda d, t, s: task.progress(s, d, t), cancel=task.cancel)

        self.problems.setVisible(False)
        self._say(self.tr("正在检查数据包“%1”……").replace("%1", path.name), "notice")
        self.strip.run(work, on_success=self._imported, on_failure=self._failed,
                       on_cancelled=lambda _e: self._say(self.tr("已取消，没有写入任何数据。"), "notice"),
                       first_stage=self.tr("正在检查数据包"))

    def _imported(self, done: PackageImport) -> None:
        text = done.summary()
        if done.registered_departments:
            text += self.tr("同时登记了 %1 个部门。").replace("%1", str(len(done.registered_departments)))
        self._say(text, "notice")
        self.finished.emit(done)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, LinkError):
            self._say(str(error), "error")
            bad = [r for r in getattr(error, "results", []) if not r.ok]
            if isinstance(error, ExchangeError) and bad:
                self.problems.show_problems(bad[0].problems)
                self.problems.setVisible(True)
        else:
            self._say(self.tr("出错了：%1").replace("%1", str(error)), "error")

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
