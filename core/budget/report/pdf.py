"""The execution report as PDF (reportlab), the CJK font embedded, charts as vector graphics."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from core.budget.report.charts import to_drawing
from core.budget.report.content import TITLE_ORG, ChartBlock, Heading, Para, TableBlock, blocks, title
from core.budget.report.figures import Check, ReportData
from core.reports.fonts import CJKFonts, markup, register_cjk_fonts, wrapped_markup

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN
SHADE = colors.Color(0.9, 0.92, 0.96)


class _Styles:
    def __init__(self, fonts: CJKFonts) -> None:
        self.fonts = fonts

        def style(name: str, size: float, *, bold: bool = False, align: int = TA_LEFT, lead: float = 1.5,
                  before: float = 0, after: float = 0, colour: Any = colors.black) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=fonts.bold if bold else fonts.regular, fontSize=size,
                                  leading=size * lead, alignment=align, spaceBefore=before, spaceAfter=after,
                                  textColor=colour, wordWrap="CJK")

        self.cover = style("cover", 26, bold=True, align=TA_CENTER, lead=1.4)
        self.cover_sub = style("cover_sub", 15, align=TA_CENTER, lead=1.6)
        self.h1 = style("h1", 15, bold=True, before=10, after=6)
        self.h1.keepWithNext = 1
        self.body = style("body", 11.5, lead=1.75, after=4)
        self.note = style("note", 9.5, lead=1.6, colour=colors.Color(0.3, 0.3, 0.3))
        self.caption = style("caption", 10.5, bold=True, align=TA_CENTER, before=6, after=3)
        self.caption.keepWithNext = 1
        self.cell = style("cell", 9, lead=1.3)
        self.cell_r = style("cell_r", 9, lead=1.3, align=TA_RIGHT)
        self.head = style("head", 9, bold=True, lead=1.3, align=TA_CENTER)

    def para(self, text: str, style: ParagraphStyle, width: float | None = None) -> Paragraph:
        body = wrapped_markup(text, width, style.fontSize, self.fonts) if width else markup(text, self.fonts)
        return Paragraph(body, style)


def _table(block: TableBlock, s: _Styles) -> list[Flowable]:
    """Caption and table; a short table is kept on one page, a long one breaks with its header repeated."""
    unit = TEXT_W / sum(block.widths)
    widths = [w * unit for w in block.widths]
    header = [s.para(h, s.head) for h in block.header]
    rows = [[s.para(v, s.cell_r if i in block.numeric else s.cell) for i, v in enumerate(r)] for r in block.rows]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.6, 0.6, 0.6)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    parts: list[Flowable] = [s.para(block.caption, s.caption), table]
    return [KeepTogether(parts)] if len(block.rows) < 15 else parts


def _footer(label: str, fonts: CJKFonts) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 9)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(MARGIN, 10 * mm, label)
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()
    return draw


def report_pdf(data: ReportData, *, check: Check | None = None) -> bytes:
    """The PDF bytes of the report."""
    fonts = register_cjk_fonts()
    s = _Styles(fonts)
    story: list[Flowable] = [Spacer(1, 60 * mm), s.para(TITLE_ORG, s.cover_sub), Spacer(1, 8 * mm),
                             s.para(title(data), s.cover), Spacer(1, 6 * mm),
                             s.para("（智能执行报告）", s.cover_sub), Spacer(1, 40 * mm),
                             s.para(f"报告期：{data.period.label}", s.cover_sub),
                             s.para(f"生成时间：{data.made_at:%Y年%m月%d日 %H:%M}", s.cover_sub)]
    if data.notes.generated:
        story += [Spacer(1, 10 * mm), s.para("本报告含系统生成的演示数据，不代表真实预算执行情况", s.cover_sub)]
    story.append(PageBreak())
    for block in blocks(data):
        if check is not None:
            check()
        if isinstance(block, Heading):
            story.append(s.para(block.text, s.h1))
        elif isinstance(block, Para):
            story.append(s.para(block.text, s.note if block.note else s.body, TEXT_W - 28))
        elif isinstance(block, TableBlock):
            story.extend(_table(block, s))
        elif isinstance(block, ChartBlock):
            height = 60 * mm + (len(block.spec.categories) * 5.5 * mm if block.spec.horizontal else 20 * mm)
            story.append(to_drawing(block.spec, TEXT_W, height, fonts.regular, size=9))  # type: ignore[arg-type]
            story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=title(data), author=TITLE_ORG,
                            subject="预算执行报告")
    footer = _footer(title(data), fonts)
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=footer)
    return buffer.getvalue()
