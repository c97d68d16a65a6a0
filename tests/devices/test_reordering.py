"""A seat's frames reordered by a gateway or a reconnect: every press counts once, in the order pressed,
and a stale copy never counts — so under last-press-valid a vote never flips back on an old frame."""

from __future__ import annotations

import random
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.seats.bus import SeatBus
from devices.seats.master import SeatMaster
from devices.seats.protocol import (
    SEQ_WINDOW,
    BodyError,
    Choice,
    Code,
    Frame,
    SeqRelation,
    decode_body,
    encode_body,
    next_seq,
    parse_vote,
    seq_relation,
    vote_payload,
)

SEAT = 17


class ScriptedLink(SeatBus):
    """The console's end of a link that delivers the given frames, encoded and decoded as on the wire."""

    def __init__(self, frames: list[Frame]) -> None:
        super().__init__()
        self.incoming = deque(encode_body(f) for f in frames)
        self.sent: list[Frame] = []

    def send(self, frame: Frame) -> None:
        self.sent.append(frame)

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        if not self.incoming:
            return None
        decoded = decode_body(self.incoming.popleft())
        assert not isinstance(decoded, BodyError)
        return decoded


def _presses(count: int, first_seq: int) -> list[Frame]:
    """A seat's presses as it sends them: stop-and-wait, so each has the next sequence number."""
    frames, seq = [], first_seq
    for i in range(count):
        choice = (Choice.YES, Choice.NO, Choice.ABSTAIN)[i % 3]
        frames.append(Frame(code=Code.VOTE, address=SEAT, seq=seq, payload=vote_payload(1, choice),
                            from_seat=True, ack_request=True))
        seq = next_seq(seq)
    return frames


@st.composite
def reordered(draw: st.DrawFn) -> tuple[list[Frame], list[Frame]]:
    """The presses in order, and what the console receives: each press after the one before it was
    accepted (stop-and-wait), with retransmitted copies of earlier presses arriving late, up to a
    window back, anywhere after their original."""
    count = draw(st.integers(1, 40))
    first = draw(st.sampled_from([1, 2, 100, 200, 250, 255]))  # events never use 0 (§4)
    presses = _presses(count, first)
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    received: list[Frame] = []
    for i, frame in enumerate(presses):
        received.append(frame)
        for _ in range(draw(st.integers(0, 3))):
            back = rng.randint(max(0, i - SEQ_WINDOW + 1), i)
            received.append(presses[back])  # a late copy of this or an earlier press
    return presses, received


@settings(max_examples=300, deadline=None)
@given(reordered())
def test_each_press_counts_once_in_order_and_a_late_copy_never(case: tuple[list[Frame], list[Frame]]) -> None:
    presses, received = case
    link = ScriptedLink(received)
    master = SeatMaster(link, [SEAT], polled=False)
    events = []
    while link.incoming:
        events.extend(master.listen(0.001))
    assert [(e.seq, parse_vote(e.payload)) for e in events] == [(f.seq, parse_vote(f.payload)) for f in presses]
    assert master.stats.events == len(presses)
    assert master.stats.duplicates + master.stats.stale == len(received) - len(presses)


def test_an_old_yes_arriving_after_the_newer_no_does_not_flip_the_vote() -> None:
    yes, no = _presses(2, 5)
    link = ScriptedLink([yes, no, yes])
    master = SeatMaster(link, [SEAT], polled=False)
    events = []
    while link.incoming:
        events.extend(master.listen(0.001))
    assert [parse_vote(e.payload).choice for e in events] == [Choice.YES, Choice.NO]
    assert master.stats.stale == 1 and master.stats.duplicates == 0
    assert [f.seq for f in link.sent if f.code == Code.ACK] == [5, 6]  # the stale copy is not answered


@given(st.integers(0, 255), st.integers(1, SEQ_WINDOW))
def test_the_cycle_skips_zero_and_wraps(start: int, steps: int) -> None:
    seq = start
    for _ in range(steps):
        seq = next_seq(seq)
    assert seq != 0
    assert seq_relation(start, seq) is SeqRelation.NEW
    assert seq_relation(seq, start) is (SeqRelation.NEW if start == 0 else SeqRelation.STALE)
    assert seq_relation(seq, seq) is SeqRelation.COPY


def test_a_restarted_terminal_starts_again_at_zero() -> None:
    assert seq_relation(None, 9) is SeqRelation.NEW
    assert seq_relation(200, 0) is SeqRelation.NEW  # power-up: a new cycle
    assert seq_relation(0, 0) is SeqRelation.COPY
    assert seq_relation(0, 1) is SeqRelation.NEW and seq_relation(0, 200) is SeqRelation.STALE


def _keep_alive(seq: int) -> Frame:
    return Frame(code=Code.KEEP_ALIVE, address=SEAT, seq=seq, from_seat=True)


def test_a_restart_announced_by_keep_alive_zero_starts_a_new_cycle() -> None:
    before, after = _presses(5, 1), _presses(3, 1)
    link = ScriptedLink([_keep_alive(0), *before, _keep_alive(5), _keep_alive(0), *after, after[0]])
    master = SeatMaster(link, [SEAT], polled=False)
    events = []
    while link.incoming:
        events.extend(master.listen(0.001))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 1, 2, 3]
    assert master.stats.stale == 1 and master.stats.keep_alives == 3


def test_a_terminal_numbering_its_first_event_zero_is_still_heard() -> None:
    first = Frame(code=Code.SIGN_IN, address=SEAT, seq=0, from_seat=True, ack_request=True)
    link = ScriptedLink([_keep_alive(0), first, first, *_presses(2, 1)])
    master = SeatMaster(link, [SEAT], polled=False)
    events = []
    while link.incoming:
        events.extend(master.listen(0.001))
    assert [(e.code, e.seq) for e in events] == [(Code.SIGN_IN, 0), (Code.VOTE, 1), (Code.VOTE, 2)]
    assert master.stats.duplicates == 1


def test_a_reserved_event_code_is_acknowledged_and_never_counted() -> None:
    reserved = Frame(code=0x20, address=SEAT, seq=1, from_seat=True, ack_request=True)
    link = ScriptedLink([reserved, *_presses(1, 2)])
    master = SeatMaster(link, [SEAT], polled=False)
    events = []
    while link.incoming:
        events.extend(master.listen(0.001))
    assert [e.code for e in events] == [Code.VOTE]
    assert master.stats.reserved == 1 and master.stats.events == 1
    assert [(f.code, f.seq) for f in link.sent] == [(Code.ACK, 1), (Code.ACK, 2)]
