"""Translated labels of the conference's rule values (kinds, press rules, quorum and majority presets)."""

from __future__ import annotations

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ConferenceLabels"

KIND_LABELS: dict[str, str] = {
    "bill": QT_TRANSLATE_NOOP("ConferenceLabels", "议案"),
    "amendment": QT_TRANSLATE_NOOP("ConferenceLabels", "修正案"),
    "appointment": QT_TRANSLATE_NOOP("ConferenceLabels", "任免事项（逐人表决）"),
    "procedural": QT_TRANSLATE_NOOP("ConferenceLabels", "程序性事项"),
}
PRESS_LABELS: dict[str, str] = {
    "first": QT_TRANSLATE_NOOP("ConferenceLabels", "首次按键有效"),
    "last": QT_TRANSLATE_NOOP("ConferenceLabels", "最后一次按键有效"),
}
REVEAL_LABELS: dict[str, str] = {
    "immediate": QT_TRANSLATE_NOOP("ConferenceLabels", "表决结束立即公布"),
    "delayed": QT_TRANSLATE_NOOP("ConferenceLabels", "主持人宣布后公布"),
}
BALLOT_LABELS: dict[bool, str] = {
    True: QT_TRANSLATE_NOOP("ConferenceLabels", "无记名表决"),
    False: QT_TRANSLATE_NOOP("ConferenceLabels", "记名表决"),
}
QUORUM_LABELS: dict[str, str] = {
    "standing": QT_TRANSLATE_NOOP("ConferenceLabels", "常委会会议：全体组成人员过半数出席"),
    "presidium": QT_TRANSLATE_NOOP("ConferenceLabels", "主席团会议：三分之二以上的主席团成员出席"),
    "session": QT_TRANSLATE_NOOP("ConferenceLabels", "代表大会会议：三分之二以上的代表出席"),
    "council": QT_TRANSLATE_NOOP("ConferenceLabels", "主任会议：全体组成人员过半数出席"),
}
MAJORITY_LABELS: dict[str, str] = {
    "half_of_all": QT_TRANSLATE_NOOP("ConferenceLabels", "全体代表的过半数"),
    "half_of_all_standing": QT_TRANSLATE_NOOP("ConferenceLabels", "常务委员会全体组成人员的过半数"),
    "half_of_all_presidium": QT_TRANSLATE_NOOP("ConferenceLabels", "主席团全体成员的过半数"),
    "election_half_of_all": QT_TRANSLATE_NOOP("ConferenceLabels", "获得全体代表过半数的选票"),
    "half_of_present": QT_TRANSLATE_NOOP("ConferenceLabels", "出席会议的代表过半数"),
    "half_of_present_standing": QT_TRANSLATE_NOOP("ConferenceLabels", "出席会议的常务委员会组成人员过半数"),
    "half_of_all_council": QT_TRANSLATE_NOOP("ConferenceLabels", "主任会议全体组成人员的过半数"),
    "two_thirds_of_all": QT_TRANSLATE_NOOP("ConferenceLabels", "全体成员的三分之二以上（按会议章程或办法）"),
}
STATUS_LABELS: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("ConferenceLabels", "准备中"),
    "ready": QT_TRANSLATE_NOOP("ConferenceLabels", "已发送到会场"),
    "open": QT_TRANSLATE_NOOP("ConferenceLabels", "正在举行"),
    "closed": QT_TRANSLATE_NOOP("ConferenceLabels", "已闭会"),
}


def tr_label(table: dict[str, str] | dict[bool, str], key: object) -> str:
    """The translated label of ``key`` in one of the tables above (the key itself when unknown)."""
    source = table.get(key)  # type: ignore[call-overload]
    return str(key) if source is None else QCoreApplication.translate(CONTEXT, source)
