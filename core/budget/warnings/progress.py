"""Rules on the pace of spending: execution behind time progress (序时进度) and the year-end spike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, pct, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import PAYMENT_COLUMNS, cells_to_date, payment_cells, payment_label, wan

GRANULARITY = (("department", "按部门"), ("project", "按项目"), ("functional", "按功能分类"))
_GROUP_COLUMN = {"department": "department_code", "project": "project_code", "functional": "functional_code"}


def _execution_below_progress(ctx: RuleContext) -> list[Finding]:
    """Available budget (issued + adjusted + carried over, one grouped query) and payments to date (the shared
    cells), by the chosen level; groups whose execution rate lags the share of the year gone by more than
    the threshold are raised."""
    by = str(ctx.params["granularity"])
    col = _GROUP_COLUMN[by]
    gap_limit = float(ctx.params["gap"])
    minimum = amount_fen(ctx.params["min_budget"])
    args = {"y": ctx.year, "m": ctx.as_of_month, "f": False}
    budget = ctx.conn.execute(text(
        f"SELECT {col}, MIN(department_code), SUM(amount_fen + adjusted_fen + carried_over_fen), COUNT(*) "
        f"FROM bgt_indicator WHERE year = :y AND deleted = :f GROUP BY {col}"), args).all()
    paid: dict[str, int] = {}
    for cell in cells_to_date(ctx):
        key = getattr(cell, col)
        paid[key] = paid.get(key, 0) + cell.paid_fen
    progress = ctx.time_progress
    names: dict[str, str] = {}
    if by == "project":
        names = dict(ctx.conn.execute(text("SELECT code, name FROM bgt_project WHERE year = :y AND deleted = :f"),
                                      args).all())
    elif by == "functional":
        names = dict(ctx.conn.execute(text(
            "SELECT code, name FROM bgt_class_code WHERE year = :y AND kind = 'functional' AND deleted = :f"),
            args).all())
    out: list[Finding] = []
    for code, dept, available, _count in budget:
        available = int(available or 0)
        if not code or available <= 0 or available < minimum:
            continue
        spent = int(paid.get(code) or 0)
        rate = spent * 100 / available
        gap = progress - rate
        if gap <= gap_limit:
            continue
        if by == "department":
            subject = ctx.department_name(code)
        else:
            subject = f"{ctx.department_name(dept)} {names.get(code, '')}（{code}）".strip()
        reason = (f"{subject} 截至 {ctx.as_of_month} 月执行 {pct(rate)}（支出 {wan(spent)}，可用预算 {wan(available)}），"
                  f"低于序时进度 {pct(progress)} 达 {gap:.1f} 个百分点（阈值 {gap_limit:g} 个百分点）")
        out.append(Finding(subject_key=f"{by}:{code}", subject=subject, reason=reason, measure=round(gap, 2),
                           threshold=gap_limit, amount_fen=available - spent, department_code=dept or "",
                           project_code=code if by == "project" else "",
                           trail=_slow_indicators(ctx, col, code)))
    return out


def _slow_indicators(ctx: RuleContext, col: str, code: str) -> list[dict[str, Any]]:
    """The group's indicators with the most money left, for the trail."""
    rows = ctx.conn.execute(text(
        "SELECT i.indicator_no, i.amount_fen + i.adjusted_fen + i.carried_over_fen AS avail, "
        "COALESCE(p.paid, 0) AS paid FROM bgt_indicator i LEFT JOIN ("
        "  SELECT indicator_no, SUM(amount_fen) AS paid FROM bgt_payment "
        f"  WHERE year = :y AND month <= :m AND deleted = :f AND {col} = :c GROUP BY indicator_no) p "
        "ON p.indicator_no = i.indicator_no "
        f"WHERE i.year = :y AND i.deleted = :f AND i.{col} = :c "
        "ORDER BY i.amount_fen + i.adjusted_fen + i.carried_over_fen - COALESCE(p.paid, 0) DESC, i.indicator_no "
        "LIMIT 10"),
        {"y": ctx.year, "m": ctx.as_of_month, "f": False, "c": code}).all()
    trail: list[dict[str, Any]] = []
    if col == "department_code":
        trail.append({"table": "reg_department", "key": code, "label": ctx.department_name(code)})
    for no, avail, spent in rows:
        trail.append({"table": "bgt_indicator", "key": no,
                      "label": f"指标 {no}：可用 {wan(int(avail))}，已支付 {wan(int(spent))}"})
    return trail


