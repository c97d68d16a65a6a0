"""Carrying frame bodies in 8-byte CAN data frames: segmentation and reassembly.

Each CAN frame carries one control byte and up to 7 bytes of the frame body::

    bit 7  FIRST   first segment of a body
    bit 6  LAST    last segment of a body
    bit 5-4        reserved (0)
    bit 3-0        segment counter, 0 on the first segment, +1 (mod 16) on each next one

The arbitration id (29-bit extended) names the sender and the seat, so segments from different
senders may interleave on the bus; reassembly is per arbitration id. A missing, repeated or
out-of-order segment drops the body being reassembled; the CRC of the whole body is checked at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.seats.frames import DecoderCounters
from devices.seats.protocol import MAX_BODY, BodyError, Frame, decode_body, encode_body

FIRST = 0x80
LAST = 0x40
COUNTER_MASK = 0x0F
SEGMENT_DATA = 7
CAN_ID_BASE = 0x1A5 << 13
"""Extended CAN id: bits 28–13 the protocol prefix, bit 12 direction (1 = from seat), bits 11–0 address."""
CAN_ID_FROM_SEAT = 1 << 12
CAN_BROADCAST_ID = CAN_ID_BASE | 0x0FFF


def can_id_for(frame: Frame) -> int:
    """The arbitration id that carries ``frame``."""
    if frame.broadcast:
        return CAN_BROADCAST_ID
    return CAN_ID_BASE | (CAN_ID_FROM_SEAT if frame.from_seat else 0) | frame.address


def is_seat_can_id(arbitration_id: int) -> bool:
    """True when an arbitration id belongs to this protocol."""
    return arbitration_id & ~0x1FFF == CAN_ID_BASE


def segment_body(body: bytes) -> list[bytes]:
    """Split a frame body into CAN payloads of at most 8 bytes."""
    chunks = [body[i : i + SEGMENT_DATA] for i in range(0, len(body), SEGMENT_DATA)] or [b""]
    out = []
    for index, chunk in enumerate(chunks):
        control = index & COUNTER_MASK
        if index == 0:
            control |= FIRST
        if index == len(chunks) - 1:
            control |= LAST
        out.append(bytes((control,)) + chunk)
    return out


def segment(frame: Frame) -> list[bytes]:
    """Return the CAN payloads (each at most 8 bytes) carrying ``frame``."""
    return segment_body(encode_body(frame))


@dataclass
class _Partial:
    data: bytearray = field(default_factory=bytearray)
    next_counter: int = 0


class Reassembler:
    """Rebuilds frame bodies from CAN payloads, one reassembly per arbitration id."""

    def __init__(self, counters: DecoderCounters | None = None) -> None:
        self.counters = counters if counters is not None else DecoderCounters()
        self._partial: dict[int, _Partial] = {}

    def feed(self, arbitration_id: int, data: bytes | bytearray) -> Frame | None:
        """Consume one CAN payload; return the frame it completed, if any."""
        if not data or len(data) > 8:
            self.counters.malformed += 1
            return None
        control, chunk = data[0], bytes(data[1:])
        counter = control & COUNTER_MASK
        if control & 0x30:
            self._drop(arbitration_id)
            self.counters.malformed += 1
            return None
        if control & FIRST:
            if arbitration_id in self._partial:
                self._drop(arbitration_id)
                self.counters.malformed += 1
            if counter != 0:
                self.counters.malformed += 1
                return None
            partial = self._partial[arbitration_id] = _Partial()
        else:
            found = self._partial.get(arbitration_id)
            if found is None:
                self.counters.malformed += 1  # a continuation without its first segment
                return None
            partial = found
            if counter != partial.next_counter:
                self._drop(arbitration_id)
                self.counters.malformed += 1
                return None
        partial.data += chunk
        partial.next_counter = (counter + 1) & COUNTER_MASK
        if len(partial.data) > MAX_BODY:
            self._drop(arbitration_id)
            self.counters.malformed += 1
            return None
        if not control & LAST:
            return None
        body = self._partial.pop(arbitration_id).data
        result = decode_body(body)
        if result is BodyError.CRC:
            self.counters.crc_errors += 1
        elif result is BodyError.MALFORMED:
            self.counters.malformed += 1
        elif isinstance(result, Frame):
            self.counters.frames += 1
            return result
        return None

    def _drop(self, arbitration_id: int) -> None:
        self._partial.pop(arbitration_id, None)
