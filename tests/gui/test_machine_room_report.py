"""The console's 报表 page: a day's figures in the tables, a refusal in Chinese, the PDF exported to a file."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.machine_room.data import MonitorData
from apps.machine_room.report_page import ReportPage
from apps.machine_room.window import MachineRoomConsole
from core.db import make_engine, migrate
from core.monitoring.history import HistoryWriter
from core.monitoring.models import COMM, CRITICAL, HIGH, WARNING, MonAlarm, MonPoint, alarm_id, point_id
from core.sync.client import LocalStore

DAY = date(2026, 12, 4)
T0 = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 2026-12-04 00:00 in Shanghai


@pytest.fixture
def data(tmp_path: Path) -> MonitorData:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        inlet = MonPoint(id=point_id("main", "th-1", "inlet_temp"), room="main", device="th-1", key="inlet_temp",
                         label="进风温度", unit="℃", low_warning=18.0, high_warning=27.0, deadband=0.1)
        s.add(inlet)
        s.flush()
        writer.track(s, inlet)
        for m in range(24 * 60):
            writer.add(inlet.id, T0 + timedelta(minutes=m), 28.0 if m < 144 else 22.0)
        writer.flush(s, T0 + timedelta(days=1, minutes=1))
        s.add(MonAlarm(id=alarm_id("main", 1), room="main", ordinal=1, device="th-1", point_key="inlet_temp",
                       point_id=inlet.id, kind=HIGH, severity=WARNING, raised_at=T0, value=28.0, threshold=27.0,
                       message="进风温度超上限 27℃", cleared_at=T0 + timedelta(minutes=144),
                       acked_at=T0 + timedelta(minutes=5), acked_by="machineroom", ack_comment="已开启备用空调"))
        s.add(MonAlarm(id=alarm_id("main", 2), room="main", ordinal=2, device="ups-1", point_key="_comm", kind=COMM,
                       severity=CRITICAL, raised_at=T0 + timedelta(hours=6), cleared_at=T0 + timedelta(hours=7)))
    return MonitorData(store.session)


def _cells(page: ReportPage, key: str) -> list[list[str]]:
    table = page.tables[key]
    return [[table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
            for r in range(table.rowCount())]


def test_the_page_shows_the_days_figures(qtbot: QtBot, data: MonitorData) -> None:
    page = ReportPage(data, today=lambda: DAY)
    qtbot.addWidget(page)
    assert not page.export_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        page.show_button.click()
    assert page.heading.text() == "2026年12月4日机房运行日报（main）"  # no room file here: the id
    assert ["ups-1", "1小时", f"{100 * 23 / 24:.2f}%"] in _cells(page, "availability")
    assert ["超上限", "告警", "1", "2小时24分", "2小时24分"] in _cells(page, "alarms")
    assert _cells(page, "climate") == [["th-1", "进风温度", "18～27 °C", "22.0", "22.6", "28.0", "90.00%"]]
    rows = _cells(page, "list")
    assert rows[0][:2] == ["00:00:00", "th-1"] and rows[0][5:] == ["machineroom", "已开启备用空调"]
    assert rows[1][1:4] == ["ups-1", "通信中断", "严重"] and rows[1][5] == "未确认"
    assert "告警 2 条，其中严重 1 条" in page.summary.text() and "90.00%" in page.summary.text()
    assert page.export_button.isEnabled() and page.preview_button.isEnabled()


def test_a_period_without_data_is_refused_in_chinese(qtbot: QtBot, data: MonitorData) -> None:
    page = ReportPage(data, today=lambda: DAY)
    qtbot.addWidget(page)
    page.choose("main", month=(2026, 10))
    assert page.period() == {"month": (2026, 10)} and page.date.displayFormat() == "yyyy-MM"
    with qtbot.waitSignal(page.refused) as refused:
        page.reload()
    assert "没有任何读数或告警" in refused.args[0] and page.message.text() == refused.args[0]
    assert page.report is None and not page.export_button.isEnabled()


def test_export_writes_the_pdf(qtbot: QtBot, data: MonitorData, tmp_path: Path) -> None:
    page = ReportPage(data, today=lambda: DAY)
    qtbot.addWidget(page)
    page.choose("main", month=(2026, 12))
    with qtbot.waitSignal(page.loaded):
        page.reload()
    assert page.heading.text().startswith("2026年12月机房运行月报")
    out = tmp_path / "月报.pdf"
    with qtbot.waitSignal(page.exported):
        page.export_to(out)
    assert out.read_bytes().startswith(b"%PDF") and str(out) in page.message.text()
    exe = shutil.which("pdftotext")
    if exe is not None:
        text = subprocess.run([exe, "-enc", "UTF-8", str(out), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert "2026年12月机房运行月报" in re.sub(r"\s+", "", text)


def test_the_console_has_a_report_tab(qtbot: QtBot, data: MonitorData) -> None:
    console = MachineRoomConsole(data, "machineroom")
    qtbot.addWidget(console)
    assert console.tabText(console.indexOf(console.report)) == "报表"
    assert console.report.room.currentData() == "main"


def test_the_page_names_the_room_from_the_room_file(qtbot: QtBot, data: MonitorData, tmp_path: Path) -> None:
    room_file = tmp_path / "主机房.toml"
    room_file.write_text('[room]\nid = "main"\nname = "机关主机房"\n\n[[device]]\nid = "th-1"\n'
                         'address = "modbus-tcp://192.0.2.1?unit=1&map=temp-humidity"\n', encoding="utf-8")
    named = MonitorData(data.session, config=room_file)
    page = ReportPage(named, today=lambda: DAY)
    qtbot.addWidget(page)
    assert page.room.currentText() == "机关主机房（main）"
    with qtbot.waitSignal(page.loaded):
        page.show_button.click()
    assert page.heading.text() == "2026年12月4日机房运行日报（机关主机房）"
