"""History of the points: raw values kept with a deadband, 1-minute and 1-hour aggregates, and the trend query.

The collector gives every reading to :class:`HistoryWriter`. A raw value is stored (``mon_sample``) only when
it moved more than the point's deadband from the last stored one, or :data:`HEARTBEAT_S` after it, so a
steady value costs a few rows a day. Every reading, stored or not, counts in its minute's aggregate
(``mon_minute``: count, min, max, sum); a finished hour is summed from its minutes into ``mon_hour`` and into
one synced ``mon_history_hour`` row for the server. Aggregates are kept for years; raw values as long as the
operator wants (:func:`prune_samples`).

:func:`trend` answers the chart: the coarsest table that still gives ``max_points`` buckets over the span
(hours for a year, minutes for a day or a week, raw values for an hour), bucketed in SQL to at most
``max_points`` rows of min / max / mean, so a year of one point is a few thousand rows, not half a million.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Integer, cast, delete, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.monitoring.models import (
    MonHistoryHour,
    MonHour,
    MonMinute,
    MonPoint,
    MonSample,
    MonSeries,
    history_id,
)

HEARTBEAT_S = 900
"""A raw value is stored at least this often even when it does not move (so a chart shows it is alive)."""


def epoch_s(at: datetime) -> float:
    return at.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def series_no(session: Session, point: MonPoint) -> int:
    """The local integer number of ``point`` (created on first use)."""
    found = session.scalar(select(MonSeries.no).where(MonSeries.point_id == point.id))
    if found is not None:
        return int(found)
    row = MonSeries(point_id=point.id, room=point.room, device=point.device, key=point.key, last_text="", quality="")
    session.add(row)
    session.flush()
    return int(row.no)


@dataclass(slots=True)
class _Acc:
    start: int = -1
    n: int = 0
    vmin: float = math.inf
    vmax: float = -math.inf
    vsum: float = 0.0

    def add(self, v: float) -> None:
        self.n += 1
        self.vmin = min(self.vmin, v)
        self.vmax = max(self.vmax, v)
        self.vsum += v


@dataclass(slots=True)
class _SeriesState:
    no: int
    point_id: str
    room: str
    deadband: float
    kept_v: float | None = None
    kept_t: float = -math.inf
    minute: _Acc = field(default_factory=_Acc)


class HistoryWriter:
    """Turns readings into history rows. Not thread-safe: the collector's store thread owns it.

    :meth:`add` buffers; :meth:`flush` writes the buffered rows in the caller's transaction and returns
    the finished hours (whose synced rows it also adds).
    """

    def __init__(self) -> None:
        self._series: dict[str, _SeriesState] = {}
        self._samples: list[dict[str, float | int]] = []
        self._minutes: list[dict[str, float | int]] = []
        self._hours_due: set[tuple[int, int]] = set()

    def track(self, session: Session, point: MonPoint) -> None:
        if point.id in self._series:
            self._series[point.id].deadband = float(point.deadband or 0.0)
            return
        no = series_no(session, point)
        state = _SeriesState(no, point.id, point.room, float(point.deadband or 0.0))
        last = session.execute(select(MonSample.t, MonSample.v).where(MonSample.series == no)
                               .order_by(MonSample.t.desc()).limit(1)).first()
        if last is not None:
            state.kept_t, state.kept_v = last[0] / 1000.0, float(last[1])
        self._series[point.id] = state

    def series_of(self, point_id: str) -> int:
        return self._series[point_id].no

    def add(self, point_id: str, at: datetime, value: float) -> bool:
        """Account one reading; True when the raw value is kept (outside the deadband or a heartbeat)."""
        state = self._series[point_id]
        t = epoch_s(at)
        minute = int(t // 60) * 60
        acc = state.minute
        if acc.start != minute:
            self._close_minute(state)
            state.minute = acc = _Acc(minute)
        acc.add(value)
        if (state.kept_v is None or abs(value - state.kept_v) > state.deadband
                or t - state.kept_t >= HEARTBEAT_S):
            if t * 1000 <= state.kept_t * 1000:  # the clock stepped back: never overwrite a stored value
                return False
            state.kept_v, state.kept_t = value, t
            self._samples.append({"series": state.no, "t": round(t * 1000), "v": value})
            return True
        return False

    def _close_minute(self, state: _SeriesState) -> None:
        acc = state.minute
        if acc.start < 0 or acc.n == 0:
            return
        self._minutes.append({"series": state.no, "t": acc.start, "n": acc.n, "vmin": acc.vmin, "vmax": acc.vmax,
                              "vsum": acc.vsum})
        self._hours_due.add((state.no, acc.start // 3600 * 3600))

    def close_minutes(self, now: datetime) -> None:
        """Close every minute that ended before ``now`` (also for points that stopped reporting)."""
        current = int(epoch_s(now) // 60) * 60
        for state in self._series.values():
            if 0 <= state.minute.start < current:
                self._close_minute(state)
                state.minute = _Acc()

    def flush(self, session: Session, now: datetime) -> int:
        """Write buffered samples and minutes; roll up and publish the hours that ended. Returns rows written."""
        self.close_minutes(now)
        written = len(self._samples) + len(self._minutes)
        if self._samples:
            session.execute(sqlite_insert(MonSample).prefix_with("OR IGNORE")
                            if session.get_bind().dialect.name == "sqlite" else insert(MonSample), self._samples)
            self._samples = []
        if self._minutes:
            _merge_minutes(session, self._minutes)
            self._minutes = []
        current_hour = int(epoch_s(now) // 3600) * 3600
        done = {due for due in self._hours_due if due[1] < current_hour}
        for no, hour in sorted(done):
            roll_up_hour(session, no, hour)
        self._hours_due -= done
        return written


def _merge_minutes(session: Session, rows: list[dict[str, float | int]]) -> None:
    """Insert minute aggregates, merging with a row already there (a restart within the minute)."""
    if session.get_bind().dialect.name == "sqlite":
        stmt = sqlite_insert(MonMinute)
        stmt = stmt.on_conflict_do_update(index_elements=["series", "t"], set_={
            "n": MonMinute.n + stmt.excluded.n, "vmin": func.min(MonMinute.vmin, stmt.excluded.vmin),
            "vmax": func.max(MonMinute.vmax, stmt.excluded.vmax), "vsum": MonMinute.vsum + stmt.excluded.vsum})
        session.execute(stmt, rows)
        return
    for row in rows:  # other databases: the collector's store is SQLite; this keeps tests on PostgreSQL honest
        old = session.get(MonMinute, (row["series"], row["t"]))
        if old is None:
            session.add(MonMinute(**row))
        else:
            old.n += int(row["n"])
            old.vmin = min(old.vmin, float(row["vmin"]))
            old.vmax = max(old.vmax, float(row["vmax"]))
            old.vsum += float(row["vsum"])


class _Minute(NamedTuple):
    t: int
    n: int
    vmin: float
    vmax: float
    vsum: float


def roll_up_hour(session: Session, no: int, hour: int) -> MonHistoryHour | None:
    """Sum the minutes of ``hour`` into ``mon_hour`` and the synced ``mon_history_hour`` row (idempotent)."""
    minutes = [_Minute(*row) for row in session.execute(
        select(MonMinute.t, MonMinute.n, MonMinute.vmin, MonMinute.vmax, MonMinute.vsum)
        .where(MonMinute.series == no, MonMinute.t >= hour, MonMinute.t < hour + 3600).order_by(MonMinute.t))]
    if not minutes:
        return None
    n = sum(m.n for m in minutes)
    vmin, vmax, vsum = min(m.vmin for m in minutes), max(m.vmax for m in minutes), sum(m.vsum for m in minutes)
    old = session.get(MonHour, (no, hour))
    if old is None:
        session.add(MonHour(series=no, t=hour, n=n, vmin=vmin, vmax=vmax, vsum=vsum))
    else:
        old.n, old.vmin, old.vmax, old.vsum = n, vmin, vmax, vsum
    series = session.get(MonSeries, no)
    if series is None:
        return None
    at = from_epoch(hour)
    hid = history_id(series.point_id, at)
    if session.get(MonHistoryHour, hid) is not None:
        return None  # already published: the server's copy is append-only
    row = MonHistoryHour(id=hid, room=series.room, point_id=series.point_id, hour=at, count=n, vmin=vmin,
                         vmax=vmax, vavg=vsum / n,
                         minutes=[[(m.t - hour) // 60, m.vmin, m.vmax, round(m.vsum / m.n, 6), m.n] for m in minutes])
    session.add(row)
    end = at + timedelta(hours=1)
    if series.synced_until is None or series.synced_until < end:
        series.synced_until = end
    return row


def prune_samples(session: Session, before: datetime) -> int:
    """Delete raw values older than ``before`` (aggregates stay); returns how many."""
    result = session.execute(delete(MonSample).where(MonSample.t < int(epoch_s(before) * 1000)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------- trend
@dataclass(frozen=True, slots=True)
class TrendBucket:
    """One screen point: the bucket's start and its min / max / mean (min = max = mean for a raw value)."""

    at: datetime
    vmin: float
    vmax: float
    vavg: float
    n: int


