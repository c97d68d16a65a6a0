"""The seat face for touch-screen seats: sign in, ask for the floor, vote yes / no / abstain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.common.qt import QEvent, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from apps.common.theme import set_role
from apps.kiosk.console import choice_label
from apps.kiosk.source import ConferenceFeed, SentMessage
from apps.kiosk.widgets import current_vote, kiosk_face, label
from core.conference import events as ev

CHOICES = ("yes", "no", "abstain")
CHOICE_STYLE = {
    "yes": "background: #2e7d32; color: #ffffff;",
    "no": "background: #c62828; color: #ffffff;",
    "abstain": "background: #f9a825; color: #1f2933;",
}


def seat_entry(snapshot: dict[str, Any], seat: int) -> dict[str, Any] | None:
    return next((s for s in snapshot.get("seats", []) if int(s["seat"]) == seat), None)


class SeatActions:
    """What a seat terminal sends: the same events whether pressed on a touch screen or on the panel."""

    def __init__(self, feed: ConferenceFeed, seat: int) -> None:
        self.feed = feed
        self.seat = seat

    def sign_in(self) -> None:
        seat = self.seat
        self.feed.send(lambda t: ev.SeatKeyPressed(seat, t))

    def speak(self) -> None:
        seat = self.seat
        entry = seat_entry(self.feed.snapshot, seat) or {}
        if entry.get("queued") or entry.get("speaking"):
            self.feed.send(lambda t: ev.SpeakCancelled(seat, t))
        else:
            self.feed.send(lambda t: ev.SpeakRequested(seat, t))

    def vote(self, choice: str, question: int = 0) -> None:
        seat = self.seat
        self.feed.send(lambda t: ev.VoteCast(seat, t, choice, question))


def can_vote(snapshot: dict[str, Any], seat: int, question: int = 0) -> bool:
    """Vote keys are live only while a vote runs, only for a signed-in seat, not for a closed candidate,
    and (first press valid) only until the seat has pressed."""
    current = current_vote(snapshot)
    entry = seat_entry(snapshot, seat)
    if current is None or entry is None or entry.get("state") != "present" or entry.get("health", "ok") != "ok":
        return False
    questions = current.get("questions", [])
    if not 0 <= question < len(questions) or question in current.get("closed_questions", []):
        return False  # a candidate whose vote the chair has closed (person by person)
    first_press = current.get("settings", {}).get("press") == "first"
    return not (first_press and seat in questions[question].get("voted", []))


class SeatFace(QWidget):
    """One seat's touch screen."""

    def __init__(self, feed: ConferenceFeed, seat: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SeatFace")
        kiosk_face(self)
        self.feed = feed
        self.actions_ = SeatActions(feed, seat)
        self.snapshot: dict[str, Any] = {}
        self.question = 0
        self.title = label("k-head", wrap=True)
        self.who = label("k-title")
        self.state = label("k-big")
        self.sign_in_button = set_role(QPushButton(), "k-primary")
        self.sign_in_button.clicked.connect(self.actions_.sign_in)
        self.speak_button = QPushButton()
        self.speak_button.clicked.connect(self.actions_.speak)
        for button in (self.sign_in_button, self.speak_button):
            button.setMinimumHeight(90)
            button.setStyleSheet("QPushButton { font-size: 22pt; min-height: 80px; }")
        self.vote_title = label("k-big", wrap=True)
        self.question_label = label("k-big", wrap=True)
        self.prev_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.vote_buttons: dict[str, QPushButton] = {}
        votes = QHBoxLayout()
        for choice in CHOICES:
            button = QPushButton()
            button.setMinimumHeight(160)
            button.setStyleSheet(f"QPushButton {{ font-size: 30pt; min-height: 150px; }}"
                                 f"QPushButton:enabled {{ {CHOICE_STYLE[choice]} font-weight: bold; }}")
            button.clicked.connect(self._voter(choice))
            self.vote_buttons[choice] = button
            votes.addWidget(button)
        self.vote_state = label("k-big")
        self.message = label("k-text", wrap=True)
        self.message.setStyleSheet("background: #fff8e1; border: 1px solid #f0d58a; padding: 8px;")
        self.message.hide()
        top = QGridLayout()
        top.addWidget(self.who, 0, 0)
        top.addWidget(self.state, 0, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.sign_in_button)
        actions.addWidget(self.speak_button)
        question_row = QHBoxLayout()
        question_row.addWidget(self.prev_button)
        question_row.addWidget(self.question_label, 1)
        question_row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addSpacing(16)
        layout.addWidget(self.vote_title)
        layout.addLayout(question_row)
        layout.addLayout(votes)
        layout.addWidget(self.vote_state)
        layout.addWidget(self.message)
        layout.addStretch(1)
        feed.changed.connect(self.update_from)
        feed.messages_sent.connect(self._message)
        self.retranslate()

    @property
    def seat(self) -> int:
        return self.actions_.seat

    def _voter(self, choice: str) -> Callable[[], None]:
        return lambda: self.actions_.vote(choice, self.question)

    def retranslate(self) -> None:
        self.sign_in_button.setText(self.tr("报到"))
        for choice, button in self.vote_buttons.items():
            button.setText(choice_label(choice))
        self.update_from(self.feed.snapshot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _step(self, delta: int) -> None:
        current = current_vote(self.snapshot)
        count = len(current.get("questions", [])) if current else 1
        self.question = max(0, min(count - 1, self.question + delta))
        self.update_from(self.snapshot)

    def update_from(self, snap: dict[str, Any]) -> None:
        self.snapshot = snap
        entry = seat_entry(snap, self.seat) or {}
        self.title.setText(str(snap.get("title", "")))
        self.who.setText(self.tr("{seat} 号席 {name}").format(seat=self.seat, name=entry.get("name", "")))
        present = entry.get("state") == "present"
        self.state.setText(self.tr("已报到") if present else self.tr("未报到"))
        self.sign_in_button.setEnabled(bool(entry) and not present and not snap.get("closed"))
        self.speak_button.setEnabled(present)
        if entry.get("speaking"):
            self.speak_button.setText(self.tr("结束发言"))
        elif entry.get("queued"):
            self.speak_button.setText(self.tr("取消发言申请"))
        else:
            self.speak_button.setText(self.tr("申请发言"))
        current = current_vote(snap)
        questions = current.get("questions", []) if current else []
        if self.question >= max(len(questions), 1):
            self.question = 0
        many = len(questions) > 1
        for w in (self.prev_button, self.next_button, self.question_label):
            w.setVisible(many)
        live = can_vote(snap, self.seat, self.question)
        for button in self.vote_buttons.values():
            button.setEnabled(live)
        if current is None:
            self.vote_title.setText(self.tr("当前没有表决"))
            self.vote_state.setText("")
            return
        self.vote_title.setText(self.tr("表决：{title}").format(title=current["title"]))
        if many:
            self.question_label.setText(self.tr("第 {n} / {count} 项：{label}").format(
                n=self.question + 1, count=len(questions), label=questions[self.question]["label"]))
        voted = self.seat in questions[self.question].get("voted", []) if questions else False
        if not present:
            self.vote_state.setText(self.tr("请先报到再表决"))
        elif voted:
            self.vote_state.setText(self.tr("已表决"))
        else:
            self.vote_state.setText(self.tr("请按键表决"))

    def _message(self, sent: SentMessage) -> None:
        if not sent.seats or self.seat in sent.seats:
            self.message.setText(self.tr("会务通知：{text}").format(text=sent.text))
            self.message.show()
