"""The chair's console: seat map, attendance, the floor, voting controls, show of hands, messages."""

from __future__ import annotations

from typing import Any

from apps.common.printing import PdfPrintJob, preview_dialog
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from apps.common.tasks import BackgroundTask
from apps.common.theme import set_role
from apps.kiosk.source import ConferenceFeed, SentMessage
from apps.kiosk.widgets import (
    SeatMap,
    current_vote,
    kiosk_face,
    label,
    names_by_seat,
    seconds_text,
)
from core.conference import events as ev
from core.conference.law import default_majority, majorities_for
from core.conference.meeting import MicMode, PressRule, Reveal, VoteSettings
from core.conference.voting import MAJORITY_PRESETS

MAJORITY_LABELS: dict[str, str] = {
    "half_of_all": QT_TRANSLATE_NOOP("Majority", "全体代表的过半数"),
    "half_of_all_standing": QT_TRANSLATE_NOOP("Majority", "常务委员会全体组成人员的过半数"),
    "half_of_all_presidium": QT_TRANSLATE_NOOP("Majority", "主席团全体成员的过半数"),
    "election_half_of_all": QT_TRANSLATE_NOOP("Majority", "获得全体代表过半数的选票"),
    "half_of_present": QT_TRANSLATE_NOOP("Majority", "出席会议的代表过半数"),
    "half_of_present_standing": QT_TRANSLATE_NOOP("Majority", "出席会议的常务委员会组成人员过半数"),
    "half_of_all_council": QT_TRANSLATE_NOOP("Majority", "主任会议全体组成人员的过半数"),
    "two_thirds_of_all": QT_TRANSLATE_NOOP("Majority", "全体成员的三分之二以上（按会议章程或办法）"),
}
MIC_MODE_LABELS: dict[str, str] = {
    "open": QT_TRANSLATE_NOOP("MicMode", "自由讨论（先到先发言）"),
    "override": QT_TRANSLATE_NOOP("MicMode", "超越（新发言关闭最早的话筒）"),
    "apply": QT_TRANSLATE_NOOP("MicMode", "申请（主持人批准）"),
    "voice": QT_TRANSLATE_NOOP("MicMode", "声控（无排队）"),
}
CHOICE_LABELS: dict[str, str] = {
    "yes": QT_TRANSLATE_NOOP("Choice", "赞成"),
    "no": QT_TRANSLATE_NOOP("Choice", "反对"),
    "abstain": QT_TRANSLATE_NOOP("Choice", "弃权"),
}


def majority_label(key: str) -> str:
    if key in MAJORITY_LABELS:
        return QCoreApplication.translate("Majority", MAJORITY_LABELS[key])
    rule = MAJORITY_PRESETS.get(key)
    return rule.label if rule is not None else key


def choice_label(choice: str) -> str:
    return QCoreApplication.translate("Choice", CHOICE_LABELS.get(choice, choice))


def parse_seats(text: str) -> list[int] | None:
    """``"3, 5-7"`` → [3, 5, 6, 7]; empty means every seat; None when the text is not a seat list."""
    seats: list[int] = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            return None
        a = int(low)
        b = int(high) if high else a
        if b < a or b - a > 4096:
            return None
        seats.extend(range(a, b + 1))
    return seats


