"""Builds the default Word templates of the petition letters (run it after changing the wording).

    .venv/bin/python -m resources.petition.templates.build_templates

Layout after GB/T 9704-2012 (信函格式 of a 函): A4; margins top 37 mm, left 28 mm, bottom 35 mm, right 26 mm
(type area 156 × 225 mm); a line grid of 22 lines (28.95 pt) with 3号 (16 pt) characters, 28 to a line; the
发文机关标志 in red 小标宋 with a red rule under the 发文字号; the title in 2号 小标宋, centred; the body in 3号
仿宋 with a two-character indent; the signature and the date right-aligned (the date two characters further
right); the page number "— 1 —" in 4号 宋体, odd pages right and even pages left. Placeholders are Jinja
expressions ``{{ name }}`` filled by :mod:`core.petition.letters`, which lists every placeholder.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
XIAOBIAOSONG = ("FZXiaoBiaoSong-B05S", "方正小标宋简体")
SONG = ("SimSun", "宋体")
FANGSONG = ("FangSong", "仿宋")
HEI = ("SimHei", "黑体")
BODY = 16.0
"""3号."""
TITLE = 22.0
"""2号."""
LINE = 28.95
"""225 mm / 22 lines."""
RED = RGBColor(0xD9, 0x00, 0x00)

# kind → (file name, title, addressee, body paragraphs, note at the end)
LETTERS: dict[str, tuple[str, str, str, list[str], str]] = {
    "转送函": ("zhuansong.docx", "关于转送信访事项的函", "{{ body_name }}：", [
        "{{ petitioner_name }}于{{ received_on }}以{{ channel }}方式向上海市人大常委会反映“{{ subject }}”问题"
        "（信访件编号：{{ case_code }}）。经研究，该事项属于你单位职责范围。根据{{ article }}的规定，现将该信访事项"
        "转送你单位，请依法处理，并自收到之日起15日内书面告知信访人是否受理。",
        "信访事项摘要：{{ content }}",
        "特此函告。",
    ], "（联系人：{{ office_contact }}）"),
    "交办函": ("jiaoban.docx", "关于交办信访事项的函", "{{ body_name }}：", [
        "{{ petitioner_name }}于{{ received_on }}以{{ channel }}方式向上海市人大常委会反映“{{ subject }}”问题"
        "（信访件编号：{{ case_code }}）。根据{{ article }}的规定，现将该信访事项交办你单位，请认真调查处理，"
        "于{{ due_on }}前将办理结果书面报告我办，并答复信访人。",
        "信访事项摘要：{{ content }}",
        "特此函告。",
    ], "（联系人：{{ office_contact }}）"),
    "告知书": ("gaozhi.docx", "信访事项告知书", "{{ petitioner_name }}：", [
        "你于{{ received_on }}反映的“{{ subject }}”问题（信访件编号：{{ case_code }}）已收悉。根据{{ article }}"
        "的规定，现告知如下：{{ notice }}",
        "你可以凭查询码 {{ tracking_code }} 在上海人大网上信访平台查询办理进展。",
        "特此告知。",
    ], "（信访人地址：{{ petitioner_address }}）"),
    "答复意见书": ("dafu.docx", "信访事项答复意见书", "{{ petitioner_name }}：", [
        "你于{{ received_on }}反映的“{{ subject }}”问题（信访件编号：{{ case_code }}），{{ body_name }}于"
        "{{ accepted_on }}受理。根据{{ article }}的规定，经调查核实，现答复如下：",
        "{{ answer }}",
        "如对本答复意见不服，可以自收到本意见书之日起30日内，向原办理机关的上一级机关请求复查。",
    ], "（信访人地址：{{ petitioner_address }}）"),
    "不予受理告知书": ("buyushouli.docx", "不予受理告知书", "{{ petitioner_name }}：", [
        "你于{{ received_on }}反映的“{{ subject }}”问题（信访件编号：{{ case_code }}）已收悉。经审查，{{ reason }}",
        "根据{{ article }}的规定，本机关对该信访事项不予受理。",
        "特此告知。",
    ], "（信访人地址：{{ petitioner_address }}）"),
}


def set_font(target: Any, font: tuple[str, str], size: float | None = None, bold: bool | None = None) -> None:
    """A style's or run's Latin and East Asian font: Word picks Chinese glyphs from ``w:eastAsia``."""
    target.font.name = font[0]
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font[1])
    fonts.set(qn("w:ascii"), font[0])
    fonts.set(qn("w:hAnsi"), font[0])
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold


def _para(doc: Any, text: str, font: tuple[str, str] = FANGSONG, size: float = BODY, *,
          align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: float = 2 * BODY, right: float = 0,
          colour: RGBColor | None = None, bold: bool = False, line: float = LINE) -> Any:
    para = doc.add_paragraph()
    para.alignment = align
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(indent)
    fmt.right_indent = Pt(right)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = fmt.space_after = Pt(0)
    if text:
        run = para.add_run(text)
        set_font(run, font, size, bold)
        if colour is not None:
            run.font.color.rgb = colour
    return para


def _red_rule(para: Any) -> None:
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "D90000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _folio(footer: Any, odd: bool) -> None:
    """"— PAGE —" in 4号 宋体, one character of space from the type area's edge."""
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        para.paragraph_format.right_indent = Pt(14)
    else:
        para.paragraph_format.left_indent = Pt(14)
    set_font(para.add_run("— "), SONG, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = para.add_run()
        set_font(run, SONG, 14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "1":
            run.text = text
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    set_font(para.add_run(" —"), SONG, 14)


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(35), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE * 20)))
    grid.set(qn("w:charSpace"), "0")
    doc.settings.odd_and_even_pages_header_footer = True
    _folio(section.footer, odd=True)
    _folio(section.even_page_footer, odd=False)
    normal = doc.styles["Normal"]
    set_font(normal, FANGSONG, BODY)


def build(kind: str) -> bytes:
    """The default template of one kind of letter, as .docx bytes."""
    _file, title, addressee, paragraphs, note = LETTERS[kind]
    doc = Document()
    _page(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = kind, "上海市人大常委会信访办公室", "上海市人大常委会信访办公室"
    props.comments = "默认模板；占位符说明见 docs/petition.md “文书与模板”"
    _para(doc, "{{ issuer }}", XIAOBIAOSONG, 26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, colour=RED, line=52)
    _red_rule(_para(doc, "{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=BODY))
    _para(doc, "", indent=0)
    _para(doc, title, XIAOBIAOSONG, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=2 * LINE)
    _para(doc, addressee, indent=0)
    for text in paragraphs:
        _para(doc, text)
    _para(doc, "", indent=0)
    _para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=4 * BODY)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=2 * BODY)
    _para(doc, "", indent=0)
    _para(doc, note, indent=2 * BODY)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())


def _reproducible(body: bytes) -> bytes:
    """The same bytes on every run: fixed member times, no creation time, this program as the application."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = re.sub(rb"<Application>[^<]*</Application>", "<Application>人大信访</Application>".encode(),
                              data)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()


def main() -> None:
    for kind, (name, *_rest) in LETTERS.items():
        (HERE / name).write_bytes(build(kind))
        print(f"{kind}: {HERE / name}")


if __name__ == "__main__":
    main()
