"""Byte-stream framing for RS-485 and TCP: HDLC-style flags with byte stuffing.

On the wire a frame is ``0x7E | escaped body | 0x7E``; inside the body 0x7E and 0x7D are sent as
0x7D followed by the byte XOR 0x20. A flag always starts a new frame, so the decoder resynchronises
at the next flag after any garbage or damage, and a corrupted length can never swallow the next frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from devices.seats.protocol import MAX_BODY, BodyError, Frame, decode_body, encode_body

FLAG = 0x7E
ESCAPE = 0x7D
ESCAPE_XOR = 0x20
MAX_ESCAPED = 2 * MAX_BODY


def stuff(body: bytes) -> bytes:
    """Wrap a frame body in flags, escaping flag and escape bytes inside it."""
    out = bytearray((FLAG,))
    for byte in body:
        if byte in (FLAG, ESCAPE):
            out.append(ESCAPE)
            out.append(byte ^ ESCAPE_XOR)
        else:
            out.append(byte)
    out.append(FLAG)
    return bytes(out)


def encode(frame: Frame) -> bytes:
    """Return the bytes that carry ``frame`` on a byte stream (RS-485, TCP)."""
    return stuff(encode_body(frame))


@dataclass
class DecoderCounters:
    """What a decoder refused: CRC failures, malformed frames, and bytes seen outside any frame."""

    frames: int = 0
    crc_errors: int = 0
    malformed: int = 0
    discarded_bytes: int = 0

    @property
    def dropped(self) -> int:
        """All refused frames."""
        return self.crc_errors + self.malformed


class StreamDecoder:
    """Incremental decoder of a framed byte stream, in the manner of pyserial's ``Packetizer``.

    Feed it bytes in any chunking; it returns the complete frames whose CRC and structure are right and
    counts the rest. It never raises on input and never returns a frame with a wrong CRC.
    """

    def __init__(self, counters: DecoderCounters | None = None) -> None:
        self.counters = counters if counters is not None else DecoderCounters()
        self._buf = bytearray()
        self._in_frame = False
        self._escaped = False
        self._overflow = False

    def reset(self) -> None:
        """Forget any partial frame (e.g. after the port was reopened)."""
        self._buf.clear()
        self._in_frame = False
        self._escaped = False
        self._overflow = False

    def feed(self, data: bytes | bytearray | Iterable[int]) -> list[Frame]:
        """Consume ``data`` and return the frames it completed, oldest first."""
        frames: list[Frame] = []
        buf = self._buf
        for byte in bytes(data):
            if byte == FLAG:
                if self._in_frame and (buf or self._escaped or self._overflow):
                    self._finish(frames)
                self._in_frame = True
                buf.clear()
                self._escaped = False
                self._overflow = False
                continue
            if not self._in_frame:
                self.counters.discarded_bytes += 1
                continue
            if self._overflow:
                continue
            if self._escaped:
                buf.append(byte ^ ESCAPE_XOR)
                self._escaped = False
            elif byte == ESCAPE:
                self._escaped = True
            else:
                buf.append(byte)
            if len(buf) > MAX_BODY:
                self._overflow = True
        return frames

    def _finish(self, frames: list[Frame]) -> None:
        if self._overflow or self._escaped:
            self.counters.malformed += 1
            return
        result = decode_body(self._buf)
        if result is BodyError.CRC:
            self.counters.crc_errors += 1
        elif result is BodyError.MALFORMED:
            self.counters.malformed += 1
        elif isinstance(result, Frame):
            self.counters.frames += 1
            frames.append(result)
