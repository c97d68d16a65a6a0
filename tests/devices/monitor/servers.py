"""Real protocol peers for the monitoring-driver tests: NUT's upsd with dummy-ups, snmpd, pymodbus servers.

Everything listens on 127.0.0.1 on a free port and lives in a temporary directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from tests.helpers import waits
from tests.helpers.waits import WAIT_S

NUT_LIBEXEC = next((p for p in (Path("/lib/nut"), Path("/usr/lib/nut")) if (p / "upsd").exists()), None)


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_S, what: str = "condition") -> Any:
    """Poll ``condition`` until it returns something truthy (an error counts as "not up yet")."""
    return waits.wait_for(condition, timeout, what, tolerate=(Exception,))


def _as_root() -> list[str]:
    return ["-u", "root"] if os.geteuid() == 0 else []


class NutServer:
    """upsd plus one dummy-ups driver per UPS, in a temporary config directory."""

    def __init__(self, root: Path, upses: dict[str, dict[str, str]]) -> None:
        assert NUT_LIBEXEC is not None
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        # the drivers' Unix sockets live here: a short path of its own (a socket path has at most 107 bytes,
        # and a test's folder may be deep), as apps.machine_room.peers keeps them
        self.state = Path(tempfile.mkdtemp(prefix="nut-"))
        self.state.chmod(0o777)
        self.port = free_port()
        self.upses = upses
        self.env = {**os.environ, "NUT_CONFPATH": str(root), "NUT_STATEPATH": str(self.state),
                    "NUT_ALTPIDPATH": str(self.state)}
        conf = "".join(
            f"[{name}]\n  driver = dummy-ups\n  port = {name}.dev\n  pollinterval = 1\n  desc = \"{name}\"\n"
            for name in upses
        )
        (root / "ups.conf").write_text(conf)
        (root / "upsd.conf").write_text(f"LISTEN 127.0.0.1 {self.port}\n")
        (root / "upsd.users").write_text("[monitor]\n  password = s3cret\n  actions = SET\n")
        (root / "nut.conf").write_text("MODE=standalone\n")
        for name, values in upses.items():
            self.write(name, values)
        self.drivers: dict[str, subprocess.Popen[bytes]] = {}
        self.upsd: subprocess.Popen[bytes] | None = None

    def write(self, ups: str, values: dict[str, str]) -> None:
        """Replace the UPS's values; dummy-ups sees the file change within its poll interval."""
        path = self.root / f"{ups}.dev"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(f"{k}: {v}\n" for k, v in values.items()))
        tmp.replace(path)
        stamp = time.time() + 1  # a new mtime even within the same second
        os.utime(path, (stamp, stamp))
        self.upses[ups] = values

    def _log(self, name: str) -> Any:
        return open(self.root / f"{name}.log", "ab")

    def start_driver(self, ups: str) -> None:
        with self._log(ups) as log:
            self.drivers[ups] = subprocess.Popen(
                [str(NUT_LIBEXEC / "dummy-ups"), "-a", ups, "-F", *_as_root()],
                env=self.env, cwd=self.root, stdout=log, stderr=log,
            )
        wait_for(lambda: (self.state / f"dummy-ups-{ups}").exists(), what=f"dummy-ups {ups} socket")

    def start_upsd(self) -> None:
        with self._log("upsd") as log:
            self.upsd = subprocess.Popen([str(NUT_LIBEXEC / "upsd"), "-F", *_as_root()],
                                         env=self.env, cwd=self.root, stdout=log, stderr=log)
        for ups in self.upses:
            wait_for(lambda u=ups: self.get(u, "ups.status") not in (None, "WAIT"), what=f"upsd serving {ups}")

    def start(self) -> NutServer:
        for ups in self.upses:
            self.start_driver(ups)
        self.start_upsd()
        return self

    def get(self, ups: str, var: str) -> str | None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(f"GET VAR {ups} {var}\n".encode())
            line = s.makefile("rb").readline().decode()
        if line.startswith("VAR "):
            return line.split('"')[1]
        return None

    def stop_upsd(self) -> None:
        if self.upsd is not None:
            self.upsd.terminate()
            self.upsd.wait(timeout=10)
            self.upsd = None

    def stop_driver(self, ups: str) -> None:
        proc = self.drivers.pop(ups)
        proc.terminate()
        proc.wait(timeout=10)

    def stop(self) -> None:
        self.stop_upsd()
        for ups in list(self.drivers):
            self.stop_driver(ups)
        shutil.rmtree(self.state, ignore_errors=True)


UPS_PASS = """\
import json, sys
def key(oid):
    return tuple(int(x) for x in oid.strip(".").split("."))
def answer(oid, values):
    sys.stdout.write(oid + "\\n" + values[oid][0] + "\\n" + values[oid][1] + "\\n")
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
            values = json.load(f)
        found = None
        if command == "get":
            found = oid if oid in values else None
        else:
            found = next((o for o in sorted(values, key=key) if key(o) > key(oid)), None)
        if found is None:
            sys.stdout.write("NONE\\n")
        else:
            answer(found, values)
    elif command == "set":
        sys.stdin.readline(); sys.stdin.readline()
        sys.stdout.write("not-writable\\n")
    sys.stdout.flush()
"""


