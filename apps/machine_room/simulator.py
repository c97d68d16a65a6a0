"""``renda monitor simulate``: a room's devices on their real protocols, and scripted events played on them.

A scenario is a TOML file (``resources/monitor/scenarios/*.toml``)::

    [scenario]
    name = "市电中断，UPS 转电池供电"
    room = "sim"
    interval = 1            # the collector's polling interval, seconds
    duration = 60           # seconds to run (0: until Ctrl+C)

    [[device]]
    id = "th-1"
    name = "冷通道温湿度"   # shown on the console (default: the id)
    model = "temp-humidity" # a Modbus register map (served by pymodbus on 127.0.0.1)
    set = { temperature = 22.5, humidity = 45.0 }

    [[device]]
    id = "ups-1"
    protocol = "nut"        # a NUT dummy-ups behind upsd (skipped with a note where nut-server is missing)

    [[device]]
    id = "sw-1"
    protocol = "snmp"       # a core switch answered by snmpd (IF-MIB); ports = 24 by default

    [[event]]
    at = 5                  # seconds after the start
    device = "ups-1"
    set = { "ups.status" = "OB DISCHRG", "input.voltage" = 0 }
    note = "市电中断"

    [[event]]
    at = 10
    device = "th-1"
    ramp = { temperature = 34.0 }
    over = 120              # from the current value to the target, linearly, over this many seconds

    [[event]]
    at = 30
    device = "th-1"
    stop = true             # the device stops answering (``start = true`` brings it back)

    [[event]]
    at = 40
    device = "sw-1"
    set = { "port.3" = false }  # a switch port goes down

Errors in the file are reported in Chinese with the entry's number and field, before anything starts.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.monitor.base import ConfigError
from devices.monitor.regmap import available_maps

PROTOCOLS = ("modbus", "nut", "snmp")


@dataclass(frozen=True)
class SimDeviceSpec:
    id: str
    protocol: str
    model: str = ""
    values: dict[str, float | bool | str] = field(default_factory=dict)
    ports: int = 24
    name: str = ""


@dataclass(frozen=True)
class SimEvent:
    at: float
    device: str
    set: dict[str, float | bool | str] = field(default_factory=dict)
    ramp: dict[str, float] = field(default_factory=dict)
    over: float = 0.0
    stop: bool = False
    start: bool = False
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    name: str
    room: str
    interval: float
    duration: float
    devices: tuple[SimDeviceSpec, ...]
    events: tuple[SimEvent, ...]


def _values(raw: Any, where: str, what: str) -> dict[str, float | bool | str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}：{what} 应是一个表，如 {{ temperature = 22.5 }}")
    for key, value in raw.items():
        if not isinstance(value, int | float | bool | str) or (isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError(f"{where}：{what} 中 {key} 的值必须是数、true/false 或文字：{value!r}")
    return dict(raw)


def _number(raw: Any, where: str, what: str, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
        raise ConfigError(f"{where}：{what} 必须是 {low:g}–{high:g} 之间的数：{raw!r}")
    return float(raw)


def parse_scenario(text: str, source: str = "<text>") -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"场景文件 {source} 不是有效的 TOML：{exc}") from None
    head = data.get("scenario")
    if not isinstance(head, dict):
        raise ConfigError(f"场景文件 {source}：缺少 [scenario] 表")
    where = f"场景文件 {source} 的 [scenario]"
    name = str(head.get("name", source))
    room = head.get("room", "sim")
    if not isinstance(room, str) or not room:
        raise ConfigError(f"{where}：room 必须是机房编号")
    interval = _number(head.get("interval", 1), where, "interval", 0.05, 3600)
    duration = _number(head.get("duration", 0), where, "duration", 0, 86400 * 7)
    maps = set(available_maps())
    devices: list[SimDeviceSpec] = []
    for n, raw in enumerate(data.get("device") or [], start=1):
        where = f"场景文件 {source} 第 {n} 台设备"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise ConfigError(f"{where}：缺少 id")
        unknown = sorted(set(raw) - {"id", "name", "protocol", "model", "set", "ports"})
        if unknown:
            raise ConfigError(f"{where}（{raw['id']}）：不认识的字段 {'、'.join(unknown)}")
        protocol = raw.get("protocol", "modbus")
        if protocol not in PROTOCOLS:
            raise ConfigError(f"{where}（{raw['id']}）：protocol 只能是 {'、'.join(PROTOCOLS)}：{protocol!r}")
        model = raw.get("model", "")
        if protocol == "modbus" and model not in maps:
            raise ConfigError(f"{where}（{raw['id']}）：model 必须是已有的寄存器映射（{'、'.join(sorted(maps))}）："
                              f"{model!r}")
        if any(d.id == raw["id"] for d in devices):
            raise ConfigError(f"{where}：设备编号 {raw['id']} 重复")
        ports = int(_number(raw.get("ports", 24), f"{where}（{raw['id']}）", "ports", 1, 96))
        values = _values(raw.get("set"), where, "set")
        if protocol == "snmp":
            _check_ports(values, ports, f"{where}（{raw['id']}）")
        label = raw.get("name", "")
        if not isinstance(label, str):
            raise ConfigError(f"{where}（{raw['id']}）：name 必须是文字")
        devices.append(SimDeviceSpec(raw["id"], protocol, model, values, ports, label.strip()))
    if not devices:
        raise ConfigError(f"场景文件 {source}：至少要有一台设备（[[device]]）")
    ids = {d.id for d in devices}
    events: list[SimEvent] = []
    for n, raw in enumerate(data.get("event") or [], start=1):
        where = f"场景文件 {source} 第 {n} 个事件"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}：应是一个表（[[event]]）")
        unknown = sorted(set(raw) - {"at", "device", "set", "ramp", "over", "stop", "start", "note"})
        if unknown:
            raise ConfigError(f"{where}：不认识的字段 {'、'.join(unknown)}")
        if raw.get("device") not in ids:
            raise ConfigError(f"{where}：device 必须是场景中的设备编号：{raw.get('device')!r}")
        device = next(d for d in devices if d.id == raw["device"])
        if device.protocol == "snmp":
            _check_ports(_values(raw.get("set"), where, "set"), device.ports, where)
        ramp = _values(raw.get("ramp"), where, "ramp")
        if any(isinstance(v, bool | str) for v in ramp.values()):
            raise ConfigError(f"{where}：ramp 的目标值必须是数")
        events.append(SimEvent(_number(raw.get("at", 0), where, "at", 0, 86400 * 7), raw["device"],
                               _values(raw.get("set"), where, "set"), {k: float(v) for k, v in ramp.items()},
                               _number(raw.get("over", 0), where, "over", 0, 86400), bool(raw.get("stop", False)),
                               bool(raw.get("start", False)), str(raw.get("note", ""))))
    return Scenario(name, room, interval, duration, tuple(devices), tuple(sorted(events, key=lambda e: e.at)))


def _check_ports(values: dict[str, float | bool | str], ports: int, where: str) -> None:
    for key, value in values.items():
        number = key.removeprefix("port.")
        if not number.isdigit() or not 1 <= int(number) <= ports or not isinstance(value, bool):
            raise ConfigError(f"{where}：交换机只能设置端口状态，如 \"port.3\" = false（1–{ports} 口）：{key} = {value!r}")


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"读不了场景文件 {path}：{exc}") from None
    return parse_scenario(text, path.name)


class SimulatedRoom:
    """The scenario's devices running on 127.0.0.1; :meth:`play` applies the events as their time comes."""

    def __init__(self, scenario: Scenario, workdir: Path) -> None:
        from apps.machine_room.peers import NUT_LIBEXEC, SNMPD, ModbusFarm, NutPeer, SnmpSwitchPeer

        self.scenario = scenario
        self.notes: list[str] = []
        self.farm = ModbusFarm()
        self.nut: NutPeer | None = None
        ups = [d.id for d in scenario.devices if d.protocol == "nut"]
        if ups and NUT_LIBEXEC is None:
            self.notes.append(f"本机没有安装 nut-server，不模拟 UPS：{'、'.join(ups)}")
            ups = []
        elif ups:
            workdir.mkdir(parents=True, exist_ok=True)
            self.nut = NutPeer(workdir / "nut", ups)
        self.ups = set(ups)
        self.switches: dict[str, SnmpSwitchPeer] = {}
        for d in scenario.devices:
            if d.protocol != "snmp":
                continue
            if SNMPD is None:
                self.notes.append(f"本机没有安装 snmpd，不模拟交换机：{d.id}")
                continue
            self.switches[d.id] = SnmpSwitchPeer(workdir / "snmp" / d.id, d.ports)
        for d in scenario.devices:
            if d.protocol == "modbus":
                device = self.farm.add(d.id, d.model)
                for key, value in d.values.items():
                    device.set(key, value if not isinstance(value, str) else float(value))
            elif d.id in self.ups and self.nut is not None:
                for key, value in d.values.items():
                    self.nut.values[d.id][key] = str(value)
            elif d.id in self.switches:
                for key, value in d.values.items():
                    self.switches[d.id].set_port(int(key.removeprefix("port.")), bool(value))
        self._current: dict[tuple[str, str], float] = {
            (d.id, k): float(v) for d in scenario.devices for k, v in d.values.items() if not isinstance(v, str)}

    def start(self) -> SimulatedRoom:
        self.farm.start()
        if self.nut is not None:
            for ups in self.ups:
                self.nut._write(ups)
            self.nut.start()
        for switch in self.switches.values():
            switch.start()
        return self

    def stop(self) -> None:
        self.farm.stop()
        if self.nut is not None:
            self.nut.stop()
        for switch in self.switches.values():
            switch.stop()

    def room_toml(self) -> str:
        """The room configuration for ``renda monitor run`` (every simulated device with its address, its name
        and its place on the room plan, four tiles to a row)."""
        from devices.monitor.config import DeviceEntry, room_toml

        entries: list[DeviceEntry] = []
        for d in self.scenario.devices:
            address = self.address(d.id)
            if address:
                n = len(entries)
                entries.append(DeviceEntry(d.id, d.name or d.id, address, self.scenario.interval,
                                           row=n // 4 + 1, column=n % 4 + 1))
        return room_toml(self.scenario.room, self.scenario.name, entries)

    def address(self, device_id: str) -> str:
        if device_id in self.farm.devices:
            return self.farm.devices[device_id].address
        if self.nut is not None and device_id in self.ups:
            return self.nut.address(device_id)
        if device_id in self.switches:
            return self.switches[device_id].address
        return ""

    def set(self, device_id: str, key: str, value: float | bool | str) -> None:
        if device_id in self.farm.devices:
            self.farm.devices[device_id].set(key, value if not isinstance(value, str) else float(value))
        elif self.nut is not None and device_id in self.ups:
            self.nut.set(device_id, key, value)
        elif device_id in self.switches:
            self.switches[device_id].set_port(int(key.removeprefix("port.")), bool(value))
            return
        if not isinstance(value, str):
            self._current[(device_id, key)] = float(value)

    def apply(self, event: SimEvent, elapsed: float) -> None:
        """Apply ``event`` as it stands ``elapsed`` seconds after its start (ramps move on each call)."""
        if not self.address(event.device):
            return
        if elapsed <= 0 or not event.ramp:
            for key, value in event.set.items():
                self.set(event.device, key, value)
            if event.stop and event.device in self.farm.devices:
                self.farm.stop_device(event.device)
            if event.start and event.device in self.farm.devices:
                self.farm.start_device(event.device)
        for key, target in event.ramp.items():
            begin = self._ramp_start.setdefault((id(event), key), self._current.get((event.device, key), target))
            share = 1.0 if event.over <= 0 else min(1.0, elapsed / event.over)
            self.set(event.device, key, round(begin + (target - begin) * share, 3))

    _ramp_start: dict[tuple[int, str], float]

    def play(self, clock: Any, stop: Any, say: Any = print, step: float = 0.5) -> None:
        """Play the events against ``clock()`` (seconds since the start) until ``stop`` is set or the end."""
        self._ramp_start = {}
        started: set[int] = set()
        scenario = self.scenario
        while not stop.is_set():
            now = clock()
            for i, event in enumerate(scenario.events):
                if now < event.at:
                    continue
                if i not in started:
                    started.add(i)
                    say(f"[{event.at:6.1f} s] {event.device}：{event.note or describe(event)}")
                    self.apply(event, 0.0)
                elif event.ramp and now - event.at <= event.over + step:
                    self.apply(event, now - event.at)
            if scenario.duration and now >= scenario.duration:
                return
            stop.wait(step)


def describe(event: SimEvent) -> str:
    parts = [f"{k} = {v}" for k, v in event.set.items()]
    parts += [f"{k} → {v:g}（{event.over:g} 秒内）" for k, v in event.ramp.items()]
    if event.stop:
        parts.append("停止应答")
    if event.start:
        parts.append("恢复应答")
    return "，".join(parts) or "（无变化）"
