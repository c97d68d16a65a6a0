"""The conformance suite run against every built-in driver."""

from __future__ import annotations

import pytest

from devices.seats import Code, Frame, SeatBus, open_bus, open_link
from devices.seats.drivers.tcp import TcpSeatBus
from tests.devices.conformance import TIMEOUT, BusConformance
from tests.devices.conftest import unique


class TestVirtual(BusConformance):
    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        channel = unique("virtual")
        return open_bus("virtual", channel=channel), open_bus("virtual", channel=channel)


class TestSerialLoop(BusConformance):
    """``loop://`` echoes a port onto itself: console and seats are the same bus."""

    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        bus = open_link("loop://")
        return bus, bus


class TestSerialPty(BusConformance):
    @pytest.fixture(autouse=True)
    def _ptys(self, pty_pair: tuple[str, str]) -> None:
        self.ptys = pty_pair

    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        return open_link(f"serial://{self.ptys[0]}"), open_link(f"serial://{self.ptys[1]}?baudrate=115200")


class TestCanVirtual(BusConformance):
    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        self.channel = unique("can")
        return open_link(f"can://virtual/{self.channel}"), open_link(f"can://virtual/{self.channel}")

    def test_lost_segment_and_foreign_traffic(self, pair: tuple[SeatBus, SeatBus]) -> None:
        import can

        from devices.seats.protocol import message_payload
        from devices.seats.segments import can_id_for, segment

        _, seats = pair
        frame = Frame(code=Code.MESSAGE, address=42, seq=5, payload=message_payload("请主席团成员到主席台就座" * 3))
        parts = segment(frame)
        with can.Bus(interface="virtual", channel=self.channel) as raw:
            raw.send(can.Message(arbitration_id=0x123, is_extended_id=False, data=b"\x01\x02"))
            for index, data in enumerate(parts):
                if index != 3:
                    raw.send(can.Message(arbitration_id=can_id_for(frame), is_extended_id=True, data=data))
            for data in parts:
                raw.send(can.Message(arbitration_id=can_id_for(frame), is_extended_id=True, data=data))
            assert seats.recv(timeout=TIMEOUT) == frame
        assert seats.stats.malformed >= 1 and seats.stats.frames == 1


class TestTcp(BusConformance):
    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        console = open_link("tcp://127.0.0.1:0", listen=True)
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        seats = open_link(f"tcp://{host}:{port}")
        assert console.wait_for_connections(1, timeout=30.0)
        return console, seats


class TestSerialSocketToTcpListener(BusConformance):
    """A pyserial ``socket://`` port talks to the TCP driver: the same byte-stream framing on both."""

    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        console = open_link("tcp://127.0.0.1:0", listen=True)
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        seats = open_link(f"socket://{host}:{port}")
        assert console.wait_for_connections(1, timeout=30.0)
        return console, seats


def test_tcp_client_reports_a_closed_connection() -> None:
    from devices.seats import BusOperationError

    console = open_link("tcp://127.0.0.1:0", listen=True)
    assert isinstance(console, TcpSeatBus)
    host, port = console.address
    with open_link(f"tcp://{host}:{port}") as seats:
        assert console.wait_for_connections(1, timeout=30.0)
        console.shutdown()
        with pytest.raises(BusOperationError):
            seats.recv(timeout=5.0)
        with pytest.raises(BusOperationError):
            seats.send(Frame(code=Code.SIGN_IN, address=1, from_seat=True))
