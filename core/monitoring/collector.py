"""The room's collector: polls the devices, judges the values, stores everything locally, forwards to the server.

Three kinds of threads, joined by one queue:

- the poller's device threads (``devices.monitor.poller``) put readings and communication events in the queue;
- the store thread takes what has arrived, at most every ``flush_s`` seconds, and writes it in one local
  transaction: live values (and, every ``live_every`` seconds, the changed ones as ``mon_live`` rows for consoles
  on other computers, :mod:`core.monitoring.live`), history (:class:`~core.monitoring.history.HistoryWriter`), alarms
  (:class:`~core.monitoring.store.AlarmJournal`, with audit and SMS) and escalations;
- the forward thread runs a sync every ``sync_s`` seconds when a server is configured.

The collector is a sync client with its own database, like a laptop: every alarm and every finished hour is
written to the local outbox in the same transaction as the alarm itself, and the outbox is pushed in order
whenever the server answers. A server or network outage only makes the outbox longer: nothing is lost, the
order is the outbox's, and the server applies each mutation once (mutation ids).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.models.base import utcnow
from core.monitoring.alarms import PointJudge, Policy, Rule
from core.monitoring.defaults import defaults_for
from core.monitoring.history import HistoryWriter
from core.monitoring.live import LiveSnapshot
from core.monitoring.models import MonPoint, MonSeries, point_id
from core.monitoring.store import AlarmJournal, Raised
from core.sync.client import LocalStore, SyncClient, SyncReport
from core.sync.transport import SyncError
from devices.monitor.base import ConfigError, Quality, Reading
from devices.monitor.config import RoomConfig, load_room
from devices.monitor.poller import CommEvent, DriverFactory, Poller
from devices.monitor.registry import open_device

log = logging.getLogger(__name__)


@dataclass
class CollectorStats:
    """Counters for the status line and the benchmark."""

    readings: int = 0
    stored_samples: int = 0
    batches: int = 0
    alarms: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    """Per raised alarm: from the reading's timestamp to the commit that stored the alarm."""
    dropped: int = 0
    """Readings lost because their batch could not be written (the local disk failed); 0 in normal work."""
    pushes: int = 0
    push_failures: int = 0
    last_sync_error: str = ""
    reconfigured: int = 0
    """How often a changed room file was taken over (the device editor saved it)."""
    last_config_error: str = ""
    """Why the last change of the room file was not taken over ("" when it was)."""


@dataclass(frozen=True, slots=True)
class _Batch:
    device: str
    readings: list[Reading]


