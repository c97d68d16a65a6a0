"""Seat terminals of the presidium hall: one framed binary protocol over RS-485, CAN, TCP or in-process.

The protocol is specified in ``docs/seat-protocol.md``. Pure encoding and decoding live in
:mod:`devices.seats.protocol`, :mod:`devices.seats.frames` and :mod:`devices.seats.segments`;
the terminal-bus interface in :mod:`devices.seats.bus`; drivers are found by name through
:mod:`devices.seats.registry`.
"""

from devices.seats.bus import LinkStats, SeatBus
from devices.seats.errors import (
    BusClosedError,
    BusError,
    BusOperationError,
    BusTimeoutError,
    DriverNotFoundError,
    FrameError,
    LinkURLError,
)
from devices.seats.protocol import BROADCAST, MAX_SEATS, Choice, Code, Frame
from devices.seats.registry import available_drivers, open_bus, open_link, register_driver

__all__ = [
    "BROADCAST",
    "MAX_SEATS",
    "BusClosedError",
    "BusError",
    "BusOperationError",
    "BusTimeoutError",
    "Choice",
    "Code",
    "DriverNotFoundError",
    "Frame",
    "FrameError",
    "LinkStats",
    "LinkURLError",
    "SeatBus",
    "available_drivers",
    "open_bus",
    "open_link",
    "register_driver",
]
