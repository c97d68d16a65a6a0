"""UPS over Network UPS Tools: a client of ``upsd``'s network protocol (plain TCP, port 3493).

Written against NUT's "Network protocol information" (docs/net-protocol.txt): requests are single
lines, answers are ``VAR <ups> <var> "<value>"`` lines, lists are framed by ``BEGIN LIST …`` and
``END LIST …``, failures are ``ERR <CODE>``. Values are double-quoted with ``\\"`` and ``\\\\`` escapes.
The pure parsing functions (:func:`split_words`, :func:`quote`, :func:`parse_var`,
:func:`status_flags`) are tested with hypothesis; :class:`NutDriver` is tested against Debian's
``upsd`` with the ``dummy-ups`` driver.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from typing import Any

from devices.monitor.base import (
    BaseDriver,
    ConfigError,
    DeviceProtocolError,
    DeviceUnreachable,
    PointInfo,
    Quality,
    Reading,
    missing,
    utc_now,
)
from devices.monitor.registry import number

MAX_LINE = 8192  # longer lines are not NUT
MAX_LIST = 5000  # variables in one LIST answer

# Status flags of ups.status (NUT's "Status data"): flag -> (point key, Chinese label).
STATUS_FLAGS: dict[str, tuple[str, str]] = {
    "OL": ("ups.online", "市电供电"),
    "OB": ("ups.on_battery", "电池供电"),
    "LB": ("ups.low_battery", "电池电量低"),
    "RB": ("ups.replace_battery", "需更换电池"),
    "OVER": ("ups.overload", "过载"),
    "BYPASS": ("ups.bypass", "旁路"),
    "CHRG": ("ups.charging", "充电中"),
    "FSD": ("ups.forced_shutdown", "强制关机"),
}

# Numeric variables: NUT name -> (label, unit, always reported).
NUMBERS: dict[str, tuple[str, str, bool]] = {
    "battery.charge": ("电池电量", "%", True),
    "battery.runtime": ("电池剩余时间", "s", True),
    "input.voltage": ("输入电压", "V", True),
    "output.voltage": ("输出电压", "V", True),
    "ups.load": ("负载率", "%", True),
    "battery.voltage": ("电池电压", "V", False),
    "input.frequency": ("输入频率", "Hz", False),
    "output.frequency": ("输出频率", "Hz", False),
    "ups.temperature": ("UPS 温度", "°C", False),
}

# upsd's error codes, as a clerk should read them.
ERRORS: dict[str, str] = {
    "ACCESS-DENIED": "UPS 服务拒绝访问（用户名、密码或 upsd.users 的权限不对）",
    "UNKNOWN-UPS": "UPS 服务中没有这个 UPS 名称（查看 ups.conf 的段名）",
    "VAR-NOT-SUPPORTED": "这台 UPS 不提供该变量",
    "DATA-STALE": "UPS 服务与 UPS 失去联系（驱动程序未更新数据）",
    "DRIVER-NOT-CONNECTED": "UPS 服务的驱动程序未运行",
    "INVALID-USERNAME": "UPS 服务的用户名无效",
    "INVALID-PASSWORD": "UPS 服务的密码无效",
    "USERNAME-REQUIRED": "UPS 服务要求先登录",
    "PASSWORD-REQUIRED": "UPS 服务要求密码",
    "UNKNOWN-COMMAND": "UPS 服务不认识这个命令",
    "INVALID-ARGUMENT": "发给 UPS 服务的参数无效",
}


class NutError(DeviceProtocolError):
    """upsd answered ``ERR CODE``."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        text = ERRORS.get(code, f"UPS 服务返回错误 {code}")
        super().__init__(f"{text}{('：' + detail) if detail else ''}")


