"""The execution report as an editable Word file (python-docx), laid out like the PDF (GB/T 9704-2012).

Word picks the font of Chinese characters from the East Asian font attribute (``w:eastAsia``), not from the
plain font name; every style and run here sets both, by role: 宋体 for the title and page numbers, 仿宋 for
the body, 黑体 for 一、 headings, 楷体 for （一） headings (the names Word maps to SimSun, FangSong, SimHei and
KaiTi). Page: A4, margins top 37 mm, left 28 mm, bottom 35 mm, right 26 mm; the footer carries the page
number "— PAGE —" (odd pages right, even pages left, one character of space); the header the document-number
line. Core properties: title, subject, author and last editor (the issuing body), created and modified at
the generation time. Charts are the Pillow PNGs of :mod:`core.budget.report.charts`, the PDF's figures.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import UTC
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from core.budget.report.charts import to_png
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

SONG = ("SimSun", "宋体")
FANGSONG = ("FangSong", "仿宋")
HEI = ("SimHei", "黑体")
KAI = ("KaiTi", "楷体")
BODY = 16.0
LINE = 28.95
"""Exact line spacing of the 22-line grid (225 mm / 22)."""
RED = RGBColor(0xD9, 0x00, 0x00)


def set_font(target: Any, font: tuple[str, str], size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's or run's Latin and East Asian font (and size, weight)."""
    target.font.name = font[0]
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font[1])
    fonts.set(qn("w:ascii"), font[0])
    fonts.set(qn("w:hAnsi"), font[0])
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold


def _grid(fmt: Any, indent: bool = True) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(2 * BODY)


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    set_font(normal, FANGSONG, BODY)
    _grid(normal.paragraph_format)
    for name, font in (("Heading 1", HEI), ("Heading 2", KAI)):
        style = doc.styles[name]
        set_font(style, font, BODY, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        _grid(style.paragraph_format)
    title_style = doc.styles["Title"]
    set_font(title_style, SONG, 22, bold=True)
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = title_style.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(33)
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    ppr = title_style.element.get_or_add_pPr()  # the template's Title has a blue bottom border
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    caption = doc.styles["Caption"]
    set_font(caption, HEI, 14, bold=False)
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.font.italic = False
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)


def _centred(doc: Any, text: str, font: tuple[str, str], size: float = BODY, *, bold: bool = False,
             colour: RGBColor | None = None) -> Any:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    run = para.add_run(text)
    set_font(run, font, size, bold)
    if colour is not None:
        run.font.color.rgb = colour
    return para


