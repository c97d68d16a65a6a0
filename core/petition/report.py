"""The monthly 信访情况分析 report, in PDF and Word, laid out as an official document (GB/T 9704-2012).

The figures come from :mod:`core.petition.stats` (the month, the month before, the same month a year
before, and the hot topics); the sections are neutral blocks (headings, paragraphs, tables, charts) that
both renderers walk, so the two files say the same. The page machinery is the suite's one for official
documents, shared with the budget execution report: the type area, the 22-line grid, the official faces
(:func:`core.reports.fonts.register_official_fonts`, every font an embedded subset), the tables, the page
numbers "— 1 —", the sign-off, and the vector charts (PNG for Word).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.budget.report import pdf as _pdf
from core.budget.report import word as _word
from core.budget.report.charts import ChartSpec, to_drawing, to_png
from core.budget.report.content import ChartBlock, Heading, Letterhead, Para, TableBlock, chinese_date
from core.petition.models import PetCase
from core.petition.stats import (
    HotTopics,
    PeriodStats,
    hot_topics,
    month_bounds,
    period_stats,
    previous_period,
)

ISSUER = "上海市人大常委会信访办公室"
APPLICATION = "Renda Suite 信访"
FORMATS = ("pdf", "docx")
Block = Heading | Para | TableBlock | ChartBlock


class ReportRefused(ValueError):
    """The report cannot be made; the message says why in Chinese."""


@dataclass(frozen=True)
class MonthReport:
    year: int
    month: int
    made_on: date
    now: PeriodStats
    before: PeriodStats
    year_ago: PeriodStats
    topics: HotTopics
    demo: bool

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def title(self) -> str:
        return f"{self.label}信访情况分析"

    @property
    def number(self) -> str:
        return f"信访情况分析〔{self.year}〕{self.month}月"


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11); a clear Chinese message otherwise."""
    raw = (text or "").strip().replace("年", "-").replace("月", "").replace("/", "-")
    parts = raw.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise ReportRefused(f"月份“{text}”无法识别，请写成 2026-11 的形式")
    return int(parts[0]), int(parts[1])


def collect(session: Session, year: int, month: int, *, made_on: date | None = None) -> MonthReport:
    start, end = month_bounds(year, month)
    p_start, p_end = previous_period(start, end)
    y_start, y_end = month_bounds(year - 1, month)
    demo = session.scalar(select(PetCase.id).where(PetCase.content.like("%【演示数据】%"),
                                                    PetCase.received_on >= start,
                                                    PetCase.received_on <= end).limit(1)) is not None
    return MonthReport(year, month, made_on or date.today(), period_stats(session, start, end),
                       period_stats(session, p_start, p_end), period_stats(session, y_start, y_end),
                       hot_topics(session, start, end, top=10), demo)


