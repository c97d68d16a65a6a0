"""A console crash between receiving a seat's event and acknowledging it loses nothing and counts nothing
twice: events are acknowledged only once journaled, the terminal retransmits until then, and a restarted
console knows from its journal which retransmission it has already counted."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from apps.kiosk.runtime import ConferenceRuntime
from core.conference.journal import read_entries
from devices.seats import open_bus
from devices.seats.master import SeatEvent
from devices.seats.simulator import SeatSimulator
from tests.conference.factory import make_setup
from tests.devices.conftest import unique
from tests.helpers.waits import WAIT_S

SEATS = range(1, 11)
WAIT = WAIT_S


def _journaled_sign_ins(folder: Path, seat: int) -> int:
    entries = read_entries(folder / "conference.journal")
    return sum(1 for e in entries if e.kind == "msg" and e.body["type"] == "SeatKeyPressed" and e.body["seat"] == seat)


def _restart_and_settle(folder: Path, channel: str, sim: SeatSimulator, polled: bool) -> ConferenceRuntime:
    with open_bus("virtual", channel=channel, half_duplex=polled) as console, \
            ConferenceRuntime(folder, bus=console, supervise_s=None, tick_s=None) as again:
        assert again.resumed
        assert sim.wait_until(lambda s: not s.seats[4].pending, WAIT)  # the retransmission was acknowledged
        assert again.wait_until(lambda s: s.attendance.is_present_at(4), WAIT)
    return again


@pytest.mark.parametrize("polled", [False, True], ids=["full-duplex", "polled"])
def test_crash_before_the_event_is_journaled_then_the_retransmission_counts(tmp_path: Path, polled: bool) -> None:
    channel = unique("crash-before")
    with open_bus("virtual", channel=channel, half_duplex=polled) as seat_side, SeatSimulator(seat_side, SEATS) as sim:
        with open_bus("virtual", channel=channel, half_duplex=polled) as console:
            first = ConferenceRuntime(tmp_path, make_setup(10), bus=console, supervise_s=None, tick_s=None)
            received: list[SeatEvent] = []
            got = threading.Event()

            def die_before_journal(events: list[SeatEvent]) -> None:
                received.extend(events)
                got.set()

            first._ingest = die_before_journal  # type: ignore[method-assign]
            with first:
                assert sim.press(4, "sign_in")
                assert got.wait(WAIT)
            assert [e.address for e in received] == [4]
            assert sim.seats[4].pending  # never acknowledged: the terminal keeps it and sends it again
        assert _journaled_sign_ins(tmp_path, 4) == 0
        again = _restart_and_settle(tmp_path, channel, sim, polled)
    assert _journaled_sign_ins(tmp_path, 4) == 1
    assert again.read(lambda s: s.attendance.sign_ins) == 1


@pytest.mark.parametrize("polled", [False, True], ids=["full-duplex", "polled"])
def test_crash_after_the_journal_but_before_the_ack_counts_the_event_once(tmp_path: Path, polled: bool) -> None:
    channel = unique("crash-after")
    with open_bus("virtual", channel=channel, half_duplex=polled) as seat_side, SeatSimulator(seat_side, SEATS) as sim:
        with open_bus("virtual", channel=channel, half_duplex=polled) as console:
            first = ConferenceRuntime(tmp_path, make_setup(10), bus=console, supervise_s=None, tick_s=None)
            first._acknowledge = lambda events: None  # type: ignore[method-assign]  # dies before the ACK
            with first:
                assert sim.press(4, "sign_in")
                assert first.wait_until(lambda s: s.attendance.is_present_at(4), WAIT)
            assert sim.seats[4].pending
        assert _journaled_sign_ins(tmp_path, 4) == 1
        again = _restart_and_settle(tmp_path, channel, sim, polled)
        assert again.master is not None and again.master.stats.duplicates >= 1
    assert _journaled_sign_ins(tmp_path, 4) == 1  # the retransmission was acknowledged, not counted again
    assert again.read(lambda s: s.attendance.sign_ins) == 1


def test_events_are_acknowledged_once_journaled(tmp_path: Path) -> None:
    channel = unique("ack-order")
    with open_bus("virtual", channel=channel) as seat_side, SeatSimulator(seat_side, SEATS) as sim, \
            open_bus("virtual", channel=channel) as console, \
            ConferenceRuntime(tmp_path, make_setup(10), bus=console, supervise_s=None, tick_s=None) as rt:
        for seat in SEATS:
            assert sim.press(seat, "sign_in")
        assert sim.wait_until(lambda s: not any(v.pending for v in s.seats.values()), WAIT)
        assert rt.read(lambda s: s.attendance.present_count) == 10
        assert rt.master is not None and rt.master.unacknowledged() == 0
    assert sum(_journaled_sign_ins(tmp_path, seat) for seat in SEATS) == 10
