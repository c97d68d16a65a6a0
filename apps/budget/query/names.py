"""Translated names of the query's levels, paths and measures (the core keeps them in Chinese)."""

from __future__ import annotations

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "BudgetQueryNames"

_LEVELS = {
    "book": QT_TRANSLATE_NOOP("BudgetQueryNames", "预算账本"),
    "func_class": QT_TRANSLATE_NOOP("BudgetQueryNames", "功能分类（类）"),
    "func_item": QT_TRANSLATE_NOOP("BudgetQueryNames", "功能分类（款）"),
    "func_sub": QT_TRANSLATE_NOOP("BudgetQueryNames", "功能分类（项）"),
    "department": QT_TRANSLATE_NOOP("BudgetQueryNames", "部门"),
    "unit": QT_TRANSLATE_NOOP("BudgetQueryNames", "单位"),
    "project": QT_TRANSLATE_NOOP("BudgetQueryNames", "项目"),
    "indicator": QT_TRANSLATE_NOOP("BudgetQueryNames", "指标"),
    "application": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付申请"),
    "econ_class": QT_TRANSLATE_NOOP("BudgetQueryNames", "经济分类（类）"),
    "economic": QT_TRANSLATE_NOOP("BudgetQueryNames", "经济分类（款）"),
    "month": QT_TRANSLATE_NOOP("BudgetQueryNames", "月份"),
    "method": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付方式"),
}
_PATHS = {
    "functional": QT_TRANSLATE_NOOP("BudgetQueryNames", "按功能分类"),
    "department": QT_TRANSLATE_NOOP("BudgetQueryNames", "按部门"),
    "economic": QT_TRANSLATE_NOOP("BudgetQueryNames", "按经济分类"),
    "month": QT_TRANSLATE_NOOP("BudgetQueryNames", "按月份"),
}
_MEASURES = {
    "budget": QT_TRANSLATE_NOOP("BudgetQueryNames", "年初预算"),
    "adjusted": QT_TRANSLATE_NOOP("BudgetQueryNames", "调整后预算"),
    "indicator": QT_TRANSLATE_NOOP("BudgetQueryNames", "指标金额"),
    "planned": QT_TRANSLATE_NOOP("BudgetQueryNames", "用款计划"),
    "paid": QT_TRANSLATE_NOOP("BudgetQueryNames", "已支付"),
    "rate": QT_TRANSLATE_NOOP("BudgetQueryNames", "执行率"),
    "count": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付笔数"),
}
_PAYMENT_COLUMNS = {
    "paid_on": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付日期"),
    "payment_no": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付编号"),
    "payee": QT_TRANSLATE_NOOP("BudgetQueryNames", "收款人"),
    "amount_fen": QT_TRANSLATE_NOOP("BudgetQueryNames", "金额（元）"),
    "method": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付方式"),
    "purpose": QT_TRANSLATE_NOOP("BudgetQueryNames", "用途"),
    "department_code": QT_TRANSLATE_NOOP("BudgetQueryNames", "部门编码"),
    "unit_code": QT_TRANSLATE_NOOP("BudgetQueryNames", "单位编码"),
    "project_code": QT_TRANSLATE_NOOP("BudgetQueryNames", "项目编码"),
    "indicator_no": QT_TRANSLATE_NOOP("BudgetQueryNames", "指标编号"),
    "application_no": QT_TRANSLATE_NOOP("BudgetQueryNames", "支付申请号"),
    "functional_code": QT_TRANSLATE_NOOP("BudgetQueryNames", "功能科目"),
    "economic_code": QT_TRANSLATE_NOOP("BudgetQueryNames", "经济科目"),
}


def _tr(table: dict[str, str], key: str) -> str:
    return QCoreApplication.translate(CONTEXT, table[key]) if key in table else key


def level_name(key: str) -> str:
    return _tr(_LEVELS, key)


def path_name(key: str) -> str:
    return _tr(_PATHS, key)


def measure_name(key: str) -> str:
    return _tr(_MEASURES, key)


def payment_column_name(key: str) -> str:
    return _tr(_PAYMENT_COLUMNS, key)
