"""A room's device list for the collector: a TOML file, checked before anything is polled.

```toml
[room]
id = "main"                    # one collector per room
name = "机关主机房"

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
```

Every address is turned into its driver (without connecting), so a wrong scheme, option or map file is
reported now, with the file and the device entry, not at three in the morning.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from devices.monitor.base import ConfigError, redact
from devices.monitor.poller import DeviceSpec
from devices.monitor.registry import open_device

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True, slots=True)
class RoomConfig:
    id: str
    name: str
    devices: tuple[DeviceSpec, ...]
    names: dict[str, str]  # device id -> display name

    def device(self, device_id: str) -> DeviceSpec:
        for spec in self.devices:
            if spec.id == device_id:
                return spec
        raise KeyError(device_id)


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
    raw_devices = data.get("device")
    if not isinstance(raw_devices, list) or not raw_devices:
        raise ConfigError(f"机房配置文件 {source}：至少要有一台设备（[[device]]）")
    specs: list[DeviceSpec] = []
    names: dict[str, str] = {}
    for n, raw in enumerate(raw_devices):
        where = f"机房配置文件 {source} 第 {n + 1} 台设备"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}：应是一个表（[[device]]）")
        if isinstance(raw.get("id"), str):
            where += f"（{raw['id']}）"
        unknown = sorted(set(raw) - {"id", "name", "address", "interval"})
        if unknown:
            raise ConfigError(f"{where}：不认识的字段 {'、'.join(unknown)}")
        dev_id, address = raw.get("id"), raw.get("address")
        if not isinstance(dev_id, str) or not ID_RE.match(dev_id):
            raise ConfigError(f"{where}：id 只能用小写字母、数字、“-”和“_”，最长 40 个字符：{dev_id!r}")
        if dev_id in names:
            raise ConfigError(f"{where}：设备编号 {dev_id} 重复")
        if not isinstance(address, str) or not address.strip():
            raise ConfigError(f"{where}：缺少 address（设备地址）")
        interval = raw.get("interval", 5)
        if isinstance(interval, bool) or not isinstance(interval, int | float):
            raise ConfigError(f"{where}：interval 必须是秒数：{interval!r}")
        name = raw.get("name", dev_id)
        if not isinstance(name, str):
            raise ConfigError(f"{where}：name 必须是文字")
        try:
            spec = DeviceSpec(dev_id, address.strip(), float(interval))
            if check_drivers:
                open_device(spec.address)  # builds the driver, validates options and maps; connects nothing
        except ConfigError as exc:
            raise ConfigError(f"{where}（{redact(address)}）：{exc}") from None
        specs.append(spec)
        names[dev_id] = name
    return RoomConfig(room_id, str(room.get("name", room_id)), tuple(specs), names)


def load_room(path: str | Path, *, check_drivers: bool = True) -> RoomConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"读不了机房配置文件 {path}：{exc}") from None
    return parse_room(text, path.name, check_drivers=check_drivers)
