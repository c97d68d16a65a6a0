"""In-process seat link for tests and demos, like python-can's ``virtual`` interface.

Every bus on the same channel name receives what the others send (and, with ``receive_own``, its own
frames). Frames travel as framed bytes through the stream decoder, so damage is counted as on a wire.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from typing import ClassVar

from devices.seats.bus import SeatBus
from devices.seats.frames import StreamDecoder, stuff
from devices.seats.protocol import Frame, encode_body

_channels: dict[str, list[VirtualSeatBus]] = {}
_channels_lock = threading.Lock()
_WAKE = b""
_READ_SLICE = 0.05


class VirtualSeatBus(SeatBus):
    """A bus joined to an in-process channel."""

    driver_name: ClassVar[str] = "virtual"

    def __init__(self, channel: str = "seats", receive_own: bool = False, half_duplex: bool = False) -> None:
        """Join ``channel``; ``half_duplex`` makes masters poll as they would on RS-485."""
        super().__init__()
        self.channel = channel
        self.receive_own = receive_own
        self._half_duplex = half_duplex
        self._queue: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._decoder = StreamDecoder(self.stats)
        self._pending: deque[Frame] = deque()
        with _channels_lock:
            _channels.setdefault(channel, []).append(self)

    @property
    def channel_info(self) -> str:
        """The channel name."""
        return self.channel

    @property
    def polled(self) -> bool:
        """True when this channel behaves as a polled half-duplex line."""
        return self._half_duplex or self.half_duplex

    def send(self, frame: Frame) -> None:
        """Deliver one frame to every other bus on the channel."""
        self.send_body(encode_body(frame))

    def send_body(self, body: bytes) -> None:
        """Deliver an encoded body, framed, to every other bus on the channel."""
        self._check_open()
        data = stuff(body)
        with _channels_lock:
            peers = list(_channels.get(self.channel, ()))
        for peer in peers:
            if peer is not self or self.receive_own:
                peer._queue.put(data)
        self.stats.frames_sent += 1

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        if self._pending:
            return self._pending.popleft()
        try:
            data = self._queue.get(timeout=_READ_SLICE if timeout is None else timeout)
        except queue.Empty:
            return None
        self._pending.extend(self._decoder.feed(data))
        return self._pending.popleft() if self._pending else None

    def _shutdown_internal(self) -> None:
        with _channels_lock:
            members = _channels.get(self.channel, [])
            if self in members:
                members.remove(self)
            if not members:
                _channels.pop(self.channel, None)
        self._queue.put(_WAKE)
