"""The demo meeting the kiosk opens when no meeting has been prepared: 30 members, a short agenda."""

from __future__ import annotations

from core.conference.meeting import (
    QUORUM_STANDING_COMMITTEE,
    AgendaItem,
    ItemKind,
    MeetingSetup,
    Member,
    Reveal,
    VoteSettings,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "建国秀英志强丽华文军海燕明辉红梅伟民桂兰春生晓东玉兰德明"


def demo_setup(members: int = 30) -> MeetingSetup:
    """A standing-committee meeting with ``members`` members on seats 1.. (seat 1 chairs)."""
    people = tuple(
        Member(f"m{i:03d}", SURNAMES[(i - 1) % len(SURNAMES)] + GIVEN[(i * 2) % len(GIVEN): (i * 2) % len(GIVEN) + 2])
        for i in range(1, members + 1)
    )
    return MeetingSetup(
        meeting_id="demo-2026-11",
        title="上海市人大常委会会议（演示）",
        members=people,
        seats={i: f"m{i:03d}" for i in range(1, members + 1)},
        cards={f"card-{i}": f"m{i:03d}" for i in range(1, members + 1)},
        agenda=(
            AgendaItem("b1", "关于《上海市某某条例（草案）》的决定", ItemKind.BILL,
                       VoteSettings(anonymous=True, duration_s=60, majority="half_of_all_standing")),
            AgendaItem("b2", "关于批准 2026 年市级预算调整方案的决议", ItemKind.BILL,
                       VoteSettings(anonymous=False, majority="half_of_all_standing", reveal=Reveal.DELAYED)),
            AgendaItem("p1", "任命名单", ItemKind.APPOINTMENT,
                       VoteSettings(anonymous=True, majority="half_of_all_standing"), candidates=("张明", "李华")),
        ),
        quorum=QUORUM_STANDING_COMMITTEE,
        chair_seats=frozenset({1}),
    )
