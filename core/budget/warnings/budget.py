"""Rules that hold payments against the budget indicators: no budget, over budget, idle money, large carry-over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, text

from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, pct, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import (
    PAYMENT_COLUMNS,
    IndicatorRow,
    indicators,
    paid_by_indicator,
    payment_label,
    wan,
    wan_exact,
)


def _payment_without_budget(ctx: RuleContext) -> list[Finding]:
    """Payments whose indicator number is empty or names no indicator of the year. The grouped payments per
    indicator (shared with other rules) show which numbers are unknown; only those payments are then read."""
    known = indicators(ctx)
    unknown = [no for no in paid_by_indicator(ctx) if no not in known]
    if not unknown:
        return []
    minimum = amount_fen(ctx.params["min_amount"])
    where = "+year = :y AND +month <= :m AND deleted = :f AND amount_fen >= :min"  # unary + keeps the
    # planner on the indicator index instead of (year, month)
    stmt = text(f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE indicator_no IN :nos AND {where} "
                f"UNION ALL SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE indicator_no IS NULL AND {where} "
                ).bindparams(bindparam("nos", expanding=True))
    rows = sorted(ctx.conn.execute(stmt, {"y": ctx.year, "m": ctx.as_of_month, "f": False, "nos": unknown,
                                          "min": minimum}).all(), key=lambda r: str(r[0]))
    out: list[Finding] = []
    for no, paid_on, payee, amount, purpose, dept, project, indicator in rows:
        amount = int(amount)
        name = ctx.department_name(dept)
        which = f"指标号 {indicator} 在 {ctx.year} 年度指标中不存在" if indicator else "没有对应的预算指标"
        reason = (f"{name} 于 {str(paid_on)[:10]} 向 {payee} 支付 {wan_exact(amount)}（{purpose}），{which}；"
                  "未列入预算不得支出")
        out.append(Finding(subject_key=f"payment:{no}", subject=f"支付 {no}", reason=reason, measure=amount / 100,
                           threshold=minimum / 100, amount_fen=amount, department_code=dept, project_code=project,
                           indicator_no=indicator,
                           trail=[{"table": "bgt_payment", "key": no,
                                   "label": payment_label(no, paid_on, payee, amount, purpose)}]))
    return out


def _top_payments(ctx: RuleContext, indicator_no: str, limit: int = 10) -> list[dict[str, Any]]:
    """The indicator's largest payments (read through the indicator index, sorted here)."""
    found = ctx.conn.execute(text(
        f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE indicator_no = :i AND +year = :y AND +month <= :m "
        "AND deleted = :f"), {"i": indicator_no, "y": ctx.year, "m": ctx.as_of_month, "f": False}).all()
    rows = sorted(found, key=lambda r: -int(r[3]))[:limit]
    return [{"table": "bgt_payment", "key": r[0], "label": payment_label(r[0], r[1], r[2], int(r[3]), r[4])}
            for r in rows]


def _indicator_trail(ctx: RuleContext, ind: IndicatorRow, spent: int) -> list[dict[str, Any]]:
    return [{"table": "bgt_indicator", "key": ind.indicator_no,
             "label": f"指标 {ind.indicator_no}：下达 {wan(ind.amount_fen)}，调整 {wan(ind.adjusted_fen)}，"
                      f"上年结转 {wan(ind.carried_over_fen)}，已支付 {wan(spent)}"}]


def _finding(ctx: RuleContext, ind: IndicatorRow, reason: str, measure: float, threshold: float, amount: int,
             trail: list[dict[str, Any]]) -> Finding:
    return Finding(subject_key=f"indicator:{ind.indicator_no}", subject=f"指标 {ind.indicator_no}", reason=reason,
                   measure=round(measure, 2), threshold=threshold, amount_fen=amount,
                   department_code=ind.department_code, project_code=ind.project_code,
                   indicator_no=ind.indicator_no, trail=trail)


def _payment_above_budget(ctx: RuleContext) -> list[Finding]:
    """Indicators whose payments to date exceed what may be spent (issued + adjustments + carry-over)."""
    tolerance = float(ctx.params["tolerance"])
    paid = paid_by_indicator(ctx)
    out: list[Finding] = []
    for no, ind in indicators(ctx).items():
        spent = paid.get(no, (0, 0))[0]
        available = ind.available_fen
        if spent <= 0 or spent * 100 <= available * (100 + tolerance):
            continue
        over = spent - available
        share = over * 100 / available if available > 0 else 100.0
        reason = (f"{ctx.department_name(ind.department_code)} 指标 {no} 可用 {wan(available)}，"
                  f"截至 {ctx.as_of_month} 月已支付 {wan(spent)}，超出 {wan(over)}（{pct(share)}）；超预算支出")
        out.append(_finding(ctx, ind, reason, share, tolerance, over,
                            _indicator_trail(ctx, ind, spent) + _top_payments(ctx, no)))
    return out


