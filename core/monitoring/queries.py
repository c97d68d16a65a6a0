"""What the console asks: live values, active alarms, acknowledging, trends and report figures.

Every function takes an open session (of the collector's local database, or of a client or the server after
sync) and returns plain dataclasses; nothing here knows Qt. ``docs/machineroom.md`` lists the API.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.models.base import utcnow
from core.monitoring.history import Trend, epoch_s
from core.monitoring.history import trend as _trend
from core.monitoring.live import stale_after
from core.monitoring.models import (
    ACKNOWLEDGED,
    CLOSED,
    COMM,
    CRITICAL,
    KIND_LABELS,
    SEVERITY_LABELS,
    MonAlarm,
    MonHistoryHour,
    MonLive,
    MonMinute,
    MonPoint,
    MonSeries,
    snapshot_id,
)

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
MAX_COMMENT = 500


class AlarmError(ValueError):
    """An acknowledgement that cannot be made; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class LiveValue:
    point_id: str
    device: str
    key: str
    label: str
    unit: str
    value: float | None
    text: str
    at: datetime | None
    quality: str  # good | stale | bad | "" (never read)
    level: str  # "" normal, warning, critical (from the active alarms of the point)
    kind: str = "number"  # number | bool | text (the point's kind)


class _Latest(NamedTuple):
    last_value: float | None
    last_text: str
    last_at: datetime | None
    quality: str


def latest_values(session: Session, room: str, now: datetime | None = None) -> dict[str, _Latest]:
    """Point id → latest value: from ``mon_series`` in the collector's own database, else from the synced
    ``mon_live`` snapshots, where a value counts as ``stale`` once the room's heartbeat is older than a few
    snapshot periods (:func:`core.monitoring.live.stale_after`) — the collector or the link to it has stopped."""
    local = {s.point_id: _Latest(s.last_value, s.last_text, s.last_at, s.quality)
             for s in session.scalars(select(MonSeries).where(MonSeries.room == room))}
    if local:
        return local
    rows = {r.id: r for r in session.scalars(select(MonLive).where(MonLive.room == room,
                                                                    MonLive.deleted.is_(False)))}
    beat = rows.pop(snapshot_id(room), None)
    now = now or utcnow()
    fresh = (beat is not None and beat.sampled_at is not None
             and now - beat.sampled_at <= stale_after(beat.value or 0.0))
    out: dict[str, _Latest] = {}
    for pid, r in rows.items():
        if not fresh:
            quality = "stale" if r.quality == "good" else r.quality
            out[pid] = _Latest(r.value, r.text, r.sampled_at, quality)
            continue
        assert beat is not None and beat.sampled_at is not None
        at = r.sampled_at  # a good value unchanged since it was read is confirmed by every later snapshot
        if r.quality == "good" and at is not None:
            at = max(at, beat.sampled_at)
        out[pid] = _Latest(r.value, r.text, at, r.quality)
    return out


def live_values(session: Session, room: str, now: datetime | None = None) -> dict[str, list[LiveValue]]:
    """Every enabled point of ``room`` with its latest value, grouped by device (device id → points); see
    :func:`latest_values` for where the values come from."""
    points = session.scalars(select(MonPoint).where(MonPoint.room == room, MonPoint.deleted.is_(False),
                                                    MonPoint.enabled.is_(True))
                             .order_by(MonPoint.device, MonPoint.key)).all()
    latest = latest_values(session, room, now)
    levels: dict[str, str] = {}
    for alarm in active_alarms(session, room):
        key = alarm.point_id or f"{alarm.device}/{alarm.point_key}"
        if alarm.cleared_at is None and levels.get(key) != CRITICAL:
            levels[key] = alarm.severity
    out: dict[str, list[LiveValue]] = defaultdict(list)
    for p in points:
        s = latest.get(p.id)
        out[p.device].append(LiveValue(p.id, p.device, p.key, p.label or p.key, p.unit,
                                       s.last_value if s else None, s.last_text if s else "",
                                       s.last_at if s else None, s.quality if s else "", levels.get(p.id, ""),
                                       p.kind))
    return dict(out)


