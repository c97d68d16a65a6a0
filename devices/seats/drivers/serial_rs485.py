"""RS-485 seat line through pyserial: real ports and every ``serial_for_url`` URL (``loop://``, ``socket://``)."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any, ClassVar

import serial

from devices.seats.bus import SeatBus
from devices.seats.errors import BusClosedError, BusOperationError
from devices.seats.frames import StreamDecoder, stuff
from devices.seats.protocol import Frame, encode_body

_READ_SLICE = 0.02


class SerialSeatBus(SeatBus):
    """A half-duplex RS-485 line: the master polls, each seat answers only when addressed."""

    driver_name: ClassVar[str] = "serial"
    half_duplex: ClassVar[bool] = True

    def __init__(self, url: str, baudrate: int = 115200, **port_options: Any) -> None:
        """Open ``url`` (a device such as ``/dev/ttyUSB0``/``COM3`` or a pyserial URL) at ``baudrate``."""
        super().__init__()
        self.url = url
        try:
            self._port = serial.serial_for_url(url, baudrate=baudrate, timeout=_READ_SLICE, **port_options)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise BusOperationError(f"cannot open serial link {url}: {exc}") from exc
        self._decoder = StreamDecoder(self.stats)
        self._pending: deque[Frame] = deque()
        self._write_lock = threading.Lock()
        self._timeout = _READ_SLICE

    @property
    def channel_info(self) -> str:
        """The port or URL."""
        return self.url

    @property
    def baudrate(self) -> int:
        """The line speed in bits per second."""
        return int(self._port.baudrate)

    def send(self, frame: Frame) -> None:
        """Write one frame to the line."""
        self.send_body(encode_body(frame))

    def send_body(self, body: bytes) -> None:
        """Write an encoded body, flag-delimited and byte-stuffed."""
        self._check_open()
        try:
            with self._write_lock:
                self._port.write(stuff(body))
                self._port.flush()
        except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
            self._raise_io(exc)
        self.stats.frames_sent += 1

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        if self._pending:
            return self._pending.popleft()
        wanted = _READ_SLICE if timeout is None else min(timeout, _READ_SLICE)
        try:
            if wanted != self._timeout:
                self._port.timeout = wanted
                self._timeout = wanted
            data = self._port.read(max(1, self._port.in_waiting))
        except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
            self._raise_io(exc)
        if data:
            self._pending.extend(self._decoder.feed(data))
        return self._pending.popleft() if self._pending else None

    def _raise_io(self, exc: BaseException) -> Any:
        if self.closed:
            raise BusClosedError("serial link is shut down") from exc
        raise BusOperationError(f"serial link {self.url}: {exc}") from exc

    def _shutdown_internal(self) -> None:
        self._port.close()
