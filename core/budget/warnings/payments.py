"""Rules on single payments: far above comparable payments, cash, a person or a suspicious purpose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from core.budget.warnings.registry import Finding, Param, RuleContext, RuleSpec, register
from core.budget.warnings.settings import amount_fen
from core.budget.warnings.shared import PAYMENT_COLUMNS, payment_label, yuan

GROUPS = (("economic", "同一经济分类"), ("department", "同一部门"), ("functional", "同一功能分类"))
_GROUP_COLUMN = {"economic": "economic_code", "department": "department_code", "functional": "functional_code"}
MIN_REFERENCE_RANK = 4
"""The reference amount is never one of a group's three largest payments, so a few planted or real outliers
cannot make themselves look normal."""

ORGANISATION_WORDS = ("公司", "单位", "局", "院", "所", "中心", "会", "厂", "行", "部", "委", "办", "站", "校",
                      "馆", "社", "队", "处", "室", "店", "园", "集团", "政府", "财政", "银行", "医")


def _payment_finding(row: Any, reason: str, measure: float, threshold: float) -> Finding:
    no, paid_on, payee, amount, purpose, dept, project, indicator = row
    return Finding(subject_key=f"payment:{no}", subject=f"支付 {no}", reason=reason, measure=round(measure, 2),
                   threshold=threshold, amount_fen=int(amount), department_code=dept or "",
                   project_code=project or "", indicator_no=indicator or "",
                   trail=[{"table": "bgt_payment", "key": no,
                           "label": payment_label(no, paid_on, payee, int(amount), purpose)}])


def _large_single_payment(ctx: RuleContext) -> list[Finding]:
    """A payment at least ``ratio`` times its group's reference amount, the group's high percentile (by rank
    from the top, computed with window functions in one pass), and at least the minimum amount."""
    col = _GROUP_COLUMN[str(ctx.params["group_by"])]
    ratio = float(ctx.params["ratio"])
    quantile = float(ctx.params["quantile"])
    minimum = amount_fen(ctx.params["min_amount"])
    min_group = int(float(ctx.params["min_group"]))
    args = {"y": ctx.year, "m": ctx.as_of_month, "f": False, "q": (100 - quantile) / 100,
            "r": MIN_REFERENCE_RANK, "g": min_group}
    refs = ctx.conn.execute(text(
        "SELECT g, amount_fen, n FROM ("
        f"  SELECT {col} AS g, amount_fen, "
        f"    ROW_NUMBER() OVER (PARTITION BY {col} ORDER BY amount_fen DESC) AS rn, "
        f"    COUNT(*) OVER (PARTITION BY {col}) AS n "
        "  FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f) t "
        "WHERE n >= :g AND rn = (CASE WHEN CAST(n * :q AS INTEGER) + 1 > :r "
        "                        THEN CAST(n * :q AS INTEGER) + 1 ELSE :r END)"), args).all()
    out: list[Finding] = []
    for group, reference, count in refs:
        reference = int(reference)
        floor = max(int(reference * ratio), minimum, 1)
        rows = ctx.conn.execute(text(
            f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f "
            f"AND {col} = :c AND amount_fen >= :floor ORDER BY payment_no"),
            {**args, "c": group, "floor": floor}).all()
        for row in rows:
            amount = int(row[3])
            times = amount / reference if reference > 0 else 0.0
            reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 向 {row[2]} 单笔支付 {yuan(amount)}"
                      f"（{row[4]}），是{dict(GROUPS)[str(ctx.params['group_by'])]}（{group}）{count:,} 笔支付中"
                      f"第 {quantile:g} 百分位金额 {yuan(reference)} 的 {times:.1f} 倍（阈值 {ratio:g} 倍）")
            out.append(_payment_finding(row, reason, times, ratio))
    return out


def _like_any(column: str, words: list[str], prefix: str) -> tuple[str, dict[str, str]]:
    parts = [f"{column} LIKE :{prefix}{i}" for i in range(len(words))]
    return "(" + " OR ".join(parts) + ")", {f"{prefix}{i}": f"%{w}%" for i, w in enumerate(words)}


def _cash_withdrawal(ctx: RuleContext) -> list[Finding]:
    """Payments made in cash, or whose purpose says cash was drawn."""
    words = list(ctx.params["keywords"])
    cond, binds = _like_any("purpose", words, "k")
    minimum = amount_fen(ctx.params["min_amount"])
    rows = ctx.conn.execute(text(
        f"SELECT {PAYMENT_COLUMNS}, method FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f "
        f"AND amount_fen >= :min AND (method = '现金' OR {cond}) ORDER BY payment_no"),
        {"y": ctx.year, "m": ctx.as_of_month, "f": False, "min": minimum, **binds}).all()
    out = []
    for row in rows:
        reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 以{row[8]}方式支付 {yuan(int(row[3]))}"
                  f"（收款人 {row[2]}，用途 {row[4]}）；财政资金原则上通过国库集中支付或公务卡结算，应严格控制现金")
        out.append(_payment_finding(row[:8], reason, int(row[3]) / 100, minimum / 100))
    return out


def _suspicious(ctx: RuleContext) -> list[Finding]:
    """Payments to a person (payee words, or a short name with no organisation word) or for a purpose on the
    keyword list (购物卡、礼品、宴请 …)."""
    purpose_words = list(ctx.params["purpose_keywords"])
    payee_words = list(ctx.params["payee_keywords"])
    purpose_cond, b1 = _like_any("purpose", purpose_words, "p")
    payee_cond, b2 = _like_any("payee", payee_words, "q")
    person = "0 = 1"
    b3: dict[str, str] = {}
    if ctx.params["person_names"] == "yes":
        org_cond, b3 = _like_any("payee", list(ORGANISATION_WORDS), "o")
        person = f"(LENGTH(payee) BETWEEN 2 AND 4 AND NOT {org_cond})"
    rows = ctx.conn.execute(text(
        f"SELECT {PAYMENT_COLUMNS} FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f "
        f"AND ({purpose_cond} OR {payee_cond} OR {person}) ORDER BY payment_no"),
        {"y": ctx.year, "m": ctx.as_of_month, "f": False, **b1, **b2, **b3}).all()
    out = []
    for row in rows:
        purpose, payee = str(row[4] or ""), str(row[2] or "")
        hits = [w for w in purpose_words if w in purpose]
        why = []
        if hits:
            why.append(f"用途含“{'、'.join(hits)}”")
        if any(w in payee for w in payee_words) or (ctx.params["person_names"] == "yes" and 2 <= len(payee) <= 4
                                                      and not any(w in payee for w in ORGANISATION_WORDS)):
            why.append("收款人为个人")
        reason = (f"{ctx.department_name(row[5])} 于 {str(row[1])[:10]} 向 {payee} 支付 {yuan(int(row[3]))}"
                  f"（{purpose}），{'；'.join(why)}，需核实是否违反中央八项规定精神")
        out.append(_payment_finding(row, reason, int(row[3]) / 100, 0))
    return out


register(RuleSpec(
    rule="large_single_payment", name="大额异常支付", level="yellow", family="支付明细",
    basis="财政国库集中支付动态监控的通行做法：单笔金额远超同类支付的，须核实合同和审批依据",
    description="单笔支付达到同类支付（同一经济分类或部门）高百分位金额的若干倍",
    params=(
        Param("ratio", "超过参照金额的倍数", "number", 3, 1.5, 1000),
        Param("quantile", "参照百分位（%）", "percent", 99, 50, 99.9),
        Param("group_by", "同类支付", "choice", "economic", choices=GROUPS),
        Param("min_amount", "最低金额（万元）", "amount", "50", 0, 10**9),
        Param("min_group", "同类支付至少笔数", "number", 20, 5, 10**7),
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
    evaluate=_cash_withdrawal))

register(RuleSpec(
    rule="suspicious_payee_or_purpose", name="可疑收款人或用途", level="yellow", family="支付明细",
    basis="中央八项规定及其实施细则；《党政机关厉行节约反对浪费条例》：严禁用公款购买发放购物卡、礼品，严禁公款宴请",
    description="收款人为个人，或用途涉及购物卡、礼品、宴请等",
    params=(
        Param("purpose_keywords", "用途关键词", "keywords",
              ["购物卡", "礼品", "宴请", "福利", "会员卡", "烟酒", "往来款"]),
        Param("payee_keywords", "收款人关键词", "keywords", ["个人", "职工", "某某"]),
        Param("person_names", "把短人名视为个人", "choice", "yes", choices=(("yes", "是"), ("no", "否"))),
    ),
    evaluate=_suspicious))
