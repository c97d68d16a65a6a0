"""Rules the demo plants nothing for, checked with hand-made rows: use of the reserve fund (预备费) and budget
adjustments far from the indicator first issued."""

from __future__ import annotations

from sqlalchemy import text

from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, pct, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import PAYMENT_COLUMNS, cells_to_date, indicators, payment_label, wan


def _reserve_fund_use(ctx: RuleContext) -> list[Finding]:
    """Per department, payments to date on the reserve-fund functional codes (from the shared cells)."""
    prefixes = tuple(ctx.params["codes"])
    minimum = amount_fen(ctx.params["min_amount"])
    spent: dict[str, int] = {}
    for c in cells_to_date(ctx):
        if c.functional_code.startswith(prefixes):
            spent[c.department_code] = spent.get(c.department_code, 0) + c.paid_fen
    out: list[Finding] = []
    for dept, amount in sorted(spent.items()):
        if amount <= 0 or amount < minimum:
            continue
        name = ctx.department_name(dept)
        like = " OR ".join(f"functional_code LIKE :c{i}" for i in range(len(prefixes)))
        rows = ctx.conn.execute(text(
            f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE year = :y AND department_code = :d "
            f"AND month <= :m AND deleted = :f AND ({like}) ORDER BY amount_fen DESC LIMIT 20"),
            {"y": ctx.year, "d": dept, "m": ctx.as_of_month, "f": False,
             **{f"c{i}": f"{p}%" for i, p in enumerate(prefixes)}}).all()
        trail = [{"table": "bgt_payment", "key": r[0], "label": payment_label(r[0], r[1], r[2], int(r[3]), r[4])}
                 for r in rows]
        reason = (f"{name} 截至 {ctx.as_of_month} 月在预备费科目（{'、'.join(prefixes)}）支出 {wan(amount)}；"
                  "预备费的动用须经本级政府决定，并在预算执行情况报告中向人大常委会说明")
        out.append(Finding(subject_key=f"department:{dept}", subject=f"{name} 预备费", reason=reason,
                           measure=amount / 100, threshold=minimum / 100, amount_fen=amount, department_code=dept,
                           trail=trail))
    return out


def _large_budget_adjustment(ctx: RuleContext) -> list[Finding]:
    """Indicators whose recorded adjustments (调增 and 调减, summed by size) reach a share of the amount first
    issued; one grouped query over the indicator changes."""
    share_limit = float(ctx.params["share"])
    minimum = amount_fen(ctx.params["min_amount"])
    rows = ctx.conn.execute(text(
        "SELECT indicator_no, SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE amount_fen END), COUNT(*) "
        "FROM bgt_indicator_change WHERE year = :y AND deleted = :f AND kind IN ('调增', '调减') "
        "GROUP BY indicator_no"), {"y": ctx.year, "f": False}).all()
    known = indicators(ctx)
    out: list[Finding] = []
    for no, moved, count in rows:
        ind = known.get(str(no))
        moved = int(moved or 0)
        if ind is None or ind.amount_fen <= 0 or moved < minimum:
            continue
        share = moved * 100 / ind.amount_fen
        if share < share_limit:
            continue
        reason = (f"{ctx.department_name(ind.department_code)} 指标 {no} 年初下达 {wan(ind.amount_fen)}，"
                  f"经 {int(count)} 次调整共变动 {wan(moved)}，占 {pct(share)}（阈值 {share_limit:g}%）；"
                  "调整幅度大，须核实是否履行预算调整程序")
        trail = [{"table": "bgt_indicator", "key": ind.indicator_no,
                  "label": f"指标 {ind.indicator_no}：下达 {wan(ind.amount_fen)}，调整 {wan(ind.adjusted_fen)}"}]
        out.append(Finding(subject_key=f"indicator:{no}", subject=f"指标 {no}", reason=reason,
                           measure=round(share, 2), threshold=share_limit, amount_fen=moved,
                           department_code=ind.department_code, project_code=ind.project_code,
                           indicator_no=ind.indicator_no, trail=trail))
    return out


register(RuleSpec(
    rule="reserve_fund_use", name="动用预备费", level="blue", family="预算调整",
    basis="《预算法》第四十条（预备费按本级一般公共预算支出额的 1%—3% 设置）、第六十四条（预备费的动用方案由财政部门"
          "提出，报本级政府决定）",
    description="部门在预备费功能分类科目（227）上有支出",
    params=(
        Param("codes", "预备费功能分类", "keywords", ["227"]),
        Param("min_amount", "最低金额（万元）", "amount", "0", 0, 10**9),
    ),
    evaluate=_reserve_fund_use))

register(RuleSpec(
    rule="large_budget_adjustment", name="预算调整幅度过大", level="blue", family="预算调整",
    basis="《预算法》第六十七条至第六十九条：预算调整须编制调整方案，报人大常委会审查批准",
    description="指标累计调增、调减的金额占年初下达金额的比例过大",
    params=(
        Param("share", "调整占下达（%）", "percent", 20, 1, 1000),
        Param("min_amount", "最低调整金额（万元）", "amount", "10", 0, 10**9),
    ),
    evaluate=_large_budget_adjustment))