def _red_rule(para: Any) -> None:
    """A red bottom border under ``para``: the 版头 separator line."""
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "D90000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _field(para: Any, code: str, font: tuple[str, str], size: float) -> None:
    """A Word field (``PAGE``) inside ``para``, shown as its last value until Word updates it."""
    def run_with(element: Any) -> None:
        run = para.add_run()
        set_font(run, font, size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(instr)
    run_with(separate)
    shown = para.add_run("1")
    set_font(shown, font, size)
    run_with(end)


def _folio(footer: Any, odd: bool) -> None:
    """"— PAGE —" in 4号 宋体, odd pages right and even pages left, one character (14 pt) of space."""
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.text = ""
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if odd:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    set_font(para.add_run("— "), SONG, 14)
    _field(para, "PAGE", SONG, 14)
    set_font(para.add_run(" —"), SONG, 14)


def _header(header: Any, text: str) -> None:
    header.is_linked_to_previous = False
    para = header.paragraphs[0]
    para.text = ""
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = para.add_run(text)
    set_font(run, SONG, 10.5)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _page(doc: Any, head: Letterhead) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(35), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # the number's top 7 mm below the type area
    doc.settings.odd_and_even_pages_header_footer = True
    _folio(section.footer, odd=True)
    _folio(section.even_page_footer, odd=False)
    _header(section.header, head.number)
    _header(section.even_page_header, head.number)


def _properties(doc: Any, data: ReportData, head: Letterhead) -> None:
    made = data.made_at
    made_utc = made.astimezone(UTC).replace(tzinfo=None)  # a naive time is the local time
    props = doc.core_properties
    props.title = title(data)
    props.subject = f"{data.period.label}预算执行情况"
    props.author = props.last_modified_by = head.issuer
    props.created = props.modified = made_utc
    props.comments = f"{head.number}；{head.date}生成"
    props.keywords = "预算执行；联网监督"
    props.category = "预算执行报告"
    props.revision = 1


def _table(doc: Any, block: TableBlock) -> None:
    doc.add_paragraph(block.caption, style="Caption")
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    for i, w in enumerate(block.widths):
        for cell in table.columns[i].cells:
            cell.width = Mm(156 * w / total)
    for r, values in enumerate([block.header, *block.rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            para = cell.paragraphs[0]
            fmt = para.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            run = para.add_run(value)
            set_font(run, HEI if r == 0 else FANGSONG, 10.5)
            if r == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _sign_off(doc: Any, head: Letterhead) -> None:
    """发文机关署名 right with two characters of space; 成文日期 below it, starting two characters further right
    (when the date is longer, the date right with two characters and the name moved along) — 7.3.5.2."""
    doc.add_paragraph().paragraph_format.first_line_indent = Pt(0)

    def chars(text: str) -> float:
        return sum(0.5 if c.isascii() else 1.0 for c in text)

    name, date = chars(head.issuer), chars(head.date)
    name_right, date_right = 2.0, name - date
    if date_right < 2:
        date_right, name_right = 2.0, date + 4 - name
    for text, right in ((head.issuer, name_right), (head.date, date_right)):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.right_indent = Pt(BODY * right)
        set_font(para.add_run(text), FANGSONG, BODY)


def report_docx(data: ReportData, *, check: Check | None = None, issuer: str | None = None,
                number: str | None = None) -> bytes:
    """The .docx bytes of the report."""
    doc = Document()
    head = Letterhead.of(data, issuer, number)
    _styles(doc)
    _page(doc, head)
    _properties(doc, data, head)
    mark = min(26.0, 156 / 25.4 * 72 / max(len(head.issuer), 1))
    _centred(doc, head.issuer, SONG, mark, bold=True, colour=RED)
    _red_rule(_centred(doc, head.number, FANGSONG))
    _centred(doc, "", FANGSONG)
    doc.add_paragraph(title(data), style="Title")
    _centred(doc, f"（报告期：{data.period.label}）", KAI)
    if data.notes.generated:
        _centred(doc, "（本报告含系统生成的演示数据，不代表真实预算执行情况）", KAI)
    with tempfile.TemporaryDirectory(prefix="renda-report-") as tmp:
        for n, block in enumerate(blocks(data)):
            if check is not None:
                check()
            if isinstance(block, Heading):
                doc.add_heading(block.text, level=block.level)
            elif isinstance(block, Para):
                doc.add_paragraph(block.text)
            elif isinstance(block, TableBlock):
                _table(doc, block)
            elif isinstance(block, ChartBlock):
                height = 700 + (len(block.spec.categories) * 60 if block.spec.horizontal else 0)
                png = to_png(block.spec, Path(tmp) / f"chart-{n}.png", height=height)
                doc.add_picture(str(png), width=Mm(150))
                picture = doc.paragraphs[-1]
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.paragraph_format.first_line_indent = Pt(0)
                picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _sign_off(doc, head)
        buffer = io.BytesIO()
        doc.save(buffer)
    return _own_application(buffer.getvalue())


def _own_application(body: bytes) -> bytes:
    """The file with ``docProps/app.xml`` naming this program, not the template's "Microsoft Macintosh Word"."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                text = re.sub(r"<Application>[^<]*</Application>", f"<Application>{APPLICATION}</Application>",
                              data.decode("utf-8"))
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()
