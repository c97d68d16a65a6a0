"""The execution report as PDF (reportlab), laid out as an official document (GB/T 9704-2012).

Page and type area: A4, top margin 37 mm, left margin 28 mm, type area 156 × 225 mm (bottom ≈ 35 mm,
right ≈ 26 mm), 22 lines a page. Type faces by role (:func:`core.reports.fonts.register_official_fonts`):
the title in a bold Song face at 2号 (22 pt), the body in a FangSong face at 3号 (16 pt) with a
two-character first-line indent, 一、 headings in Hei, （一） headings in Kai, page numbers "— 1 —" in
4号 (14 pt) Song digits 7 mm below the type area, odd pages right and even pages left with one character of
space. Every font is an embedded TrueType subset: the canvas starts in the Song face, so no page refers
to reportlab's default Helvetica. Charts are vector graphics in the Hei face.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable, HRFlowable

from core.budget.report.charts import to_drawing
from core.budget.report.content import (
    APPLICATION,
    ChartBlock,
    Heading,
    Letterhead,
    Para,
    TableBlock,
    blocks,
    title,
)
from core.budget.report.figures import Check, ReportData
from core.reports.fonts import (
    BoldParagraph,
    CJKFonts,
    OfficialFonts,
    markup,
    register_official_fonts,
    wrapped_markup,
)

PAGE_W, PAGE_H = A4
LEFT = 28 * mm
"""订口 (left margin)."""
TOP = 37 * mm
"""天头 (top margin)."""
AREA_W = 156 * mm
AREA_H = 225 * mm
BOTTOM = PAGE_H - TOP - AREA_H
"""≈ 35 mm."""
LINES = 22
LINE = AREA_H / LINES
"""One line of the 22-line grid (≈ 28.98 pt)."""
BODY = 16.0
"""3号."""
TITLE = 22.0
"""2号."""
FOLIO = 14.0
"""4号: page numbers."""
INDENT = 2 * BODY
"""Two characters: the first-line indent of body paragraphs and headings."""
RED = colors.Color(0.85, 0, 0)


class _Styles:
    def __init__(self, fonts: OfficialFonts) -> None:
        self.fonts = fonts

        def style(name: str, font: CJKFonts, size: float = BODY, *, align: int = TA_LEFT, lead: float = LINE,
                  indent: float = 0, colour: Any = colors.black, before: float = 0) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font.regular, fontSize=size, leading=lead, alignment=align,
                                  firstLineIndent=indent, textColor=colour, spaceBefore=before, wordWrap="CJK")

        self.title = style("title", fonts.song, TITLE, align=TA_CENTER, lead=TITLE * 1.5)
        self.number = style("number", fonts.fangsong, align=TA_CENTER)
        self.subtitle = style("subtitle", fonts.kai, align=TA_CENTER)
        self.h1 = style("h1", fonts.hei, indent=INDENT)
        self.h1.keepWithNext = 1
        self.h2 = style("h2", fonts.kai, indent=INDENT)
        self.h2.keepWithNext = 1
        self.body = style("body", fonts.fangsong, indent=INDENT)
        self.caption = style("caption", fonts.hei, 14, align=TA_CENTER, lead=24, before=6)
        self.caption.keepWithNext = 1
        self.cell = style("cell", fonts.fangsong, 10.5, lead=14)
        self.cell_r = style("cell_r", fonts.fangsong, 10.5, lead=14, align=TA_RIGHT)
        self.head = style("head", fonts.hei, 10.5, lead=14, align=TA_CENTER)

    def para(self, text: str, style: ParagraphStyle, font: CJKFonts, width: float | None = None) -> Paragraph:
        if width is None:
            return Paragraph(markup(text, font), style)
        return Paragraph(wrapped_markup(text, width, style.fontSize, font, indent=style.firstLineIndent), style)


def _table(block: TableBlock, s: _Styles) -> list[Flowable]:
    """Caption (with the unit) and table; a short table is kept on one page, a long one repeats its header."""
    f = s.fonts
    unit = AREA_W / sum(block.widths)
    widths = [w * unit for w in block.widths]
    header = [s.para(h, s.head, f.hei) for h in block.header]
    rows = [[s.para(v, s.cell_r if i in block.numeric else s.cell, f.fangsong) for i, v in enumerate(r)]
            for r in block.rows]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), f.fangsong.regular),
        ("FONTNAME", (0, 0), (-1, 0), f.hei.regular),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    parts: list[Flowable] = [s.para(block.caption, s.caption, f.hei, AREA_W), table, Spacer(1, LINE / 2)]
    return [KeepTogether(parts)] if len(block.rows) < 15 else parts


def folio_position(page: int, text: str, font: str) -> tuple[float, float]:
    """Where page ``page``'s number starts (x, baseline): 7 mm below the type area, odd pages right with one
    character of space, even pages left with one character of space."""
    width = pdfmetrics.stringWidth(text, font, FOLIO)
    face: Any = pdfmetrics.getFont(font)
    ascent = face.face.ascent / 1000 * FOLIO if face.face.ascent else FOLIO * 0.8
    y = BOTTOM - 7 * mm - ascent
    x = LEFT + AREA_W - FOLIO - width if page % 2 else LEFT + FOLIO
    return x, y


def folio(page: int) -> str:
    return f"— {page} —"


def _page_number(font: str) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, FOLIO)
        canvas.setFillColor(colors.black)
        text = folio(doc.page)
        x, y = folio_position(doc.page, text, font)
        canvas.drawString(x, y, text)
        canvas.restoreState()
    return draw


def _letterhead(data: ReportData, head: Letterhead, s: _Styles) -> list[Flowable]:
    """版头 (issuing body in red, document-number line, red separator) and the title block."""
    f = s.fonts
    mark_size = min(26.0, AREA_W / max(len(head.issuer), 1))
    mark = ParagraphStyle("mark", fontName=f.song.regular, fontSize=mark_size, leading=mark_size * 1.4,
                          alignment=TA_CENTER, textColor=RED, wordWrap="CJK")
    story: list[Flowable] = [
        BoldParagraph(markup(head.issuer, f.song), mark, f.song), Spacer(1, LINE),
        s.para(head.number, s.number, f.fangsong),
        HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=4, spaceAfter=LINE),
        BoldParagraph(wrapped_markup(title(data), AREA_W, TITLE, f.song), s.title, f.song),
        s.para(f"（报告期：{data.period.label}）", s.subtitle, f.kai),
    ]
    if data.notes.generated:
        story.append(s.para("（本报告含系统生成的演示数据，不代表真实预算执行情况）", s.subtitle, f.kai, AREA_W))
    story.append(Spacer(1, LINE / 2))
    return story


def _sign_off(head: Letterhead, s: _Styles) -> list[Flowable]:
    """发文机关署名 right with two characters of space, 成文日期 below it starting two characters further right
    (or, when the date is longer, the date right with two characters and the name moved along) — 7.3.5.2."""
    f = s.fonts.fangsong
    name_w = pdfmetrics.stringWidth(head.issuer, f.regular, BODY)
    date_w = pdfmetrics.stringWidth(head.date, f.regular, BODY)
    right = AREA_W - 2 * BODY
    name_x = right - name_w
    date_x = name_x + 2 * BODY
    if date_x + date_w > right:
        date_x = right - date_w
        name_x = date_x - 2 * BODY
    name = ParagraphStyle("issuer", fontName=f.regular, fontSize=BODY, leading=LINE, leftIndent=max(name_x, 0),
                          spaceBefore=LINE, wordWrap="CJK")
    date = ParagraphStyle("date", fontName=f.regular, fontSize=BODY, leading=LINE, leftIndent=max(date_x, 0),
                          wordWrap="CJK")
    return [Paragraph(markup(head.issuer, f), name), Paragraph(markup(head.date, f), date)]


def report_pdf(data: ReportData, *, check: Check | None = None, issuer: str | None = None,
               number: str | None = None, fonts: OfficialFonts | None = None) -> bytes:
    """The PDF bytes of the report; ``issuer`` and ``number`` default to :data:`~.content.ISSUER` and the
    report's own serial (:func:`~.content.serial`), ``fonts`` to :func:`register_official_fonts`."""
    fonts = fonts or register_official_fonts()
    s = _Styles(fonts)
    head = Letterhead.of(data, issuer, number)
    story = _letterhead(data, head, s)
    for block in blocks(data):
        if check is not None:
            check()
        if isinstance(block, Heading):
            style, font = (s.h1, fonts.hei) if block.level == 1 else (s.h2, fonts.kai)
            story.append(s.para(block.text, style, font, AREA_W))
        elif isinstance(block, Para):
            story.append(s.para(block.text, s.body, fonts.fangsong, AREA_W))
        elif isinstance(block, TableBlock):
            story.extend(_table(block, s))
        elif isinstance(block, ChartBlock):
            height = 60 * mm + (len(block.spec.categories) * 5.5 * mm if block.spec.horizontal else 20 * mm)
            story.append(to_drawing(block.spec, AREA_W, height, fonts.hei.regular, size=9))  # type: ignore[arg-type]
            story.append(Spacer(1, LINE / 2))
    last = [story.pop()] if isinstance(story[-1], Paragraph) else []
    story.append(KeepTogether([*last, *_sign_off(head, s)]))  # never a sign-off alone on a page
    buffer = io.BytesIO()
    frame = Frame(LEFT, BOTTOM, AREA_W, AREA_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id="type-area")
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=PAGE_W - LEFT - AREA_W,
                          topMargin=TOP, bottomMargin=BOTTOM, title=title(data), author=head.issuer,
                          subject=f"{data.period.label}预算执行情况", creator=APPLICATION,
                          pageTemplates=[PageTemplate("page", [frame], onPage=_page_number(fonts.song.regular))],
                          initialFontName=fonts.song.regular, initialFontSize=BODY, initialLeading=LINE)
    doc.build(story)
    return buffer.getvalue()
