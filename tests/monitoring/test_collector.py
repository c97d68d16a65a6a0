"""The collector against simulated Modbus devices and a real sync server that goes away and comes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from apps.machine_room.peers import ModbusFarm
from core.models import AppliedMutation, AuditEntry, OutboxEntry
from core.monitoring.alarms import Policy
from core.monitoring.models import COMM, CRITICAL, STATE, MonAlarm, MonContact, MonPoint, MonSeries, point_id
from core.monitoring.queries import device_status, live_values
from core.notifications.models import NtfMessage
from core.remote import RemoteSession
from core.sync.client import LocalStore, SyncClient
from devices.monitor.config import RoomConfig
from devices.monitor.poller import DeviceSpec
from tests.devices.monitor.servers import free_port
from tests.helpers.live_server import start_live_server
from tests.helpers.waits import wait_for


@pytest.fixture
def farm() -> Iterator[ModbusFarm]:
    farm = ModbusFarm()
    farm.add("th-1", "temp-humidity")
    farm.add("leak-1", "leak-cable")
    farm.devices["th-1"].set("temperature", 22.5)
    farm.devices["th-1"].set("humidity", 45.0)
    with farm:
        yield farm


def room_of(farm: ModbusFarm, interval: float = 0.1) -> RoomConfig:
    specs = tuple(DeviceSpec(d.id, d.address, interval) for d in farm.devices.values())
    return RoomConfig("main", "机关主机房", specs, {d.id: d.id for d in farm.devices.values()})


def _alarms(store: LocalStore) -> list[tuple[int, str, str, bool]]:
    with store.session() as s:
        return [(a.ordinal, a.device, a.kind, a.cleared_at is not None)
                for a in s.scalars(select(MonAlarm).order_by(MonAlarm.ordinal))]


def test_live_values_history_and_a_leak_alarm_from_real_modbus(store: LocalStore, farm: ModbusFarm) -> None:
    from core.monitoring.collector import Collector

    with store.session() as s, s.begin():
        s.add(MonContact(room="main", name="值班员", phone="13800138000", level=0, active=True))
    with Collector(room_of(farm), store, flush_s=0.05, fail_threshold=1, backoff_max=0.2) as collector:
        wait_for(lambda: collector.stats.readings > 20, what="readings")
        farm.devices["leak-1"].set("leak_detected", True)
        wait_for(lambda: _alarms(store), what="leak alarm")
        farm.devices["leak-1"].set("leak_detected", False)
        wait_for(lambda: _alarms(store)[0][3], what="leak cleared")
    with store.session() as s:
        live = live_values(s, "main")
        temp = next(v for v in live["th-1"] if v.key == "temperature")
        assert temp.value == pytest.approx(22.5) and temp.quality == "good"
        p = s.get(MonPoint, point_id("main", "th-1", "temperature"))
        assert p is not None and (p.low_warning, p.high_warning) == (18.0, 27.0) and "GB 50174" in p.basis
        [alarm] = s.scalars(select(MonAlarm)).all()
        assert (alarm.device, alarm.point_key, alarm.kind, alarm.severity) == ("leak-1", "leak_detected", STATE,
                                                                              CRITICAL)
        assert s.scalar(select(MonSeries.last_value).where(MonSeries.point_id == p.id)) == pytest.approx(22.5)
        [sms] = s.scalars(select(NtfMessage)).all()  # a critical alarm: an SMS to the person on duty
        assert sms.template_key == "machine_room.alarm" and sms.recipient_table == "mon_contact"
        assert "漏水" in sms.params["what"] and sms.target_scope == "machine_room"
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        assert actions == ["monitor.alarm.raise", "monitor.alarm.clear"]
    assert max(collector.stats.latencies_ms) < 2000


class RecordingTransport:
    """The HTTP transport, remembering every batch it pushed (to send one again, as after a lost answer)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.pushed: list[list[dict[str, Any]]] = []

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        answers = self.inner.push(device_id, mutations)
        self.pushed.append(mutations)
        return answers  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.warnings_expected  # the poller warns when the sensor stops answering
