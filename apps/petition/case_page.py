"""The case page: one 信访件 with its clock, matter, petitioner, history, links and similar cases, the actions
the user may take on it (each through a small dialog and ``core.petition.service.transition`` in one
transaction) and the fitting letter in print preview.

The petitioner's fields are shown as they are stored on this computer: the sync already masked what the
user's role may not see; the client never unmasks anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.common.printing import PdfPrintJob, preview_dialog
from apps.common.qt import (
    QButtonGroup,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from core.petition import letters, similar, workflow
from core.petition.districts import DISTRICT_NAMES
from core.petition.models import PetBody, PetCase, PetPetitioner, PetRoutingRule
from core.petition.reference import category_names, propose_body
from core.petition.service import Actor, PetitionRefused, clock_of, history, reviewed, transition

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828"}
ANSWERS = ("answer", "review_answer", "rereview_answer")
REQUESTS = ("request_review", "request_rereview")
ROUTE_LETTERS = {"转送": "转送函", "交办": "交办函", "告知": "告知书", "不予受理": "不予受理告知书"}


@dataclass
class CaseView:
    """What the page shows of one case, read in one session."""

    case_id: str
    code: str
    state: str
    channel: str
    kind: str
    received_on: date
    subject: str
    content: str
    category: str
    district: str
    persons: int
    collective: bool
    supervised: bool
    extended: bool
    reviewed: bool
    body: str
    answer: str
    satisfaction: str
    category_code: str
    district_code: str
    clock_text: str = ""
    clock_light: str = ""
    days_left: int | None = None
    person: dict[str, str] = field(default_factory=dict)
    steps: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    related: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    """(case id, code, subject, state label, why related)."""
    letter: str = ""
    """The letter that fits the case now ("" none)."""


def letter_kind(case: PetCase) -> str:
    """The letter the case's last decision calls for: the answer once answered, else the routing's letter."""
    if case.answer_summary.strip():
        return "答复意见书"
    return ROUTE_LETTERS.get(case.route, "")


def load_case(session: Session, case_id: str, *, today: date) -> CaseView | None:
    case = session.get(PetCase, case_id)
    if case is None or case.deleted:
        return None
    bodies = {c: n for c, n in session.execute(select(PetBody.code, PetBody.name))}
    categories = category_names(session)
    view = CaseView(case.id, case.code, case.state, case.channel, case.kind, case.received_on, case.subject,
                    case.content, categories.get(case.category_code, case.category_code),
                    DISTRICT_NAMES.get(case.district_code, case.district_code), case.persons_involved,
                    case.collective, case.supervised, case.extended, reviewed(session, case),
                    bodies.get(case.body_code, case.body_code), case.answer_summary, case.satisfaction,
                    case.category_code, case.district_code, letter=letter_kind(case))
    clock = clock_of(session, case, today=today)
    if clock is not None:
        view.clock_text, view.clock_light, view.days_left = clock.text, clock.light, clock.days_left
    person = session.get(PetPetitioner, case.petitioner_id) if case.petitioner_id else None
    if person is not None:
        view.person = {"name": person.name, "gender": person.gender or "", "phone": person.phone or "",
                       "id_number": person.id_number or "", "address": person.address or "",
                       "district": DISTRICT_NAMES.get(person.district_code or "", person.district_code or "")}
    for step in history(session, case.id):
        label = workflow.ACTION_BY_KEY[step.action].label if step.action in workflow.ACTION_BY_KEY else (
            "登记" if step.action == "register" else step.action)
        moved = f"{workflow.state_label(step.from_state)} → {workflow.state_label(step.to_state)}" \
            if step.from_state else workflow.state_label(step.to_state)
        note = step.note or ""
        body_name = (step.details or {}).get("body_name")
        if body_name:
            note = f"{body_name} {note}".strip()
        view.steps.append((step.on_date.isoformat(), label, moved, step.article, step.actor, note))
    codes = {c: code for c, code in session.execute(select(PetCase.id, PetCase.code))}
    for link in similar.links_of(session, case.id):
        kind = "重复件" if link.kind == "repeat" else "相似件"
        if link.case_id == case.id:
            view.links.append(f"本件是 {codes.get(link.other_case_id, '?')} 的{kind}")
        else:
            view.links.append(f"{codes.get(link.case_id, '?')} 是本件的{kind}")
    seen = {case.id}
    if person is not None:
        for p in similar.same_person_cases(session, id_number=person.id_number, phone=person.phone,
                                           name=person.name, address=person.address):
            if p.case_id not in seen:
                seen.add(p.case_id)
                view.related.append((p.case_id, p.code, p.subject, workflow.state_label(p.state), p.reason))
    for s in similar.similar_cases(session, f"{case.subject} {case.content}", exclude_id=case.id):
        if s.case_id not in seen:
            seen.add(s.case_id)
            view.related.append((s.case_id, s.code, s.subject, workflow.state_label(s.state),
                                 f"内容相似 {s.score:.0%}"))
    return view


class ActionDialog(QDialog):
    """Asks what ``action`` needs: the receiving body, a reason, the days, the answer, the rating, the day a
    request came; and a note."""

    def __init__(self, action: workflow.Action, bodies: list[tuple[str, str]], proposed: str, *, today: date,
                 case: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setObjectName("PetitionActionDialog")
        self.setWindowTitle(self.tr("{action} — 信访件 {code}").format(action=action.label, code=case))
        keys = {key for key, _name in action.required_inputs}
        form = QFormLayout()
        self.body: QComboBox | None = None
        self.reason: QPlainTextEdit | None = None
        self.days: QSpinBox | None = None
        self.answer: QPlainTextEdit | None = None
        self.received_on: QDateEdit | None = None
        self.ratings: QButtonGroup | None = None
        if "body" in keys:
            self.body = QComboBox()
            for code, name in bodies:
                self.body.addItem(name, code)
            if proposed and self.body.findData(proposed) >= 0:
                self.body.setCurrentIndex(self.body.findData(proposed))
            form.addRow(self.tr("接收单位"), self.body)
            if proposed:
                form.addRow("", QLabel(self.tr("（已按分流规则预选，可改）")))
        if "days" in keys:
            self.days = QSpinBox()
            self.days.setRange(1, workflow.MAX_EXTENSION_DAYS)
            self.days.setValue(workflow.MAX_EXTENSION_DAYS)
            self.days.setSuffix(self.tr(" 日"))
            form.addRow(self.tr("延长的天数"), self.days)
        if "reason" in keys:
            self.reason = QPlainTextEdit()
            self.reason.setMinimumHeight(80)
            form.addRow(dict(action.required_inputs)["reason"], self.reason)
        if action.key in ANSWERS:
            self.answer = QPlainTextEdit()
            self.answer.setMinimumHeight(140)
            form.addRow(self.tr("答复意见"), self.answer)
        if "rating" in keys:
            self.ratings = QButtonGroup(self)
            row = QHBoxLayout()
            for n, rating in enumerate(workflow.RATINGS):
                button = QRadioButton(rating)
                button.setProperty("rating", rating)
                self.ratings.addButton(button, n)
                row.addWidget(button)
            form.addRow(self.tr("评价结果"), row)
        if action.key in REQUESTS:
            self.received_on = QDateEdit(QDate(today.year, today.month, today.day))
            self.received_on.setCalendarPopup(True)
            self.received_on.setDisplayFormat("yyyy-MM-dd")
            form.addRow(self.tr("申请收到日期"), self.received_on)
        self.note = QLineEdit()
        form.addRow(self.tr("备注"), self.note)
        article = QLabel(self.tr("依据：{article}").format(article=action.article))
        article.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action.label)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(article)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def inputs(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.body is not None:
            values["body"] = self.body.currentData() or ""
        if self.days is not None:
            values["days"] = self.days.value()
        if self.reason is not None:
            values["reason"] = self.reason.toPlainText().strip()
        if self.answer is not None:
            values["answer"] = self.answer.toPlainText().strip()
        if self.ratings is not None:
            checked = self.ratings.checkedButton()
            values["rating"] = checked.property("rating") if checked is not None else ""
        if self.received_on is not None:
            values["received_on"] = self.received_on.date().toPython()
        if self.note.text().strip():
            values["note"] = self.note.text().strip()
        return values


class CasePage(QWidget):
    back = Signal()
    changed = Signal(str)
    """A step was taken on the case (its id): the lists reload."""

    def __init__(self, session_factory: Callable[[], Session], actor: Callable[[], Actor], *,
                 blobs: letters.BlobReader | None = None, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionCasePage")
        self._session_factory = session_factory
        self._actor = actor
        self._blobs = blobs
        self._today = today
        self.view: CaseView | None = None
        self.dialog: ActionDialog | None = None
        self.message_box: QMessageBox | None = None
        self.preview: Any = None
        self.back_button = QPushButton(self.tr("← 返回列表"))
        self.back_button.clicked.connect(self.back.emit)
        self.code = QLabel()
        self.code.setObjectName("caseCode")
        big = self.code.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.code.setFont(big)
        self.state = QLabel()
        self.flags = QLabel()
        self.clock = QLabel()
        self.clock.setObjectName("caseClock")
        self.clock.setWordWrap(True)
        clock_font = self.clock.font()
        clock_font.setPointSizeF(clock_font.pointSizeF() * 1.2)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        head = QHBoxLayout()
        for widget in (self.back_button, self.code, self.state, self.flags):
            head.addWidget(widget)
        head.addStretch(1)
        self.matter = QFormLayout()
        self.subject = QLabel()
        self.content = QLabel()
        self.category = QLabel()
        self.district = QLabel()
        self.persons = QLabel()
        self.body = QLabel()
        self.answer = QLabel()
        for label in (self.subject, self.content, self.category, self.answer):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for name, label in ((self.tr("事项"), self.subject), (self.tr("内容"), self.content),
                            (self.tr("分类"), self.category), (self.tr("区"), self.district),
                            (self.tr("涉及人数"), self.persons), (self.tr("承办单位"), self.body),
                            (self.tr("答复意见"), self.answer)):
            self.matter.addRow(name, label)
        matter_box = QGroupBox(self.tr("信访事项"))
        matter_box.setLayout(self.matter)
        self.person: dict[str, QLabel] = {}
        person_form = QFormLayout()
        for key, name in (("name", self.tr("姓名")), ("gender", self.tr("性别")), ("phone", self.tr("手机号")),
                          ("id_number", self.tr("身份证号")), ("address", self.tr("地址")),
                          ("district", self.tr("所在区"))):
            label = QLabel()
            label.setWordWrap(True)
            self.person[key] = label
            person_form.addRow(name, label)
        person_box = QGroupBox(self.tr("信访人"))
        person_box.setLayout(person_form)
        self.history = QTableWidget(0, 6)
        self.history.setHorizontalHeaderLabels([self.tr("日期"), self.tr("操作"), self.tr("状态"),
                                                self.tr("依据"), self.tr("经办人"), self.tr("说明")])
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        tidy(self.history, stretch=3, wrap=True)
        history_box = QGroupBox(self.tr("办理经过"))
        QVBoxLayout(history_box).addWidget(self.history)
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.related = QTableWidget(0, 4)
        self.related.setHorizontalHeaderLabels([self.tr("编号"), self.tr("事项"), self.tr("状态"),
                                                self.tr("相关原因")])
        self.related.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.related.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.related.verticalHeader().hide()
        tidy(self.related, stretch=1)
        self.related.doubleClicked.connect(lambda index: self.show_case(self.view.related[index.row()][0])
                                           if self.view is not None else None)
        self.repeat_button = QPushButton(self.tr("标记为重复件"))
        self.repeat_button.setToolTip(self.tr("本件是所选信访件的重复件（同一人、同一事项），统计时只计一次"))
        self.repeat_button.clicked.connect(self.mark_repeat)
        related_box = QGroupBox(self.tr("关联与相似信访件"))
        related_layout = QVBoxLayout(related_box)
        related_layout.addWidget(self.links)
        related_layout.addWidget(self.related)
        repeat_row = QHBoxLayout()
        repeat_row.addStretch(1)
        repeat_row.addWidget(self.repeat_button)
        related_layout.addLayout(repeat_row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(matter_box, 3)
        left_layout.addWidget(person_box, 2)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(history_box)
        right.addWidget(related_box)
        right.setSizes([360, 240])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 880])
        self.action_bar = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        self.letter_button = QPushButton(self.tr("生成文书"))
        self.letter_button.clicked.connect(self.make_letter)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("办理：")))
        actions.addLayout(self.action_bar)
        actions.addStretch(1)
        actions.addWidget(self.letter_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.clock)
        layout.addLayout(actions)
        layout.addWidget(split, 1)

    def title(self) -> str:
        return self.tr("信访件详情")

    # -- showing ------------------------------------------------------------------------------------------

    def show_case(self, case_id: str) -> None:
        with self._session_factory() as session, session.begin():  # similar cases refresh the text index
            self.view = load_case(session, case_id, today=self._today())
        self._fill()

    def refresh(self) -> None:
        if self.view is not None:
            self.show_case(self.view.case_id)

    def _fill(self) -> None:
        v = self.view
        if v is None:
            self.code.setText(self.tr("信访件不在本机，请先同步"))
            return
        self.code.setText(v.code)
        self.state.setText(self.tr("状态：{state}").format(state=workflow.state_label(v.state)))
        flags = [v.channel, v.kind]
        if v.collective:
            flags.append(self.tr("【集体访】"))
        if v.supervised:
            flags.append(self.tr("【督办】"))
        if v.extended:
            flags.append(self.tr("【已延期】"))
        self.flags.setText("　".join(flags))
        if v.clock_text:
            colour = LIGHT_COLOURS.get(v.clock_light, "#222222")
            self.clock.setText(f"<span style='color:{colour}'>●</span> {v.clock_text}")
            self.clock.setProperty("light", v.clock_light)
        else:
            self.clock.setText(self.tr("当前状态不计办理期限"))
            self.clock.setProperty("light", "")
        self.subject.setText(v.subject)
        self.content.setText(v.content or "—")
        self.category.setText(v.category or "—")
        self.district.setText(v.district or "—")
        self.persons.setText(str(v.persons))
        self.body.setText(v.body or "—")
        self.answer.setText(v.answer or "—")
        for key, label in self.person.items():
            label.setText(v.person.get(key, "") or "—")
        self.history.setRowCount(len(v.steps))
        for n, step in enumerate(v.steps):
            for column, text in enumerate(step):
                self.history.setItem(n, column, QTableWidgetItem(text))
        fit(self.history)
        self.links.setText("；".join(v.links) if v.links else self.tr("无关联信访件"))
        self.related.setRowCount(len(v.related))
        for n, (_cid, code, subject, state, why) in enumerate(v.related):
            for column, text in enumerate((code, subject, state, why)):
                self.related.setItem(n, column, QTableWidgetItem(text))
        fit(self.related)
        self.repeat_button.setEnabled(bool(v.related))
        self._fill_actions()
        self.letter_button.setEnabled(bool(v.letter))
        self.letter_button.setText(self.tr("生成文书：{kind}").format(kind=v.letter) if v.letter
                                   else self.tr("生成文书"))

    def allowed(self) -> list[workflow.Action]:
        v = self.view
        if v is None:
            return []
        return workflow.allowed_actions(v.state, extended=v.extended, permissions=self._actor().permissions,
                                        reviewed=v.reviewed)

    def _fill_actions(self) -> None:
        for button in self.action_buttons.values():
            self.action_bar.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for action in self.allowed():
            button = QPushButton(action.label)
            button.setToolTip(self.tr("依据：{article}").format(article=action.article))
            button.clicked.connect(lambda _checked=False, key=action.key: self.open_action(key))
            self.action_bar.addWidget(button)
            self.action_buttons[action.key] = button

    # -- acting -------------------------------------------------------------------------------------------

    def open_action(self, key: str) -> ActionDialog | None:
        v = self.view
        if v is None:
            return None
        action = workflow.ACTION_BY_KEY[key]
        bodies: list[tuple[str, str]] = []
        proposed = ""
        if any(k == "body" for k, _ in action.required_inputs):
            with self._session_factory() as session:
                bodies = [(c, n) for c, n in session.execute(
                    select(PetBody.code, PetBody.name).where(PetBody.deleted.is_(False), PetBody.active.is_(True))
                    .order_by(PetBody.name))]
                rules = list(session.scalars(select(PetRoutingRule).where(PetRoutingRule.deleted.is_(False))))
            rule = propose_body(rules, v.category_code, v.district_code)
            proposed = rule.body_code if rule is not None else ""
        dialog = ActionDialog(action, bodies, proposed, today=self._today(), case=f"{v.code} {v.subject}",
                              parent=self)
        dialog.accepted.connect(lambda: self.take(key, dialog.inputs()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def take(self, key: str, inputs: dict[str, Any]) -> bool:
        """Take the step in one transaction; a refusal is shown with its reason and nothing changes."""
        v = self.view
        if v is None:
            return False
        try:
            with self._session_factory() as session, session.begin():
                transition(session, self._actor(), v.case_id, key, inputs, today=self._today())
        except PetitionRefused as refused:
            self._tell(self.tr("不能办理"), str(refused))
            return False
        self.refresh()
        self.changed.emit(v.case_id)
        return True

    def mark_repeat(self) -> bool:
        v = self.view
        row = self.related.currentRow()
        if v is None or not 0 <= row < len(v.related):
            self._tell(self.tr("标记为重复件"), self.tr("请先在相似信访件中选中本件重复的那一件。"))
            return False
        try:
            with self._session_factory() as session, session.begin():
                case = session.get(PetCase, v.case_id)
                earlier = session.get(PetCase, v.related[row][0])
                if case is None or earlier is None:
                    raise similar.LinkRefused("信访件不在本机，请先同步")
                similar.link_repeat(session, case, earlier, note="在信访件详情中确认为重复件")
        except similar.LinkRefused as refused:
            self._tell(self.tr("不能标记"), str(refused))
            return False
        self.refresh()
        self.changed.emit(v.case_id)
        return True

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        self.message_box = box
        box.open()

    # -- letters ------------------------------------------------------------------------------------------

    def letter_pdf(self) -> bytes | None:
        v = self.view
        if v is None or not v.letter:
            return None
        today = self._today()
        with self._session_factory() as session:
            case = session.get(PetCase, v.case_id)
            assert case is not None
            return letters.letter_pdf(session, case, v.letter, number=f"{letters.NUMBER_PREFIX}〔{today.year}〕"
                                      f"{case.code}号", on=today, blobs=self._blobs, actor=self._actor().username)

    def make_letter(self) -> None:
        v = self.view
        if v is None:
            return
        try:
            pdf = self.letter_pdf()
        except letters.LetterError as error:
            self._tell(self.tr("不能生成文书"), str(error))
            return
        if pdf is None:
            self._tell(self.tr("生成文书"), self.tr("本件尚未分流或答复，还没有可生成的文书。"))
            return
        job = PdfPrintJob(pdf, f"{v.letter}（{v.code}）")
        self.preview = preview_dialog(job, self)
        self.preview.open()
