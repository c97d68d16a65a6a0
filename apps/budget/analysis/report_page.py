"""The execution report page (智能执行报告): choose a month or a quarter, PDF and/or Word, and a folder;
the report is generated in the background with progress and a cancel button, then shown inside the page as
it will print (the PDF's pages, rendered by PDFium), offered for opening, and printed through the print
preview (:mod:`apps.common.printing`).

The page only gathers the choice and shows the outcome; figures, sentences and files come from
:mod:`core.budget.report`, so what is printed equals what the analysis page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apps.budget.analysis.widgets import empty_label
from apps.budget.common.context import BudgetContext
from apps.common.printing import PdfPagesView, PdfPrintJob, preview_dialog, render_pages
from apps.common.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDesktopServices,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    Qt,
    QTabWidget,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, Progress, TaskContext
from core.budget.analysis import latest_month
from core.budget.report import GeneratedReport, ReportPeriod, generate_report


@dataclass
class _Generated:
    """What the background work hands back: the report, and its PDF's pages for the preview."""

    report: GeneratedReport
    pdf: Path | None = None
    pages: list[QImage] = field(default_factory=list)


def default_folder() -> Path:
    documents = Path.home() / "Documents"
    return (documents if documents.is_dir() else Path.home()) / "预算执行报告"