def test_a_server_outage_loses_nothing_keeps_order_and_delivers_once(store: LocalStore, farm: ModbusFarm,
                                                                      tmp_path: Path, server_db_url: str) -> None:
    from core.monitoring.collector import Collector

    port = free_port()
    root = tmp_path / "server"
    root.mkdir()
    server = start_live_server(root, server_db_url, port=port)
    live = server.__enter__()
    session = RemoteSession.login(live.url, "machineroom", live.password)
    store.set_permissions(session.me.permissions)
    transport = RecordingTransport(session.transport)
    sync = SyncClient(store, transport)  # type: ignore[arg-type]
    collector = Collector(room_of(farm), store, sync=sync, flush_s=0.05, sync_s=0.2, fail_threshold=1,
                          backoff_max=0.2, policy=Policy(flap_count=100)).start()
    try:
        wait_for(lambda: collector.stats.pushes > 0, what="first push")
        server.__exit__(None, None, None)  # the server goes away
        leak = farm.devices["leak-1"]
        for n in range(3):  # three leaks come and go while the server is down
            leak.set("leak_detected", True)
            wait_for(lambda n=n: len(_alarms(store)) == n + 1, what=f"leak {n + 1}")
            leak.set("leak_detected", False)
            wait_for(lambda n=n: _alarms(store)[n][3], what=f"leak {n + 1} cleared")
        farm.stop_device("th-1")  # and a sensor stops answering
        wait_for(lambda: any(kind == COMM for _o, _d, kind, _c in _alarms(store)), what="comm alarm")
        wait_for(lambda: collector.stats.push_failures > 0, what="a failed forward")
        local = _alarms(store)
        with store.session() as s:
            assert s.scalars(select(OutboxEntry)).first() is not None  # waiting for the server
        server = start_live_server(root, server_db_url, port=port)  # the server is back, same database and port
        live = server.__enter__()
        collector.forward_now()

        def outbox_empty() -> bool:
            with store.session() as s:
                return s.scalars(select(OutboxEntry)).first() is None
        wait_for(outbox_empty, what="outbox pushed")
    finally:
        collector.stop()
    try:
        sent = [m["mutation_id"] for batch in transport.pushed for m in batch]
        assert sent == sorted(sent)  # pushed in the order they happened (uuid7 ids grow with time)
        with live.services.factory() as s:
            rows = s.scalars(select(MonAlarm).order_by(MonAlarm.ordinal)).all()
            assert [(a.ordinal, a.device, a.kind, a.cleared_at is not None) for a in rows] == local  # none lost
            assert [a.raised_at for a in rows] == sorted(a.raised_at for a in rows)
            versions = {a.id: a.version for a in rows}
            applied = s.scalars(select(AppliedMutation.mutation_id).where(AppliedMutation.mutation_id.in_(sent))).all()
            assert sorted(applied) == sorted(set(sent))
        with store.session() as s:
            assert device_status(s, "main")["th-1"] == "lost" and device_status(s, "main")["leak-1"] == "online"
        for batch in transport.pushed:  # every batch again, as if each answer had been lost
            transport.inner.push(store.device_id(), batch)
        with live.services.factory() as s:
            again = s.scalars(select(MonAlarm)).all()
            assert len(again) == len(rows) and {a.id: a.version for a in again} == versions  # once
    finally:
        session.transport.close()
        server.__exit__(None, None, None)


def test_thresholds_changed_on_the_server_are_taken_over_without_raising_twice(store: LocalStore) -> None:
    from datetime import UTC, datetime, timedelta

    from core.monitoring.collector import Collector, _Batch
    from devices.monitor.base import Reading

    room = RoomConfig("main", "机关主机房", (DeviceSpec("th-1", "modbus-tcp://127.0.0.1:1502?unit=1&map=temp-humidity"),),
                      {"th-1": "温湿度"})
    collector = Collector(room, store)
    with store.session() as s, s.begin():
        collector._load(s)
    t0 = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)

    def feed(seconds: int, value: float) -> list[Any]:
        reading = Reading("temperature", value, "°C", timestamp=t0 + timedelta(seconds=seconds))
        return collector.store_batch([_Batch("th-1", [reading])], t0 + timedelta(seconds=seconds))

    assert feed(0, 26.0) == []
    with store.session() as s, s.begin():  # the administrator lowers the limit (as a pull would bring it)
        p = s.get(MonPoint, point_id("main", "th-1", "temperature"))
        assert p is not None and p.high_warning == 27.0
        p.high_warning, p.on_delay_s = 25.0, 0.0
    collector._reload.set()
    [raised] = feed(1, 26.0)
    assert (raised.point_key, raised.kind) == ("temperature", "high")
    with store.session() as s, s.begin():
        p = s.get(MonPoint, point_id("main", "th-1", "temperature"))
        assert p is not None
        p.low_warning = 16.0  # another change while the alarm is open
    collector._reload.set()
    assert feed(2, 26.5) == []  # the open alarm is known: not raised again
    assert [kind for _o, _d, kind, _c in _alarms(store)] == ["high"]


@pytest.mark.warnings_expected  # the failed write is logged
def test_a_failed_local_write_is_retried_and_raises_the_alarm_once(store: LocalStore,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from core.monitoring import store as journal_module
    from core.monitoring.collector import Collector, _Batch
    from devices.monitor.base import Reading

    room = RoomConfig("main", "机关主机房", (DeviceSpec("leak-1", "modbus-tcp://127.0.0.1:1502?unit=1&map=leak-cable"),),
                      {"leak-1": "漏水"})
    collector = Collector(room, store)
    with store.session() as s, s.begin():
        collector._load(s)
    real = journal_module.audit.append
    failures = iter([True])

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if next(failures, False):
            raise OSError("磁盘暂时不可写")
        return real(*args, **kwargs)

    monkeypatch.setattr(journal_module.audit, "append", flaky)
    at = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    collector._store_with_retry([_Batch("leak-1", [Reading("leak_detected", True, timestamp=at)])])
    assert [(o, kind) for o, _d, kind, _c in _alarms(store)] == [(1, "state")]
    assert collector.stats.dropped == 0
