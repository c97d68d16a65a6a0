"""Over every link, 100 simulated seats sign in and vote and every event reaches the master exactly once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.seats import BROADCAST, Choice, Code, SeatBus, open_bus, open_link
from devices.seats.drivers.tcp import TcpSeatBus
from devices.seats.master import SeatEvent, SeatMaster
from devices.seats.protocol import display_payload, nameplate_payload, parse_vote, vote_open_payload
from devices.seats.scenario import Scenario
from devices.seats.simulator import SeatSimulator
from tests.devices.conftest import unique
from tests.helpers.waits import WAIT_S

SEATS = range(1, 101)
CHOICE_KEYS = ("yes", "no", "abstain")
WAIT = WAIT_S


def _codes(events: list[SeatEvent], code: int) -> Counter[int]:
    return Counter(e.address for e in events if e.code == code)


def _settle(master: SeatMaster, sim: SeatSimulator) -> list[SeatEvent]:
    """Run the master until every seat's queue is acknowledged; return what else arrived."""
    extra: list[SeatEvent] = []
    deadline_steps = 2000
    while any(seat.pending for seat in sim.seats.values()) and deadline_steps:
        extra.extend(master.step(timeout=0.02))
        deadline_steps -= 1
    extra.extend(master.step(timeout=0.05))
    return extra


def run_session(console: SeatBus, seat_side: SeatBus) -> tuple[SeatMaster, SeatSimulator]:
    sim = SeatSimulator(seat_side, SEATS).start()
    master = SeatMaster(console, SEATS)
    try:
        sim.drop(3, 2)
        sim.corrupt(4, 1)
        sim.corrupt(50, 2)
        for address in SEATS:
            assert sim.press(address, "sign_in")
        events = master.collect(lambda ev: len(_codes(ev, Code.SIGN_IN)) == len(SEATS), timeout=WAIT)
        events += _settle(master, sim)
        assert _codes(events, Code.SIGN_IN) == Counter(dict.fromkeys(SEATS, 1))

        master.command(7, Code.DISPLAY_TEXT, display_payload(0, "张三委员，欢迎出席主席团会议"))
        master.command(7, Code.NAMEPLATE, nameplate_payload("张三", "主席团成员"))
        assert sim.seats[7].display == {0: "张三委员，欢迎出席主席团会议"}
        assert sim.seats[7].nameplate == ("张三", "主席团成员")

        master.command(BROADCAST, Code.VOTE_OPEN, vote_open_payload(1, Choice.YES | Choice.NO | Choice.ABSTAIN))
        assert sim.wait_until(lambda s: all(seat.vote_id == 1 for seat in s.seats.values()), timeout=WAIT)
        for address in SEATS:
            assert sim.press(address, CHOICE_KEYS[address % 3])
            assert not sim.press(address, "yes")  # first press valid: a second press is ignored
        votes = master.collect(lambda ev: len(_codes(ev, Code.VOTE)) == len(SEATS), timeout=WAIT)
        votes += _settle(master, sim)
        assert _codes(votes, Code.VOTE) == Counter(dict.fromkeys(SEATS, 1))
        assert not _codes(votes, Code.SIGN_IN)
        chosen = {e.address: parse_vote(e.payload) for e in votes if e.code == Code.VOTE}
        expected = {"yes": Choice.YES, "no": Choice.NO, "abstain": Choice.ABSTAIN}
        assert chosen == {a: (1, expected[CHOICE_KEYS[a % 3]], 0) for a in SEATS}
        assert sim.stats.dropped == 2 and sim.stats.corrupted == 3
        assert console.stats.dropped >= 3
        assert sim.error is None
    finally:
        sim.stop()
    return master, sim


@pytest.fixture
def virtual_pair() -> Iterator[tuple[SeatBus, SeatBus]]:
    channel = unique("sim")
    with open_bus("virtual", channel=channel) as console, open_bus("virtual", channel=channel) as seats:
        yield console, seats


def test_virtual_link(virtual_pair: tuple[SeatBus, SeatBus]) -> None:
    master, _ = run_session(*virtual_pair)
    assert not master.polled and master.stats.duplicates >= 0


def test_virtual_half_duplex_link_is_polled() -> None:
    channel = unique("sim-hd")
    with open_bus("virtual", channel=channel, half_duplex=True) as console, \
            open_bus("virtual", channel=channel, half_duplex=True) as seats:
        master, _ = run_session(console, seats)
    assert master.polled and master.stats.cycles >= 2


def test_serial_pty_link(pty_pair: tuple[str, str]) -> None:
    with open_link(f"serial://{pty_pair[0]}") as console, open_link(f"serial://{pty_pair[1]}") as seats:
        master, _ = run_session(console, seats)
    assert master.polled and master.stats.poll_timeouts >= 3  # dropped and corrupted answers


def test_can_link() -> None:
    channel = unique("sim-can")
    with open_link(f"can://virtual/{channel}") as console, open_link(f"can://virtual/{channel}") as seats:
        run_session(console, seats)


def test_tcp_link() -> None:
    with open_link("tcp://127.0.0.1:0", listen=True) as console:
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        with open_link(f"tcp://{host}:{port}") as seats:
            assert console.wait_for_connections(1, timeout=30.0)
            run_session(console, seats)


