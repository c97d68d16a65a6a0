"""The big screen of the hall: attendance, the floor, the countdown, results with the law, seat map."""

from __future__ import annotations

from typing import Any

from apps.common.qt import QCoreApplication, QEvent, QFrame, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget
from apps.kiosk.console import majority_label, result_counts, verdict_text
from apps.kiosk.source import ConferenceFeed
from apps.kiosk.widgets import SeatMap, current_vote, last_result, names_by_seat, seconds_text

BIG_QSS = """
QWidget#BigScreen { background: #10213a; }
QWidget#BigScreen QLabel { color: #ffffff; }
QWidget#BigScreen QFrame[panel="true"] { background: #1b3358; border-radius: 10px; }
QWidget#BigScreen QLabel[big="title"] { font-size: 34pt; font-weight: bold; color: #ffd54f; }
QWidget#BigScreen QLabel[big="caption"] { font-size: 20pt; color: #b3c7e6; }
QWidget#BigScreen QLabel[big="figure"] { font-size: 40pt; font-weight: bold; }
QWidget#BigScreen QLabel[big="text"] { font-size: 24pt; }
QWidget#BigScreen QLabel[big="countdown"] { font-size: 72pt; font-weight: bold; color: #ffd54f; }
QWidget#BigScreen QLabel[big="passed"] { font-size: 96pt; font-weight: bold; color: #69f0ae; }
QWidget#BigScreen QLabel[big="failed"] { font-size: 96pt; font-weight: bold; color: #ff8a80; }
QWidget#BigScreen QLabel[big="pending"] { font-size: 48pt; font-weight: bold; color: #ffd54f; }
QWidget#BigScreen QLabel[big="citation"] { font-size: 18pt; color: #dfe7f2; }
"""


def _big(kind: str, wrap: bool = False) -> QLabel:
    widget = QLabel()
    widget.setProperty("big", kind)
    widget.setWordWrap(wrap)
    return widget


def _restyle(widget: QLabel, kind: str) -> None:
    if widget.property("big") != kind:
        widget.setProperty("big", kind)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _panel() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("panel", "true")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 14, 20, 14)
    return frame, layout


