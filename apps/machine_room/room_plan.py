"""The room plan: one large tile per device with its live values; state in colour and in words."""

from __future__ import annotations

from apps.common.qt import QFrame, QGridLayout, QLabel, QMouseEvent, QScrollArea, QVBoxLayout, QWidget, Signal
from apps.machine_room.data import DeviceTile, MonitorData, shown_unit

COLOURS = {  # background, text: strong enough to read across the room
    "normal": ("#1e7b34", "#ffffff"),
    "warning": ("#f0a30a", "#000000"),
    "critical": ("#c62828", "#ffffff"),
    "lost": ("#616161", "#ffffff"),
}
COLUMNS = 4


class Tile(QFrame):
    clicked = Signal(str)

    def __init__(self, tile: DeviceTile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device = tile.device
        self.setObjectName(f"tile_{tile.device}")
        self.setToolTip("点击查看设备详情")
        self.state = tile.state
        back, fore = COLOURS[tile.state]
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ background: {back}; border-radius: 8px; }}"
                           f" QLabel {{ color: {fore}; }}")
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<b>{tile.device}</b>　{tile.state_text}")
        self.title.setStyleSheet("font-size: 22pt;")
        layout.addWidget(self.title)
        lines = []
        for v in tile.values:
            shown = "—" if v.value is None and not v.text else (v.text or f"{v.value:g}")
            old = "（旧值）" if v.quality in ("stale", "bad") and shown != "—" else ""  # the device stopped answering
            lines.append(f"{v.label}：{shown} {shown_unit(v.unit)}".rstrip() + old)
        self.values = QLabel("\n".join(lines) or "无测点")
        self.values.setStyleSheet("font-size: 16pt;")
        layout.addWidget(self.values)
        layout.addStretch(1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.device)
        super().mouseReleaseEvent(event)


class RoomPlan(QScrollArea):
    opened = Signal(str)  # a device's tile was clicked

    def __init__(self, data: MonitorData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.setWidgetResizable(True)
        self.tiles: dict[str, Tile] = {}
        self.reload()

    def reload(self) -> None:
        inner = QWidget()
        grid = QGridLayout(inner)
        self.tiles = {}
        for n, tile in enumerate(self._data.tiles()):
            widget = Tile(tile)
            widget.clicked.connect(self.opened.emit)
            self.tiles[tile.device] = widget
            grid.addWidget(widget, n // COLUMNS, n % COLUMNS)
        if not self.tiles:
            grid.addWidget(QLabel("本机房尚未配置设备"), 0, 0)
        self.setWidget(inner)
