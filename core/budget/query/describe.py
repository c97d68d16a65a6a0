"""Say a query's conditions in plain Chinese: for export titles, report headings and the page's status line."""

from __future__ import annotations

from core.budget.models import BOOKS
from core.budget.query.spec import LEVELS, MEASURES, PATH_LABELS, QuerySpec
from core.money import MoneyUnit, format_fen

DEMO_NOTE = "演示数据：本表数据由系统生成，并非真实财政数据"


def describe_filters(spec: QuerySpec) -> list[str]:
    """Each active filter as a short phrase, e.g. “收款人含“华申””, “1–6月”."""
    f = spec.filters
    out: list[str] = []
    if f.book:
        out.append(f"账本：{BOOKS.get(f.book, f.book)}")
    for value, label in ((f.functional, "功能科目"), (f.economic, "经济科目")):
        if value:
            out.append(f"{label}：{value}开头")
    for value, label in ((f.department, "部门"), (f.unit, "单位"), (f.project, "项目"), (f.indicator, "指标"),
                         (f.funding_source, "资金来源"), (f.method, "支付方式")):
        if value:
            out.append(f"{label}：{value}")
    if f.payee:
        out.append(f"收款人含“{f.payee}”")
    if f.purpose:
        out.append(f"用途含“{f.purpose}”")
    if f.month_from is not None or f.month_to is not None:
        out.append(f"{f.month_from or 1}–{f.month_to or 12}月")
    if f.date_from or f.date_to:
        out.append(f"支付日期 {f.date_from or '年初'} 至 {f.date_to or '年末'}")
    if f.amount_min_fen is not None:
        out.append(f"单笔不少于 {format_fen(f.amount_min_fen, MoneyUnit.YUAN)}")
    if f.amount_max_fen is not None:
        out.append(f"单笔不超过 {format_fen(f.amount_max_fen, MoneyUnit.YUAN)}")
    return out


def describe(spec: QuerySpec, trail: list[str] | None = None, *, payments: bool = False) -> str:
    """One line: year, path, the chosen keys (``trail``: their labels, else the keys) and the filters."""
    chosen = trail if trail is not None else [key for _, key in spec.chosen()]
    parts = [f"{spec.year} 年度", PATH_LABELS[spec.path]]
    if chosen:
        parts.append(" › ".join(chosen))
    level = spec.level
    parts.append(f"按{LEVELS[level].label}列示" if level and not payments else "支付明细")
    filters = describe_filters(spec)
    parts.append("条件：" + "；".join(filters) if filters else "无筛选条件")
    return "，".join(parts)


__all__ = ["DEMO_NOTE", "MEASURES", "describe", "describe_filters"]
