"""One device: its points with the latest value, quality, thresholds and time of reading, and its active alarms."""

from __future__ import annotations

from apps.common.qt import QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, Signal
from apps.machine_room.data import MonitorData, shown_unit
from core.monitoring.queries import LOCAL_TZ

HEADERS = ("测点", "数值", "单位", "数据质量", "告警上限", "严重上限", "读取时间")
QUALITY = {"good": "正常", "stale": "过时", "bad": "无效", "": "未读取"}


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class DevicePage(QWidget):
    back = Signal()

    def __init__(self, data: MonitorData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.device = ""
        layout = QVBoxLayout(self)
        self.back_button = QPushButton("← 返回机房平面")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.points = QTableWidget(0, len(HEADERS))
        self.points.setHorizontalHeaderLabels(list(HEADERS))
        self.points.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.points.setStyleSheet("font-size: 14pt;")
        self.alarms = QLabel()
        self.alarms.setStyleSheet("font-size: 14pt;")
        self.alarms.setWordWrap(True)
        for widget in (self.back_button, self.title, self.points, self.alarms):
            layout.addWidget(widget)
        self.back_button.clicked.connect(self.back.emit)

    def show_device(self, device: str) -> None:
        self.device = device
        self.refresh()

    def refresh(self) -> None:
        tile = next((t for t in self._data.tiles() if t.device == self.device), None)
        if tile is None:
            self.title.setText(f"{self.device}（已不在本机房）")
            self.points.setRowCount(0)
            return
        self.title.setText(f"{tile.device}　{tile.state_text}")
        limits = {p.id: dict(p.limits) for p in self._data.points()}
        self.points.setRowCount(len(tile.values))
        for r, v in enumerate(tile.values):
            own = limits.get(v.point_id, {})
            cells = (v.label, v.text or _number(v.value), shown_unit(v.unit), QUALITY.get(v.quality, v.quality),
                     _number(own.get("上限告警")), _number(own.get("上限严重")),
                     v.at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M:%S") if v.at else "")
            for c, text in enumerate(cells):
                self.points.setItem(r, c, QTableWidgetItem(text))
        self.points.resizeColumnsToContents()
        alarms = [a for a in self._data.alarms() if a.device == self.device]
        self.alarms.setText("当前告警：" + ("；".join(f"{a.raised} {a.severity_text} {a.what}" for a in alarms)
                                          if alarms else "无"))
