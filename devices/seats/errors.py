"""Typed errors of the seat-terminal layer, in the manner of python-can's ``can.exceptions``."""

from __future__ import annotations


class BusError(Exception):
    """Base of every error raised by the seat-terminal layer."""


class FrameError(BusError, ValueError):
    """A frame cannot be encoded (bad address, payload too long) or a payload cannot be parsed."""


class BusOperationError(BusError):
    """The link failed while sending or receiving (port gone, socket reset, CAN error)."""


class BusTimeoutError(BusError, TimeoutError):
    """An operation that had to finish in time did not (e.g. a command never acknowledged)."""


class BusClosedError(BusError):
    """The bus was shut down; it can no longer send or receive."""


class DriverNotFoundError(BusError, LookupError):
    """No driver is registered under the requested name."""


class LinkURLError(BusError, ValueError):
    """A link URL (``serial://``, ``can://``, ``tcp://``, ``virtual://``) cannot be understood."""
