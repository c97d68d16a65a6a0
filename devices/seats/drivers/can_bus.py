"""Seat terminals on CAN through python-can: frame bodies segmented into 8-byte CAN frames."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import can

from devices.seats.bus import SeatBus
from devices.seats.errors import BusClosedError, BusOperationError
from devices.seats.protocol import FLAG_BROADCAST, FLAG_FROM_SEAT, Frame, encode_body
from devices.seats.segments import (
    CAN_BROADCAST_ID,
    CAN_ID_BASE,
    CAN_ID_FROM_SEAT,
    Reassembler,
    is_seat_can_id,
    segment_body,
)

_READ_SLICE = 0.05


def _can_id_for_body(body: bytes) -> int:
    if len(body) < 3:
        return CAN_BROADCAST_ID
    word = int.from_bytes(body[1:3], "big")
    if word & FLAG_BROADCAST:
        return CAN_BROADCAST_ID
    return CAN_ID_BASE | (CAN_ID_FROM_SEAT if word & FLAG_FROM_SEAT else 0) | (word & 0x0FFF)


class CanSeatBus(SeatBus):
    """Seat frames over a python-can bus (``socketcan``, ``pcan``, ``virtual`` …)."""

    driver_name: ClassVar[str] = "can"

    def __init__(
        self,
        interface: str = "virtual",
        channel: str = "seats0",
        bitrate: int | None = None,
        **can_options: Any,
    ) -> None:
        """Open the python-can ``interface`` on ``channel``; extra options go to python-can unchanged."""
        super().__init__()
        self.interface = interface
        self.channel = channel
        options = dict(can_options)
        if bitrate is not None:
            options["bitrate"] = bitrate
        try:
            self._bus = can.Bus(interface=interface, channel=channel, **options)
        except (can.CanError, OSError, ValueError, ImportError) as exc:
            raise BusOperationError(f"cannot open CAN {interface}:{channel}: {exc}") from exc
        self._reassembler = Reassembler(self.stats)
        self._send_lock = threading.Lock()

    @property
    def channel_info(self) -> str:
        """Interface and channel."""
        return f"{self.interface}:{self.channel}"

    def send(self, frame: Frame) -> None:
        """Send one frame as consecutive CAN segments."""
        self.send_body(encode_body(frame))

    def send_body(self, body: bytes) -> None:
        """Segment an encoded body and send it; segments of one body are never interleaved by this bus."""
        self._check_open()
        arbitration_id = _can_id_for_body(body)
        try:
            with self._send_lock:
                for data in segment_body(body):
                    self._bus.send(can.Message(arbitration_id=arbitration_id, is_extended_id=True, data=data))
        except (can.CanError, OSError, AttributeError) as exc:
            if self.closed:
                raise BusClosedError("CAN link is shut down") from exc
            raise BusOperationError(f"CAN send failed: {exc}") from exc
        self.stats.frames_sent += 1

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        wanted = _READ_SLICE if timeout is None else min(timeout, _READ_SLICE)
        try:
            message = self._bus.recv(wanted)
        except (can.CanError, OSError, AttributeError) as exc:
            if self.closed:
                raise BusClosedError("CAN link is shut down") from exc
            raise BusOperationError(f"CAN receive failed: {exc}") from exc
        if message is None or message.is_error_frame or message.is_remote_frame:
            return None
        if not message.is_extended_id or not is_seat_can_id(message.arbitration_id):
            return None  # other traffic on a shared bus
        return self._reassembler.feed(message.arbitration_id, bytes(message.data))

    def _shutdown_internal(self) -> None:
        self._bus.shutdown()
