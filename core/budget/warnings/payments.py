"""Rules on single payments: far above comparable payments, cash, a person or a suspicious purpose."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from sqlalchemy import text

from core.budget.warnings.names import looks_like_person
from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import PAYMENT_COLUMNS, Cell, cells_to_date, payment_label, wan_exact

GROUPS = (("economic", "同一经济分类（类）"), ("department", "同一部门"), ("functional", "同一功能分类（类）"))

GROUP_LABELS = {"economic": "同一经济分类（类）", "department": "同一部门", "functional": "同一功能分类（类）"}


def _group_of(cell: Cell, by: str) -> str:
    """The group a payment is compared within: the economic or functional class (类, the code's first three
    digits: 302 商品和服务支出 holds 30201 办公费, 30202 印刷费 …), or the department."""
    return {"economic": cell.economic_code[:3], "department": cell.department_code,
            "functional": cell.functional_code[:3]}[by]


def _payment_finding(row: Any, reason: str, measure: float, threshold: float) -> Finding:
    no, paid_on, payee, amount, purpose, dept, project, indicator = row[:8]
    return Finding(subject_key=f"payment:{no}", subject=f"支付 {no}", reason=reason, measure=round(measure, 2),
                   threshold=threshold, amount_fen=int(amount), department_code=dept or "",
                   project_code=project or "", indicator_no=indicator or "",
                   trail=[{"table": "bgt_payment", "key": no,
                           "label": payment_label(no, paid_on, payee, int(amount), purpose)}])


def reference_amounts(cells: list[Cell], by: str, trim: int, min_group: int) -> dict[str, tuple[int, int]]:
    """group → (reference amount, payments in the group): the largest single payment of the group once the
    ``trim`` cells (indicator × month) with the largest payments are set aside, so a few outliers — however
    large — cannot raise the yardstick they are measured by. Groups with fewer than ``min_group`` payments
    or no cell left after trimming have no reference."""
    maxima: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for c in cells:
        g = _group_of(c, by)
        maxima.setdefault(g, []).append(c.max_fen)
        counts[g] = counts.get(g, 0) + c.count
    out: dict[str, tuple[int, int]] = {}
    for g, values in maxima.items():
        if counts[g] < min_group or len(values) <= trim:
            continue
        values.sort(reverse=True)
        out[g] = (values[trim], counts[g])
    return out


def _large_single_payment(ctx: RuleContext) -> list[Finding]:
    """A payment at least ``ratio`` times its group's reference amount (see :func:`reference_amounts`) and at
    least the minimum amount. Works on the shared per-cell aggregate; only the cells holding such a payment
    are read back (by indicator and month, through the index)."""
    by = str(ctx.params["group_by"])
    ratio = float(ctx.params["ratio"])
    trim = int(float(ctx.params["trim"]))
    minimum = amount_fen(ctx.params["min_amount"])
    cells = cells_to_date(ctx)
    refs = reference_amounts(cells, by, trim, int(float(ctx.params["min_group"])))
    label = GROUP_LABELS[by]
    out: list[Finding] = []
    for c in cells:
        g = _group_of(c, by)
        if g not in refs:
            continue
        reference, count = refs[g]
        floor = max(int(reference * ratio), minimum, 1)
        if c.max_fen < floor:
            continue
        rows = ctx.conn.execute(text(
            f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE indicator_no = :i AND +year = :y AND +month = :mo "
            "AND deleted = :f AND department_code = :d AND economic_code = :e AND functional_code = :fc "
            "AND project_code = :p AND amount_fen >= :floor ORDER BY payment_no"),
            {"i": c.indicator_no, "y": ctx.year, "mo": c.month, "f": False, "d": c.department_code,
             "e": c.economic_code, "fc": c.functional_code, "p": c.project_code, "floor": floor}).all()
        for row in rows:
            amount = int(row[3])
            times = amount / reference if reference > 0 else 0.0
            reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 向 {row[2]} 单笔支付 {wan_exact(amount)}"
                      f"（{row[4]}），是{label}（{g}）{count:,} 笔支付中参照金额 {wan_exact(reference)} 的 "
                      f"{times:.1f} 倍（阈值 {ratio:g} 倍）")
            out.append(_payment_finding(row, reason, times, ratio))
    out.sort(key=lambda f: f.subject_key)
    return out


_CONTAINS = {"sqlite": "instr({col}, :{name}) > 0", "postgresql": "strpos({col}, :{name}) > 0"}
"""Substring tests faster than ``LIKE '%…%'`` where the database has them (a fifth off the screening scan)."""


def _like_any(ctx: RuleContext, column: str, words: list[str], prefix: str) -> tuple[str, dict[str, str]]:
    """``column`` contains any of ``words``, as SQL with bound values named ``prefix``0, 1 …"""
    pattern = _CONTAINS.get(ctx.conn.dialect.name)
    if pattern is None:
        parts = [f"{column} LIKE :{prefix}{i}" for i in range(len(words))]
        return "(" + " OR ".join(parts) + ")", {f"{prefix}{i}": f"%{w}%" for i, w in enumerate(words)}
    parts = [pattern.format(col=column, name=f"{prefix}{i}") for i in range(len(words))]
    return "(" + " OR ".join(parts) + ")", {f"{prefix}{i}": w for i, w in enumerate(words)}


def _screened(ctx: RuleContext) -> list[Any]:
    """The rows of the run's screening scan (waiting for it when it runs beside the grouped scan)."""
    rows = ctx.cache.get("screened", [])
    if isinstance(rows, Future):
        rows = rows.result()
        ctx.cache["screened"] = rows
    result: list[Any] = rows
    return result


