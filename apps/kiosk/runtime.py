"""The conference runtime: a seat link wired to the journaled conference rules, without any Qt.

:class:`ConferenceRuntime` opens a seat link (a URL through :mod:`devices.seats.registry`, or a bus
handed in), runs the :class:`~devices.seats.master.SeatMaster` in a seat thread (polling seat by seat
on an RS-485 line, receiving on TCP / CAN / virtual links), turns each seat event into a
:mod:`core.conference.events` message stamped on the meeting clock, and feeds a
:class:`~core.conference.journal.JournaledConference` whose journal lives in a given folder. After every
change it works out what the terminals must show and sends the commands back to the seats: microphone
on/off, LEDs, vote open/close, the result on the displays, pushed messages.

Thread model: the seat thread alone polls and receives; it hands each event to the rules' thread, which
journals it and only then has it acknowledged (journal, then ACK): a console that crashes before the event
is on disk never acknowledged it, so the terminal retransmits and the restarted console counts it once. On
full-duplex links the rules' thread sends the ACKs itself right after the fsync (the drivers serialize
sends); on a polled line the seat thread sends them between polls, as it owns the wire. After a restart the master is seeded with the last journaled frame number
of each seat, so a retransmission of an event journaled just before the crash is acknowledged, not counted
again. The rules are guarded by one lock:
the kiosk's chair commands (:meth:`ConferenceRuntime.apply`) run in the caller's thread, device commands
they cause are queued for the seat thread. Subscribers (plain callables, :meth:`ConferenceRuntime.subscribe`)
are called after each change, from whichever thread made it; the Qt side marshals them to its own thread.

Seat events that arrive together (up to ``MAX_BATCH``, within a few milliseconds) are journaled as one
group with a single fsync, then acknowledged and announced as one :class:`Change`: the journal keeps every
entry, chained and replayable as before, and nobody is told of a change before it is on disk.

Records: given a session factory (``records=``, the kiosk's local store), the runtime writes the meeting,
attendance, speeches and vote results to the synced conference tables (:mod:`core.conference.recorder`)
whenever the meeting opens or closes, attendance changes, a speech ends or a vote closes; a records thread
does the writing so the hall never waits for the database, and rewriting unchanged records changes nothing.

Resume: a runtime started on a folder that already holds a journal replays it and carries on the meeting
(a console killed mid-vote comes back with the vote open and every journaled press counted); on start it
sends the seats the state they must show again. The meeting clock continues from the journal's last time.

Seat supervision: on a polled line a seat that misses ``silent_after`` polls in a row is reported silent
(:class:`~core.conference.events.SeatSilent`) and back when it answers again. On full-duplex links a seat
not heard from for ``supervise_s`` seconds is sent a POLL; no answer by the next sweep makes it silent.
A seat that does not acknowledge a command (after the master's retries) is reported silent too. Commands for
a silent seat are not sent; when it answers again it is sent what it must show (LEDs, microphone, vote).
On a polled line the wait for a seat's answer adapts to the answers measured: a few times the slow end of
recent answer times, between ``MIN_REPLY_TIMEOUT`` and the master's default.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from core.conference import events as ev
from core.conference.events import Message, Outcome
from core.conference.journal import (
    Entry,
    Journal,
    JournaledConference,
    JournalError,
    canonical,
    entry_hash,
)
from core.conference.meeting import MeetingSetup, PressRule, VoteSettings
from core.conference.recorder import RecordWriter, VoteSeal, build_records, load_setup, vote_seal
from core.conference.report import result_sheet_pdf
from core.conference.state import ConferenceState
from devices.seats.bus import SeatBus
from devices.seats.errors import BusClosedError, BusError, BusTimeoutError, FrameError
from devices.seats.master import DEFAULT_REPLY_TIMEOUT, SeatEvent, SeatMaster
from devices.seats.protocol import (
    BROADCAST,
    Choice,
    Code,
    Frame,
    Led,
    PressMode,
    display_payload,
    leds_payload,
    message_payload,
    parse_fault,
    parse_vote,
    switch_payload,
    vote_open_payload,
)
from devices.seats.registry import open_link, parse_link
from devices.seats.timing import SILENT_AFTER_POLLS, SUPERVISE_AFTER_S

log = logging.getLogger(__name__)

JOURNAL_NAME = "conference.journal"
MIN_REPLY_TIMEOUT = 0.003
"""Shortest wait for a polled seat's answer (seconds): OS scheduling jitter, well above the wire time."""
REPLY_TIMEOUT_FACTOR = 4.0
ANSWERS_BEFORE_ADAPTING = 16
"""Answer times measured before the wait for a polled seat's answer follows them."""
_CHOICE_NAMES = {Choice.YES: "yes", Choice.NO: "no", Choice.ABSTAIN: "abstain"}
_VOTE_LEDS = Led.YES | Led.NO | Led.ABSTAIN
_ALL_CHOICES = Choice.YES | Choice.NO | Choice.ABSTAIN
_LISTEN_SLICE = 0.02
_DRAIN_SLICE = 0.0005
MAX_BATCH = 512
_BATCH_WINDOW = 0.005
"""Most seat events journaled with one fsync and announced as one change."""