class Collector:
    """Use as a context manager, or :meth:`start` / :meth:`stop`."""

    def __init__(self, room: RoomConfig, store: LocalStore, *, sync: SyncClient | None = None,
                 policy: Policy | None = None, flush_s: float = 0.5, sync_s: float = 5.0,
                 driver_factory: DriverFactory | None = None, fail_threshold: int = 2, backoff_max: float = 60.0,
                 on_alarm: Callable[[Raised], None] | None = None, live_every: float | None = None) -> None:
        self.room = room
        self.store = store
        self.sync_client = sync
        self.policy = policy or Policy()
        self.flush_s = flush_s
        self.sync_s = sync_s
        self.on_alarm = on_alarm
        self.stats = CollectorStats()
        self.journal = AlarmJournal(room.id, self.policy)
        self.history = HistoryWriter()
        self.live = LiveSnapshot(room.id, room.live_every if live_every is None else live_every)
        """``live_every``: seconds between snapshots of the latest values (default: the room file's; 0: none)."""
        self._live_every = live_every
        self._queue: queue.Queue[_Batch | CommEvent] = queue.Queue()
        self._points: dict[tuple[str, str], MonPoint] = {}
        self._live: dict[str, dict[str, Any]] = {}
        self._labels: dict[tuple[str, str], tuple[str, str, str]] = {}
        self._judges: dict[str, PointJudge] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        options: dict[str, Any] = {"on_readings": self._on_readings, "on_event": self._queue.put,
                                   "fail_threshold": fail_threshold, "backoff_max": backoff_max}
        if driver_factory is not None:
            options["driver_factory"] = driver_factory
        self._poller_options = options
        self.poller = Poller(list(room.devices), **options)
        self._sync_now = threading.Event()
        self._reload = threading.Event()
        self._watch_stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._reconfigure_lock = threading.Lock()

    # ------------------------------------------------------------------------------------ life cycle
    def start(self) -> Collector:
        with self.store.session() as s, s.begin():
            self._load(s)
        self._threads = [threading.Thread(target=self._store_loop, name=f"collector-{self.room.id}", daemon=True)]
        if self.sync_client is not None:
            self._threads.append(threading.Thread(target=self._forward_loop, name=f"forward-{self.room.id}",
                                                  daemon=True))
        for thread in self._threads:
            thread.start()
        self.poller.start()
        return self

    def stop(self) -> None:
        """Stop polling, store what has arrived, try one last forward, and end the threads."""
        self._watch_stop.set()
        if self._watcher is not None:
            self._watcher.join(30)
            self._watcher = None
        self.poller.stop()
        self._stop.set()
        self._sync_now.set()
        for thread in self._threads:
            thread.join(30)
        self._threads = []

    def __enter__(self) -> Collector:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def forward_now(self) -> None:
        """Ask the forward thread to sync at once (e.g. the link is known to be back)."""
        self._sync_now.set()

    # ------------------------------------------------------------------------------------ room file
    def reconfigure(self, room: RoomConfig) -> None:
        """Poll ``room``'s devices from now on: added devices start, removed ones stop, a changed address,
        interval or timeout is used at the next read. Points, history and open alarms are kept."""
        if room.id != self.room.id:
            raise ConfigError(f"机房编号不能改（{self.room.id} → {room.id}）：请为新机房另起一个采集器")
        with self._reconfigure_lock:
            self.poller.stop()
            self.room = room
            self._labels.update(_device_labels(room))
            if self._live_every is None:
                self.live.period = room.live_every
            self.poller = Poller(list(room.devices), **self._poller_options)
            self.poller.start()
            self.stats.reconfigured += 1

    def watch_config(self, path: str | Path, every: float = 1.0) -> None:
        """Take over changes of the room file ``path`` (checked with :func:`~devices.monitor.config.load_room`,
        the same parser as at start) while running; a file that fails the check is logged and the devices
        polled so far are kept."""
        path = Path(path)

        def stamp() -> tuple[int, int] | None:
            try:
                info = path.stat()
            except OSError:
                return None
            return info.st_mtime_ns, info.st_size

        def loop() -> None:
            seen = stamp()
            while not self._watch_stop.wait(every):
                now = stamp()
                if now is None or now == seen:
                    continue
                seen = now
                try:
                    self.reconfigure(load_room(path))
                except ConfigError as exc:
                    self.stats.last_config_error = str(exc)
                    log.warning("机房配置文件的修改未被采用，继续按原配置采集：%s", exc)
                    continue
                self.stats.last_config_error = ""
                log.info("已按修改后的机房配置文件采集：%d 台设备", len(self.room.devices))

        self._watcher = threading.Thread(target=loop, name=f"room-file-{self.room.id}", daemon=True)
        self._watcher.start()

    # ------------------------------------------------------------------------------------ setup
    def _load(self, s: Session) -> None:
        open_alarms = self.journal.load(s)
        self.live.load(s)
        self._labels = _device_labels(self.room)
        for p in s.scalars(select(MonPoint).where(MonPoint.room == self.room.id, MonPoint.deleted.is_(False))):
            self._track(s, p)
        for (device, key, kind, severity), alarm in open_alarms.items():
            judge = self._judges.get(point_id(self.room.id, device, key))
            if judge is not None:
                judge.restore(kind, severity, alarm.flapping)

    def _track(self, s: Session, p: MonPoint) -> None:
        self._points[(p.device, p.key)] = p
        self.history.track(s, p)
        try:
            self._judges[p.id] = PointJudge(Rule.of(p), self.policy)
        except ValueError as exc:
            log.warning("监测点 %s/%s 的告警规则无效，只记录历史：%s", p.device, p.key, exc)

    def reload_rules(self, s: Session) -> int:
        """Take over thresholds changed on the server (pulled by sync); returns how many points changed.

        A changed point gets a new judge that knows which of its alarms are open, so nothing is raised twice.
        """
        changed = 0
        for p in s.scalars(select(MonPoint).where(MonPoint.room == self.room.id, MonPoint.deleted.is_(False))):
            old = self._points.get((p.device, p.key))
            judge = self._judges.get(p.id)
            try:
                rule = Rule.of(p)
            except ValueError:
                continue
            if old is not None and judge is not None and judge.rule == rule and old.deadband == p.deadband:
                self._points[(p.device, p.key)] = p
                continue
            self._points[(p.device, p.key)] = p
            self.history.track(s, p)
            fresh = PointJudge(rule, self.policy)
            for kind, severity in ((k, sv) for (d, key, k, sv) in self.journal.open_keys() if (d, key) == (p.device, p.key)):
                fresh.restore(kind, severity)
            self._judges[p.id] = fresh
            changed += 1
        return changed

    def _point(self, s: Session, device: str, reading: Reading) -> MonPoint:
        found = self._points.get((device, reading.key))
        if found is not None:
            return found
        pid = point_id(self.room.id, device, reading.key)
        p = s.get(MonPoint, pid)
        if p is None:
            label, unit, kind = self._labels.get((device, reading.key), ("", reading.unit, ""))
            if not kind:
                kind = "bool" if isinstance(reading.value, bool) else "text" if isinstance(reading.value, str) \
                    else "number"
            values = defaults_for(reading.key, unit or reading.unit)
            p = MonPoint(id=pid, room=self.room.id, device=device, key=reading.key, label=label[:80],
                         unit=(unit or reading.unit)[:16], kind=kind[:8], enabled=True, **values)
            s.add(p)
            s.flush()
        self._track(s, p)
        return p

    # ------------------------------------------------------------------------------------ threads
    def _on_readings(self, device: str, readings: list[Reading]) -> None:
        self._queue.put(_Batch(device, readings))

    def _store_loop(self) -> None:
        while True:
            stopping = self._stop.is_set()
            items: list[_Batch | CommEvent] = []
            deadline = time.monotonic() + self.flush_s
            while True:
                try:
                    items.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            self._store_with_retry(items)
            if stopping and self._queue.empty():
                return

    def _store_with_retry(self, items: list[_Batch | CommEvent], attempts: int = 3) -> None:
        for attempt in range(1, attempts + 1):
            try:
                self.store_batch(items, utcnow())
                return
            except Exception:
                log.exception("写入本机数据库失败（第 %d 次）", attempt)
                self._recover()
                if attempt < attempts:
                    time.sleep(0.2 * attempt)
        self.stats.dropped += sum(len(i.readings) for i in items if isinstance(i, _Batch))

    def _recover(self) -> None:
        """After a failed write: forget what only memory knew and read the judges' state back from the database,
        so a retry raises what the failed transaction would have raised (the current minutes restart)."""
        self.journal = AlarmJournal(self.room.id, self.policy)
        self.history = HistoryWriter()
        self._points, self._judges, self._live = {}, {}, {}
        self.live.forget()
        try:
            with self.store.session() as s, s.begin():
                self._load(s)
        except Exception:
            log.exception("重新读取本机数据库失败")

    def store_batch(self, items: list[_Batch | CommEvent], now: datetime) -> list[Raised]:
        """Write one batch in one transaction (public for tests and the benchmark)."""
        raised: list[Raised] = []
        with self.store.session() as s, s.begin():
            if self._reload.is_set():
                self._reload.clear()
                self.reload_rules(s)
            for item in items:
                if isinstance(item, CommEvent):
                    raised += self.journal.communication(s, item.device, item.kind, item.at, item.message)
                    continue
                for reading in item.readings:
                    raised += self._reading(s, item.device, reading)
            self._write_live(s)
            if self.live.due(now):
                self.live.write(s, now, {p.id: p.deadband or 0.0 for p in self._points.values()})
            self.history.flush(s, now)
            self.journal.escalate(s, now)
        done = utcnow()
        self.stats.batches += 1
        for r in raised:
            self.stats.alarms += 1
            self.stats.latencies_ms.append(max(0.0, (done - r.raised_at).total_seconds() * 1000))
            if self.on_alarm is not None:
                self.on_alarm(r)
        if raised:
            self._sync_now.set()
        return raised

    def _write_live(self, s: Session) -> None:
        """The latest value of every point that reported in this batch (one UPDATE per shape of row)."""
        if not self._live:
            return
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in self._live.values():
            shapes.setdefault(tuple(sorted(row)), []).append(row)
        for rows in shapes.values():
            s.execute(update(MonSeries), rows)
        self._live = {}

    def _reading(self, s: Session, device: str, reading: Reading) -> list[Raised]:
        self.stats.readings += 1
        p = self._point(s, device, reading)
        value = reading.value
        number: float | None = None
        if isinstance(value, bool | int | float) and reading.quality is Quality.GOOD:
            number = float(value)
        live: dict[str, Any] = {"no": self.history.series_of(p.id), "quality": reading.quality.value}
        if reading.quality is Quality.GOOD:
            live.update(last_at=reading.timestamp, last_value=number,
                        last_text=str(value)[:80] if isinstance(value, str) else "")
        self._live[p.id] = live
        if reading.quality is Quality.GOOD:
            self.live.note(p.id, device, reading.key, number, live["last_text"], reading.quality.value,
                           reading.timestamp)
        else:
            self.live.note(p.id, device, reading.key, None, None, reading.quality.value, reading.timestamp)
        if number is None:
            return []
        if self.history.add(p.id, reading.timestamp, number):
            self.stats.stored_samples += 1
        judge = self._judges.get(p.id)
        if judge is None or not p.enabled:
            return []
        events = judge.feed(reading.timestamp, value if isinstance(value, bool) else number)
        return self.journal.apply(s, p, events) if events else []

    def _forward_loop(self) -> None:
        assert self.sync_client is not None
        while True:
            self._sync_now.wait(self.sync_s)
            self._sync_now.clear()
            stopping = self._stop.is_set()
            self.forward()
            if stopping:
                return

    def forward(self) -> SyncReport | None:
        """One sync run: push the outbox in order, pull acknowledgements and threshold changes."""
        if self.sync_client is None:
            return None
        report = SyncReport()
        try:
            report = self.sync_client.sync()
        except SyncError as exc:
            self.stats.push_failures += 1
            self.stats.last_sync_error = str(exc)
            log.info("暂时无法同步到服务器，数据保存在本机：%s", exc)
            return None
        self.stats.pushes += report.pushed
        self.stats.last_sync_error = ""
        if report.pulled_rows:
            self._reload.set()
        return report


def _device_labels(room: RoomConfig) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(device, point) → (label, unit, kind) of every point the drivers list before connecting."""
    labels: dict[tuple[str, str], tuple[str, str, str]] = {}
    for spec in room.devices:
        try:
            for info in open_device(spec.address, **spec.options).points():
                labels[(spec.id, info.key)] = (info.label, info.unit, info.kind)
        except Exception:  # a driver that knows its points only after connecting (SNMP interfaces)
            continue
    return labels
