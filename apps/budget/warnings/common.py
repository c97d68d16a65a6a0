"""Names and colours the two warning pages share, translated through Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication
from core.budget.warnings.shared import wan_exact

LEVEL_COLOURS = {"red": ("#c62828", "#fde4e4"), "yellow": ("#a66a00", "#fff3cd"), "blue": ("#1565c0", "#e3effd")}
"""level → (strong colour for text and chips, pale background for table cells)."""

_LEVELS = {"red": QT_TRANSLATE_NOOP("WarningNames", "红色"), "yellow": QT_TRANSLATE_NOOP("WarningNames", "黄色"),
           "blue": QT_TRANSLATE_NOOP("WarningNames", "蓝色")}
_STATUSES = {"待处理": QT_TRANSLATE_NOOP("WarningNames", "待处理"), "已发函": QT_TRANSLATE_NOOP("WarningNames", "已发函"),
             "已答复": QT_TRANSLATE_NOOP("WarningNames", "已答复"), "已关闭": QT_TRANSLATE_NOOP("WarningNames", "已关闭")}
_ACTIONS = {"发函": QT_TRANSLATE_NOOP("WarningNames", "发函"), "答复": QT_TRANSLATE_NOOP("WarningNames", "答复"),
            "关闭": QT_TRANSLATE_NOOP("WarningNames", "关闭"), "重新打开": QT_TRANSLATE_NOOP("WarningNames", "重新打开"),
            "备注": QT_TRANSLATE_NOOP("WarningNames", "备注")}
_RULES = {
    "execution_below_progress": QT_TRANSLATE_NOOP("WarningNames", "预算执行低于序时进度"),
    "year_end_spike": QT_TRANSLATE_NOOP("WarningNames", "年末突击支出"),
    "payment_without_budget": QT_TRANSLATE_NOOP("WarningNames", "无预算支付"),
    "payment_above_budget": QT_TRANSLATE_NOOP("WarningNames", "超预算支付"),
    "large_single_payment": QT_TRANSLATE_NOOP("WarningNames", "大额异常支付"),
    "cash_withdrawal": QT_TRANSLATE_NOOP("WarningNames", "现金支付或提现"),
    "suspicious_payee_or_purpose": QT_TRANSLATE_NOOP("WarningNames", "可疑收款人或用途"),
    "idle_funds": QT_TRANSLATE_NOOP("WarningNames", "资金闲置"),
    "large_carry_over": QT_TRANSLATE_NOOP("WarningNames", "结转结余过大"),
    "three_public_growth": QT_TRANSLATE_NOOP("WarningNames", "三公经费增长"),
    "large_budget_adjustment": QT_TRANSLATE_NOOP("WarningNames", "预算调整幅度过大"),
    "reserve_fund_use": QT_TRANSLATE_NOOP("WarningNames", "动用预备费"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("WarningNames", text)


def level_name(level: str) -> str:
    return _tr(_LEVELS[level]) if level in _LEVELS else level


def status_name(status: str) -> str:
    return _tr(_STATUSES[status]) if status in _STATUSES else status


def action_name(action: str) -> str:
    return _tr(_ACTIONS[action]) if action in _ACTIONS else action


def rule_name(rule: str, fallback: str = "") -> str:
    return _tr(_RULES[rule]) if rule in _RULES else (fallback or rule)


RULE_TEXTS = (
    QT_TRANSLATE_NOOP("WarningNames", "截至所查月份的支出占可用预算（下达＋调整＋上年结转）的比例，低于序时进度超过阈值"),
    QT_TRANSLATE_NOOP("WarningNames", "低于序时进度（百分点）"),
    QT_TRANSLATE_NOOP("WarningNames", "最低可用预算（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "对象"),
    QT_TRANSLATE_NOOP("WarningNames", "按部门"),
    QT_TRANSLATE_NOOP("WarningNames", "按项目"),
    QT_TRANSLATE_NOOP("WarningNames", "按功能分类"),
    QT_TRANSLATE_NOOP("WarningNames", "执行率比序时进度低多少个百分点时预警"),
    QT_TRANSLATE_NOOP("WarningNames", "可用预算低于此数的不预警"),
    QT_TRANSLATE_NOOP("WarningNames", "12 月或四季度支出占全年支出的比例过高（只在查看 12 月时判断）"),
    QT_TRANSLATE_NOOP("WarningNames", "12 月支出占全年（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "四季度支出占全年（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "最低全年支出（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "支付没有预算指标，或指标号在本年度指标中不存在"),
    QT_TRANSLATE_NOOP("WarningNames", "最低金额（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "指标的累计支付超过可用额（下达＋调整＋上年结转）"),
    QT_TRANSLATE_NOOP("WarningNames", "允许超出（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "单笔支付达到同类支付参照金额的若干倍（参照金额：除金额最大的几组支付外，同类支付中的最大单笔）"),
    QT_TRANSLATE_NOOP("WarningNames", "超过参照金额的倍数"),
    QT_TRANSLATE_NOOP("WarningNames", "计算参照时剔除的最大支付组数"),
    QT_TRANSLATE_NOOP("WarningNames", "同类支付"),
    QT_TRANSLATE_NOOP("WarningNames", "同类支付至少笔数"),
    QT_TRANSLATE_NOOP("WarningNames", "同一经济分类"),
    QT_TRANSLATE_NOOP("WarningNames", "同一部门"),
    QT_TRANSLATE_NOOP("WarningNames", "同一功能分类"),
    QT_TRANSLATE_NOOP("WarningNames", "同一指标同一月份的支付为一组；剔除金额最大的几组，防止异常值抬高参照金额"),
    QT_TRANSLATE_NOOP("WarningNames", "以现金方式支付，或用途为提取现金"),
    QT_TRANSLATE_NOOP("WarningNames", "用途关键词"),
    QT_TRANSLATE_NOOP("WarningNames", "收款人为个人，或用途涉及购物卡、礼品、宴请等"),
    QT_TRANSLATE_NOOP("WarningNames", "收款人关键词"),
    QT_TRANSLATE_NOOP("WarningNames", "把短人名视为个人"),
    QT_TRANSLATE_NOOP("WarningNames", "是"),
    QT_TRANSLATE_NOOP("WarningNames", "否"),
    QT_TRANSLATE_NOOP("WarningNames", "指标下达已久，支付比例仍很低"),
    QT_TRANSLATE_NOOP("WarningNames", "下达后天数"),
    QT_TRANSLATE_NOOP("WarningNames", "支付不超过（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "最低可用额（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "上年结转占比大、本年执行慢，预计年末结转结余过大"),
    QT_TRANSLATE_NOOP("WarningNames", "上年结转占可用（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "预计年末结余占可用（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "最低结余金额（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "部门三公经费（因公出国（境）、公务接待、公务用车运行维护）比上年决算增长超过阈值"),
    QT_TRANSLATE_NOOP("WarningNames", "比上年增长超过（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "三公经费经济分类"),
    QT_TRANSLATE_NOOP("WarningNames", "上年决算至少（万元）"),
    QT_TRANSLATE_NOOP("WarningNames", "部门在预备费功能分类科目（227）上有支出"),
    QT_TRANSLATE_NOOP("WarningNames", "预备费功能分类"),
    QT_TRANSLATE_NOOP("WarningNames", "指标累计调增、调减的金额占年初下达金额的比例过大"),
    QT_TRANSLATE_NOOP("WarningNames", "调整占下达（%）"),
    QT_TRANSLATE_NOOP("WarningNames", "最低调整金额（万元）"),
)
"""Rule descriptions, threshold labels and choices as ``core.budget.warnings`` writes them, listed so the
translation tools collect them; :func:`rule_text` looks them up."""


def rule_text(text: str) -> str:
    """A rule's description, threshold label or choice, translated when the language is not Chinese."""
    return _tr(text) if text else text


