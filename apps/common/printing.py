"""Print preview and printing of the suite's generated PDF documents (result sheets, reports, labels).

The PDF that reportlab wrote is the document of record; it is printed as it is: each page is rasterised
by PDFium (``pypdfium2``) at the printer's resolution (at most 300 dpi) and placed on the full A4 page, so
the margins the document sets are the margins on paper. "另存为 PDF" writes the original bytes unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from apps.common.qt import (
    QCoreApplication,
    QFileDialog,
    QImage,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPrinter,
    QPrintPreviewDialog,
    QPushButton,
    QRectF,
    QToolBar,
    QWidget,
)

MAX_DPI = 300

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
