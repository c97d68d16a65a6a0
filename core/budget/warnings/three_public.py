"""三公经费 (overseas trips, official receptions, official vehicles) against last year's final accounts."""

from __future__ import annotations

from sqlalchemy import bindparam, text

from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, pct, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import PAYMENT_COLUMNS, cells_to_date, payment_label, wan


def _three_public_growth(ctx: RuleContext) -> list[Finding]:
    """Per department: this year's 三公 payments to date against last year's final accounts on the same codes,
    pro rata for the months gone (so a run in June compares with half of last year)."""
    codes = list(ctx.params["codes"])
    limit = float(ctx.params["growth"])
    minimum = amount_fen(ctx.params["min_last_year"])
    args = {"y": ctx.year, "ly": ctx.year - 1, "m": ctx.as_of_month, "f": False, "codes": codes}
    now: dict[str, int] = {}
    wanted = set(codes)
    for cell in cells_to_date(ctx):
        if cell.economic_code in wanted:
            now[cell.department_code] = now.get(cell.department_code, 0) + cell.paid_fen
    last: dict[str, int] = dict(ctx.conn.execute(text(
        "SELECT department_code, SUM(final_fen) FROM bgt_final_account WHERE year = :ly AND deleted = :f "
        "AND economic_code IN :codes GROUP BY department_code").bindparams(bindparam("codes", expanding=True)),
        args).all())
    out: list[Finding] = []
    for dept, last_fen in last.items():
        last_fen = int(last_fen or 0)
        if last_fen <= 0 or last_fen < minimum:
            continue
        spent = int(now.get(dept) or 0)
        base = last_fen * ctx.as_of_month // 12
        growth = (spent - base) * 100 / base if base > 0 else 0.0
        if growth <= limit:
            continue
        name = ctx.department_name(dept)
        period = "全年" if ctx.as_of_month == 12 else f"1—{ctx.as_of_month} 月"
        reason = (f"{name} 三公经费{period}支出 {wan(spent)}，上年决算同期（按月折算）{wan(base)}，"
                  f"增长 {pct(growth)}（阈值 {limit:g}%）；三公经费应只减不增")
        top = ctx.conn.execute(text(
            f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f "
            "AND department_code = :d AND economic_code IN :codes ORDER BY amount_fen DESC LIMIT 20")
            .bindparams(bindparam("codes", expanding=True)), {**args, "d": dept}).all()
        trail = [{"table": "reg_department", "key": dept, "label": name},
                 {"table": "bgt_final_account", "key": f"{ctx.year - 1}|{dept}",
                  "label": f"{ctx.year - 1} 年决算三公经费 {wan(last_fen)}"}]
        trail += [{"table": "bgt_payment", "key": r[0], "label": payment_label(r[0], r[1], r[2], int(r[3]), r[4])}
                  for r in top]
        out.append(Finding(subject_key=f"department:{dept}", subject=f"{name} 三公经费", reason=reason,
                           measure=round(growth, 2), threshold=limit, amount_fen=spent - base,
                           department_code=dept, trail=trail))
    return out


register(RuleSpec(
    rule="three_public_growth", name="三公经费增长", level="yellow", family="三公经费",
    basis="《党政机关厉行节约反对浪费条例》；历年预算报告“三公”经费只减不增的要求",
    description="部门三公经费（因公出国（境）、公务接待、公务用车运行维护）比上年决算增长超过阈值",
    params=(
        Param("growth", "比上年增长超过（%）", "percent", 10, 0, 1000),
        Param("codes", "三公经费经济分类", "keywords", ["30212", "30217", "30231"]),
        Param("min_last_year", "上年决算至少（万元）", "amount", "1", 0, 10**9),
    ),
    evaluate=_three_public_growth))
