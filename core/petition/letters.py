"""The letters of a case (文书): 转送函, 交办函, 告知书, 答复意见书, 不予受理告知书.

Each letter is a Word template filled with ``docxtpl`` (Jinja placeholders ``{{ case_code }}``; the list is
:data:`PLACEHOLDERS`). The defaults ship in ``resources/petition/templates/`` (built by the script beside them);
an administrator's own template is the attachment of an active ``pet_letter_template`` row of the same kind
and overrides the default. :func:`validate_template` refuses a template with broken Jinja or a placeholder
this module does not fill, naming it in Chinese, before it is stored (:func:`upload_template`).

:func:`letter_pdf` draws the filled Word letter with reportlab for print preview: paragraph by paragraph,
with the alignment, indents, sizes and colours of the Word file and one embedded TrueType face per role
(宋体 title and page number, 仿宋 body, 黑体, 楷体 — :func:`core.reports.fonts.register_official_fonts`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Protocol

import jinja2
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate, Listing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer
from reportlab.platypus.flowables import Flowable, HRFlowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.models.registry import Attachment
from core.petition.districts import district_name
from core.petition.models import PetBody, PetCase, PetLetterTemplate, PetPetitioner, PetTransition
from core.petition.reference import category_names
from core.reports.fonts import (
    BoldParagraph,
    CJKFonts,
    OfficialFonts,
    markup,
    register_official_fonts,
    text_width,
    wrapped_markup,
)

LETTER_KINDS: tuple[str, ...] = ("转送函", "交办函", "告知书", "答复意见书", "不予受理告知书")
TEMPLATE_FILES = {"转送函": "zhuansong.docx", "交办函": "jiaoban.docx", "告知书": "gaozhi.docx",
                  "答复意见书": "dafu.docx", "不予受理告知书": "buyushouli.docx"}
ISSUER = "上海市人大常委会信访办公室"
"""The issuing office, by its 规范化简称 (GB/T 9704-2012 7.2.3), as the 发文机关标志 and the signature."""
NUMBER_PREFIX = "沪人大信"
OFFICE_CONTACT = "上海市人大常委会信访办公室"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024

PLACEHOLDERS: dict[str, str] = {
    "issuer": "发文机关（默认“上海市人大常委会信访办公室”）",
    "doc_number": "发文字号，如 沪人大信〔2026〕12号",
    "date": "成文日期，如 2026年12月5日",
    "case_code": "信访件编号",
    "tracking_code": "信访人查询码（没有时为空）",
    "channel": "来信渠道：来信、来访、网上、电话、短信",
    "received_on": "收到日期",
    "subject": "信访事项标题",
    "content": "信访事项内容（摘要）",
    "category": "信访分类（一级 / 二级）",
    "district": "所属区",
    "persons_involved": "涉及人数",
    "petitioner_name": "信访人姓名",
    "petitioner_address": "信访人通信地址",
    "body_name": "承办单位（转送、交办或告知的单位）名称",
    "body_address": "承办单位地址",
    "route": "分流方式：转送、交办、告知、不予受理",
    "accepted_on": "受理日期",
    "due_on": "当前期限（办理期限或答复期限）",
    "answered_on": "答复日期",
    "article": "所依据的条款，如 《信访工作条例》第二十二条",
    "notice": "告知书的告知内容（按分流方式生成）",
    "answer": "答复意见正文（可多段）",
    "reason": "不予受理的理由",
    "office_contact": "信访办公室联系人及电话",
}
"""Every placeholder a template may use, with what it is filled with (the docs list the same)."""

DEFAULT_ARTICLES = {
    "转送函": "《信访工作条例》第二十二条、《上海市信访条例》第三十条",
    "交办函": "《信访工作条例》第二十二条、《上海市信访条例》第三十一条",
    "告知书": "《信访工作条例》第二十三条",
    "答复意见书": "《信访工作条例》第三十四条",
    "不予受理告知书": "《信访工作条例》第三十一条",
}
"""The article a letter cites when the case's history records none for its step."""
LETTER_ACTIONS = {
    "转送函": ("route", "转送", "transfer"),
    "交办函": ("route", "交办", "assign"),
    "告知书": ("告知", "notify"),
    "答复意见书": ("answer", "答复", "answered"),
    "不予受理告知书": ("refuse", "不予受理", "reject", "route"),
}
"""The transition actions whose article and note a letter takes (the latest one wins)."""
LETTER_ROUTES = {"转送函": "转送", "交办函": "交办", "不予受理告知书": "不予受理"}
"""A routing step counts for these letters only when the case was routed this way."""


