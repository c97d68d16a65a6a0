"""A room's device list for the collector: a TOML file, checked before anything is polled.

```toml
[room]
id = "main"                    # one collector per room
name = "机关主机房"
live_every = 10                # seconds between snapshots of the latest values for other consoles (optional)

[[device]]
id = "ups-1"                   # stable id: points are stored as DEVICE/POINT
name = "1 号 UPS"
address = "nut://127.0.0.1/ups1"
interval = 5                   # seconds between reads

[[device]]
id = "ac-1"
name = "1 号精密空调"
address = "modbus-rtu:///dev/ttyUSB0?baud=9600&unit=1&map=precision-ac"
interval = 2
timeout = 1.5                  # seconds per request (optional; else the address's timeout= or the driver's)
row = 1                        # the tile's place on the console's room plan (optional, 1–20)
column = 2
```

Every address is turned into its driver (without connecting), so a wrong scheme, option or map file is
reported now, with the file and the device entry, not at three in the morning.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.monitor.base import ConfigError, redact
from devices.monitor.poller import DeviceSpec
from devices.monitor.registry import open_device

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
INTERVAL_RANGE = (0.05, 86400.0)
"""Seconds between two reads of one device (the poller's limits)."""
TIMEOUT_RANGE = (0.1, 60.0)
"""Seconds one request may take before the device counts as not answering."""
PLAN_SIZE = 20
"""Rows and columns of the room plan's grid (``row`` and ``column`` are 1–20)."""
LIVE_EVERY_DEFAULT = 10.0
LIVE_EVERY_RANGE = (1.0, 3600.0)
"""Seconds between two snapshots of the latest values sent to the server for consoles on other computers."""
DEVICE_FIELDS = ("id", "name", "address", "interval", "timeout", "row", "column")


class DeviceFieldError(ConfigError):
    """A device entry's fault, with the field it is in (``id``, ``name``, ``address``, ``interval`` …);
    the message is Chinese and names no file (:func:`parse_room` adds the file and the entry)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """One ``[[device]]`` of a room file as written: what the console's device editor shows and edits."""

    id: str
    name: str
    address: str
    interval: float = 5.0
    timeout: float | None = None
    """Overrides the address's ``timeout=`` (and the driver's default) when set."""
    row: int | None = None
    column: int | None = None
    """Where the device's tile sits on the room plan (1-based); unset: after the placed ones."""

    def spec(self) -> DeviceSpec:
        options: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
        return DeviceSpec(self.id, self.address, self.interval, options)


@dataclass(frozen=True, slots=True)
class RoomConfig:
    id: str
    name: str
    devices: tuple[DeviceSpec, ...]
    names: dict[str, str]  # device id -> display name
    entries: tuple[DeviceEntry, ...] = ()
    """The device entries as written (name, timeout, position on the plan), in the file's order."""
    live_every: float = LIVE_EVERY_DEFAULT
    """Seconds between two snapshots of the latest values (``mon_live``) for consoles on other computers."""

    def device(self, device_id: str) -> DeviceSpec:
        for spec in self.devices:
            if spec.id == device_id:
                return spec
        raise KeyError(device_id)

    def position(self, device_id: str) -> tuple[int, int] | None:
        for entry in self.entries:
            if entry.id == device_id and entry.row is not None and entry.column is not None:
                return entry.row, entry.column
        return None


def _seconds(raw: Any, field: str, what: str, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise DeviceFieldError(field, f"{field} 必须是秒数：{raw!r}")
    if not low <= float(raw) <= high:
        raise DeviceFieldError(field, f"{what}必须在 {low:g}–{high:g} 秒之间：{raw:g}")
    return float(raw)


def _cell(raw: Any, field: str, what: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= PLAN_SIZE:
        raise DeviceFieldError(field, f"{what}必须是 1–{PLAN_SIZE} 的整数：{raw!r}")
    return raw


def check_device(raw: Any, *, taken_ids: Iterable[str] = (), taken_names: Iterable[str] = (),
                 check_drivers: bool = True) -> DeviceEntry:
    """Check one ``[[device]]`` table (a dict as TOML gives it); :class:`DeviceFieldError` names the field.

    ``taken_ids`` and ``taken_names`` are the other devices' ids and names (a duplicate is refused). The
    address is turned into its driver without connecting, so a wrong scheme, option or model is found now.
    """
    if not isinstance(raw, dict):
        raise DeviceFieldError("", "应是一个表（[[device]]）")
    unknown = sorted(set(raw) - set(DEVICE_FIELDS))
    if unknown:
        raise DeviceFieldError("", f"不认识的字段 {'、'.join(unknown)}")
    dev_id, address = raw.get("id"), raw.get("address")
    if not isinstance(dev_id, str) or not ID_RE.match(dev_id):
        raise DeviceFieldError("id", f"id 只能用小写字母、数字、“-”和“_”，最长 40 个字符：{dev_id!r}")
    if dev_id in set(taken_ids):
        raise DeviceFieldError("id", f"设备编号 {dev_id} 重复")
    name = raw.get("name", dev_id)
    if not isinstance(name, str) or not name.strip():
        raise DeviceFieldError("name", "name 必须是文字（设备名称）")
    name = name.strip()
    if len(name) > 40:
        raise DeviceFieldError("name", f"设备名称最长 40 个字，现在 {len(name)} 个")
    if name in set(taken_names):
        raise DeviceFieldError("name", f"设备名称“{name}”已被另一台设备使用")
    if not isinstance(address, str) or not address.strip():
        raise DeviceFieldError("address", "缺少 address（设备地址）")
    interval = _seconds(raw.get("interval", 5), "interval", "采集周期", *INTERVAL_RANGE)
    timeout = raw.get("timeout")
    if timeout is not None:
        timeout = _seconds(timeout, "timeout", "超时", *TIMEOUT_RANGE)
    row, column = _cell(raw.get("row"), "row", "平面图上的行"), _cell(raw.get("column"), "column", "平面图上的列")
    if (row is None) != (column is None):
        raise DeviceFieldError("row" if row is None else "column", "平面图位置要同时写行（row）和列（column）")
    entry = DeviceEntry(dev_id, name, address.strip(), interval, timeout, row, column)
    try:
        spec = entry.spec()
        if check_drivers:
            open_device(spec.address, **spec.options)  # builds the driver, validates options and maps; connects nothing
    except ConfigError as exc:
        raise DeviceFieldError("address", f"（{redact(address)}）：{exc}") from None
    return entry


def parse_room(text: str, source: str = "<text>", *, check_drivers: bool = True) -> RoomConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"机房配置文件 {source} 不是有效的 TOML：{exc}") from None
    extra = sorted(set(data) - {"room", "device"})
    if extra:
        raise ConfigError(f"机房配置文件 {source}：不认识的表 {'、'.join(extra)}")
    room = data.get("room")
    if not isinstance(room, dict):
        raise ConfigError(f"机房配置文件 {source}：缺少 [room] 表")
    room_id = room.get("id")
    if not isinstance(room_id, str) or not ID_RE.match(room_id):
        raise ConfigError(f"机房配置文件 {source} 的 [room]：id 只能用小写字母、数字、“-”和“_”：{room_id!r}")
    room_name = room.get("name", room_id)
    if not isinstance(room_name, str):
        raise ConfigError(f"机房配置文件 {source} 的 [room]：name 必须是机房的名称（文字）")
    live_every = room.get("live_every", LIVE_EVERY_DEFAULT)
    low, high = LIVE_EVERY_RANGE
    if isinstance(live_every, bool) or not isinstance(live_every, int | float) or not low <= live_every <= high:
        raise ConfigError(f"机房配置文件 {source} 的 [room]：live_every（实时数据上报周期）必须是 {low:g}–{high:g} "
                          f"秒之间的数：{live_every!r}")
    raw_devices = data.get("device")
    if not isinstance(raw_devices, list) or not raw_devices:
        raise ConfigError(f"机房配置文件 {source}：至少要有一台设备（[[device]]）")
    entries: list[DeviceEntry] = []
    for n, raw in enumerate(raw_devices):
        where = f"机房配置文件 {source} 第 {n + 1} 台设备"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            where += f"（{raw['id']}）"
        try:
            entries.append(check_device(raw, taken_ids=[e.id for e in entries],
                                        taken_names=[e.name for e in entries], check_drivers=check_drivers))
        except DeviceFieldError as exc:
            raise ConfigError(f"{where}{'' if str(exc).startswith('（') else '：'}{exc}") from None
    return RoomConfig(room_id, room_name.strip() or room_id, tuple(e.spec() for e in entries), {e.id: e.name for e in entries},
                      tuple(entries), float(live_every))


def load_room(path: str | Path, *, check_drivers: bool = True) -> RoomConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"读不了机房配置文件 {path}：{exc}") from None
    return parse_room(text, path.name, check_drivers=check_drivers)


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def room_toml(room_id: str, room_name: str, entries: Iterable[DeviceEntry],
              live_every: float = LIVE_EVERY_DEFAULT) -> str:
    """The room file for ``entries`` (what :func:`parse_room` reads back unchanged)."""
    lines = ["# 机房配置文件：采集器（renda monitor run --config）读取；机房监控控制台的“设备配置”页可编辑。",
             "# 字段见 docs/monitor.md。", "", "[room]", f"id = {_string(room_id)}", f"name = {_string(room_name)}"]
    if live_every != LIVE_EVERY_DEFAULT:
        lines.append(f"live_every = {live_every:g}")
    for e in entries:
        lines += ["", "[[device]]", f"id = {_string(e.id)}", f"name = {_string(e.name)}",
                  f"address = {_string(e.address)}", f"interval = {e.interval:g}"]
        if e.timeout is not None:
            lines.append(f"timeout = {e.timeout:g}")
        if e.row is not None and e.column is not None:
            lines += [f"row = {e.row}", f"column = {e.column}"]
    return "\n".join(lines) + "\n"


def save_room(path: str | Path, room_id: str, room_name: str, entries: Iterable[DeviceEntry],
              live_every: float = LIVE_EVERY_DEFAULT) -> RoomConfig:
    """Check the whole room as the collector will read it, then replace ``path`` atomically; nothing is written
    when the check fails (:class:`ConfigError`)."""
    path = Path(path)
    text = room_toml(room_id, room_name, entries, live_every)
    room = parse_room(text, path.name)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return room
