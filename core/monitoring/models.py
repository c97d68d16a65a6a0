"""The machine-room tables: points and their thresholds, alarms, contacts for SMS, and history.

Synced (scope ``machine_room``, see :mod:`core.monitoring.scopes`):

- ``mon_point``: one measured value of one device (``ups-1`` / ``battery.charge``) with its unit and alarm
  thresholds (low / high × warning / critical, hysteresis, on-delay, rate of change, deadband). The id is
  derived from room, device and key, so the same point configured on a collector and on the server is one row;
- ``mon_alarm``: one alarm from raised to closed. The collector writes what it sees (raised, value, cleared,
  escalations); an operator writes the acknowledgement (who, when, comment). The state is derived from the
  timestamps (:attr:`MonAlarm.state`), so the collector clearing an alarm and an operator acknowledging it at
  the same moment on different machines never conflict;
- ``mon_contact``: who gets the SMS of a critical alarm (level 0 on duty, level 1 after escalation …);
- ``mon_history_hour``: one point's hour of 1-minute aggregates, sent once the hour is over (kept for years);
- ``mon_live``: a point's latest value as the collector last snapshotted it (one row per point, updated in
  place, only when the value moved beyond the point's deadband or its quality changed), plus one heartbeat row
  per room (:data:`SNAPSHOT_DEVICE` / :data:`SNAPSHOT_KEY`) whose ``sampled_at`` says when the collector last
  took a snapshot and whose ``value`` is its period in seconds: consoles on other computers read live values
  from it.

Local to each collector (not synced, compact, integer keys):

- ``mon_series``: the integer number of each point in this database, with its latest value;
- ``mon_sample``: raw values kept when they moved more than the point's deadband;
- ``mon_minute`` / ``mon_hour``: min / max / mean / count per minute and per hour.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_MACHINE_ROOM_ALARM, P_MACHINE_ROOM_COLLECT, P_MACHINE_ROOM_CONFIG
from core.models.base import Base, MaskRule, SyncedMixin, UTCDateTime
from core.monitoring.scopes import SCOPE

_NAMESPACE = uuid.UUID("3b0e8f52-7d0c-4a8e-9a57-1f3c0c5d2e41")

WARNING, CRITICAL = "warning", "critical"
SEVERITIES = (WARNING, CRITICAL)
SEVERITY_LABELS = {WARNING: "告警", CRITICAL: "严重"}

HIGH, LOW, RATE, STATE, COMM = "high", "low", "rate", "state", "comm"
ALARM_KINDS = (HIGH, LOW, RATE, STATE, COMM)
KIND_LABELS = {HIGH: "超上限", LOW: "低于下限", RATE: "变化过快", STATE: "状态告警", COMM: "通信中断"}

RAISED, ACKNOWLEDGED, CLEARED, CLOSED = "raised", "acknowledged", "cleared", "closed"
STATE_LABELS = {RAISED: "未确认", ACKNOWLEDGED: "已确认", CLEARED: "已恢复未确认", CLOSED: "已关闭"}

COMM_POINT = "_comm"
"""The point key of a device's communication alarm (no ``mon_point`` row)."""

SNAPSHOT_DEVICE, SNAPSHOT_KEY = "_collector", "_snapshot"
"""Device and key of a room's heartbeat row in ``mon_live`` (no ``mon_point`` row)."""


def point_id(room: str, device: str, key: str) -> str:
    """The row id of a point: the same on every collector and on the server."""
    return str(uuid.uuid5(_NAMESPACE, f"{room}/{device}/{key}"))


def alarm_id(room: str, ordinal: int) -> str:
    """The row id of a collector's ``ordinal``-th alarm: raising it again after a crash gives the same row."""
    return str(uuid.uuid5(_NAMESPACE, f"alarm/{room}/{ordinal}"))


def history_id(point: str, hour: datetime) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"hour/{point}/{hour.isoformat()}"))


