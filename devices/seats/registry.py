"""Name-to-driver registry and link URLs, in the manner of python-can's ``can.interfaces``.

Built-in drivers are imported lazily by name. A vendor driver is added without touching anything
here: call :func:`register_driver`, or publish an entry point in the ``renda.seat_drivers`` group
(``taiden = "vendor_pkg.taiden:TaidenSeatBus"``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from devices.seats.bus import SeatBus
from devices.seats.errors import DriverNotFoundError, LinkURLError

DriverFactory = Callable[..., SeatBus]
ENTRY_POINT_GROUP = "renda.seat_drivers"

_BUILTIN: dict[str, str] = {
    "serial": "devices.seats.drivers.serial_rs485:SerialSeatBus",
    "can": "devices.seats.drivers.can_bus:CanSeatBus",
    "tcp": "devices.seats.drivers.tcp:TcpSeatBus",
    "virtual": "devices.seats.drivers.virtual:VirtualSeatBus",
}
_registered: dict[str, DriverFactory | str] = {}
_PYSERIAL_SCHEMES = frozenset({"loop", "socket", "rfc2217", "spy", "hwgrep", "alt", "cp2110"})


def register_driver(name: str, factory: DriverFactory | str) -> None:
    """Register a driver under ``name``: a callable returning a SeatBus, or ``"module:Class"``."""
    _registered[name] = factory


def available_drivers() -> list[str]:
    """Names of every driver that :func:`open_bus` can open."""
    names = set(_BUILTIN) | set(_registered)
    names.update(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
    return sorted(names)


def _load(target: str) -> DriverFactory:
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    factory = getattr(module, attr)
    if not callable(factory):
        raise DriverNotFoundError(f"{target} is not callable")
    return factory  # type: ignore[no-any-return]


def driver_factory(name: str) -> DriverFactory:
    """Return the factory registered under ``name``; raises DriverNotFoundError."""
    found = _registered.get(name)
    if found is None and name in _BUILTIN:
        found = _BUILTIN[name]
    if found is None:
        for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
            found = ep.value
            break
    if found is None:
        raise DriverNotFoundError(f"no seat driver named {name!r}; known: {', '.join(available_drivers())}")
    return _load(found) if isinstance(found, str) else found


def open_bus(driver: str, **config: Any) -> SeatBus:
    """Open a bus with the named driver, e.g. ``open_bus("serial", url="loop://")``."""
    return driver_factory(driver)(**config)


def _query(query: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in parse_qsl(query):
        if value.isdigit():
            out[key] = int(value)
        elif value.lower() in ("true", "yes", "on"):
            out[key] = True
        elif value.lower() in ("false", "no", "off"):
            out[key] = False
        else:
            out[key] = value
    return out


def parse_link(url: str) -> tuple[str, dict[str, Any]]:
    """Turn a link URL into (driver name, config).

    ``serial:///dev/pts/3?baudrate=115200``, ``serial://COM3``, ``loop://`` (and every other pyserial URL),
    ``can://virtual/channel0``, ``can://socketcan/can0?bitrate=500000``, ``tcp://127.0.0.1:9000``
    (``?listen=1`` to listen), ``virtual://name``; any other scheme names a registered driver that
    receives ``url=`` and the query.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = _query(parts.query)
    if scheme in _PYSERIAL_SCHEMES:
        return "serial", {"url": url}
    if scheme == "serial":
        device = unquote(parts.netloc + parts.path)
        if not device:
            raise LinkURLError(f"serial link without a device: {url}")
        return "serial", {"url": device, **query}
    if scheme == "can":
        channel = parts.path.lstrip("/")
        if not parts.netloc or not channel:
            raise LinkURLError(f"CAN link needs can://INTERFACE/CHANNEL: {url}")
        return "can", {"interface": parts.netloc, "channel": channel, **query}
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError as exc:
            raise LinkURLError(f"bad TCP port in {url}") from exc
        if not parts.hostname or port is None:
            raise LinkURLError(f"TCP link needs tcp://HOST:PORT: {url}")
        return "tcp", {"host": parts.hostname, "port": port, **query}
    if scheme == "virtual":
        return "virtual", {"channel": parts.netloc + parts.path or "seats", **query}
    if not scheme:
        raise LinkURLError(f"link URL without a scheme: {url}")
    return scheme, {"url": url, **query}


def open_link(url: str, **overrides: Any) -> SeatBus:
    """Open the bus a link URL names; ``overrides`` replace URL options (e.g. ``listen=True``)."""
    driver, config = parse_link(url)
    config.update(overrides)
    return open_bus(driver, **config)
