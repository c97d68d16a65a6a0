"""Plain names of the files and the bureaus, translated (module-level tables)."""

from __future__ import annotations

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "DataLinks"

KIND_NAMES: dict[str, str] = {
    "payments": QT_TRANSLATE_NOOP("DataLinks", "支付明细（市财政局）"),
    "indicators": QT_TRANSLATE_NOOP("DataLinks", "预算指标（市财政局）"),
    "plans": QT_TRANSLATE_NOOP("DataLinks", "用款计划（市财政局）"),
    "codes": QT_TRANSLATE_NOOP("DataLinks", "政府收支分类科目（财政部科目表）"),
    "code_map": QT_TRANSLATE_NOOP("DataLinks", "科目年度对照（财政部科目表）"),
    "tax": QT_TRANSLATE_NOOP("DataLinks", "税收收入（市税务局）"),
    "social": QT_TRANSLATE_NOOP("DataLinks", "社会保险基金收支（市人社局）"),
    "assets": QT_TRANSLATE_NOOP("DataLinks", "国有资产情况（市国资委）"),
    "audit": QT_TRANSLATE_NOOP("DataLinks", "审计查出问题及整改（市审计局）"),
}

BUREAU_NAMES: dict[str, str] = {
    "finance": QT_TRANSLATE_NOOP("DataLinks", "市财政局"),
    "tax": QT_TRANSLATE_NOOP("DataLinks", "市税务局"),
    "social": QT_TRANSLATE_NOOP("DataLinks", "市人力资源和社会保障局"),
    "assets": QT_TRANSLATE_NOOP("DataLinks", "市国资委"),
    "audit": QT_TRANSLATE_NOOP("DataLinks", "市审计局"),
}


def kind_name(kind: str) -> str:
    return QCoreApplication.translate(CONTEXT, KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def bureau_name(bureau: str) -> str:
    return QCoreApplication.translate(CONTEXT, BUREAU_NAMES[bureau]) if bureau in BUREAU_NAMES else bureau
