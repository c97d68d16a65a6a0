"""The seat-terminal frame: fields, codes, payloads, and the CRC-protected frame body.

A frame body (before byte-stream framing or CAN segmentation) is::

    version(1) | flags+address(2, big-endian) | seq(1) | code(1) | length(2, big-endian) | payload | crc16(2)

The CRC (CRC-16/CCITT-FALSE) covers every byte from ``version`` to the end of the payload.
Everything here is pure: no I/O, no clocks. See ``docs/seat-protocol.md``.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, field
from typing import NamedTuple

from devices.seats.crc import crc16_ccitt_false
from devices.seats.errors import FrameError

VERSION = 2
"""Protocol version 2: VOTE_OPEN and VOTE carry the question (ballot) number of person-by-person votes."""
MAX_SEATS = 4096
ADDRESS_MASK = 0x0FFF
FLAG_FROM_SEAT = 0x8000
FLAG_BROADCAST = 0x4000
FLAG_ACK_REQUEST = 0x2000
FLAG_RESERVED = 0x1000
BROADCAST = -1
"""Pseudo address for frames sent to every seat (the broadcast flag, address field 0)."""

MAX_PAYLOAD = 1024
HEADER = struct.Struct(">BHBBH")
HEADER_SIZE = HEADER.size
CRC_SIZE = 2
MIN_BODY = HEADER_SIZE + CRC_SIZE
MAX_BODY = MIN_BODY + MAX_PAYLOAD
MAX_TEXT_BYTES = 960
"""Longest UTF-8 text a display, message or nameplate command may carry (320 Chinese characters)."""


class Code(enum.IntEnum):
    """Command and event codes: 0x01–0x3F events (seat → master), 0x40–0x7F commands, 0x80– control."""

    SIGN_IN = 0x01
    IC_CARD = 0x02
    REQUEST_SPEAK = 0x03
    CANCEL_SPEAK = 0x04
    VOTE = 0x05
    CHAIR_PRIORITY = 0x06
    KEEP_ALIVE = 0x07
    FAULT = 0x08
    SIGN_OUT = 0x09

    POLL = 0x40
    MICROPHONE = 0x41
    LEDS = 0x42
    DISPLAY_TEXT = 0x43
    NAMEPLATE = 0x44
    VOTE_OPEN = 0x45
    VOTE_CLOSE = 0x46
    MESSAGE = 0x47
    CLOCK = 0x48

    ACK = 0x80

    @property
    def is_event(self) -> bool:
        """True for codes a seat sends of its own accord."""
        return self < 0x40

    @property
    def is_command(self) -> bool:
        """True for codes the master sends to seats."""
        return 0x40 <= self < 0x80


EVENTS = frozenset(c for c in Code if c.is_event)
COMMANDS = frozenset(c for c in Code if c.is_command)


class Choice(enum.IntFlag):
    """Vote choices; VOTE_OPEN carries the allowed ones as a bit mask, VOTE carries exactly one."""

    YES = 0x01
    NO = 0x02
    ABSTAIN = 0x04


class Led(enum.IntFlag):
    """LEDs of a seat terminal, addressed as a bit mask by the LEDS command."""

    SIGNED_IN = 0x01
    MICROPHONE = 0x02
    REQUEST = 0x04
    YES = 0x08
    NO = 0x10
    ABSTAIN = 0x20
    PRIORITY = 0x40


class Fault(enum.IntEnum):
    """Fault codes a terminal reports in a FAULT event."""

    GENERIC = 0x00
    MICROPHONE = 0x01
    KEY_STUCK = 0x02
    CARD_READER = 0x03
    DISPLAY = 0x04
    POWER = 0x05
    RECEIVE_ERRORS = 0x06


class PressMode(enum.IntEnum):
    """How a terminal treats repeated presses while a vote is open (GB 50799-2012)."""

    FIRST_PRESS_VALID = 0
    LAST_PRESS_VALID = 1


@dataclass(frozen=True, slots=True)
class Frame:
    """One protocol frame.

    ``address`` is the seat (0–4095) the frame comes from (``from_seat``) or goes to; ``BROADCAST`` (-1)
    addresses every seat. ``seq`` is the sender's 8-bit sequence number (0 = first since power-up).
    """

    code: int
    address: int
    seq: int = 0
    payload: bytes = b""
    from_seat: bool = False
    ack_request: bool = False
    version: int = field(default=VERSION)

    def __post_init__(self) -> None:
        if self.address != BROADCAST and not 0 <= self.address < MAX_SEATS:
            raise FrameError(f"seat address {self.address} outside 0..{MAX_SEATS - 1}")
        if not 0 <= self.seq <= 0xFF:
            raise FrameError(f"sequence number {self.seq} outside 0..255")
        if not 0 <= self.code <= 0xFF:
            raise FrameError(f"code {self.code} outside 0..255")
        if len(self.payload) > MAX_PAYLOAD:
            raise FrameError(f"payload of {len(self.payload)} bytes exceeds {MAX_PAYLOAD}")
        if self.address == BROADCAST and self.from_seat:
            raise FrameError("a seat cannot send a broadcast")

    @property
    def broadcast(self) -> bool:
        """True for a frame addressed to every seat."""
        return self.address == BROADCAST

    def name(self) -> str:
        """The code's name, or its hex value when unknown."""
        try:
            return Code(self.code).name
        except ValueError:
            return f"0x{self.code:02X}"


