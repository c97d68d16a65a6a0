"""The administrator's device editor: add, refuse bad input (nothing saved), edit, remove; audited; hidden for others."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apps.common.qt import QLineEdit, Qt
from apps.machine_room.data import MonitorData
from apps.machine_room.devices_page import DevicesPage
from apps.machine_room.window import MachineRoomConsole
from core.db import make_engine, migrate
from core.models import AuditEntry
from core.sync.client import LocalStore
from devices.monitor.config import load_room

ROOM = """[room]
id = "main"
name = "机关主机房"
live_every = 15

[[device]]
id = "ac-1"
name = "1 号精密空调"
address = "modbus-tcp://192.0.2.10:502?unit=1&map=precision-ac"
interval = 2
row = 1
column = 1

[[device]]
id = "ups-1"
name = "1 号 UPS"
address = "nut://192.0.2.20/ups1"
interval = 5
"""


@pytest.fixture
def data(tmp_path: Path) -> MonitorData:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    (tmp_path / "room.toml").write_text(ROOM, encoding="utf-8")
    return MonitorData(LocalStore(engine, tmp_path / "blobs").session, config=tmp_path / "room.toml")


def _fill(page: DevicesPage, qtbot: QtBot, **values: str) -> None:
    for key, text in values.items():
        if key == "model":
            page.model.setEditText(text)
            continue
        widget = page.inputs[key]
        assert isinstance(widget, QLineEdit)
        widget.clear()
        if text.isascii():
            qtbot.keyClicks(widget, text)  # typed, as the administrator would
        else:
            widget.setText(text)  # QTest cannot type Chinese


def _audit(data: MonitorData) -> list[str]:
    with data.session() as s:
        return [a for a in s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq))
                if a.startswith("monitor.device")]


def test_the_administrator_adds_a_device_the_collector_reads(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "admin", administrator=True)
    qtbot.addWidget(console)
    page = console.devices
    assert page is not None and console.indexOf(page) >= 0
    assert [page.list.item(i).text() for i in range(page.list.count())] == ["1 号精密空调（ac-1）", "1 号 UPS（ups-1）"]
    assert page.points.rowCount() > 10  # the precision-ac model's points, listed before any reading
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    _fill(page, qtbot, id="th-3", name="C 列冷通道", address="modbus-tcp://192.0.2.30:502?unit=3", interval="2",
          timeout="1.5", row="1", column="2")
    page.model.setCurrentIndex(page.model.findData("temp-humidity"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "已保存" in page.message.text()
    room = load_room(data.config_path)  # type: ignore[arg-type]  # the collector's own parser
    spec = room.device("th-3")
    assert spec.address == "modbus-tcp://192.0.2.30:502?unit=3&map=temp-humidity"
    assert (spec.interval, spec.options) == (2.0, {"timeout": 1.5})
    assert room.names["th-3"] == "C 列冷通道" and room.position("th-3") == (1, 2)
    assert _audit(data) == ["monitor.device.add"]
    assert {r[0] for r in data.device_points("th-3")} >= {"temperature", "humidity"}
    console.reload()  # as the 5 s refresh does: the new device has its tile on the plan, in its place
    assert "th-3" in console.plan.tiles


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"address": "modbus-tcp://192.0.2.30:70000?unit=1"}, "address", "地址有误"),
    ({"address": "http://192.0.2.30/"}, "address", "不支持的设备地址类型"),
    ({"model": "toaster"}, "model", "没有型号“toaster”"),
    ({"name": "1 号 UPS"}, "name", "已被另一台设备使用"),
    ({"id": "ups-1"}, "id", "编号 ups-1 已被另一台设备使用"),
    ({"id": "Th 3"}, "id", "编号只能用小写字母"),
    ({"interval": "0"}, "interval", "采集周期必须是 0.05–86400 秒之间的数"),
    ({"interval": "五秒"}, "interval", "采集周期必须是"),
    ({"timeout": "600"}, "timeout", "超时必须是 0.1–60 秒"),
    ({"row": "1", "column": "1"}, "row", "已经放了“1 号精密空调”"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(qtbot: QtBot, data: MonitorData,
                                                                 values: dict[str, str], field: str, words: str) -> None:
    page = DevicesPage(data, lambda: "admin")
    qtbot.addWidget(page)
    before = data.config_path.read_bytes()  # type: ignore[union-attr]
    page.new_device()
    good = {"id": "th-3", "name": "C 列冷通道", "address": "modbus-tcp://192.0.2.30:502?unit=3", "interval": "2",
            "model": "temp-humidity"}
    _fill(page, qtbot, **{**good, **values})
    page.save()
    assert words in page.errors[field].text() and not page.errors[field].isHidden()
    assert page.message.text().startswith("未保存")
    assert data.config_path.read_bytes() == before  # type: ignore[union-attr]
    assert _audit(data) == []


def test_edit_then_remove_a_device(qtbot: QtBot, data: MonitorData) -> None:
    page = DevicesPage(data, lambda: "admin")
    qtbot.addWidget(page)
    page.list.setCurrentRow(1)
    assert page.editing == "ups-1" and not page.inputs["id"].isEnabled()
    _fill(page, qtbot, name="1 号 UPS（机房东侧）", interval="10", row="2", column="1")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    room = load_room(data.config_path)  # type: ignore[arg-type]
    assert room.names["ups-1"] == "1 号 UPS（机房东侧）" and room.device("ups-1").interval == 10.0
    assert room.live_every == 15  # the room's own settings are kept
    assert room.position("ups-1") == (2, 1)
    page.list.setCurrentRow(0)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "已删除设备 ac-1" in page.message.text()
    room = load_room(data.config_path)  # type: ignore[arg-type]
    assert [d.id for d in room.devices] == ["ups-1"]
    page.list.setCurrentRow(0)
    page.remove_selected()  # the last one stays: the collector needs a device
    assert "最后一台不能删除" in page.message.text()
    assert _audit(data) == ["monitor.device.edit", "monitor.device.remove"]


def test_the_editor_is_hidden_for_the_operator(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    assert console.devices is None and console.config is None
    assert "设备配置" not in [console.tabText(i) for i in range(console.count())]
