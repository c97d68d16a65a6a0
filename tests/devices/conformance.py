"""One conformance suite for every seat driver, re-run per driver by subclassing (cf. python-can back2back)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from devices.seats import BusClosedError, Code, Frame, SeatBus
from devices.seats.protocol import (
    BROADCAST,
    display_payload,
    encode_body,
    message_payload,
    parse_display,
    switch_payload,
)
from tests.helpers.waits import WAIT_S

TIMEOUT = WAIT_S
LONG_TEXT = "上海市人民代表大会常务委员会主席团第十次会议，现在开始表决。" * 10


class BusConformance:
    """Subclass with ``open_pair`` returning (console side, seat side); may be the same bus on a loopback."""

    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        raise NotImplementedError

    @pytest.fixture
    def pair(self) -> Iterator[tuple[SeatBus, SeatBus]]:
        console, seats = self.open_pair()
        try:
            yield console, seats
        finally:
            console.shutdown()
            seats.shutdown()

    @staticmethod
    def recv_matching(bus: SeatBus, wanted: Frame) -> Frame | None:
        """Receive until ``wanted`` arrives (a loopback also hears its own frames) or time runs out."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            got = bus.recv(timeout=deadline - time.monotonic())
            if got == wanted:
                return got
        return None

    def test_command_round_trip(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        frame = Frame(code=Code.MICROPHONE, address=4095, seq=17, payload=switch_payload(True), ack_request=True)
        console.send(frame)
        assert seats.recv(timeout=TIMEOUT) == frame

    def test_event_round_trip(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        frame = Frame(code=Code.SIGN_IN, address=0, seq=0, from_seat=True, ack_request=True)
        seats.send(frame)
        assert self.recv_matching(console, frame) == frame

    def test_broadcast_round_trip(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        frame = Frame(code=Code.MESSAGE, address=BROADCAST, seq=3, payload=message_payload("请各位委员就座"))
        console.send(frame)
        assert seats.recv(timeout=TIMEOUT) == frame

    def test_frames_arrive_in_order(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        sent = [Frame(code=Code.POLL, address=i, seq=i % 256) for i in range(1, 201)]
        for frame in sent:
            console.send(frame)
        got = [seats.recv(timeout=TIMEOUT) for _ in sent]
        assert got == sent

    def test_long_chinese_text_survives(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        frame = Frame(code=Code.DISPLAY_TEXT, address=123, seq=9, payload=display_payload(1, LONG_TEXT))
        assert len(frame.payload) > 800
        console.send(frame)
        got = seats.recv(timeout=TIMEOUT)
        assert got is not None
        assert parse_display(got.payload) == (1, LONG_TEXT)

    def test_corrupted_frame_is_counted_and_dropped(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, seats = pair
        bad = bytearray(encode_body(Frame(code=Code.VOTE_CLOSE, address=7, seq=1, payload=b"\x05")))
        bad[len(bad) // 2] ^= 0x01
        good = Frame(code=Code.VOTE_CLOSE, address=7, seq=2, payload=b"\x05")
        console.send_body(bytes(bad))
        console.send(good)
        assert seats.recv(timeout=TIMEOUT) == good
        assert seats.stats.dropped == 1
        assert seats.stats.crc_errors == 1

    def test_recv_times_out(self, pair: tuple[SeatBus, SeatBus]) -> None:
        _, seats = pair
        started = time.monotonic()
        assert seats.recv(timeout=0.1) is None
        assert 0.09 <= time.monotonic() - started < 2.0
        assert seats.recv(timeout=0) is None

    def test_shutdown(self, pair: tuple[SeatBus, SeatBus]) -> None:
        console, _ = pair
        console.shutdown()
        console.shutdown()
        assert console.closed
        with pytest.raises(BusClosedError):
            console.send(Frame(code=Code.POLL, address=1))
        with pytest.raises(BusClosedError):
            console.recv(timeout=0)

    def test_shutdown_wakes_a_waiting_receiver(self, pair: tuple[SeatBus, SeatBus]) -> None:
        _, seats = pair
        outcome: list[BaseException | Frame | None] = []
        waiting = threading.Event()

        def receive() -> None:
            waiting.set()
            try:
                outcome.append(seats.recv(timeout=None))
            except BusClosedError as exc:
                outcome.append(exc)

        thread = threading.Thread(target=receive)
        thread.start()
        assert waiting.wait(TIMEOUT)
        seats.shutdown()
        thread.join(TIMEOUT)
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], BusClosedError)

    def test_context_manager_shuts_down(self) -> None:
        console, seats = self.open_pair()
        with console, seats:
            pass
        assert console.closed and seats.closed
