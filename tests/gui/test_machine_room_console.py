"""The machine-room console: tiles in the state of their devices, the alarm list, acknowledging with a comment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apps.common.qt import Qt
from apps.machine_room.data import MonitorData
from apps.machine_room.window import MachineRoomConsole
from core.db import make_engine, migrate
from core.models import AuditEntry
from core.monitoring.history import HistoryWriter
from core.monitoring.models import COMM, CRITICAL, HIGH, MonAlarm, MonPoint, MonSeries, alarm_id, point_id
from core.sync.client import LocalStore

NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
POINTS = (  # device, key, label, unit, value
    ("th-1", "inlet_temp", "进风温度", "℃", 23.5),
    ("ac-1", "supply_temp", "送风温度", "℃", 33.1),
    ("ups-1", "load", "负载率", "%", 41.0),
)


@pytest.fixture
def data(tmp_path: Path) -> MonitorData:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        for device, key, label, unit, value in POINTS:
            pid = point_id("main", device, key)
            s.add(MonPoint(id=pid, room="main", device=device, key=key, label=label, unit=unit,
                           high_warning=27.0, high_critical=32.0))
            s.add(MonSeries(point_id=pid, room="main", device=device, key=key, last_value=value, last_at=NOW,
                            quality="stale" if device == "ups-1" else "good"))  # ups-1 stopped answering
        s.add(MonAlarm(id=alarm_id("main", 1), room="main", ordinal=1, device="ac-1", point_key="supply_temp",
                       point_id=point_id("main", "ac-1", "supply_temp"), kind=HIGH, severity=CRITICAL,
                       raised_at=NOW - timedelta(minutes=3), value=33.1, threshold=32.0, message="送风温度超上限"))
        s.add(MonAlarm(id=alarm_id("main", 2), room="main", ordinal=2, device="ups-1", point_key="_comm",
                       kind=COMM, severity=CRITICAL, raised_at=NOW - timedelta(minutes=1), message="通信中断"))
    return MonitorData(store.session)


def test_tiles_show_each_devices_state_in_words(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    tiles = console.plan.tiles
    assert {d: t.state for d, t in tiles.items()} == {"th-1": "normal", "ac-1": "critical", "ups-1": "lost"}
    assert "通信中断" in tiles["ups-1"].title.text()
    assert "严重" in tiles["ac-1"].title.text()
    assert "进风温度：23.5 °C" in tiles["th-1"].values.text()
    assert tiles["ups-1"].values.text() == "负载率：41 %（旧值）"  # the last reading, marked as such


def test_acknowledge_with_a_comment_is_recorded_and_audited(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    page = console.alarms
    assert [r.device for r in page.rows] == ["ups-1", "ac-1"]
    page.acknowledge_selected()
    assert page.message.text() == "请先选中一条告警"
    page.table.selectRow(1)
    page.comment.setText("已通知空调厂家")
    qtbot.mouseClick(page.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.rows[1].acked_by == "machineroom")
    state = page.table.item(1, 7)
    assert state is not None and state.text() == "已确认"
    with data.session() as s:
        alarm = s.get(MonAlarm, alarm_id("main", 1))
        assert alarm is not None and alarm.ack_comment == "已通知空调厂家"
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "monitor.alarm.ack")).one()
    page.table.selectRow(1)
    page.acknowledge_selected()  # twice: refused with the Chinese reason, nothing changed
    assert "已由 machineroom" in page.message.text()
    page.unacked.setChecked(True)
    assert [r.device for r in page.rows] == ["ups-1"]


def test_a_new_alarm_rings_the_bell_once(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    assert console.alarms.bells == 0
    with data.session() as s, s.begin():
        s.add(MonAlarm(id=alarm_id("main", 3), room="main", ordinal=3, device="th-1", point_key="inlet_temp",
                       point_id=point_id("main", "th-1", "inlet_temp"), kind=HIGH, severity="warning", raised_at=NOW, value=28.0, message="进风温度超上限"))
    console.reload()
    console.reload()
    assert console.alarms.bells == 1
    assert console.plan.tiles["th-1"].state == "warning"
    assert "告警" in console.plan.tiles["th-1"].title.text()


def test_trends_overlay_points_with_their_thresholds(qtbot: QtBot, data: MonitorData) -> None:
    writer = HistoryWriter()
    with data.session() as s, s.begin():
        points = [s.get(MonPoint, point_id("main", d, k)) for d, k in (("th-1", "inlet_temp"), ("ac-1", "supply_temp"))]
        for p in points:
            assert p is not None
            writer.track(s, p)
        for i in range(0, 3 * 3600, 30):
            at = NOW - timedelta(hours=3) + timedelta(seconds=i)
            writer.add(points[0].id, at, 22.0 + (i % 600) / 300)  # type: ignore[union-attr]
            writer.add(points[1].id, at, 30.0 + (i % 1200) / 300)  # type: ignore[union-attr]
        writer.flush(s, NOW)
    console = MachineRoomConsole(data, "machineroom", now=lambda: NOW)
    qtbot.addWidget(console)
    page = console.trends
    assert [p.label for p in page.chosen()] == ["送风温度"]  # ac-1 sorts first
    assert page.curves[point_id("main", "ac-1", "supply_temp")] == 100  # three hours in buckets of a day / 800
    assert page.limits == [27.0, 32.0]
    page.list.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: len(page.curves) == 2)
    page.span.setCurrentIndex(5)  # ten minutes: raw samples
    qtbot.waitUntil(lambda: all(0 < n <= 40 for n in page.curves.values()))


def test_clicking_a_tile_opens_the_device_with_its_points_and_alarms(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    qtbot.mouseClick(console.plan.tiles["ac-1"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.room.currentWidget() is console.device)
    page = console.device
    assert page.title.text() == "ac-1　严重"
    cells = [page.points.item(0, c) for c in range(7)]
    assert [c.text() if c else "" for c in cells[:6]] == ["送风温度", "33.1", "°C", "正常", "27", "32"]
    assert "送风温度超上限" in page.alarms.text()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert console.room.currentWidget() is console.plan


def test_only_the_administrator_edits_thresholds_and_bad_input_changes_nothing(qtbot: QtBot,
                                                                                data: MonitorData) -> None:
    operator = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(operator)
    assert operator.config is None and "阈值设置" not in [operator.tabText(i) for i in range(operator.count())]
    console = MachineRoomConsole(data, "admin", administrator=True)
    qtbot.addWidget(console)
    page = console.config
    assert page is not None and page.points[0].label == "送风温度"
    page.table.item(0, 4).setText("abc")  # type: ignore[union-attr]
    page.save()
    assert page.message.text() == "第 1 行「上限告警」列：“abc”不是数字"
    page.table.item(0, 4).setText("40")  # type: ignore[union-attr]
    page.save()
    assert page.message.text() == "第 1 行「上限严重」列：32 不能小于「上限告警」40"
    with data.session() as s:
        assert s.get(MonPoint, point_id("main", "ac-1", "supply_temp")).high_warning == 27.0  # type: ignore[union-attr]
    page.table.item(0, 4).setText("26")  # type: ignore[union-attr]
    page.save()
    assert page.message.text() == "阈值已保存"
    with data.session() as s:
        assert s.get(MonPoint, point_id("main", "ac-1", "supply_temp")).high_warning == 26.0  # type: ignore[union-attr]