@dataclass(frozen=True, slots=True)
class Trend:
    point_id: str
    resolution: str  # raw | minute | hour | server-hour
    buckets: list[TrendBucket]


def choose_resolution(span_s: float, max_points: int) -> str:
    """The coarsest history that still fills ``max_points`` buckets over ``span_s`` seconds."""
    if span_s / 3600 >= max_points:
        return "hour"
    if span_s / 60 >= max_points:
        return "minute"
    return "raw"


def trend(session: Session, point: str, start: datetime, end: datetime, max_points: int = 1000) -> Trend:
    """Min / max / mean of ``point`` (a ``mon_point`` id) over [start, end), in at most ``max_points`` buckets."""
    if end <= start:
        raise ValueError("趋势的结束时间必须晚于开始时间")
    if not 1 <= max_points <= 100_000:
        raise ValueError("趋势的点数必须在 1–100000 之间")
    span = epoch_s(end) - epoch_s(start)
    resolution = choose_resolution(span, max_points)
    no = session.scalar(select(MonSeries.no).where(MonSeries.point_id == point))
    if no is None:
        return _server_trend(session, point, start, end, max_points)
    s0, s1 = epoch_s(start), epoch_s(end)
    width = max(span / max_points, 1e-3)
    if resolution == "raw":
        t0, t1 = int(s0 * 1000), int(s1 * 1000)
        bucket = cast((MonSample.t - t0) / (width * 1000), Integer)
        rows = session.execute(
            select(bucket.label("b"), func.min(MonSample.t), func.min(MonSample.v), func.max(MonSample.v),
                   func.avg(MonSample.v), func.count())
            .where(MonSample.series == no, MonSample.t >= t0, MonSample.t < t1).group_by("b").order_by("b")).all()
        return Trend(point, resolution, [TrendBucket(from_epoch(r[1] / 1000), r[2], r[3], r[4], r[5]) for r in rows])
    table = MonHour if resolution == "hour" else MonMinute
    bucket = cast((table.t - int(s0)) / width, Integer)
    rows = session.execute(
        select(bucket.label("b"), func.min(table.t), func.min(table.vmin), func.max(table.vmax), func.sum(table.vsum),
               func.sum(table.n))
        .where(table.series == no, table.t >= int(s0), table.t < int(s1)).group_by("b").order_by("b")).all()
    return Trend(point, resolution, [TrendBucket(from_epoch(r[1]), r[2], r[3], r[4] / r[5], int(r[5])) for r in rows])