def _idle_funds(ctx: RuleContext) -> list[Finding]:
    """Indicators issued at least the given number of days before the month's end, with (almost) nothing paid."""
    days = int(ctx.params["days"])
    share_limit = float(ctx.params["paid_share"])
    minimum = amount_fen(ctx.params["min_amount"])
    cutoff = ctx.as_of_date - timedelta(days=days)
    paid = paid_by_indicator(ctx)
    out: list[Finding] = []
    for no, ind in indicators(ctx).items():
        available = ind.available_fen
        if ind.issued_on is None or ind.issued_on > cutoff or available <= 0 or available < minimum:
            continue
        spent = paid.get(no, (0, 0))[0]
        share = spent * 100 / available
        if share > share_limit:
            continue
        idle_days = (ctx.as_of_date - ind.issued_on).days
        reason = (f"{ctx.department_name(ind.department_code)} 指标 {no} 于 {ind.issued_on.isoformat()} 下达 "
                  f"{wan(available)}，至 {ctx.as_of_date.isoformat()} 已 {idle_days} 天，支付 {pct(share)}"
                  f"（阈值：{days} 天内支付不超过 {share_limit:g}%），资金闲置")
        out.append(_finding(ctx, ind, reason, idle_days, days, available - spent, _indicator_trail(ctx, ind, spent)))
    return out


def _large_carry_over(ctx: RuleContext) -> list[Finding]:
    """Indicators carrying a large sum over from last year whose money, at this year's pace, will again be
    largely left unspent (结转结余): balance projected to year end = available − paid ÷ (share of year gone)."""
    carried_limit = float(ctx.params["carried_share"])
    balance_limit = float(ctx.params["balance_share"])
    minimum = amount_fen(ctx.params["min_amount"])
    fraction = ctx.as_of_month / 12
    paid = paid_by_indicator(ctx)
    out: list[Finding] = []
    for no, ind in indicators(ctx).items():
        available = ind.available_fen
        if ind.carried_over_fen <= 0 or available <= 0:
            continue
        carried_share = ind.carried_over_fen * 100 / available
        if carried_share < carried_limit:
            continue
        spent = paid.get(no, (0, 0))[0]
        balance = max(available - int(spent / fraction), 0)
        balance_share = balance * 100 / available
        if balance_share < balance_limit or balance < minimum:
            continue
        reason = (f"{ctx.department_name(ind.department_code)} 指标 {no} 上年结转 {wan(ind.carried_over_fen)}"
                  f"（占可用 {pct(carried_share)}），截至 {ctx.as_of_month} 月仅支付 {wan(spent)}，"
                  f"按此进度年末结转结余约 {wan(balance)}，占 {pct(balance_share)}（阈值 {balance_limit:g}%）")
        out.append(_finding(ctx, ind, reason, balance_share, balance_limit, balance,
                            _indicator_trail(ctx, ind, spent)))
    return out


register(RuleSpec(
    rule="payment_without_budget", name="无预算支付", level="red", family="预算控制",
    basis="《预算法》第十三条：经人民代表大会批准的预算，非经法定程序，不得调整；各级政府、各部门、各单位的支出"
          "必须以经批准的预算为依据，未列入预算的不得支出",
    description="支付没有预算指标，或指标号在本年度指标中不存在",
    params=(Param("min_amount", "最低金额（万元）", "amount", "0", 0, 10**9),),
    evaluate=_payment_without_budget))

register(RuleSpec(
    rule="payment_above_budget", name="超预算支付", level="red", family="预算控制",
    basis="《预算法》第十三条、第五十七条：支出以批准的预算为依据；超预算支出须经调整程序",
    description="指标的累计支付超过可用额（下达＋调整＋上年结转）",
    params=(Param("tolerance", "允许超出（%）", "percent", 0, 0, 100),),
    evaluate=_payment_above_budget))

register(RuleSpec(
    rule="idle_funds", name="资金闲置", level="yellow", family="预算控制",
    basis="《预算法》第五十七条；国务院关于盘活财政存量资金的要求（下达后长期未支出的资金应收回统筹）",
    description="指标下达已久，支付比例仍很低",
    params=(
        Param("days", "下达后天数", "days", 90, 1, 366),
        Param("paid_share", "支付不超过（%）", "percent", 0, 0, 100),
        Param("min_amount", "最低可用额（万元）", "amount", "10", 0, 10**9),
    ),
    evaluate=_idle_funds))

register(RuleSpec(
    rule="large_carry_over", name="结转结余过大", level="yellow", family="预算控制",
    basis="《预算法》第四十二条（结转结余资金管理）；财政部门对连续两年未用完的结转资金收回统筹的规定",
    description="上年结转占比大、本年执行慢，预计年末结转结余过大",
    params=(
        Param("carried_share", "上年结转占可用（%）", "percent", 20, 0, 100),
        Param("balance_share", "预计年末结余占可用（%）", "percent", 50, 1, 100),
        Param("min_amount", "最低结余金额（万元）", "amount", "10", 0, 10**9),
    ),
    evaluate=_large_carry_over))