class _GroupJournal(Journal):
    """The meeting journal with group commit: inside :meth:`group` entries are written and fsynced once.

    The chain, the line format and the replay are those of :class:`~core.conference.journal.Journal`;
    the runtime tells nobody about a change before the group holding it is on disk.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._lines: list[bytes] | None = None

    def append(self, kind: str, body: Any) -> Entry:
        if self._lines is None:
            return super().append(kind, body)
        h = entry_hash(self.last_hash, self.seq, kind, body)
        entry = Entry(self.seq, kind, body, self.last_hash, h)
        self._lines.append(canonical({"seq": entry.seq, "kind": kind, "body": body, "prev": entry.prev,
                                      "hash": h}) + b"\n")
        self.seq += 1
        self.last_hash = h
        return entry

    @contextmanager
    def group(self) -> Iterator[None]:
        """Collect the appends made inside; write and fsync them together at the end."""
        if self._lines is not None:
            yield
            return
        self._lines = []
        try:
            yield
        finally:
            lines, self._lines = self._lines, None
            if lines:
                with self.path.open("ab") as f:
                    f.write(b"".join(lines))
                    f.flush()
                    os.fsync(f.fileno())


@dataclass(frozen=True)
class Change:
    """What one change applied: each message with the rules' outcome, in order."""

    applied: tuple[tuple[Message, Outcome], ...]
    source: str
    """``"seat"`` for seat events, ``"console"`` for commands from the kiosk, ``"clock"`` for ticks."""


@dataclass
class RuntimeStats:
    """What the runtime did: events turned into messages, refusals, commands sent and failed."""

    seat_events: int = 0
    applied: int = 0
    refused: int = 0
    stale_votes: int = 0
    ignored_events: int = 0
    commands_sent: int = 0
    command_failures: int = 0
    silent_reports: int = 0
    cycles: int = 0
    cycle_times: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=10_000))
    """(seconds, events seen) of each full poll cycle on a polled line."""
    reply_timeout: float = DEFAULT_REPLY_TIMEOUT
    reply_timeout_adaptations: int = 0
    """Poll cycles after which the wait for an answer was set from the answers measured."""


def reply_timeout_for(answer_times: Sequence[float]) -> float | None:
    """The wait for a polled seat's answer that the measured ``answer_times`` (seconds) call for:
    :data:`REPLY_TIMEOUT_FACTOR` times their 95th percentile, between :data:`MIN_REPLY_TIMEOUT` and the master's
    default; None until :data:`ANSWERS_BEFORE_ADAPTING` answers were measured."""
    if len(answer_times) < ANSWERS_BEFORE_ADAPTING:
        return None
    ordered = sorted(answer_times)
    slow = ordered[int(len(ordered) * 0.95)]
    return min(DEFAULT_REPLY_TIMEOUT, max(MIN_REPLY_TIMEOUT, REPLY_TIMEOUT_FACTOR * slow))


@dataclass(frozen=True)
class _DeviceView:
    """What the terminals must show, as derived from the rules' state."""

    mics: frozenset[int] = frozenset()
    queue: frozenset[int] = frozenset()
    present: frozenset[int] = frozenset()
    vote: tuple[int, PressRule, int] | None = None
    """(vote number, press rule, question put) of the open vote."""
    results: int = 0


def prepared_setup(records: Callable[[], Session], meeting_key: str) -> MeetingSetup:
    """The set-up the operator prepared and sent to the hall, read from the synced conference records."""
    with records() as session:
        prepared = load_setup(session, meeting_key)
    if prepared is None:
        raise JournalError(f"本机没有会议 {meeting_key} 的会前准备数据（请先同步）")
    if prepared.status == "draft":
        raise JournalError(f"会议“{prepared.setup.title}”尚未发送到会场")
    return prepared.setup