def device_status(session: Session, room: str, now: datetime | None = None) -> dict[str, str]:
    """Every device of ``room`` that has points or a communication alarm: ``"lost"`` while its communication
    alarm is open, ``"stale"`` when its latest values are stale, else ``"online"``. On a console without the
    collector's database every device is ``"stale"`` while the room's snapshots have stopped arriving."""
    out: dict[str, str] = {}
    rows: list[tuple[str, str]] = [(d, q) for d, q in session.execute(
        select(MonSeries.device, MonSeries.quality).where(MonSeries.room == room))]
    if not rows:  # a console on another computer: the synced snapshots (without the room's heartbeat)
        latest = latest_values(session, room, now)
        rows = [(device, latest[pid].quality) for pid, device in session.execute(
            select(MonLive.id, MonLive.device).where(MonLive.room == room, MonLive.deleted.is_(False),
                                                     MonLive.id != snapshot_id(room))) if pid in latest]
    for device, quality in rows:
        if quality == "stale" or out.get(device) == "stale":
            out[device] = "stale"
        else:
            out.setdefault(device, "online")
    lost = session.scalars(select(MonAlarm.device).where(
        MonAlarm.room == room, MonAlarm.kind == COMM, MonAlarm.cleared_at.is_(None), MonAlarm.deleted.is_(False)))
    for device in lost:
        out[device] = "lost"
    return out


def active_alarms(session: Session, room: str | None = None) -> list[MonAlarm]:
    """Alarms not closed yet (not both acknowledged and cleared), newest first; all rooms when ``room`` is None."""
    query = select(MonAlarm).where(MonAlarm.deleted.is_(False),
                                   or_(MonAlarm.acked_at.is_(None), MonAlarm.cleared_at.is_(None)))
    if room is not None:
        query = query.where(MonAlarm.room == room)
    return list(session.scalars(query.order_by(MonAlarm.raised_at.desc(), MonAlarm.ordinal.desc())))


def alarm_history(session: Session, room: str, start: datetime, end: datetime) -> list[MonAlarm]:
    """Alarms raised in [start, end), in the order the collector raised them."""
    return list(session.scalars(select(MonAlarm).where(
        MonAlarm.room == room, MonAlarm.deleted.is_(False), MonAlarm.raised_at >= start, MonAlarm.raised_at < end)
        .order_by(MonAlarm.ordinal)))


def acknowledge(session: Session, alarm: MonAlarm | str, user: str, comment: str = "",
                at: datetime | None = None) -> MonAlarm:
    """Acknowledge an alarm: who, when and a comment; audited in the same transaction (committed by the caller).

    Refuses (:class:`AlarmError`) an alarm already acknowledged, an empty user or an over-long comment.
    """
    row = session.get(MonAlarm, alarm) if isinstance(alarm, str) else alarm
    if row is None or row.deleted:
        raise AlarmError("告警不存在")
    if not user.strip():
        raise AlarmError("确认告警须有确认人")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise AlarmError(f"确认说明最多 {MAX_COMMENT} 个字（现有 {len(comment)} 个）")
    if row.acked_at is not None:
        raise AlarmError(f"这条告警已由 {row.acked_by} 于 {_local(row.acked_at)} 确认")
    row.acked_at = at or utcnow()
    row.acked_by = user.strip()[:64]
    row.ack_comment = comment
    audit.append(session, row.acked_by, "monitor.alarm.ack", f"mon_alarm:{row.id}",
                 {"room": row.room, "device": row.device, "point": row.point_key, "kind": row.kind,
                  "severity": row.severity, "comment": comment, "state": CLOSED if row.cleared_at else ACKNOWLEDGED})
    return row


def trend(session: Session, point: str, start: datetime, end: datetime, max_points: int = 1000) -> Trend:
    """A point's trend over [start, end) in at most ``max_points`` min/max/mean buckets (see ``history.trend``)."""
    return _trend(session, point, start, end, max_points)


def alarm_text(alarm: MonAlarm) -> str:
    """One line for lists and SMS: severity, device, point, what and the value."""
    value = "" if alarm.value is None else f"，值 {alarm.value:g}"
    limit = "" if alarm.threshold is None else f"（限值 {alarm.threshold:g}）"
    return (f"[{SEVERITY_LABELS.get(alarm.severity, alarm.severity)}] {alarm.device} {alarm.point_key} "
            f"{KIND_LABELS.get(alarm.kind, alarm.kind)}{value}{limit}")


