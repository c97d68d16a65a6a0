"""Polls every device on its own interval, in its own thread, and reports what it sees.

The poller keeps no history and knows no database: it hands readings and communication events to
the callbacks it was given (the collector stores them, the alarm engine judges them). Per device:

- a read every ``interval`` seconds (fixed rate; a read that overruns skips the missed slots);
- the driver's own ``timeout`` bounds every request, so a silent device never blocks its thread longer;
- after a failed read the driver is closed and reopened on the next attempt, with exponential backoff
  (``interval``, 2×, 4×, … up to ``backoff_max``, with ±10 % jitter so many devices do not retry in step);
- after ``fail_threshold`` failures in a row every last value is reported again as
  :attr:`Quality.STALE` and a :class:`CommEvent` ``"lost"`` is emitted once; the first good read after
  that emits ``"restored"``.

Callbacks run on the device's thread; they must be quick and thread-safe (put into a queue).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from devices.monitor.base import ConfigError, MonitorDriver, MonitorError, Reading, redact, utc_now
from devices.monitor.registry import open_device

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """One device to poll: a stable id (e.g. ``"ups-1"``), its address and its polling interval."""

    id: str
    address: str
    interval: float = 5.0
    options: dict[str, Any] = field(default_factory=dict)  # keys kept out of the address, etc.

    def __post_init__(self) -> None:
        if not self.id:
            raise ConfigError("设备编号不能为空")
        if not 0.05 <= self.interval <= 86400:
            raise ConfigError(f"设备 {self.id} 的采集周期必须在 0.05–86400 秒之间：{self.interval}")


@dataclass(frozen=True, slots=True)
class CommEvent:
    """A device stopped (``lost``) or resumed (``restored``) answering; ``message`` is Chinese."""

    device: str
    kind: Literal["lost", "restored"]
    at: datetime
    message: str
    failures: int = 0


@dataclass(slots=True)
class DeviceState:
    """What the poller knows of one device right now (read it through :meth:`Poller.state`)."""

    online: bool | None = None  # None until the first attempt
    failures: int = 0
    last_error: str = ""
    last_ok: datetime | None = None
    reads: int = 0
    failed_reads: int = 0
    """Reads that failed, since the start."""
    missed: int = 0
    """Slots of the fixed rate that passed without a read, because the one before overran or a failure backed off."""
    readings: dict[str, Reading] = field(default_factory=dict)


ReadingsCallback = Callable[[str, list[Reading]], None]
EventCallback = Callable[[CommEvent], None]
DriverFactory = Callable[[DeviceSpec], MonitorDriver]


def _default_factory(spec: DeviceSpec) -> MonitorDriver:
    return open_device(spec.address, **spec.options)


def backoff_delay(failures: int, interval: float, backoff_max: float, jitter: float = 0.1,
                  rng: random.Random | None = None) -> float:
    """Seconds to wait before the next attempt after ``failures`` failures in a row."""
    if failures <= 0:
        return interval
    base = min(backoff_max, interval * 2 ** min(failures - 1, 30))
    if jitter:
        base *= 1 + (rng or random).uniform(-jitter, jitter)
    return max(0.0, base)


class Poller:
    """Runs one thread per device until :meth:`stop`. Use as a context manager."""

    def __init__(self, devices: list[DeviceSpec], *, on_readings: ReadingsCallback | None = None,
                 on_event: EventCallback | None = None, fail_threshold: int = 2, backoff_max: float = 60.0,
                 driver_factory: DriverFactory = _default_factory) -> None:
        ids = [d.id for d in devices]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ConfigError(f"设备编号重复：{'、'.join(dupes)}")
        if fail_threshold < 1:
            raise ConfigError("判定通信中断的连续失败次数至少为 1")
        self.devices = list(devices)
        self.on_readings = on_readings
        self.on_event = on_event
        self.fail_threshold = fail_threshold
        self.backoff_max = backoff_max
        self.driver_factory = driver_factory
        self._states = {d.id: DeviceState() for d in devices}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- public ---------------------------------------------------------------------------------------

    def start(self) -> Poller:
        if self._threads:
            raise RuntimeError("poller already started")
        self._stop.clear()
        for spec in self.devices:
            thread = threading.Thread(target=self._run, args=(spec,), name=f"poll-{spec.id}", daemon=True)
            self._threads.append(thread)
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every thread to finish and wait for them (each is at most one read away from done)."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []

    def state(self, device: str) -> DeviceState:
        """A copy of the device's current state."""
        with self._lock:
            s = self._states[device]
            return DeviceState(s.online, s.failures, s.last_error, s.last_ok, s.reads, s.failed_reads, s.missed,
                               dict(s.readings))

    def snapshot(self) -> dict[str, dict[str, Reading]]:
        """Every device's latest reading per point (stale ones marked so)."""
        with self._lock:
            return {dev: dict(s.readings) for dev, s in self._states.items()}

    def __enter__(self) -> Poller:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- per-device thread ----------------------------------------------------------------------------

    def _emit_readings(self, device: str, readings: list[Reading]) -> None:
        if self.on_readings is not None:
            try:
                self.on_readings(device, readings)
            except Exception:
                log.exception("readings callback failed for %s", device)

    def _emit_event(self, event: CommEvent) -> None:
        (log.warning if event.kind == "lost" else log.info)("%s", event.message)
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:
                log.exception("event callback failed for %s", event.device)

    def _run(self, spec: DeviceSpec) -> None:
        driver: MonitorDriver | None = None
        opened = False
        next_due = time.monotonic()
        try:
            while not self._stop.is_set():
                try:
                    if driver is None:
                        driver = self.driver_factory(spec)
                    if not opened:
                        driver.open()
                        opened = True
                    readings = driver.read_all()
                except Exception as exc:  # a device fault, or a driver bug: neither may end the thread
                    if driver is not None and opened:
                        try:
                            driver.close()
                        except Exception:
                            log.exception("closing %s failed", spec.id)
                    opened = False
                    failures = self._failed(spec, exc)
                    delay = backoff_delay(failures, spec.interval, max(self.backoff_max, spec.interval))
                    slot = next_due + spec.interval
                    next_due = time.monotonic() + delay
                    self._missed(spec, int(max(0.0, next_due - slot) // spec.interval))
                else:
                    self._succeeded(spec, readings)
                    next_due += spec.interval
                    now = time.monotonic()
                    if next_due < now:  # overran: skip the missed slots, keep the phase
                        skipped = int((now - next_due) // spec.interval + 1)
                        next_due += spec.interval * skipped
                        self._missed(spec, skipped)
                self._stop.wait(max(0.0, next_due - time.monotonic()))
        finally:
            if driver is not None and opened:
                try:
                    driver.close()
                except Exception:
                    log.exception("closing %s failed", spec.id)

    def _failed(self, spec: DeviceSpec, exc: BaseException) -> int:
        message = str(exc) if isinstance(exc, MonitorError) else f"驱动程序内部错误：{type(exc).__name__}"
        if not isinstance(exc, MonitorError):
            log.exception("driver of %s failed", spec.id, exc_info=exc)
        stale: list[Reading] = []
        event: CommEvent | None = None
        with self._lock:
            state = self._states[spec.id]
            state.failures += 1
            state.failed_reads += 1
            state.last_error = message
            if state.failures >= self.fail_threshold and state.online is not False:
                state.online = False
                stale = [r.as_stale() if r.good else r for r in state.readings.values()]
                state.readings = {r.key: r for r in stale}
                event = CommEvent(spec.id, "lost", utc_now(),
                                  f"设备 {spec.id}（{redact(spec.address)}）通信中断：{message}", state.failures)
            failures = state.failures
        if stale:
            self._emit_readings(spec.id, stale)
        if event is not None:
            self._emit_event(event)
        return failures

    def _missed(self, spec: DeviceSpec, slots: int) -> None:
        if slots > 0:
            with self._lock:
                self._states[spec.id].missed += slots

    def _succeeded(self, spec: DeviceSpec, readings: list[Reading]) -> None:
        event: CommEvent | None = None
        with self._lock:
            state = self._states[spec.id]
            if state.online is False:
                event = CommEvent(spec.id, "restored", utc_now(),
                                  f"设备 {spec.id}（{redact(spec.address)}）通信恢复（此前连续失败 {state.failures} 次）",
                                  state.failures)
            state.online = True
            state.failures = 0
            state.last_error = ""
            state.last_ok = utc_now()
            state.reads += 1
            state.readings.update({r.key: r for r in readings})
        self._emit_readings(spec.id, readings)
        if event is not None:
            self._emit_event(event)
