"""One device: its points with the latest value, quality, thresholds and time of reading, and its active alarms."""

from __future__ import annotations

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.machine_room.data import MonitorData, shown_unit
from apps.machine_room.room_plan import state_word, value_text
from core.monitoring.queries import LOCAL_TZ

HEADERS = (QT_TRANSLATE_NOOP("DevicePage", "测点"), QT_TRANSLATE_NOOP("DevicePage", "数值"),
           QT_TRANSLATE_NOOP("DevicePage", "单位"), QT_TRANSLATE_NOOP("DevicePage", "数据质量"),
           QT_TRANSLATE_NOOP("DevicePage", "告警上限"), QT_TRANSLATE_NOOP("DevicePage", "严重上限"),
           QT_TRANSLATE_NOOP("DevicePage", "读取时间"))
QUALITY = {"good": QT_TRANSLATE_NOOP("DevicePage", "正常"), "stale": QT_TRANSLATE_NOOP("DevicePage", "过时"),
           "bad": QT_TRANSLATE_NOOP("DevicePage", "无效"), "": QT_TRANSLATE_NOOP("DevicePage", "未读取")}


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class DevicePage(QWidget):
    back = Signal()

    def __init__(self, data: MonitorData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.device = ""
        layout = QVBoxLayout(self)
        self.back_button = QPushButton(self.tr("← 返回机房平面"))
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.points = QTableWidget(0, len(HEADERS))
        self.points.setHorizontalHeaderLabels([QCoreApplication.translate("DevicePage", h) for h in HEADERS])
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
            self.title.setText(self.tr("{device}（已不在本机房）").format(device=self.device))
            self.points.setRowCount(0)
            return
        self.title.setText(f"{tile.title}　{state_word(tile.state)}")
        limits = {p.id: dict(p.limits) for p in self._data.points()}
        self.points.setRowCount(len(tile.values))
        for r, v in enumerate(tile.values):
            own = limits.get(v.point_id, {})
            quality = QCoreApplication.translate("DevicePage", QUALITY[v.quality]) if v.quality in QUALITY else v.quality
            cells = (v.label, "" if value_text(v) == "—" else value_text(v), shown_unit(v.unit), quality,
                     _number(own.get("上限告警")), _number(own.get("上限严重")),
                     v.at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M:%S") if v.at else "")
            for c, text in enumerate(cells):
                self.points.setItem(r, c, QTableWidgetItem(text))
        self.points.resizeColumnsToContents()
        alarms = [a for a in self._data.alarms() if a.device == self.device]
        self.alarms.setText(self.tr("当前告警：{alarms}").format(
            alarms="；".join(f"{a.raised} {state_word(a.severity)} {a.what}" for a in alarms) if alarms
            else self.tr("无")))
