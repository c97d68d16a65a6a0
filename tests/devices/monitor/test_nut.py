"""The NUT driver against Debian's upsd with the dummy-ups driver, whose values change while we read."""

from __future__ import annotations

import socket
import threading

import pytest

from devices.monitor import (
    ConfigError,
    DeviceProtocolError,
    DeviceUnreachable,
    MonitorDriver,
    Quality,
    open_device,
)
from devices.monitor.nut import NutClient, NutDriver
from tests.devices.monitor.servers import NutServer, free_port, wait_for


def _values(driver: MonitorDriver) -> dict[str, object]:
    return {r.key: r.value for r in driver.read_all()}


def test_reads_status_battery_voltages_and_load(nut_server: NutServer) -> None:
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1") as ups:
        readings = {r.key: r for r in ups.read_all()}
    assert readings["ups.status"].value == "OL CHRG"
    assert readings["ups.online"].value is True
    assert readings["ups.on_battery"].value is False
    assert readings["ups.low_battery"].value is False
    assert readings["ups.charging"].value is True
    assert readings["battery.charge"].value == 100.0
    assert readings["battery.charge"].unit == "%"
    assert readings["battery.runtime"].value == 1800.0
    assert readings["input.voltage"].value == 230.0
    assert readings["output.voltage"].value == 229.5
    assert readings["ups.load"].value == 35.0
    assert readings["input.frequency"].value == 50.0
    assert "battery.voltage" not in readings  # optional and not reported by this UPS
    assert all(r.quality is Quality.GOOD for r in readings.values())
    assert {p.key for p in ups.points()} >= set(readings)


def test_follows_a_mains_failure_while_reading(nut_server: NutServer) -> None:
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1") as ups:
        assert isinstance(ups, NutDriver)
        assert _values(ups)["ups.on_battery"] is False
        nut_server.write("ups1", {**nut_server.upses["ups1"], "ups.status": "OB DISCHRG LB",
                                  "battery.charge": "18", "battery.runtime": "240", "input.voltage": "0"})
        values = wait_for(lambda: (v := _values(ups))["ups.on_battery"] and v, what="on battery")
        assert values["ups.online"] is False
        assert values["ups.low_battery"] is True
        assert values["battery.charge"] == 18.0
        assert values["battery.runtime"] == 240.0
        assert values["input.voltage"] == 0.0


def test_a_value_set_with_upsrw_style_set_var_is_read(nut_server: NutServer) -> None:
    client = NutClient("127.0.0.1", nut_server.port, 3.0)
    client.connect()
    client.login("monitor", "s3cret")
    assert client.command('SET VAR ups1 ups.load "88"').startswith("OK")
    client.close()
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1") as ups:
        wait_for(lambda: _values(ups)["ups.load"] == 88.0, what="load 88")


def test_a_garbled_value_is_bad_not_an_exception(nut_server: NutServer) -> None:
    nut_server.write("ups1", {**nut_server.upses["ups1"], "battery.charge": "n/a"})
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1") as ups:
        reading = wait_for(lambda: next(r for r in ups.read_all() if r.key == "battery.charge" and not r.good),
                           what="bad charge")
    assert reading.quality is Quality.BAD and reading.value is None


def test_an_unknown_ups_name_is_a_config_error(nut_server: NutServer) -> None:
    with open_device(f"nut://127.0.0.1:{nut_server.port}/nosuch") as ups, pytest.raises(ConfigError, match="UPS 名称"):
        ups.read_all()


def test_driver_gone_marks_every_point_stale(nut_server: NutServer) -> None:
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1") as ups:
        nut_server.stop_driver("ups1")
        readings = wait_for(lambda: (rs := ups.read_all()) and not rs[0].good and rs, what="stale")
        assert {r.quality for r in readings} == {Quality.STALE}
        assert {r.value for r in readings} == {None}


def test_upsd_restart_is_unreachable_then_reconnects(nut_server: NutServer) -> None:
    with open_device(f"nut://127.0.0.1:{nut_server.port}/ups1", timeout=1) as ups:
        assert _values(ups)["ups.online"] is True
        nut_server.stop_upsd()
        with pytest.raises(DeviceUnreachable, match="UPS 服务"):
            ups.read_all()
        with pytest.raises(DeviceUnreachable, match="连接被拒绝"):
            ups.read_all()
        nut_server.start_upsd()
        assert _values(ups)["ups.online"] is True


def test_nothing_listening_is_unreachable() -> None:
    with pytest.raises(DeviceUnreachable, match="连不上"):
        open_device(f"nut://127.0.0.1:{free_port()}/ups1").open()


def _fake_upsd(reply: bytes) -> tuple[int, threading.Thread]:
    """A TCP peer that answers any request with ``reply`` (garbage, or nothing at all)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            conn.recv(1024)
            if reply:
                conn.sendall(reply)
                conn.shutdown(socket.SHUT_WR)
            else:
                conn.recv(1024)  # hold the line open until the client gives up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread


@pytest.mark.parametrize("reply", [b"HTTP/1.1 400 Bad Request\r\n\r\n", b"\xff\xfe\x00garbage\n",
                                   b"BEGIN LIST VAR ups1\nVAR ups1 \"unterminated\n"])
def test_garbage_from_the_peer_is_a_protocol_error(reply: bytes) -> None:
    port, thread = _fake_upsd(reply)
    with open_device(f"nut://127.0.0.1:{port}/ups1", timeout=2) as ups, pytest.raises(DeviceProtocolError):
        ups.read_all()
    thread.join(timeout=5)


def test_a_peer_that_never_answers_times_out() -> None:
    port, thread = _fake_upsd(b"")
    with open_device(f"nut://127.0.0.1:{port}/ups1", timeout=0.3) as ups, pytest.raises(DeviceUnreachable, match="超时"):
        ups.read_all()
    thread.join(timeout=5)