def quote(value: str) -> str:
    """Quote one word for a NUT request: ``"`` and ``\\`` are escaped with a backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_words(line: str) -> list[str]:
    """Split a NUT line into words: spaces separate, double quotes group, backslash escapes."""
    words: list[str] = []
    current: list[str] = []
    in_word = in_quotes = False
    chars = iter(line)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            if nxt is None:
                raise DeviceProtocolError(f"UPS 服务的应答以反斜杠结尾：{line[:80]!r}")
            current.append(nxt)
            in_word = True
        elif ch == '"':
            in_quotes = not in_quotes
            in_word = True
        elif ch in " \t" and not in_quotes:
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        else:
            current.append(ch)
            in_word = True
    if in_quotes:
        raise DeviceProtocolError(f"UPS 服务的应答中引号不成对：{line[:80]!r}")
    if in_word:
        words.append("".join(current))
    return words


def parse_var(line: str, ups: str) -> tuple[str, str]:
    """``VAR <ups> <var> "<value>"`` -> (var, value); anything else is a protocol error."""
    words = split_words(line)
    if words[:1] == ["ERR"]:
        raise NutError(words[1] if len(words) > 1 else "?", " ".join(words[2:]))
    if len(words) != 4 or words[0] != "VAR" or words[1] != ups:
        raise DeviceProtocolError(f"UPS 服务的应答不是变量行：{line[:80]!r}")
    return words[2], words[3]


def status_flags(status: str) -> set[str]:
    """The flags of ``ups.status`` (``"OB LB"`` -> {"OB", "LB"})."""
    return set(status.split())


@dataclass(frozen=True, slots=True)
class NutVariables:
    """All variables of one UPS, as ``LIST VAR`` returned them."""

    ups: str
    values: dict[str, str]


class NutClient:
    """A minimal, blocking client of upsd: one TCP connection, one request at a time."""

    def __init__(self, host: str, port: int = 3493, timeout: float = 3.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._sock: socket.socket | None = None
        self._buffer = b""

    @property
    def connected(self) -> bool:
        return self._sock is not None

    def connect(self) -> None:
        self.close()
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise DeviceUnreachable(f"连不上 UPS 服务 {self.host}:{self.port}（{_why(exc)}）") from exc
        self._buffer = b""

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.sendall(b"LOGOUT\n")
            sock.close()

    def _drop(self) -> None:
        if self._sock is not None:
            self._sock.close()
        self._sock = None

    def send(self, line: str) -> None:
        if self._sock is None:
            self.connect()
        assert self._sock is not None
        try:
            self._sock.sendall(line.encode() + b"\n")
        except OSError as exc:
            self._drop()
            raise DeviceUnreachable(f"发往 UPS 服务 {self.host}:{self.port} 失败（{_why(exc)}）") from exc

    def readline(self) -> str:
        while b"\n" not in self._buffer:
            if self._sock is None:
                raise DeviceUnreachable(f"与 UPS 服务 {self.host}:{self.port} 的连接已断开")
            if len(self._buffer) > MAX_LINE:
                self._drop()
                raise DeviceProtocolError(f"UPS 服务 {self.host}:{self.port} 的应答行过长，不是 NUT 协议")
            try:
                chunk = self._sock.recv(4096)
            except OSError as exc:
                self._drop()
                raise DeviceUnreachable(
                    f"UPS 服务 {self.host}:{self.port} 没有应答（{_why(exc)}）"
                ) from exc
            if not chunk:
                self._drop()
                raise DeviceUnreachable(f"UPS 服务 {self.host}:{self.port} 关闭了连接")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return raw.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError as exc:
            self._drop()
            raise DeviceProtocolError(f"UPS 服务 {self.host}:{self.port} 的应答不是文本") from exc

    def command(self, line: str) -> str:
        """Send one request, return its one-line answer; ``ERR`` becomes :class:`NutError`."""
        self.send(line)
        answer = self.readline()
        if answer.startswith("ERR"):
            words = split_words(answer)
            raise NutError(words[1] if len(words) > 1 else "?", " ".join(words[2:]))
        return answer

    def login(self, username: str, password: str) -> None:
        for line in (f"USERNAME {quote(username)}", f"PASSWORD {quote(password)}"):
            if not self.command(line).startswith("OK"):
                raise DeviceProtocolError("UPS 服务的登录应答不是 OK")

    def get_var(self, ups: str, var: str) -> str:
        name, value = parse_var(self.command(f"GET VAR {quote(ups)} {quote(var)}"), ups)
        if name != var:
            raise DeviceProtocolError(f"UPS 服务答非所问：问 {var}，答 {name}")
        return value

    def list_var(self, ups: str) -> NutVariables:
        begin = self.command(f"LIST VAR {quote(ups)}")
        if split_words(begin) != ["BEGIN", "LIST", "VAR", ups]:
            self._drop()
            raise DeviceProtocolError(f"UPS 服务的列表应答开头不对：{begin[:80]!r}")
        values: dict[str, str] = {}
        while True:
            line = self.readline()
            if split_words(line) == ["END", "LIST", "VAR", ups]:
                return NutVariables(ups, values)
            if len(values) >= MAX_LIST:
                self._drop()
                raise DeviceProtocolError("UPS 服务的变量列表没有结尾")
            try:
                var, value = parse_var(line, ups)
            except DeviceProtocolError:
                self._drop()
                raise
            values[var] = value

    def list_ups(self) -> dict[str, str]:
        begin = self.command("LIST UPS")
        if split_words(begin) != ["BEGIN", "LIST", "UPS"]:
            self._drop()
            raise DeviceProtocolError(f"UPS 服务的列表应答开头不对：{begin[:80]!r}")
        out: dict[str, str] = {}
        while True:
            words = split_words(self.readline())
            if words == ["END", "LIST", "UPS"]:
                return out
            if len(words) != 3 or words[0] != "UPS" or len(out) >= MAX_LIST:
                self._drop()
                raise DeviceProtocolError("UPS 服务的 UPS 列表格式不对")
            out[words[1]] = words[2]


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "超时"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(exc, ConnectionResetError):
        return "连接被重置"
    return exc.strerror or type(exc).__name__ if isinstance(exc, OSError) else type(exc).__name__


def readings_from_variables(values: dict[str, str], now: Any = None) -> list[Reading]:
    """Turn ``LIST VAR`` values into readings: ups.status, one bool per status flag, and the numbers."""
    now = now or utc_now()
    out: list[Reading] = []
    status = values.get("ups.status")
    if status is None:
        out.append(Reading("ups.status", None, "", Quality.BAD, now))
        out.extend(Reading(key, None, "", Quality.BAD, now) for key, _ in STATUS_FLAGS.values())
    else:
        flags = status_flags(status)
        out.append(Reading("ups.status", status, "", Quality.GOOD, now))
        out.extend(Reading(key, flag in flags, "", Quality.GOOD, now) for flag, (key, _) in STATUS_FLAGS.items())
    for var, (_label, unit, always) in NUMBERS.items():
        raw = values.get(var)
        if raw is None:
            if always:
                out.append(Reading(var, None, unit, Quality.BAD, now))
            continue
        try:
            value = float(raw)
        except ValueError:
            out.append(Reading(var, None, unit, Quality.BAD, now))
            continue
        if value != value or value in (float("inf"), float("-inf")):
            out.append(Reading(var, None, unit, Quality.BAD, now))
        else:
            out.append(Reading(var, value, unit, Quality.GOOD, now))
    return out


class NutDriver(BaseDriver):
    """One UPS served by upsd. ``read_all`` reconnects by itself when the connection was lost."""

    def __init__(self, address: str = "", *, host: str, port: int = 3493, ups: str,
                 username: str | None = None, password: str | None = None, timeout: Any = 3.0,
                 **unknown: Any) -> None:
        if unknown:
            raise ConfigError(f"NUT 地址不认识这些参数：{'、'.join(sorted(unknown))}（{address}）")
        opts = {"timeout": timeout}
        super().__init__(address or f"nut://{host}:{port}/{ups}",
                         number(opts, "timeout", 3.0, address, low=0.01, high=120))
        self.ups = ups
        self.username, self.password = username, password
        self.client = NutClient(host, int(port), self.timeout)

    def open(self) -> None:
        self.client.connect()
        try:
            if self.username:
                self.client.login(self.username, self.password or "")
        except Exception:
            self.client.close()
            raise
        super().open()

    def close(self) -> None:
        self.client.close()
        super().close()

    def points(self) -> list[PointInfo]:
        out = [PointInfo("ups.status", "UPS 状态", "", "text")]
        out += [PointInfo(key, label, "", "bool") for key, label in STATUS_FLAGS.values()]
        out += [PointInfo(var, label, unit) for var, (label, unit, _) in NUMBERS.items()]
        return out

    def _stale(self, quality: Quality) -> list[Reading]:
        now = utc_now()
        infos = self.points()
        return [missing(i, now, quality) for i in infos if i.key not in NUMBERS or NUMBERS[i.key][2]]

    def read_all(self) -> list[Reading]:
        if not self.client.connected:
            self.open()
        try:
            variables = self.client.list_var(self.ups)
        except NutError as exc:
            if exc.code in ("DATA-STALE", "DRIVER-NOT-CONNECTED"):
                # upsd is up but has lost its UPS: every point is stale until the driver recovers.
                return self._stale(Quality.STALE)
            if exc.code == "UNKNOWN-UPS":
                raise ConfigError(f"{exc}：{self.ups}（{self.name}）") from exc
            raise
        if variables.values.get("ups.status", "").strip() == "WAIT":
            return self._stale(Quality.STALE)  # the NUT driver has not read the UPS yet
        return readings_from_variables(variables.values)
