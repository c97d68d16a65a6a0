"""The console side of a seat link: polls seats on RS-485, acknowledges events, drops duplicates.

On a half-duplex line the master owns the wire: it sends POLL to one seat, that seat answers with its
oldest unacknowledged event or a KEEP_ALIVE. On full-duplex links (CAN, TCP, virtual) seats send events
of their own accord. Either way a retransmitted event (same sequence number as the last one accepted) is
delivered only once.

When is an event acknowledged? By default at once. A console that journals events
(``defer_ack=True``) acknowledges only after the event is on disk (:meth:`SeatMaster.acknowledge`): a crash
between receiving and journaling leaves the event unacknowledged, the terminal retransmits it, and the
restarted console counts it then. A retransmission of an event accepted but not yet acknowledged is
dropped silently; one of an event already acknowledged is acknowledged again (the ACK was lost). After a
restart :meth:`SeatMaster.seed` restores the last journaled sequence number per seat.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from devices.seats.bus import SeatBus
from devices.seats.errors import BusTimeoutError
from devices.seats.protocol import (
    BROADCAST,
    Code,
    Frame,
    SeqRelation,
    ack_frame,
    acknowledges,
    next_seq,
    seq_relation,
)
from devices.seats.timing import BROADCAST_COPIES, COMMAND_REPLY_TIMEOUT_S, COMMAND_RETRIES

EVENT_CODES = frozenset(int(code) for code in Code if code < 0x40)
"""The event codes of docs/seat-protocol.md §3; the rest of 0x00–0x3F is reserved."""
DEFAULT_REPLY_TIMEOUT = COMMAND_REPLY_TIMEOUT_S
DEFAULT_RETRIES = COMMAND_RETRIES


@dataclass(frozen=True, slots=True)
class SeatEvent:
    """One event from one seat, delivered exactly once."""

    address: int
    code: int
    payload: bytes
    seq: int
    received_at: float

    def name(self) -> str:
        """The event code's name."""
        try:
            return Code(self.code).name
        except ValueError:
            return f"0x{self.code:02X}"


@dataclass
class MasterStats:
    """What the master saw: polls, unanswered polls, events, duplicates, retransmitted commands."""

    polls: int = 0
    poll_timeouts: int = 0
    events: int = 0
    duplicates: int = 0
    stale: int = 0
    reserved: int = 0
    """Seat frames with a reserved event code (docs/seat-protocol.md §4): acknowledged, not counted."""
    """Frames older than the seat's last accepted one (reordered by a gateway or a reconnect): dropped."""
    keep_alives: int = 0
    command_retries: int = 0
    cycles: int = 0
    last_cycle_s: float = 0.0
    missed_polls: dict[int, int] = field(default_factory=dict)


def is_polled(bus: SeatBus) -> bool:
    """True when seats on ``bus`` speak only when polled."""
    return bool(getattr(bus, "polled", bus.half_duplex))