def _server_trend(session: Session, point: str, start: datetime, end: datetime, max_points: int) -> Trend:
    """On the server (no local history): the synced hourly rows, with their minutes when the span is short."""
    rows = session.scalars(select(MonHistoryHour).where(
        MonHistoryHour.point_id == point, MonHistoryHour.hour >= start - timedelta(hours=1),
        MonHistoryHour.hour < end, MonHistoryHour.deleted.is_(False)).order_by(MonHistoryHour.hour)).all()
    span = epoch_s(end) - epoch_s(start)
    fine = choose_resolution(span, max_points) != "hour"
    points: list[TrendBucket] = []
    for row in rows:
        if fine:
            for minute, vmin, vmax, vavg, n in row.minutes:
                at = row.hour + timedelta(minutes=int(minute))
                if start <= at < end:
                    points.append(TrendBucket(at, float(vmin), float(vmax), float(vavg), int(n)))
        elif start <= row.hour < end and row.vmin is not None and row.vmax is not None and row.vavg is not None:
            points.append(TrendBucket(row.hour, row.vmin, row.vmax, row.vavg, row.count))
    return Trend(point, "server-minute" if fine else "server-hour", decimate(points, max_points))


def decimate(points: list[TrendBucket], max_points: int) -> list[TrendBucket]:
    """Merge neighbouring buckets so at most ``max_points`` remain (min of mins, max of maxes, weighted mean)."""
    if len(points) <= max_points:
        return points
    size = math.ceil(len(points) / max_points)
    out: list[TrendBucket] = []
    for i in range(0, len(points), size):
        group = points[i:i + size]
        n = sum(p.n for p in group) or 1
        out.append(TrendBucket(group[0].at, min(p.vmin for p in group), max(p.vmax for p in group),
                               sum(p.vavg * p.n for p in group) / n, n))
    return out
