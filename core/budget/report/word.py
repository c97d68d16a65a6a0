"""The execution report as an editable Word file (python-docx), for clerks who re-use its text and tables.

Word picks the font of Chinese characters from the East Asian font attribute (``w:eastAsia``), not from the
plain font name; every style used here sets both, so the document shows 微软雅黑 / 宋体 rather than a
fallback. Charts are the Pillow PNGs of :mod:`core.budget.report.charts`, the same figures as the PDF's.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.budget.report.charts import to_png
from core.budget.report.content import TITLE_ORG, ChartBlock, Heading, Para, TableBlock, blocks, title
from core.budget.report.figures import Check, ReportData

BODY_FONT = ("Microsoft YaHei", "微软雅黑")
HEADING_FONT = ("SimHei", "黑体")


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


def _styles(doc: Any) -> None:
    set_font(doc.styles["Normal"], BODY_FONT, 11)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 13), ("Caption", 10)):
        style = doc.styles[name]
        set_font(style, HEADING_FONT, size, bold=name != "Caption")
        style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)


def _table(doc: Any, block: TableBlock) -> None:
    caption = doc.add_paragraph(block.caption, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    for i, w in enumerate(block.widths):
        for cell in table.columns[i].cells:
            cell.width = Cm(17 * w / total)
    for r, values in enumerate([block.header, *block.rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            para = cell.paragraphs[0]
            run = para.add_run(value)
            set_font(run, HEADING_FONT if r == 0 else BODY_FONT, 9, bold=r == 0)
            if r == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def report_docx(data: ReportData, *, check: Check | None = None) -> bytes:
    """The .docx bytes of the report."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    doc.core_properties.title = title(data)
    doc.core_properties.author = TITLE_ORG
    for text, style in ((TITLE_ORG, "Normal"), (title(data), "Title"), ("（智能执行报告）", "Normal"),
                        (f"报告期：{data.period.label}", "Normal"),
                        (f"生成时间：{data.made_at:%Y年%m月%d日 %H:%M}", "Normal")):
        para = doc.add_paragraph(text, style=style)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if data.notes.generated:
        doc.add_paragraph("本报告含系统生成的演示数据，不代表真实预算执行情况").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()
    with tempfile.TemporaryDirectory(prefix="renda-report-") as tmp:
        for n, block in enumerate(blocks(data)):
            if check is not None:
                check()
            if isinstance(block, Heading):
                doc.add_heading(block.text, level=block.level)
            elif isinstance(block, Para):
                para = doc.add_paragraph(block.text)
                if block.note:
                    for run in para.runs:
                        set_font(run, BODY_FONT, 9)
                        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            elif isinstance(block, TableBlock):
                _table(doc, block)
            elif isinstance(block, ChartBlock):
                height = 700 + (len(block.spec.categories) * 60 if block.spec.horizontal else 0)
                png = to_png(block.spec, Path(tmp) / f"chart-{n}.png", height=height)
                doc.add_picture(str(png), width=Cm(16.5))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        buffer = io.BytesIO()
        doc.save(buffer)
    return buffer.getvalue()