class BigScreen(QWidget):
    """What the hall sees: nothing to press, everything readable from the back row."""

    def __init__(self, feed: ConferenceFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BigScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(BIG_QSS)
        self.feed = feed
        self.snapshot: dict[str, Any] = {}
        self.title = _big("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)

        attendance_panel, att = _panel()
        self.attendance_caption = _big("caption")
        self.attendance = _big("figure")
        self.quorum = _big("text", wrap=True)
        for w in (self.attendance_caption, self.attendance, self.quorum):
            att.addWidget(w)
        att.addStretch(1)

        floor_panel, floor = _panel()
        self.speaker_caption = _big("caption")
        self.speaker = _big("figure", wrap=True)
        self.queue = _big("text", wrap=True)
        for w in (self.speaker_caption, self.speaker, self.queue):
            floor.addWidget(w)
        floor.addStretch(1)

        vote_panel, vote = _panel()
        self.vote_caption = _big("caption")
        self.vote_title = _big("text", wrap=True)
        self.verdict = _big("pending")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counts = _big("text", wrap=True)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rule = _big("text", wrap=True)
        self.citation = _big("citation", wrap=True)
        for w in (self.vote_caption, self.vote_title, self.verdict, self.counts, self.rule, self.citation):
            vote.addWidget(w)
        vote.addStretch(1)

        self.seat_map = SeatMap(columns=12, font_pt=16, legend=True)
        left = QVBoxLayout()
        left.addWidget(attendance_panel)
        left.addWidget(floor_panel, 1)
        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addWidget(vote_panel, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addLayout(top, 3)
        layout.addWidget(self.seat_map, 2)
        feed.changed.connect(self.update_from)
        self.retranslate()

    def retranslate(self) -> None:
        self.attendance_caption.setText(self.tr("出席"))
        self.speaker_caption.setText(self.tr("正在发言"))
        self.update_from(self.feed.snapshot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def update_from(self, snap: dict[str, Any]) -> None:
        self.snapshot = snap
        names = names_by_seat(snap)
        self.title.setText(str(snap.get("title", "")))
        att = snap.get("attendance", {})
        self.attendance.setText(self.tr("{present} / {total} 人").format(
            present=att.get("present", 0), total=att.get("total", 0)))
        self.quorum.setText((self.tr("法定人数 {required} 人，已达到") if att.get("quorum_met") else
                             self.tr("法定人数 {required} 人，未达到")).format(required=att.get("quorum_required", 0)))
        floor = snap.get("speaking", {})
        speakers = floor.get("speakers", [])
        if speakers:
            parts = []
            for s in speakers:
                seat = int(s["seat"])
                left = self.feed.remaining(s.get("remaining_s"))
                time = f"  {seconds_text(left)}" if left is not None else ""
                parts.append(f"{seat} {names.get(seat, '')}{time}")
            self.speaker.setText("\n".join(parts))
        else:
            self.speaker.setText(self.tr("（无）"))
        queue = floor.get("queue", [])
        self.queue.setText(self.tr("排队：{names}").format(
            names="、".join(f"{seat} {names.get(int(seat), '')}" for seat in queue[:6]) + ("……" if len(queue) > 6 else ""))
            if queue else self.tr("排队：无"))
        self.seat_map.update_from(snap)
        self._update_vote(snap)

    def _update_vote(self, snap: dict[str, Any]) -> None:
        current = current_vote(snap)
        self.citation.setText("")
        self.rule.setText("")
        if current is not None:
            self.vote_caption.setText(self.tr("正在表决"))
            self.vote_title.setText(str(current["title"]))
            remaining = self.feed.remaining(current.get("remaining_s"))
            _restyle(self.verdict, "countdown")
            self.verdict.setText(seconds_text(remaining) if remaining is not None else
                                 seconds_text(current.get("elapsed_s")))
            voted = max((q["voted_count"] for q in current.get("questions", [])), default=0)
            self.counts.setText(self.tr("已表决 {voted} 人 · 出席 {present} 人").format(
                voted=voted, present=snap.get("attendance", {}).get("present", 0)))
            self.rule.setText(self.tr("通过需要：{rule}").format(
                rule=majority_label(str(current.get("settings", {}).get("majority", "")))))
            return
        result = last_result(snap)
        if result is None:
            self.vote_caption.setText(self.tr("表决"))
            self.vote_title.setText("")
            _restyle(self.verdict, "pending")
            self.verdict.setText(self.tr("尚未表决") if snap.get("open") else self.tr("会议尚未开始"))
            self.counts.setText("")
            return
        self.vote_caption.setText(self.tr("表决结果"))
        self.vote_title.setText(str(result["title"]))
        if not result.get("revealed", True):
            _restyle(self.verdict, "pending")
            self.verdict.setText(self.tr("结果待宣布"))
            self.counts.setText("")
            return
        questions = result.get("questions", [])
        if len(questions) == 1:
            passed = bool(questions[0]["passed"])
            _restyle(self.verdict, "passed" if passed else "failed")
            self.verdict.setText(verdict_text(passed))
        else:
            _restyle(self.verdict, "pending")
            self.verdict.setText(QCoreApplication.translate("Result", "{passed} / {total} 项通过").format(
                passed=sum(1 for q in questions if q["passed"]), total=len(questions)))
        self.counts.setText(result_counts(result))
        required = questions[0]["required"] if questions else 0
        self.rule.setText(self.tr("通过需要：{rule}，即 {required} 票（全体 {total} 人）").format(
            rule=majority_label(str(result.get("majority", ""))), required=required,
            total=result.get("total_members", 0)))
        self.citation.setText(str(result.get("citation", "")))