class SeatMaster:
    """Collects events from the seats on one bus and sends them commands."""

    def __init__(
        self,
        bus: SeatBus,
        seats: Iterable[int],
        *,
        polled: bool | None = None,
        reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        clock: Callable[[], float] = time.monotonic,
        defer_ack: bool = False,
    ) -> None:
        """``seats`` are the addresses to poll; ``polled`` defaults to what the bus says.

        ``defer_ack``: leave events unacknowledged until :meth:`acknowledge` (journal first, then ACK).
        """
        self.bus = bus
        self.seats = list(seats)
        self.polled = is_polled(bus) if polled is None else polled
        self.reply_timeout = reply_timeout
        self.retries = retries
        self.stats = MasterStats()
        self.last_seen: dict[int, float] = {}
        self._clock = clock
        self._accepted_seq: dict[int, int] = {}
        self._command_seq: dict[int, int] = {}
        self._inbox: list[SeatEvent] = []
        self.defer_ack = defer_ack
        self._ack_lock = threading.Lock()
        self._unacked: dict[int, int] = {}
        """Seat → sequence number of the event accepted and not yet acknowledged (``defer_ack`` only)."""

    # --- receiving -------------------------------------------------------------------------------

    def _handle(self, frame: Frame) -> Frame | None:
        """Act on one received frame; return it if it is an ACK or a reply the caller may want."""
        if not frame.from_seat:
            return None  # a loopback hears the master's own frames
        self.last_seen[frame.address] = self._clock()
        if frame.code == Code.ACK:
            return frame
        if frame.code == Code.KEEP_ALIVE:
            self.stats.keep_alives += 1
            if frame.seq == 0:  # a terminal that (re)started and has sent no event since: a new cycle
                with self._ack_lock:
                    self._accepted_seq.pop(frame.address, None)
            return frame
        if frame.code >= 0x40:
            return frame  # not an event; a seat only answers with events, KEEP_ALIVE or ACK
        if frame.code not in EVENT_CODES:  # reserved: acknowledged so the terminal stops, never counted
            self.stats.reserved += 1
            if frame.ack_request:
                self.bus.send(ack_frame(frame, from_seat=False))
            return frame
        if frame.ack_request:
            with self._ack_lock:
                relation = seq_relation(self._accepted_seq.get(frame.address), frame.seq)
                waiting = self._unacked.get(frame.address) == frame.seq
                if relation is SeqRelation.NEW:
                    self._accepted_seq[frame.address] = frame.seq
                    if self.defer_ack:
                        self._unacked[frame.address] = frame.seq
            if relation is SeqRelation.STALE:
                self.stats.stale += 1  # nobody waits for its ACK: the seat has moved on
                return frame
            duplicate = relation is SeqRelation.COPY
            if not waiting and not (self.defer_ack and not duplicate):
                self.bus.send(ack_frame(frame, from_seat=False))
            if duplicate:
                self.stats.duplicates += 1
                return frame
        self.stats.events += 1
        self._inbox.append(SeatEvent(frame.address, frame.code, frame.payload, frame.seq, self._clock()))
        return frame

    def acknowledge(self, events: Iterable[SeatEvent]) -> int:
        """Acknowledge events received with ``defer_ack`` (call once they are journaled); returns ACKs sent.

        Safe from another thread on a full-duplex link (the drivers serialize sends); on a polled line
        call it from the thread that polls, between polls.
        """
        sent = 0
        for event in events:
            with self._ack_lock:
                if self._unacked.get(event.address) != event.seq:
                    continue
                del self._unacked[event.address]
            self.bus.send(ack_frame(Frame(code=event.code, address=event.address, seq=event.seq), from_seat=False))
            sent += 1
        return sent

    def seed(self, accepted: dict[int, int]) -> None:
        """Restore the last accepted (journaled and so acknowledgeable) sequence number per seat."""
        with self._ack_lock:
            self._accepted_seq.update(accepted)

    def unacknowledged(self) -> int:
        """Events accepted and still waiting for :meth:`acknowledge`."""
        with self._ack_lock:
            return len(self._unacked)

    def _take(self) -> list[SeatEvent]:
        events, self._inbox = self._inbox, []
        return events

    def poll_seat(self, address: int) -> list[SeatEvent]:
        """Poll one seat and wait up to ``reply_timeout`` for its answer; return new events."""
        self.stats.polls += 1
        self.bus.send(Frame(code=Code.POLL, address=address))
        deadline = self._clock() + self.reply_timeout
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                self.stats.poll_timeouts += 1
                self.stats.missed_polls[address] = self.stats.missed_polls.get(address, 0) + 1
                break
            frame = self.bus.recv(timeout=remaining)
            if frame is None:
                continue
            handled = self._handle(frame)
            if handled is not None and handled.address == address and handled.code != Code.ACK:
                self.stats.missed_polls.pop(address, None)
                break
        return self._take()

    def poll_cycle(self) -> list[SeatEvent]:
        """Poll every seat once, in address order; return the new events."""
        started = self._clock()
        events: list[SeatEvent] = []
        for address in self.seats:
            events.extend(self.poll_seat(address))
        self.stats.cycles += 1
        self.stats.last_cycle_s = self._clock() - started
        return events

    def listen(self, timeout: float) -> list[SeatEvent]:
        """On a full-duplex link: receive for up to ``timeout`` seconds; return the new events."""
        deadline = self._clock() + timeout
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                break
            frame = self.bus.recv(timeout=remaining)
            if frame is not None:
                self._handle(frame)
                if self._inbox:
                    break
        return self._take()

    def step(self, timeout: float = 0.05) -> list[SeatEvent]:
        """One poll cycle on a polled line, or one listen of ``timeout`` seconds otherwise."""
        return self.poll_cycle() if self.polled else self.listen(timeout)

    def collect(self, until: Callable[[list[SeatEvent]], bool], timeout: float) -> list[SeatEvent]:
        """Gather events until ``until(events so far)`` holds; raise BusTimeoutError after ``timeout``."""
        events: list[SeatEvent] = self._take()
        deadline = self._clock() + timeout
        while not until(events):
            if self._clock() >= deadline:
                raise BusTimeoutError(f"condition not met after {timeout} s with {len(events)} events")
            events.extend(self.step())
        return events

    # --- sending ---------------------------------------------------------------------------------

    def _next_command_seq(self, address: int) -> int:
        key = BROADCAST if address == BROADCAST else address
        seq = self._command_seq.get(key)
        seq = 0 if seq is None else next_seq(seq)
        self._command_seq[key] = seq
        return seq

    def command(self, address: int, code: int, payload: bytes = b"", *, repeats: int = BROADCAST_COPIES) -> None:
        """Send a command and wait for its ACK, retransmitting up to ``retries`` times.

        A broadcast is never acknowledged (replies would collide); it is sent ``repeats`` times with the
        same sequence number and seats drop the copies. Raises BusTimeoutError when a seat never answers.
        """
        seq = self._next_command_seq(address)
        if address == BROADCAST:
            frame = Frame(code=code, address=BROADCAST, seq=seq, payload=payload)
            for _ in range(max(1, repeats)):
                self.bus.send(frame)
            return
        frame = Frame(code=code, address=address, seq=seq, payload=payload, ack_request=True)
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.command_retries += 1
            self.bus.send(frame)
            deadline = self._clock() + self.reply_timeout
            while (remaining := deadline - self._clock()) > 0:
                reply = self.bus.recv(timeout=remaining)
                if reply is None:
                    continue
                handled = self._handle(reply)
                if handled is not None and acknowledges(handled, frame):
                    return
        raise BusTimeoutError(f"seat {address} did not acknowledge {frame.name()} after {self.retries} retries")