TRAIL_KINDS = {"bgt_payment": "payment", "bgt_indicator": "indicator", "reg_department": "department",
               "bgt_project": "project"}
"""Trail table → the kind the window's query view opens."""

PAGE_STYLE = "QWidget { font-size: 12pt; } QLabel#page_title { font-size: 17pt; font-weight: bold; }"


TRAIL_TEXTS = (
    QT_TRANSLATE_NOOP("WarningNames", "%1 付 %2 %3"),
    QT_TRANSLATE_NOOP("WarningNames", "支付单号 %1"),
    QT_TRANSLATE_NOOP("WarningNames", "支付"),
    QT_TRANSLATE_NOOP("WarningNames", "部门"),
    QT_TRANSLATE_NOOP("WarningNames", "项目"),
)
"""Words of the readable subject and trail, listed for the translation tools."""

_PAYMENT_LABEL = re.compile(r"^(?P<no>\S+) (?P<day>\d{4}-\d{2}-\d{2}) (?P<payee>.*?) "
                            r"(?P<amount>-?[\d,]+(?:\.\d+)?) (?P<unit>万元|元)(?: (?P<purpose>.*))?$")


def _label_amount(m: re.Match[str]) -> str:
    """The amount of a payment label in 万元 (labels written before the rules spoke 万元 say 元)."""
    number = Decimal(m["amount"].replace(",", ""))
    fen = int(number * (1_000_000 if m["unit"] == "万元" else 100))
    return wan_exact(fen)


