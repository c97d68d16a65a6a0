"""Latest values for consoles on other computers: the collector's snapshots in the synced ``mon_live`` table.

The collector keeps every point's latest reading in memory (:meth:`LiveSnapshot.note`). Every ``period``
seconds (the room file's ``live_every``, 10 s by default) :meth:`LiveSnapshot.write` updates, in the store
thread's transaction, the ``mon_live`` row of each point whose value moved more than the point's deadband or
whose quality or text changed since the last snapshot, and the room's heartbeat row (when, and the period).
A thousand steady points therefore cost one row per snapshot. The outbox carries the rows to the server with
everything else.

While the previous snapshot has not reached the server yet (its heartbeat is still in the outbox), no new one
is written: what changed meanwhile goes with the next snapshot after the outbox moved on. An outage therefore
leaves at most one snapshot waiting (at most one row per point), and on reconnect the console gets the newest
values right after it.

A console that does not have the collector's database reads ``mon_live`` (:func:`staleness`): a value is
shown as an old value (旧值, quality ``stale``) when the room's last heartbeat is older than
:data:`STALE_PERIODS` snapshot periods plus :data:`STALE_GRACE_S` (the forward and pull intervals), or when the
collector itself marked the point stale or bad (its device stopped answering).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models.syncstate import OutboxEntry
from core.monitoring.models import SNAPSHOT_DEVICE, SNAPSHOT_KEY, MonLive, snapshot_id
from devices.monitor.config import LIVE_EVERY_DEFAULT as DEFAULT_PERIOD_S

STALE_PERIODS = 3
STALE_GRACE_S = 30.0
"""A console shows values as old once the heartbeat is older than 3 periods + 30 s (60 s at the default)."""
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LiveSample:
    """A point's latest value as the console shows it; ``value`` and ``text`` are the last good ones."""

    device: str
    key: str
    value: float | None
    text: str
    quality: str
    at: datetime | None


def changed(old: LiveSample | None, new: LiveSample, deadband: float = 0.0) -> bool:
    """Whether ``new`` must be sent: no sample sent yet, another quality or text, a value that appeared or went,
    or a value that moved more than ``deadband`` (any move when the deadband is 0)."""
    if old is None or old.quality != new.quality or old.text != new.text:
        return True
    if old.value is None or new.value is None:
        return (old.value is None) != (new.value is None)
    moved = abs(new.value - old.value)
    return moved > deadband if deadband > 0 else moved != 0


def stale_after(period: float) -> timedelta:
    """How old a room's heartbeat may be before its values are shown as old."""
    return timedelta(seconds=STALE_PERIODS * period + STALE_GRACE_S)


MAX_ROWS_PER_BATCH = 200
"""Point rows one store batch writes at most (about 30 ms of the store thread)."""


class LiveSnapshot:
    """The collector's side. Owned by the store thread."""

    def __init__(self, room: str, period: float = DEFAULT_PERIOD_S, max_rows: int = MAX_ROWS_PER_BATCH) -> None:
        self.room = room
        self.period = period
        self.max_rows = max_rows
        self.latest: dict[str, LiveSample] = {}
        self.sent: dict[str, LiveSample] = {}
        self.written = 0
        """Point rows written by all snapshots so far (the heartbeat not counted)."""
        self.skipped = 0
        """Snapshots not taken because the previous one was still waiting in the outbox."""
        self._next: datetime | None = None
        self._pending: list[str] | None = None
        """The points of a snapshot still to write (None: no snapshot under way)."""

    def load(self, session: Session) -> None:
        """What the last snapshots wrote (after a restart, only what changed since is sent again)."""
        self.sent = {r.id: LiveSample(r.device, r.key, r.value, r.text, r.quality, r.sampled_at)
                     for r in session.scalars(select(MonLive).where(MonLive.room == self.room))
                     if r.key != SNAPSHOT_KEY or r.device != SNAPSHOT_DEVICE}

    def note(self, point: str, device: str, key: str, value: float | None, text: str | None, quality: str,
             at: datetime | None) -> None:
        """A reading: ``value`` and ``text`` None keep the last good ones (a reading that is not good)."""
        if value is None and text is None:
            before = self.latest.get(point) or self.sent.get(point)
            value, text, at = (before.value, before.text, before.at) if before else (None, "", None)
        self.latest[point] = LiveSample(device, key, value, text or "", quality, at)

    def due(self, now: datetime) -> bool:
        return self.period > 0 and (self._next is None or now >= self._next)

    def write(self, session: Session, now: datetime, deadbands: dict[str, float]) -> int | None:
        """Take a snapshot if one is due: the rows of the points that changed and the heartbeat, in ``session``'s
        transaction. Returns how many point rows were written, or None when no snapshot was taken."""
        if not self.due(now):
            return None
        beat = snapshot_id(self.room)
        if self._pending is None:  # a new snapshot: the points that moved since the last one
            if session.scalar(select(OutboxEntry.local_seq).where(OutboxEntry.row_id == beat).limit(1)) is not None:
                self._next = now + timedelta(seconds=self.period)
                self.skipped += 1
                return None
            self._pending = sorted(pid for pid, sample in self.latest.items()
                                   if changed(self.sent.get(pid), sample, deadbands.get(pid, 0.0)))
        # A whole room changing at once is written a part per store batch (one a second), so the store thread
        # never holds up the polls for long; each part takes the newest values; the heartbeat goes with the last.
        ids, self._pending = self._pending[:self.max_rows], self._pending[self.max_rows:]
        rest = bool(self._pending)
        due = {pid: self.latest[pid] for pid in ids}
        rows: dict[str, MonLive] = {}
        for n in range(0, len(ids), _CHUNK):
            rows.update((r.id, r) for r in session.scalars(select(MonLive).where(MonLive.id.in_(ids[n:n + _CHUNK]))))
        for pid in ids:
            sample = due[pid]
            row = rows.get(pid)
            if row is None:
                session.add(MonLive(id=pid, room=self.room, device=sample.device, key=sample.key, value=sample.value,
                                    text=sample.text[:80], quality=sample.quality, sampled_at=sample.at))
            else:
                row.value, row.text, row.quality, row.sampled_at = (sample.value, sample.text[:80], sample.quality,
                                                                    sample.at)
        self.sent.update(due)
        self.written += len(due)
        if rest:
            return len(due)  # still due: the next batch writes the next part
        self._pending = None
        self._next = now + timedelta(seconds=self.period)
        session.flush()  # the points' outbox entries before the heartbeat's: pushed in order, it goes last
        heartbeat = session.get(MonLive, beat)
        if heartbeat is None:
            session.add(MonLive(id=beat, room=self.room, device=SNAPSHOT_DEVICE, key=SNAPSHOT_KEY,
                                value=self.period, text="", quality="good", sampled_at=now))
        else:
            heartbeat.value, heartbeat.quality, heartbeat.sampled_at = self.period, "good", now
        return len(due)

    def forget(self) -> None:
        """After a failed transaction: what it would have written counts as not sent."""
        self.sent = {}
        self._next = None
        self._pending = None
