"""Device addresses and the driver registry.

A device is named by a URL-like address whose scheme picks the driver:

- ``nut://HOST[:PORT]/UPSNAME`` — a UPS behind NUT's ``upsd`` (port 3493);
- ``modbus-tcp://HOST[:PORT]?unit=1&map=MODEL`` — a Modbus TCP device or gateway (port 502);
- ``modbus-rtu:///dev/ttyUSB0?baud=9600&unit=1&map=MODEL`` — a device on an RS-485 line
  (``modbus-rtu://COM3?...`` on Windows);
- ``snmp://COMMUNITY@HOST[:PORT]?version=2c&profile=ups-mib`` — SNMP v1/v2c (port 161);
- ``snmpv3://USER@HOST[:PORT]?auth=SHA:KEY&priv=AES:KEY&profile=if-mib`` — SNMP v3 (USM).

Every address also takes ``timeout=SECONDS``. Built-in drivers are imported lazily; a vendor driver is
added with :func:`register_driver` or an entry point in the ``renda.monitor_drivers`` group whose
factory receives ``address=`` and the parsed options.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from devices.monitor.base import ConfigError, DriverNotFound, MonitorDriver

DriverFactory = Callable[..., MonitorDriver]
ENTRY_POINT_GROUP = "renda.monitor_drivers"

_BUILTIN: dict[str, str] = {
    "nut": "devices.monitor.nut:NutDriver",
    "modbus-tcp": "devices.monitor.modbus:ModbusDriver",
    "modbus-rtu": "devices.monitor.modbus:ModbusDriver",
    "snmp": "devices.monitor.snmp:SnmpDriver",
    "snmpv3": "devices.monitor.snmp:SnmpDriver",
}
_registered: dict[str, DriverFactory | str] = {}


def register_driver(scheme: str, factory: DriverFactory | str) -> None:
    """Register a driver for an address scheme: a callable or ``"module:Class"``."""
    _registered[scheme.lower()] = factory


def available_schemes() -> list[str]:
    names = set(_BUILTIN) | set(_registered)
    names.update(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
    return sorted(names)


def _load(target: str) -> DriverFactory:
    module_name, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    if not callable(factory):
        raise DriverNotFound(f"驱动 {target} 不可调用")
    return factory  # type: ignore[no-any-return]


def driver_factory(scheme: str) -> DriverFactory:
    found = _registered.get(scheme)
    if found is None:
        found = _BUILTIN.get(scheme)
    if found is None:
        for ep in entry_points(group=ENTRY_POINT_GROUP, name=scheme):
            found = ep.value
            break
    if found is None:
        raise DriverNotFound(f"不支持的设备地址类型“{scheme}”；可用：{'、'.join(available_schemes())}")
    return _load(found) if isinstance(found, str) else found


def _port(parts: Any, address: str, default: int) -> int:
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"设备地址中的端口号无效：{address}") from exc
    return default if port is None else int(port)


def _options(query: str, address: str) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise ConfigError(f"设备地址的参数部分无法解析：{address}") from exc
    for key, value in pairs:
        if key in out:
            raise ConfigError(f"设备地址中的参数“{key}”重复：{address}")
        out[key] = value
    return out


def number(options: dict[str, Any], name: str, default: float, address: str, *, integer: bool = False,
           low: float | None = None, high: float | None = None) -> Any:
    """Take a numeric option out of ``options`` with a Chinese error naming it."""
    raw = options.pop(name, default)
    try:
        value: float = int(raw) if integer else float(raw)
    except (TypeError, ValueError):
        kind = "整数" if integer else "数字"
        raise ConfigError(f"设备地址 {address} 的参数“{name}”必须是{kind}：{raw!r}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ConfigError(f"设备地址 {address} 的参数“{name}”必须在 {low}–{high} 之间：{raw}")
    return value


def parse_address(address: str) -> tuple[str, dict[str, Any]]:
    """Turn an address into (scheme, options for the driver). Raises ConfigError in Chinese."""
    if not isinstance(address, str) or not address.strip():
        raise ConfigError("设备地址为空")
    address = address.strip()
    try:
        parts = urlsplit(address)
        _ = parts.hostname, parts.username, parts.password
    except ValueError as exc:
        raise ConfigError(f"设备地址无法解析：{address}（{exc}）") from None
    scheme = parts.scheme.lower()
    if not scheme or "://" not in address:
        raise ConfigError(f"设备地址缺少类型前缀（如 nut://、modbus-tcp://）：{address}")
    options: dict[str, Any] = dict(_options(parts.query, address))
    if parts.fragment:
        raise ConfigError(f"设备地址中不应有“#”：{address}")
    if scheme == "nut":
        ups = unquote(parts.path.strip("/"))
        if not parts.hostname or not ups or "/" in ups:
            raise ConfigError(f"NUT 地址应为 nut://主机[:端口]/UPS名称：{address}")
        options.update(host=parts.hostname, port=_port(parts, address, 3493), ups=ups)
        if parts.username:
            options.update(username=unquote(parts.username), password=unquote(parts.password or ""))
    elif scheme == "modbus-tcp":
        if not parts.hostname:
            raise ConfigError(f"Modbus TCP 地址应为 modbus-tcp://主机[:端口]?unit=1&map=型号：{address}")
        options.update(transport="tcp", host=parts.hostname, port=_port(parts, address, 502))
    elif scheme == "modbus-rtu":
        device = unquote(parts.netloc + parts.path)
        if not device:
            raise ConfigError(f"Modbus RTU 地址应为 modbus-rtu:///dev/ttyUSB0?baud=9600&unit=1&map=型号：{address}")
        options.update(transport="rtu", device=device)
    elif scheme in ("snmp", "snmpv3"):
        if not parts.hostname or not parts.username:
            who = "团体名" if scheme == "snmp" else "用户名"
            raise ConfigError(f"SNMP 地址应为 {scheme}://{who}@主机[:端口]?profile=ups-mib：{address}")
        options.update(host=parts.hostname, port=_port(parts, address, 161))
        if scheme == "snmp":
            options["community"] = unquote(parts.username)
            if parts.password:
                raise ConfigError(f"SNMP v2c 地址中只写团体名，不写密码：{address}")
        else:
            options["version"] = "3"
            options["user"] = unquote(parts.username)
    return scheme, options


def open_device(address: str, **overrides: Any) -> MonitorDriver:
    """Make the driver an address names, *without* opening it; ``overrides`` replace address options
    (e.g. keys kept out of the address). Use the result as a context manager."""
    scheme, options = parse_address(address)
    options.update(overrides)
    factory = driver_factory(scheme)
    return factory(address=address, **options)