class ShowOfHandsDialog(QDialog):
    """The operator enters the counts of a show of hands: yes / no / abstain for each question."""

    def __init__(self, item: dict[str, Any], total_members: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShowOfHandsDialog")
        self.item = item
        self.total = total_members
        questions = list(item.get("candidates") or []) if item.get("kind") == "appointment" else [item["title"]]
        self.questions = questions or [item["title"]]
        self.title_label = set_role(QLabel(), "subtitle")
        self.title_label.setWordWrap(True)
        self.hint = set_role(QLabel(), "hint")
        self.hint.setWordWrap(True)
        self.error = set_role(QLabel(), "error")
        self.error.hide()
        grid = QGridLayout()
        self.header_labels = [QLabel() for _ in range(3)]
        for col, head in enumerate(self.header_labels, start=1):
            grid.addWidget(head, 0, col)
        self.spins: list[tuple[QtWidgets.QSpinBox, QtWidgets.QSpinBox, QtWidgets.QSpinBox]] = []
        for row, question in enumerate(self.questions, start=1):
            grid.addWidget(QLabel(question), row, 0)
            trio = tuple(QtWidgets.QSpinBox() for _ in range(3))
            for col, spin in enumerate(trio, start=1):
                spin.setRange(0, total_members)
                spin.setMinimumWidth(110)
                grid.addWidget(spin, row, col)
            self.spins.append(trio)  # type: ignore[arg-type]
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.hint)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("举手表决"))
        self.title_label.setText(self.tr("举手表决：{title}").format(title=self.item["title"]))
        self.hint.setText(self.tr("表决器故障时使用。请录入清点的票数（全体 {total} 人）；"
                                  "结果将标明“举手表决，由工作人员录入”。").format(total=self.total))
        for head, choice in zip(self.header_labels, ("yes", "no", "abstain"), strict=True):
            head.setText(choice_label(choice))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def counts(self) -> tuple[tuple[int, int, int], ...]:
        return tuple((a.value(), b.value(), c.value()) for a, b, c in self.spins)

    def submit(self) -> None:
        for trio in self.counts():
            if sum(trio) > self.total:
                self.error.setText(self.tr("票数合计 {sum} 超过全体人数 {total}").format(sum=sum(trio), total=self.total))
                self.error.show()
                return
        self.accept()