class ExecutionReportPage(QWidget):
    """Generate the monthly or quarterly execution report as PDF and/or Word."""

    report_done = Signal(object)
    """The :class:`GeneratedReport` after a successful run."""
    report_stopped = Signal(str)
    """``"cancelled"`` or ``"failed"``."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExecutionReportPage")
        self.ctx = ctx
        self.result: GeneratedReport | None = None
        self.pdf_path: Path | None = None
        self.preview_dialog: Any = None
        self._task: BackgroundTask[Any] | None = None

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17pt; font-weight: bold;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.monthly = QRadioButton()
        self.quarterly = QRadioButton()
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.monthly)
        self.kind_group.addButton(self.quarterly)
        self.monthly.setChecked(True)
        self.monthly.toggled.connect(lambda _on: self._fill_numbers())
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(ctx.year)
        self.number_box = QComboBox()
        self.number_box.setMinimumWidth(160)
        self.pdf_box = QCheckBox("PDF")
        self.pdf_box.setChecked(True)
        self.word_box = QCheckBox()
        self.word_box.setChecked(True)
        self.folder_edit = QLineEdit(str(default_folder()))
        self.folder_edit.setMinimumWidth(480)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._browse)
        self.generate_button = QPushButton()
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 13pt;")
        self.files = QListWidget()
        self.files.setMaximumHeight(110)
        self.files.itemDoubleClicked.connect(lambda item: self.open_file(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_selected)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printReportButton")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_report)
        self.preview = PdfPagesView()
        self.summary = empty_label("")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary.setStyleSheet("font-size: 13pt; padding: 8px; background: white; border: 1px solid #ddd;")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        kinds = QHBoxLayout()
        kinds.addWidget(self.monthly)
        kinds.addWidget(self.quarterly)
        kinds.addStretch(1)
        period = QHBoxLayout()
        period.addWidget(self.year_box)
        period.addWidget(self.number_box)
        period.addStretch(1)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf_box)
        formats.addWidget(self.word_box)
        formats.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(self.browse_button)
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(4)]
        for label, row in zip(self.form_labels, (kinds, period, formats, folder), strict=True):
            self.form.addRow(label, row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        opened = QHBoxLayout()
        opened.addWidget(self.files, 1)
        side = QVBoxLayout()
        side.addWidget(self.open_button)
        side.addWidget(self.print_button)
        side.addStretch(1)
        opened.addLayout(side)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, "")
        self.tabs.addTab(self.summary, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addLayout(opened)
        layout.addWidget(self.tabs, 1)
        self.setStyleSheet("QWidget#ExecutionReportPage { font-size: 12pt; }")
        self.retranslate()
        self._fill_numbers(initial=True)

    # texts --------------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("智能执行报告")

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.intro.setText(self.tr("按月或按季度生成预算执行情况报告：总体情况的文字说明、四本预算和功能分类执行表、"
                                   "月度趋势图、低于序时进度的部门、主要收款单位和有效预警。"))
        self.monthly.setText(self.tr("月度报告"))
        self.quarterly.setText(self.tr("季度报告"))
        self.year_box.setSuffix(self.tr(" 年"))
        self.word_box.setText(self.tr("Word（可编辑）"))
        self.browse_button.setText(self.tr("选择文件夹…"))
        self.generate_button.setText(self.tr("生成报告"))
        self.cancel_button.setText(self.tr("取消"))
        self.open_button.setText(self.tr("打开"))
        self.print_button.setText(self.tr("打印…"))
        self.print_button.setToolTip(self.tr("打印预览，可选打印机或另存为 PDF"))
        self.tabs.setTabText(0, self.tr("报告预览"))
        self.tabs.setTabText(1, self.tr("报告摘要"))
        if self.result is None:
            self.summary.setText(self.tr("生成报告后，这里显示报告的总体情况。"))
            self.preview.show_message(self.tr("生成报告后，这里显示报告的样子，与打印出来的一样。"))
        elif self.pdf_path is None:
            self.preview.show_message(self._no_pdf_text())
        labels = (self.tr("报告类型"), self.tr("报告期"), self.tr("格式"), self.tr("保存到"))
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self._fill_numbers()

    def _fill_numbers(self, initial: bool = False) -> None:
        current = self.number_box.currentData()
        monthly = self.monthly.isChecked()
        self.number_box.clear()
        quarters = (self.tr("第一季度"), self.tr("第二季度"), self.tr("第三季度"), self.tr("第四季度"))
        for n in range(1, 13 if monthly else 5):
            self.number_box.addItem(self.tr("%1月").replace("%1", str(n)) if monthly else quarters[n - 1], n)
        if initial:
            month = latest_month(self.ctx.engine, self.ctx.year) or 12
            self.number_box.setCurrentIndex(month - 1)
        elif current is not None and self.number_box.findData(current) >= 0 and self.number_box.count() > 0:
            self.number_box.setCurrentIndex(self.number_box.findData(current))

    # choosing -----------------------------------------------------------------------------------------
    def set_period(self, period: ReportPeriod) -> None:
        """Choose the report period (also for tests and the window's shortcuts)."""
        self.year_box.setValue(period.year)
        (self.monthly if period.kind == "month" else self.quarterly).setChecked(True)
        self._fill_numbers()
        self.number_box.setCurrentIndex(self.number_box.findData(period.number))

    def period(self) -> ReportPeriod:
        return ReportPeriod(self.year_box.value(), "month" if self.monthly.isChecked() else "quarter",
                            int(self.number_box.currentData()))

    def formats(self) -> list[str]:
        return [f for f, box in (("pdf", self.pdf_box), ("docx", self.word_box)) if box.isChecked()]

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择保存报告的文件夹"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    # running ------------------------------------------------------------------------------------------
    def generate(self) -> None:
        """Check the choice, then generate in the background; bad input gets a message and changes nothing."""
        if self._task is not None and self._task.is_running:
            return
        formats = self.formats()
        if not formats:
            self._say(self.tr("请至少选择一种格式（PDF 或 Word）。"), error=True)
            return
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            self._say(self.tr("请选择保存报告的文件夹。"), error=True)
            return
        folder = Path(folder_text).expanduser()
        if folder.exists() and not folder.is_dir():
            self._say(self.tr("“%1”不是文件夹，请另选保存位置。").replace("%1", str(folder)), error=True)
            return
        period = self.period()
        engine = self.ctx.engine
        domains = tuple(sorted(self.ctx.domains))

        def work(context: TaskContext) -> _Generated:
            report = generate_report(engine, period, folder, formats, check=context.check_cancelled,
                                     progress=lambda stage, done, total: context.progress(stage, done, total),
                                     domains=domains)
            pdf = next((f for f in report.files if f.suffix.lower() == ".pdf"), None)
            if pdf is None:
                return _Generated(report)
            context.check_cancelled()
            return _Generated(report, pdf, render_pages(pdf.read_bytes()))

        self.result = None
        self.pdf_path = None
        self.files.clear()
        self.open_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self._say(self.tr("正在生成%1的报告…").replace("%1", period.label))
        self._task = (BackgroundTask(work, owner=self, name="budget-execution-report")
                      .on_progress(self._progressed).on_success(self._done)
                      .on_cancelled(self._cancelled).on_failure(self._failed).on_finished(self._idle).start())

    def cancel(self) -> None:
        if self._task is not None and self._task.is_running:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("正在取消…"))

    def is_running(self) -> bool:
        return self._task is not None and self._task.is_running

    def _progressed(self, p: Progress) -> None:
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        self._say(self.tr("正在生成：%1").replace("%1", p.stage))

    def _idle(self) -> None:
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _done(self, generated: _Generated) -> None:
        result = generated.report
        self.result = result
        self.pdf_path = generated.pdf
        for path in result.files:
            item = QListWidgetItem(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.files.addItem(item)
        if result.files:
            self.files.setCurrentRow(0)
        self.open_button.setEnabled(bool(result.files))
        self._say(self.tr("报告已生成，共 %1 个文件。双击文件名或点“打开”查看。").replace("%1", str(len(result.files))))
        self.summary.setText("\n".join(result.data.sentences))
        if generated.pdf is not None:
            self.preview.show_pages(generated.pages)
        else:
            self.preview.show_message(self._no_pdf_text())
        self.print_button.setEnabled(generated.pdf is not None)
        self.tabs.setCurrentWidget(self.preview)
        self.report_done.emit(result)

    def _no_pdf_text(self) -> str:
        return self.tr("这次只生成了 Word 文件。勾选“PDF”再生成，即可在这里预览并打印。")

    def print_job(self) -> PdfPrintJob | None:
        """The generated PDF, ready to print (None before a PDF was generated or when it has gone)."""
        if self.pdf_path is None or self.result is None:
            return None
        try:
            pdf = self.pdf_path.read_bytes()
        except OSError:
            return None
        return PdfPrintJob(pdf, self.tr("预算执行报告 — %1").replace("%1", self.result.data.period.label))

    def print_report(self) -> None:
        """Open the print preview of the generated PDF (printer, or save as PDF)."""
        job = self.print_job()
        if job is None:
            self._say(self.tr("找不到已生成的 PDF 文件“%1”，请重新生成。").replace("%1", str(self.pdf_path)), error=True)
            self.print_button.setEnabled(False)
            return
        self.preview_dialog = preview_dialog(job, self)
        self.preview_dialog.open()

    def _cancelled(self, _error: BaseException) -> None:
        self._say(self.tr("已取消，没有留下未完成的文件。"))
        self.report_stopped.emit("cancelled")

    def _failed(self, error: BaseException) -> None:
        self._say(self.tr("生成失败：%1").replace("%1", str(error)), error=True)
        self.report_stopped.emit("failed")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("font-size: 13pt;" + (" color: #c62828;" if error else ""))

    def _open_selected(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.open_file(Path(item.data(Qt.ItemDataRole.UserRole)))

    def open_file(self, path: Path) -> bool:
        """Open a generated file with the system's viewer."""
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
