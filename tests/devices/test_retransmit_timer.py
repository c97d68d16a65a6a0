"""The terminal's retransmission timer of docs/seat-protocol.md §4: adapts to the round trips measured,
never below the first timeout, doubles per resend up to the largest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devices.seats.simulator import VirtualSeat
from devices.seats.timing import EVENT_MAX_RETRANSMIT_S, EVENT_RETRANSMIT_S


def test_worked_example() -> None:
    seat = VirtualSeat(7)
    seat.attempts = 1
    assert seat.retransmit_timeout(EVENT_RETRANSMIT_S) == EVENT_RETRANSMIT_S  # nothing measured yet
    seat.measure(0.040)  # SRTT 40 ms, RTTVAR 20 ms: 40 + 4 × 20 = 120 ms
    assert abs(seat.retransmit_timeout(EVENT_RETRANSMIT_S) - 0.120) < 1e-9
    seat.measure(0.040)  # RTTVAR 3/4 × 20 = 15 ms: 40 + 60 = 100 ms
    assert abs(seat.retransmit_timeout(EVENT_RETRANSMIT_S) - 0.100) < 1e-9
    seat.attempts = 3  # the third send of one event: 100 × 2 × 2 = 400 ms
    assert abs(seat.retransmit_timeout(EVENT_RETRANSMIT_S) - 0.400) < 1e-9
    seat.attempts = 9
    assert seat.retransmit_timeout(EVENT_RETRANSMIT_S) == EVENT_MAX_RETRANSMIT_S


@given(st.lists(st.floats(0.0001, 2.0), max_size=30), st.integers(1, 20))
def test_the_timeout_stays_between_the_first_and_the_largest(rtts: list[float], attempts: int) -> None:
    seat = VirtualSeat(1)
    for rtt in rtts:
        seat.measure(rtt)
    seat.attempts = attempts
    timeout = seat.retransmit_timeout(EVENT_RETRANSMIT_S)
    assert EVENT_RETRANSMIT_S <= timeout <= EVENT_MAX_RETRANSMIT_S
    seat.attempts = attempts + 1
    assert seat.retransmit_timeout(EVENT_RETRANSMIT_S) >= timeout  # a resend never shortens the wait


def test_a_terminal_sends_a_press_at_once_and_resends_only_when_its_timer_is_due() -> None:
    """§4: a terminal sends an event when it happens, and resends it when its own timer runs out; the
    simulated hall does not scan its seats per frame (which starved the link at 4,095 seats)."""
    from devices.seats import Code, open_bus
    from devices.seats.simulator import SeatSimulator
    from tests.devices.conftest import unique

    now = [100.0]
    channel = unique("press-at-once")
    with open_bus("virtual", channel=channel) as console, open_bus("virtual", channel=channel) as seat_side:
        sim = SeatSimulator(seat_side, range(1, 4096), polled=False, clock=lambda: now[0])  # no reader thread
        assert sim.press(5, "sign_in")
        frame = console.recv(timeout=5.0)
        assert frame is not None and frame.address == 5 and frame.code == Code.SIGN_IN
        sim.transmit_due()  # its timer has not run out: nothing is resent
        assert console.recv(timeout=0.05) is None and sim.stats.retransmissions == 0
        now[0] += EVENT_RETRANSMIT_S + 0.001
        sim.transmit_due()
        again = console.recv(timeout=5.0)
        assert again is not None and again.seq == frame.seq and sim.stats.retransmissions == 1
        sim.silence(9)
        assert sim.press(9, "sign_in")  # a deaf and mute terminal keeps its press
        assert console.recv(timeout=0.05) is None
        sim.restore(9)
        sim.transmit_due()  # heard again: what it held back goes out
        late = console.recv(timeout=5.0)
        assert late is not None and late.address == 9 and late.code == Code.SIGN_IN