def readable_subject(w: Any) -> str:
    """A warning's subject as a clerk reads it: a payment as its date, payee and amount (not its number)."""
    subject = str(w.subject)
    if not subject.startswith("支付 "):
        return subject
    no = subject.removeprefix("支付 ").strip()
    for entry in w.trail or []:
        if entry.get("table") == "bgt_payment" and str(entry.get("key")) == no:
            m = _PAYMENT_LABEL.match(str(entry.get("label") or ""))
            if m:
                return (_tr("%1 付 %2 %3").replace("%1", m["day"]).replace("%2", m["payee"])
                        .replace("%3", _label_amount(m)))
    return subject


@dataclass(frozen=True)
class TrailLine:
    """One record behind a warning, in the words of the detail pane; ``reference`` (the payment or indicator
    number) goes to the tooltip, never alone into the pane."""

    table: str
    key: str
    day: str
    who: str
    amount: str
    what: str
    reference: str = ""


def trail_lines(conn: Connection, trail: list[dict[str, Any]]) -> list[TrailLine]:
    """The trail of a warning as readable lines: payments as date, payee, amount (万元, to the fen) and purpose;
    departments and projects by name; indicators and notes by their label."""
    from core.budget.models import Payment, Project
    from core.models.registry import Department

    keys: dict[str, set[str]] = {}
    for entry in trail:
        keys.setdefault(str(entry.get("table", "")), set()).add(str(entry.get("key", "")))
    payment_keys, department_keys, project_keys = (keys.get(t, set()) for t in ("bgt_payment", "reg_department",
                                                                                 "bgt_project"))
    payments = {r.payment_no: r for r in conn.execute(
        select(Payment.payment_no, Payment.paid_on, Payment.payee, Payment.amount_fen, Payment.purpose)
        .where(Payment.payment_no.in_(payment_keys)))} if payment_keys else {}
    departments = {c: n for c, n in conn.execute(select(Department.code, Department.name).where(
        Department.code.in_(department_keys)))} if department_keys else {}
    projects = {c: n for c, n in conn.execute(select(Project.code, Project.name).where(
        Project.code.in_(project_keys)))} if project_keys else {}
    out: list[TrailLine] = []
    for entry in trail:
        table, key, label = str(entry.get("table", "")), str(entry.get("key", "")), str(entry.get("label") or "")
        if table == "bgt_payment":
            p = payments.get(key)
            m = _PAYMENT_LABEL.match(label)
            reference = _tr("支付单号 %1").replace("%1", key)
            if p is not None:
                out.append(TrailLine(table, key, str(p.paid_on)[:10], p.payee,
                                     wan_exact(int(p.amount_fen)).removesuffix(" 万元"), p.purpose, reference))
            elif m:
                out.append(TrailLine(table, key, m["day"], m["payee"], _label_amount(m).removesuffix(" 万元"),
                                     m["purpose"] or "", reference))
            else:
                out.append(TrailLine(table, key, "", _tr("支付"), "", label.removeprefix(key).strip(), reference))
        elif table == "reg_department":
            out.append(TrailLine(table, key, "", departments.get(key) or label or key, "", _tr("部门")))
        elif table == "bgt_project":
            out.append(TrailLine(table, key, "", projects.get(key) or label or key, "", _tr("项目")))
        else:
            out.append(TrailLine(table, key, "", "", "", label or key))
    return out
