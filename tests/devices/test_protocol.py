"""Frame encoding, stream decoding, CAN segmentation and link URLs."""

from __future__ import annotations

import pytest

from devices.seats import BROADCAST, Code, Frame, FrameError, LinkURLError
from devices.seats.crc import crc16_ccitt_false
from devices.seats.frames import FLAG, StreamDecoder, encode
from devices.seats.protocol import (
    Choice,
    PressMode,
    ack_frame,
    acknowledges,
    decode_body,
    encode_body,
    nameplate_payload,
    next_seq,
    parse_nameplate,
    parse_vote,
    parse_vote_open,
    vote_open_payload,
    vote_payload,
)
from devices.seats.registry import parse_link
from devices.seats.segments import Reassembler, can_id_for, segment


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_body_round_trip_and_flags() -> None:
    frame = Frame(code=Code.VOTE, address=4095, seq=255, payload=vote_payload(3, Choice.NO),
                  from_seat=True, ack_request=True)
    assert decode_body(encode_body(frame)) == frame
    assert parse_vote(frame.payload) == (3, Choice.NO, 0)
    broadcast = Frame(code=Code.VOTE_OPEN, address=BROADCAST, payload=vote_open_payload(3, Choice.YES | Choice.NO))
    assert decode_body(encode_body(broadcast)) == broadcast
    assert parse_vote_open(broadcast.payload) == (3, Choice.YES | Choice.NO, PressMode.FIRST_PRESS_VALID, 0)


def test_vote_frames_carry_the_question_of_a_person_by_person_vote() -> None:
    press = parse_vote(vote_payload(9, Choice.ABSTAIN, question=2))
    assert (press.vote_id, press.choice, press.question) == (9, Choice.ABSTAIN, 2)
    opening = parse_vote_open(vote_open_payload(9, Choice.YES | Choice.NO | Choice.ABSTAIN,
                                                PressMode.LAST_PRESS_VALID, question=2))
    assert (opening.vote_id, opening.mode, opening.question) == (9, PressMode.LAST_PRESS_VALID, 2)
    with pytest.raises(FrameError):
        vote_payload(9, Choice.YES, question=256)
    with pytest.raises(FrameError):
        parse_vote(bytes((9, 1)))  # a version-1 press has no question number: refused, never guessed
    with pytest.raises(FrameError):
        parse_vote_open(bytes((9, 7, 0)))


@pytest.mark.parametrize("address", [-2, 4096])
def test_address_out_of_range(address: int) -> None:
    with pytest.raises(FrameError):
        Frame(code=Code.POLL, address=address)


def test_nameplate_in_chinese() -> None:
    assert parse_nameplate(nameplate_payload("张三", "主席团成员")) == ("张三", "主席团成员")


def test_stream_escapes_flag_bytes_and_resyncs_after_garbage() -> None:
    frame = Frame(code=0x7E, address=0x7D, seq=0x7E, payload=bytes([FLAG, 0x7D, 0x5E]))
    decoder = StreamDecoder()
    data = b"\x01\x02garbage" + bytes([FLAG]) + b"junk" + encode(frame) + encode(frame)
    frames = [f for byte in data for f in decoder.feed(bytes([byte]))]
    assert frames == [frame, frame]
    assert decoder.counters.malformed == 1
    assert decoder.counters.discarded_bytes == 9


def test_ack_matches_only_its_frame() -> None:
    event = Frame(code=Code.SIGN_IN, address=5, seq=4, from_seat=True, ack_request=True)
    ack = ack_frame(event, from_seat=False)
    assert acknowledges(ack, event)
    assert not acknowledges(ack, Frame(code=Code.SIGN_IN, address=5, seq=5, from_seat=True))
    assert next_seq(255) == 1 and next_seq(0) == 1


def test_can_segmentation_counter_and_loss() -> None:
    frame = Frame(code=Code.MESSAGE, address=9, payload="长文本".encode() * 40)
    parts = segment(frame)
    assert all(len(p) <= 8 for p in parts) and len(parts) > 16
    reassembler = Reassembler()
    out = [reassembler.feed(can_id_for(frame), p) for p in parts]
    assert out[-1] == frame and out[:-1] == [None] * (len(parts) - 1)
    lossy = parts[:5] + parts[6:]
    assert all(reassembler.feed(can_id_for(frame), p) is None for p in lossy)
    assert reassembler.counters.dropped >= 1


def test_link_urls() -> None:
    assert parse_link("serial:///dev/pts/3") == ("serial", {"url": "/dev/pts/3"})
    assert parse_link("loop://") == ("serial", {"url": "loop://"})
    assert parse_link("can://virtual/channel0") == ("can", {"interface": "virtual", "channel": "channel0"})
    assert parse_link("tcp://127.0.0.1:9000?listen=1") == ("tcp", {"host": "127.0.0.1", "port": 9000, "listen": 1})
    with pytest.raises(LinkURLError):
        parse_link("tcp://127.0.0.1")