def encode_body(frame: Frame) -> bytes:
    """Return the CRC-protected body of ``frame`` (no stream framing, no CAN segmentation)."""
    word = 0 if frame.broadcast else frame.address
    if frame.broadcast:
        word |= FLAG_BROADCAST
    if frame.from_seat:
        word |= FLAG_FROM_SEAT
    if frame.ack_request:
        word |= FLAG_ACK_REQUEST
    head = HEADER.pack(frame.version, word, frame.seq, frame.code, len(frame.payload)) + frame.payload
    return head + crc16_ccitt_false(head).to_bytes(2, "big")


def body_crc_ok(body: bytes | bytearray) -> bool:
    """True when ``body`` ends with the correct CRC of what precedes it."""
    if len(body) < MIN_BODY:
        return False
    return crc16_ccitt_false(body[:-CRC_SIZE]) == int.from_bytes(body[-CRC_SIZE:], "big")


class BodyError(enum.Enum):
    """Why a body was refused; the decoders count these."""

    CRC = "crc"
    MALFORMED = "malformed"


def decode_body(body: bytes | bytearray) -> Frame | BodyError:
    """Parse a frame body; return the frame, or why it was refused. Never returns a frame with a bad CRC."""
    if len(body) < MIN_BODY or len(body) > MAX_BODY:
        return BodyError.MALFORMED
    if not body_crc_ok(body):
        return BodyError.CRC
    version, word, seq, code, length = HEADER.unpack_from(body)
    if version != VERSION or word & FLAG_RESERVED or length != len(body) - MIN_BODY:
        return BodyError.MALFORMED
    broadcast = bool(word & FLAG_BROADCAST)
    from_seat = bool(word & FLAG_FROM_SEAT)
    if broadcast and (from_seat or word & ADDRESS_MASK):
        return BodyError.MALFORMED
    return Frame(
        code=code,
        address=BROADCAST if broadcast else word & ADDRESS_MASK,
        seq=seq,
        payload=bytes(body[HEADER_SIZE:-CRC_SIZE]),
        from_seat=from_seat,
        ack_request=bool(word & FLAG_ACK_REQUEST),
        version=version,
    )


# --- payloads ---------------------------------------------------------------------------------------


def _text(text: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) > MAX_TEXT_BYTES:
        raise FrameError(f"text of {len(data)} UTF-8 bytes exceeds {MAX_TEXT_BYTES}")
    return data


