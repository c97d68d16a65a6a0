"""The conformance suite run against every built-in driver."""

from __future__ import annotations

import pytest

from devices.seats import Code, Frame, SeatBus, open_bus, open_link
from devices.seats.drivers.tcp import TcpSeatBus
from tests.devices.conformance import BusConformance
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
        channel = unique("can")
        return open_link(f"can://virtual/{channel}"), open_link(f"can://virtual/{channel}")


class TestTcp(BusConformance):
    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        console = open_link("tcp://127.0.0.1:0", listen=True)
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        seats = open_link(f"tcp://{host}:{port}")
        assert console.wait_for_connections(1, timeout=5.0)
        return console, seats


class TestSerialSocketToTcpListener(BusConformance):
    """A pyserial ``socket://`` port talks to the TCP driver: the same byte-stream framing on both."""

    def open_pair(self) -> tuple[SeatBus, SeatBus]:
        console = open_link("tcp://127.0.0.1:0", listen=True)
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        seats = open_link(f"socket://{host}:{port}")
        assert console.wait_for_connections(1, timeout=5.0)
        return console, seats


def test_tcp_client_reports_a_closed_connection() -> None:
    from devices.seats import BusOperationError

    console = open_link("tcp://127.0.0.1:0", listen=True)
    assert isinstance(console, TcpSeatBus)
    host, port = console.address
    with open_link(f"tcp://{host}:{port}") as seats:
        assert console.wait_for_connections(1, timeout=5.0)
        console.shutdown()
        with pytest.raises(BusOperationError):
            seats.recv(timeout=5.0)
        with pytest.raises(BusOperationError):
            seats.send(Frame(code=Code.SIGN_IN, address=1, from_seat=True))
