"""Each body's quorum and majorities, by worked example, with the article each result cites; no
placeholder text on a result sheet of any body."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.conference import events as ev
from core.conference.journal import JournaledConference
from core.conference.law import (
    DEFAULT_MAJORITY,
    MAJORITY_BY_KEY,
    PLACEHOLDER_MARKS,
    QUORUM_LAW,
    Body,
    default_majority,
    majorities_for,
    misfit,
)
from core.conference.meeting import (
    QUORUMS,
    AgendaItem,
    ItemKind,
    MeetingSetup,
    Member,
    QuorumRule,
    VoteSettings,
)
from core.conference.report import result_sheet_pdf
from core.conference.state import ConferenceState
from tests.conference.test_report import pdf_text

AT = datetime(2026, 12, 4, 9, 30)


def body_setup(body: Body, n: int, kind: ItemKind = ItemKind.BILL, majority: str = "") -> MeetingSetup:
    members = tuple(Member(f"m{i:03d}", f"成员{i}") for i in range(1, n + 1))
    candidates = ("甲", "乙") if kind is ItemKind.APPOINTMENT else ()
    return MeetingSetup(
        meeting_id=f"{body}-1", title=f"{body}测试会议", members=members,
        seats={i: f"m{i:03d}" for i in range(1, n + 1)},
        agenda=(AgendaItem("x", "关于某事项的决定", kind, VoteSettings(majority=majority), candidates=candidates),),
        quorum=QUORUMS[str(body)], chair_seats=frozenset({1}),
    )


def run_vote(setup: MeetingSetup, present: int, yes: int) -> dict:
    state = ConferenceState(setup)
    for seat in range(1, present + 1):
        assert state.apply(ev.SeatKeyPressed(seat, 1.0)).ok
    opened = state.apply(ev.OpenMeeting(2.0))
    assert opened.ok, opened.message
    outcome = state.apply(ev.OpenVote(10.0, "x"))
    assert outcome.ok, outcome.message
    for seat in range(1, yes + 1):
        state.apply(ev.VoteCast(seat, 11.0, "yes"))
    assert state.apply(ev.CloseVote(12.0)).ok
    return state.voting.records[-1].to_dict()


def test_every_body_has_a_quorum_and_a_default_majority_for_every_kind_of_item() -> None:
    for body in Body:
        assert QUORUMS[str(body)].citation == QUORUM_LAW[body].citation
        for kind in ItemKind:
            key = default_majority(body, str(kind))
            assert body in MAJORITY_BY_KEY[key].bodies, (body, kind)
            assert misfit(body, key, has_citation=False) is None


def test_presidium_quorum_is_two_thirds_of_its_members() -> None:
    """上海大会议事规则第十三条第二款: 主席团会议须有三分之二以上的主席团成员出席."""
    quorum = QUORUMS["presidium"]
    assert (quorum.required(30), quorum.required(31)) == (20, 21)
    assert "第十三条第二款" in quorum.citation


@pytest.mark.parametrize(("body", "article"), [
    (Body.SESSION, "第二十五条"), (Body.PRESIDIUM, "第十三条第二款"), (Body.STANDING, "第五十一条第四款"),
    (Body.COUNCIL, "主任会议议事规则》第五条"),
])
def test_a_bill_in_each_body_cites_that_bodys_article(body: Body, article: str) -> None:
    result = run_vote(body_setup(body, 30), present=30, yes=16)
    assert result["passed"] is True and result["questions"][0]["required"] == 16
    assert article in result["citation"]
    assert result["majority"] == DEFAULT_MAJORITY[body]["bill"]


def test_a_presidium_vote_never_cites_the_majority_of_all_deputies() -> None:
    result = run_vote(body_setup(Body.PRESIDIUM, 25), present=20, yes=13)
    assert "全体代表" not in result["majority_label"] and "主席团全体成员" in result["majority_label"]


def test_procedural_vote_of_the_standing_committee_counts_those_present() -> None:
    """上海常委会议事规则第十九条: 出席会议的组成人员过半数. 60 members, 40 present: 21 yes pass."""
    setup = body_setup(Body.STANDING, 60, ItemKind.PROCEDURAL)
    passed = run_vote(setup, present=40, yes=21)
    assert passed["passed"] is True and passed["questions"][0]["required"] == 21
    assert "出席会议" in passed["majority_label"] and "第十九条" in passed["citation"]
    assert run_vote(setup, present=40, yes=20)["passed"] is False


def test_an_election_at_the_session_needs_more_than_half_of_all_deputies_per_candidate() -> None:
    setup = body_setup(Body.SESSION, 30, ItemKind.APPOINTMENT)
    result = run_vote(setup, present=30, yes=16)
    assert result["majority"] == "election_half_of_all" and "第二十九条" in result["citation"]
    assert [q["required"] for q in result["questions"]] == [16, 16]


def test_another_bodys_majority_is_refused_when_the_vote_opens() -> None:
    setup = body_setup(Body.PRESIDIUM, 10, majority="half_of_all")
    assert "不适用于大会主席团会议" in " ".join(setup.validate())
    state = ConferenceState(setup)
    outcome = state.apply(ev.OpenMeeting(1.0))
    assert not outcome.ok and "主席团全体成员的过半数" in outcome.message


def test_two_thirds_needs_the_meetings_own_citation() -> None:
    setup = body_setup(Body.STANDING, 9, majority="two_thirds_of_all")
    assert any("须写明所依据的章程或办法条文" in p for p in setup.validate())
    cited = MeetingSetup(**{**setup.__dict__, "citations": {"two_thirds_of_all": "《某某办法》第九条"}})
    assert cited.validate() == []
    result = run_vote(cited, present=9, yes=6)
    assert result["passed"] is True and result["citation"] == "《某某办法》第九条"


def test_a_quorum_stored_before_bodies_were_recorded_is_read_as_its_body() -> None:
    legacy = {"numerator": 1, "denominator": 2, "strict": True, "label": "主席团会议须有过半数的主席团成员出席（请核对）"}
    assert QuorumRule.from_dict(legacy) == QUORUMS["presidium"]
    assert QuorumRule.from_dict(QUORUMS["council"].to_dict()) == QUORUMS["council"]


@given(st.sampled_from(list(Body)), st.sampled_from(list(MAJORITY_BY_KEY)), st.booleans())
def test_a_majority_fits_a_body_exactly_when_the_law_names_that_body(body: Body, key: str, cited: bool) -> None:
    rule = MAJORITY_BY_KEY[key]
    wrong = misfit(body, key, cited)
    if not rule.bodies:
        assert (wrong is None) is cited
    else:
        assert (wrong is None) is (body in rule.bodies)
        assert (key in majorities_for(body)) is (body in rule.bodies)


@pytest.mark.parametrize("body", list(Body))
def test_no_placeholder_reaches_a_result_sheet(body: Body, tmp_path: Path) -> None:
    conference = JournaledConference.create(tmp_path / "m.journal", body_setup(body, 12))
    for seat in range(1, 13):
        assert conference.apply(ev.SeatKeyPressed(seat, 1.0)).ok
    assert conference.apply(ev.OpenMeeting(2.0)).ok
    assert conference.apply(ev.OpenVote(10.0, "x")).ok
    for seat in range(1, 8):
        assert conference.apply(ev.VoteCast(seat, 11.0, "yes")).ok
    assert conference.apply(ev.CloseVote(12.0)).ok
    flat = re.sub(r"\s+", "", pdf_text(result_sheet_pdf(conference, "x", voted_at=AT, printed_at=AT), tmp_path))
    assert QUORUM_LAW[body].citation.replace(" ", "")[:12] in flat or "》第" in flat
    for mark in PLACEHOLDER_MARKS:
        assert mark.replace(" ", "") not in flat, mark
    assert not re.search(r"第(\d+)–\1条", flat), "a single journal entry is named once"
