"""Builders for conference tests."""

from __future__ import annotations

from dataclasses import replace

from core.conference import events as ev
from core.conference.meeting import (
    QUORUM_STANDING_COMMITTEE,
    AgendaItem,
    ItemKind,
    MeetingSetup,
    Member,
    QuorumRule,
    SpeakingSettings,
    VoteSettings,
)
from core.conference.state import ConferenceState

ANY_BODY_QUORUM = replace(QUORUM_STANDING_COMMITTEE, body="", citation="")
BYLAW_CITATION = "《某某章程》第二十条：章程的修改由全体成员的三分之二以上通过"


def agenda(settings: VoteSettings | None = None) -> tuple[AgendaItem, ...]:
    """A bill, an amendment with its whole, a constitutional item and an appointment."""
    s = settings or VoteSettings()
    return (
        AgendaItem("b1", "关于某某条例的决定", ItemKind.BILL, s),
        AgendaItem("a1", "修正案一", ItemKind.AMENDMENT, s, amends="b2"),
        AgendaItem("a2", "修正案二", ItemKind.AMENDMENT, s, amends="b2"),
        AgendaItem("b2", "某某条例（草案）全案", ItemKind.BILL, s),
        AgendaItem("c1", "章程修改", ItemKind.BILL, VoteSettings(s.anonymous, s.press, s.duration_s, s.reveal, "two_thirds_of_all")),
        AgendaItem("p1", "任命名单", ItemKind.APPOINTMENT, s, candidates=("张三", "李四", "王五")),
    )


def make_setup(
    n: int = 30,
    *,
    settings: VoteSettings | None = None,
    quorum: QuorumRule = ANY_BODY_QUORUM,
    speaking: SpeakingSettings | None = None,
) -> MeetingSetup:
    """``n`` members on seats 1..n, cards ``card-<seat>``, seat 1 is the chair.  The default quorum is a
    rule set by hand (no body), so every majority preset may be used."""
    members = tuple(Member(f"m{i:03d}", f"委员{i}") for i in range(1, n + 1))
    return MeetingSetup(
        meeting_id="pm-2026-11",
        title="主席团第一次会议",
        members=members,
        seats={i: f"m{i:03d}" for i in range(1, n + 1)},
        cards={f"card-{i}": f"m{i:03d}" for i in range(1, n + 1)},
        agenda=agenda(settings),
        quorum=quorum,
        speaking=speaking or SpeakingSettings(),
        chair_seats=frozenset({1}),
        citations={"two_thirds_of_all": BYLAW_CITATION},
    )


def opened(setup: MeetingSetup, present: int) -> ConferenceState:
    """A state with seats 1..present signed in and the meeting open."""
    state = ConferenceState(setup)
    for seat in range(1, present + 1):
        assert state.apply(ev.SeatKeyPressed(seat, 1.0)).ok
    assert state.apply(ev.OpenMeeting(2.0)).ok
    return state


def vote(state: ConferenceState, item: str, choices: dict[int, str], t: float = 10.0) -> dict:
    """Open a vote on ``item``, cast ``choices`` (seat → choice), close it, return the result."""
    assert state.apply(ev.OpenVote(t, item)).ok
    for seat, choice in choices.items():
        state.apply(ev.VoteCast(seat, t + 1, choice))
    assert state.apply(ev.CloseVote(t + 2)).ok
    return state.voting.records[-1].to_dict()
