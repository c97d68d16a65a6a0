"""The meeting editor: meeting details, members and IC cards, seat plan, agenda and vote settings.

Every edit goes into a :class:`~core.conference.preparation.MeetingDraft` at once; the problems that
still stop the meeting from being sent to the hall are listed under the tabs as the operator works.
Saving and sending run in the background (the local database never blocks the screen).
"""

from __future__ import annotations

from apps.common.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.theme import set_role
from apps.conference.agenda import AgendaTab
from apps.conference.labels import QUORUM_LABELS, STATUS_LABELS, tr_label
from apps.conference.members import MembersTab
from apps.conference.seatplan import SeatPlanTab
from core.conference.meeting import SpeakingSettings
from core.conference.preparation import QUORUM_PRESETS, MeetingDraft, quorum_key


class BasicsTab(QWidget):
    """Name, date, place, quorum rule and microphone settings."""

    changed = Signal()

    def __init__(self, draft: MeetingDraft, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self._filling = False
        self.title = QLineEdit()
        self.title.setObjectName("meetingTitle")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(self.tr("yyyy年M月d日"))
        self.place = QLineEdit()
        self.place.setPlaceholderText(self.tr("例如：人大常委会机关第一会议室"))
        self.quorum = QComboBox()
        for key in QUORUM_PRESETS:
            self.quorum.addItem(tr_label(QUORUM_LABELS, key), key)
        self.max_open = QSpinBox()
        self.max_open.setRange(1, 4)
        self.first_limit = QSpinBox()
        self.first_limit.setRange(1, 120)
        self.first_limit.setSuffix(self.tr(" 分钟"))
        self.later_limit = QSpinBox()
        self.later_limit.setRange(1, 120)
        self.later_limit.setSuffix(self.tr(" 分钟"))
        form = QFormLayout()
        outer = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)
        form.addRow(self.tr("会议名称"), self.title)
        form.addRow(self.tr("会议日期"), self.date)
        form.addRow(self.tr("会议地点"), self.place)
        form.addRow(self.tr("法定人数"), self.quorum)
        form.addRow(self.tr("同时开启的话筒"), self.max_open)
        form.addRow(self.tr("首次发言时限"), self.first_limit)
        form.addRow(self.tr("再次发言时限"), self.later_limit)
        for w in (self.title, self.date, self.place, self.quorum, self.max_open, self.first_limit, self.later_limit):
            w.setEnabled(can_edit)
        self.title.textChanged.connect(self._store)
        self.place.textChanged.connect(self._store)
        self.date.dateChanged.connect(self._store)
        self.quorum.currentIndexChanged.connect(self._store)
        for spin in (self.max_open, self.first_limit, self.later_limit):
            spin.valueChanged.connect(self._store)
        self.set_draft(draft)

    def set_draft(self, draft: MeetingDraft) -> None:
        self.draft = draft
        self._filling = True
        try:
            self.title.setText(draft.title)
            d = draft.meeting_date
            self.date.setDate(QDate(d.year, d.month, d.day) if d else QDate.currentDate())
            self.place.setText(draft.place)
            self.quorum.setCurrentIndex(self.quorum.findData(quorum_key(draft.quorum)))
            self.max_open.setValue(draft.speaking.max_open)
            self.first_limit.setValue(max(1, round(draft.speaking.first_limit_s / 60)))
            self.later_limit.setValue(max(1, round(draft.speaking.later_limit_s / 60)))
        finally:
            self._filling = False
        if draft.meeting_date is None:
            self._store()

    def _store(self, *_: object) -> None:
        if self._filling:
            return
        d = self.draft
        d.title = self.title.text()
        d.place = self.place.text().strip()
        d.meeting_date = self.date.date().toPython()  # type: ignore[assignment]
        d.quorum = QUORUM_PRESETS[str(self.quorum.currentData())]
        d.speaking = SpeakingSettings(d.speaking.mode, self.max_open.value(), self.first_limit.value() * 60.0,
                                      self.later_limit.value() * 60.0, d.speaking.warn_before_s)
        self.changed.emit()


class MeetingEditor(QWidget):
    """One meeting: four tabs, the problems still open, and save / send to the hall / back."""

    save_requested = Signal(object, str)
    """(draft, status): the workspace saves in the background."""
    back_requested = Signal()

    def __init__(self, draft: MeetingDraft, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingEditor")
        self.draft = draft
        self.can_edit = can_edit
        self.dirty = False
        self.heading = set_role(QLabel(), "title")
        self.status = set_role(QLabel(), "subtitle")
        self.basics = BasicsTab(draft, can_edit)
        self.members = MembersTab(draft, can_edit)
        self.seats = SeatPlanTab(draft, can_edit)
        self.agenda = AgendaTab(draft, can_edit)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.basics, self.tr("会议信息"))
        self.tabs.addTab(self.members, self.tr("与会人员和 IC 卡"))
        self.tabs.addTab(self.seats, self.tr("席位安排"))
        self.tabs.addTab(self.agenda, self.tr("议程与表决"))
        self.tabs.currentChanged.connect(self._tab_changed)
        for tab in (self.basics, self.members, self.seats, self.agenda):
            tab.changed.connect(self._changed)
        for tab in (self.members, self.seats, self.agenda):
            tab.message.connect(self.show_message)
        self.feedback = QLabel()
        self.feedback.setObjectName("editorFeedback")
        self.feedback.setWordWrap(True)
        self.problems = set_role(QLabel(), "hint")
        self.problems.setObjectName("editorProblems")
        self.problems.setWordWrap(True)
        self.back_button = QPushButton(self.tr("返回会议列表"))
        self.back_button.clicked.connect(self.back_requested.emit)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.send_button = set_role(QPushButton(self.tr("发送到会场")), "primary")
        self.send_button.clicked.connect(self.send_to_hall)
        self.save_button.setEnabled(can_edit)
        self.send_button.setEnabled(can_edit)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)
        self._update_header()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.seats:
            self.seats.fit_rows()
            self.seats.refresh()
        elif self.tabs.widget(index) is self.members:
            self.members.refresh()
        elif self.tabs.widget(index) is self.agenda:
            self.agenda.refresh()

    def _changed(self) -> None:
        self.dirty = True
        self._update_header()

    def _update_header(self) -> None:
        self.heading.setText(self.draft.title.strip() or self.tr("新会议"))
        status = tr_label(STATUS_LABELS, self.draft.status)
        self.status.setText(status + (self.tr(" · 未保存") if self.dirty else ""))
        problems = self.draft.validate()
        if problems:
            shown = problems[:4]
            more = len(problems) - len(shown)
            text = self.tr("发送到会场前还需：") + "；".join(shown)
            if more:
                text += self.tr("（另有 %1 项）").replace("%1", str(more))
            self.problems.setText(text)
        else:
            self.problems.setText(self.tr("准备就绪，可以发送到会场。"))

    def show_message(self, text: str, error: bool) -> None:
        self.feedback.setText(text)
        set_role(self.feedback, "error" if error else "notice")
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)

    def save(self) -> None:
        self.basics._store()
        self.save_requested.emit(self.draft, self.draft.status)

    def send_to_hall(self) -> None:
        self.basics._store()
        problems = self.draft.validate()
        if problems:
            self.show_message(self.tr("还不能发送到会场：") + "；".join(problems), True)
            return
        self.save_requested.emit(self.draft, "ready")

    def saved(self, status: str) -> None:
        """The workspace reports a successful save."""
        self.draft.status = status
        self.dirty = False
        self._update_header()
        self.show_message(self.tr("已发送到会场：会场终端同步后即可开会。") if status == "ready" else self.tr("已保存"), False)