def _cash_screen(ctx: RuleContext, prefix: str) -> tuple[str, dict[str, Any]]:
    cond, binds = _like_any(ctx, "purpose", list(ctx.params["keywords"]), prefix)
    return f"method = '现金' OR {cond}", binds


def _is_cash(ctx: RuleContext, row: Any) -> bool:
    purpose = str(row[4] or "")
    return (row[8] == "现金" or any(w in purpose for w in ctx.params["keywords"])) and \
        int(row[3]) >= amount_fen(ctx.params["min_amount"])


def _cash_withdrawal(ctx: RuleContext) -> list[Finding]:
    """Payments made in cash, or whose purpose says cash was drawn."""
    minimum = amount_fen(ctx.params["min_amount"])
    out = []
    for row in _screened(ctx):
        if not _is_cash(ctx, row):
            continue
        reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 以{row[8]}方式支付 {wan_exact(int(row[3]))}"
                  f"（收款人 {row[2]}，用途 {row[4]}）；财政资金原则上通过国库集中支付或公务卡结算，应严格控制现金")
        out.append(_payment_finding(row, reason, int(row[3]) / 100, minimum / 100))
    return out


def _suspicious_screen(ctx: RuleContext, prefix: str) -> tuple[str, dict[str, Any]]:
    purpose_cond, b1 = _like_any(ctx, "purpose", list(ctx.params["purpose_keywords"]), prefix + "p")
    payee_cond, b2 = _like_any(ctx, "payee", list(ctx.params["payee_keywords"]), prefix + "q")
    person = " OR LENGTH(payee) BETWEEN 2 AND 4" if ctx.params["person_names"] == "yes" else ""
    return f"{purpose_cond} OR {payee_cond}{person}", {**b1, **b2}


def _is_person(ctx: RuleContext, payee: str) -> bool:
    if any(w in payee for w in ctx.params["payee_keywords"]):
        return True
    return ctx.params["person_names"] == "yes" and looks_like_person(payee)


def purpose_hits(purpose: str, keywords: list[str], exceptions: list[str]) -> list[str]:
    """The keywords found in ``purpose`` once the phrases that only look like them (福利院, 社会福利 …) are
    taken out."""
    for phrase in sorted(exceptions, key=len, reverse=True):
        purpose = purpose.replace(phrase, "　")
    return [w for w in keywords if w in purpose]


