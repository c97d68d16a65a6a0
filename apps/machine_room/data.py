"""Everything the machine-room console reads or writes, in one place (over ``core.monitoring.queries``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.monitoring import report as _report
from core.monitoring.history import Trend
from core.monitoring.models import COMM_POINT, KIND_LABELS, SEVERITY_LABELS, MonAlarm, MonPoint
from core.monitoring.queries import (
    LOCAL_TZ,
    AlarmError,
    LiveValue,
    acknowledge,
    active_alarms,
    device_status,
    live_values,
    trend,
)

__all__ = ["AlarmError", "AlarmRow", "DeviceTile", "MonitorData", "PointInfo", "ReportRefused", "RoomReport",
           "Trend"]

ReportRefused = _report.ReportRefused
RoomReport = _report.RoomReport

LIMIT_COLUMNS = ("下限严重", "下限告警", "上限告警", "上限严重")
STATE_TEXT = {"normal": "正常", "warning": "告警", "critical": "严重", "lost": "通信中断"}


@dataclass(frozen=True, slots=True)
class DeviceTile:
    device: str
    state: str  # normal | warning | critical | lost
    values: list[LiveValue]

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]


@dataclass(frozen=True, slots=True)
class AlarmRow:
    id: str
    raised: str
    device: str
    point: str
    what: str
    severity: str
    severity_text: str
    value: str
    acked_by: str
    cleared: bool


@dataclass(frozen=True, slots=True)
class PointInfo:
    id: str
    device: str
    label: str
    unit: str
    limits: tuple[tuple[str, float], ...]  # (name, value) of the thresholds that are set


def shown_unit(unit: str) -> str:
    """The unit as the screen font draws it (the CJK fonts lack the single ℃ sign)."""
    return unit.replace("℃", "°C")


def _local(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M:%S") if at else ""


class MonitorData:
    def __init__(self, session: Callable[[], Session], room: str | None = None) -> None:
        self.session = session
        self.room = room or self._first_room()

    def _first_room(self) -> str:
        with self.session() as s:
            return s.scalar(select(MonPoint.room).where(MonPoint.deleted.is_(False)).order_by(MonPoint.room)
                            .limit(1)) or "main"

    def tiles(self) -> list[DeviceTile]:
        """Every device of the room with its worst state: communication lost beats critical beats warning."""
        with self.session() as s:
            values = live_values(s, self.room)
            status = device_status(s, self.room)
        out = []
        for device in sorted(set(values) | set(status)):
            points = values.get(device, [])
            levels = {v.level for v in points}
            if status.get(device) in ("lost", "stale"):
                state = "lost"
            elif "critical" in levels:
                state = "critical"
            elif "warning" in levels:
                state = "warning"
            else:
                state = "normal"
            out.append(DeviceTile(device, state, points))
        return out

    def alarms(self, severity: str = "", unacked_only: bool = False) -> list[AlarmRow]:
        with self.session() as s:
            rows = active_alarms(s, self.room)
            out = []
            for a in rows:
                if (severity and a.severity != severity) or (unacked_only and a.acked_at is not None):
                    continue
                out.append(AlarmRow(a.id, _local(a.raised_at), a.device, "通信" if a.point_key == COMM_POINT else a.point_key,
                                    shown_unit(a.message or KIND_LABELS.get(a.kind, a.kind)), a.severity,
                                    SEVERITY_LABELS.get(a.severity, a.severity),
                                    "" if a.value is None else f"{a.value:g}", a.acked_by, a.cleared_at is not None))
            return out

    def acknowledge(self, alarm_id: str, user: str, comment: str) -> None:
        """Acknowledge one alarm; :class:`AlarmError` (Chinese message) when it cannot be, nothing changed."""
        with self.session() as s, s.begin():
            acknowledge(s, alarm_id, user, comment)

    def points(self) -> list[PointInfo]:
        """The room's numeric points with their thresholds, for the trend page."""
        with self.session() as s:
            rows = s.scalars(select(MonPoint).where(MonPoint.room == self.room, MonPoint.deleted.is_(False),
                                                    MonPoint.kind == "number")
                             .order_by(MonPoint.device, MonPoint.key)).all()
            return [PointInfo(p.id, p.device, p.label or p.key, p.unit, tuple(
                (name, value) for name, value in zip(LIMIT_COLUMNS, (p.low_critical, p.low_warning,
                                                                    p.high_warning, p.high_critical), strict=True)
                if value is not None)) for p in rows]

    def trend(self, point: str, start: datetime, end: datetime, max_points: int = 800) -> Trend:
        with self.session() as s:
            return trend(s, point, start, end, max_points)

    def save_limits(self, rows: list[tuple[str, list[str]]]) -> None:
        """Set the thresholds of points: ``(point id, [下限严重, 下限告警, 上限告警, 上限严重])`` as typed, empty for
        none. All rows are checked first; a bad one raises :class:`AlarmError` naming its row and column and
        nothing is changed."""
        parsed: list[tuple[str, list[float | None]]] = []
        for n, (pid, texts) in enumerate(rows, start=1):
            values: list[float | None] = []
            for column, text in zip(LIMIT_COLUMNS, texts, strict=True):
                try:
                    values.append(float(text) if text.strip() else None)
                except ValueError:
                    raise AlarmError(f"第 {n} 行「{column}」列：“{text}”不是数字") from None
            given = [(c, v) for c, v in zip(LIMIT_COLUMNS, values, strict=True) if v is not None]
            for (c1, v1), (c2, v2) in pairwise(given):
                if v1 is not None and v2 is not None and v1 > v2:
                    raise AlarmError(f"第 {n} 行「{c2}」列：{v2:g} 不能小于「{c1}」{v1:g}")
            parsed.append((pid, values))
        with self.session() as s, s.begin():
            for pid, values in parsed:
                point = s.get(MonPoint, pid)
                if point is None:
                    raise AlarmError("测点已被删除，请刷新后再改")
                point.low_critical, point.low_warning, point.high_warning, point.high_critical = values

    def rooms(self) -> list[str]:
        """Every room with points or alarms in this database (the console's own room first)."""
        with self.session() as s:
            found = set(s.scalars(select(MonPoint.room).where(MonPoint.deleted.is_(False))))
            found |= set(s.scalars(select(MonAlarm.room).where(MonAlarm.deleted.is_(False))))
        return [self.room, *sorted(found - {self.room})]

    def report(self, room: str, *, day: date | None = None, month: tuple[int, int] | None = None) -> RoomReport:
        """The daily or monthly report's figures; :class:`ReportRefused` (Chinese) when there are none."""
        with self.session() as s:
            return _report.collect(s, room, day=day, month=month)

    @staticmethod
    def report_pdf(report: RoomReport) -> bytes:
        return _report.report_pdf(report)
