"""Values, errors and the driver interface shared by every machine-room monitoring driver.

A driver talks to one device (a UPS, an air-conditioner, a sensor module, a switch) and returns its
current values as :class:`Reading` objects. Drivers never store anything: the collector above them
decides what to keep, what is stale and what raises an alarm.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

Value = float | int | bool | str | None


class Quality(enum.StrEnum):
    """How far a reading can be trusted."""

    GOOD = "good"  # read from the device just now
    STALE = "stale"  # the last good value, kept while the device does not answer
    BAD = "bad"  # the device answered, but this value is missing or out of its valid range


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PointInfo:
    """What a driver can read: the point's key within its device, a Chinese label and the unit."""

    key: str
    label: str = ""
    unit: str = ""
    kind: str = "number"  # number | bool | text | counter


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one point at one moment (the timestamp is timezone-aware UTC)."""

    key: str
    value: Value
    unit: str = ""
    quality: Quality = Quality.GOOD
    timestamp: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a reading needs a point key")
        if self.timestamp.tzinfo is None:
            raise ValueError("a reading's timestamp must be timezone-aware")
        if isinstance(self.value, float) and not math.isfinite(self.value) and self.quality is Quality.GOOD:
            raise ValueError(f"{self.key}: a good reading cannot be {self.value}")

    @property
    def good(self) -> bool:
        return self.quality is Quality.GOOD

    def as_stale(self) -> Reading:
        """The same value, marked stale (the device stopped answering); the timestamp is kept."""
        return replace(self, quality=Quality.STALE)


# The brief's other name for a reading: one point's value.
Point = Reading


class MonitorError(Exception):
    """Base of every error raised by the monitoring drivers; ``str()`` is a Chinese sentence."""


class DeviceUnreachable(MonitorError, ConnectionError):
    """The device cannot be reached: connection refused, no answer in time, link dropped mid-read."""


class DeviceProtocolError(MonitorError):
    """The device answered, but not as its protocol says (garbage, an exception code, a refused read)."""


class ConfigError(MonitorError, ValueError):
    """An address, an option or a register-map file is wrong; nothing was opened."""


class DriverNotFound(ConfigError, LookupError):
    """No driver is registered for an address's scheme."""


@runtime_checkable
class MonitorDriver(Protocol):
    """The interface every driver offers. Use it as a context manager::

        with open_device("nut://127.0.0.1:3493/ups1") as ups:
            for reading in ups.read_all():
                ...
    """

    address: str

    def open(self) -> None: ...

    def close(self) -> None: ...

    def points(self) -> list[PointInfo]: ...

    def read_all(self) -> list[Reading]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class BaseDriver:
    """Context-manager plumbing and the opened state, shared by the built-in drivers."""

    address: str = ""

    def __init__(self, address: str = "", timeout: float = 3.0) -> None:
        if not (0 < timeout <= 120):
            raise ConfigError(f"超时时间必须在 0–120 秒之间：{timeout}")
        self.address = address
        self.name = redact(address)
        self.timeout = float(timeout)
        self._opened = False

    @property
    def is_open(self) -> bool:
        return self._opened

    def open(self) -> None:
        self._opened = True

    def close(self) -> None:
        self._opened = False

    def points(self) -> list[PointInfo]:
        raise NotImplementedError

    def read_all(self) -> list[Reading]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


_SECRET = re.compile(r"((?:^|[?&])(?:auth|priv|auth_key|priv_key|password)=)([^&]*)", re.IGNORECASE)


def redact(address: str) -> str:
    """The address with keys and passwords replaced by ``***``, for messages and logs."""
    head, sep, query = address.partition("?")
    head = re.sub(r"(//[^/:@]+):[^@/]*@", r"\1:***@", head)
    if not sep:
        return head
    return head + sep + _SECRET.sub(lambda m: m.group(1) + (m.group(2).split(":", 1)[0] + ":***" if ":" in m.group(2) else "***"), query)


def missing(info: PointInfo, now: datetime, quality: Quality = Quality.BAD) -> Reading:
    """A reading for a point the device did not report this time."""
    return Reading(info.key, None, info.unit, quality, now)
