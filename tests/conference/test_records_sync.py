"""The hall's records reach the central server: a kiosk runs a meeting with simulated seats, the client
syncs, and the server database holds the meeting, attendance, speeches and results — with no seat or
member linked to a choice for an anonymous vote, and the result sheet's journal hash stored with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from apps.kiosk.runtime import ConferenceRuntime
from core.conference.meeting import AgendaItem, ItemKind, MeetingSetup, Member, PressRule, VoteSettings
from core.conference.records import ConfMeeting, ConfVoteChoice, ConfVoteResult
from core.conference.report import build_result_sheet
from core.sync.client import SyncClient
from devices.seats import open_bus
from devices.seats.simulator import SeatSimulator
from tests.devices.conftest import unique
from tests.helpers.waits import WAIT_S
from tests.sync.harness import World

SEATS = range(1, 21)
WAIT = WAIT_S
CHOICES = ("yes", "no", "abstain")


def hall_setup() -> MeetingSetup:
    """Twenty members on seats 1..20; one named and one anonymous item."""
    return MeetingSetup(
        meeting_id="pm-records",
        title="主席团第二次会议",
        members=tuple(Member(f"m{i:02d}", f"委员{i}") for i in SEATS),
        seats={i: f"m{i:02d}" for i in SEATS},
        agenda=(
            AgendaItem("n1", "关于召开代表大会的决定（记名）", ItemKind.BILL, VoteSettings(anonymous=False)),
            AgendaItem("s1", "人事事项（无记名）", ItemKind.BILL, VoteSettings(anonymous=True, press=PressRule.LAST)),
        ),
        chair_seats=frozenset({1}),
    )


@pytest.fixture
def world(tmp_path: Path, server_db_url: str) -> Iterator[World]:
    """The central server on SQLite and on PostgreSQL (production)."""
    w = World(tmp_path, server_db_url)
    yield w
    w.close()


@pytest.fixture
def kiosk_client(world: World) -> SyncClient:
    """The kiosk's local store and sync client, signed in as the conference operator."""
    return world.client(world.add_user("huiwu", "conference_operator"))


def _vote(rt: ConferenceRuntime, sim: SeatSimulator, item: str) -> None:
    assert rt.open_vote(item).ok
    number = rt.read(lambda s: s.voting.current.number)  # type: ignore[union-attr]
    assert sim.wait_until(lambda s: all(v.vote_id == number for v in s.seats.values()), WAIT)
    for seat in SEATS:
        assert sim.press(seat, CHOICES[seat % 3])
    assert rt.wait_until(lambda s: len(s.voting.current.ballots[0].voted) == len(SEATS), WAIT)  # type: ignore[union-attr]
    assert rt.close_vote().ok


def run_meeting(tmp_path: Path, client: SyncClient) -> tuple[ConferenceRuntime, str]:
    """Sign-in with a member leaving and returning, one speech, a named and an anonymous vote.

    Returns the stopped runtime and the journal head printed on the named vote's result sheet.
    """
    channel = unique("records")
    with open_bus("virtual", channel=channel) as console, open_bus("virtual", channel=channel) as seat_side, \
            SeatSimulator(seat_side, SEATS) as sim, \
            ConferenceRuntime(tmp_path / "hall", hall_setup(), bus=console, supervise_s=None, tick_s=None,
                              records=client.store.session) as rt:
        for seat in SEATS:
            assert sim.press(seat, "sign_in")
        assert rt.wait_until(lambda s: s.attendance.present_count == len(SEATS), WAIT)
        assert rt.open_meeting().ok
        assert sim.press(5, "sign_out")
        assert rt.wait_until(lambda s: s.attendance.present_count == len(SEATS) - 1, WAIT)
        assert sim.press(5, "sign_in")
        assert rt.wait_until(lambda s: s.attendance.present_count == len(SEATS), WAIT)
        assert sim.press(3, "speak")
        assert rt.wait_until(lambda s: 3 in s.speaking.speakers, WAIT)
        assert sim.press(3, "cancel")
        assert rt.wait_until(lambda s: len(s.speaking.finished) == 1, WAIT)

        _vote(rt, sim, "n1")
        sheet_head = rt.read(lambda s: build_result_sheet(rt.conference, "n1", voted_at=datetime.now()).journal.head)
        _vote(rt, sim, "s1")
        assert rt.wait_until(lambda s: rt.records_current(), WAIT)
        assert rt.record_error is None
    return rt, sheet_head


