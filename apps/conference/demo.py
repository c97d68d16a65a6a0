"""A prepared demo meeting for screenshots and tests: members from the registry, seats, cards, agenda."""

from __future__ import annotations

from datetime import date

from apps.conference.services import DeputyEntry
from core.conference.meeting import AgendaItem, ItemKind, Member, PressRule, Reveal, VoteSettings
from core.conference.preparation import QUORUM_PRESETS, MeetingDraft

DEMO_AGENDA = (
    AgendaItem("item1", "关于召开市人民代表大会第三次会议的决定（草案）", ItemKind.BILL,
               VoteSettings(anonymous=False, press=PressRule.FIRST, majority="half_of_all_presidium")),
    AgendaItem("item2", "修正案：会议日期调整", ItemKind.AMENDMENT,
               VoteSettings(anonymous=True, press=PressRule.LAST, duration_s=60, majority="half_of_all_presidium"),
               amends="item3"),
    AgendaItem("item3", "大会议程（草案）", ItemKind.BILL,
               VoteSettings(anonymous=True, press=PressRule.LAST, duration_s=60, majority="half_of_all_presidium")),
    AgendaItem("item4", "副秘书长人选", ItemKind.APPOINTMENT,
               VoteSettings(anonymous=True, press=PressRule.FIRST, reveal=Reveal.DELAYED,
                            majority="half_of_all_presidium"),
               candidates=("王建国", "李明华", "张秀英")),
)


def demo_draft(deputies: list[DeputyEntry], seated: int = 24, day: date | None = None) -> MeetingDraft:
    """A presidium meeting of the first ``seated`` deputies: seats 1…, the first seat chairs, cards bound."""
    draft = MeetingDraft.new("主席团第三次会议", day or date(2026, 12, 8))
    draft.place = "市人大常委会机关第一会议室"
    draft.quorum = QUORUM_PRESETS["presidium"]
    chosen = deputies[:seated]
    draft.add_members([Member(d.deputy_id, d.name) for d in chosen], {d.deputy_id: d.deputy_id for d in chosen})
    draft.auto_fill(range(1, seated + 1))
    draft.set_chair(1, True)
    for n, d in enumerate(chosen[: seated - 4], start=1):
        draft.bind_card(d.deputy_id, f"04a1{n:04x}")
    for item in DEMO_AGENDA:
        draft.put_item(item)
    return draft


def fake_deputies(n: int = 40) -> list[DeputyEntry]:
    """Registry entries for tests without a synced registry."""
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = ("建国", "明华", "秀英", "志强", "丽娟", "海燕", "国庆", "晓东", "文静", "卫东")
    delegations = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区")
    return [DeputyEntry(f"dep-{i:03d}", surnames[i % len(surnames)] + given[i % len(given)],
                        delegations[i % len(delegations)] + "代表团", "") for i in range(n)]