def test_silent_seat_comes_back_and_its_events_arrive_once() -> None:
    channel = unique("silence")
    seats_range = range(1, 11)
    with open_bus("virtual", channel=channel, half_duplex=True) as console, \
            open_bus("virtual", channel=channel, half_duplex=True) as seat_side, \
            SeatSimulator(seat_side, seats_range) as sim:
        master = SeatMaster(console, seats_range, reply_timeout=0.02)
        sim.silence(5)
        for address in seats_range:
            sim.press(address, "sign_in")
        events = master.collect(lambda ev: len(_codes(ev, Code.SIGN_IN)) == 9, timeout=WAIT)
        events += master.poll_cycle()
        assert 5 not in _codes(events, Code.SIGN_IN)
        assert master.stats.missed_polls.get(5, 0) >= 2
        sim.restore(5)
        events += master.collect(lambda ev: _codes(ev, Code.SIGN_IN)[5] == 1, timeout=WAIT)
        events += _settle(master, sim)
        assert _codes(events, Code.SIGN_IN) == Counter(dict.fromkeys(seats_range, 1))
        assert 5 not in master.stats.missed_polls


def test_scenario_file_scripts_presses_and_faults(tmp_path: Path,
                                                  virtual_pair: tuple[SeatBus, SeatBus]) -> None:
    path = tmp_path / "session.json"
    path.write_text(json.dumps({
        "presses": [
            {"at": 0.0, "seats": "1-20", "key": "sign_in", "spread": 0.2},
            {"at": 0.1, "seat": 7, "key": "card", "value": "04a1b2c3"},
            {"at": 0.3, "seats": [2, 4, 6], "key": "speak"},
        ],
        "faults": [
            {"at": 0.0, "kind": "drop", "seat": 3, "count": 2},
            {"at": 0.0, "kind": "corrupt", "seats": "8-9"},
            {"kind": "silence", "seat": 12, "from": 0.0, "to": 0.4},
        ],
    }), encoding="utf-8")
    scenario = Scenario.load(path)
    assert scenario.duration == pytest.approx(0.4)
    console, seat_side = virtual_pair
    with SeatSimulator(seat_side, range(1, 21)) as sim:
        master = SeatMaster(console, range(1, 21))
        sim.play(scenario)
        events = master.collect(
            lambda ev: len(_codes(ev, Code.SIGN_IN)) == 20 and len(_codes(ev, Code.REQUEST_SPEAK)) == 3
            and len(_codes(ev, Code.IC_CARD)) == 1,
            timeout=WAIT,
        )
        events += _settle(master, sim)
    assert _codes(events, Code.SIGN_IN) == Counter(dict.fromkeys(range(1, 21), 1))
    assert _codes(events, Code.REQUEST_SPEAK) == Counter({2: 1, 4: 1, 6: 1})
    card = next(e for e in events if e.code == Code.IC_CARD)
    assert card.address == 7 and card.payload == bytes.fromhex("04a1b2c3")
    assert sim.stats.dropped == 2 and sim.stats.corrupted == 2


def test_toml_scenario(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[presses]]\nat = 1.5\nseats = "1-3"\nkey = "yes"\n', encoding="utf-8")
    scenario = Scenario.load(path)
    assert [(p.seat, p.key, p.at) for p in scenario.presses] == [(1, "yes", 1.5), (2, "yes", 1.5), (3, "yes", 1.5)]


def test_command_is_retransmitted_and_applied_once(virtual_pair: tuple[SeatBus, SeatBus]) -> None:
    console, seat_side = virtual_pair
    with SeatSimulator(seat_side, range(1, 4)) as sim:
        master = SeatMaster(console, range(1, 4), reply_timeout=0.1)
        sim.drop(2, 1)  # the seat's first ACK is lost: the console sends again, the seat acknowledges again
        master.command(2, Code.MICROPHONE, b"\x01")
        assert master.stats.command_retries == 1
        assert sim.seats[2].microphone


def test_silent_seat_command_times_out(virtual_pair: tuple[SeatBus, SeatBus]) -> None:
    from devices.seats import BusTimeoutError

    console, seat_side = virtual_pair
    with SeatSimulator(seat_side, range(1, 4)) as sim:
        sim.silence(3)
        master = SeatMaster(console, range(1, 4), reply_timeout=0.02, retries=2)
        with pytest.raises(BusTimeoutError):
            master.command(3, Code.MICROPHONE, b"\x01")
        assert master.stats.command_retries == 2
        assert not sim.seats[3].microphone


def test_broadcast_and_addressed_commands_with_one_sequence_number_are_both_applied(
    virtual_pair: tuple[SeatBus, SeatBus],
) -> None:
    """The master numbers broadcasts and each seat's commands separately; the same number on both is no
    duplicate, while a repeated broadcast copy stays one even when an addressed command came in between."""
    from devices.seats.protocol import Frame, message_payload

    _, seat_side = virtual_pair
    sim = SeatSimulator(seat_side, range(1, 4))  # not started: the test hands it the frames itself
    sim.handle(Frame(code=Code.MESSAGE, address=2, seq=0, payload=message_payload("请准备发言"), ack_request=True))
    assert sim.seats[2].message == "请准备发言"
    sim.handle(Frame(code=Code.MESSAGE, address=BROADCAST, seq=0, payload=message_payload("会议休息十分钟")))
    assert all(seat.message == "会议休息十分钟" for seat in sim.seats.values())

    opening = Frame(code=Code.VOTE_OPEN, address=BROADCAST, seq=1,
                    payload=vote_open_payload(1, Choice.YES | Choice.NO | Choice.ABSTAIN))
    sim.handle(opening)
    assert sim.press(2, "yes")
    sim.handle(Frame(code=Code.MICROPHONE, address=2, seq=1, payload=b"\x01", ack_request=True))
    sim.handle(opening)  # the broadcast's second copy: must not free the keys of a first-press-valid vote
    assert not sim.press(2, "no")
    assert sim.seats[2].voted == Choice.YES and sim.seats[2].microphone
    sim.handle(Frame(code=Code.MICROPHONE, address=2, seq=1, payload=b"\x00", ack_request=True))
    assert sim.seats[2].microphone  # a retransmitted addressed command (same seq) is applied once