def test_meeting_attendance_speeches_and_results_reach_the_server(
    tmp_path: Path, world: World, kiosk_client: SyncClient
) -> None:
    _, sheet_head = run_meeting(tmp_path, kiosk_client)
    report = kiosk_client.sync()
    assert report.rejected == 0, report.summary()
    rows = world.server_rows()

    [meeting] = rows["conf_meeting"].values()
    assert (meeting["meeting_key"], meeting["status"], meeting["present"]) == ("pm-records", "open", 20)
    assert meeting["scope"] == "conference" and meeting["clock_origin"] is not None
    assert {r["member_key"] for r in rows["conf_member"].values()} == {f"m{i:02d}" for i in SEATS}
    assert {r["item_key"] for r in rows["conf_agenda_item"].values()} == {"n1", "s1"}

    attendance = {r["member_key"]: r for r in rows["conf_attendance"].values()}
    assert len(attendance) == 20 and all(r["present"] for r in attendance.values())
    assert [kind for kind, _ in attendance["m05"]["movements"]] == ["in", "out", "in"]
    assert [kind for kind, _ in attendance["m07"]["movements"]] == ["in"]

    [speech] = rows["conf_speech"].values()
    assert (speech["seat"], speech["member_key"], speech["reason"]) == (3, "m03", "self")
    assert speech["duration_s"] == pytest.approx(speech["ended_s"] - speech["started_s"])

    results = {r["item_key"]: r for r in rows["conf_vote_result"].values()}
    named, secret = results["n1"], results["s1"]
    expected = (sum(1 for s in SEATS if s % 3 == 0), sum(1 for s in SEATS if s % 3 == 1),
                sum(1 for s in SEATS if s % 3 == 2), 0)
    for result in (named, secret):
        q = result["questions"][0]
        assert (q["yes"], q["no"], q["abstain"], q["not_voted"]) == expected
        assert result["passed"] is False and result["total_members"] == 20
        assert "组织法" in result["citation"] and len(result["journal_hash"]) == 64
    assert named["journal_hash"] == sheet_head  # the hash printed on the result sheet

    choices = list(rows["conf_vote_choice"].values())
    assert len(choices) == 20 and {c["vote_id"] for c in choices} == {named["id"]}
    assert {c["seat"]: c["choice"] for c in choices} == {s: CHOICES[s % 3] for s in SEATS}
    # the anonymous vote: totals only, nowhere a seat or member next to a choice
    secret_text = json.dumps(secret, ensure_ascii=False, default=str)
    assert "named" not in secret_text and "m01" not in secret_text and "voted" not in secret["questions"][0]


def test_rewriting_the_same_records_changes_nothing(tmp_path: Path, world: World, kiosk_client: SyncClient) -> None:
    rt, _ = run_meeting(tmp_path, kiosk_client)
    pending = kiosk_client.store.pending_count()
    assert rt.write_records() == 0
    assert kiosk_client.store.pending_count() == pending
    kiosk_client.sync()
    assert rt.write_records() == 0 and kiosk_client.store.pending_count() == 0
    with kiosk_client.store.session() as s:
        assert len(s.scalars(select(ConfVoteResult)).all()) == 2
        assert len(s.scalars(select(ConfMeeting)).all()) == 1


def test_a_restarted_kiosk_rewrites_its_records_with_the_same_seals(
    tmp_path: Path, world: World, kiosk_client: SyncClient
) -> None:
    run_meeting(tmp_path, kiosk_client)
    with kiosk_client.store.session() as s:
        seals = {r.number: r.journal_hash for r in s.scalars(select(ConfVoteResult))}
    channel = unique("records-again")
    with open_bus("virtual", channel=channel) as console:
        again = ConferenceRuntime(tmp_path / "hall", bus=console, tick_s=None, supervise_s=None,
                                  records=kiosk_client.store.session)
        assert again.resumed
        assert again.write_records() == 0  # seals recomputed from the journal match the stored ones
        assert {n: s.hash for n, s in again.seals.items()} == seals


def test_a_user_without_the_conference_app_cannot_push_records(world: World) -> None:
    client = world.client(world.add_user("yusuan", "budget_staff"))
    with client.store.session() as s, s.begin():
        s.add(ConfMeeting(meeting_key="forged", title="伪造的会议"))
    client.sync()
    assert not world.server_rows()["conf_meeting"]


def test_anonymous_vote_writes_no_choice_rows_even_when_rewritten(
    tmp_path: Path, world: World, kiosk_client: SyncClient
) -> None:
    rt, _ = run_meeting(tmp_path, kiosk_client)
    rt.write_records()
    with kiosk_client.store.session() as s:
        secret = s.scalars(select(ConfVoteResult).where(ConfVoteResult.anonymous.is_(True))).one()
        assert s.scalars(select(ConfVoteChoice).where(ConfVoteChoice.vote_id == secret.id)).all() == []