def _pct(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _change(now: int, before: int) -> str:
    if not before:
        return "—"
    return f"{100 * (now - before) / before:+.1f}%"


def _trend(now: int, before: int, what: str) -> str:
    if not before:
        return f"{what}无可比数据"
    diff = now - before
    if diff == 0:
        return f"与{what}持平"
    return f"比{what}{'增加' if diff > 0 else '减少'}{abs(diff)}件（{_change(now, before)}）"


def blocks(r: MonthReport) -> list[Block]:
    """Every section of the report, in order."""
    n, b, y = r.now, r.before, r.year_ago
    out: list[Block] = [Heading("一、总体情况")]
    out.append(Para(
        f"{r.label}，共收到群众来信来访及网上、电话、短信信访{n.total}件，{_trend(n.total, b.total, '上月')}，"
        f"{_trend(n.total, y.total, '去年同期')}。其中集体访{n.collective}件，涉及{n.persons}人次；"
        f"同一信访人就同一事项的重复信访{n.repeats}件，已与首次信访件关联，不重复计数。"))
    out.append(Heading("二、信访渠道"))
    before_channel = {c.key: c.count for c in b.by_channel}
    out.append(TableBlock("表1  信访渠道分布（件）", ("渠道", "本月", "占比", "上月", "环比"),
                          tuple((c.label, str(c.count), _pct(c.count, n.total), str(before_channel.get(c.key, 0)),
                                 _change(c.count, before_channel.get(c.key, 0))) for c in n.by_channel),
                          (3, 2, 2, 2, 2), (1, 2, 3, 4)))
    out.append(ChartBlock(ChartSpec("图1  信访渠道分布", tuple(c.label for c in n.by_channel),
                                    tuple(float(c.count) for c in n.by_channel), "件", bar_name="本月")))
    out.append(Heading("三、反映的主要问题"))
    before_cat = {c.key: c.count for c in b.by_category}
    if n.by_category:
        top = n.by_category[0]
        out.append(Para(f"从反映的问题看，{top.label}类最多，{top.count}件，占{_pct(top.count, n.total)}；"
                        + "；".join(f"{c.label}{c.count}件" for c in n.by_category[1:4]) + "。"))
    out.append(TableBlock("表2  反映问题分类（件）", ("类别", "本月", "占比", "上月", "环比"),
                          tuple((c.label, str(c.count), _pct(c.count, n.total), str(before_cat.get(c.key, 0)),
                                 _change(c.count, before_cat.get(c.key, 0))) for c in n.by_category),
                          (4, 2, 2, 2, 2), (1, 2, 3, 4)))
    out.append(ChartBlock(ChartSpec("图2  反映问题分类", tuple(c.label for c in n.by_category),
                                    tuple(float(c.count) for c in n.by_category), "件", horizontal=True)))
    out.append(Heading("四、区域分布"))
    out.append(TableBlock("表3  各区信访件（件）", ("区", "本月", "占比", "去年同期"),
                          tuple((c.label, str(c.count), _pct(c.count, n.total),
                                 str({d.key: d.count for d in y.by_district}.get(c.key, 0))) for c in n.by_district),
                          (3, 2, 2, 2), (1, 2, 3)))
    out.append(Heading("五、办理情况"))
    sat = n.satisfaction
    out.append(Para(
        f"本月答复{n.answered}件，按期答复率{_rate(n.on_time_rate)}（上月{_rate(b.on_time_rate)}）。"
        f"信访人评价{sat.rated}件，其中满意{sat.satisfied}件、基本满意{sat.basic}件、不满意{sat.unsatisfied}件，"
        f"满意率（含基本满意）{_rate(sat.rate)}。"))
    bodies = [o for o in n.on_time if o.answered][:15]
    out.append(TableBlock("表4  各承办单位按期答复情况", ("承办单位", "答复件数", "按期件数", "按期率"),
                          tuple((o.body, str(o.answered), str(o.on_time), _rate(o.rate)) for o in bodies),
                          (5, 2, 2, 2), (1, 2, 3)))
    out.append(Heading("六、热点问题"))
    t = r.topics
    if t.top:
        out.append(Para("本月信访件标题中出现最多的词语是：" + "、".join(f"“{h.term}”（{h.count}件）" for h in t.top[:6])
                        + "。" + (("比上月上升较多的是：" + "、".join(f"“{h.term}”（+{h.change}）" for h in t.rising[:5])
                                   + "。") if t.rising else "")
                        + (("下降较多的是：" + "、".join(f"“{h.term}”（{h.change}）" for h in t.falling[:5]) + "。")
                           if t.falling else "")))
        out.append(TableBlock("表5  热点词语（含该词语的信访件数）", ("词语", "本月", "上月", "变化"),
                              tuple((h.term, str(h.count), str(h.previous), f"{h.change:+d}") for h in t.top),
                              (3, 2, 2, 2), (1, 2, 3)))
    else:
        out.append(Para("本月没有可供分析的信访件。"))
    out.append(Heading("七、工作建议"))
    advice = []
    if n.by_category:
        advice.append(f"对{n.by_category[0].label}类问题集中的情况，建议会同有关专门委员会开展专题调研")
    slow = [o for o in n.on_time if o.answered >= 5 and o.rate is not None and o.rate < 0.8]
    if slow:
        advice.append("对按期答复率低于80%的" + "、".join(o.body for o in slow[:3]) + "加强督办")
    if sat.rate is not None and sat.rate < 0.85:
        advice.append("对评价不满意的信访件逐件回访，分析原因")
    if t.rising:
        advice.append(f"关注“{t.rising[0].term}”等上升较快的问题，及时研判")
    out.append(Para("；".join(advice) + "。" if advice else "本月信访形势平稳，继续做好日常办理工作。"))
    return out


def _head(r: MonthReport, issuer: str | None) -> Letterhead:
    return Letterhead((issuer or ISSUER).strip() or ISSUER, r.number, chinese_date(r.made_on))


def report_pdf(r: MonthReport, *, issuer: str | None = None) -> bytes:
    """The PDF bytes: 版头, title, the sections, the sign-off; every font an embedded subset."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer
    from reportlab.platypus.flowables import Flowable, HRFlowable

    from core.reports.fonts import BoldParagraph, markup, register_official_fonts, wrapped_markup

    fonts = register_official_fonts()
    s = _pdf._Styles(fonts)
    head = _head(r, issuer)
    f = fonts
    mark_size = min(26.0, _pdf.AREA_W / max(len(head.issuer), 1))
    mark = ParagraphStyle("mark", fontName=f.song.regular, fontSize=mark_size, leading=mark_size * 1.4,
                          alignment=TA_CENTER, textColor=_pdf.RED, wordWrap="CJK")
    story: list[Flowable] = [
        BoldParagraph(markup(head.issuer, f.song), mark, f.song), Spacer(1, _pdf.LINE),
        s.para(head.number, s.number, f.fangsong),
        HRFlowable(width="100%", thickness=1.2, color=_pdf.RED, spaceBefore=4, spaceAfter=_pdf.LINE),
        BoldParagraph(wrapped_markup(r.title, _pdf.AREA_W, _pdf.TITLE, f.song), s.title, f.song),
    ]
    if r.demo:
        story.append(s.para("（本报告含系统生成的演示数据，不代表真实信访情况）", s.subtitle, f.kai, _pdf.AREA_W))
    story.append(Spacer(1, _pdf.LINE / 2))
    for block in blocks(r):
        if isinstance(block, Heading):
            style, font = (s.h1, f.hei) if block.level == 1 else (s.h2, f.kai)
            story.append(s.para(block.text, style, font, _pdf.AREA_W))
        elif isinstance(block, Para):
            story.append(s.para(block.text, s.body, f.fangsong, _pdf.AREA_W))
        elif isinstance(block, TableBlock):
            story.extend(_pdf._table(block, s))
        elif block.spec.categories:
            height = 60 * mm + (len(block.spec.categories) * 5.5 * mm if block.spec.horizontal else 20 * mm)
            story.append(to_drawing(block.spec, _pdf.AREA_W, height, f.hei.regular, size=9))  # type: ignore[arg-type]
            story.append(Spacer(1, _pdf.LINE / 2))
    last = [story.pop()] if isinstance(story[-1], Paragraph) else []
    story.append(KeepTogether([*last, *_pdf._sign_off(head, s)]))
    buffer = io.BytesIO()
    frame = Frame(_pdf.LEFT, _pdf.BOTTOM, _pdf.AREA_W, _pdf.AREA_H, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="type-area")
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=_pdf.LEFT,
                          rightMargin=_pdf.PAGE_W - _pdf.LEFT - _pdf.AREA_W, topMargin=_pdf.TOP,
                          bottomMargin=_pdf.BOTTOM, title=r.title, author=head.issuer, subject=r.title,
                          creator=APPLICATION,
                          pageTemplates=[PageTemplate("page", [frame], onPage=_pdf._page_number(f.song.regular))],
                          initialFontName=f.song.regular, initialFontSize=_pdf.BODY, initialLeading=_pdf.LINE)
    doc.build(story)
    return buffer.getvalue()


def report_docx(r: MonthReport, *, issuer: str | None = None) -> bytes:
    """The .docx bytes: the same sections, official faces by name, charts as pictures."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    head = _head(r, issuer)
    _word._styles(doc)
    _word._page(doc, head)
    props = doc.core_properties
    props.title = props.subject = r.title
    props.author = props.last_modified_by = head.issuer
    props.keywords = "信访；情况分析"
    mark = min(26.0, 156 / 25.4 * 72 / max(len(head.issuer), 1))
    _word._centred(doc, head.issuer, _word.SONG, mark, bold=True, colour=_word.RED)
    _word._red_rule(_word._centred(doc, head.number, _word.FANGSONG))
    _word._centred(doc, "", _word.FANGSONG)
    doc.add_paragraph(r.title, style="Title")
    if r.demo:
        _word._centred(doc, "（本报告含系统生成的演示数据，不代表真实信访情况）", _word.KAI)
    with tempfile.TemporaryDirectory(prefix="renda-petition-report-") as tmp:
        for n, block in enumerate(blocks(r)):
            if isinstance(block, Heading):
                doc.add_heading(block.text, level=block.level)
            elif isinstance(block, Para):
                doc.add_paragraph(block.text)
            elif isinstance(block, TableBlock):
                _word._table(doc, block)
            elif block.spec.categories:
                height = 700 + (len(block.spec.categories) * 60 if block.spec.horizontal else 0)
                png = to_png(block.spec, Path(tmp) / f"chart-{n}.png", height=height)
                doc.add_picture(str(png), width=Mm(150))
                picture = doc.paragraphs[-1]
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.paragraph_format.first_line_indent = Pt(0)
                picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _word._sign_off(doc, head)
        buffer = io.BytesIO()
        doc.save(buffer)
    return buffer.getvalue()


def report_name(r: MonthReport, fmt: str) -> str:
    return f"{r.title}.{fmt}"


def generate(engine: Engine, year: int, month: int, folder: Path, formats: tuple[str, ...] = FORMATS, *,
             issuer: str | None = None, made_on: date | None = None) -> list[Path]:
    """Write the month's report in each format into ``folder``; returns the files written."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ReportRefused(f"格式“{'、'.join(bad)}”不支持，可选：{'、'.join(FORMATS)}")
    with Session(engine) as s:
        r = collect(s, year, month, made_on=made_on)
    if r.now.total == 0 and r.now.repeats == 0:
        raise ReportRefused(f"{r.label}没有登记任何信访件，未生成报告。请核对月份或数据库（--db）。")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        body = report_pdf(r, issuer=issuer) if fmt == "pdf" else report_docx(r, issuer=issuer)
        path = folder / report_name(r, fmt)
        path.write_bytes(body)
        out.append(path)
    return out