class MonitorRow(SyncedMixin):
    """Every machine-room table sits in one scope; the room is a column."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_MACHINE_ROOM_COLLECT,)
    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    room: Mapped[str] = mapped_column(String(40))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return SCOPE


class MonPoint(MonitorRow, Base):
    """A point and its alarm rule (see :mod:`core.monitoring.alarms` for how the fields are used)."""

    __tablename__ = "mon_point"
    sync_label = "监测点"
    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_MACHINE_ROOM_CONFIG, P_MACHINE_ROOM_COLLECT)
    extra_indexes = (("room", "device"),)

    device: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(80), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    kind: Mapped[str] = mapped_column(String(8), default="number")  # number | bool
    low_critical: Mapped[float | None] = mapped_column(Float)
    low_warning: Mapped[float | None] = mapped_column(Float)
    high_warning: Mapped[float | None] = mapped_column(Float)
    high_critical: Mapped[float | None] = mapped_column(Float)
    hysteresis: Mapped[float] = mapped_column(Float, default=0.0)
    on_delay_s: Mapped[float] = mapped_column(Float, default=0.0)
    rate_limit_per_h: Mapped[float | None] = mapped_column(Float)
    """Largest allowed change per hour (e.g. 20 ℃/h, GB 50174-2017 附录A), judged over ``rate_window_s``."""
    rate_window_s: Mapped[float] = mapped_column(Float, default=600.0)
    alarm_when: Mapped[str] = mapped_column(String(8), default="")
    """For a bool point: ``"true"`` or ``"false"`` raises a state alarm (a leak, a fire alarm); empty: none."""
    state_severity: Mapped[str] = mapped_column(String(8), default=CRITICAL)
    deadband: Mapped[float] = mapped_column(Float, default=0.0)
    """History keeps a new raw value only when it moved more than this from the last kept one."""
    basis: Mapped[str] = mapped_column(String(120), default="")
    """Where the default thresholds come from, e.g. ``GB 50174-2017 附录A``."""
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class MonAlarm(MonitorRow, Base):
    """One alarm. State: raised → acknowledged and/or cleared → closed (both), derived from the timestamps."""

    __tablename__ = "mon_alarm"
    sync_label = "机房告警"
    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_MACHINE_ROOM_COLLECT, P_MACHINE_ROOM_ALARM)
    extra_indexes = (("room", "ordinal"), ("cleared_at",), ("acked_at",))

    ordinal: Mapped[int] = mapped_column(Integer)
    """The collector's running number: the order in which the room's alarms were raised."""
    device: Mapped[str] = mapped_column(String(40))
    point_key: Mapped[str] = mapped_column(String(80))
    point_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(8))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(String(200), default="")
    peak_value: Mapped[float | None] = mapped_column(Float)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clear_value: Mapped[float | None] = mapped_column(Float)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acked_by: Mapped[str] = mapped_column(String(64), default="")
    ack_comment: Mapped[str] = mapped_column(String(500), default="")
    escalation: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flapping: Mapped[bool] = mapped_column(Boolean, default=False)
    repeats: Mapped[int] = mapped_column(Integer, default=0)
    """How often the condition came back while this alarm was held open as flapping."""

    @property
    def state(self) -> str:
        if self.acked_at is not None and self.cleared_at is not None:
            return CLOSED
        if self.acked_at is not None:
            return ACKNOWLEDGED
        if self.cleared_at is not None:
            return CLEARED
        return RAISED

    @property
    def closed_at(self) -> datetime | None:
        if self.acked_at is None or self.cleared_at is None:
            return None
        return max(self.acked_at, self.cleared_at)


class MonContact(MonitorRow, Base):
    """Who gets a critical alarm's SMS: level 0 at once, level N after the N-th escalation. The phone number
    is shown only to those who keep the list (machine_room.config); the server reads it when it sends."""

    __tablename__ = "mon_contact"
    sync_label = "机房告警联系人"
    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_MACHINE_ROOM_CONFIG,)
    sync_masked: ClassVar[dict[str, MaskRule]] = {"phone": MaskRule(P_MACHINE_ROOM_CONFIG, "phone")}

    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20), default="")
    level: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MonHistoryHour(MonitorRow, Base):
    """One point's hour: the hour's aggregate and its 1-minute aggregates ``[[minute, min, max, mean, n], …]``."""

    __tablename__ = "mon_history_hour"
    sync_label = "机房历史数据"
    extra_indexes = (("point_id", "hour"),)

    point_id: Mapped[str] = mapped_column(String(36))
    hour: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer, default=0)
    vmin: Mapped[float | None] = mapped_column(Float)
    vmax: Mapped[float | None] = mapped_column(Float)
    vavg: Mapped[float | None] = mapped_column(Float)
    minutes: Mapped[list[Any]] = mapped_column(JSON, default=list)


class MonLive(MonitorRow, Base):
    """A point's latest value for consoles on other computers; the id is the point's id (:func:`point_id`)."""

    __tablename__ = "mon_live"
    sync_label = "机房实时数据"
    extra_indexes = (("room",),)

    device: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(String(80), default="")
    quality: Mapped[str] = mapped_column(String(8), default="")
    sampled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the value was read (the heartbeat row: when the snapshot was taken)."""


def snapshot_id(room: str) -> str:
    """The id of ``room``'s heartbeat row in ``mon_live``."""
    return point_id(room, SNAPSHOT_DEVICE, SNAPSHOT_KEY)


# ------------------------------------------------------------------------------------ local history
class MonSeries(Base):
    """A point's integer number in this database (history rows are keyed by it) and its latest value."""

    __tablename__ = "mon_series"

    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    point_id: Mapped[str] = mapped_column(String(36), unique=True)
    room: Mapped[str] = mapped_column(String(40))
    device: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    last_value: Mapped[float | None] = mapped_column(Float)
    last_text: Mapped[str] = mapped_column(String(80), default="")
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quality: Mapped[str] = mapped_column(String(8), default="")
    synced_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """The end of the last hour sent to the server as ``mon_history_hour``."""


class MonSample(Base):
    """A raw value kept by the deadband: ``t`` is milliseconds since 1970 UTC."""

    __tablename__ = "mon_sample"
    __table_args__ = ({"sqlite_with_rowid": False},)

    series: Mapped[int] = mapped_column(Integer, primary_key=True)
    t: Mapped[int] = mapped_column(Integer, primary_key=True)
    v: Mapped[float] = mapped_column(Float)


class _Aggregate:
    series: Mapped[int] = mapped_column(Integer, primary_key=True)
    t: Mapped[int] = mapped_column(Integer, primary_key=True)
    """Start of the minute or hour, seconds since 1970 UTC."""
    n: Mapped[int] = mapped_column(Integer)
    vmin: Mapped[float] = mapped_column(Float)
    vmax: Mapped[float] = mapped_column(Float)
    vsum: Mapped[float] = mapped_column(Float)


class MonMinute(_Aggregate, Base):
    __tablename__ = "mon_minute"
    __table_args__ = ({"sqlite_with_rowid": False},)


class MonHour(_Aggregate, Base):
    __tablename__ = "mon_hour"
    __table_args__ = ({"sqlite_with_rowid": False},)


MONITORING_MODELS = (MonPoint, MonContact, MonAlarm, MonHistoryHour, MonLive)
