"""Protocol peers for the simulator and the benchmark: Modbus TCP devices served by ``pymodbus`` on 127.0.0.1.

:class:`ModbusFarm` runs any number of simulated devices in one event loop (one TCP port each). A device
is described by its register map (``resources/monitor/maps``); :meth:`SimulatedDevice.set` takes the
engineering value of a point (``temperature = 28.4``, ``leak_detected = True``) and writes the raw
registers and bits the map says, so what the collector reads went through the real protocol stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from devices.monitor.regmap import MapPoint, RegisterMap, encode_registers, load_map


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SimulatedDevice:
    """One Modbus device: its map, its unit id and port, and the registers it serves."""

    id: str
    model: str
    unit: int = 1
    port: int = 0
    regmap: RegisterMap = field(init=False)
    tables: dict[str, dict[int, Any]] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.regmap = load_map(self.model)
        self.tables = {"coil": {}, "discrete": {}, "holding": {}, "input": {}}
        for p in self.regmap.points:
            bits = p.table in ("coil", "discrete")
            for i in range(p.size):
                self.tables[p.table][p.address + i] = False if bits else 0

    @property
    def address(self) -> str:
        return f"modbus-tcp://127.0.0.1:{self.port}?unit={self.unit}&map={self.model}"

    def _point(self, key: str) -> tuple[MapPoint, int | None]:
        for p in self.regmap.points:
            if p.key == key:
                return p, None
            for b in p.bits:
                if b.key == key:
                    return p, b.bit
        raise KeyError(f"{self.model} 没有测点 {key}")

    def set(self, key: str, value: float | bool) -> None:
        """Serve ``value`` (engineering units) for point ``key`` from now on."""
        p, bit = self._point(key)
        with self._lock:
            if p.table in ("coil", "discrete"):
                self.tables[p.table][p.address] = bool(value)
            elif bit is not None:
                word = int(self.tables[p.table][p.address])
                word = word | (1 << bit) if value else word & ~(1 << bit)
                self.tables[p.table][p.address] = word
            else:
                raw = (float(value) - p.offset) / (p.scale or 1.0)
                number: int | float = raw if p.type == "float32" else round(raw)
                for i, word in enumerate(encode_registers(number, p.type, self.regmap.word_order)):
                    self.tables[p.table][p.address + i] = word

    FUNCTIONS: ClassVar[dict[int, str]] = {1: "coil", 5: "coil", 15: "coil", 2: "discrete", 3: "holding",
                                           6: "holding", 16: "holding", 4: "input"}

    def sim_device(self) -> Any:
        from pymodbus.simulator import DataType, SimData, SimDevice

        def block(table: str) -> list[Any]:
            values = self.tables[table]
            kind = DataType.BITS if table in ("coil", "discrete") else DataType.REGISTERS
            if not values:
                return [SimData(60000, values=[0] if kind is DataType.REGISTERS else [False], datatype=kind)]
            return [SimData(a, values=[bool(v)] if kind is DataType.BITS else [int(v)], datatype=kind)
                    for a, v in sorted(values.items())]

        async def action(function_code: int, start_address: int, address: int, count: int,
                         current_registers: list[Any], set_values: Any) -> None:
            values = self.tables[self.FUNCTIONS.get(function_code, "holding")]
            with self._lock:
                for addr, value in list(values.items()):
                    at = addr - start_address
                    if 0 <= at < len(current_registers):
                        current_registers[at] = value

        return SimDevice(self.unit, simdata=(block("coil"), block("discrete"), block("holding"), block("input")),
                         action=action)


class ModbusFarm:
    """Simulated Modbus TCP devices on 127.0.0.1, served from one background event loop."""

    def __init__(self) -> None:
        self.devices: dict[str, SimulatedDevice] = {}
        self.loop = asyncio.new_event_loop()
        self._servers: dict[str, Any] = {}
        self._thread: threading.Thread | None = None

    def add(self, device_id: str, model: str, unit: int = 1) -> SimulatedDevice:
        device = SimulatedDevice(device_id, model, unit, free_port())
        self.devices[device_id] = device
        if self._thread is not None:
            self._serve(device)
        return device

    def start(self) -> ModbusFarm:
        self._thread = threading.Thread(target=self._run, daemon=True, name="modbus-farm")
        self._thread.start()
        for device in self.devices.values():
            self._serve(device)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def _serve(self, device: SimulatedDevice) -> None:
        from pymodbus.server import ModbusTcpServer

        async def make() -> Any:
            return ModbusTcpServer(device.sim_device(), address=("127.0.0.1", device.port))

        server = asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=10)
        self._servers[device.id] = server
        asyncio.run_coroutine_threadsafe(server.serve_forever(), self.loop)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", device.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"模拟设备 {device.id} 未能在端口 {device.port} 上启动")

    def stop_device(self, device_id: str) -> None:
        """The device stops answering (its server closes)."""
        server = self._servers.pop(device_id, None)
        if server is not None:
            asyncio.run_coroutine_threadsafe(server.shutdown(), self.loop).result(timeout=10)

    def start_device(self, device_id: str) -> None:
        self._serve(self.devices[device_id])

    def stop(self) -> None:
        for device_id in list(self._servers):
            with contextlib.suppress(Exception):
                self.stop_device(device_id)
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self.loop.close()

    def __enter__(self) -> ModbusFarm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ------------------------------------------------------------------------------------------------ NUT
NUT_LIBEXEC = next((p for p in (Path("/lib/nut"), Path("/usr/lib/nut")) if (p / "upsd").exists()), None)
"""Where Debian's nut-server keeps ``upsd`` and ``dummy-ups`` (None: not installed, no simulated UPS)."""

