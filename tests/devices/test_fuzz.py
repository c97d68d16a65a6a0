"""Hypothesis fuzzing of the frame decoders: no crash, no frame with a wrong CRC, no good frame lost."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.seats.frames import ESCAPE, ESCAPE_XOR, FLAG, StreamDecoder, encode
from devices.seats.protocol import BROADCAST, MAX_SEATS, Frame, body_crc_ok, encode_body
from devices.seats.segments import Reassembler, can_id_for, segment

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

frames_st = st.builds(
    lambda code, address, seq, payload, ack, broadcast: Frame(
        code=code,
        address=BROADCAST if broadcast else address,
        seq=seq,
        payload=payload,
        from_seat=not broadcast and code < 0x40,
        ack_request=ack,
    ),
    code=st.integers(0, 255),
    address=st.integers(0, MAX_SEATS - 1),
    seq=st.integers(0, 255),
    payload=st.binary(max_size=80) | st.text(max_size=30).map(lambda t: t.encode("utf-8")[:1024]),
    ack=st.booleans(),
    broadcast=st.booleans(),
)


def good_bodies(data: bytes) -> set[bytes]:
    """An independent oracle: every flag-delimited, correctly escaped chunk whose CRC is right."""
    found: set[bytes] = set()
    for chunk in data.split(bytes([FLAG]))[1:]:
        body = bytearray()
        escaped = False
        for byte in chunk:
            if escaped:
                body.append(byte ^ ESCAPE_XOR)
                escaped = False
            elif byte == ESCAPE:
                escaped = True
            else:
                body.append(byte)
        if not escaped and body_crc_ok(body):
            found.add(bytes(body))
    return found


def feed_in_chunks(decoder: StreamDecoder, data: bytes, cuts: list[int]) -> list[Frame]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    out: list[Frame] = []
    for start, end in itertools.pairwise(points):
        out.extend(decoder.feed(data[start:end]))
    return out


@FUZZ
@given(data=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 5000), max_size=20))
def test_random_bytes_never_crash_or_yield_a_bad_frame(data: bytes, cuts: list[int]) -> None:
    decoder = StreamDecoder()
    frames = feed_in_chunks(decoder, data, cuts)
    oracle = good_bodies(data)
    for frame in frames:
        assert encode_body(frame) in oracle


@FUZZ
@given(
    frames=st.lists(frames_st, min_size=1, max_size=8),
    mutations=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=10),
    cuts=st.lists(st.integers(0, 10_000), max_size=20),
)
def test_mutated_streams_never_yield_a_bad_frame(
    frames: list[Frame], mutations: list[tuple[int, int]], cuts: list[int]
) -> None:
    data = bytearray(b"".join(encode(f) for f in frames))
    for position, value in mutations:
        data[position % len(data)] = value
    decoder = StreamDecoder()
    got = feed_in_chunks(decoder, bytes(data), cuts)
    oracle = good_bodies(bytes(data))
    for frame in got:
        assert encode_body(frame) in oracle


@FUZZ
@given(frame=frames_st, position=st.integers(0, 10_000), flip=st.integers(1, 255))
def test_a_corrupted_frame_is_counted_and_dropped(frame: Frame, position: int, flip: int) -> None:
    data = bytearray(encode(frame))
    index = 1 + position % (len(data) - 2)  # inside the flags
    data[index] ^= flip
    decoder = StreamDecoder()
    assert decoder.feed(bytes(data)) == []
    assert decoder.counters.dropped >= 1


@FUZZ
@given(
    frames=st.lists(frames_st, min_size=1, max_size=8),
    garbage=st.lists(st.binary(max_size=60), min_size=9, max_size=9),
    cuts=st.lists(st.integers(0, 10_000), max_size=20),
)
def test_valid_frames_in_garbage_are_all_recovered(
    frames: list[Frame], garbage: list[bytes], cuts: list[int]
) -> None:
    data = garbage[0] + b"".join(encode(f) + g for f, g in zip(frames, garbage[1:], strict=False))
    decoder = StreamDecoder()
    got = feed_in_chunks(decoder, data, cuts)
    oracle = good_bodies(data)
    assert all(encode_body(f) in oracle for f in got)  # garbage adds a frame only if it holds a good one
    remaining = list(got)
    for frame in frames:
        assert frame in remaining
        remaining = remaining[remaining.index(frame) + 1 :]


@FUZZ
@given(
    segments=st.lists(st.tuples(st.integers(0, 3), st.binary(min_size=0, max_size=9)), max_size=200),
)
def test_can_reassembly_never_crashes_on_random_segments(segments: list[tuple[int, bytes]]) -> None:
    reassembler = Reassembler()
    for sender, data in segments:
        frame = reassembler.feed(sender, data)
        if frame is not None:
            assert body_crc_ok(encode_body(frame))


@FUZZ
@given(frames=st.lists(frames_st, min_size=1, max_size=6), drop=st.integers(0, 10_000))
def test_can_lost_segment_drops_only_that_frame(frames: list[Frame], drop: int) -> None:
    reassembler = Reassembler()
    victim = drop % len(frames)
    got: list[Frame] = []
    for i, frame in enumerate(frames):
        parts = segment(frame)
        if i == victim and len(parts) > 1:
            del parts[drop % len(parts)]
        for part in parts:
            result = reassembler.feed(can_id_for(frame), part)
            if result is not None:
                got.append(result)
    expected = [f for i, f in enumerate(frames) if i != victim or len(segment(f)) == 1]
    assert got == expected