class Snmpd:
    """Debian's snmpd on 127.0.0.1: a v2c community, a v3 user (SHA/AES), the machine's real IF-MIB,
    and UPS-MIB (1.3.6.1.2.1.33) answered by a ``pass_persist`` script from a JSON file tests rewrite."""

    COMMUNITY = "machineroom"
    USER, AUTH, PRIV = "monitor", "authpass-123", "privpass-456"

    def __init__(self, root: Path, ups_values: dict[str, tuple[str, str]]) -> None:
        self.root = root
        self.port = free_port(socket.SOCK_DGRAM)
        self.values_file = root / "ups.json"
        self.set_ups(ups_values)
        (root / "ups_pass.py").write_text(UPS_PASS)
        (root / "persist").mkdir()
        (root / "snmpd.conf").write_text(
            f"agentAddress udp:127.0.0.1:{self.port}\n"
            f"rocommunity {self.COMMUNITY} 127.0.0.1\n"
            f"createUser {self.USER} SHA {self.AUTH} AES {self.PRIV}\n"
            f"rouser {self.USER} priv\n"
            f"pass_persist .1.3.6.1.2.1.33 {sys.executable} {root / 'ups_pass.py'} {self.values_file}\n"
            f"[snmp] persistentDir {root / 'persist'}\n"
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def set_ups(self, values: dict[str, tuple[str, str]]) -> None:
        tmp = self.values_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(values))
        tmp.replace(self.values_file)

    def start(self) -> Snmpd:
        snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
        with open(self.root / "snmpd.log", "ab") as log:
            self.proc = subprocess.Popen(
                [snmpd, "-f", "-C", "-c", str(self.root / "snmpd.conf"), "-Lf", str(self.root / "snmpd.out"),
                 "-p", str(self.root / "snmpd.pid"), "-M", str(self.root), "-m", ""],
                stdout=log, stderr=log, env={**os.environ, "MIBS": "", "SNMP_PERSISTENT_DIR": str(self.root / "persist")},
            )
        wait_for(self._answers, what="snmpd answering")
        return self

    def _answers(self) -> bool:
        # A raw v2c GET of sysUpTime.0 would need an encoder; use Net-SNMP's own tool when present,
        # otherwise wait for the UDP socket to be bound.
        if shutil.which("snmpget"):
            done = subprocess.run(
                ["snmpget", "-v2c", "-c", self.COMMUNITY, "-t", "0.3", "-r", "0", "-On",
                 f"127.0.0.1:{self.port}", ".1.3.6.1.2.1.1.3.0"],
                capture_output=True, env={**os.environ, "MIBS": ""}, check=False,
            )
            return done.returncode == 0
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("127.0.0.1", self.port))
            except OSError:
                return True
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


class ModbusServer:
    """A pymodbus server (TCP on 127.0.0.1, or RTU on a serial port) in its own thread and event loop.

    The device is a ``SimDevice`` with four separate tables; only the addresses given exist (others
    answer with the "illegal data address" exception). :meth:`set` changes values while clients read:
    the device's action hook copies them into the served registers on every request.
    """

    FUNCTIONS: ClassVar[dict[int, str]] = {1: "coil", 5: "coil", 15: "coil", 2: "discrete", 3: "holding", 6: "holding", 16: "holding",
                 4: "input"}

    def __init__(self, *, hr: dict[int, int] | None = None, ir: dict[int, int] | None = None,
                 co: dict[int, bool] | None = None, di: dict[int, bool] | None = None, unit: int = 1,
                 serial_port: str | None = None, baudrate: int = 9600) -> None:
        self.tables: dict[str, dict[int, Any]] = {
            "coil": dict(co or {}), "discrete": dict(di or {}), "holding": dict(hr or {}), "input": dict(ir or {})}
        self.unit = unit
        self.serial_port, self.baudrate = serial_port, baudrate
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: Any = None
        self.thread: threading.Thread | None = None

    def _device(self) -> Any:
        from pymodbus.simulator import DataType, SimData, SimDevice

        def block(table: str) -> list[Any]:
            values = self.tables[table]
            kind = DataType.BITS if table in ("coil", "discrete") else DataType.REGISTERS
            if not values:  # an empty table still needs one entry, far from every map's addresses
                return [SimData(60000, values=[0] if kind is DataType.REGISTERS else [False], datatype=kind)]
            return [SimData(a, values=[bool(v)] if kind is DataType.BITS else [int(v)], datatype=kind)
                    for a, v in sorted(values.items())]

        async def action(function_code: int, start_address: int, address: int, count: int,
                         current_registers: list[Any], set_values: Any) -> None:
            values = self.tables[self.FUNCTIONS.get(function_code, "holding")]
            for addr, value in list(values.items()):
                at = addr - start_address
                if 0 <= at < len(current_registers):
                    current_registers[at] = value

        return SimDevice(self.unit, simdata=(block("coil"), block("discrete"), block("holding"), block("input")),
                         action=action)

    def set(self, table: str, address: int, values: list[Any]) -> None:
        for i, value in enumerate(values):
            if address + i not in self.tables[table]:
                raise KeyError(f"{table} {address + i} is not served")
            self.tables[table][address + i] = value

    def start(self) -> ModbusServer:
        from pymodbus.server import ModbusSerialServer, ModbusTcpServer

        async def make() -> Any:
            if self.serial_port:
                return ModbusSerialServer(self._device(), port=self.serial_port, baudrate=self.baudrate)
            return ModbusTcpServer(self._device(), address=("127.0.0.1", self.port))

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True, name="modbus-server")
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=5)
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop)
        if not self.serial_port:
            wait_for(self._listening, what="modbus server listening")
        return self

    async def _serve(self) -> None:
        await self.server.serve_forever()

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        if self.server is not None:
            asyncio.run_coroutine_threadsafe(self.server.shutdown(), self.loop).result(timeout=10)
            self.server = None
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self.thread is not None:
            self.thread.join(timeout=10)
        self.loop.close()
