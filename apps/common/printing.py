"""Print preview and printing of the suite's generated PDF documents (result sheets, reports, labels), and
the preview of such a document inside a page (:class:`PdfPagesView`).

The PDF that reportlab wrote is the document of record; it is printed as it is: each page is rasterised
by PDFium (``pypdfium2``) at the printer's resolution (at most 300 dpi) and placed on the full A4 page, so
the margins the document sets are the margins on paper. "另存为 PDF" writes the original bytes unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from apps.common.qt import (
    QComboBox,
    QCoreApplication,
    QFileDialog,
    QFrame,
    QImage,
    QLabel,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QPrinter,
    QPrintPreviewDialog,
    QPushButton,
    QRectF,
    QScrollArea,
    Qt,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

MAX_DPI = 300
PREVIEW_DPI = 100

_FORMATS = {
    "RGB": QImage.Format.Format_RGB888,
    "RGBA": QImage.Format.Format_RGBA8888,
    "RGBX": QImage.Format.Format_RGBX8888,
    "BGRA": QImage.Format.Format_ARGB32,
    "BGRX": QImage.Format.Format_RGB32,
    "L": QImage.Format.Format_Grayscale8,
}


class PdfPrintJob:
    """One PDF document, ready to be previewed, printed or saved."""

    def __init__(self, pdf: bytes, title: str) -> None:
        if not pdf.startswith(b"%PDF"):
            raise ValueError("不是 PDF 文件，无法打印")
        self.pdf = pdf
        self.title = title
        self._document = pdfium.PdfDocument(pdf)

    @property
    def page_count(self) -> int:
        return len(self._document)

    def page_image(self, index: int, dpi: float) -> QImage:
        """Page ``index`` rasterised at ``dpi`` (a deep copy, independent of PDFium's buffer)."""
        page = self._document[index]
        try:
            bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True, optimize_mode="print")
            fmt = _FORMATS.get(bitmap.mode)
            if fmt is None:
                raise ValueError(f"无法处理的页面像素格式：{bitmap.mode}")
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            bitmap.close()
            return image
        finally:
            page.close()

    def prepare(self, printer: QPrinter) -> None:
        """A4 portrait, no printer margins of its own: the document carries its margins."""
        printer.setDocName(self.title)
        printer.setFullPage(True)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))

    def paint(self, printer: QPrinter) -> None:
        """Draw every page on ``printer`` (the preview's paint request, or a real print)."""
        dpi = min(float(printer.resolution()), MAX_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("打印机无法开始打印，请检查打印机是否可用")
        try:
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for index in range(self.page_count):
                if index:
                    printer.newPage()
                painter.drawImage(target, self.page_image(index, dpi))
        finally:
            painter.end()

    def save(self, path: Path) -> Path:
        """Write the original PDF to ``path`` (atomically)."""
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(self.pdf)
        tmp.replace(path)
        return path

    def close(self) -> None:
        self._document.close()


def preview_dialog(job: PdfPrintJob, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """A print preview of ``job`` with the system's print button and a "另存为 PDF" button."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    job.prepare(printer)
    dialog = QPrintPreviewDialog(printer, parent)
    # The dialog does not own the printer: keep it (and the job) alive exactly as long as the dialog.
    dialog.printer_ref = printer  # type: ignore[attr-defined]
    dialog.job = job  # type: ignore[attr-defined]
    dialog.setWindowTitle(QCoreApplication.translate("Printing", "打印预览 — {title}").format(title=job.title))
    dialog.paintRequested.connect(job.paint)
    dialog.resize(900, 1000)
    save = QPushButton(QCoreApplication.translate("Printing", "另存为 PDF…"))
    save.setObjectName("savePdfButton")

    def save_as() -> None:
        name, _ = QFileDialog.getSaveFileName(dialog, QCoreApplication.translate("Printing", "另存为 PDF"), f"{job.title}.pdf", "PDF (*.pdf)")
        if name:
            job.save(Path(name))

    save.clicked.connect(save_as)
    toolbar = dialog.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addWidget(save)
        for zoom in toolbar.findChildren(QComboBox):  # Qt sizes the zoom box for small type: fit the theme's
            zoom.setMinimumHeight(zoom.fontMetrics().height() + 14)
            zoom.setMinimumWidth(zoom.fontMetrics().horizontalAdvance("100.0%") + 48)
    dialog.finished.connect(lambda _code: job.close())
    return dialog


def print_to_pdf_file(job: PdfPrintJob, path: Path) -> Path:
    """Print ``job`` through Qt's PDF printer into ``path`` (what "打印到 PDF" does on any machine)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(150)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    job.prepare(printer)
    job.paint(printer)
    return path


def render_pages(pdf: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi``, for an on-screen preview. Safe in a worker thread (a
    QImage is plain data), so a page can render its preview together with generating the document."""
    job = PdfPrintJob(pdf, "")
    try:
        return [job.page_image(i, dpi) for i in range(job.page_count)]
    finally:
        job.close()


class PdfPagesView(QScrollArea):
    """A document's pages one under the other, as they will print, inside a page of the app.

    ``show_pages(images)`` shows pages rendered by :func:`render_pages`; ``show_message(text)`` replaces them
    with a sentence (nothing generated yet, or no PDF to show)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PdfPagesView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QScrollArea#PdfPagesView, QWidget#pdfPages { background: #8a8f96; }")
        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("pdfPages")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setContentsMargins(16, 16, 16, 16)
        self.pages_layout.setSpacing(16)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: white; font-size: 13pt; padding: 24px;")
        self.pages_layout.addWidget(self.message)
        self.pages_layout.addStretch(1)
        self.setWidget(self.pages_widget)
        self.page_labels: list[QLabel] = []

    @property
    def page_count(self) -> int:
        return len(self.page_labels)

    def _clear(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []

    def show_message(self, text: str) -> None:
        self._clear()
        self.message.setText(text)
        self.message.setVisible(True)

    def show_pages(self, images: list[QImage]) -> None:
        self._clear()
        self.message.setVisible(False)
        for number, image in enumerate(images, start=1):
            label = QLabel()
            label.setObjectName(f"pdfPage{number}")
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setToolTip(QCoreApplication.translate("Printing", "第 {n} 页，共 {total} 页").format(
                n=number, total=len(images)))
            self.pages_layout.insertWidget(self.pages_layout.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.verticalScrollBar().setValue(0)