def _press_mode(rule: PressRule) -> PressMode:
    return PressMode.LAST_PRESS_VALID if rule is PressRule.LAST else PressMode.FIRST_PRESS_VALID


class ConferenceRuntime:
    """A seat link, the seat master in its own thread, and the journaled conference rules in another."""

    def __init__(
        self,
        folder: Path | str,
        setup: MeetingSetup | None = None,
        *,
        link: str | None = None,
        bus: SeatBus | None = None,
        seats: Iterable[int] | None = None,
        reply_timeout: float | None = None,
        silent_after: int = SILENT_AFTER_POLLS,
        supervise_s: float | None = SUPERVISE_AFTER_S,
        tick_s: float | None = 0.5,
        records: Callable[[], Session] | None = None,
    ) -> None:
        """Resume the meeting journaled in ``folder``, or start it with ``setup``.

        Give either ``link`` (a link URL; a TCP console listens) or an open ``bus`` (left open at stop).
        ``seats`` are the addresses polled / supervised (default: every assigned seat). ``reply_timeout``
        fixes the wait for a polled answer (default: adaptive). ``tick_s`` drives countdowns and speech
        limits while one runs (None: someone else sends the ticks). ``records`` is a session factory (the
        local store's) that receives the synced conference records.
        """
        if (link is None) == (bus is None):
            raise ValueError("give exactly one of link= and bus=")
        self.folder = Path(folder)
        self.journal_path = self.folder / JOURNAL_NAME
        if self.journal_path.exists() and self.journal_path.stat().st_size > 0:
            self.conference = JournaledConference.open(self.journal_path)
            self.resumed = True
            if setup is not None and setup.meeting_id != self.state.setup.meeting_id:
                raise JournalError(
                    f"文件夹中是会议 {self.state.setup.meeting_id} 的日志，不是会议 {setup.meeting_id}")
        elif setup is None:
            raise JournalError(f"{self.journal_path} 不存在，且未给出会议设置")
        else:
            self.conference = JournaledConference.create(self.journal_path, setup)
            self.resumed = False
        self._journal = _GroupJournal(self.journal_path)
        self.conference.journal = self._journal
        self.link = link
        self._bus = bus
        self._owns_bus = bus is None
        self.seats = sorted(self.state.setup.seats) if seats is None else sorted(seats)
        self._seat_of = {member: seat for seat, member in self.state.setup.seats.items()}
        self._fixed_reply_timeout = reply_timeout
        self.silent_after = max(1, silent_after)
        self.supervise_s = supervise_s
        self.tick_s = tick_s
        self.stats = RuntimeStats(reply_timeout=reply_timeout or DEFAULT_REPLY_TIMEOUT)
        self.error: BaseException | None = None
        self.master: SeatMaster | None = None
        self.seals: dict[int, VoteSeal] = {}
        """Vote number → the journal entry and hash that end it (the result sheet's head)."""
        self._writer = RecordWriter(records) if records is not None else None
        self._recorded_key: tuple[Any, ...] | None = None
        self._record_due = threading.Event()
        self._records_thread: threading.Thread | None = None
        self.records_written = 0
        self.record_error: BaseException | None = None
        self._acks: queue.SimpleQueue[list[SeatEvent]] = queue.SimpleQueue()

        start_now = self.state.now
        start_mono = time.monotonic()
        self._offset = start_now - start_mono
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._subscribers: list[Callable[[Change], None]] = []
        self._outbox: deque[tuple[int, int, bytes]] = deque()
        self._outbox_lock = threading.Lock()
        self._view = _DeviceView()
        self._last_round: int | None = None
        """Round id (one byte, as on the wire) of the vote closed last, for seats brought up to date."""
        self._silent: set[int] = set()
        self._probed: dict[int, float] = {}
        self._answer_times: deque[float] = deque(maxlen=256)
        self._stop = threading.Event()
        self._seats_done = threading.Event()
        self._thread: threading.Thread | None = None
        self._applier: threading.Thread | None = None
        self._events: queue.SimpleQueue[list[SeatEvent]] = queue.SimpleQueue()
        self._last_tick = 0.0
        self._next_sweep = 0.0

    # --- life cycle --------------------------------------------------------------------------

    @property
    def state(self) -> ConferenceState:
        """The rules' state (read it under :meth:`locked`, or use :meth:`snapshot`)."""
        return self.conference.state

    @property
    def bus(self) -> SeatBus | None:
        """The seat link, once open."""
        return self._bus

    def start(self) -> ConferenceRuntime:
        """Open the link (if given by URL), re-send the seats their state, and start the threads."""
        if self._thread is not None:
            return self
        if self._bus is None:
            assert self.link is not None
            driver, _ = parse_link(self.link)
            listen = driver == "tcp" and "listen=" not in self.link
            self._bus = open_link(self.link, listen=True) if listen else open_link(self.link)
        self.master = SeatMaster(self._bus, self.seats, clock=time.monotonic,
                                 reply_timeout=self.stats.reply_timeout, defer_ack=True)
        self.master.seed(self.conference.wire_seqs)
        with self._lock:
            self._sync_devices()
        self._stop.clear()
        self._seats_done.clear()
        self._applier = threading.Thread(target=self._apply_loop, name="conference-rules", daemon=True)
        self._applier.start()
        self._thread = threading.Thread(target=self._run, name="conference-seats", daemon=True)
        self._thread.start()
        if self._writer is not None:
            self._record_due.set()
            self._records_thread = threading.Thread(target=self._records_loop, name="conference-records",
                                                    daemon=True)
            self._records_thread.start()
        return self

    def stop(self) -> None:
        """Stop the threads (every event received is applied first) and close a link this runtime opened. The meeting stays as journaled."""
        self._stop.set()
        for thread in (self._thread, self._applier):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5.0)
        self._thread = self._applier = None
        if self._records_thread is not None:
            self._record_due.set()
            self._records_thread.join(timeout=10.0)
            self._records_thread = None
            self.write_records()  # whatever changed after the thread's last pass
        if self._owns_bus and self._bus is not None:
            self._bus.shutdown()
            self._bus = None
        with self._changed:
            self._changed.notify_all()

    def __enter__(self) -> ConferenceRuntime:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True while the seat thread runs."""
        return self._thread is not None and self._thread.is_alive()

    # --- the meeting clock -------------------------------------------------------------------

    def now(self) -> float:
        """The meeting clock: monotonic, continuing from the journal's last time after a resume."""
        return max(time.monotonic() + self._offset, self.state.now)

    def _at(self, monotonic_time: float) -> float:
        return max(monotonic_time + self._offset, self.state.now)

    # --- reading -----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The conference snapshot (with the set-up and the journal head), taken under the lock."""
        with self._lock:
            snap = self.conference.snapshot()
            snap["setup"] = self.state.setup.to_dict()
        return snap

    def result_sheet(self, item_id: str | None, voted_at: datetime) -> bytes:
        """The PDF result sheet of a vote, built from the journal under the lock (nothing is written)."""
        with self._lock:
            return result_sheet_pdf(self.conference, item_id, voted_at=voted_at, printed_at=datetime.now())

    def read(self, fn: Callable[[ConferenceState], Any]) -> Any:
        """Run ``fn(state)`` under the lock and return its result (cheaper than a full snapshot)."""
        with self._lock:
            return fn(self.state)

    def wait_until(self, predicate: Callable[[ConferenceState], bool], timeout: float) -> bool:
        """Wait until ``predicate(state)`` holds (checked after every change); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self.state), timeout=timeout)

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after every change; returns the function that unsubscribes it."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    # --- console commands --------------------------------------------------------------------

    def apply(self, message: Message) -> Outcome:
        """Journal and apply a command from the kiosk (any thread); device commands follow."""
        return self._apply_batch([message], "console")[0]

    def run(self, build: Callable[[float], Message]) -> Outcome:
        """Apply ``build(now)``: the runtime supplies the meeting time."""
        with self._lock:
            applied = self._apply_locked([build(self.now())])
        self._notify(applied, "console")
        return applied[0][1]

    def open_meeting(self) -> Outcome:
        """Open the meeting."""
        return self.run(lambda t: ev.OpenMeeting(t))

    def close_meeting(self) -> Outcome:
        """Close the meeting."""
        return self.run(lambda t: ev.CloseMeeting(t))

    def open_vote(self, item_id: str, settings: VoteSettings | None = None) -> Outcome:
        """Open the vote on an agenda item; the seats' vote keys light up."""
        return self.run(lambda t: ev.OpenVote(t, item_id, settings))

    def close_vote(self) -> Outcome:
        """End the running vote; the seats' vote keys go dark and the result is shown."""
        return self.run(lambda t: ev.CloseVote(t))

    def put_question(self, question: int) -> Outcome:
        """Person-by-person vote: the terminals now vote on candidate ``question``; the previous one closes."""
        return self.run(lambda t: ev.PutQuestion(t, question))

    def cancel_vote(self) -> Outcome:
        """Abandon the running vote."""
        return self.run(lambda t: ev.CancelVote(t))

    def approve_speaker(self, seat: int) -> Outcome:
        """Give the floor to a queued seat."""
        return self.run(lambda t: ev.ApproveSpeaker(t, seat))

    def stop_speaker(self, seat: int) -> Outcome:
        """Switch a speaker off."""
        return self.run(lambda t: ev.StopSpeaker(t, seat))

    def mute_all(self) -> Outcome:
        """Every delegate microphone off."""
        return self.run(lambda t: ev.MuteAll(t))

    def send_message(self, seats: list[int], text: str) -> None:
        """Push a text message to seat displays (an empty list: every seat)."""
        payload = message_payload(text)
        if not seats:
            self._queue(BROADCAST, Code.MESSAGE, payload)
        for seat in seats:
            self._queue(seat, Code.MESSAGE, payload)

    def show_text(self, seat: int, text: str, line: int = 0) -> None:
        """Write a line of text on one seat's display (``BROADCAST``: every seat)."""
        self._queue(seat, Code.DISPLAY_TEXT, display_payload(line, text))

    def pending_commands(self) -> int:
        """Device commands queued for the seat thread and not yet sent."""
        with self._outbox_lock:
            return len(self._outbox)

    # --- applying ----------------------------------------------------------------------------

    def _apply_batch(self, messages: list[Message], source: str) -> list[Outcome]:
        with self._lock:
            applied = self._apply_locked(messages)
        self._notify(applied, source)
        return [outcome for _, outcome in applied]

    def _apply_locked(self, messages: list[Message]) -> list[tuple[Message, Outcome]]:
        """Journal and apply ``messages``, queue the device commands (the caller holds the lock)."""
        with self._changed:
            with self._journal.group():
                applied = [(message, self._apply_one(message)) for message in messages]
            self._sync_devices()
            self._changed.notify_all()
        return applied

    def _apply_one(self, message: Message) -> Outcome:
        results = len(self.state.voting.records)
        outcome = self.conference.apply(message)
        for record in self.state.voting.records[results:]:
            # the entry just journaled ends the vote (its close, or the anonymous tally written after it)
            self.seals[record.number] = VoteSeal(record.number, self._journal.seq - 1, self._journal.last_hash)
        self.stats.applied += 1
        if not outcome.ok:
            self.stats.refused += 1
        return outcome

    def _notify(self, applied: list[tuple[Message, Outcome]], source: str) -> None:
        if not applied:
            return
        with self._lock:
            subscribers = list(self._subscribers)
            if self._writer is not None and self._record_key() != self._recorded_key:
                self._record_due.set()
        change = Change(tuple(applied), source)
        for callback in subscribers:
            try:
                callback(change)
            except Exception:  # a broken view must not stop the seats
                log.exception("conference subscriber failed")

    def _current_view(self) -> _DeviceView:
        state = self.state
        current = state.voting.current
        vote = None if current is None else (current.number, current.settings.press, current.put)
        present = frozenset(self._seat_of[m] for m in state.attendance.present if m in self._seat_of)
        return _DeviceView(
            mics=frozenset(state.speaking.speakers),
            queue=frozenset(state.speaking.queue),
            present=present,
            vote=vote,
            results=len(state.voting.records),
        )

    def _sync_devices(self) -> None:
        """Queue the commands that bring the terminals from the last view to the current one."""
        old, new = self._view, self._current_view()
        if new == old:
            return
        self._view = new
        if old.vote is not None and (new.vote is None or old.vote[0] != new.vote[0]):
            self._last_round = old.vote[0] & 0xFF
            self._queue(BROADCAST, Code.VOTE_CLOSE, bytes((self._last_round,)))
        if new.vote is not None and new.vote != old.vote:
            self._queue(BROADCAST, Code.VOTE_OPEN,
                        vote_open_payload(new.vote[0], _ALL_CHOICES, _press_mode(new.vote[1]), new.vote[2]))
            current = self.state.voting.current
            if current is not None and len(current.ballots) > 1:  # person by person: name the candidate
                label = current.ballots[new.vote[2]].label
                self._queue(BROADCAST, Code.DISPLAY_TEXT,
                            display_payload(0, f"{current.item.title}：请对“{label}”表决"[:300]))
        for seat in sorted(new.present - old.present):
            self._queue(seat, Code.LEDS, leds_payload(Led.SIGNED_IN, Led.SIGNED_IN))
        for seat in sorted(old.present - new.present):
            self._queue(seat, Code.LEDS, leds_payload(Led.SIGNED_IN, Led(0)))
        for seat in sorted(new.mics - old.mics):
            self._queue(seat, Code.MICROPHONE, switch_payload(True))
            self._queue(seat, Code.LEDS, leds_payload(Led.MICROPHONE | Led.REQUEST, Led.MICROPHONE))
        for seat in sorted(old.mics - new.mics):
            self._queue(seat, Code.MICROPHONE, switch_payload(False))
            self._queue(seat, Code.LEDS, leds_payload(Led.MICROPHONE | Led.REQUEST, Led(0)))
        for seat in sorted(new.queue - old.queue - new.mics):
            self._queue(seat, Code.LEDS, leds_payload(Led.REQUEST, Led.REQUEST, Led.REQUEST))
        for seat in sorted(old.queue - new.queue - new.mics):
            self._queue(seat, Code.LEDS, leds_payload(Led.REQUEST, Led(0)))
        if new.results > old.results:
            record = self.state.voting.records[-1]
            if record.revealed:
                q = record.questions[0]
                verdict = "通过" if q.passed else "未通过"
                text = f"{record.title}：赞成 {q.yes}，反对 {q.no}，弃权 {q.abstain}，未按键 {q.not_voted}。{verdict}"
                self._queue(BROADCAST, Code.DISPLAY_TEXT, display_payload(0, text[:300]))

    def _queue(self, address: int, code: int, payload: bytes) -> None:
        with self._outbox_lock:
            self._outbox.append((address, code, payload))

    # --- seat events -------------------------------------------------------------------------

    def translate(self, event: SeatEvent) -> Message | None:
        """The rules' message for one seat event (None for events the rules do not take)."""
        seat, t, wire = event.address, self._at(event.received_at), event.seq
        code = event.code
        try:
            if code == Code.SIGN_IN:
                return ev.SeatKeyPressed(seat, t, wire_seq=wire)
            if code == Code.IC_CARD:
                return ev.CardSwiped(seat, t, event.payload.hex(), wire_seq=wire)
            if code == Code.SIGN_OUT:
                return ev.SeatLeft(seat, t, wire_seq=wire)
            if code == Code.REQUEST_SPEAK:
                return ev.SpeakRequested(seat, t, wire_seq=wire)
            if code == Code.CANCEL_SPEAK:
                return ev.SpeakCancelled(seat, t, wire_seq=wire)
            if code == Code.VOTE:
                press = parse_vote(event.payload)
                current = self.state.voting.current
                if current is None or current.number & 0xFF != press.vote_id or press.question != current.put:
                    self.stats.stale_votes += 1
                    return None  # a press meant for a vote, or a candidate, that is no longer open
                return ev.VoteCast(seat, t, _CHOICE_NAMES[press.choice], press.question, wire_seq=wire)
            if code == Code.CHAIR_PRIORITY:
                return ev.ChairPriority(seat, t, wire_seq=wire) if event.payload[:1] == b"\x01" else None
            if code == Code.FAULT:
                fault, detail = parse_fault(event.payload)
                return ev.SeatFault(seat, t, detail or f"终端故障代码 {fault}", wire_seq=wire)
        except (FrameError, ValueError, IndexError) as exc:
            log.info("seat %d sent a bad %s: %s", seat, event.name(), exc)
        self.stats.ignored_events += 1
        return None

    def _ingest(self, events: list[SeatEvent]) -> None:
        if not events:
            return
        applied: list[tuple[Message, Outcome]] = []
        with self._changed:
            with self._journal.group():  # one fsync for the batch, before anyone is told
                for event in events:
                    self.stats.seat_events += 1
                    if event.address in self._silent:
                        applied.extend((m, self._apply_one(m)) for m in self._back(event.address, event.received_at))
                    message = self.translate(event)  # reads the open vote: apply each event before the next
                    if message is not None:
                        applied.append((message, self._apply_one(message)))
            self._sync_devices()
            self._changed.notify_all()
        self._acknowledge(events)
        self._notify(applied, "seat")

    def _acknowledge(self, events: list[SeatEvent]) -> None:
        """The events are on disk: acknowledge them — at once from this thread on a full-duplex link (the
        drivers serialize sends; the terminals retransmit after 100 ms, so the ACK must not wait for the seat
        thread's next turn), between polls by the seat thread on a polled line (it owns the wire)."""
        master = self.master
        if master is None:
            return
        if master.polled:
            self._acks.put(events)
            return
        with suppress(BusClosedError):  # stopping: seats retransmit to the next console, which knows them
            master.acknowledge(events)

    def _send_acks(self, master: SeatMaster) -> None:
        if self._acks.empty():  # the usual case between two polls: no exception raised per poll
            return
        while True:
            try:
                events = self._acks.get_nowait()
            except queue.Empty:
                return
            master.acknowledge(events)

    def _back(self, seat: int, at: float) -> list[Message]:
        self._silent.discard(seat)
        self._probed.pop(seat, None)
        self._restore_seat(seat)
        return [ev.SeatBack(seat, self._at(at))]

    def _restore_seat(self, seat: int) -> None:
        """Queue what a seat that was unreachable must show now (it missed the commands meanwhile)."""
        view = self._view
        on = Led(0)
        if seat in view.present:
            on |= Led.SIGNED_IN
        if seat in view.mics:
            on |= Led.MICROPHONE
        elif seat in view.queue:
            on |= Led.REQUEST
        self._queue(seat, Code.LEDS, leds_payload(Led.SIGNED_IN | Led.MICROPHONE | Led.REQUEST, on,
                                                  on & Led.REQUEST))
        self._queue(seat, Code.MICROPHONE, switch_payload(seat in view.mics))
        if view.vote is None:
            if self._last_round is not None:  # the seat may still hold the round closed while it was away
                self._queue(seat, Code.VOTE_CLOSE, bytes((self._last_round,)))
        else:
            self._queue(seat, Code.VOTE_OPEN,
                        vote_open_payload(view.vote[0], _ALL_CHOICES, _press_mode(view.vote[1]), view.vote[2]))

    def _seat_back(self, seat: int, at: float) -> None:
        with self._lock:
            applied = self._apply_locked(self._back(seat, at)) if seat in self._silent else []
        self._notify(applied, "seat")

    def _report_silent(self, seat: int) -> None:
        with self._lock:
            if seat in self._silent:
                return
            self._silent.add(seat)
            self.stats.silent_reports += 1
            applied = self._apply_locked([ev.SeatSilent(seat, self.now())])
        self._notify(applied, "seat")

    # --- records -------------------------------------------------------------------------------

    def _record_key(self) -> tuple[Any, ...]:
        """What the records depend on: opening, attendance, finished speeches, results and reveals."""
        state = self.state
        attendance = state.attendance
        records = state.voting.records
        return (state.meeting_open, state.meeting_closed, attendance.sign_ins, attendance.departures,
                len(state.speaking.finished), len(records), sum(r.revealed for r in records))

    def write_records(self) -> int:
        """Write the meeting's records now (also done by the records thread after each change); rows changed."""
        if self._writer is None:
            return 0
        with self._lock:
            key = self._record_key()
            for record in self.state.voting.records:
                if record.number not in self.seals:  # a vote closed before a restart
                    self.seals[record.number] = vote_seal(self.journal_path, record.number)
            origin = datetime.now(UTC) - timedelta(seconds=self.now())
            records = build_records(self.state, self.seals, journal_head=self._journal.last_hash,
                                    clock_origin=origin)
            setup = self.state.setup
        changed = self._writer.write(setup, records)
        self._recorded_key = key
        self.records_written += changed
        with self._changed:
            self._changed.notify_all()
        return changed

    def _records_loop(self) -> None:
        while not self._stop.is_set():
            if not self._record_due.wait(timeout=_LISTEN_SLICE * 10):
                continue
            self._record_due.clear()
            try:
                self.write_records()
            except Exception as exc:  # the hall goes on; the journal still holds everything
                self.record_error = exc
                log.exception("writing the conference records failed")

    def records_current(self) -> bool:
        """True when the last records written match the state (for tests and the console's status)."""
        with self._lock:
            return self._recorded_key == self._record_key()

    # --- the threads --------------------------------------------------------------------------

    def _run(self) -> None:
        master = self.master
        assert master is not None
        try:
            while not self._stop.is_set():
                if master.polled:
                    self._poll_cycle(master)
                else:
                    self._send_commands(master)
                    events = self._receive(master)
                    if events:
                        self._events.put(events)
                    self._supervise(master)
        except BusClosedError:
            pass
        except BusError as exc:
            self.error = exc
            log.error("seat link failed: %s", exc)
        self._seats_done.set()
        with self._changed:
            self._changed.notify_all()

    def _apply_loop(self) -> None:
        """The rules' thread: journals and applies the events the seat thread received and acknowledged."""
        while True:
            try:
                events = self._events.get(timeout=_LISTEN_SLICE)
            except queue.Empty:
                events = []
            while len(events) < MAX_BATCH:
                try:
                    events.extend(self._events.get_nowait())
                except queue.Empty:
                    break
            if events:
                self._ingest(events)
            elif self._seats_done.is_set():
                return  # the seat thread has ended and everything it received has been applied
            self._maybe_tick()

    @staticmethod
    def _receive(master: SeatMaster) -> list[SeatEvent]:
        """Wait for an event, then take (and acknowledge) every event already on its way, as one batch."""
        events = master.listen(_LISTEN_SLICE)
        until = time.monotonic() + _BATCH_WINDOW
        while events and len(events) < MAX_BATCH and time.monotonic() < until:
            more = master.listen(_DRAIN_SLICE)
            if not more:
                break
            events.extend(more)
        return events

    def _poll_cycle(self, master: SeatMaster) -> None:
        started = time.monotonic()
        seen = 0
        for address in master.seats:
            if self._stop.is_set():
                return
            self._send_acks(master)
            self._send_commands(master)
            sent = time.monotonic()
            events = master.poll_seat(address)
            missed = master.stats.missed_polls.get(address, 0)
            if missed == 0:
                self._answer_times.append(time.monotonic() - sent)
                if address in self._silent:
                    self._seat_back(address, time.monotonic())
            elif missed >= self.silent_after:
                self._report_silent(address)
            seen += len(events)
            if events:
                self._events.put(events)
        self.stats.cycles += 1
        self.stats.cycle_times.append((time.monotonic() - started, seen))
        self._adapt_reply_timeout(master)

    def _adapt_reply_timeout(self, master: SeatMaster) -> None:
        if self._fixed_reply_timeout is not None:
            return
        timeout = reply_timeout_for(self._answer_times)
        if timeout is None:
            return
        master.reply_timeout = timeout
        self.stats.reply_timeout = timeout
        self.stats.reply_timeout_adaptations += 1

    def _supervise(self, master: SeatMaster) -> None:
        """Full-duplex links: probe seats not heard from lately; a probe left unanswered means silent."""
        now = time.monotonic()
        if self.supervise_s is None or now < self._next_sweep:
            return
        self._next_sweep = now + min(0.1, self.supervise_s / 4)
        for seat, probed_at in list(self._probed.items()):
            heard = master.last_seen.get(seat, 0.0)
            if heard >= probed_at:
                self._probed.pop(seat, None)
                self._seat_back(seat, heard)
            elif now - probed_at >= self.supervise_s:
                self._report_silent(seat)
                self._probed[seat] = now
                master.bus.send(Frame(code=Code.POLL, address=seat))
        for seat in self.seats:
            if seat in self._probed:
                continue
            if seat not in master.last_seen:
                master.last_seen[seat] = now  # supervision starts now
            if now - master.last_seen[seat] >= self.supervise_s:
                self._probed[seat] = now
                master.bus.send(Frame(code=Code.POLL, address=seat))

    def _send_commands(self, master: SeatMaster) -> None:
        while True:
            with self._outbox_lock:
                if not self._outbox:
                    return
                address, code, payload = self._outbox.popleft()
            if address in self._silent:
                continue  # unreachable: the seat is brought up to date when it answers again
            try:
                master.command(address, code, payload)
                self.stats.commands_sent += 1
            except BusTimeoutError as exc:
                self.stats.command_failures += 1
                log.info("command not acknowledged: %s", exc)
                self._report_silent(address)
                if not master.polled:
                    self._probed[address] = time.monotonic()
                    master.bus.send(Frame(code=Code.POLL, address=address))

    def _maybe_tick(self) -> None:
        if self.tick_s is None:
            return
        now = time.monotonic()
        if now - self._last_tick < self.tick_s:
            return
        self._last_tick = now
        with self._lock:
            state = self.state
            current = state.voting.current
            timed = (current is not None and current.deadline is not None) or any(
                s.limit_s is not None for s in state.speaking.speakers.values())
            applied = self._apply_locked([ev.Tick(self.now())]) if timed else []
        self._notify(applied, "clock")
