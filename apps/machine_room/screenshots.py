"""Screenshots of the 机房监控 console for the machine-room operator: the room plan, the alarm list, trends and
the daily report.

The operator's computer holds 【演示数据】 points, their latest values, a day of history and a few alarms, written
into its local database the way the collector writes them (nothing is pushed to the server)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from apps.common.qt import Qt
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.machine_room.window import MachineRoomConsole, console_data, create_window
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
    ("th-1", "temperature", "进风温度", "℃", 23.4, 27.0, 32.0), ("th-1", "humidity", "相对湿度", "%", 46.0, 60.0, 70.0),
    ("th-2", "temperature", "进风温度", "℃", 28.1, 27.0, 32.0), ("th-2", "humidity", "相对湿度", "%", 51.0, 60.0, 70.0),
    ("ac-1", "supply_air_temp", "送风温度", "℃", 18.2, 22.0, 25.0), ("ac-1", "return_air_temp", "回风温度", "℃", 26.0, 30.0, 35.0),
    ("ac-2", "supply_air_temp", "送风温度", "℃", 26.3, 22.0, 25.0), ("ac-2", "return_air_temp", "回风温度", "℃", 33.0, 30.0, 35.0),
    ("ups-1", "load", "负载率", "%", 41.0, 80.0, 90.0), ("ups-1", "runtime", "后备时间", "分钟", 38.0, None, None),
    ("pdu-1", "current", "总电流", "A", 12.6, 16.0, 20.0), ("sw-core", "cpu", "CPU 占用", "%", 0.0, 80.0, 95.0),
)


ROOM_FILE = """[room]
id = "main"
name = "机关主机房"
""" + "".join(f"""
[[device]]
id = "{device}"
name = "{name}"
address = "{address}"
interval = {interval}
row = {row}
column = {column}
""" for device, name, address, interval, row, column in (
    ("th-1", "A 列冷通道", "modbus-tcp://192.0.2.11:502?unit=1&map=temp-humidity", 2, 1, 1),
    ("th-2", "B 列冷通道", "modbus-tcp://192.0.2.11:502?unit=2&map=temp-humidity", 2, 1, 2),
    ("ac-1", "1 号精密空调", "modbus-tcp://192.0.2.12:502?unit=1&map=precision-ac", 2, 1, 3),
    ("ac-2", "2 号精密空调", "modbus-tcp://192.0.2.12:502?unit=2&map=precision-ac", 2, 1, 4),
    ("ups-1", "1 号 UPS", "nut://192.0.2.20/ups1", 5, 2, 1),
    ("pdu-1", "1 号配电柜", "modbus-tcp://192.0.2.13:502?unit=1&map=door-contact", 5, 2, 2),
    ("sw-core", "核心交换机", "snmp://machineroom@192.0.2.1?version=2c&profile=if-mib", 10, 2, 3)))
"""The 【演示数据】 room file beside the screenshots' database: names, places on the plan, the devices editor."""


def _data(env: ShotEnv, username: str) -> tuple[object, object]:
    context = env.connect(username, STORE)
    path = env.folder / "machine-room.toml"
    if not path.exists():
        path.write_text(ROOM_FILE, encoding="utf-8")
    return context, console_data(context, db_url="", config=path)


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
            if device in ("th-1", "th-2", "ac-2") and key in ("temperature", "supply_air_temp"):
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
            ("th-2", "temperature", HIGH, WARNING, 42, 28.1, "进风温度超上限 27℃", "machineroom"),
            ("ac-2", "supply_air_temp", HIGH, CRITICAL, 18, 26.3, "送风温度超上限 25℃", ""),
            ("ac-2", "return_air_temp", HIGH, CRITICAL, 15, 33.0, "回风温度超上限 30℃", ""),
            ("sw-core", "_comm", COMM, CRITICAL, 6, None, "核心交换机通信中断", ""),
        )
        for n, (device, key, kind, severity, ago, reading, message, acked) in enumerate(alarms, start=1):
            s.add(MonAlarm(id=alarm_id(ROOM, n), room=ROOM, ordinal=n, device=device, point_key=key,
                           point_id=None if kind == COMM else point_id(ROOM, device, key), kind=kind,
                           severity=severity, raised_at=now - timedelta(minutes=ago), value=reading, message=message,
                           acked_by=acked, acked_at=now - timedelta(minutes=30) if acked else None,
                           ack_comment="已开启备用空调" if acked else ""))


