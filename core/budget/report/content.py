"""The execution report as a list of neutral blocks (headings, paragraphs, tables, charts).

Both renderers (:mod:`core.budget.report.pdf`, :mod:`core.budget.report.word`) walk the same blocks, so the
PDF and the Word file carry the same sections, sentences and figures, formatted once here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.budget.analysis import LEVEL_NAMES
from core.budget.report.charts import ChartSpec, report_charts
from core.budget.report.figures import DEPARTMENT_ROWS, ReportData, ReportPeriod
from core.budget.report.sentences import tight

ISSUER = "上海市人民代表大会常务委员会预算工作委员会"
"""The default issuing body (发文机关) of the report: the 版头 and the sign-off."""
WARNING_ROWS = 40
APPLICATION = "Renda Suite 预算联网监督"
"""The program named in the files' properties (PDF Creator, Word's application)."""


def chinese_date(day: date) -> str:
    """``2026年12月4日``: Chinese digits-and-characters date without zero padding (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


def serial(period: ReportPeriod) -> str:
    """The report's own serial for the document-number line: ``预算执行报告〔2024〕第3季度`` / ``…〔2024〕9月``.

    It is not an official 发文字号; an office that files the report under a number passes that instead.
    """
    part = f"第{period.number}季度" if period.kind == "quarter" else f"{period.number}月"
    return f"预算执行报告〔{period.year}〕{part}"


@dataclass(frozen=True)
class Letterhead:
    """Issuing body, document-number line and date of the 版头 and the sign-off (GB/T 9704 7.2, 7.3.5)."""

    issuer: str
    number: str
    date: str

    @classmethod
    def of(cls, data: ReportData, issuer: str | None = None, number: str | None = None) -> Letterhead:
        return cls((issuer or ISSUER).strip() or ISSUER, (number or "").strip() or serial(data.period),
                   chinese_date(data.made_at))


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False


@dataclass(frozen=True)
class TableBlock:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    """Relative column widths."""
    numeric: tuple[int, ...] = ()
    """Columns aligned right."""


@dataclass(frozen=True)
class ChartBlock:
    spec: ChartSpec


Block = Heading | Para | TableBlock | ChartBlock


def yi2(fen: int) -> str:
    """Fen as 亿元 with two decimals, without the unit (the column header carries it)."""
    return f"{Decimal(fen) / 10_000_000_000:,.2f}"


def wan2(fen: int) -> str:
    return f"{Decimal(fen) / 1_000_000:,.2f}"


def rate_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def gap_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def title(data: ReportData) -> str:
    return f"{data.period.label}预算执行情况报告"


def blocks(data: ReportData) -> list[Block]:
    """Every section of the report, in order (the cover is drawn by each renderer from :func:`title`)."""
    p = data.period
    m = p.end_month
    charts = {c.title: c for c in report_charts(data)}
    numbers = itertools.count(1)
    out: list[Block] = [Heading("一、总体情况"), *(Para(s) for s in data.sentences)]

    out.append(Heading("二、四本预算执行情况"))
    out.append(TableBlock(
        f"表{next(numbers)}　四本预算执行情况（截至{m}月底，单位：亿元）",
        ("预算", "年初预算", "调整预算", "累计支出", "执行率", "序时进度", "差异（百分点）"),
        tuple((b.name, yi2(b.budget_fen), yi2(b.adjusted_fen), yi2(b.paid_fen) if b.has_detail else "无明细",
               rate_text(b.rate), rate_text(b.progress), gap_text(b.gap)) for b in data.books),
        (2.2, 1.4, 1.4, 1.4, 1.1, 1.1, 1.3), (1, 2, 3, 4, 5, 6)))

    out.append(Heading("三、分功能科目执行情况"))
    for c in charts.values():
        if c.horizontal:
            out.append(ChartBlock(c))
    out.append(TableBlock(
        f"表{next(numbers)}　一般公共预算分功能类执行情况（截至{m}月底，单位：亿元）",
        ("科目编码", "类级科目", "调整预算", "累计支出", "执行率", "差异（百分点）", "支出占比"),
        tuple((c.code, c.name, yi2(c.adjusted_fen), yi2(c.paid_fen), rate_text(c.rate), gap_text(c.gap),
               next((f"{s.share:.2f}%" for s in data.structure if s.code == c.code), "—")) for c in data.classes),
        (1.0, 2.6, 1.3, 1.3, 1.0, 1.3, 1.0), (2, 3, 4, 5, 6)))

    out.append(Heading("四、月度执行趋势"))
    for c in charts.values():
        if not c.horizontal:
            out.append(ChartBlock(c))
    out.append(TableBlock(
        f"表{next(numbers)}　一般公共预算各月支出（单位：亿元）", ("月份", "当月支出", "累计支出", "累计执行率", "序时进度"),
        tuple((f"{pt.month}月", yi2(pt.paid_fen), yi2(pt.cumulative_fen), rate_text(pt.rate), rate_text(pt.progress))
              for pt in data.months),
        (1.0, 1.5, 1.5, 1.3, 1.3), (1, 2, 3, 4)))

    out.append(Heading("五、低于序时进度的部门"))
    behind = data.behind
    if behind:
        out.append(TableBlock(
            f"表{next(numbers)}　低于序时进度的部门（截至{m}月底，按差距排序，单位：万元）",
            ("序号", "部门", "调整预算", "累计支出", "执行率", "差异（百分点）"),
            tuple((str(i), d.name, wan2(d.adjusted_fen), wan2(d.paid_fen), rate_text(d.rate), gap_text(d.gap))
                  for i, d in enumerate(behind[:DEPARTMENT_ROWS], start=1)),
            (0.7, 3.2, 1.3, 1.3, 1.1, 1.3), (2, 3, 4, 5)))
        if len(behind) > DEPARTMENT_ROWS:
            out.append(Para(f"另有{len(behind) - DEPARTMENT_ROWS}个部门低于序时进度，差距较小，未列出。", note=True))
    else:
        out.append(Para("没有执行低于序时进度的部门。"))

    yoy = data.year_on_year
    out.append(Heading("六、同比情况"))
    out.append(Para(f"口径：{yoy.basis_text}。"))
    grown = sorted((r for r in yoy.rows if r.growth is not None and r.growth > 0),
                   key=lambda r: (-(r.growth or 0), r.code))[:10]
    fallen = sorted((r for r in yoy.rows if r.growth is not None and r.growth < 0),
                    key=lambda r: ((r.growth or 0), r.code))[:10]
    if grown:
        out.append(TableBlock(
            f"表{next(numbers)}　同比增幅居前的部门（截至{m}月底，单位：万元）", ("部门", "本年", "上年", "增幅"),
            tuple((r.name, wan2(r.current_fen), wan2(r.previous_fen), rate_text(r.growth)) for r in grown),
            (3.2, 1.4, 1.4, 1.2), (1, 2, 3)))
    elif yoy.rows:
        out.append(Para("没有支出同比增长的部门。"))
    if fallen:
        out.append(TableBlock(
            f"表{next(numbers)}　同比降幅居前的部门（截至{m}月底，单位：万元）", ("部门", "本年", "上年", "降幅"),
            tuple((r.name, wan2(r.current_fen), wan2(r.previous_fen), rate_text(r.growth)) for r in fallen),
            (3.2, 1.4, 1.4, 1.2), (1, 2, 3)))

    out.append(Heading("七、主要收款单位"))
    if data.payees:
        out.append(TableBlock(
            f"表{next(numbers)}　累计收款最多的单位（截至{m}月底，单位：万元）", ("序号", "收款人", "笔数", "金额"),
            tuple((str(i), r.payee, f"{r.payments:,}", wan2(r.amount_fen)) for i, r in enumerate(data.payees, 1)),
            (0.7, 4.0, 1.0, 1.6), (2, 3)))
    else:
        out.append(Para("报告期内没有支付记录。"))

    out.append(Heading("八、预警情况"))
    if not data.warnings:
        out.append(Para(f"截至{m}月底，没有有效的预警。"))
    else:
        counts = data.warning_counts
        out.append(Para(f"截至{m}月底的数据，有效预警" + "，".join(f"{LEVEL_NAMES[k]}{counts.get(k, 0)}条" for k in ("red", "yellow", "blue"))
                        + f"，合计{len(data.warnings)}条。"))
        out.append(TableBlock(
            f"表{next(numbers)}　有效预警（红色在前，单位：万元）", ("级别", "事项", "原因", "金额", "状态"),
            tuple((w.level_name, tight(w.subject), tight(w.reason), wan2(w.amount_fen), w.status)
                  for w in data.warnings[:WARNING_ROWS]),
            (0.6, 2.5, 3.3, 1.5, 0.8), (3,)))
        if len(data.warnings) > WARNING_ROWS:
            out.append(Para(f"另有{len(data.warnings) - WARNING_ROWS}条预警未列出，详见预警收件箱。", note=True))

    out.append(Heading("九、数据说明"))
    notes = [f"本报告由系统于{chinese_date(data.made_at)}根据{p.year}年1月至{m}月的预算指标和支付明细自动生成；执行率 = 累计支出 ÷ 调整预算，"
             f"调整预算含指标调整和上年结转；序时进度 = 月份 ÷ 12。"]
    if data.domains:
        notes.append(f"本报告只含本机同步范围内{data.scope_text}数据（预算数为这些部门的指标合计），不是全市总数。")
    if data.notes.generated:
        notes.append("本数据库中的部分数据为系统生成的演示数据（部门名称以外的项目、指标、支付等均为虚构），不代表真实预算执行情况。")
    if data.notes.partial_codes:
        notes.append("科目代码表来自公开资料，尚不完整（部分科目名称为补充），以财政部当年正式科目表为准。")
    out.extend(Para(n, note=True) for n in notes)
    return [Para(tight(b.text), b.note) if isinstance(b, Para) else b for b in out]