def _untext(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameError(f"text is not UTF-8: {exc}") from exc


def _question(question: int) -> int:
    if not 0 <= question <= 0xFF:
        raise FrameError(f"question number {question} outside 0..255")
    return question


def vote_payload(vote_id: int, choice: Choice, question: int = 0) -> bytes:
    """Payload of a VOTE event: the vote round, exactly one choice, and the question it answers.

    The question number (0 for an ordinary vote; the candidate's number in a person-by-person vote) is
    the one the terminal's VOTE_OPEN put, so a late press cannot count for the next candidate.
    """
    if choice not in (Choice.YES, Choice.NO, Choice.ABSTAIN):
        raise FrameError("a vote carries exactly one choice")
    return bytes((vote_id & 0xFF, int(choice), _question(question)))


class VotePress(NamedTuple):
    """A decoded VOTE event."""

    vote_id: int
    choice: Choice
    question: int


def parse_vote(payload: bytes) -> VotePress:
    """Return (vote_id, choice, question) of a VOTE event."""
    if len(payload) != 3 or payload[1] not in (1, 2, 4):
        raise FrameError("bad VOTE payload")
    return VotePress(payload[0], Choice(payload[1]), payload[2])


class VoteOpening(NamedTuple):
    """A decoded VOTE_OPEN command."""

    vote_id: int
    allowed: Choice
    mode: PressMode
    question: int


def vote_open_payload(vote_id: int, allowed: Choice, mode: PressMode = PressMode.FIRST_PRESS_VALID,
                      question: int = 0) -> bytes:
    """Payload of VOTE_OPEN: the round id, the allowed choices as a mask, the press mode, the question.

    A person-by-person vote puts its questions one after another with the same round id and the next
    question number; the terminal clears its keys for each new question.
    """
    if not allowed or int(allowed) & ~0x07:
        raise FrameError("a vote must allow at least one of yes / no / abstain")
    return bytes((vote_id & 0xFF, int(allowed), int(mode), _question(question)))


def parse_vote_open(payload: bytes) -> VoteOpening:
    """Return (vote_id, allowed choices, press mode, question) of VOTE_OPEN."""
    if len(payload) != 4 or not payload[1] or payload[1] & ~0x07 or payload[2] > 1:
        raise FrameError("bad VOTE_OPEN payload")
    return VoteOpening(payload[0], Choice(payload[1]), PressMode(payload[2]), payload[3])


def card_payload(card_id: bytes) -> bytes:
    """Payload of an IC_CARD event: the card's UID (1–16 bytes)."""
    if not 1 <= len(card_id) <= 16:
        raise FrameError("an IC card id has 1 to 16 bytes")
    return bytes(card_id)


def fault_payload(fault: Fault, detail: str = "") -> bytes:
    """Payload of a FAULT event: the fault code and an optional UTF-8 detail."""
    return bytes((int(fault),)) + _text(detail)


def parse_fault(payload: bytes) -> tuple[int, str]:
    """Return (fault code, detail) of a FAULT event."""
    if not payload:
        raise FrameError("empty FAULT payload")
    return payload[0], _untext(payload[1:])


def switch_payload(on: bool) -> bytes:
    """Payload of MICROPHONE and CHAIR_PRIORITY: one byte, 1 = on / pressed."""
    return b"\x01" if on else b"\x00"


def leds_payload(mask: Led, on: Led, blink: Led | None = None) -> bytes:
    """Payload of LEDS: which LEDs to change, which of them to light, which of those blink."""
    blinking = int(blink or 0)
    return bytes((int(mask), int(on) & int(mask), blinking & int(on) & int(mask)))


def display_payload(line: int, text: str) -> bytes:
    """Payload of DISPLAY_TEXT: the line (0 = clear and write line 0) and the UTF-8 text."""
    return bytes((line & 0xFF,)) + _text(text)


def parse_display(payload: bytes) -> tuple[int, str]:
    """Return (line, text) of DISPLAY_TEXT."""
    if not payload:
        raise FrameError("empty DISPLAY_TEXT payload")
    return payload[0], _untext(payload[1:])


def nameplate_payload(name: str, title: str = "") -> bytes:
    """Payload of NAMEPLATE: length-prefixed UTF-8 name, then the UTF-8 title (e.g. 主席团成员)."""
    raw = _text(name)
    if len(raw) > 255:
        raise FrameError("name too long for a nameplate")
    return bytes((len(raw),)) + raw + _text(title)


def parse_nameplate(payload: bytes) -> tuple[str, str]:
    """Return (name, title) of NAMEPLATE."""
    if not payload or payload[0] > len(payload) - 1:
        raise FrameError("bad NAMEPLATE payload")
    n = payload[0]
    return _untext(payload[1 : 1 + n]), _untext(payload[1 + n :])


def message_payload(text: str) -> bytes:
    """Payload of MESSAGE: the UTF-8 text shown on the seat display until dismissed."""
    return _text(text)


def clock_payload(unix_seconds: int, utc_offset_minutes: int = 480) -> bytes:
    """Payload of CLOCK: seconds since the epoch (uint32) and the UTC offset in minutes (int16)."""
    return struct.pack(">Ih", unix_seconds & 0xFFFFFFFF, utc_offset_minutes)


def parse_clock(payload: bytes) -> tuple[int, int]:
    """Return (unix seconds, UTC offset minutes) of CLOCK."""
    if len(payload) != 6:
        raise FrameError("bad CLOCK payload")
    seconds, offset = struct.unpack(">Ih", payload)
    return seconds, offset


def ack_frame(of: Frame, *, from_seat: bool) -> Frame:
    """The acknowledgement of ``of``: same address and sequence number, the acknowledged code as payload."""
    return Frame(code=Code.ACK, address=of.address, seq=of.seq, payload=bytes((of.code,)), from_seat=from_seat)


def acknowledges(ack: Frame, frame: Frame) -> bool:
    """True when ``ack`` acknowledges ``frame``."""
    return (
        ack.code == Code.ACK
        and ack.address == frame.address
        and ack.seq == frame.seq
        and ack.payload == bytes((frame.code,))
    )


def next_seq(seq: int) -> int:
    """The sequence number after ``seq``: 1..255 cycle; 0 only for the first frame after power-up."""
    return 1 if seq >= 255 else seq + 1


SEQ_WINDOW = 127
"""How far ahead of the last accepted sequence number a new frame may be (half the 1..255 cycle)."""


class SeqRelation(enum.StrEnum):
    """How a received sequence number stands to the last one accepted from the same sender."""

    NEW = "new"  # the next frame (or the first after power-up): act on it
    COPY = "copy"  # the frame accepted last, again: acknowledge again, do not act
    STALE = "stale"  # older than the frame accepted last (a reordered copy): never act on it


def seq_relation(last: int | None, seq: int) -> SeqRelation:
    """Compare ``seq`` with ``last``, the sender's last accepted sequence number (None: none yet).

    Numbers run 0 (power-up), 1 … 255, 1 … (:func:`next_seq`). A number up to :data:`SEQ_WINDOW` steps
    ahead of ``last`` in that cycle is new; the same number is a copy; anything else is stale, so an old
    copy that a gateway or a reconnect delivers after a newer frame is never counted. A 0 is a terminal
    that restarted: it starts a new cycle and is new unless the last accepted number is 0 already.
    """
    if last is None:
        return SeqRelation.NEW
    if seq == last:
        return SeqRelation.COPY
    if seq == 0:
        return SeqRelation.NEW
    ahead = seq if last == 0 else (seq - last) % 255
    return SeqRelation.NEW if 1 <= ahead <= SEQ_WINDOW else SeqRelation.STALE
