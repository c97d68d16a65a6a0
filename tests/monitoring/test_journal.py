"""The alarm journal: alarms, audit entries, SMS and escalations written in the collector's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.models import AuditEntry, OutboxEntry
from core.monitoring.alarms import AlarmEvent, Policy
from core.monitoring.models import CRITICAL, HIGH, STATE, WARNING, MonAlarm, MonContact, MonPoint, point_id
from core.monitoring.queries import acknowledge
from core.monitoring.store import AlarmJournal
from core.notifications.models import NtfMessage
from core.sync.client import LocalStore

T0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def _setup(store: LocalStore) -> MonPoint:
    with store.session() as s, s.begin():
        p = MonPoint(id=point_id("main", "leak-1", "leak_detected"), room="main", device="leak-1",
                     key="leak_detected", label="漏水", kind="bool", alarm_when="true")
        s.add(p)
        s.add(MonContact(room="main", name="值班员", phone="13800138000", level=0))
        s.add(MonContact(room="main", name="信息中心主任", phone="13900139000", level=1))
        s.add(MonContact(room="other", name="别的机房", phone="13700137000", level=0))
    with store.session() as s:
        found = s.get(MonPoint, p.id)
        assert found is not None
        s.expunge(found)
        return found


def test_a_critical_alarm_is_numbered_audited_texted_escalated_and_stops_when_acknowledged(store: LocalStore) -> None:
    point = _setup(store)
    journal = AlarmJournal("main", Policy(escalate_after_s={CRITICAL: 300, WARNING: 1800}))
    with store.session() as s, s.begin():
        journal.load(s)
        [raised] = journal.apply(s, point, [AlarmEvent("raise", STATE, CRITICAL, T0, 1.0)])
        assert raised.ordinal == 1
        assert journal.apply(s, point, [AlarmEvent("raise", STATE, CRITICAL, T0, 1.0)]) == []  # already open
    with store.session() as s, s.begin():
        assert journal.escalate(s, T0 + timedelta(seconds=299)) == 0
        assert journal.escalate(s, T0 + timedelta(seconds=301)) == 1
    with store.session() as s, s.begin():
        alarm = s.get(MonAlarm, raised.alarm_id)
        assert alarm is not None and alarm.escalation == 1
        texts = s.scalars(select(NtfMessage).order_by(NtfMessage.queued_at, NtfMessage.template_key)).all()
        assert [(m.template_key, m.params.get("minutes")) for m in texts] == [
            ("machine_room.alarm", None), ("machine_room.escalation", 5)]
        acknowledge(s, alarm, "machineroom", "已到现场", at=T0 + timedelta(seconds=400))
    with store.session() as s, s.begin():
        assert journal.escalate(s, T0 + timedelta(hours=1)) == 0
        journal.apply(s, point, [AlarmEvent("clear", STATE, CRITICAL, T0 + timedelta(minutes=8), 0.0)])
    with store.session() as s:
        alarm = s.get(MonAlarm, raised.alarm_id)
        assert alarm is not None and alarm.state == "closed"
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        assert actions == ["monitor.alarm.raise", "monitor.alarm.escalate", "monitor.alarm.ack",
                           "monitor.alarm.clear"]
        tables = [e.table_name for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.local_seq))]
        assert tables.count("mon_alarm") == 4 and tables.count("ntf_message") == 2  # raise, escalate, ack, clear


def test_numbering_goes_on_after_a_restart_and_open_alarms_are_known(store: LocalStore) -> None:
    point = _setup(store)
    with store.session() as s, s.begin():
        journal = AlarmJournal("main")
        journal.load(s)
        journal.apply(s, point, [AlarmEvent("raise", STATE, CRITICAL, T0, 1.0)])
        journal.communication(s, "th-1", "lost", T0, "设备 th-1 通信中断")
    with store.session() as s, s.begin():
        again = AlarmJournal("main")
        found = again.load(s)
        assert set(found) == {("leak-1", "leak_detected", STATE, CRITICAL), ("th-1", "_comm", "comm", CRITICAL)}
        again.communication(s, "th-1", "restored", T0 + timedelta(minutes=1), "")
        [r] = again.apply(s, point.__class__(id=point_id("main", "th-1", "temperature"), room="main", device="th-1",
                                             key="temperature", label="温度", unit="°C"),
                          [AlarmEvent("raise", HIGH, WARNING, T0 + timedelta(minutes=2), 28.0, 27.0)])
        assert r.ordinal == 3
    with store.session() as s:
        comm = s.scalars(select(MonAlarm).where(MonAlarm.kind == "comm")).one()
        assert comm.cleared_at == T0 + timedelta(minutes=1)
        high = s.scalars(select(MonAlarm).where(MonAlarm.kind == HIGH)).one()
        assert high.message == "温度超上限（28°C）" and high.severity == WARNING
        assert len(s.scalars(select(NtfMessage)).all()) == 2  # leak + comm, to the level-0 contact of "main"


def test_a_flapping_alarm_is_held_marked_and_counts_its_repeats(store: LocalStore) -> None:
    from core.monitoring.alarms import PointJudge, Rule

    point = _setup(store)
    judge = PointJudge(Rule(alarm_when="true"), Policy(flap_count=2, flap_window_s=60))
    journal = AlarmJournal("main")
    with store.session() as s, s.begin():
        journal.load(s)
        for i, wet in enumerate([True, False, True, False, True, False, True]):  # a leak cable that bounces
            journal.apply(s, point, judge.feed(T0 + timedelta(seconds=i), wet))
    with store.session() as s:
        alarms = s.scalars(select(MonAlarm).order_by(MonAlarm.ordinal)).all()
        assert [(a.ordinal, a.cleared_at is not None, a.flapping, a.repeats) for a in alarms] == [
            (1, True, False, 0), (2, False, True, 2)]  # the second is held: wet again at 4 s and 6 s
        assert "monitor.alarm.flapping" in s.scalars(select(AuditEntry.action)).all()