def _local(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


# ------------------------------------------------------------------------------------------- reports
@dataclass(frozen=True, slots=True)
class PointCompliance:
    point_id: str
    device: str
    key: str
    label: str
    unit: str
    vmin: float | None
    vmax: float | None
    vavg: float | None
    minutes: int  # minutes with data
    compliant_minutes: int  # minutes whose min and max stayed within the warning limits


@dataclass(slots=True)
class AlarmTally:
    count: int = 0
    seconds: float = 0.0  # raised → cleared (until the period's end when still active)
    longest: float = 0.0  # the longest single alarm of the tally, in seconds


@dataclass(slots=True)
class Report:
    room: str
    title: str
    start: datetime
    end: datetime
    points: list[PointCompliance] = field(default_factory=list)
    alarms: dict[tuple[str, str], AlarmTally] = field(default_factory=dict)  # (kind, severity) → tally
    availability: dict[str, float] = field(default_factory=dict)  # device → share of the period answering


def report_day(session: Session, room: str, day: date) -> Report:
    """The daily report (Shanghai time): compliance of every point, alarm counts and durations, availability."""
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)
    return _report(session, room, start, start + timedelta(days=1), f"{day.year}年{day.month}月{day.day}日机房运行日报")


def report_month(session: Session, room: str, year: int, month: int) -> Report:
    start = datetime(year, month, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
    days = calendar.monthrange(year, month)[1]
    return _report(session, room, start, start + timedelta(days=days), f"{year}年{month}月机房运行月报")


def _report(session: Session, room: str, start: datetime, end: datetime, title: str) -> Report:
    report = Report(room, title, start, end)
    s0, s1 = int(epoch_s(start)), int(epoch_s(end))
    series = {s.point_id: s.no for s in session.scalars(select(MonSeries).where(MonSeries.room == room))}
    points = session.scalars(select(MonPoint).where(MonPoint.room == room, MonPoint.deleted.is_(False))
                             .order_by(MonPoint.device, MonPoint.key)).all()
    for p in points:
        no = series.get(p.id)
        rows: list[Any] = _synced_minutes(session, p.id, start, end) if no is None else list(session.execute(
            select(MonMinute.n, MonMinute.vmin, MonMinute.vmax, MonMinute.vsum)
            .where(MonMinute.series == no, MonMinute.t >= s0, MonMinute.t < s1)).all())
        lo = p.low_warning if p.low_warning is not None else p.low_critical
        hi = p.high_warning if p.high_warning is not None else p.high_critical
        ok = sum(1 for r in rows if (lo is None or r.vmin >= lo) and (hi is None or r.vmax <= hi))
        n = sum(r.n for r in rows)
        report.points.append(PointCompliance(
            p.id, p.device, p.key, p.label or p.key, p.unit, min((r.vmin for r in rows), default=None),
            max((r.vmax for r in rows), default=None), (sum(r.vsum for r in rows) / n) if n else None, len(rows), ok))
    alarms = session.scalars(select(MonAlarm).where(
        MonAlarm.room == room, MonAlarm.deleted.is_(False), MonAlarm.raised_at < end,
        or_(MonAlarm.cleared_at.is_(None), MonAlarm.cleared_at >= start))).all()
    period = (end - start).total_seconds()
    down: dict[str, float] = defaultdict(float)
    for a in alarms:
        seconds = ((min(a.cleared_at or end, end)) - max(a.raised_at, start)).total_seconds()
        if a.raised_at >= start:
            tally = report.alarms.setdefault((a.kind, a.severity), AlarmTally())
            tally.count += 1
            tally.seconds += seconds
            tally.longest = max(tally.longest, seconds)
        if a.kind == COMM:
            down[a.device] += seconds
    for device in sorted({p.device for p in points} | set(down)):
        report.availability[device] = max(0.0, 1 - down.get(device, 0.0) / period)
    return report


class _MinuteRow(NamedTuple):
    n: int
    vmin: float
    vmax: float
    vsum: float


def _synced_minutes(session: Session, point: str, start: datetime, end: datetime) -> list[_MinuteRow]:
    """A point's minutes from the synced hours (a console or the server, which hold no local history)."""
    out: list[_MinuteRow] = []
    for row in session.scalars(select(MonHistoryHour).where(
            MonHistoryHour.point_id == point, MonHistoryHour.hour >= start - timedelta(hours=1),
            MonHistoryHour.hour < end, MonHistoryHour.deleted.is_(False))):
        for minute, vmin, vmax, vavg, n in row.minutes:
            if start <= row.hour + timedelta(minutes=int(minute)) < end and n:
                out.append(_MinuteRow(int(n), float(vmin), float(vmax), float(vavg) * int(n)))
    return out
