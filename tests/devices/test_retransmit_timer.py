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
