"""The summary of the execution report in plain Chinese sentences, each one stating what a figure says.

A sentence is written only when the data behind it exists; comparisons name their direction (高于 / 低于 /
持平, 增长 / 下降) from the signs of the numbers, never from a template that assumes one. Percentages are the
two-decimal figures of :mod:`core.budget.analysis.figures`, so the sentences agree with the tables.
No space stands between Chinese and figures ("完成600.00亿元", "低15.00个百分点"); :func:`tight` enforces that rule
on every sentence and on texts the report quotes from elsewhere (reasons of warnings, the year-on-year basis).
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.budget.analysis import ExecutionRow, pct
from core.budget.report.figures import ReportData
from core.money import MoneyUnit, format_fen

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_LOOSE = re.compile(f"(?<=[{_CJK}])[ \u00a0]+(?=[0-9A-Za-z%{_CJK}])|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK}])")


def tight(text: str) -> str:
    """``text`` without spaces between Chinese and figures or Latin letters (the report's one spacing rule);
    used on texts written elsewhere, such as the reasons of warnings."""
    return _LOOSE.sub("", text)


FAR_BEHIND = Decimal(10)
"""Percentage points behind progress that the summary calls out separately."""


def yi(fen: int) -> str:
    """An amount in 亿元 with two decimals (the unit of budget reports)."""
    return format_fen(fen, MoneyUnit.YI).replace(" ", "")


def num(value: Decimal) -> str:
    """A percentage or point figure without a trailing ``.00``-style noise beyond two decimals."""
    return f"{value:.2f}"


def against_progress(rate: Decimal, progress: Decimal) -> str:
    """高于 / 低于 / 与…持平 time progress, with the gap in percentage points."""
    gap = rate - progress
    if gap < 0:
        return f"低于序时进度（{num(progress)}%）{num(-gap)}个百分点"
    if gap > 0:
        return f"高于序时进度（{num(progress)}%）{num(gap)}个百分点"
    return f"与序时进度（{num(progress)}%）持平"


def change(current: int, previous: int) -> str:
    """增长 x% / 下降 x% / 持平 of ``current`` against ``previous`` (which must be positive)."""
    g = pct(current - previous, previous)
    assert g is not None
    if g > 0:
        return f"增长{num(g)}%"
    if g < 0:
        return f"下降{num(-g)}%"
    return "持平"


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def headline(data: ReportData) -> list[str]:
    p = data.period
    out: list[str] = []
    if data.data_month == 0:
        return [f"数据库中没有{p.year}年的支付明细，无法计算执行进度。"]
    if data.data_month < p.end_month:
        out.append(f"数据库中的支付明细只到{data.data_month}月，{data.data_month + 1}月至{p.end_month}月尚无支付数据，"
                   "以下累计数只含已有月份。")
    g = data.general
    if g is None or not g.has_detail:
        out.append("数据库中没有一般公共预算的支付明细，无法计算执行进度。")
        return out
    rate = g.rate
    if rate is None:
        out.append(f"截至{p.year}年{p.end_month}月底，{data.scope_text}一般公共预算支出完成{yi(g.paid_fen)}；"
                   "尚无调整预算数，无法计算执行率。")
        return out
    out.append(f"截至{p.year}年{p.end_month}月底，{data.scope_text}一般公共预算支出完成{yi(g.paid_fen)}，为调整预算{yi(g.adjusted_fen)}的"
               f"{num(rate)}%，{against_progress(rate, g.progress)}。")
    in_period = data.period_paid_fen
    sentence = f"{p.span}支出{yi(in_period)}"
    share = pct(in_period, g.adjusted_fen)
    if share is not None:
        sentence += f"，占调整预算的{num(share)}%"
    width = p.end_month - p.first_month + 1
    prev_first = p.first_month - width
    if prev_first >= 1:
        previous = sum(m.paid_fen for m in data.months if prev_first <= m.month < p.first_month)
        if previous > 0:
            sentence += f"，比{'上月' if p.kind == 'month' else '上季度'}{change(in_period, previous)}"
    out.append(sentence + "。")
    return out


def year_on_year(data: ReportData) -> list[str]:
    yoy = data.year_on_year
    if yoy.basis == "none" or yoy.total is None:
        return [f"{yoy.basis_text}。"]
    t = yoy.total
    last = data.period.year - 1
    if t.previous_fen <= 0:
        return [f"{yoy.basis_text}，但上年可比数为零，无法计算增幅。"]
    if yoy.basis == "payments":
        out = [f"与{last}年同期相比，支出{change(t.current_fen, t.previous_fen)}（上年同期{yi(t.previous_fen)}）。"]
    else:
        ratio = pct(t.current_fen, t.previous_fen)
        out = [f"按{last}年决算可比口径（只含上年决算覆盖的部门和经济科目），本年累计支出{yi(t.current_fen)}，"
               f"为上年决算数{yi(t.previous_fen)}的{num(ratio or Decimal(0))}%。"]
    if yoy.basis == "payments" or yoy.month == 12:
        grown = [r for r in yoy.rows if r.growth is not None and r.growth > 0]
        if grown:
            top = max(grown, key=lambda r: (r.growth, r.code))
            out.append(f"增幅最大的部门是{top.name}，{change(top.current_fen, top.previous_fen)}。")
    return out


def classes(data: ReportData) -> list[str]:
    rows = [c for c in data.classes if c.rate is not None]
    if not rows:
        return []
    behind = [c for c in rows if c.gap is not None and c.gap < 0]
    if not behind:
        return [f"分功能科目看，{len(rows)}个类级科目的执行率均不低于序时进度。"]
    worst = min(behind, key=lambda c: (c.gap, c.code))  # type: ignore[arg-type, return-value]
    assert worst.rate is not None and worst.gap is not None
    return [f"分功能科目看，{len(rows)}个类级科目中有{len(behind)}个低于序时进度，差距最大的是{worst.name}"
            f"（执行率{num(worst.rate)}%，低{num(-worst.gap)}个百分点）。"]


def departments(data: ReportData) -> list[str]:
    rows = [d for d in data.departments if d.rate is not None]
    out: list[str] = []
    if rows:
        behind = data.behind
        if not behind:
            out.append(f"{len(rows)}个部门的执行率均不低于序时进度。")
        else:
            far = [d for d in behind if d.gap is not None and -d.gap > FAR_BEHIND]
            s = (f"{len(rows)}个部门的执行率均低于序时进度" if len(behind) == len(rows)
                 else f"{len(rows)}个部门中，{len(behind)}个执行低于序时进度")
            if far:
                s += f"，其中{len(far)}个低{FAR_BEHIND:f}个百分点以上"
            s += "；差距最大的是" + _names([f"{d.name}（{num(d.rate or Decimal(0))}%）" for d in behind[:3]]) + "。"
            out.append(s)
    unbudgeted = [d for d in data.departments if d.adjusted_fen <= 0 < d.paid_fen]
    if unbudgeted:
        out.append(f"另有{len(unbudgeted)}个部门有支出但没有预算指标，合计{yi(sum(d.paid_fen for d in unbudgeted))}。")
    return out


def structure(data: ReportData) -> list[str]:
    top = [s for s in data.structure if s.amount_fen > 0][:3]
    if not top:
        return []
    parts = [f"{s.name}（{num(s.share)}%）" for s in top]
    total = sum((s.share for s in top), Decimal(0))
    if len(top) == 1:
        return [f"从支出结构看，全部支出集中在{parts[0]}。"]
    return [f"从支出结构看，{_names(parts)}居前{len(top)}位，合计占{num(total)}%。"]


def warnings(data: ReportData) -> list[str]:
    if not data.warnings:
        return ["目前没有有效的预警。"]
    counts = data.warning_counts
    levels = [f"{name}{counts[key]}条" for key, name in (("red", "红色"), ("yellow", "黄色"), ("blue", "蓝色"))
              if counts.get(key)]
    return [f"目前有效预警{len(data.warnings)}条，其中{'、'.join(levels)}。"]


def other_books(data: ReportData) -> list[str]:
    missing: list[ExecutionRow] = [b for b in data.books if not b.has_detail]
    if not missing:
        return []
    return [f"{_names([b.name for b in missing])}暂无支付明细，本报告只列其预算数。"]


def summary(data: ReportData) -> list[str]:
    """All sentences of the summary, in reading order."""
    return [tight(s) for s in (*headline(data), *year_on_year(data), *classes(data), *departments(data),
                               *structure(data), *warnings(data), *other_books(data))]
