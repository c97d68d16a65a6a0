"""Screenshots of the 机房监控 console for the machine-room operator: the room plan, the alarm list, trends and
the daily report.

The operator's computer holds 【演示数据】 points, their latest values, a day of history and a few alarms, written
into its local database the way the collector writes them (nothing is pushed to the server)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from apps.common.qt import Qt
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.machine_room.window import MachineRoomConsole, create_window
from core.monitoring.history import HistoryWriter
from core.monitoring.models import (
    COMM,
    CRITICAL,
    HIGH,
    WARNING,
    MonAlarm,
    MonPoint,
    MonSeries,
    alarm_id,
    point_id,
)
from core.monitoring.queries import LOCAL_TZ

ROOM = "main"
STORE = "machine-room"
"""A computer of its own, so the demo rows never reach the other windows' stores or the server."""
POINTS = (  # device, key, label, unit, value, high warning, high critical
    ("th-1", "temp", "进风温度", "℃", 23.4, 27.0, 32.0), ("th-1", "hum", "相对湿度", "%", 46.0, 60.0, 70.0),
    ("th-2", "temp", "进风温度", "℃", 28.1, 27.0, 32.0), ("th-2", "hum", "相对湿度", "%", 51.0, 60.0, 70.0),
    ("ac-1", "supply", "送风温度", "℃", 18.2, 22.0, 25.0), ("ac-1", "return", "回风温度", "℃", 26.0, 30.0, 35.0),
    ("ac-2", "supply", "送风温度", "℃", 26.3, 22.0, 25.0), ("ac-2", "return", "回风温度", "℃", 33.0, 30.0, 35.0),
    ("ups-1", "load", "负载率", "%", 41.0, 80.0, 90.0), ("ups-1", "runtime", "后备时间", "分钟", 38.0, None, None),
    ("pdu-1", "current", "总电流", "A", 12.6, 16.0, 20.0), ("sw-core", "cpu", "CPU 占用", "%", 0.0, 80.0, 95.0),
)


def _seed(env: ShotEnv, username: str = "machineroom") -> None:
    context = env.connect(username, STORE)
    now = datetime.now(UTC).replace(microsecond=0)
    with context.store.session() as s, s.begin():
        if s.scalar(select(MonPoint.id).limit(1)) is not None:
            return
        writer = HistoryWriter()
        for n, (device, key, label, unit, value, warn, crit) in enumerate(POINTS):
            pid = point_id(ROOM, device, key)
            p = MonPoint(id=pid, room=ROOM, device=device, key=key, label=label, unit=unit, high_warning=warn,
                         high_critical=crit, hysteresis=0.5, deadband=0.1)
            s.add(p)
            s.flush()
            writer.track(s, p)
            if device in ("th-1", "th-2", "ac-2") and key in ("temp", "supply"):
                for i in range(0, 24 * 3600, 300):
                    at = now - timedelta(seconds=24 * 3600 - i)
                    writer.add(pid, at, value - 1.5 + 1.5 * math.sin(i / 7200 + n) + (i / 86400) * 1.5)
        writer.flush(s, now)
        for device, key, _label, _unit, value, _warn, _crit in POINTS:
            series = s.scalars(select(MonSeries).where(MonSeries.point_id == point_id(ROOM, device, key))).one()
            stale = device == "sw-core"
            series.last_value, series.quality = value, "stale" if stale else "good"
            series.last_at = now - (timedelta(minutes=6) if stale else timedelta(seconds=5))
        alarms = (  # device, key, kind, severity, minutes ago, value, message, acknowledged by
            ("th-2", "temp", HIGH, WARNING, 42, 28.1, "进风温度超上限 27℃", "machineroom"),
            ("ac-2", "supply", HIGH, CRITICAL, 18, 26.3, "送风温度超上限 25℃", ""),
            ("ac-2", "return", HIGH, CRITICAL, 15, 33.0, "回风温度超上限 30℃", ""),
            ("sw-core", "_comm", COMM, CRITICAL, 6, None, "核心交换机通信中断", ""),
        )
        for n, (device, key, kind, severity, ago, reading, message, acked) in enumerate(alarms, start=1):
            s.add(MonAlarm(id=alarm_id(ROOM, n), room=ROOM, ordinal=n, device=device, point_key=key,
                           point_id=None if kind == COMM else point_id(ROOM, device, key), kind=kind,
                           severity=severity, raised_at=now - timedelta(minutes=ago), value=reading, message=message,
                           acked_by=acked, acked_at=now - timedelta(minutes=30) if acked else None,
                           ack_comment="已开启备用空调" if acked else ""))


@screenshot("machine")
def machine_room_console(env: ShotEnv) -> Iterator[Shot]:
    _seed(env)
    context = env.connect("machineroom", STORE)
    window = create_window(context)
    window.resize(1400, 820)
    console: MachineRoomConsole = window.page()  # type: ignore[attr-defined]
    yield "machine-room-plan-machineroom", window
    console.open_device("ac-2")
    yield "machine-room-device-machineroom", window
    console.device.back.emit()
    console.setCurrentWidget(console.alarms)
    yield "machine-room-alarms-machineroom", window
    trends = console.trends
    with_history = {point_id(ROOM, d, k) for d, k in (("th-1", "temp"), ("th-2", "temp"), ("ac-2", "supply"))}
    for n, p in enumerate(trends.points):
        trends.list.item(n).setCheckState(Qt.CheckState.Checked if p.id in with_history else Qt.CheckState.Unchecked)
    console.setCurrentWidget(console.trends)
    yield "machine-room-trends-machineroom", window
    console.report.choose(ROOM, day=datetime.now(LOCAL_TZ).date())
    console.report.reload()
    env.settle()
    console.report.tabs.setCurrentIndex(2)
    console.setCurrentWidget(console.report)
    yield "machine-room-report-machineroom", window


@screenshot("machine-admin")
def machine_room_thresholds(env: ShotEnv) -> Iterator[Shot]:
    """The administrator's threshold editor, over the same demo points written into the admin's database."""
    _seed(env, "admin")
    window = create_window(env.connect("admin", STORE))
    window.resize(1400, 820)
    console: MachineRoomConsole = window.page()  # type: ignore[attr-defined]
    if console.config is not None:
        console.setCurrentWidget(console.config)
    yield "machine-room-thresholds-admin", window
