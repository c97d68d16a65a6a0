"""The collector's alarm journal: judges' events become ``mon_alarm`` rows, audit entries and SMS.

Everything happens in the caller's transaction, so an alarm, its audit entry, its SMS and its outbox entry
for the server commit together or not at all. Each room numbers its alarms (``ordinal``) in the order it
raised them; the id comes from the room and the number, so the server gets every alarm once and can show
them in the order they happened even after a long outage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import audit
from core.monitoring.alarms import AlarmEvent, Policy, escalations_due
from core.monitoring.models import (
    COMM,
    COMM_POINT,
    CRITICAL,
    KIND_LABELS,
    SEVERITY_LABELS,
    MonAlarm,
    MonPoint,
    alarm_id,
)
from core.monitoring.notices import queue_alarm_sms
from core.monitoring.queries import LOCAL_TZ

OpenKey = tuple[str, str, str, str]
"""(device, point key, kind, severity) of an open alarm."""


@dataclass(frozen=True, slots=True)
class Raised:
    """A new alarm, for the console and the latency figure: its id, number and when it was stored."""

    alarm_id: str
    ordinal: int
    device: str
    point_key: str
    kind: str
    severity: str
    raised_at: datetime


class AlarmJournal:
    """Open alarms of one room, and how events change them. Owned by one thread (the collector's store)."""

    def __init__(self, room: str, policy: Policy | None = None) -> None:
        self.room = room
        self.policy = policy or Policy()
        self.actor = f"collector:{room}"
        self._open: dict[OpenKey, str] = {}
        self._ordinal = 0

    def load(self, session: Session) -> dict[OpenKey, MonAlarm]:
        """Read the room's open (not cleared) alarms and the last number; returns them for the judges."""
        self._ordinal = int(session.scalar(select(func.max(MonAlarm.ordinal)).where(MonAlarm.room == self.room))
                            or 0)
        rows = session.scalars(select(MonAlarm).where(MonAlarm.room == self.room, MonAlarm.cleared_at.is_(None),
                                                      MonAlarm.deleted.is_(False))).all()
        found = {(a.device, a.point_key, a.kind, a.severity): a for a in rows}
        self._open = {key: a.id for key, a in found.items()}
        return found

    def open_keys(self) -> list[OpenKey]:
        return list(self._open)

    def is_open(self, device: str, point_key: str, kind: str, severity: str) -> bool:
        return (device, point_key, kind, severity) in self._open

    def apply(self, session: Session, point: MonPoint, events: list[AlarmEvent]) -> list[Raised]:
        raised = []
        for event in events:
            key = (point.device, point.key, event.kind, event.severity)
            if event.event == "raise":
                if key in self._open:
                    continue
                label = point.label or point.key
                what = f"{label}{KIND_LABELS[event.kind]}"
                if event.value is not None and point.kind != "bool":
                    what += f"（{event.value:g}{point.unit}）"
                raised.append(self._raise(session, point.device, point.key, point.id, event.kind, event.severity,
                                          event.at, event.value, event.threshold, what))
                continue
            alarm = self._row(session, key)
            if alarm is None:
                continue
            if event.event == "clear":
                self._clear(session, key, alarm, event.at, event.value)
            elif event.event == "flapping":
                alarm.flapping = True
                audit.append(session, self.actor, "monitor.alarm.flapping", f"mon_alarm:{alarm.id}",
                             {"room": self.room, "device": alarm.device, "point": alarm.point_key})
            elif event.event == "repeat":
                alarm.repeats = (alarm.repeats or 0) + 1
            elif event.event == "peak":
                alarm.peak_value = event.value
        return raised

    def communication(self, session: Session, device: str, kind: str, at: datetime, message: str) -> list[Raised]:
        """A device stopped answering (``lost``) or answers again (``restored``)."""
        key = (device, COMM_POINT, COMM, CRITICAL)
        if kind == "lost":
            if key in self._open:
                return []
            return [self._raise(session, device, COMM_POINT, None, COMM, CRITICAL, at, None, None,
                                message[:200] or "通信中断")]
        alarm = self._row(session, key)
        if alarm is not None:
            self._clear(session, key, alarm, at, None)
        return []

    def escalate(self, session: Session, now: datetime) -> int:
        """Escalate the room's alarms not acknowledged in time; returns how many were escalated."""
        rows = session.scalars(select(MonAlarm).where(
            MonAlarm.room == self.room, MonAlarm.deleted.is_(False), MonAlarm.acked_at.is_(None),
            MonAlarm.cleared_at.is_(None))).all()
        by_id = {a.id: a for a in rows}
        due = escalations_due([(a.id, a.severity, a.raised_at, a.escalation or 0, a.acked_at is not None)
                               for a in rows], now, self.policy)
        for step in due:
            alarm = by_id[step.alarm_id]
            alarm.escalation, alarm.escalated_at = step.level, step.at
            audit.append(session, self.actor, "monitor.alarm.escalate", f"mon_alarm:{alarm.id}",
                         {"room": self.room, "device": alarm.device, "point": alarm.point_key, "level": step.level})
            minutes = int((step.at - alarm.raised_at).total_seconds() // 60)
            queue_alarm_sms(session, alarm, alarm.message, _time(alarm.raised_at), level=step.level, minutes=minutes)
        return len(due)

    # ------------------------------------------------------------------------------------------------
    def _row(self, session: Session, key: OpenKey) -> MonAlarm | None:
        found = self._open.get(key)
        return None if found is None else session.get(MonAlarm, found)

    def _raise(self, session: Session, device: str, point_key: str, point_id: str | None, kind: str, severity: str,
               at: datetime, value: float | None, threshold: float | None, message: str) -> Raised:
        self._ordinal += 1
        alarm = MonAlarm(id=alarm_id(self.room, self._ordinal), room=self.room, ordinal=self._ordinal,
                         device=device, point_key=point_key, point_id=point_id, kind=kind, severity=severity,
                         raised_at=at, value=value, threshold=threshold, message=message[:200], peak_value=value,
                         acked_by="", ack_comment="", escalation=0, flapping=False, repeats=0)
        session.add(alarm)
        self._open[(device, point_key, kind, severity)] = alarm.id
        audit.append(session, self.actor, "monitor.alarm.raise", f"mon_alarm:{alarm.id}",
                     {"room": self.room, "ordinal": self._ordinal, "device": device, "point": point_key,
                      "kind": kind, "severity": severity, "value": value, "threshold": threshold})
        if severity == CRITICAL:
            queue_alarm_sms(session, alarm, f"{SEVERITY_LABELS[severity]}：{message}", _time(at))
        return Raised(alarm.id, self._ordinal, device, point_key, kind, severity, at)

    def _clear(self, session: Session, key: OpenKey, alarm: MonAlarm, at: datetime, value: float | None) -> None:
        alarm.cleared_at, alarm.clear_value = at, value
        del self._open[key]
        audit.append(session, self.actor, "monitor.alarm.clear", f"mon_alarm:{alarm.id}",
                     {"room": self.room, "device": alarm.device, "point": alarm.point_key, "value": value})


def _time(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M:%S")


def open_alarm_count(session: Session, room: str) -> int:
    return int(session.scalar(select(func.count()).select_from(MonAlarm).where(
        MonAlarm.room == room, or_(MonAlarm.cleared_at.is_(None), MonAlarm.acked_at.is_(None)))) or 0)
