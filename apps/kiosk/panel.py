"""The virtual seat panel: N seats with their keys, pressed by hand in the demo.

Each cell sends exactly the events a seat terminal would (sign-in key, request to speak, vote keys),
through the same feed as the console, so the rules cannot tell the panel from the hall.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.common.qt import (
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role
from apps.kiosk.console import choice_label
from apps.kiosk.seatface import CHOICES, SeatActions, can_vote, seat_entry
from apps.kiosk.source import ConferenceFeed
from apps.kiosk.widgets import SEAT_COLOURS, current_vote, kiosk_face, label, seat_state, seat_state_label

PANEL_QSS = "QPushButton { font-size: 12pt; padding: 4px 6px; min-height: 1.3em; }"


class SeatCell(QFrame):
    """One virtual terminal: its state and its five keys."""

    def __init__(self, feed: ConferenceFeed, seat: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions_ = SeatActions(feed, seat)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.header = QLabel()
        self.header.setMinimumHeight(30)
        self.sign_in = QPushButton()
        self.sign_in.clicked.connect(self.actions_.sign_in)
        self.speak = QPushButton()
        self.speak.clicked.connect(self.actions_.speak)
        self.votes: dict[str, QPushButton] = {}
        keys = QGridLayout()
        keys.setSpacing(4)
        keys.addWidget(self.sign_in, 0, 0)
        keys.addWidget(self.speak, 0, 1, 1, 2)
        for col, choice in enumerate(CHOICES):
            button = QPushButton()
            button.clicked.connect(self._voter(choice))
            self.votes[choice] = button
            keys.addWidget(button, 1, col)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addLayout(keys)

    @property
    def seat(self) -> int:
        return self.actions_.seat

    def _voter(self, choice: str) -> Callable[[], None]:
        return lambda: self.actions_.vote(choice)

    def retranslate(self) -> None:
        self.sign_in.setText(self.tr("报到"))
        for choice, button in self.votes.items():
            button.setText(choice_label(choice))

    def update_from(self, snap: dict[str, Any]) -> None:
        entry = seat_entry(snap, self.seat) or {}
        state = seat_state(entry, current_vote(snap) is not None) if entry else "absent"
        bg, fg = SEAT_COLOURS[state]
        self.header.setText(f" {self.seat}  {entry.get('name', '')} · {seat_state_label(state)}")
        self.header.setStyleSheet(f"background: {bg}; color: {fg}; font-size: 13pt; font-weight: bold;"
                                  "border-radius: 4px;")
        present = entry.get("state") == "present"
        self.sign_in.setEnabled(bool(entry) and not present)
        self.speak.setEnabled(present)
        self.speak.setText(self.tr("取消发言") if entry.get("queued") or entry.get("speaking") else self.tr("发言"))
        live = can_vote(snap, self.seat)
        for button in self.votes.values():
            button.setEnabled(live)


class SeatPanel(QWidget):
    """A window of virtual seat terminals for the demo."""

    def __init__(self, feed: ConferenceFeed, seats: list[int] | None = None, columns: int = 5,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SeatPanel")
        kiosk_face(self)
        self.setStyleSheet(self.styleSheet() + PANEL_QSS)
        self.feed = feed
        numbers = seats if seats is not None else [int(s["seat"]) for s in feed.snapshot.get("seats", [])]
        self.title = label("k-head")
        self.hint = set_role(QLabel(), "hint")
        self.hint.setWordWrap(True)
        self.all_in = QPushButton()
        self.all_in.clicked.connect(self.sign_in_all)
        self.cells: dict[int, SeatCell] = {}
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setSpacing(8)
        for n, seat in enumerate(numbers):
            cell = SeatCell(feed, seat)
            self.cells[seat] = cell
            grid.addWidget(cell, n // columns, n % columns)
        grid.setRowStretch(len(numbers) // columns + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        set_role(scroll, "plain")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.all_in)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        feed.changed.connect(self.update_from)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("虚拟席位面板"))
        self.title.setText(self.tr("虚拟席位面板（演示用）"))
        self.hint.setText(self.tr("每一格是一台席位表决器：按键发出的事件与会场的表决器完全相同。"))
        self.all_in.setText(self.tr("全部报到"))
        for cell in self.cells.values():
            cell.retranslate()
        self.update_from(self.feed.snapshot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def update_from(self, snap: dict[str, Any]) -> None:
        for cell in self.cells.values():
            cell.update_from(snap)

    def sign_in_all(self) -> None:
        for seat, cell in self.cells.items():
            entry = seat_entry(self.feed.snapshot, seat)
            if entry is not None and entry.get("state") != "present":
                cell.actions_.sign_in()
