"""Machine-room monitoring drivers: UPS over NUT, sensors and air-conditioners over Modbus, SNMP agents.

Every driver returns :class:`~devices.monitor.base.Reading` values and is opened by address through
:func:`~devices.monitor.registry.open_device` (see ``docs/monitor.md``). No database, no Qt.
"""

from devices.monitor.base import (
    BaseDriver,
    ConfigError,
    DeviceProtocolError,
    DeviceUnreachable,
    DriverNotFound,
    MonitorDriver,
    MonitorError,
    Point,
    PointInfo,
    Quality,
    Reading,
    redact,
)
from devices.monitor.registry import available_schemes, open_device, parse_address, register_driver

__all__ = [
    "BaseDriver",
    "ConfigError",
    "DeviceProtocolError",
    "DeviceUnreachable",
    "DriverNotFound",
    "MonitorDriver",
    "MonitorError",
    "Point",
    "PointInfo",
    "Quality",
    "Reading",
    "available_schemes",
    "open_device",
    "parse_address",
    "redact",
    "register_driver",
]
