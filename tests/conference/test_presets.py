"""The legal presets against worked examples: majorities and quorums over ALL members."""

from __future__ import annotations

import pytest

from core.conference import events as ev
from core.conference.law import PLACEHOLDER_MARKS
from core.conference.meeting import (
    QUORUM_CONGRESS_SESSION,
    QUORUM_STANDING_COMMITTEE,
    VoteSettings,
    threshold,
)
from core.conference.voting import MAJORITY_PRESETS
from tests.conference.factory import BYLAW_CITATION, make_setup, opened, vote


def test_30_members_16_present_15_yes_is_not_passed() -> None:
    state = opened(make_setup(30), present=16)
    result = vote(state, "b1", {s: "yes" for s in range(1, 16)} | {16: "no"})
    q = result["questions"][0]
    assert (q["yes"], q["no"], q["abstain"], q["not_voted"]) == (15, 1, 0, 14)
    assert q["required"] == 16
    assert q["passed"] is False and q["verdict"] == "未通过"
    assert "过半数" in result["citation"]


def test_30_members_16_yes_is_passed() -> None:
    state = opened(make_setup(30), present=16)
    result = vote(state, "b1", {s: "yes" for s in range(1, 17)})
    assert result["questions"][0]["passed"] is True
    assert result["passed"] is True


def test_all_present_but_majority_of_voters_is_not_enough() -> None:
    """15 yes, 5 no, 10 abstain: a majority of those voting, not of all members."""
    state = opened(make_setup(30), present=30)
    choices = {s: "yes" for s in range(1, 16)} | {s: "no" for s in range(16, 21)} | {s: "abstain" for s in range(21, 31)}
    assert vote(state, "b1", choices)["passed"] is False


@pytest.mark.parametrize(("members", "yes", "passed"), [(30, 19, False), (30, 20, True), (31, 20, False), (31, 21, True), (3, 2, True), (3, 1, False)])
def test_two_thirds_of_all_exact_boundaries(members: int, yes: int, passed: bool) -> None:
    state = opened(make_setup(members), present=members)
    result = vote(state, "c1", {s: "yes" for s in range(1, yes + 1)})
    assert result["passed"] is passed
    assert result["majority"] == "two_thirds_of_all"
    assert result["citation"] == BYLAW_CITATION


@pytest.mark.parametrize(("total", "strict", "expected"), [(30, True, 16), (31, True, 16), (1, True, 1), (2, True, 2), (30, False, 15), (31, False, 16)])
def test_half_threshold(total: int, strict: bool, expected: int) -> None:
    assert threshold(total, 1, 2, strict) == expected


def test_quorum_presets() -> None:
    assert QUORUM_STANDING_COMMITTEE.required(30) == 16
    assert QUORUM_STANDING_COMMITTEE.required(31) == 16
    assert QUORUM_CONGRESS_SESSION.required(30) == 20
    assert QUORUM_CONGRESS_SESSION.required(31) == 21


def test_citations_carry_an_article_and_no_placeholder() -> None:
    for key, rule in MAJORITY_PRESETS.items():
        assert not any(mark in rule.citation for mark in PLACEHOLDER_MARKS), key
        if key != "two_thirds_of_all":
            assert "》第" in rule.citation and "条" in rule.citation, key


def test_citation_is_configurable() -> None:
    setup = make_setup(5)
    setup = type(setup)(**{**setup.__dict__, "citations": {**setup.citations, "half_of_all": "某某条例第十条"}})
    state = opened(setup, present=5)
    assert vote(state, "b1", {1: "yes"})["citation"] == "某某条例第十条"


def test_quorum_refusal_standing_committee() -> None:
    state = opened(make_setup(30), present=15)
    outcome = state.apply(ev.OpenVote(5.0, "b1"))
    assert not outcome.ok
    assert "未达到法定人数 16 人" in outcome.message
    assert state.voting.current is None
    assert state.apply(ev.SeatKeyPressed(16, 6.0)).ok
    assert state.apply(ev.OpenVote(7.0, "b1")).ok


def test_quorum_refusal_congress_session() -> None:
    state = opened(make_setup(30, quorum=QUORUM_CONGRESS_SESSION), present=19)
    assert not state.apply(ev.OpenVote(5.0, "b1")).ok
    state.apply(ev.SeatKeyPressed(20, 6.0))
    assert state.apply(ev.OpenVote(7.0, "b1", VoteSettings(anonymous=False))).ok
