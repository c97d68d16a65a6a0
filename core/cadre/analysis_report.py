"""The analysis (情况查询与分析汇总) on A4 paper: each section's bars and its table, as the 分析 tab shows them
(PDF, reportlab). Sections are given as plain rows, so the page prints exactly what its tables hold; a
section that does not fit the rest of a page starts a new one, and a long table continues on the next."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.reports.fonts import register_cjk_fonts, text_width, wrap_text

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
SIZE = 10.5
ROW = SIZE * 1.6
BAR_ROW = 14.0


@dataclass(frozen=True)
class Section:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    bars: Sequence[tuple[str, float, str]]
    """(label, value, value as printed) of the chart."""


def _row(canvas: Canvas, cells: Sequence[str], bold: bool, y: float, first: float, rest: float, width: float
         ) -> None:
    fonts = register_cjk_fonts()
    canvas.setFont(fonts.bold if bold else fonts.regular, SIZE)
    for c, text in enumerate(cells):
        if c == 0:
            shown = text
            while shown and text_width(shown + "…", SIZE, fonts, bold=bold) > first - 6:
                shown = shown[:-1]
            canvas.drawString(MARGIN, y - SIZE, text if text_width(text, SIZE, fonts, bold=bold) <= first - 6
                              else shown + "…")
        else:
            canvas.drawRightString(MARGIN + first + rest * c, y - SIZE, text)
    canvas.setStrokeGray(0.8)
    canvas.line(MARGIN, y - ROW + 3, MARGIN + width, y - ROW + 3)


def analysis_pdf(title: str, summary: str, sections: Sequence[Section]) -> bytes:
    fonts = register_cjk_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.regular)
    canvas.setTitle(title)
    canvas.setCreator("人大老干部")
    width = PAGE_W - 2 * MARGIN
    y = PAGE_H - MARGIN
    page = 1

    def footer() -> None:
        canvas.setFont(fonts.regular, 9)
        canvas.drawCentredString(PAGE_W / 2, MARGIN / 2, f"第 {page} 页")

    def new_page() -> float:
        nonlocal page
        footer()
        canvas.showPage()
        page += 1
        return PAGE_H - MARGIN

    canvas.setFont(fonts.bold, 16)
    canvas.drawCentredString(PAGE_W / 2, y - 16, title)
    y -= 30
    canvas.setFont(fonts.regular, SIZE)
    for line in wrap_text(summary, width, SIZE, fonts):
        canvas.drawString(MARGIN, y - SIZE, line)
        y -= ROW
    y -= ROW * 0.5
    for section in sections:
        need = 20 + len(section.bars) * BAR_ROW + ROW * min(len(section.rows) + 1, 4) + 20
        if y - need < MARGIN:
            y = new_page()
        canvas.setFont(fonts.bold, 13)
        canvas.drawString(MARGIN, y - 13, section.title)
        y -= 24
        label_w = max((text_width(b[0], SIZE, fonts) for b in section.bars), default=0) + 8
        label_w = min(label_w, width * 0.4)
        top = max((b[1] for b in section.bars), default=0) or 1
        room = width - label_w - 70
        canvas.setFont(fonts.regular, SIZE)
        for label, value, shown in section.bars:
            if y - BAR_ROW < MARGIN:
                y = new_page()
                canvas.setFont(fonts.regular, SIZE)
            canvas.setFillColorRGB(0.13, 0.13, 0.13)
            canvas.drawRightString(MARGIN + label_w - 6, y - SIZE, label)
            canvas.setFillColorRGB(0.12, 0.37, 0.66)
            canvas.rect(MARGIN + label_w, y - BAR_ROW + 3, room * value / top, BAR_ROW - 5, stroke=0, fill=1)
            canvas.setFillColorRGB(0.13, 0.13, 0.13)
            canvas.drawString(MARGIN + label_w + room * value / top + 4, y - SIZE, shown)
            y -= BAR_ROW
        y -= 8
        columns = len(section.headers)
        first = width * max(0.6 - 0.1 * (columns - 2), 0.18)
        rest = (width - first) / max(columns - 1, 1)

        _row(canvas, section.headers, True, y, first, rest, width)
        y -= ROW
        for cells in section.rows:
            if y - ROW < MARGIN:
                y = new_page()
                _row(canvas, section.headers, True, y, first, rest, width)
                y -= ROW
            _row(canvas, cells, False, y, first, rest, width)
            y -= ROW
        y -= ROW
    footer()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
