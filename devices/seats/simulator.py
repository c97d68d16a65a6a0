"""N virtual seat terminals on any link, for tests, benchmarks and demos.

One simulator answers for many seat addresses on one bus. Each virtual seat keeps the state a real
terminal shows (microphone, LEDs, display, nameplate, open vote) and a queue of events waiting for
acknowledgement. On a polled line a seat speaks only when polled; on full-duplex links it sends its
oldest event itself and retransmits it until acknowledged. Faults: drop or corrupt a seat's next
frames, or keep a seat silent for a while.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from devices.seats.bus import SeatBus
from devices.seats.errors import BusClosedError, BusError, FrameError
from devices.seats.master import is_polled
from devices.seats.protocol import (
    Choice,
    Code,
    Fault,
    Frame,
    Led,
    PressMode,
    ack_frame,
    acknowledges,
    card_payload,
    encode_body,
    fault_payload,
    next_seq,
    parse_clock,
    parse_display,
    parse_nameplate,
    parse_vote_open,
    switch_payload,
    vote_payload,
)
from devices.seats.scenario import FaultAction, Press, Scenario
from devices.seats.timing import EVENT_MAX_RETRANSMIT_S, EVENT_RETRANSMIT_S

log = logging.getLogger(__name__)

RETRANSMIT_TIMEOUT = EVENT_RETRANSMIT_S
NO_CHOICE = Choice(0)
_CHOICES = {"yes": Choice.YES, "no": Choice.NO, "abstain": Choice.ABSTAIN}


@dataclass
class VirtualSeat:
    """The state of one simulated terminal."""

    address: int
    microphone: bool = False
    leds_on: int = 0
    leds_blink: int = 0
    display: dict[int, str] = field(default_factory=dict)
    nameplate: tuple[str, str] = ("", "")
    message: str = ""
    clock: tuple[int, int] | None = None
    vote_id: int | None = None
    allowed: Choice = NO_CHOICE
    press_mode: PressMode = PressMode.FIRST_PRESS_VALID
    question: int = 0
    """The question (candidate) the open vote puts now; presses carry it."""
    voted: Choice | None = None
    pending: deque[Frame] = field(default_factory=deque)
    seq: int | None = None
    sent_at: float | None = None
    srtt: float | None = None
    """Smoothed round trip of this terminal's events, from those acknowledged at their first send."""
    rttvar: float = 0.0
    attempts: int = 0
    silent_until: float | None = None
    silent: bool = False
    drop_next: int = 0
    corrupt_next: int = 0
    last_command: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Per sender address (this seat's own, or ``BROADCAST``): (code, seq) of the last command applied.

    The master numbers broadcasts and each seat's commands separately, so the same sequence number may
    come on both; a copy is a duplicate only if it repeats the last command of the same kind of address.
    """

    def retransmit_timeout(self, floor: float) -> float:
        """When to resend the event in flight (docs/seat-protocol.md §4): the round trip measured plus
        four deviations, never below ``floor``, doubled with each resend up to the maximum."""
        rto = floor if self.srtt is None else max(floor, self.srtt + 4 * self.rttvar)
        return min(rto * 2 ** max(0, self.attempts - 1), max(floor, EVENT_MAX_RETRANSMIT_S))

    def measure(self, rtt: float) -> None:
        """Take one round trip into the estimate (RFC 6298's gains: 1/8 and 1/4)."""
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt

    def new_seq(self) -> int:
        """The next event sequence number: 1 first after power-up (0 is the power-up KEEP_ALIVE's)."""
        self.seq = 1 if self.seq is None else next_seq(self.seq)
        return self.seq


@dataclass
class SimulatorStats:
    """Frames the simulator sent, dropped or corrupted on purpose, and retransmissions."""

    sent: int = 0
    dropped: int = 0
    corrupted: int = 0
    retransmissions: int = 0
    presses: int = 0
    ignored_presses: int = 0


class SeatSimulator:
    """Runs many virtual seats on one bus in a background thread."""

    def __init__(
        self,
        bus: SeatBus,
        seats: Iterable[int] | int,
        *,
        polled: bool | None = None,
        retransmit_timeout: float = RETRANSMIT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Simulate ``seats`` (addresses, or a count meaning 1..N) on ``bus``."""
        addresses = range(1, seats + 1) if isinstance(seats, int) else seats
        self.bus = bus
        self.seats: dict[int, VirtualSeat] = {a: VirtualSeat(a) for a in addresses}
        self._waiting: set[int] = set()
        """Seats with events not yet acknowledged: what ``transmit_due`` looks at (not the whole hall)."""
        self._next_due = 0.0
        """Full-duplex links: the earliest moment a waiting seat's timer can fire (``transmit_due`` sleeps till then)."""
        self.polled = is_polled(bus) if polled is None else polled
        self.retransmit_timeout = retransmit_timeout
        self.stats = SimulatorStats()
        self._clock = clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._scenario_thread: threading.Thread | None = None
        self.error: BaseException | None = None

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> SeatSimulator:
        """Start serving the seats in a background thread."""
        self._thread = threading.Thread(target=self._run, name="seat-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the background threads (the bus stays open; its owner shuts it down)."""
        self._stop.set()
        for thread in (self._scenario_thread, self._thread):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5.0)

    def __enter__(self) -> SeatSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            if not self.polled:  # power-up announcement on a full-duplex link (docs/seat-protocol.md §4)
                for seat in self.seats.values():
                    if seat.seq is None:
                        self.bus.send(Frame(code=Code.KEEP_ALIVE, address=seat.address, seq=0, from_seat=True))
            while not self._stop.is_set():
                frame = self.bus.recv(timeout=0.01)
                if frame is not None:
                    self.handle(frame)
                if not self.polled:
                    self.transmit_due()
        except BusClosedError:
            pass
        except BusError as exc:
            self.error = exc
            log.error("seat simulator stopped: %s", exc)

    # --- presses and faults ----------------------------------------------------------------------

    def press(self, address: int, key: str, value: str | None = None) -> bool:
        """Press ``key`` on seat ``address``; False when the terminal ignores it (e.g. no vote open)."""
        with self._lock:
            seat = self.seats[address]
            event = self._event_for(seat, key, value)
            if event is None:
                self.stats.ignored_presses += 1
                return False
            code, payload = event
            seat.pending.append(
                Frame(code=code, address=address, seq=seat.new_seq(), payload=payload, from_seat=True,
                      ack_request=True)
            )
            self._waiting.add(address)
            self.stats.presses += 1
            if not self.polled and seat.sent_at is None:
                if self._is_silent(seat):
                    self._next_due = self._clock()  # sent when the seat is heard again
                else:
                    self._send_pending(seat)  # a terminal sends a press at once, not at the next turn of a loop
            return True

    def _event_for(self, seat: VirtualSeat, key: str, value: str | None) -> tuple[int, bytes] | None:
        if key in _CHOICES:
            choice = _CHOICES[key]
            if seat.vote_id is None or not choice & seat.allowed:
                return None
            if seat.voted is not None and seat.press_mode == PressMode.FIRST_PRESS_VALID:
                return None
            seat.voted = choice
            return Code.VOTE, vote_payload(seat.vote_id, choice, seat.question)
        simple = {"sign_in": Code.SIGN_IN, "sign_out": Code.SIGN_OUT, "speak": Code.REQUEST_SPEAK,
                  "cancel": Code.CANCEL_SPEAK}
        if key in simple:
            return simple[key], b""
        if key == "card":
            return Code.IC_CARD, card_payload(bytes.fromhex(value or "00000000"))
        if key in ("priority", "priority_release"):
            return Code.CHAIR_PRIORITY, switch_payload(key == "priority")
        if key == "fault":
            return Code.FAULT, fault_payload(Fault.GENERIC, value or "")
        raise FrameError(f"unknown key {key!r}")

    def drop(self, address: int, count: int = 1) -> None:
        """Lose the next ``count`` frames seat ``address`` sends."""
        with self._lock:
            self.seats[address].drop_next += count

    def corrupt(self, address: int, count: int = 1) -> None:
        """Damage the next ``count`` frames seat ``address`` sends (one byte flipped, CRC left as was)."""
        with self._lock:
            self.seats[address].corrupt_next += count

    def silence(self, address: int, until: float | None = None) -> None:
        """Make a seat deaf and mute until the simulator clock reaches ``until`` (None: until restored)."""
        with self._lock:
            seat = self.seats[address]
            seat.silent = True
            seat.silent_until = until

    def restore(self, address: int) -> None:
        """End a seat's silence."""
        with self._lock:
            seat = self.seats[address]
            seat.silent = False
            seat.silent_until = None
            self._next_due = 0.0  # what it held back goes out at the next turn

    def play(self, scenario: Scenario) -> threading.Thread:
        """Run a scenario's presses and faults at their time offsets in a background thread."""

        def run() -> None:
            started = self._clock()
            for action in scenario.actions():
                if self._stop.wait(max(0.0, started + action.at - self._clock())):
                    return
                self.apply(action, started)

        self._scenario_thread = threading.Thread(target=run, name="seat-scenario", daemon=True)
        self._scenario_thread.start()
        return self._scenario_thread

    def apply(self, action: Press | FaultAction, started: float | None = None) -> None:
        """Apply one scenario action now; silences end at ``started + until``."""
        if action.seat not in self.seats:
            return
        if isinstance(action, Press):
            self.press(action.seat, action.key, action.value)
        elif action.kind == "drop":
            self.drop(action.seat, action.count)
        elif action.kind == "corrupt":
            self.corrupt(action.seat, action.count)
        else:
            base = self._clock() - action.at if started is None else started
            self.silence(action.seat, None if action.until is None else base + action.until)

    def wait_until(self, predicate: Callable[[SeatSimulator], bool], timeout: float) -> bool:
        """Wait until ``predicate(self)`` holds (checked whenever a seat changes); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout=timeout)

    # --- the wire --------------------------------------------------------------------------------

    def _is_silent(self, seat: VirtualSeat) -> bool:
        if seat.silent and seat.silent_until is not None and self._clock() >= seat.silent_until:
            seat.silent = False
            seat.silent_until = None
        return seat.silent

    def _emit(self, seat: VirtualSeat, frame: Frame) -> None:
        if seat.drop_next:
            seat.drop_next -= 1
            self.stats.dropped += 1
            return
        if seat.corrupt_next:
            seat.corrupt_next -= 1
            self.stats.corrupted += 1
            body = bytearray(encode_body(frame))
            body[len(body) // 2] ^= 0x5A
            self.bus.send_body(bytes(body))
            return
        self.bus.send(frame)
        self.stats.sent += 1

    def _send_pending(self, seat: VirtualSeat) -> None:
        head = seat.pending[0]
        if seat.attempts:
            self.stats.retransmissions += 1
        seat.attempts += 1
        seat.sent_at = self._clock()
        if not self.polled:
            self._next_due = min(self._next_due, seat.sent_at + seat.retransmit_timeout(self.retransmit_timeout))
        self._emit(seat, head)

    def handle(self, frame: Frame) -> None:
        """Act on one frame from the master, as the addressed terminal(s) would."""
        if frame.from_seat:
            return  # other seats' traffic, or our own frames on a loopback
        with self._changed:
            if frame.broadcast:
                for each in self.seats.values():
                    if not self._is_silent(each):
                        self._apply_command(each, frame)
                self._changed.notify_all()
                return
            seat = self.seats.get(frame.address)
            if seat is None or self._is_silent(seat):
                return
            if frame.code == Code.POLL:
                if seat.pending:
                    self._send_pending(seat)
                else:
                    self._emit(seat, Frame(code=Code.KEEP_ALIVE, address=seat.address, seq=seat.seq or 0,
                                           from_seat=True))
            elif frame.code == Code.ACK:
                if seat.pending and acknowledges(frame, seat.pending[0]):
                    seat.pending.popleft()
                    if seat.attempts == 1 and seat.sent_at is not None:  # Karn: never time a resent event
                        seat.measure(self._clock() - seat.sent_at)
                    seat.sent_at = None
                    seat.attempts = 0
                    if not self.polled and seat.pending:
                        self._send_pending(seat)
            else:
                self._apply_command(seat, frame)
                if frame.ack_request:
                    self._emit(seat, ack_frame(frame, from_seat=True))
            self._changed.notify_all()

    def transmit_due(self) -> None:
        """On a full-duplex link: send each seat's oldest event if not yet sent or due for retransmission.

        Only seats waiting for an ACK are looked at, and only once the earliest of their timers is due: the
        reader calls this after every frame, and a scan of a full hall per frame would starve the link.
        """
        now = self._clock()
        with self._lock:
            if now < self._next_due:
                return
            next_due = float("inf")
            for address in list(self._waiting):
                seat = self.seats[address]
                if not seat.pending:
                    self._waiting.discard(address)
                    continue
                timeout = seat.retransmit_timeout(self.retransmit_timeout)
                if self._is_silent(seat):
                    next_due = min(next_due, now + self.retransmit_timeout)
                    continue
                if seat.sent_at is None or now - seat.sent_at >= timeout:
                    self._send_pending(seat)
                    timeout = seat.retransmit_timeout(self.retransmit_timeout)
                assert seat.sent_at is not None
                next_due = min(next_due, seat.sent_at + timeout)
            self._next_due = next_due

    def _apply_command(self, seat: VirtualSeat, frame: Frame) -> None:
        key = (frame.code, frame.seq)
        if seat.last_command.get(frame.address) == key:
            return  # a retransmitted or repeated command: acknowledge again, apply once
        seat.last_command[frame.address] = key
        try:
            self._apply_command_payload(seat, frame)
        except FrameError as exc:
            log.info("seat %d ignored a bad %s: %s", seat.address, frame.name(), exc)

    @staticmethod
    def _apply_command_payload(seat: VirtualSeat, frame: Frame) -> None:
        code, payload = frame.code, frame.payload
        if code == Code.MICROPHONE:
            seat.microphone = payload[:1] == b"\x01"
        elif code == Code.LEDS and len(payload) == 3:
            mask, on, blink = payload
            seat.leds_on = (seat.leds_on & ~mask) | on
            seat.leds_blink = (seat.leds_blink & ~mask) | blink
        elif code == Code.DISPLAY_TEXT:
            line, text = parse_display(payload)
            if line == 0:
                seat.display.clear()
            seat.display[line] = text
        elif code == Code.NAMEPLATE:
            seat.nameplate = parse_nameplate(payload)
        elif code == Code.MESSAGE:
            seat.message = payload.decode("utf-8", errors="replace")
        elif code == Code.CLOCK:
            seat.clock = parse_clock(payload)
        elif code == Code.VOTE_OPEN:
            opening = parse_vote_open(payload)
            if (opening.vote_id, opening.question) != (seat.vote_id, seat.question):
                seat.voted = None  # a new vote, or the next candidate: the keys are free again
            seat.vote_id, seat.allowed, seat.press_mode = opening.vote_id, opening.allowed, opening.mode
            seat.question = opening.question
            seat.leds_on |= int(Led.YES | Led.NO | Led.ABSTAIN)
        elif code == Code.VOTE_CLOSE and seat.vote_id is not None and payload[:1] == bytes((seat.vote_id & 0xFF,)):
            seat.vote_id = None
            seat.allowed = NO_CHOICE
            seat.leds_on &= ~int(Led.YES | Led.NO | Led.ABSTAIN)
