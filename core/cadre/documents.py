"""Documents of a retired cadre (文书): 重大事项报告, 业务登记表, 申请表, 讣告.

Each document is a Word template filled with ``docxtpl`` (Jinja placeholders ``{{ name }}``; the list is
:data:`PLACEHOLDERS`). The defaults ship in ``resources/cadre/templates/`` (built by the script beside
them); an administrator may pass an own template, which :func:`validate_template` checks first: a broken Word
file, broken Jinja or a placeholder this module does not fill is refused with a Chinese message and nothing
is written. The PDF (print preview) is drawn by the petition letters' renderer
(:func:`core.petition.letters.docx_to_pdf`): GB/T 9704 type area, every font an embedded TrueType subset.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate, Listing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cadre.models import CadLifeEvent, CadPerson
from core.petition.letters import (
    AREA_H,
    AREA_W,
    BOTTOM,
    LEFT,
    TOP,
    _page_number,
    _pdf_paragraph,
    _syntax_reason,
    _visible_text,
    chinese_date,
    placeholders_left,
)
from core.reports.fonts import OfficialFonts, register_official_fonts, wrapped_markup

DOCUMENT_KINDS: tuple[str, ...] = ("重大事项报告", "业务登记表", "申请表", "讣告")
TEMPLATE_FILES = {"重大事项报告": "zhongda.docx", "业务登记表": "dengji.docx", "申请表": "shenqing.docx",
                  "讣告": "fugao.docx"}
ISSUER = "上海市人大常委会办公厅"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
RETIREMENT_KINDS = {"离休": "离休", "退休": "退休", "": ""}

PLACEHOLDERS: dict[str, str] = {
    "issuer": "落款单位（默认“上海市人大常委会办公厅”）",
    "recipient": "报告的主送机关（重大事项报告）",
    "date": "成文日期或登记日期，如 2026年12月5日",
    "form_number": "表格编号",
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期，如 1940年3月",
    "native_place": "籍贯",
    "party_date": "入党时间",
    "work_start_date": "参加工作时间",
    "retirement_kind": "离休或退休",
    "treatment_level": "待遇级别",
    "former_unit": "原工作单位",
    "former_post": "原职务",
    "address": "家庭住址",
    "postcode": "邮政编码",
    "phone": "联系电话（手机，没有时为住宅电话）",
    "died_on": "逝世日期（讣告）",
    "age": "享年（周岁，讣告）",
    "life_story": "生平（按时间顺序，来自生平记录，可多段）",
    "event_title": "重大事项的标题，如 “住院治疗”",
    "event": "重大事项的内容（可多段）",
    "matter": "登记或申请的事项",
    "reason": "申请理由",
    "clerk": "经办人",
}
"""Every placeholder a template may use, with what it is filled with (docs/cadre-documents.md lists the same)."""


class DocumentError(ValueError):
    """A document cannot be made as asked; the text says why, in Chinese."""


class TemplateRefused(DocumentError):
    """A template is refused; :attr:`problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise DocumentError(f"没有“{kind}”这种文书；可用的文书：{'、'.join(DOCUMENT_KINDS)}")


def default_template(kind: str) -> bytes:
    """The shipped template of ``kind``."""
    _check_kind(kind)
    return resources.files("resources").joinpath("cadre", "templates", TEMPLATE_FILES[kind]).read_bytes()


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def validate_template(docx_bytes: bytes) -> list[str]:
    """Problems of a template, in Chinese; an empty list when it can be used."""
    if len(docx_bytes) > MAX_TEMPLATE_BYTES:
        return [f"模板文件过大（{len(docx_bytes) / 1048576:.1f} MB），上限 {MAX_TEMPLATE_BYTES // 1048576} MB"]
    if not docx_bytes.startswith(b"PK\x03\x04"):
        return ["模板不是 Word（.docx）文件：请在 Word 中“另存为 Word 文档（*.docx）”后再使用"]
    try:
        tpl = DocxTemplate(io.BytesIO(docx_bytes))
        tpl.init_docx()
    except Exception:  # python-docx raises many kinds (KeyError, BadZipFile, ValueError, lxml errors)
        return ["模板文件已损坏或不是 Word（.docx）文件，无法打开"]
    try:
        names = tpl.get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as exc:
        return [f"模板中的占位符写法有误：{_syntax_reason(exc)}。占位符应写成 {{{{ 名称 }}}}，花括号成对、半角"]
    except Exception as exc:  # a template error docxtpl does not classify
        return [f"模板无法解析：{exc}"]
    problems = [f"模板中的占位符“{{{{ {name} }}}}”不认识：可用的占位符有 {'、'.join(PLACEHOLDERS)}"
                for name in sorted(names) if name not in PLACEHOLDERS]
    if problems:
        return problems
    try:
        tpl.render({name: "样例" for name in PLACEHOLDERS}, _environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except Exception as exc:
        return [f"模板无法填写：{exc}"]
    if placeholders_left(out.getvalue()):
        return ["模板中有多余的花括号：占位符应写成 {{ 名称 }}，花括号成对、半角"]
    return []


@dataclass(frozen=True)
class DocumentRequest:
    """What the clerk adds to the record for one document."""

    on: date
    event_title: str = ""
    event: str = ""
    matter: str = ""
    reason: str = ""
    clerk: str = ""
    recipient: str = "上海市人大常委会办公厅"
    form_number: str = ""
    issuer: str = ISSUER


def _month(day: date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def _age(person: CadPerson) -> str:
    if not person.birth_date or not person.died_on:
        return ""
    b, d = person.birth_date, person.died_on
    return str(d.year - b.year - ((d.month, d.day) < (b.month, b.day)))


def life_story(session: Session, person: CadPerson) -> str:
    """The life story as dated lines, oldest first (``1960年9月—1978年3月 上海市某单位 科员``)."""
    rows = session.scalars(select(CadLifeEvent).where(CadLifeEvent.person_id == person.id)
                           .order_by(CadLifeEvent.start_on)).all()
    lines = []
    for row in rows:
        span = f"{_month(row.start_on)}—{_month(row.end_on)}" if row.end_on else f"{_month(row.start_on)}起"
        line = "".join(part for part in (span, "，", row.unit, row.post, "，" if row.text else "", row.text) if part)
        lines.append(line if line.endswith(("。", "！", "；")) else line + "。")
    return "\n".join(lines)


def document_context(session: Session, person: CadPerson, request: DocumentRequest) -> dict[str, str]:
    """Every placeholder's value for one person and request."""
    return {
        "issuer": request.issuer, "recipient": request.recipient, "date": chinese_date(request.on),
        "form_number": request.form_number, "name": person.name, "gender": person.gender,
        "ethnicity": person.ethnicity, "birth_date": _month(person.birth_date), "native_place": person.native_place,
        "party_date": _month(person.party_date), "work_start_date": _month(person.work_start_date),
        "retirement_kind": RETIREMENT_KINDS.get(person.retirement_kind, person.retirement_kind),
        "treatment_level": person.treatment_level, "former_unit": person.former_unit,
        "former_post": person.former_post, "address": person.address or "", "postcode": person.postcode,
        "phone": person.phone_mobile or person.phone_home or "", "died_on": chinese_date(person.died_on),
        "age": _age(person), "life_story": life_story(session, person), "event_title": request.event_title,
        "event": request.event, "matter": request.matter, "reason": request.reason, "clerk": request.clerk,
    }


def fill(template: bytes, values: dict[str, str]) -> bytes:
    """``template`` filled with ``values``; a refused template raises :class:`TemplateRefused`."""
    problems = validate_template(template)
    if problems:
        raise TemplateRefused(problems)
    tpl = DocxTemplate(io.BytesIO(template))
    context: dict[str, Any] = {k: (Listing(v.replace("\n", "\a")) if "\n" in v else v) for k, v in values.items()}
    try:
        tpl.render(context, _environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise DocumentError(f"模板无法填写：{exc}") from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def document_docx(session: Session, person: CadPerson, kind: str, request: DocumentRequest, *,
                  template: bytes | None = None, actor: str = "") -> bytes:
    """The filled document as .docx bytes (``template`` overrides the shipped default)."""
    _check_kind(kind)
    if kind == "讣告" and person.alive:
        raise DocumentError(f"{person.name}的档案记载为健在，不能生成讣告；请先登记逝世日期")
    data = fill(template if template is not None else default_template(kind),
                document_context(session, person, request))
    if actor:
        audit.append(session, actor, "cadre.document", person.id, {"kind": kind})
    return data


def document_pdf(session: Session, person: CadPerson, kind: str, request: DocumentRequest, *,
                 template: bytes | None = None, actor: str = "") -> bytes:
    """The same document as PDF for print preview, every font embedded."""
    data = document_docx(session, person, kind, request, template=template, actor=actor)
    return docx_to_pdf(data, title=f"{kind}（{person.name}）")


FORM_SIZE = 12.0


def _pdf_table(table: DocxTable, fonts: OfficialFonts) -> Table:
    """A Word table as a bordered reportlab table: labels (黑体) centred, merged cells spanned, each row at least
    as high as the Word row."""
    rows: list[list[Any]] = []
    least = [row.height.pt if row.height is not None else 0.0 for row in table.rows]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    columns = len(table.columns)
    width = AREA_W / columns
    for r, row in enumerate(table.rows):
        cells = row.cells
        line: list[Any] = []
        c = 0
        while c < len(cells):
            cell = cells[c]
            end = c
            while end + 1 < len(cells) and cells[end + 1]._tc is cell._tc:
                end += 1
            hei = any("黑体" in run._r.xml for p in cell.paragraphs for run in p.runs)
            face = fonts.hei if hei else fonts.fangsong
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            style = ParagraphStyle("cell", fontName=face.regular, fontSize=FORM_SIZE, leading=FORM_SIZE * 1.4,
                                   alignment=1 if hei else 0)
            cell_w = width * (end - c + 1) - 8
            line.append(Paragraph(wrapped_markup(text, cell_w, FORM_SIZE, face), style))
            line.extend("" for _ in range(end - c))
            if end > c:
                spans.append(("SPAN", (c, r), (end, r)))
            c = end + 1
        rows.append(line + [""] * (columns - len(line)))
    result = Table(rows, colWidths=[width] * columns, minRowHeights=least)
    result.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), fonts.fangsong.regular),
                                ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                                *spans]))
    return result


def docx_to_pdf(docx_bytes: bytes, *, title: str = "", fonts: OfficialFonts | None = None) -> bytes:
    """A filled document drawn as PDF on the GB/T 9704 type area; paragraphs as the petition letters draw
    them, tables as bordered forms. Every font is an embedded TrueType subset."""
    fonts = fonts or register_official_fonts()
    document = Document(io.BytesIO(docx_bytes))
    story: list[Flowable] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            story.extend(_pdf_paragraph(DocxParagraph(block, document), fonts))
        elif block.tag == qn("w:tbl"):
            story.append(_pdf_table(DocxTable(block, document), fonts))
    buffer = io.BytesIO()
    page_w = A4[0]
    frame = Frame(LEFT, BOTTOM, AREA_W, AREA_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=page_w - LEFT - AREA_W, topMargin=TOP,
                          bottomMargin=BOTTOM, title=title, author=ISSUER, creator="人大老干部",
                          pageTemplates=[PageTemplate("page", [frame], onPage=_page_number(fonts.song.regular))],
                          initialFontName=fonts.song.regular, initialFontSize=16.0)
    doc.build(story or [Spacer(1, 1)])
    return buffer.getvalue()


def visible_text(docx_bytes: bytes) -> str:
    """The text of a filled document (for checks and search)."""
    return _visible_text(docx_bytes)
