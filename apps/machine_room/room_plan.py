"""The room plan: one large tile per device with its live values; state in colour and in words.

A device's place comes from the room file (``row`` / ``column``); devices without one follow in reading order.
A tile shows the points in alarm first, then the measured values, at most :data:`MAX_LINES` lines; the device
page has them all.
"""

from __future__ import annotations

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QMouseEvent,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.machine_room.data import DeviceTile, MonitorData, shown_unit
from core.monitoring.queries import LiveValue

COLOURS = {  # background, text: strong enough to read across the room
    "normal": ("#1e7b34", "#ffffff"),
    "warning": ("#f0a30a", "#000000"),
    "critical": ("#c62828", "#ffffff"),
    "lost": ("#616161", "#ffffff"),
}
STATE_WORDS = {"normal": QT_TRANSLATE_NOOP("RoomPlan", "正常"), "warning": QT_TRANSLATE_NOOP("RoomPlan", "告警"),
               "critical": QT_TRANSLATE_NOOP("RoomPlan", "严重"), "lost": QT_TRANSLATE_NOOP("RoomPlan", "通信中断")}
COLUMNS = 4
MAX_LINES = 6


def state_word(state: str) -> str:
    return QCoreApplication.translate("RoomPlan", STATE_WORDS.get(state, state))


def value_text(v: LiveValue) -> str:
    """The value as shown: a number, a text, 是 / 否 for a state, — when never read."""
    if v.value is None and not v.text:
        return "—"
    if v.kind == "bool" and v.value is not None:
        return QCoreApplication.translate("RoomPlan", "是") if v.value else QCoreApplication.translate("RoomPlan", "否")
    return v.text or f"{v.value:g}"


def _shown(values: list[LiveValue]) -> list[LiveValue]:
    """Points in alarm, then measured numbers, then states that are on; the rest only on the device page."""
    def rank(v: LiveValue) -> int:
        if v.level:
            return 0
        if v.kind != "bool":
            return 1
        return 2 if v.value else 3
    ordered = sorted(values, key=rank)
    if len(ordered) > MAX_LINES:
        ordered = [v for v in ordered if rank(v) < 3][:MAX_LINES]
    return ordered


class Tile(QFrame):
    clicked = Signal(str)

    def __init__(self, tile: DeviceTile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device = tile.device
        self.setObjectName(f"tile_{tile.device}")
        self.setToolTip(self.tr("点击查看设备详情"))
        self.state = tile.state
        back, fore = COLOURS[tile.state]
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ background: {back}; border-radius: 8px; }}"
                           f" QLabel {{ color: {fore}; }}")
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<b>{tile.title}</b>　{state_word(tile.state)}")
        self.title.setStyleSheet("font-size: 20pt;")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        lines = []
        shown = _shown(tile.values)
        for v in shown:
            text = value_text(v)
            old = self.tr("（旧值）") if v.quality in ("stale", "bad") and text != "—" else ""  # stopped answering
            lines.append(f"{v.label}：{text} {shown_unit(v.unit)}".rstrip() + old)
        if len(shown) < len(tile.values):
            lines.append(self.tr("……共 {n} 个测点，点击查看").format(n=len(tile.values)))
        self.values = QLabel("\n".join(lines) or self.tr("等待数据"))
        self.values.setStyleSheet("font-size: 15pt;")
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
        tiles = self._data.tiles()
        taken = {t.position for t in tiles if t.position is not None}
        free = ((r, c) for r in range(1, 1000) for c in range(1, COLUMNS + 1) if (r, c) not in taken)
        for tile in tiles:
            row, column = tile.position or next(free)
            widget = Tile(tile)
            widget.clicked.connect(self.opened.emit)
            self.tiles[tile.device] = widget
            grid.addWidget(widget, row - 1, column - 1)
        if not self.tiles:
            grid.addWidget(QLabel(self.tr("本机房尚未配置设备")), 0, 0)
        self.setWidget(inner)
