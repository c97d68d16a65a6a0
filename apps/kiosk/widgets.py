"""Pieces shared by the kiosk's faces: the style, the seat map, and small formatting helpers."""

from __future__ import annotations

from typing import Any

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role

# Seat states on the map, the colours the hall knows them by, and their legend text.
SEAT_COLOURS: dict[str, tuple[str, str]] = {
    "absent": ("#d5dbe1", "#3e4c59"),
    "present": ("#2e7d32", "#ffffff"),
    "requesting": ("#f9a825", "#1f2933"),
    "speaking": ("#c62828", "#ffffff"),
    "voted": ("#1565c0", "#ffffff"),
    "fault": ("#4a148c", "#ffffff"),
}
SEAT_STATE_LABELS: dict[str, str] = {
    "absent": QT_TRANSLATE_NOOP("SeatMap", "未报到"),
    "present": QT_TRANSLATE_NOOP("SeatMap", "已报到"),
    "requesting": QT_TRANSLATE_NOOP("SeatMap", "申请发言"),
    "speaking": QT_TRANSLATE_NOOP("SeatMap", "发言中"),
    "voted": QT_TRANSLATE_NOOP("SeatMap", "已表决"),
    "fault": QT_TRANSLATE_NOOP("SeatMap", "故障"),
}

KIOSK_QSS = """
QWidget[kiosk="true"] { background: #f5f7fa; }
QLabel[role="k-title"] { font-size: 26pt; font-weight: bold; color: #8b1a1a; }
QLabel[role="k-head"] { font-size: 18pt; font-weight: bold; color: #1f2933; }
QLabel[role="k-big"] { font-size: 22pt; font-weight: bold; }
QLabel[role="k-text"] { font-size: 16pt; }
QLabel[role="k-status"] { font-size: 14pt; color: #b00020; }
QLabel[role="k-ok"] { font-size: 22pt; font-weight: bold; color: #1e7b34; }
QLabel[role="k-warn"] { font-size: 22pt; font-weight: bold; color: #b00020; }
QPushButton { font-size: 16pt; padding: 8px 16px; min-height: 1.6em; }
QPushButton[role="k-danger"] { background: #c62828; color: #ffffff; border-color: #8e0000; font-weight: bold; }
QPushButton[role="k-primary"] { background: #1d5fa6; color: #ffffff; border-color: #174d87; font-weight: bold; }
QPushButton:disabled { background: #eef1f4; color: #9aa5b1; border-color: #cbd2d9; }
QGroupBox { font-size: 16pt; }
QComboBox, QSpinBox, QLineEdit, QCheckBox { font-size: 15pt; }
QListWidget { background: #ffffff; font-size: 18pt; }
"""


def kiosk_face(widget: QWidget) -> None:
    """Give a face the kiosk style (large type) whether it is shown alone or inside the kiosk."""
    widget.setProperty("kiosk", "true")
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    widget.setStyleSheet(KIOSK_QSS)


def label(role: str, text: str = "", wrap: bool = False) -> QLabel:
    widget = set_role(QLabel(text), role)
    widget.setWordWrap(wrap)
    return widget


def seat_state(seat: dict[str, Any], vote_open: bool) -> str:
    """The one state a seat shows on the map; a vote shows only *that* a seat voted, never how."""
    if seat.get("health", "ok") != "ok":
        return "fault"
    if seat.get("speaking"):
        return "speaking"
    if seat.get("queued"):
        return "requesting"
    if vote_open and seat.get("voted"):
        return "voted"
    return "present" if seat.get("state") == "present" else "absent"


def seat_state_label(state: str) -> str:
    return QCoreApplication.translate("SeatMap", SEAT_STATE_LABELS[state])


def names_by_seat(snapshot: dict[str, Any]) -> dict[int, str]:
    return {int(s["seat"]): str(s["name"]) for s in snapshot.get("seats", [])}


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def current_vote(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    current = snapshot.get("voting", {}).get("current")
    return current if isinstance(current, dict) else None


def last_result(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    results = snapshot.get("voting", {}).get("results", [])
    return results[-1] if results else None


class SeatTile(QLabel):
    """One seat: number and member's name, coloured by state."""

    def __init__(self, seat: int, font_pt: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seat = seat
        self.state = ""
        self.font_pt = font_pt
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(font_pt * 4, font_pt * 3)

    def show_seat(self, seat: dict[str, Any], state: str) -> None:
        name = str(seat.get("name", ""))
        chair = "★" if seat.get("chair") else ""
        self.setText(f"{chair}{self.seat}\n{name}")
        self.setAccessibleName(f"{self.seat} {name} {seat_state_label(state)}")
        self.setToolTip(seat_state_label(state))
        if state != self.state:
            self.state = state
            bg, fg = SEAT_COLOURS[state]
            self.setStyleSheet(
                f"background: {bg}; color: {fg}; border-radius: 6px; font-size: {self.font_pt}pt; font-weight: bold;"
            )


class SeatMap(QFrame):
    """The hall's seats in rows, coloured by state, with a legend."""

    def __init__(self, columns: int = 10, font_pt: int = 13, legend: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.font_pt = font_pt
        self.tiles: dict[int, SeatTile] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.grid, 1)
        self.legend_labels: dict[str, QLabel] = {}
        if legend:
            row = QHBoxLayout()
            for state, (bg, fg) in SEAT_COLOURS.items():
                item = QLabel()
                item.setStyleSheet(f"background: {bg}; color: {fg}; font-size: {max(font_pt - 1, 12)}pt;"
                                   " padding: 3px 10px; border-radius: 4px;")
                self.legend_labels[state] = item
                row.addWidget(item)
            row.addStretch(1)
            outer.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        for state, item in self.legend_labels.items():
            item.setText(seat_state_label(state))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def update_from(self, snapshot: dict[str, Any]) -> None:
        vote_open = current_vote(snapshot) is not None
        seats = snapshot.get("seats", [])
        if [s["seat"] for s in seats] != list(self.tiles):
            self._rebuild([int(s["seat"]) for s in seats])
        for seat in seats:
            self.tiles[int(seat["seat"])].show_seat(seat, seat_state(seat, vote_open))

    def _rebuild(self, numbers: list[int]) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}
        for n, seat in enumerate(numbers):
            tile = SeatTile(seat, self.font_pt, self)
            self.grid.addWidget(tile, n // self.columns, n % self.columns)
            self.tiles[seat] = tile

    def states(self) -> dict[int, str]:
        """Seat → state shown (for tests and the accessibility tree)."""
        return {seat: tile.state for seat, tile in self.tiles.items()}
