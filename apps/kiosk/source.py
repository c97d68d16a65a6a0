"""What the kiosk's faces read from and write to: a :class:`ConferenceSource`, and its Qt feed.

A source is anything with ``snapshot()`` (the state's snapshot plus ``"setup"``, the meeting set-up as
``MeetingSetup.to_dict()``), ``apply(message)`` and ``send_message(seats, text)``:
:class:`LocalConference` wraps a :class:`~core.conference.state.ConferenceState` or a
:class:`~core.conference.journal.JournaledConference` in the GUI thread; a headless runtime that runs
the rules in a worker thread plugs in the same way: if it has ``subscribe(callback)`` the feed
subscribes (callbacks may come from any thread; the faces refresh on the GUI thread), and if it has
``now()`` the feed uses that meeting clock.

:class:`ConferenceFeed` stamps messages with a clock that continues from the meeting's own time, so a
kiosk restarted from a journal keeps its countdowns, and ticks the rules while a countdown or a speech
limit is running.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from apps.common.pyside_none import keep_none_alive
from apps.common.qt import QObject, Qt, QTimer, Signal, Slot
from core.conference import events as ev
from core.conference.events import Message, Outcome
from core.conference.journal import JournaledConference, JournalError
from core.conference.meeting import MeetingSetup
from core.conference.report import result_sheet_pdf
from core.conference.state import ConferenceState

keep_none_alive()


class ConferenceSource(Protocol):
    """The conference as the kiosk sees it."""

    def snapshot(self) -> dict[str, Any]: ...

    def apply(self, message: Message) -> Outcome: ...

    def send_message(self, seats: list[int], text: str) -> None: ...


@dataclass(frozen=True)
class SentMessage:
    """A text message pushed to seat displays (an empty seat list means every seat)."""

    seats: tuple[int, ...]
    text: str
    t: float


class LocalConference:
    """A conference run in this process, with or without a journal."""

    def __init__(self, conference: ConferenceState | JournaledConference) -> None:
        self.conference = conference
        self.sent: list[SentMessage] = []

    @property
    def state(self) -> ConferenceState:
        c = self.conference
        return c.state if isinstance(c, JournaledConference) else c

    def snapshot(self) -> dict[str, Any]:
        snap = self.conference.snapshot()
        snap["setup"] = self.state.setup.to_dict()
        return snap

    def apply(self, message: Message) -> Outcome:
        return self.conference.apply(message)

    def send_message(self, seats: list[int], text: str) -> None:
        self.sent.append(SentMessage(tuple(seats), text, self.state.now))

    def result_sheet(self, item_id: str | None, voted_at: datetime) -> bytes:
        """The PDF result sheet of a vote (the latest when ``item_id`` is None); needs a journal."""
        if not isinstance(self.conference, JournaledConference):
            raise JournalError("没有会议日志，无法出具表决结果单")
        return result_sheet_pdf(self.conference, item_id, voted_at=voted_at, printed_at=datetime.now())


def open_journaled(path: Path, setup: Callable[[], MeetingSetup]) -> tuple[LocalConference, bool]:
    """Resume the meeting journaled at ``path``, or start it with ``setup()``; True when resumed."""
    if path.exists() and path.stat().st_size > 0:
        return LocalConference(JournaledConference.open(path)), True
    return LocalConference(JournaledConference.create(path, setup())), False


class ConferenceFeed(QObject):
    """The faces' one connection to the source: applies messages, republishes snapshots."""

    changed = Signal(object)  # the snapshot (dict)
    refused = Signal(str)  # why the rules refused a message
    messages_sent = Signal(object)  # SentMessage
    _remote_change = Signal()

    def __init__(self, source: ConferenceSource, clock: Callable[[], float] | None = None,
                 tick_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._snapshot: dict[str, Any] = source.snapshot()
        own_clock = getattr(source, "now", None)
        if clock is None and callable(own_clock):
            clock = own_clock  # a runtime keeps the meeting clock itself
        if clock is None:
            start_mono = time.monotonic()
            start_now = float(self._snapshot.get("now", 0.0))
            clock = lambda: start_now + (time.monotonic() - start_mono)  # noqa: E731
        self.clock = clock
        self._remote_change.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        subscribe = getattr(source, "subscribe", None)
        self._unsubscribe: Callable[[], None] | None = None
        if callable(subscribe):  # a runtime announces changes made by the seats from its worker thread
            self._unsubscribe = subscribe(lambda _change: self.notify())
        self.drives_rules = not callable(subscribe)
        """Whether the feed sends the rules their ticks (a runtime ticks them itself)."""
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        if tick_ms > 0:
            self.timer.start()

    @property
    def snapshot(self) -> dict[str, Any]:
        return self._snapshot

    def now(self) -> float:
        return max(self.clock(), float(self._snapshot.get("now", 0.0)))

    def apply(self, message: Message) -> Outcome:
        """Apply ``message`` and republish; a refusal is also announced on :attr:`refused`."""
        outcome = self.source.apply(message)
        if not outcome.ok:
            self.refused.emit(outcome.message)
        self.refresh()
        return outcome

    def send(self, build: Callable[[float], Message]) -> Outcome:
        """Apply the message ``build(now)``: the feed supplies the time."""
        return self.apply(build(self.now()))

    def send_message(self, seats: Iterable[int], text: str) -> None:
        seat_list = sorted(set(seats))
        self.source.send_message(seat_list, text)
        self.messages_sent.emit(SentMessage(tuple(seat_list), text, self.now()))

    def can_print_results(self) -> bool:
        """Whether the source can produce result sheets (a journaled meeting)."""
        if not callable(getattr(self.source, "result_sheet", None)):
            return False
        conference = getattr(self.source, "conference", None)
        return conference is None or isinstance(conference, JournaledConference)

    def result_sheet(self, item_id: str | None, closed_at: float) -> bytes:
        """The result sheet PDF of a vote; the vote's wall time is worked out from the meeting clock."""
        voted_at = datetime.now() - timedelta(seconds=max(0.0, self.now() - closed_at))
        make = getattr(self.source, "result_sheet", None)
        if not callable(make):
            raise JournalError("本终端不能出具表决结果单")
        return bytes(make(item_id, voted_at))

    def detach(self) -> None:
        """Stop following the source's changes (the kiosk is closing)."""
        self.timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @Slot()
    def refresh(self) -> None:
        self._snapshot = self.source.snapshot()
        self.changed.emit(self._snapshot)

    def notify(self) -> None:
        """The source changed on its own (any thread): the faces refresh on the GUI thread."""
        self._remote_change.emit()

    @Slot()
    def tick(self) -> None:
        """Drive the rules' clock while something is timed; otherwise only refresh the countdowns."""
        if self.drives_rules and self.needs_tick():
            self.apply(ev.Tick(self.now()))
        else:
            self.changed.emit(self._snapshot)

    def needs_tick(self) -> bool:
        snap = self._snapshot
        current = snap.get("voting", {}).get("current")
        if current is not None and current.get("remaining_s") is not None:
            return True
        return any(s.get("limit_s") is not None for s in snap.get("speaking", {}).get("speakers", []))

    def remaining(self, remaining_s: float | None) -> float | None:
        """A countdown from the last snapshot, run on to the feed's clock."""
        if remaining_s is None:
            return None
        elapsed = max(0.0, self.now() - float(self._snapshot.get("now", 0.0)))
        return max(0.0, remaining_s - elapsed)