class LetterError(ValueError):
    """A letter cannot be made as asked; the text says why, in Chinese."""


class TemplateRefused(LetterError):
    """An uploaded template is refused; :attr:`problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


class BlobReader(Protocol):
    """Where attachment bytes are read from (:class:`core.sync.blobs.BlobStore`)."""

    def get(self, sha256: str) -> bytes: ...


def document_number(year: int, serial: int, prefix: str = NUMBER_PREFIX) -> str:
    """发文字号 per GB/T 9704-2012 7.2.4: ``沪人大信〔2026〕12号`` (year in 六角括号, no leading zeros)."""
    return f"{prefix}〔{year}〕{serial}号"


def chinese_date(day: date | None) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# templates ---------------------------------------------------------------------------------------------------
def default_template(kind: str) -> bytes:
    """The shipped template of ``kind``."""
    _check_kind(kind)
    ref = resources.files("resources").joinpath("petition", "templates", TEMPLATE_FILES[kind])
    return ref.read_bytes()


def _check_kind(kind: str) -> None:
    if kind not in LETTER_KINDS:
        raise LetterError(f"没有“{kind}”这种文书；可用的文书：{'、'.join(LETTER_KINDS)}")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def _line_hint(xml: str, lineno: int | None) -> str:
    """The visible text around Jinja line ``lineno`` of the patched document XML, to find it in Word."""
    if not lineno:
        return ""
    lines = xml.split("\n")
    near = "\n".join(lines[max(0, lineno - 2):lineno + 1])
    text = re.sub(r"<[^>]+>", "", near).strip()
    return f"（出错处附近的文字：“{text[:40]}”）" if text else ""


def validate_template(docx_bytes: bytes) -> list[str]:
    """Problems of a template an administrator uploads, in Chinese; an empty list when it can be used.

    Refused: not a Word .docx file, broken Jinja (unclosed ``{{``, an unknown tag), and a placeholder this
    module does not fill (named, with the list of the ones it does fill).
    """
    if len(docx_bytes) > MAX_TEMPLATE_BYTES:
        return [f"模板文件过大（{len(docx_bytes) / 1048576:.1f} MB），上限 {MAX_TEMPLATE_BYTES // 1048576} MB"]
    if not docx_bytes.startswith(b"PK\x03\x04"):
        return ["模板不是 Word（.docx）文件：请在 Word 中“另存为 Word 文档（*.docx）”后再上传"]
    try:
        tpl = DocxTemplate(io.BytesIO(docx_bytes))
        tpl.init_docx()
    except Exception:  # python-docx raises many kinds (KeyError, BadZipFile, ValueError, lxml errors)
        return ["模板文件已损坏或不是 Word（.docx）文件，无法打开"]
    try:
        names = tpl.get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as exc:
        try:
            xml = tpl.patch_xml(tpl.get_xml())
        except Exception:
            xml = ""
        return [f"模板中的占位符写法有误：{_syntax_reason(exc)}{_line_hint(xml, exc.lineno)}。"
                "占位符应写成 {{ 名称 }}，花括号成对、半角"]
    except Exception as exc:  # a template error docxtpl does not classify
        return [f"模板无法解析：{exc}"]
    problems = [f"模板中的占位符“{{{{ {name} }}}}”不认识：可用的占位符有 {'、'.join(PLACEHOLDERS)}"
                for name in sorted(names) if name not in PLACEHOLDERS]
    if problems:
        return problems
    try:  # a trial fill: stray braces that are plain text to Jinja would be printed as they are
        tpl.render({name: "样例" for name in PLACEHOLDERS}, _environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except Exception as exc:
        return [f"模板无法填写：{exc}"]
    stray = sorted(set(re.findall(r"\{\{|\}\}|\{%|%\}", _visible_text(out.getvalue()))))
    if stray:
        return [f"模板中有多余的“{'”“'.join(stray)}”：占位符应写成 {{{{ 名称 }}}}，花括号成对、半角"]
    return []


def _syntax_reason(exc: jinja2.TemplateSyntaxError) -> str:
    message = exc.message or ""
    unknown = re.search(r"unknown tag '([^']+)'", message)
    if unknown:
        return f"不认识的标记“{{% {unknown.group(1)} %}}”"
    if "unexpected end of template" in message or "expected token 'end of print statement'" in message:
        return "有未闭合的 {{ 或 {%"
    if "unexpected '}'" in message:
        return "有多余的 }}"
    return f"语法错误（{message}）"


def active_template(session: Session, kind: str) -> tuple[PetLetterTemplate, Attachment] | None:
    """The administrator's template of ``kind`` in force (the newest active one) and its .docx attachment."""
    rows = session.scalars(select(PetLetterTemplate).where(
        PetLetterTemplate.kind == kind, PetLetterTemplate.active.is_(True),
        PetLetterTemplate.deleted.is_(False)).order_by(PetLetterTemplate.id.desc())).all()  # uuid7: newest first
    for row in rows:
        att = session.scalars(select(Attachment).where(
            Attachment.owner_table == PetLetterTemplate.__tablename__, Attachment.owner_id == row.id,
            Attachment.deleted.is_(False)).order_by(Attachment.id.desc())).first()
        if att is not None:
            return row, att
    return None


def deactivate_template(session: Session, kind: str) -> bool:
    """Stop using the administrator's template of ``kind`` (the default is used again); False when none was."""
    _check_kind(kind)
    found = False
    for row in session.scalars(select(PetLetterTemplate).where(PetLetterTemplate.kind == kind,
                                                               PetLetterTemplate.active.is_(True))):
        row.active, found = False, True
    return found


def template_in_force(session: Session) -> dict[str, str]:
    """Kind → the name of the administrator's template in force, or "默认模板" (for the admin screen)."""
    names: dict[str, str] = {}
    for kind in LETTER_KINDS:
        found = active_template(session, kind)
        names[kind] = found[0].name if found is not None else "默认模板"
    return names


def letter_filename(case: PetCase, kind: str, suffix: str = ".docx") -> str:
    """A file name for a letter: ``转送函-XF20261201ABCD.docx``."""
    return f"{kind}-{re.sub(r'[^0-9A-Za-z_-]', '', case.code)}{suffix}"


AttachFn = Callable[[Session, Any, bytes, str], Attachment]
"""Stores a file for a row: :meth:`core.sync.client.LocalStore.attach` on a desktop."""


def upload_template(session: Session, kind: str, docx_bytes: bytes, *, attach: AttachFn, name: str = "",
                    filename: str = "", note: str = "") -> PetLetterTemplate:
    """Store an administrator's template of ``kind``: refused (:class:`TemplateRefused`, nothing changed) when
    :func:`validate_template` finds a problem; otherwise it becomes the one in force and earlier ones of the
    kind are deactivated (kept, so the history is there)."""
    _check_kind(kind)
    problems = validate_template(docx_bytes)
    if problems:
        raise TemplateRefused(problems)
    for old in session.scalars(select(PetLetterTemplate).where(PetLetterTemplate.kind == kind,
                                                               PetLetterTemplate.active.is_(True))):
        old.active = False
    row = PetLetterTemplate(kind=kind, name=(name or kind)[:80], active=True, note=note[:200])
    session.add(row)
    session.flush()
    attach(session, row, docx_bytes, filename or f"{kind}.docx")
    return row


def template_bytes(session: Session, kind: str, blobs: BlobReader | None) -> bytes:
    """The template in force: the administrator's when there is one (and ``blobs`` can read it), else the default."""
    _check_kind(kind)
    found = active_template(session, kind) if blobs is not None else None
    if found is None or blobs is None:
        return default_template(kind)
    row, att = found
    try:
        return blobs.get(att.sha256)
    except (OSError, ValueError):
        raise LetterError(f"“{row.name}”模板文件尚未同步到本机或已损坏，请先同步；"
                          "也可以请管理员停用该模板，改用默认模板") from None


# context -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LetterContext:
    """The values of the placeholders for one letter of one case."""

    values: dict[str, Any]

    def as_text(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.values.items()}


def _latest_step(session: Session, case: PetCase, kind: str) -> PetTransition | None:
    actions = LETTER_ACTIONS[kind]
    steps = session.scalars(select(PetTransition).where(PetTransition.case_id == case.id,
                                                        PetTransition.deleted.is_(False))
                            .order_by(PetTransition.on_date.desc(), PetTransition.id.desc())).all()
    if kind in LETTER_ROUTES and case.route != LETTER_ROUTES[kind]:
        actions = tuple(a for a in actions if a != "route")
    return next((t for t in steps if t.action in actions or t.to_state in actions), None)


def _notice(case: PetCase, body: str) -> str:
    where = body or "有权处理的机关"
    if case.route == "交办":
        return f"该信访事项已交办{where}办理，{where}将依法办理并答复你。"
    if case.route == "告知":
        return f"该信访事项属于{where}的职责范围，请你依法向{where}提出。"
    if case.route == "转送":
        return f"该信访事项已转送{where}，{where}将依法处理并告知你是否受理。"
    return "你的信访事项已登记，我们将依法处理并及时告知你。"


def letter_context(session: Session, case: PetCase, kind: str, *, number: int | str, on: date,
                   issuer: str = ISSUER, contact: str = OFFICE_CONTACT) -> LetterContext:
    """The placeholder values of ``kind`` for ``case``; ``number`` is the serial (→ :func:`document_number`)
    or the whole 发文字号."""
    _check_kind(kind)
    petitioner = session.get(PetPetitioner, case.petitioner_id) if case.petitioner_id else None
    body = session.scalars(select(PetBody).where(PetBody.code == case.body_code, PetBody.deleted.is_(False))
                           ).first() if case.body_code else None
    step = _latest_step(session, case, kind)
    article = (step.article if step is not None and step.article else "") or DEFAULT_ARTICLES[kind]
    if not article.startswith("《"):
        article = f"《信访工作条例》{article}"
    reason = (step.note if step is not None and kind == "不予受理告知书" else "") or "该信访事项不属于本机关受理范围。"
    answer = case.answer_summary or (step.note if step is not None and kind == "答复意见书" else "")
    body_name = body.name if body is not None else ""
    values: dict[str, Any] = {
        "issuer": issuer,
        "doc_number": number if isinstance(number, str) else document_number(on.year, number),
        "date": chinese_date(on),
        "case_code": case.code,
        "tracking_code": case.tracking_code or "",
        "channel": case.channel,
        "received_on": chinese_date(case.received_on),
        "subject": case.subject,
        "content": case.content,
        "category": category_names(session).get(case.category_code, case.category_code),
        "district": district_name(case.district_code),
        "persons_involved": case.persons_involved,
        "petitioner_name": petitioner.name if petitioner is not None else "",
        "petitioner_address": (petitioner.address or "") if petitioner is not None else "",
        "body_name": body_name,
        "body_address": body.address if body is not None else "",
        "route": case.route,
        "accepted_on": chinese_date(case.accepted_on),
        "due_on": chinese_date(case.due_on),
        "answered_on": chinese_date(case.answered_on),
        "article": article,
        "notice": _notice(case, body_name),
        "answer": answer,
        "reason": reason,
        "office_contact": contact,
    }
    return LetterContext(values)


def _fill(template: bytes, context: LetterContext) -> bytes:
    problems = validate_template(template)
    if problems:
        raise TemplateRefused(problems)
    tpl = DocxTemplate(io.BytesIO(template))
    values: dict[str, Any] = {k: (Listing(v.replace("\n", "\a")) if isinstance(v, str) and "\n" in v else v)
                              for k, v in context.values.items()}
    try:
        tpl.render(values, _environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise LetterError(f"模板无法填写：{exc}") from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def letter_docx(session: Session, case: PetCase, kind: str, *, number: int | str, on: date,
                blobs: BlobReader | None = None, actor: str = "", issuer: str = ISSUER) -> bytes:
    """The filled letter as .docx bytes. ``blobs`` reads the administrator's template (without it the default
    is used); ``actor`` names the user in the audit log (the letter shows the petitioner's name and address)."""
    context = letter_context(session, case, kind, number=number, on=on, issuer=issuer)
    data = _fill(template_bytes(session, kind, blobs), context)
    if actor:
        audit.append(session, actor, "petition.letter", case.code,
                     {"kind": kind, "number": context.values["doc_number"], "pii": ["name", "address"]})
    return data


# PDF ---------------------------------------------------------------------------------------------------------
PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * mm, 37 * mm
AREA_W, AREA_H = 156 * mm, 225 * mm
BOTTOM = PAGE_H - TOP - AREA_H
BODY = 16.0
FOLIO = 14.0
_ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER, WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT,
          WD_ALIGN_PARAGRAPH.JUSTIFY: TA_JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT: TA_LEFT}


def _role(east_asia: str) -> str:
    if "黑" in east_asia or "Hei" in east_asia:
        return "hei"
    if "楷" in east_asia or "Kai" in east_asia:
        return "kai"
    if ("宋" in east_asia and "仿" not in east_asia) or ("Song" in east_asia and "Fang" not in east_asia):
        return "song"
    return "fangsong"


def _run_font(run: Any, para: DocxParagraph) -> tuple[str, float, bool, Any]:
    """(role, size, bold, colour) of a run, falling back to its paragraph's style."""
    east = ""
    for element in (run._r.rPr, para.style.element.rPr if para.style is not None else None):
        fonts = element.rFonts if element is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            east = fonts.get(qn("w:eastAsia"))
            break
    size = run.font.size.pt if run.font.size else (
        para.style.font.size.pt if para.style is not None and para.style.font.size else BODY)
    bold = bool(run.font.bold)
    rgb = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
    colour = colors.HexColor(f"#{rgb}") if rgb is not None else colors.black
    return _role(east), size, bold, colour


def _pdf_paragraph(para: DocxParagraph, fonts: OfficialFonts) -> list[Flowable]:
    """One Word paragraph as reportlab flowables: same alignment, indents, line spacing, faces and colours.

    A paragraph in one face and size is broken into lines here by the Chinese rules (no ，。》 at a line's
    start); a one-line heading wider than the type area (a long 发文机关标志) is set smaller to stay on one line.
    """
    fmt = para.paragraph_format
    align = _ALIGN.get(para.alignment, TA_JUSTIFY) if para.alignment is not None else TA_JUSTIFY
    first = fmt.first_line_indent.pt if fmt.first_line_indent is not None else 0
    left = fmt.left_indent.pt if fmt.left_indent is not None else 0
    right = fmt.right_indent.pt if fmt.right_indent is not None else 0
    spans = [(run.text, *_run_font(run, para)) for run in para.runs if run.text]
    line = fmt.line_spacing.pt if fmt.line_spacing is not None and hasattr(fmt.line_spacing, "pt") else None
    if not spans:
        return [Spacer(1, line or AREA_H / 22)]
    _text, role, size, bold, colour = spans[0]
    face: CJKFonts = getattr(fonts, role)
    width = AREA_W - left - right
    uniform = all(span[1:] == spans[0][1:] for span in spans)
    if uniform:
        text = "".join(span[0] for span in spans)
        if align == TA_CENTER and "\n" not in text and size > BODY:
            size = min(size, width / max(text_width(text, 1, face), 1e-6))
        body = wrapped_markup(text, width, size, face, indent=first)
        markup_text = f'<font color="{colour.hexval()}">{body}</font>'
    else:
        parts = []
        for text, run_role, run_size, _bold, run_colour in spans:
            run_face: CJKFonts = getattr(fonts, run_role)
            lines = "<br/>".join(markup(piece, run_face) for piece in text.split("\n"))
            parts.append(f'<font name="{run_face.regular}" size="{run_size:g}" '
                         f'color="{run_colour.hexval()}">{lines}</font>')
        markup_text = "".join(parts)
    leading = max(line or size * 1.5, size * 1.2)
    style = ParagraphStyle("p", fontName=face.regular, fontSize=size, leading=leading, alignment=align,
                           firstLineIndent=first, leftIndent=left, rightIndent=right, textColor=colour,
                           wordWrap="CJK")
    heavy = bold or (role == "song" and size > BODY)  # 小标宋 is a heavy face: thicken the Song face
    out: list[Flowable] = [BoldParagraph(markup_text, style, face) if heavy else Paragraph(markup_text, style)]
    ppr = para._p.pPr
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    bottom = border.find(qn("w:bottom")) if border is not None else None
    if bottom is not None:
        shade = bottom.get(qn("w:color")) or "000000"
        rule = colors.HexColor(f"#{shade}") if re.fullmatch(r"[0-9A-Fa-f]{6}", shade) else colors.black
        out.append(HRFlowable(width="100%", thickness=1.2, color=rule, spaceBefore=4, spaceAfter=4))
    return out


def _page_number(font: str) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        text = f"— {doc.page} —"
        width = pdfmetrics.stringWidth(text, font, FOLIO)
        x = LEFT + AREA_W - FOLIO - width if doc.page % 2 else LEFT + FOLIO
        canvas.saveState()
        canvas.setFont(font, FOLIO)
        canvas.drawString(x, BOTTOM - 7 * mm - FOLIO * 0.8, text)
        canvas.restoreState()
    return draw


def docx_to_pdf(docx_bytes: bytes, *, title: str = "", fonts: OfficialFonts | None = None) -> bytes:
    """A filled letter drawn as PDF on the GB/T 9704 type area, every font an embedded TrueType subset."""
    fonts = fonts or register_official_fonts()
    document = Document(io.BytesIO(docx_bytes))
    story: list[Flowable] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            story.extend(_pdf_paragraph(DocxParagraph(block, document), fonts))
        elif block.tag == qn("w:tbl"):
            for cell_para in block.iter(qn("w:p")):
                story.extend(_pdf_paragraph(DocxParagraph(cell_para, document), fonts))
    buffer = io.BytesIO()
    frame = Frame(LEFT, BOTTOM, AREA_W, AREA_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=PAGE_W - LEFT - AREA_W, topMargin=TOP,
                          bottomMargin=BOTTOM, title=title, author=ISSUER, creator="人大信访",
                          pageTemplates=[PageTemplate("page", [frame], onPage=_page_number(fonts.song.regular))],
                          initialFontName=fonts.song.regular, initialFontSize=BODY, initialLeading=BODY * 1.5)
    doc.build(story or [Spacer(1, 1)])
    return buffer.getvalue()


def letter_pdf(session: Session, case: PetCase, kind: str, *, number: int | str, on: date,
               blobs: BlobReader | None = None, actor: str = "", issuer: str = ISSUER) -> bytes:
    """The same letter as :func:`letter_docx`, as PDF for print preview."""
    data = letter_docx(session, case, kind, number=number, on=on, blobs=blobs, actor=actor, issuer=issuer)
    return docx_to_pdf(data, title=f"{kind}（{case.code}）")


def _visible_text(docx_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return "".join(re.sub(r"<[^>]+>", "", archive.read(n).decode("utf-8", "replace"))
                       for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml"))


def placeholders_left(docx_bytes: bytes) -> list[str]:
    """Jinja markers still in a filled letter's text (none in a correctly filled one)."""
    return re.findall(r"\{\{|\}\}|\{%|%\}", _visible_text(docx_bytes))