class ChairConsole(QWidget):
    """The chair's and operator's face."""

    def __init__(self, feed: ConferenceFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChairConsole")
        kiosk_face(self)
        self.feed = feed
        self.snapshot: dict[str, Any] = {}
        self._agenda_ids: list[str] = []
        self.hands_dialog: ShowOfHandsDialog | None = None

        self.title = label("k-title")
        self.attendance = label("k-big")
        self.quorum = label("k-ok")
        self.open_meeting_button = set_role(QPushButton(), "k-primary")
        self.open_meeting_button.clicked.connect(lambda: self.feed.send(lambda t: ev.OpenMeeting(t)))
        self.close_meeting_button = QPushButton()
        self.close_meeting_button.clicked.connect(lambda: self.feed.send(lambda t: ev.CloseMeeting(t)))
        self.status = label("k-status", wrap=True)
        self.seat_map = SeatMap(columns=8, font_pt=15)

        # the floor
        self.floor_box = QGroupBox()
        self.speakers_caption = label("k-text")
        self.queue_caption = label("k-text")
        self.speakers_list = QtWidgets.QListWidget()
        self.queue_list = QtWidgets.QListWidget()
        for lst in (self.speakers_list, self.queue_list):
            lst.setMinimumHeight(120)
        self.approve_button = set_role(QPushButton(), "k-primary")
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(self.reject_selected)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop_selected)
        self.mute_button = set_role(QPushButton(), "k-danger")
        self.mute_button.clicked.connect(lambda: self.feed.send(lambda t: ev.MuteAll(t)))
        self.mode_combo = QtWidgets.QComboBox()
        self.max_open_spin = QtWidgets.QSpinBox()
        self.max_open_spin.setRange(1, 4)
        self.mode_button = QPushButton()
        self.mode_button.clicked.connect(self.set_mode)
        floor = QGridLayout(self.floor_box)
        floor.addWidget(self.speakers_caption, 0, 0)
        floor.addWidget(self.queue_caption, 0, 1)
        floor.addWidget(self.speakers_list, 1, 0)
        floor.addWidget(self.queue_list, 1, 1)
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.reject_button, self.stop_button, self.mute_button):
            buttons.addWidget(b)
        floor.addLayout(buttons, 2, 0, 1, 2)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.mode_combo, 1)
        mode_row.addWidget(self.max_open_spin)
        mode_row.addWidget(self.mode_button)
        floor.addLayout(mode_row, 3, 0, 1, 2)

        # voting
        self.vote_box = QGroupBox()
        self.item_combo = QtWidgets.QComboBox()
        self.item_combo.currentIndexChanged.connect(self._item_chosen)
        self.anonymous_check = QtWidgets.QCheckBox()
        self.press_combo = QtWidgets.QComboBox()
        self.duration_spin = QtWidgets.QSpinBox()
        self.duration_spin.setRange(0, 3600)
        self.duration_spin.setSingleStep(10)
        self.reveal_combo = QtWidgets.QComboBox()
        self.majority_combo = QtWidgets.QComboBox()
        self.settings_form = QFormLayout()
        self.form_labels = [label("k-text") for _ in range(6)]
        for caption, field in zip(self.form_labels, (self.item_combo, self.anonymous_check, self.press_combo,
                                                       self.duration_spin, self.reveal_combo, self.majority_combo),
                                  strict=True):
            self.settings_form.addRow(caption, field)
        self.open_vote_button = set_role(QPushButton(), "k-primary")
        self.open_vote_button.clicked.connect(self.open_vote)
        self.close_vote_button = set_role(QPushButton(), "k-danger")
        self.close_vote_button.clicked.connect(lambda: self.feed.send(lambda t: ev.CloseVote(t)))
        self.cancel_vote_button = QPushButton()
        self.cancel_vote_button.clicked.connect(lambda: self.feed.send(lambda t: ev.CancelVote(t)))
        self.reveal_button = QPushButton()
        self.reveal_button.clicked.connect(self.reveal)
        self.hands_button = QPushButton()
        self.hands_button.clicked.connect(self.show_of_hands)
        self.next_question_button = set_role(QPushButton(), "k-primary")
        self.next_question_button.setObjectName("nextQuestion")
        self.next_question_button.clicked.connect(self.next_question)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printResultSheet")
        self.print_button.clicked.connect(self.print_result_sheet)
        self._print_task: BackgroundTask[bytes] | None = None
        self.preview: QDialog | None = None
        """The print preview of the last result sheet asked for (kept so tests and the operator can reach it)."""
        self._put: int | None = None
        self.countdown = label("k-big")
        self.tally = label("k-text", wrap=True)
        vote = QVBoxLayout(self.vote_box)
        vote.addLayout(self.settings_form)
        row1 = QHBoxLayout()
        for b in (self.open_vote_button, self.close_vote_button, self.reveal_button):
            row1.addWidget(b)
        row2 = QHBoxLayout()
        for b in (self.next_question_button, self.cancel_vote_button, self.hands_button):
            row2.addWidget(b)
        vote.addLayout(row1)
        vote.addLayout(row2)
        vote.addWidget(self.print_button)
        vote.addWidget(self.countdown)
        vote.addWidget(self.tally)

        # messages and manual sign-in
        self.message_box = QGroupBox()
        self.message_seats = QLineEdit()
        self.message_text = QLineEdit()
        self.message_text.returnPressed.connect(self.send_seat_message)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_seat_message)
        self.sent_label = label("k-text", wrap=True)
        self.member_combo = QtWidgets.QComboBox()
        self.manual_button = QPushButton()
        self.manual_button.clicked.connect(self.manual_sign_in)
        msg = QGridLayout(self.message_box)
        msg.addWidget(self.message_seats, 0, 0)
        msg.addWidget(self.message_text, 0, 1)
        msg.addWidget(self.send_button, 0, 2)
        msg.addWidget(self.sent_label, 1, 0, 1, 3)
        msg.addWidget(self.member_combo, 2, 0, 1, 2)
        msg.addWidget(self.manual_button, 2, 2)
        msg.setColumnStretch(0, 2)
        msg.setColumnStretch(1, 3)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.open_meeting_button)
        header.addWidget(self.close_meeting_button)
        attendance = QHBoxLayout()
        attendance.addWidget(self.attendance)
        attendance.addSpacing(24)
        attendance.addWidget(self.quorum, 1)
        left = QVBoxLayout()
        left.addLayout(attendance)
        left.addWidget(self.seat_map, 1)
        left.addWidget(self.message_box)
        right = QVBoxLayout()
        right.addWidget(self.floor_box)
        right.addWidget(self.vote_box, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)

        feed.changed.connect(self.update_from)
        feed.refused.connect(self.show_refusal)
        feed.messages_sent.connect(self._message_sent)
        self.retranslate()
        self.update_from(feed.snapshot)

    # --- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.open_meeting_button.setText(self.tr("宣布开会"))
        self.close_meeting_button.setText(self.tr("闭会"))
        self.floor_box.setTitle(self.tr("发言"))
        self.speakers_caption.setText(self.tr("正在发言"))
        self.queue_caption.setText(self.tr("排队申请"))
        self.approve_button.setText(self.tr("批准发言"))
        self.reject_button.setText(self.tr("移出排队"))
        self.stop_button.setText(self.tr("关闭话筒"))
        self.mute_button.setText(self.tr("全部静音"))
        self.mode_button.setText(self.tr("设置话筒"))
        self.max_open_spin.setToolTip(self.tr("同时开启的话筒数"))
        self._fill_combo(self.mode_combo, [(k, QCoreApplication.translate("MicMode", v))
                                           for k, v in MIC_MODE_LABELS.items()])
        self.vote_box.setTitle(self.tr("表决"))
        for caption, text in zip(self.form_labels, (self.tr("议程"), self.tr("方式"), self.tr("按键"),
                                                     self.tr("表决时长"), self.tr("公布"),
                                                     self.tr("通过规则")), strict=True):
            caption.setText(text)
        self.anonymous_check.setText(self.tr("无记名表决"))
        self._fill_combo(self.press_combo, [("first", self.tr("首次按键有效")), ("last", self.tr("末次按键有效"))])
        self._fill_combo(self.reveal_combo, [("immediate", self.tr("结束后立即公布")),
                                             ("delayed", self.tr("主持人宣布后公布"))])
        self._fill_majorities()
        self.open_vote_button.setText(self.tr("开始表决"))
        self.close_vote_button.setText(self.tr("结束表决"))
        self.cancel_vote_button.setText(self.tr("取消表决"))
        self.next_question_button.setText(self.tr("下一位候选人"))
        self.next_question_button.setToolTip(self.tr("逐人表决：表决器转到下一位候选人，前一位的表决截止"))
        self.reveal_button.setText(self.tr("宣布结果"))
        self.hands_button.setText(self.tr("举手表决…"))
        self.message_box.setTitle(self.tr("席位信息与人工报到"))
        self.message_seats.setPlaceholderText(self.tr("席位，如 3、5-7"))
        self.message_seats.setToolTip(self.tr("发给哪些席位；不填则发给全体"))
        self.duration_spin.setSuffix(self.tr(" 秒"))
        self.duration_spin.setSpecialValueText(self.tr("由主持人结束"))
        self.print_button.setText(self.tr("打印表决结果单…"))
        self.print_button.setToolTip(self.tr("最近一次表决的结果单：先预览，再打印或另存为 PDF"))
        self.message_text.setPlaceholderText(self.tr("发送到席位屏的文字"))
        self.send_button.setText(self.tr("发送"))
        self.manual_button.setText(self.tr("代为报到"))
        if self.snapshot:
            self.update_from(self.snapshot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _fill_combo(combo: QtWidgets.QComboBox, entries: list[tuple[str, str]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for key, text in entries:
            combo.addItem(text, key)
        index = combo.findData(keep)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    # --- state ---------------------------------------------------------------------------------
    def update_from(self, snap: dict[str, Any]) -> None:
        self.snapshot = snap
        names = names_by_seat(snap)
        self.title.setText(str(snap.get("title", "")))
        att = snap.get("attendance", {})
        self.attendance.setText(self.tr("出席 {present} / 全体 {total} 人").format(
            present=att.get("present", 0), total=att.get("total", 0)))
        met = bool(att.get("quorum_met"))
        set_role(self.quorum, "k-ok" if met else "k-warn")
        self.quorum.style().unpolish(self.quorum)
        self.quorum.style().polish(self.quorum)
        self.quorum.setText((self.tr("法定人数 {required} 人：已达到") if met else
                             self.tr("法定人数 {required} 人：未达到")).format(required=att.get("quorum_required", 0)))
        self.open_meeting_button.setEnabled(not snap.get("open") and not snap.get("closed"))
        self.close_meeting_button.setEnabled(bool(snap.get("open")))
        self.seat_map.update_from(snap)
        self._update_floor(snap, names)
        self._update_vote(snap)
        self._update_members(snap)

    def _update_floor(self, snap: dict[str, Any], names: dict[int, str]) -> None:
        floor = snap.get("speaking", {})
        speakers = floor.get("speakers", [])
        queue = floor.get("queue", [])
        self._fill_list(self.speakers_list, [
            (int(s["seat"]), f"{s['seat']}  {names.get(int(s['seat']), '')}  "
                             f"{seconds_text(self.feed.remaining(s.get('remaining_s')))}"
                             if s.get("remaining_s") is not None else f"{s['seat']}  {names.get(int(s['seat']), '')}")
            for s in speakers])
        self._fill_list(self.queue_list, [(int(seat), f"{n}. {seat}  {names.get(int(seat), '')}")
                                          for n, seat in enumerate(queue, start=1)])
        self.approve_button.setEnabled(bool(queue))
        self.reject_button.setEnabled(bool(queue))
        self.stop_button.setEnabled(bool(speakers))
        if not self.mode_combo.hasFocus():
            self.mode_combo.setCurrentIndex(max(self.mode_combo.findData(floor.get("mode", "open")), 0))
        if not self.max_open_spin.hasFocus():
            self.max_open_spin.setValue(int(floor.get("max_open", 4)))

    @staticmethod
    def _fill_list(widget: QtWidgets.QListWidget, rows: list[tuple[int, str]]) -> None:
        selected = widget.currentItem().data(Qt.ItemDataRole.UserRole) if widget.currentItem() else None
        widget.clear()
        for seat, text in rows:
            item = QtWidgets.QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, seat)
            widget.addItem(item)
            if seat == selected:
                widget.setCurrentItem(item)

    def _agenda(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("setup", {}).get("agenda", []))

    def _update_vote(self, snap: dict[str, Any]) -> None:
        agenda = self._agenda()
        results = snap.get("voting", {}).get("results", [])
        decided = {r["item_id"] for r in results}
        ids = [i["item_id"] for i in agenda]
        if ids != self._agenda_ids:
            self._agenda_ids = ids
            self.item_combo.blockSignals(True)
            self.item_combo.clear()
            for item in agenda:
                self.item_combo.addItem(item["title"], item["item_id"])
            self.item_combo.blockSignals(False)
            self._choose_next_item(decided)
        for n, item in enumerate(agenda):
            done = self.tr("【已表决】") if item["item_id"] in decided else ""
            self.item_combo.setItemText(n, f"{done}{item['title']}")
            self.item_combo.setItemData(n, item["title"], Qt.ItemDataRole.ToolTipRole)
        current = current_vote(snap)
        running = current is not None
        meeting_open = bool(snap.get("open"))
        for w in (self.item_combo, self.anonymous_check, self.press_combo, self.duration_spin,
                  self.reveal_combo, self.majority_combo):
            w.setEnabled(not running)
        self.open_vote_button.setEnabled(meeting_open and not running)
        self.close_vote_button.setEnabled(running)
        self.cancel_vote_button.setEnabled(running)
        questions = current.get("questions", []) if current is not None else []
        self._put = current.get("put", 0) if current is not None else None
        self.next_question_button.setVisible(len(questions) > 1)
        self.next_question_button.setEnabled(self._put is not None and self._put + 1 < len(questions))
        self.hands_button.setEnabled(meeting_open and bool(agenda))
        self.reveal_button.setEnabled(any(not r.get("revealed", True) for r in results))
        printable = [r for r in results if r.get("revealed", True)]
        self.print_button.setVisible(self.feed.can_print_results())
        self.print_button.setEnabled(bool(printable) and not running and
                                     (self._print_task is None or not self._print_task.is_running))
        if current is not None:
            remaining = self.feed.remaining(current.get("remaining_s"))
            if remaining is None:
                self.countdown.setText(self.tr("表决中 · 已进行 {time}（主持人结束）").format(
                    time=seconds_text(current.get("elapsed_s"))))
            else:
                self.countdown.setText(self.tr("表决中 · 剩余 {time}").format(time=seconds_text(remaining)))
            lines = []
            present = snap.get("attendance", {}).get("present", 0)
            closed = set(current.get("closed_questions", []))
            many = len(current.get("questions", [])) > 1
            for n, q in enumerate(current.get("questions", [])):
                line = self.tr("{label}：已表决 {voted} / 出席 {present}").format(
                    label=q["label"], voted=q["voted_count"], present=present)
                if many and n == current.get("put", 0):
                    line = "▶ " + line + self.tr("（表决器正在表决）")
                elif many and n in closed:
                    line += self.tr("（已截止）")
                counts = q.get("counts")
                if counts is not None:
                    line += "  " + "  ".join(f"{choice_label(c)} {counts.get(c, 0)}" for c in ("yes", "no", "abstain"))
                lines.append(line)
            if current.get("settings", {}).get("anonymous"):
                lines.append(self.tr("无记名表决：只显示是否已按键，不显示选择"))
            self.tally.setText("\n".join(lines))
        elif results:
            last = results[-1]
            if not last.get("revealed", True):
                self.countdown.setText(self.tr("“{title}”表决结束，结果待宣布").format(title=last["title"]))
                self.tally.setText("")
            else:
                self.countdown.setText(self.tr("“{title}”：{verdict}").format(
                    title=last["title"], verdict=result_verdict(last)))
                self.tally.setText(result_counts(last))
        else:
            self.countdown.setText(self.tr("没有进行中的表决"))
            self.tally.setText("")

    def next_question(self) -> None:
        """Person-by-person vote: the terminals move to the next candidate; the previous one closes."""
        if self._put is not None:
            following = self._put + 1
            self._act(lambda t: ev.PutQuestion(t, following))

    def _choose_next_item(self, decided: set[str]) -> None:
        for n, item_id in enumerate(self._agenda_ids):
            if item_id not in decided:
                self.item_combo.setCurrentIndex(n)
                self._item_chosen(n)
                return
        self.item_combo.setCurrentIndex(0)
        self._item_chosen(0)

    def _fill_majorities(self) -> None:
        """The majorities of this meeting's body (and the special rule when the meeting cites its bylaw)."""
        setup = getattr(self, "snapshot", {}).get("setup", {})
        body = setup.get("quorum", {}).get("body", "")
        keys = majorities_for(body)
        keys += [k for k in setup.get("citations", {}) if k in MAJORITY_PRESETS and k not in keys]
        if [self.majority_combo.itemData(i) for i in range(self.majority_combo.count())] != keys:
            self._fill_combo(self.majority_combo, [(k, majority_label(k)) for k in keys])

    def print_result_sheet(self) -> None:
        """Build the latest revealed result's sheet in the background, then open its print preview."""
        results = [r for r in self.snapshot.get("voting", {}).get("results", []) if r.get("revealed", True)]
        if not results:
            return
        last = results[-1]
        item_id, closed_at = str(last["item_id"]), float(last.get("closed_at", self.feed.now()))
        self.print_button.setEnabled(False)
        task: BackgroundTask[bytes] = BackgroundTask(lambda _ctx: self.feed.result_sheet(item_id, closed_at),
                                                     owner=self, name="result-sheet")
        task.on_success(lambda pdf: self._show_preview(pdf, str(last.get("title", ""))))
        task.on_failure(lambda error: self.feed.refused.emit(self.tr("无法出具表决结果单：{error}").format(error=error)))
        task.on_finished(lambda: self.print_button.setEnabled(True))
        self._print_task = task.start()

    def _show_preview(self, pdf: bytes, title: str) -> None:
        job = PdfPrintJob(pdf, self.tr("表决结果单 — {title}").format(title=title))
        self.preview = preview_dialog(job, self)
        self.preview.open()

    def _item_chosen(self, index: int) -> None:
        agenda = self._agenda()
        if not 0 <= index < len(agenda):
            return
        self._fill_majorities()
        s = VoteSettings.from_dict(agenda[index]["settings"])
        self.anonymous_check.setChecked(s.anonymous)
        self.press_combo.setCurrentIndex(max(self.press_combo.findData(str(s.press)), 0))
        self.duration_spin.setValue(int(s.duration_s or 0))
        self.reveal_combo.setCurrentIndex(max(self.reveal_combo.findData(str(s.reveal)), 0))
        body = self.snapshot.get("setup", {}).get("quorum", {}).get("body", "")
        key = s.majority or default_majority(body, str(agenda[index].get("kind", "bill")))
        self.majority_combo.setCurrentIndex(max(self.majority_combo.findData(key), 0))

    def _update_members(self, snap: dict[str, Any]) -> None:
        absent = [(s["member_id"], f"{s['seat']}  {s['name']}") for s in snap.get("seats", [])
                  if s.get("state") != "present"]
        if [self.member_combo.itemData(i) for i in range(self.member_combo.count())] != [a for a, _ in absent]:
            self._fill_combo(self.member_combo, absent)
        self.manual_button.setEnabled(bool(absent))

    # --- actions -------------------------------------------------------------------------------
    def show_refusal(self, text: str) -> None:
        self.status.setText(text)

    def _act(self, build: Any) -> None:
        if self.feed.send(build).ok:
            self.status.setText("")

    def _selected(self, widget: QtWidgets.QListWidget) -> int | None:
        item = widget.currentItem() or widget.item(0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def approve_selected(self) -> None:
        seat = self._selected(self.queue_list)
        if seat is not None:
            self._act(lambda t: ev.ApproveSpeaker(t, seat))

    def reject_selected(self) -> None:
        seat = self._selected(self.queue_list)
        if seat is not None:
            self._act(lambda t: ev.RejectSpeaker(t, seat))

    def stop_selected(self) -> None:
        seat = self._selected(self.speakers_list)
        if seat is not None:
            self._act(lambda t: ev.StopSpeaker(t, seat))

    def set_mode(self) -> None:
        mode = MicMode(self.mode_combo.currentData())
        count = self.max_open_spin.value()
        self._act(lambda t: ev.SetMicMode(t, mode, count))

    def vote_settings(self) -> VoteSettings:
        duration = self.duration_spin.value()
        return VoteSettings(
            anonymous=self.anonymous_check.isChecked(),
            press=PressRule(self.press_combo.currentData()),
            duration_s=float(duration) if duration > 0 else None,
            reveal=Reveal(self.reveal_combo.currentData()),
            majority=str(self.majority_combo.currentData()),
        )

    def select_item(self, item_id: str) -> None:
        index = self.item_combo.findData(item_id)
        if index >= 0:
            self.item_combo.setCurrentIndex(index)

    def open_vote(self) -> None:
        item_id = str(self.item_combo.currentData() or "")
        settings = self.vote_settings()
        self._act(lambda t: ev.OpenVote(t, item_id, settings))

    def reveal(self) -> None:
        hidden = [r for r in self.snapshot.get("voting", {}).get("results", []) if not r.get("revealed", True)]
        if hidden:
            item_id = str(hidden[-1]["item_id"])
            self._act(lambda t: ev.RevealResult(t, item_id))

    def show_of_hands(self) -> ShowOfHandsDialog | None:
        agenda = self._agenda()
        index = self.item_combo.currentIndex()
        if not 0 <= index < len(agenda):
            return None
        item = agenda[index]
        dialog = ShowOfHandsDialog(item, int(self.snapshot.get("attendance", {}).get("total", 0)), self)
        kiosk_face(dialog)
        self.hands_dialog = dialog

        def entered() -> None:
            counts = dialog.counts()
            self._act(lambda t: ev.EnterShowOfHands(t, str(item["item_id"]), counts))

        dialog.accepted.connect(entered)
        dialog.open()
        return dialog

    def send_seat_message(self) -> None:
        text = self.message_text.text().strip()
        seats = parse_seats(self.message_seats.text())
        if seats is None:
            self.status.setText(self.tr("席位写法有误，例如：3,5-7"))
            return
        if not text:
            return
        self.feed.send_message(seats, text)
        self.message_text.clear()
        self.status.setText("")

    def _message_sent(self, sent: SentMessage) -> None:
        target = "、".join(str(s) for s in sent.seats) if sent.seats else self.tr("全部席位")
        self.sent_label.setText(self.tr("已发送到 {target}：{text}").format(target=target, text=sent.text))

    def manual_sign_in(self) -> None:
        member = self.member_combo.currentData()
        if member:
            self._act(lambda t: ev.ManualSignIn(t, str(member)))


def result_verdict(result: dict[str, Any]) -> str:
    questions = result.get("questions", [])
    if len(questions) == 1:
        return verdict_text(bool(questions[0]["passed"]))
    passed = sum(1 for q in questions if q["passed"])
    return QCoreApplication.translate("Result", "{passed} / {total} 项通过").format(passed=passed, total=len(questions))


def verdict_text(passed: bool) -> str:
    return QCoreApplication.translate("Result", "通过") if passed else QCoreApplication.translate("Result", "未通过")


def result_counts(result: dict[str, Any]) -> str:
    lines = []
    many = len(result.get("questions", [])) > 1
    for q in result.get("questions", []):
        text = QCoreApplication.translate("Result", "赞成 {yes}  反对 {no}  弃权 {abstain}  未按键 {not_voted}").format(
            yes=q["yes"], no=q["no"], abstain=q["abstain"], not_voted=q["not_voted"])
        if many:
            text = f"{q['label']}：{verdict_text(bool(q['passed']))}  {text}"
        lines.append(text)
    if result.get("show_of_hands"):
        lines.append(QCoreApplication.translate("Result", "举手表决，由工作人员录入"))
    return "\n".join(lines)
