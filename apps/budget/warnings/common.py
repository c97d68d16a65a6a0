"""Names and colours the two warning pages share, translated through Qt."""

from __future__ import annotations

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication

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


TRAIL_KINDS = {"bgt_payment": "payment", "bgt_indicator": "indicator", "reg_department": "department",
               "bgt_project": "project"}
"""Trail table → the kind the window's query view opens."""

PAGE_STYLE = "QWidget { font-size: 12pt; } QLabel#page_title { font-size: 17pt; font-weight: bold; }"
