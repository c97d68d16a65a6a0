"""The poller against the real peers: a server that stops gives stale points and one communication
alarm; a restart gives one recovery and fresh values."""

from __future__ import annotations

import queue
import random
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.monitor import ConfigError, Quality, Reading
from devices.monitor.base import BaseDriver, PointInfo
from devices.monitor.poller import CommEvent, DeviceSpec, Poller, backoff_delay
from tests.devices.monitor.servers import ModbusServer, NutServer, wait_for

# A lost device is logged as a warning: that is the point of these tests.
pytestmark = pytest.mark.warnings_expected


class Recorder:
    def __init__(self) -> None:
        self.events: queue.Queue[CommEvent] = queue.Queue()
        self.readings: list[tuple[str, list[Reading]]] = []
        self.lock = threading.Lock()

    def on_readings(self, device: str, readings: list[Reading]) -> None:
        with self.lock:
            self.readings.append((device, readings))

    def event(self, timeout: float = 10.0) -> CommEvent:
        return self.events.get(timeout=timeout)


def test_a_ups_server_outage_goes_stale_with_one_alarm_and_recovers(nut_server: NutServer) -> None:
    rec = Recorder()
    spec = DeviceSpec("ups-1", f"nut://127.0.0.1:{nut_server.port}/ups1?timeout=0.5", interval=0.1)
    with Poller([spec], on_readings=rec.on_readings, on_event=rec.events.put, backoff_max=0.4) as poller:
        wait_for(lambda: poller.state("ups-1").online, what="first good read")
        assert poller.snapshot()["ups-1"]["battery.charge"].value == 100.0
        nut_server.stop_upsd()
        lost = rec.event()
        assert (lost.device, lost.kind) == ("ups-1", "lost")
        assert "通信中断" in lost.message and "UPS 服务" in lost.message
        charge = poller.snapshot()["ups-1"]["battery.charge"]
        assert (charge.quality, charge.value) == (Quality.STALE, 100.0)  # last value kept, marked stale
        assert rec.events.empty()  # one alarm for the outage, not one per failed attempt
        nut_server.write("ups1", {**nut_server.upses["ups1"], "battery.charge": "90"})
        nut_server.start_upsd()
        restored = rec.event()
        assert restored.kind == "restored" and "通信恢复" in restored.message
        wait_for(lambda: poller.snapshot()["ups-1"]["battery.charge"].value == 90.0, what="fresh value")
        assert poller.snapshot()["ups-1"]["battery.charge"].good


def test_a_modbus_device_outage_and_return() -> None:
    server = ModbusServer(ir={0: 0, 1: 0, 2: 500}).start()
    port = server.port
    rec = Recorder()
    spec = DeviceSpec("leak-1", f"modbus-tcp://127.0.0.1:{port}?map=leak-cable&timeout=0.3", interval=0.1)
    revived: ModbusServer | None = None
    try:
        with Poller([spec], on_readings=rec.on_readings, on_event=rec.events.put, backoff_max=0.4) as poller:
            wait_for(lambda: poller.state("leak-1").online, what="first good read")
            server.stop()
            assert rec.event().kind == "lost"
            assert {r.quality for r in poller.snapshot()["leak-1"].values()} == {Quality.STALE}
            revived = ModbusServer(ir={0: 1, 1: 42, 2: 500})
            revived.port = port
            revived.start()
            assert rec.event().kind == "restored"
            wait_for(lambda: poller.snapshot()["leak-1"]["leak_detected"].value is True, what="leak seen")
            assert poller.snapshot()["leak-1"]["leak_position"].value == 4.2
    finally:
        server.stop()
        if revived is not None:
            revived.stop()


class FlakyDriver(BaseDriver):
    """An in-process driver that raises a bug-like exception on its second read."""

    def __init__(self) -> None:
        super().__init__("flaky://x")
        self.calls = 0

    def points(self) -> list[PointInfo]:
        return [PointInfo("x")]

    def read_all(self) -> list[Reading]:
        self.calls += 1
        if self.calls == 2:
            raise KeyError("bug")
        return [Reading("x", self.calls)]


def test_a_driver_bug_counts_as_a_failure_and_does_not_end_the_thread() -> None:
    driver = FlakyDriver()
    rec = Recorder()
    with Poller([DeviceSpec("d", "flaky://x", interval=0.05)], on_event=rec.events.put, fail_threshold=1,
                backoff_max=0.05, driver_factory=lambda spec: driver) as poller:
        lost = rec.event()
        assert lost.kind == "lost" and "内部错误" in lost.message
        wait_for(lambda: driver.calls >= 4, what="polling goes on")
        assert poller.state("d").online is True


class SlowOnceDriver(BaseDriver):
    """Its second read takes three and a half intervals (the device or the link stalls once)."""

    def __init__(self, stall: threading.Event) -> None:
        super().__init__("slow://x")
        self.calls = 0
        self.stall = stall

    def points(self) -> list[PointInfo]:
        return [PointInfo("x")]

    def read_all(self) -> list[Reading]:
        self.calls += 1
        if self.calls == 2:
            self.stall.wait(0.35)  # a stalled read: nothing sets the event, it times out
        return [Reading("x", self.calls)]


def test_slots_passed_without_a_read_and_failed_reads_are_counted() -> None:
    """What ``renda bench monitor`` reports as samples lost: the fixed rate's slots an overrun skipped, and
    failed reads, as the poller counts them."""
    slow = SlowOnceDriver(threading.Event())
    with Poller([DeviceSpec("s", "slow://x", interval=0.1)], driver_factory=lambda spec: slow) as poller:
        wait_for(lambda: slow.calls >= 4, what="polling goes on after the stall")
        state = poller.state("s")
        assert state.missed >= 3 and state.failed_reads == 0  # 0.35 s stalled at 0.1 s: three slots at least
    flaky = FlakyDriver()
    with Poller([DeviceSpec("f", "flaky://x", interval=0.05)], fail_threshold=5, backoff_max=0.05,
                driver_factory=lambda spec: flaky) as poller:
        wait_for(lambda: flaky.calls >= 4, what="polling goes on after the failure")
        assert poller.state("f").failed_reads == 1


def test_a_bad_address_is_reported_as_lost_communication_and_retried() -> None:
    rec = Recorder()
    with Poller([DeviceSpec("x", "modbus-tcp://127.0.0.1:1?map=nosuch", interval=0.05)], on_event=rec.events.put,
                fail_threshold=1, backoff_max=0.1) as poller:
        event = rec.event()
        assert "没有型号" in event.message
        wait_for(lambda: poller.state("x").failures >= 2, what="retry")


def test_configuration_errors() -> None:
    with pytest.raises(ConfigError, match="重复"):
        Poller([DeviceSpec("a", "nut://h/u"), DeviceSpec("a", "nut://h/v")])
    with pytest.raises(ConfigError, match="采集周期"):
        DeviceSpec("a", "nut://h/u", interval=0)


@given(st.integers(0, 100), st.floats(0.05, 60), st.floats(1, 600), st.integers(0, 2**32))
def test_backoff_grows_doubling_and_is_capped(failures: int, interval: float, cap: float, seed: int) -> None:
    rng = random.Random(seed)
    delay = backoff_delay(failures, interval, cap, rng=rng)
    if failures == 0:
        assert delay == interval
    else:
        expected = min(cap, interval * 2 ** (failures - 1))
        assert expected * 0.9 - 1e-9 <= delay <= expected * 1.1 + 1e-9
