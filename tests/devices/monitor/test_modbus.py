"""The Modbus driver against pymodbus servers: TCP on 127.0.0.1 and RTU over a socat PTY pair."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from devices.monitor import ConfigError, DeviceProtocolError, DeviceUnreachable, Quality, open_device
from devices.monitor.regmap import encode_registers
from tests.devices.monitor.servers import ModbusServer, free_port, wait_for

AC_HR = {0: 240, 1: 500, 10: 0b0000_0010_0000_0011, 11: 0}
AC_IR = {0: 253, 1: 455, 2: encode_registers(-5, "int16")[0], 3: 0,
         4: encode_registers(123456, "uint32")[0], 5: encode_registers(123456, "uint32")[1]}


@pytest.fixture
def ac_server() -> Iterator[ModbusServer]:
    server = ModbusServer(hr=AC_HR, ir=AC_IR, co={0: True}, unit=3).start()
    try:
        yield server
    finally:
        server.stop()


def _values(driver: object) -> dict[str, object]:
    return {r.key: r.value for r in driver.read_all()}  # type: ignore[attr-defined]


def test_reads_a_precision_air_conditioner_over_tcp(ac_server: ModbusServer) -> None:
    with open_device(f"modbus-tcp://127.0.0.1:{ac_server.port}?unit=3&map=precision-ac") as ac:
        readings = {r.key: r for r in ac.read_all()}
        assert {p.key for p in ac.points()} == set(readings)
    assert readings["return_air_temp"].value == 25.3
    assert readings["return_air_temp"].unit == "°C"
    assert readings["return_air_humidity"].value == 45.5
    assert readings["supply_air_temp"].value == -0.5
    assert readings["compressor_hours"].value == 123456
    assert readings["temp_setpoint"].value == 24.0
    assert readings["unit_running"].value is True
    assert readings["cooling"].value is True
    assert readings["heating"].value is False
    assert readings["fan_stage"].value == 2
    assert readings["compressor_fault"].value is False
    assert readings["remote_on"].value is True
    assert all(r.quality is Quality.GOOD for r in readings.values())


def test_follows_an_alarm_raised_at_the_device(ac_server: ModbusServer) -> None:
    with open_device(f"modbus-tcp://127.0.0.1:{ac_server.port}?unit=3&map=precision-ac") as ac:
        assert _values(ac)["compressor_fault"] is False
        ac_server.set("holding", 11, [0b1_0001_0000])  # compressor fault and water under the floor
        ac_server.set("input", 0, [312])
        values = _values(ac)
    assert values["compressor_fault"] is True
    assert values["water_under_floor"] is True
    assert values["high_temp_alarm"] is False
    assert values["return_air_temp"] == 31.2


def test_every_shipped_model_reads_against_a_server() -> None:
    server = ModbusServer(hr={a: 0 for a in range(0, 32)}, ir={a: 0 for a in range(0, 16)},
                          co={a: False for a in range(8)}, di={a: False for a in range(8)}).start()
    try:
        for model in ("precision-ac", "temp-humidity", "leak-cable", "fire-panel", "door-contact"):
            with open_device(f"modbus-tcp://127.0.0.1:{server.port}?map={model}") as dev:
                assert {r.key for r in dev.read_all()} == {p.key for p in dev.points()}
    finally:
        server.stop()


def test_an_address_the_device_lacks_is_a_modbus_exception() -> None:
    server = ModbusServer(hr={0: 1}, ir={0: 1}).start()  # no registers 10 and 11 for the status words
    try:
        with open_device(f"modbus-tcp://127.0.0.1:{server.port}?map=precision-ac") as ac, \
                pytest.raises(DeviceProtocolError, match="非法数据地址"):
            ac.read_all()
    finally:
        server.stop()


def test_server_gone_is_unreachable_then_recovers(ac_server: ModbusServer) -> None:
    port = ac_server.port
    with open_device(f"modbus-tcp://127.0.0.1:{port}?unit=3&map=temp-humidity&timeout=0.5") as dev:
        # the temp-humidity map asks for a discrete input the AC server lacks: exception, not a crash
        with pytest.raises(DeviceProtocolError):
            dev.read_all()
        ac_server.stop()
        with pytest.raises(DeviceUnreachable):
            dev.read_all()
        revived = ModbusServer(hr={0: 215, 1: 480, 2: 100}, di={0: False}, unit=3)
        revived.port = port
        revived.start()
        try:
            values = _values(dev)
        finally:
            revived.stop()
    assert values == {"temperature": 21.5, "humidity": 48.0, "dew_point": 10.0, "sensor_fault": False}


def test_nothing_listening_is_unreachable() -> None:
    with pytest.raises(DeviceUnreachable, match="连不上"):
        open_device(f"modbus-tcp://127.0.0.1:{free_port()}?map=leak-cable&timeout=0.5").open()


def test_a_peer_that_drops_the_connection_mid_read_is_unreachable() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            conn.recv(64)
            conn.sendall(b"\x00\x01\x00")  # three bytes of a header, then hang up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    dev = open_device(f"modbus-tcp://127.0.0.1:{listener.getsockname()[1]}?map=leak-cable&timeout=0.5")
    with dev, pytest.raises((DeviceUnreachable, DeviceProtocolError)):
        dev.read_all()
    thread.join(timeout=5)


def test_an_absent_unit_id_is_refused(ac_server: ModbusServer) -> None:
    with open_device(f"modbus-tcp://127.0.0.1:{ac_server.port}?unit=9&map=leak-cable&timeout=0.3") as dev, \
            pytest.raises(DeviceProtocolError, match="站号 9"):
        dev.read_all()


def test_a_gateway_that_never_answers_times_out() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    done = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            done.wait(5)  # accept, read nothing, answer nothing

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    dev = open_device(f"modbus-tcp://127.0.0.1:{listener.getsockname()[1]}?map=leak-cable&timeout=0.3")
    with dev, pytest.raises(DeviceUnreachable, match="没有应答"):
        dev.read_all()
    done.set()
    thread.join(timeout=5)


def test_reads_a_sensor_over_rtu_on_a_pty_pair(pty_pair: tuple[str, str]) -> None:
    device_side, host_side = pty_pair
    server = ModbusServer(ir={0: 0b01, 1: 123, 2: 500}, unit=5, serial_port=device_side, baudrate=9600).start()
    try:
        with open_device(f"modbus-rtu://{host_side}?baud=9600&unit=5&map=leak-cable&timeout=1") as leak:
            values = wait_for(lambda: _values(leak), what="RTU answer")
            assert values == {"leak_detected": True, "cable_broken": False, "controller_fault": False,
                              "leak_position": 12.3, "cable_length": 50.0}
            server.set("input", 0, [0b10])
            assert _values(leak)["cable_broken"] is True
    finally:
        server.stop()


@pytest.mark.parametrize(("address", "message"), [
    ("modbus-tcp://127.0.0.1:502", "map="),
    ("modbus-tcp://127.0.0.1:502?map=nosuch", "没有型号"),
    ("modbus-tcp://127.0.0.1:502?map=leak-cable&unit=300", "unit"),
    ("modbus-tcp://127.0.0.1:502?map=leak-cable&colour=red", "colour"),
    ("modbus-rtu:///dev/ttyS0?map=leak-cable&parity=X", "parity"),
    ("modbus-rtu:///dev/ttyS0?map=leak-cable&baud=fast", "baud"),
])
def test_bad_addresses_are_config_errors_in_chinese(address: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_device(address)


def test_garbage_from_a_gateway_is_not_a_reading() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            conn.recv(64)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            conn.recv(64)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    dev = open_device(f"modbus-tcp://127.0.0.1:{listener.getsockname()[1]}?map=leak-cable&timeout=0.3")
    with dev, pytest.raises((DeviceUnreachable, DeviceProtocolError)):
        dev.read_all()
    thread.join(timeout=5)