def _suspicious(ctx: RuleContext) -> list[Finding]:
    """Payments to a person (payee words, or a short name with no organisation word) or for a purpose on the
    keyword list (购物卡、礼品、宴请 …)."""
    out = []
    for row in _screened(ctx):
        purpose, payee = str(row[4] or ""), str(row[2] or "")
        hits = purpose_hits(purpose, list(ctx.params["purpose_keywords"]),
                            list(ctx.params.get("purpose_exceptions", ())))
        person = _is_person(ctx, payee)
        if not hits and not person:
            continue
        why = []
        if hits:
            why.append(f"用途含“{'、'.join(hits)}”")
        if person:
            why.append("收款人为个人")
        reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 向 {payee} 支付 {wan_exact(int(row[3]))}"
                  f"（{purpose}），{'；'.join(why)}，需核实是否违反中央八项规定精神")
        out.append(_payment_finding(row, reason, int(row[3]) / 100, 0))
    return out


register(RuleSpec(
    rule="large_single_payment", name="大额异常支付", level="yellow", family="支付明细",
    basis="财政国库集中支付动态监控的通行做法：单笔金额远超同类支付的，须核实合同和审批依据",
    description="单笔支付达到同类支付参照金额的若干倍（参照金额：除金额最大的几组支付外，同类支付中的最大单笔）",
    params=(
        Param("ratio", "超过参照金额的倍数", "number", 8, 1.5, 1000),
        Param("trim", "计算参照时剔除的最大支付组数", "number", 3, 1, 100,
              help="同一指标同一月份的支付为一组；剔除金额最大的几组，防止异常值抬高参照金额"),
        Param("group_by", "同类支付", "choice", "economic", choices=GROUPS),
        Param("min_amount", "最低金额（万元）", "amount", "50", 0, 10**9),
        Param("min_group", "同类支付至少笔数", "number", 50, 5, 10**7),
    ),
    evaluate=_large_single_payment))

register(RuleSpec(
    rule="cash_withdrawal", name="现金支付或提现", level="yellow", family="支付明细",
    basis="《现金管理暂行条例》；公务卡强制结算目录：应使用公务卡或转账结算的不得使用现金",
    description="以现金方式支付，或用途为提取现金",
    params=(
        Param("keywords", "用途关键词", "keywords", ["提取现金", "取现", "提现"]),
        Param("min_amount", "最低金额（万元）", "amount", "0", 0, 10**9),
    ),
    evaluate=_cash_withdrawal, screen=_cash_screen))

register(RuleSpec(
    rule="suspicious_payee_or_purpose", name="可疑收款人或用途", level="yellow", family="支付明细",
    basis="中央八项规定及其实施细则；《党政机关厉行节约反对浪费条例》：严禁用公款购买发放购物卡、礼品，严禁公款宴请",
    description="收款人为个人，或用途涉及购物卡、礼品、宴请等",
    params=(
        Param("purpose_keywords", "用途关键词", "keywords",
              ["购物卡", "礼品", "宴请", "福利", "会员卡", "烟酒", "往来款"]),
        Param("purpose_exceptions", "不算作关键词的用语", "keywords",
              ["福利院", "福利会", "福利中心", "福利机构", "社会福利", "儿童福利", "老年福利", "残疾人福利", "福利彩票",
               "福利企业"],
              help="用途中出现这些用语（机构名称、政策用语）时，其中的关键词不算"),
        Param("payee_keywords", "收款人关键词", "keywords", ["个人", "职工", "某某"]),
        Param("person_names", "把姓名识别为个人", "choice", "yes", choices=(("yes", "是"), ("no", "否")),
              help="收款人为 2–4 个汉字、以常见姓氏开头、不含机构用语、也不是已知机构简称（如中国移动）时，视为个人"),
    ),
    evaluate=_suspicious, screen=_suspicious_screen))
