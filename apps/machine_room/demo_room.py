"""The demo's machine room: simulated devices on their real protocols, a collector, and a scripted fault.

``renda demo`` starts a :class:`DemoRoom` next to the demo server: the devices of
``resources/monitor/scenarios/demo.toml`` answer on 127.0.0.1 at ports chosen free at start (Modbus TCP served
by ``pymodbus`` in a thread; the core switch by Debian's ``snmpd`` and the UPS by NUT's ``dummy-ups`` behind
``upsd`` as child processes, each only where installed — neither needs root), a real
:class:`~core.monitoring.collector.Collector` polls them through the drivers and writes into the room's own
database, and the scenario plays: 10 s after the start the compressor of air-conditioner 1 fails (a critical
state alarm at once), the cold aisle warms up and passes 27 ℃ (GB 50174-2017 附录A) about 25 s after the start;
after the point's 30 s on-delay the high-temperature warning is raised, about 55 s after the start.

The machine-room console shows this room when :data:`DB_ENV` and :data:`CONFIG_ENV` name its database and its
room file (:meth:`DemoRoom.environ`): the console of the collector's own computer. The room file is the one the
collector watches, so the console's device editor changes what is polled. :meth:`DemoRoom.stop` ends the
player, the collector's threads, the Modbus servers and the child processes; nothing is left listening.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path
from types import TracebackType

from sqlalchemy import func, select

import resources
from apps.machine_room.simulator import Scenario, SimulatedRoom, load_scenario
from core.db import make_engine, migrate
from core.monitoring.collector import Collector
from core.monitoring.models import MonSeries
from core.sync.client import LocalStore
from devices.monitor.config import load_room

log = logging.getLogger(__name__)

DEMO_SCENARIO = Path(resources.__file__).parent / "monitor" / "scenarios" / "demo.toml"
DB_ENV = "RENDA_MONITOR_DB"
"""The collector database the console reads live values from (the console on the collector's computer)."""
CONFIG_ENV = "RENDA_MONITOR_CONFIG"
"""The room file (TOML) the collector reads; the console's device editor edits it."""


class DemoRoom:
    """Use as a context manager, or :meth:`start` / :meth:`stop`. Everything lives under ``folder``."""

    def __init__(self, folder: Path, scenario: Path | Scenario = DEMO_SCENARIO, *, say: object = None) -> None:
        self.folder = folder
        loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.scenario = dataclasses.replace(loaded, duration=0)  # played until the demo ends
        self.config_path = folder / "机房配置.toml"
        self.db_path = folder / "monitor.sqlite3"
        self.sim: SimulatedRoom | None = None
        self.store: LocalStore | None = None
        self.collector: Collector | None = None
        self.notes: list[str] = []
        self.events: list[str] = []
        self._say = say
        self._stop = threading.Event()
        self._player: threading.Thread | None = None

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def environ(self) -> dict[str, str]:
        """What the console needs to show this room (see :data:`DB_ENV`, :data:`CONFIG_ENV`)."""
        return {DB_ENV: self.db_url, CONFIG_ENV: str(self.config_path)}

    def start(self) -> DemoRoom:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sim = SimulatedRoom(self.scenario, self.folder / "peers")
        self.notes = list(self.sim.notes)
        try:
            self.sim.start()
            self.config_path.write_text(self.sim.room_toml(), encoding="utf-8")
            room = load_room(self.config_path)
            engine = make_engine(self.db_url)
            migrate(engine)
            self.store = LocalStore(engine, self.folder / "blobs")
            self.collector = Collector(room, self.store, fail_threshold=2,
                                       backoff_max=max(2.0, self.scenario.interval * 2)).start()
            self.collector.watch_config(self.config_path)
            started = time.monotonic()
            self._player = threading.Thread(target=self.sim.play, name="demo-room-player",
                                            args=(lambda: time.monotonic() - started, self._stop, self._event),
                                            daemon=True)
            self._player.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _event(self, text: str) -> None:
        self.events.append(text)
        log.info("演示机房：%s", text)
        if callable(self._say):
            self._say(text)

    def samples(self) -> int:
        """Points with a stored live value (0 until the collector's first write)."""
        if self.store is None:
            return 0
        with self.store.session() as s:
            return int(s.scalar(select(func.count()).select_from(MonSeries).where(MonSeries.last_at.is_not(None)))
                       or 0)

    def ports(self) -> list[tuple[str, int]]:
        """(protocol, port) of every simulated device: ``tcp`` for Modbus and NUT, ``udp`` for SNMP."""
        if self.sim is None:
            return []
        out = [("tcp", d.port) for d in self.sim.farm.devices.values()]
        if self.sim.nut is not None:
            out.append(("tcp", self.sim.nut.port))
        out += [("udp", s.port) for s in self.sim.switches.values()]
        return out

    def threads(self) -> list[threading.Thread]:
        """The threads this room runs (for checking that they end)."""
        found: list[threading.Thread] = []
        if self._player is not None:
            found.append(self._player)
        if self.collector is not None:
            found += [*self.collector._threads, *self.collector.poller._threads]
            if self.collector._watcher is not None:
                found.append(self.collector._watcher)
        if self.sim is not None and self.sim.farm._thread is not None:
            found.append(self.sim.farm._thread)
        return found

    def stop(self) -> None:
        """End the player, the collector (it stores what has arrived), the devices and their processes."""
        self._stop.set()
        if self._player is not None:
            self._player.join(10)
        if self.collector is not None:
            self.collector.stop()
        if self.sim is not None:
            self.sim.stop()
        if self.store is not None:
            self.store.engine.dispose()

    def __enter__(self) -> DemoRoom:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
