"""Voting rules: press rules, durations, reveal, ordering, person by person, show of hands."""

from __future__ import annotations

import json

import pytest

from core.conference import events as ev
from core.conference.meeting import PressRule, Reveal, VoteSettings
from core.conference.state import ConferenceState
from tests.conference.factory import make_setup, opened, vote


def _state(settings: VoteSettings, n: int = 10) -> ConferenceState:
    return opened(make_setup(n, settings=settings), present=n)


@pytest.mark.parametrize("anonymous", [True, False])
def test_first_press_valid(anonymous: bool) -> None:
    state = _state(VoteSettings(anonymous=anonymous, press=PressRule.FIRST))
    state.apply(ev.OpenVote(3.0, "b1"))
    assert state.apply(ev.VoteCast(2, 4.0, "yes")).ok
    outcome = state.apply(ev.VoteCast(2, 5.0, "no"))
    assert not outcome.ok and "首次按键有效" in outcome.message
    state.apply(ev.CloseVote(6.0))
    q = state.voting.records[-1].questions[0]
    assert (q.yes, q.no) == (1, 0)


@pytest.mark.parametrize("anonymous", [True, False])
def test_last_press_valid(anonymous: bool) -> None:
    state = _state(VoteSettings(anonymous=anonymous, press=PressRule.LAST))
    state.apply(ev.OpenVote(3.0, "b1"))
    for t, choice in enumerate(("yes", "no", "abstain", "no")):
        assert state.apply(ev.VoteCast(2, 4.0 + t, choice)).ok
    state.apply(ev.VoteCast(3, 9.0, "yes"))
    state.apply(ev.CloseVote(10.0))
    q = state.voting.records[-1].questions[0]
    assert (q.yes, q.no, q.abstain, q.not_voted) == (1, 1, 0, 8)
    assert (q.named is None) is anonymous
    if not anonymous:
        assert q.named == {2: "no", 3: "yes"}


def test_invalid_keys_and_no_vote_open() -> None:
    state = _state(VoteSettings())
    assert not state.apply(ev.VoteCast(2, 3.0, "yes")).ok
    state.apply(ev.OpenVote(3.0, "b1"))
    assert not state.apply(ev.VoteCast(2, 4.0, "maybe")).ok
    assert not state.apply(ev.VoteCast(2, 4.0, "yes", question=3)).ok
    assert not state.apply(ev.OpenVote(4.0, "b2")).ok  # one vote at a time
    assert not state.apply(ev.OpenVote(4.0, "nope")).ok


def test_vote_needs_an_open_meeting() -> None:
    state = ConferenceState(make_setup(5))
    for seat in range(1, 6):
        state.apply(ev.SeatKeyPressed(seat, 1.0))
    assert not state.apply(ev.OpenVote(2.0, "b1")).ok


def test_fixed_duration_counts_down_and_closes_on_tick() -> None:
    state = _state(VoteSettings(duration_s=30))
    state.apply(ev.OpenVote(100.0, "b1"))
    state.apply(ev.VoteCast(2, 105.0, "yes"))
    state.apply(ev.Tick(110.0))
    current = state.snapshot()["voting"]["current"]
    assert current["remaining_s"] == 20 and current["elapsed_s"] == 10
    state.apply(ev.Tick(129.9))
    assert state.voting.current is not None
    state.apply(ev.Tick(130.0))
    assert state.voting.current is None
    assert state.voting.records[-1].closed_at == 130.0


def test_chair_ended_vote_runs_until_closed() -> None:
    state = _state(VoteSettings(duration_s=None))
    state.apply(ev.OpenVote(100.0, "b1"))
    state.apply(ev.Tick(10_000.0))
    current = state.snapshot()["voting"]["current"]
    assert current["remaining_s"] is None and current["elapsed_s"] == 9900
    assert state.apply(ev.CloseVote(10_001.0)).ok
    assert not state.apply(ev.CloseVote(10_002.0)).ok