def _chinese_then_english(env: ShotEnv, shots: Callable[[ShotEnv, str], Iterator[Shot]]) -> Iterator[Shot]:
    """``shots`` in Chinese, then again in English (their names end in ``-en``)."""
    yield from shots(env, "")
    env.set_language("en")
    try:
        yield from shots(env, "-en")
    finally:
        env.set_language("zh_CN")


@screenshot("machine")
def machine_room_console(env: ShotEnv) -> Iterator[Shot]:
    _seed(env)
    yield from _chinese_then_english(env, _console_shots)


def _console_shots(env: ShotEnv, suffix: str) -> Iterator[Shot]:
    context, data = _data(env, "machineroom")
    window = create_window(context, data)  # type: ignore[arg-type]
    window.resize(1400, 820)
    console: MachineRoomConsole = window.page()  # type: ignore[attr-defined]
    yield f"machine-room-plan{suffix}-machineroom", window
    console.open_device("ac-2")
    yield f"machine-room-device{suffix}-machineroom", window
    console.device.back.emit()
    console.setCurrentWidget(console.alarms)
    yield f"machine-room-alarms{suffix}-machineroom", window
    trends = console.trends
    with_history = {point_id(ROOM, d, k) for d, k in (("th-1", "temperature"), ("th-2", "temperature"), ("ac-2", "supply_air_temp"))}
    for n, p in enumerate(trends.points):
        trends.list.item(n).setCheckState(Qt.CheckState.Checked if p.id in with_history else Qt.CheckState.Unchecked)
    console.setCurrentWidget(console.trends)
    yield f"machine-room-trends{suffix}-machineroom", window
    console.report.choose(ROOM, day=datetime.now(LOCAL_TZ).date())
    console.report.reload()
    env.settle()
    console.report.tabs.setCurrentIndex(2)
    console.setCurrentWidget(console.report)
    yield f"machine-room-report{suffix}-machineroom", window


@screenshot("machine-admin")
def machine_room_thresholds(env: ShotEnv) -> Iterator[Shot]:
    """The administrator's threshold and device editors, over the same demo points written into the admin's
    database and the demo room file."""
    _seed(env, "admin")
    yield from _chinese_then_english(env, _admin_shots)


def _admin_shots(env: ShotEnv, suffix: str) -> Iterator[Shot]:
    context, data = _data(env, "admin")
    window = create_window(context, data)  # type: ignore[arg-type]
    window.resize(1400, 820)
    console: MachineRoomConsole = window.page()  # type: ignore[attr-defined]
    assert console.config is not None and console.devices is not None
    console.setCurrentWidget(console.config)
    yield f"machine-room-thresholds{suffix}-admin", window
    console.setCurrentWidget(console.devices)
    console.devices.list.setCurrentRow(2)
    yield f"machine-room-devices{suffix}-admin", window
    console.devices.new_device()
    console.devices.inputs["id"].setText("ac-3")  # type: ignore[union-attr]
    console.devices.inputs["name"].setText("1 号精密空调")  # type: ignore[union-attr]
    console.devices.inputs["address"].setText("modbus-tcp://192.0.2.14:502?unit=1")  # type: ignore[union-attr]
    console.devices.inputs["interval"].setText("0")  # type: ignore[union-attr]
    console.devices.save()
    yield f"machine-room-devices-refused{suffix}-admin", window
