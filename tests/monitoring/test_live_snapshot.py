"""Latest values for consoles on other computers: change-only snapshots in ``mon_live``, the staleness rule, and
the whole way from simulated devices through the collector and a real server to a second client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from apps.machine_room.peers import ModbusFarm
from core.db import make_engine
from core.models import OutboxEntry
from core.monitoring.live import STALE_GRACE_S, STALE_PERIODS, LiveSample, LiveSnapshot, changed, stale_after
from core.monitoring.models import SNAPSHOT_KEY, MonLive, MonPoint, point_id, snapshot_id
from core.monitoring.queries import device_status, live_values
from core.remote import RemoteSession
from core.sync.client import LocalStore, SyncClient
from devices.monitor.config import LIVE_EVERY_DEFAULT, DeviceEntry, parse_room, room_toml
from tests.helpers.live_server import start_live_server
from tests.helpers.sqlite import copy_of
from tests.helpers.waits import wait_for
from tests.monitoring.test_collector import room_of

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def sample(value: float | None, quality: str = "good", text: str = "") -> LiveSample:
    return LiveSample("th-1", "temperature", value, text, quality, T0)


# ------------------------------------------------------------------------------------ the change rule
@given(old=values, new=values, deadband=st.floats(min_value=0.0, max_value=100.0, allow_nan=False))
def test_a_value_is_sent_only_when_it_moved_beyond_the_deadband(old: float, new: float, deadband: float) -> None:
    moved = abs(new - old)
    expected = moved > deadband if deadband > 0 else new != old
    assert changed(sample(old), sample(new), deadband) is expected


@given(value=values, deadband=st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
       quality=st.sampled_from(["stale", "bad", ""]))
def test_a_quality_or_text_change_is_always_sent(value: float, deadband: float, quality: str) -> None:
    assert changed(sample(value), sample(value, quality), deadband)
    assert changed(sample(None, text="Online"), sample(None, text="On battery"), deadband)
    assert changed(None, sample(value), deadband)  # never sent
    assert changed(sample(None), sample(value), deadband) and changed(sample(value), sample(None), deadband)
    assert not changed(sample(value), sample(value), deadband)


def test_stale_after_a_few_periods() -> None:
    assert stale_after(LIVE_EVERY_DEFAULT) == timedelta(seconds=STALE_PERIODS * LIVE_EVERY_DEFAULT + STALE_GRACE_S)
    assert stale_after(10) == timedelta(seconds=60)


def test_the_room_file_sets_the_period() -> None:
    entry = DeviceEntry("th-1", "温湿度", "modbus-tcp://127.0.0.1:502?unit=1&map=temp-humidity", 2.0)
    assert parse_room(room_toml("main", "主机房", [entry])).live_every == LIVE_EVERY_DEFAULT
    text = room_toml("main", "主机房", [entry], live_every=30)
    assert "live_every = 30" in text and parse_room(text).live_every == 30
    with pytest.raises(Exception, match="live_every"):
        parse_room(text.replace("live_every = 30", "live_every = 0"))


# ------------------------------------------------------------------------------------ the collector's side
def _pushed(store: LocalStore) -> None:
    """As if the forward thread had pushed the outbox."""
    with store.session() as s, s.begin():
        s.execute(delete(OutboxEntry))


def _live_rows(store: LocalStore) -> dict[str, tuple[float | None, str]]:
    with store.session() as s:
        return {r.key: (r.value, r.quality) for r in s.scalars(select(MonLive))}


def _outbox(store: LocalStore) -> list[tuple[str, str]]:
    with store.session() as s:
        return [(e.row_id, e.op) for e in s.scalars(select(OutboxEntry).where(OutboxEntry.table_name == "mon_live")
                                                    .order_by(OutboxEntry.local_seq))]


def test_only_changed_points_are_snapshotted_and_a_waiting_snapshot_holds_back_the_next(store: LocalStore) -> None:
    snap = LiveSnapshot("main", period=10)
    ids = {k: point_id("main", "th-1", k) for k in ("temperature", "humidity", "state")}
    deadbands = {ids["temperature"]: 0.1, ids["humidity"]: 0.5}

    def note(key: str, value: float | None, quality: str = "good", text: str | None = "") -> None:
        snap.note(ids[key], "th-1", key, value, text, quality, T0)

    note("temperature", 22.5)
    note("humidity", 45.0)
    note("state", None, text="运行")
    with store.session() as s, s.begin():
        assert snap.write(s, T0, deadbands) == 3
    rows = _live_rows(store)
    assert rows == {"temperature": (22.5, "good"), "humidity": (45.0, "good"), "state": (None, "good"),
                    SNAPSHOT_KEY: (10.0, "good")}
    assert _outbox(store)[-1] == (snapshot_id("main"), "insert")  # the heartbeat goes last
    note("temperature", 23.0)
    with store.session() as s, s.begin():
        assert snap.write(s, T0 + timedelta(seconds=5), deadbands) is None  # not due yet
        assert snap.write(s, T0 + timedelta(seconds=10), deadbands) is None  # the last one is still waiting
    assert snap.skipped == 1 and len(_outbox(store)) == 4
    _pushed(store)
    note("temperature", 23.05)  # 0.55 from the last value sent (22.5; 23.0 was held back)
    note("humidity", 45.3)  # within its deadband
    note("state", None, text="运行")  # the same text
    with store.session() as s, s.begin():
        assert snap.write(s, T0 + timedelta(seconds=20), deadbands) == 1
    assert _live_rows(store)["temperature"] == (23.05, "good") and _live_rows(store)["humidity"] == (45.0, "good")
    assert [op for _row, op in _outbox(store)] == ["update", "update"]  # the temperature and the heartbeat
    _pushed(store)
    note("humidity", None, "stale", None)  # the device stopped answering: the last good value, marked stale
    with store.session() as s, s.begin():
        assert snap.write(s, T0 + timedelta(seconds=30), deadbands) == 1
    assert _live_rows(store)["humidity"] == (45.3, "stale")
    _pushed(store)
    with store.session() as s, s.begin():  # nothing changed: the heartbeat alone
        assert snap.write(s, T0 + timedelta(seconds=40), deadbands) == 0
    assert _outbox(store) == [(snapshot_id("main"), "update")]
    restarted = LiveSnapshot("main", period=10)
    with store.session() as s:
        restarted.load(s)
    assert restarted.sent[ids["humidity"]].quality == "stale" and snapshot_id("main") not in restarted.sent


def test_an_outage_keeps_at_most_one_snapshot_waiting(store: LocalStore) -> None:
    """A thousand points changing every snapshot while the server is away: one row per point waits, no more."""
    snap = LiveSnapshot("main", period=10, max_rows=1000)
    for n in range(20):
        for p in range(1000):
            snap.note(f"p{p}", "ac-1", f"k{p}", float(n), "", "good", T0)
        with store.session() as s, s.begin():
            snap.write(s, T0 + timedelta(seconds=10 * n), {})
    with store.session() as s:
        waiting = s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.table_name == "mon_live"))
    assert waiting == 1001 and snap.skipped == 19
    _pushed(store)
    with store.session() as s, s.begin():  # back: the newest values at once
        assert snap.write(s, T0 + timedelta(seconds=200), {}) == 1000
    with store.session() as s:
        assert set(s.scalars(select(MonLive.value).where(MonLive.key != SNAPSHOT_KEY))) == {19.0}


def test_a_whole_room_changing_is_written_in_parts_with_the_heartbeat_last(store: LocalStore) -> None:
    """1,000 points all moving: 200 rows per store batch, each part with the newest values, every point written
    once per snapshot whatever keeps changing, and the heartbeat with the last part."""
    snap = LiveSnapshot("main", period=10, max_rows=200)
    parts = []
    for n in range(5):
        for p in range(1000):
            snap.note(f"p{p:04d}", "ac-1", f"k{p}", float(n), "", "good", T0)
        with store.session() as s, s.begin():
            parts.append(snap.write(s, T0 + timedelta(seconds=n), {}))
            beat = s.get(MonLive, snapshot_id("main"))
            assert (beat is not None) == (n == 4)
    assert parts == [200] * 5 and snap.written == 1000
    with store.session() as s:
        values = {i: v for i, v in s.execute(select(MonLive.id, MonLive.value).where(MonLive.key != SNAPSHOT_KEY))}
    assert len(values) == 1000 and values["p0000"] == 0.0 and values["p0999"] == 4.0  # each part the newest
    with store.session() as s, s.begin():
        assert snap.write(s, T0 + timedelta(seconds=5), {}) is None  # the next snapshot is 10 s after the last part


# ------------------------------------------------------------------------------------ the console's side
def _console_rows(store: LocalStore, beat_at: datetime, period: float = 10.0) -> None:
    with store.session() as s, s.begin():
        for device, key, value, quality in (("th-1", "temperature", 22.5, "good"), ("ups-1", "load", 40.0, "stale")):
            pid = point_id("main", device, key)
            s.add(MonPoint(id=pid, room="main", device=device, key=key, label=key, unit="", kind="number"))
            s.add(MonLive(id=pid, room="main", device=device, key=key, value=value, text="", quality=quality,
                          sampled_at=T0))
        s.add(MonLive(id=snapshot_id("main"), room="main", device="_collector", key=SNAPSHOT_KEY, value=period,
                      text="", quality="good", sampled_at=beat_at))


def test_a_console_without_the_collectors_database_reads_the_snapshots(store: LocalStore) -> None:
    beat = T0 + timedelta(minutes=5)
    _console_rows(store, beat)
    with store.session() as s:
        live = live_values(s, "main", now=beat + timedelta(seconds=20))
        [temp] = live["th-1"]
        assert (temp.value, temp.quality, temp.at) == (22.5, "good", beat)  # confirmed by the last snapshot
        [load] = live["ups-1"]
        assert (load.value, load.quality, load.at) == (40.0, "stale", T0)  # the collector's own stale mark
        assert device_status(s, "main", now=beat) == {"th-1": "online", "ups-1": "stale"}
        late = beat + stale_after(10) + timedelta(seconds=1)  # the collector or the link has stopped
        [temp] = live_values(s, "main", now=late)["th-1"]
        assert (temp.value, temp.quality, temp.at) == (22.5, "stale", T0)
        assert device_status(s, "main", now=late) == {"th-1": "stale", "ups-1": "stale"}
        [temp] = live_values(s, "main", now=beat + stale_after(10))["th-1"]
        assert temp.quality == "good"


def test_a_console_with_no_heartbeat_shows_old_values(store: LocalStore) -> None:
    _console_rows(store, T0)
    with store.session() as s, s.begin():
        row = s.get(MonLive, snapshot_id("main"))
        assert row is not None
        row.sampled_at = None
    with store.session() as s:
        assert live_values(s, "main", now=T0)["th-1"][0].quality == "stale"


# ------------------------------------------------------------------------------------ end to end
@pytest.fixture
def farm() -> Iterator[ModbusFarm]:
    farm = ModbusFarm()
    farm.add("th-1", "temp-humidity")
    farm.devices["th-1"].set("temperature", 22.5)
    farm.devices["th-1"].set("humidity", 45.0)
    with farm:
        yield farm


def _client(migrated_sqlite: Path, tmp_path: Path, name: str) -> LocalStore:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / f'{name}.sqlite3')}")
    return LocalStore(engine, tmp_path / f"{name}-blobs")


def test_live_values_reach_a_console_on_another_computer_through_the_server(
        store: LocalStore, farm: ModbusFarm, tmp_path: Path, server_db_url: str, migrated_sqlite: Path) -> None:
    from core.monitoring.collector import Collector

    root = tmp_path / "server"
    root.mkdir()
    console = _client(migrated_sqlite, tmp_path, "duty-office")
    sessions: list[RemoteSession] = []
    with start_live_server(root, server_db_url) as live:
        def login(username: str, local: LocalStore) -> SyncClient:
            session = RemoteSession.login(live.url, username, live.password)
            sessions.append(session)
            local.set_permissions(session.me.permissions)
            return SyncClient(local, session.transport)

        collector = Collector(room_of(farm), store, sync=login("machineroom", store), flush_s=0.05, sync_s=0.2,
                              fail_threshold=1, backoff_max=0.2, live_every=0.2)
        duty = login("machineroom", console)  # the operator on duty, at another computer
        try:
            collector.start()

            def console_shows(value: float) -> bool:
                duty.sync()
                with console.session() as s:
                    temp = [v for v in live_values(s, "main").get("th-1", []) if v.key == "temperature"]
                    return bool(temp) and temp[0].value == pytest.approx(value) and temp[0].quality == "good"

            wait_for(lambda: console_shows(22.5), what="the value on the other console")
            farm.devices["th-1"].set("temperature", 26.0)
            wait_for(lambda: console_shows(26.0), what="the changed value on the other console")
            with console.session() as s:
                assert s.scalar(select(func.count()).select_from(MonLive).where(MonLive.room == "main")) >= 3
                humidity = next(v for v in live_values(s, "main")["th-1"] if v.key == "humidity")
                assert humidity.value == pytest.approx(45.0)
        finally:
            collector.stop()
        with console.session() as s:  # the collector stopped: after a few periods its values are old
            later = datetime.now(UTC) + stale_after(0.2) + timedelta(seconds=5)
            assert {v.quality for v in live_values(s, "main", now=later)["th-1"]} == {"stale"}

        # the administrator reads the values but may not write them: the server refuses
        admin_store = _client(migrated_sqlite, tmp_path, "admin")
        admin = login("admin", admin_store)
        admin.sync()
        pid = point_id("main", "th-1", "temperature")
        with admin_store.session() as s, s.begin():
            row = s.get(MonLive, pid)
            assert row is not None and row.value == pytest.approx(26.0)
            row.value = -1.0
        report = admin.sync()
        assert report.rejected == 1
        with live.services.factory() as s:
            server_row = s.get(MonLive, pid)
            assert server_row is not None and server_row.value == pytest.approx(26.0)
        for session in sessions:
            session.transport.close()
        for local in (console, admin_store):
            local.engine.dispose()