def test_delayed_reveal_hides_the_result_until_released() -> None:
    state = _state(VoteSettings(reveal=Reveal.DELAYED))
    vote(state, "b1", {s: "yes" for s in range(1, 8)})
    shown = state.snapshot()["voting"]["results"][0]
    assert shown == {"number": 1, "item_id": "b1", "title": "关于某某条例的决定", "revealed": False}
    assert not state.apply(ev.RevealResult(20.0, "b2")).ok
    assert state.apply(ev.RevealResult(20.0, "b1")).ok
    shown = state.snapshot()["voting"]["results"][0]
    assert shown["revealed"] and shown["questions"][0]["yes"] == 7 and shown["passed"]


def test_amendments_are_voted_before_the_whole() -> None:
    state = _state(VoteSettings())
    outcome = state.apply(ev.OpenVote(3.0, "b2"))
    assert not outcome.ok and "须先表决修正案：修正案一、修正案二" in outcome.message
    vote(state, "a1", {s: "yes" for s in range(1, 8)}, t=10)
    assert "修正案二" in state.apply(ev.OpenVote(20.0, "b2")).message
    vote(state, "a2", {s: "no" for s in range(1, 8)}, t=30)
    vote(state, "b2", {s: "yes" for s in range(1, 8)}, t=40)
    assert [r.item_id for r in state.voting.records] == ["a1", "a2", "b2"]
    assert not state.apply(ev.OpenVote(50.0, "b2")).ok  # already decided


def test_show_of_hands_also_follows_the_amendment_order() -> None:
    state = _state(VoteSettings())
    assert not state.apply(ev.EnterShowOfHands(2.0, "b2", ((8, 0, 0),))).ok
    assert state.apply(ev.EnterShowOfHands(3.0, "a1", ((8, 0, 0),))).ok
    assert state.apply(ev.EnterShowOfHands(4.0, "a2", ((8, 0, 0),))).ok
    assert state.apply(ev.EnterShowOfHands(5.0, "b2", ((8, 0, 0),))).ok
    assert state.voting.decided("b2")


def test_person_by_person_appointment() -> None:
    state = _state(VoteSettings(anonymous=False), n=10)
    state.apply(ev.OpenVote(3.0, "p1"))
    for seat in range(1, 11):
        state.apply(ev.VoteCast(seat, 4.0, "yes", question=0))
        state.apply(ev.VoteCast(seat, 4.0, "yes" if seat <= 5 else "no", question=1))
        if seat <= 3:
            state.apply(ev.VoteCast(seat, 4.0, "abstain", question=2))
    state.apply(ev.CloseVote(5.0))
    record = state.voting.records[-1].to_dict()
    assert [q["label"] for q in record["questions"]] == ["张三", "李四", "王五"]
    assert [q["passed"] for q in record["questions"]] == [True, False, False]
    assert [(q["yes"], q["no"], q["abstain"], q["not_voted"]) for q in record["questions"]] == [
        (10, 0, 0, 0),
        (5, 5, 0, 0),
        (0, 0, 3, 7),
    ]
    assert record["passed"] is None  # one verdict per candidate


def test_show_of_hands_fallback_is_marked() -> None:
    state = _state(VoteSettings(), n=30)
    state.apply(ev.OpenVote(3.0, "b1"))
    state.apply(ev.VoteCast(2, 4.0, "yes"))
    state.apply(ev.SeatFault(5, 5.0, "总线故障"))
    assert not state.apply(ev.EnterShowOfHands(6.0, "b1", ((31, 0, 0),))).ok
    assert not state.apply(ev.EnterShowOfHands(6.0, "b1", ((-1, 0, 0),))).ok
    assert not state.apply(ev.EnterShowOfHands(6.0, "b1", ((1, 0, 0), (1, 0, 0)))).ok
    assert state.apply(ev.EnterShowOfHands(6.0, "b1", ((18, 7, 3),))).ok
    assert state.voting.current is None
    record = state.voting.records[-1].to_dict()
    assert record["show_of_hands"] and "举手表决" in record["method"]
    assert record["questions"][0] == {
        "label": "关于某某条例的决定",
        "yes": 18,
        "no": 7,
        "abstain": 3,
        "not_voted": 2,
        "required": 16,
        "passed": True,
        "verdict": "通过",
    }
    assert record["revealed"]