UPS_NORMAL = {"ups.status": "OL CHRG", "battery.charge": "100", "battery.runtime": "1800", "input.voltage": "230.0",
              "output.voltage": "229.5", "ups.load": "35", "input.frequency": "50.0", "ups.mfr": "模拟 UPS"}


def _as_root() -> list[str]:
    return ["-u", "root"] if os.geteuid() == 0 else []


class NutPeer:
    """``upsd`` with one ``dummy-ups`` driver per UPS in a temporary directory; :meth:`set` changes values."""

    def __init__(self, root: Path, upses: list[str]) -> None:
        if NUT_LIBEXEC is None:
            raise RuntimeError("没有安装 nut-server，无法模拟 UPS")
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        # the drivers' Unix sockets live here: a short path of its own (a socket path has at most 107 bytes)
        self.state = Path(tempfile.mkdtemp(prefix="renda-nut-"))
        self.state.chmod(0o777)
        self.port = free_port()
        self.values = {name: dict(UPS_NORMAL) for name in upses}
        self.env = {**os.environ, "NUT_CONFPATH": str(root), "NUT_STATEPATH": str(self.state),
                    "NUT_ALTPIDPATH": str(self.state)}
        (root / "ups.conf").write_text("".join(
            f"[{name}]\n  driver = dummy-ups\n  port = {name}.dev\n  pollinterval = 1\n  desc = \"{name}\"\n"
            for name in upses))
        (root / "upsd.conf").write_text(f"LISTEN 127.0.0.1 {self.port}\n")
        (root / "upsd.users").write_text("")
        (root / "nut.conf").write_text("MODE=standalone\n")
        for name in upses:
            self._write(name)
        self._procs: list[subprocess.Popen[bytes]] = []
        self._log: Any = None

    def address(self, ups: str) -> str:
        return f"nut://127.0.0.1:{self.port}/{ups}"

    def _write(self, ups: str) -> None:
        path = self.root / f"{ups}.dev"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(f"{k}: {v}\n" for k, v in self.values[ups].items()))
        tmp.replace(path)
        stamp = time.time() + 1
        os.utime(path, (stamp, stamp))

    def set(self, ups: str, key: str, value: float | bool | str) -> None:
        self.values[ups][key] = str(value)
        self._write(ups)

    def start(self) -> NutPeer:
        assert NUT_LIBEXEC is not None
        log = self._log = open(self.root / "nut.log", "ab")  # noqa: SIM115 (kept open for the processes' lifetime)
        for ups in self.values:
            self._procs.append(subprocess.Popen([str(NUT_LIBEXEC / "dummy-ups"), "-a", ups, "-F", *_as_root()],
                                                env=self.env, cwd=self.root, stdout=log, stderr=log))
            _wait(lambda u=ups: (self.state / f"dummy-ups-{u}").exists(), f"dummy-ups {ups}")
        self._procs.append(subprocess.Popen([str(NUT_LIBEXEC / "upsd"), "-F", *_as_root()], env=self.env,
                                            cwd=self.root, stdout=log, stderr=log))
        _wait(self._listening, "upsd")
        return self

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        for proc in reversed(self._procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self._procs = []
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.state, ignore_errors=True)


