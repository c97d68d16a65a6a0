"""The 机房监控 console: the room plan and the alarm list on the local synced database, refreshed every 5 s."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QStackedWidget, QTabWidget, QTimer, QWidget
from apps.common.shell import AppShell
from apps.machine_room.alarms_page import AlarmsPage
from apps.machine_room.config_page import ConfigPage
from apps.machine_room.data import MonitorData
from apps.machine_room.demo_room import CONFIG_ENV, DB_ENV
from apps.machine_room.device_page import DevicePage
from apps.machine_room.devices_page import DevicesPage
from apps.machine_room.report_page import ReportPage
from apps.machine_room.room_plan import RoomPlan
from apps.machine_room.trend_page import TrendPage
from core.auth.roles import P_MACHINE_ROOM_CONFIG
from core.models.base import utcnow

REFRESH_MS = 5000


class MachineRoomConsole(QTabWidget):
    def __init__(self, data: MonitorData, user: str, now: Callable[[], datetime] = utcnow,
                 administrator: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("QTabBar::tab { font-size: 16pt; padding: 8px 20px; }")
        self.plan = RoomPlan(data)
        self.device = DevicePage(data)
        self.room = QStackedWidget()  # the plan, and the device opened from it
        self.room.addWidget(self.plan)
        self.room.addWidget(self.device)
        self.plan.opened.connect(self.open_device)
        self.device.back.connect(lambda: self.room.setCurrentWidget(self.plan))
        self.alarms = AlarmsPage(data, lambda: user)
        self.addTab(self.room, self.tr("机房平面"))
        self.trends = TrendPage(data, now)
        self.addTab(self.alarms, self.tr("告警"))
        self.addTab(self.trends, self.tr("趋势"))
        self.report = ReportPage(data)
        self.addTab(self.report, self.tr("报表"))
        self.config: ConfigPage | None = None
        self.devices: DevicesPage | None = None
        if administrator:  # the others do not see the editors at all
            self.config = ConfigPage(data, lambda: user)
            self.addTab(self.config, self.tr("阈值设置"))
            self.devices = DevicesPage(data, lambda: user)
            self.addTab(self.devices, self.tr("设备配置"))
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self.timer.start()

    def open_device(self, device: str) -> None:
        self.device.show_device(device)
        self.setCurrentWidget(self.room)
        self.room.setCurrentWidget(self.device)

    def reload(self) -> None:
        self.plan.reload()
        if self.room.currentWidget() is self.device:
            self.device.refresh()
        self.alarms.reload()


def console_data(context: ClientContext, db_url: str | None = None, config: Path | None = None) -> MonitorData:
    """The console's data: the signed-in user's synced store, or — on the collector's own computer — the
    collector's database (``RENDA_MONITOR_DB``, which alone has the live values) and its room file
    (``RENDA_MONITOR_CONFIG``: names, places on the plan, the devices editor)."""
    db_url = db_url if db_url is not None else os.environ.get(DB_ENV, "")
    config_text = os.environ.get(CONFIG_ENV, "") if config is None else str(config)
    session = context.store.session
    if db_url:
        from sqlalchemy.orm import sessionmaker

        from core.db import make_engine

        session = sessionmaker(bind=make_engine(db_url), expire_on_commit=False)
    return MonitorData(session, config=Path(config_text) if config_text else None)


def create_window(context: ClientContext, data: MonitorData | None = None) -> QWidget:
    shell = AppShell(context, title=("MachineRoomWindow", QT_TRANSLATE_NOOP("MachineRoomWindow", "机房监控")))
    shell.setObjectName("AppShell_machine_room")
    shell.help_topic = "machine_room"
    console = MachineRoomConsole(data or console_data(context), context.user.username,
                                 administrator=P_MACHINE_ROOM_CONFIG in context.user.permissions)
    context.sync.finished.connect(lambda *_: console.reload())
    shell.set_page(console)
    return shell
