"""History with a deadband, minute and hour roll-ups, the trend query, acknowledging and the daily report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.models import AuditEntry, OutboxEntry
from core.monitoring.history import HistoryWriter, choose_resolution
from core.monitoring.models import (
    CLEARED,
    CLOSED,
    COMM,
    CRITICAL,
    HIGH,
    RAISED,
    MonAlarm,
    MonHistoryHour,
    MonHour,
    MonMinute,
    MonPoint,
    MonSample,
    alarm_id,
    point_id,
)
from core.monitoring.queries import AlarmError, acknowledge, active_alarms, live_values, report_day, trend
from core.sync.client import LocalStore

T0 = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


def _point(s, key: str = "inlet_temp", deadband: float = 0.2) -> MonPoint:  # type: ignore[no-untyped-def]
    p = MonPoint(id=point_id("main", "th-1", key), room="main", device="th-1", key=key, label="进风温度", unit="℃",
                 low_warning=18.0, high_warning=27.0, high_critical=32.0, hysteresis=0.5, deadband=deadband)
    s.add(p)
    s.flush()
    return p


def test_deadband_keeps_moves_and_every_reading_counts_in_the_minute(store: LocalStore) -> None:
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        p = _point(s)
        writer.track(s, p)
        kept = [writer.add(p.id, T0 + timedelta(seconds=i), v)
                for i, v in enumerate([22.0, 22.1, 22.15, 22.3, 22.35, 22.0, 21.7])]
        writer.flush(s, T0 + timedelta(minutes=1))
    assert kept == [True, False, False, True, False, True, True]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(MonSample)) == 4
        minute = s.scalars(select(MonMinute)).one()
        assert (minute.n, minute.vmin, minute.vmax) == (7, 21.7, 22.35)
        assert minute.vsum == pytest.approx(22.0 + 22.1 + 22.15 + 22.3 + 22.35 + 22.0 + 21.7)


def test_a_finished_hour_is_rolled_up_and_queued_for_the_server(store: LocalStore) -> None:
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        p = _point(s)
        writer.track(s, p)
        for i in range(0, 3600, 10):
            writer.add(p.id, T0 + timedelta(seconds=i), 20.0 + (i % 600) / 100)
        writer.flush(s, T0 + timedelta(minutes=59, seconds=59))
        assert s.scalar(select(func.count()).select_from(MonHour)) == 0  # the hour is not over yet
        writer.flush(s, T0 + timedelta(hours=1, seconds=1))
    with store.session() as s:
        hour = s.scalars(select(MonHour)).one()
        assert (hour.n, hour.vmin, hour.vmax) == (360, 20.0, 25.9)
        synced = s.scalars(select(MonHistoryHour)).one()
        assert synced.count == 360 and len(synced.minutes) == 60 and synced.minutes[0][:3] == [0, 20.0, 20.5]
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.table_name == "mon_history_hour")).all()
        assert [e.op for e in outbox] == ["insert"]


def test_trend_picks_the_coarsest_history_that_fills_the_screen(store: LocalStore) -> None:
    assert choose_resolution(365 * 86400, 2000) == "hour"
    assert choose_resolution(7 * 86400, 2000) == "minute"
    assert choose_resolution(3600, 2000) == "raw"
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        p = _point(s, deadband=0.0)
        writer.track(s, p)
        for i in range(0, 3 * 3600, 30):
            writer.add(p.id, T0 + timedelta(seconds=i), float(i // 30 % 50))
        writer.flush(s, T0 + timedelta(hours=4))
    with store.session() as s:
        raw = trend(s, p.id, T0, T0 + timedelta(hours=1), 100)
        assert raw.resolution == "raw" and len(raw.buckets) == 100
        assert min(b.vmin for b in raw.buckets) == 0 and max(b.vmax for b in raw.buckets) == 49
        minutes = trend(s, p.id, T0, T0 + timedelta(hours=3), 60)
        assert minutes.resolution == "minute" and len(minutes.buckets) == 60
        assert sum(b.n for b in minutes.buckets) == 360
        hours = trend(s, p.id, T0, T0 + timedelta(days=10), 10)
        assert hours.resolution == "hour" and [b.n for b in hours.buckets] == [360]
        with pytest.raises(ValueError, match="结束时间"):
            trend(s, p.id, T0, T0)


def _alarm(s, ordinal: int, **kw) -> MonAlarm:  # type: ignore[no-untyped-def]
    values = dict(room="main", ordinal=ordinal, device="th-1", point_key="inlet_temp",
                  point_id=point_id("main", "th-1", "inlet_temp"), kind=HIGH, severity=CRITICAL,
                  raised_at=T0 + timedelta(minutes=ordinal), value=33.0, threshold=32.0, message="进风温度过高")
    values.update(kw)
    a = MonAlarm(id=alarm_id("main", ordinal), **values)
    s.add(a)
    s.flush()
    return a


def test_acknowledge_records_who_when_and_why_and_is_audited(store: LocalStore) -> None:
    with store.session() as s, s.begin():
        _point(s)
        a = _alarm(s, 1)
        assert a.state == RAISED
        acknowledge(s, a, "machineroom", "已通知空调维保", at=T0 + timedelta(minutes=5))
        with pytest.raises(AlarmError, match="已由 machineroom"):
            acknowledge(s, a, "admin")
        b = _alarm(s, 2, cleared_at=T0 + timedelta(minutes=3))
        assert b.state == CLEARED
        with pytest.raises(AlarmError, match="最多 500"):
            acknowledge(s, b, "machineroom", "长" * 501)
        assert b.acked_at is None
    with store.session() as s:
        a = s.get(MonAlarm, alarm_id("main", 1))
        assert a is not None and (a.acked_by, a.ack_comment) == ("machineroom", "已通知空调维保")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "monitor.alarm.ack")).one()
        assert entry.target == f"mon_alarm:{a.id}" and entry.detail["comment"] == "已通知空调维保"
        assert [x.ordinal for x in active_alarms(s, "main")] == [2, 1]
        values = live_values(s, "main")
        assert values["th-1"][0].level == CRITICAL and values["th-1"][0].unit == "℃"
    with store.session() as s, s.begin():
        b = s.get(MonAlarm, alarm_id("main", 2))
        assert b is not None
        acknowledge(s, b, "machineroom")
        assert b.state == CLOSED


def test_daily_report_counts_compliance_alarms_and_availability(store: LocalStore) -> None:
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        p = _point(s)
        writer.track(s, p)
        for m in range(120):  # two hours: the second one too warm
            writer.add(p.id, T0 + timedelta(minutes=m), 24.0 if m < 60 else 28.0)
        writer.flush(s, T0 + timedelta(hours=3))
        _alarm(s, 1, cleared_at=T0 + timedelta(minutes=31))
        _alarm(s, 2, kind=COMM, point_key="_comm", point_id=None, value=None, threshold=None,
               raised_at=T0 + timedelta(hours=1), cleared_at=T0 + timedelta(hours=1, minutes=36))
    with store.session() as s:
        report = report_day(s, "main", date(2026, 7, 1))
    assert report.title == "2026年7月1日机房运行日报"
    [line] = report.points
    assert (line.minutes, line.compliant_minutes, line.vmax) == (120, 60, 28.0)
    assert report.alarms[(HIGH, CRITICAL)].count == 1
    assert report.alarms[(HIGH, CRITICAL)].seconds == pytest.approx(30 * 60)
    assert report.availability["th-1"] == pytest.approx(1 - 36 / (24 * 60))


def test_on_the_server_the_trend_comes_from_the_synced_hours(store: LocalStore) -> None:
    from core.monitoring.models import history_id

    pid = point_id("main", "th-1", "inlet_temp")
    with store.session() as s, s.begin():
        for h in range(48):
            hour = T0 + timedelta(hours=h)
            s.add(MonHistoryHour(id=history_id(pid, hour), room="main", point_id=pid, hour=hour, count=60,
                                 vmin=20.0 + h % 3, vmax=24.0 + h % 3, vavg=22.0,
                                 minutes=[[m, 20.0, 24.0, 22.0, 1] for m in range(60)]))
    with store.session() as s:
        coarse = trend(s, pid, T0, T0 + timedelta(days=60), 24)
        assert coarse.resolution == "server-hour" and len(coarse.buckets) == 24
        assert (min(b.vmin for b in coarse.buckets), max(b.vmax for b in coarse.buckets)) == (20.0, 26.0)
        fine = trend(s, pid, T0, T0 + timedelta(hours=2), 500)
        assert fine.resolution == "server-minute" and len(fine.buckets) == 120


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(min_value=-40, max_value=80, allow_nan=False), min_size=1, max_size=300),
       st.sampled_from([0.0, 0.1, 0.5, 2.0]))
def test_history_keeps_every_move_beyond_the_deadband_and_counts_every_reading(
        store: LocalStore, values: list[float], deadband: float) -> None:
    writer = HistoryWriter()
    with store.session() as s:
        s.begin()
        p = _point(s, key=f"p{len(values)}_{deadband}", deadband=deadband)
        writer.track(s, p)
        kept = []
        for i, v in enumerate(values):
            if writer.add(p.id, T0 + timedelta(seconds=i), v):
                kept.append(v)
        writer.flush(s, T0 + timedelta(seconds=len(values) + 60))
        assert kept[0] == values[0]
        last = kept[0]
        for v in values[1:]:  # a reading not kept is within the deadband of the last kept one
            if abs(v - last) > deadband:
                last = v
        assert kept[-1] == last
        no = writer.series_of(p.id)
        minutes = s.scalars(select(MonMinute).where(MonMinute.series == no)).all()
        assert sum(m.n for m in minutes) == len(values)
        assert min(m.vmin for m in minutes) == min(values) and max(m.vmax for m in minutes) == max(values)
        s.rollback()