def _wait(condition: Any, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(f"模拟设备未能启动：{what}")


# ------------------------------------------------------------------------------------------------ SNMP
SNMPD = next((p for p in ("/usr/sbin/snmpd", shutil.which("snmpd")) if p and Path(p).exists()), None)
"""Debian's snmpd (None: not installed, no simulated switch)."""

IF_ENTRY = ".1.3.6.1.2.1.2.2.1"
IFX_ENTRY = ".1.3.6.1.2.1.31.1.1.1"

_PASS_SCRIPT = """\
import json, sys
prefix = sys.argv[2] + "."
def key(oid):
    return tuple(int(x) for x in oid.strip(".").split("."))
while True:
    line = sys.stdin.readline()
    if not line:
        break
    command = line.strip()
    if command == "PING":
        sys.stdout.write("PONG\\n")
    elif command in ("get", "getnext"):
        oid = sys.stdin.readline().strip()
        with open(sys.argv[1]) as f:
            values = {o: v for o, v in json.load(f).items() if o.startswith(prefix)}
        if command == "get":
            found = oid if oid in values else None
        else:
            found = next((o for o in sorted(values, key=key) if key(o) > key(oid)), None)
        if found is None:
            sys.stdout.write("NONE\\n")
        else:
            sys.stdout.write(found + "\\n" + values[found][0] + "\\n" + str(values[found][1]) + "\\n")
    elif command == "set":
        sys.stdin.readline(); sys.stdin.readline()
        sys.stdout.write("not-writable\\n")
    sys.stdout.flush()
"""


class SnmpSwitchPeer:
    """A core switch with ``ports`` interfaces, answered by Debian's snmpd on 127.0.0.1 (v2c).

    snmpd's ``pass_persist`` serves IF-MIB's ifTable and ifXTable from a JSON file (ahead of this machine's
    own interfaces); :meth:`set_port` takes a port down or up. Read it with ``profile=if-mib``.
    """

    COMMUNITY = "machineroom"

    def __init__(self, root: Path, ports: int = 24) -> None:
        if SNMPD is None:
            raise RuntimeError("没有安装 snmpd，无法模拟交换机")
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "persist").mkdir(exist_ok=True)
        self.port = free_port_udp()
        self.values_file = root / "switch.json"
        self.up = dict.fromkeys(range(1, ports + 1), True)
        self._write()
        script = root / "if_pass.py"
        script.write_text(_PASS_SCRIPT)
        python = sys.executable
        (root / "snmpd.conf").write_text(
            f"agentAddress udp:127.0.0.1:{self.port}\n"
            f"rocommunity {self.COMMUNITY} 127.0.0.1\n"
            f"pass_persist -p 10 {IF_ENTRY} {python} {script} {self.values_file} {IF_ENTRY}\n"
            f"pass_persist -p 10 {IFX_ENTRY} {python} {script} {self.values_file} {IFX_ENTRY}\n"
            f"[snmp] persistentDir {root / 'persist'}\n")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"snmp://{self.COMMUNITY}@127.0.0.1:{self.port}?version=2c&profile=if-mib"

    def _write(self) -> None:
        values: dict[str, list[Any]] = {}
        for n, up in self.up.items():
            values[f"{IF_ENTRY}.2.{n}"] = ["string", f"GigabitEthernet1/0/{n}"]
            values[f"{IF_ENTRY}.8.{n}"] = ["integer", 1 if up else 2]
            values[f"{IFX_ENTRY}.1.{n}"] = ["string", f"Gi1/0/{n}"]
            values[f"{IFX_ENTRY}.6.{n}"] = ["counter64", int(time.time()) * 1000 * n]
            values[f"{IFX_ENTRY}.10.{n}"] = ["counter64", int(time.time()) * 2000 * n]
        tmp = self.values_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(values))
        tmp.replace(self.values_file)

    def set_port(self, port: int, up: bool) -> None:
        if port not in self.up:
            raise KeyError(f"交换机没有第 {port} 口")
        self.up[port] = up
        self._write()

    def start(self) -> SnmpSwitchPeer:
        assert SNMPD is not None
        env = {**os.environ, "MIBS": "", "SNMP_PERSISTENT_DIR": str(self.root / "persist")}
        with open(self.root / "snmpd.log", "ab") as log:
            self.proc = subprocess.Popen(
                [SNMPD, "-f", "-C", "-c", str(self.root / "snmpd.conf"), "-Lf", str(self.root / "snmpd.out"),
                 "-p", str(self.root / "snmpd.pid"), "-M", str(self.root), "-m", ""],
                stdout=log, stderr=log, env=env)
        _wait(self._answers, "snmpd")
        return self

    def _answers(self) -> bool:
        from devices.monitor.base import MonitorError
        from devices.monitor.registry import open_device

        try:
            with open_device(self.address + "&timeout=0.5&retries=0") as switch:
                return bool(switch.read_all())
        except MonitorError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


def free_port_udp() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
