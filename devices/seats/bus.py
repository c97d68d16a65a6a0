"""The terminal-bus interface, modelled on python-can's ``BusABC``.

A driver implements :meth:`SeatBus.send`, :meth:`SeatBus._recv_internal` and, if it holds resources,
:meth:`SeatBus._shutdown_internal`. The public :meth:`SeatBus.recv` is a template method that keeps
calling ``_recv_internal`` until a frame arrives or the timeout passes. Buses are context managers.
"""

from __future__ import annotations

import abc
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar

from devices.seats.errors import BusClosedError, BusOperationError
from devices.seats.frames import DecoderCounters
from devices.seats.protocol import Frame


@dataclass
class LinkStats(DecoderCounters):
    """Counters of one bus: frames sent, and what the receive side accepted or refused."""

    frames_sent: int = 0


class SeatBus(abc.ABC):
    """An open link to seat terminals, carrying :class:`~devices.seats.protocol.Frame` objects."""

    driver_name: ClassVar[str] = ""
    half_duplex: ClassVar[bool] = False
    """True on a shared RS-485 line: the master must poll, a seat speaks only when addressed."""

    def __init__(self) -> None:
        self.stats = LinkStats()
        self._closed = False
        self._shutdown_lock = threading.Lock()

    @property
    def closed(self) -> bool:
        """True once :meth:`shutdown` ran."""
        return self._closed

    @abc.abstractmethod
    def send(self, frame: Frame) -> None:
        """Transmit one frame. Raises :class:`BusClosedError` or :class:`BusOperationError`."""

    def send_body(self, body: bytes) -> None:
        """Transmit an already encoded frame body as is (the simulator uses it to inject damaged frames)."""
        raise BusOperationError(f"the {self.driver_name or type(self).__name__} driver cannot send raw bodies")

    def recv(self, timeout: float | None = None) -> Frame | None:
        """Return the next good frame, or None when ``timeout`` seconds pass first (None waits for ever)."""
        self._check_open()
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            frame = self._recv_internal(remaining)
            if frame is not None:
                return frame
            self._check_open()
            if deadline is not None and time.monotonic() >= deadline:
                return None

    @abc.abstractmethod
    def _recv_internal(self, timeout: float | None) -> Frame | None:
        """Wait at most ``timeout`` seconds for link data; return a complete good frame or None.

        May return None early (e.g. after a partial frame); :meth:`recv` then calls again.
        """

    def shutdown(self) -> None:
        """Release the link. Safe to call more than once; later sends and receives raise BusClosedError."""
        with self._shutdown_lock:
            if self._closed:
                return
            self._closed = True
        self._shutdown_internal()

    def _shutdown_internal(self) -> None:  # noqa: B027 - optional hook, like python-can's shutdown
        """Release driver resources (port, socket, CAN bus). Called once."""

    def _check_open(self) -> None:
        if self._closed:
            raise BusClosedError(f"{type(self).__name__} is shut down")

    def __enter__(self) -> SeatBus:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} {self.channel_info} {state}>"

    @property
    def channel_info(self) -> str:
        """A short human-readable description of the link (port, channel, address)."""
        return ""