def test_cancelled_vote_can_be_run_again() -> None:
    state = _state(VoteSettings())
    state.apply(ev.OpenVote(3.0, "b1"))
    state.apply(ev.VoteCast(2, 4.0, "yes"))
    assert state.apply(ev.CancelVote(5.0)).ok
    assert state.voting.records == []
    assert state.apply(ev.OpenVote(6.0, "b1")).ok
    assert state.voting.current is not None and state.voting.current.number == 2


def test_open_vote_settings_override_and_snapshot_is_json() -> None:
    state = _state(VoteSettings(anonymous=True))
    state.apply(ev.OpenVote(3.0, "b1", VoteSettings(anonymous=False, duration_s=60)))
    state.apply(ev.VoteCast(2, 4.0, "no"))
    current = state.snapshot()["voting"]["current"]
    assert current["questions"][0]["named"] == {"2": "no"}
    json.dumps(state.snapshot())


def test_open_anonymous_vote_snapshot_shows_who_voted_not_counts() -> None:
    state = _state(VoteSettings(anonymous=True, press=PressRule.LAST))
    state.apply(ev.OpenVote(3.0, "b1"))
    state.apply(ev.VoteCast(2, 4.0, "no"))
    question = state.snapshot()["voting"]["current"]["questions"][0]
    assert question == {"label": "关于某某条例的决定", "voted": [2], "voted_count": 1}
    assert state.snapshot()["seats"][1]["voted"]


def test_named_delayed_vote_shows_no_live_counts() -> None:
    state = _state(VoteSettings(anonymous=False, reveal=Reveal.DELAYED))
    state.apply(ev.OpenVote(3.0, "b1"))
    state.apply(ev.VoteCast(2, 4.0, "no"))
    question = state.snapshot()["voting"]["current"]["questions"][0]
    assert "counts" not in question and "named" not in question and question["voted"] == [2]


def test_seat_dropping_out_mid_vote() -> None:
    """A vote already cast stays counted; a silent seat that comes back can still vote."""
    state = _state(VoteSettings(anonymous=True, press=PressRule.LAST))
    state.apply(ev.OpenVote(3.0, "b1"))
    state.apply(ev.VoteCast(2, 4.0, "yes"))
    state.apply(ev.SeatSilent(2, 5.0))
    state.apply(ev.SeatSilent(3, 5.0))
    assert state.snapshot()["seats"][2]["health"] == "silent"
    state.apply(ev.SeatBack(3, 8.0))
    assert state.apply(ev.VoteCast(3, 9.0, "no")).ok
    state.apply(ev.CloseVote(10.0))
    q = state.voting.records[-1].questions[0]
    assert (q.yes, q.no, q.not_voted) == (1, 1, 8)


def test_person_by_person_questions_put_one_by_one_refuse_late_presses() -> None:
    state = _state(VoteSettings(anonymous=False, press=PressRule.LAST))
    assert state.apply(ev.OpenVote(3.0, "p1")).ok
    assert state.voting.snapshot(3.0)["current"]["put"] == 0
    assert state.apply(ev.VoteCast(2, 4.0, "yes", 0)).ok
    assert state.apply(ev.PutQuestion(5.0, 1)).ok
    late = state.apply(ev.VoteCast(3, 5.1, "no", 0))  # meant for 张三, arrives after 李四 was put
    assert not late.ok and "张三" in late.message and "已截止" in late.message
    again = state.apply(ev.PutQuestion(5.2, 0))
    assert not again.ok and "已截止" in again.message
    assert not state.apply(ev.PutQuestion(5.3, 1)).ok  # already put
    assert not state.apply(ev.PutQuestion(5.4, 7)).ok
    assert state.apply(ev.VoteCast(3, 6.0, "no", 1)).ok
    assert state.voting.snapshot(6.0)["current"]["closed_questions"] == [0]
    assert state.apply(ev.CloseVote(7.0)).ok
    first, second, _ = state.voting.records[-1].questions
    assert (first.yes, first.no, second.yes, second.no) == (1, 0, 0, 1)
    assert not state.apply(ev.PutQuestion(8.0, 2)).ok  # no vote open
    assert ev.from_dict(ev.to_dict(ev.PutQuestion(5.0, 1))) == ev.PutQuestion(5.0, 1)