def _year_end_spike(ctx: RuleContext) -> list[Finding]:
    """Per department, December's and the fourth quarter's share of the year's payments (from the shared cells);
    only meaningful once December is in, so a run for an earlier month raises nothing."""
    if ctx.as_of_month < 12:
        return []
    dec_limit = float(ctx.params["december_share"])
    q4_limit = float(ctx.params["q4_share"])
    minimum = amount_fen(ctx.params["min_year_amount"])
    sums: dict[str, list[int]] = {}
    for cell in payment_cells(ctx):
        total_dec_q4 = sums.setdefault(cell.department_code, [0, 0, 0])
        total_dec_q4[0] += cell.paid_fen
        if cell.month == 12:
            total_dec_q4[1] += cell.paid_fen
        if cell.month >= 10:
            total_dec_q4[2] += cell.paid_fen
    rows = [(dept, values[0], values[1], values[2]) for dept, values in sorted(sums.items())]
    out: list[Finding] = []
    for dept, total, dec, q4 in rows:
        total, dec, q4 = int(total or 0), int(dec or 0), int(q4 or 0)
        if total <= 0 or total < minimum:
            continue
        dec_share, q4_share = dec * 100 / total, q4 * 100 / total
        if dec_share < dec_limit and q4_share < q4_limit:
            continue
        name = ctx.department_name(dept)
        if dec_share >= dec_limit:
            measure, limit = dec_share, dec_limit
            what = f"12 月支出 {wan(dec)}，占全年 {pct(dec_share)}（阈值 {dec_limit:g}%）"
        else:
            measure, limit = q4_share, q4_limit
            what = f"四季度支出 {wan(q4)}，占全年 {pct(q4_share)}（阈值 {q4_limit:g}%）"
        reason = f"{name} 全年支出 {wan(total)}，{what}，年末突击花钱的迹象明显"
        top = ctx.conn.execute(text(
            f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE year = :y AND deleted = :f "
            "AND department_code = :d AND month = 12 ORDER BY amount_fen DESC LIMIT 20"),
            {"y": ctx.year, "f": False, "d": dept}).all()
        trail = [{"table": "reg_department", "key": dept, "label": name}]
        trail += [{"table": "bgt_payment", "key": r[0], "label": payment_label(r[0], r[1], r[2], int(r[3]), r[4])}
                  for r in top]
        out.append(Finding(subject_key=f"department:{dept}", subject=name, reason=reason, measure=round(measure, 2),
                           threshold=limit, amount_fen=dec, department_code=dept, trail=trail))
    return out


register(RuleSpec(
    rule="execution_below_progress", name="预算执行低于序时进度", level="red", family="执行进度",
    basis="《预算法》第五十七条（预算支出按进度执行）；财政部门按序时进度（月份/12）督促支出进度的通行做法",
    description="截至所查月份的支出占可用预算（下达＋调整＋上年结转）的比例，低于序时进度超过阈值",
    params=(
        Param("gap", "低于序时进度（百分点）", "percent", 15, 1, 100, help="执行率比序时进度低多少个百分点时预警"),
        Param("min_budget", "最低可用预算（万元）", "amount", "100", 0, 10**9, help="可用预算低于此数的不预警"),
        Param("granularity", "对象", "choice", "department", choices=GRANULARITY),
    ),
    evaluate=_execution_below_progress))

register(RuleSpec(
    rule="year_end_spike", name="年末突击支出", level="yellow", family="执行进度",
    basis="《预算法》第五十七条；财政部关于加快预算执行、防止年底突击花钱的要求",
    description="12 月或四季度支出占全年支出的比例过高（只在查看 12 月时判断）",
    params=(
        Param("december_share", "12 月支出占全年（%）", "percent", 30, 1, 100),
        Param("q4_share", "四季度支出占全年（%）", "percent", 60, 1, 100),
        Param("min_year_amount", "最低全年支出（万元）", "amount", "100", 0, 10**9),
    ),
    evaluate=_year_end_spike))
