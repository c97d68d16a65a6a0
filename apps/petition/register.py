"""登记: a clerk registers a case — a letter opened, a visitor at the window, a phone call being taken.

The form follows the order a clerk hears a matter: how it came and when, what kind of matter, where, how
many people, the matter itself, then who brought it. While the clerk types the petitioner's ID number, phone
or name, the side panel lists that person's earlier cases (``core.petition.similar.same_person_cases``);
after the subject and content, the cases alike in text (``similar_cases``). Either can be chosen with
作为重复件登记 (the new case then repeats it and statistics count the two once). The receiving body the
routing rules propose (``core.petition.reference.propose_body``) is shown as information only.

登记 calls :func:`core.petition.service.register_case` in one transaction. A refusal is split at "；" and
each problem is shown under its field (:func:`field_of`) and in a summary above the buttons; nothing is
written and the form keeps what was typed. On success the case code and the tracking code are shown, the
form is cleared (the channel is kept, as a clerk registers a pile of letters or a run of calls in a row)
and :attr:`RegisterPage.registered` is emitted with the new case's id.

A petitioner with a mobile number gets a tracking code (查询码, ``core.petition.intake``) with its check
on the last four digits, so the receipt SMS names it and the public portal shows the case's progress.

Construction::

    RegisterPage(context_or_session_factory, actor_provider=None, *, today=date.today, parent=None)

- ``context_or_session_factory``: a :class:`~apps.common.context.ClientContext` (its local store's
  sessions are used) or any callable returning a new SQLAlchemy ``Session``;
- ``actor_provider``: a callable returning the :class:`~core.petition.service.Actor` who registers; with a
  context it may be None (the signed-in user and permissions). Without ``petition.case`` the page is
  read-only with a note;
- ``today``: the day the desk counts from (tests pass a fixed day).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from apps.common.context import ClientContext
from apps.common.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role, set_state
from core.auth.roles import P_PETITION_CASE
from core.petition.districts import DISTRICTS, OUTSIDE_CITY
from core.petition.intake import new_tracking_code, tracking_check
from core.petition.models import CHANNELS, COLLECTIVE_THRESHOLD, KINDS, PetBody, PetCategory, PetRoutingRule
from core.petition.reference import propose_body
from core.petition.service import Actor, CaseInput, PetitionerInput, PetitionRefused, register_case
from core.petition.similar import PersonCase, SimilarCase, same_person_cases, similar_cases
from core.petition.workflow import state_label

__all__ = ["FIELD_PREFIXES", "RegisterPage", "Registered", "field_of"]

log = logging.getLogger(__name__)
LOOKUP_DELAY_MS = 350
"""The side panel looks up this long after the last key press (typing stays smooth)."""
PANEL_LIMIT = 8
FIELD_ERROR_STYLE = ("QLineEdit[state=\"error\"], QComboBox[state=\"error\"], QDateEdit[state=\"error\"], "
                     "QSpinBox[state=\"error\"], QPlainTextEdit[state=\"error\"] { border: 2px solid #b00020; }")

FIELD_PREFIXES: tuple[tuple[str, str], ...] = (
    ("来源渠道", "channel"),
    ("须填写信访事项", "subject"),
    ("信访事项（标题）", "subject"),
    ("事项类别", "kind"),
    ("收到日期", "received"),
    ("涉及人数", "persons"),
    ("区“", "district"),
    ("信访分类", "category"),
    ("须填写信访人", "name"),
    ("手机号码", "phone"),
    ("身份证号", "id_number"),
    ("所选的信访人", "name"),
    ("所选的前一件信访件", "repeat"),
)
"""How a refusal of ``register_case`` begins → the field it is shown under (the first match wins)."""


def field_of(problem: str) -> str:
    """The field a refusal text belongs to; "" when it belongs to none (shown in the summary only)."""
    text = problem.strip()
    for prefix, key in FIELD_PREFIXES:
        if text.startswith(prefix):
            return key
    return ""


@dataclass(frozen=True)
class Registered:
    """What the last successful 登记 made."""

    case_id: str
    code: str
    tracking_code: str | None
    due_on: date | None


class RegisterPage(QWidget):
    registered = Signal(str)
    """The id of the case just registered (the desk opens it)."""

    def __init__(self, context_or_session_factory: ClientContext | Callable[[], Session],
                 actor_provider: Callable[[], Actor] | None = None, *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionRegister")
        self.setStyleSheet(FIELD_ERROR_STYLE)
        if isinstance(context_or_session_factory, ClientContext):
            context = context_or_session_factory
            self._session_factory: Callable[[], Session] = context.store.session
            if actor_provider is None:
                def actor_provider() -> Actor:
                    return Actor.of(context.user.username, frozenset(context.user.permissions))
        else:
            self._session_factory = context_or_session_factory
        if actor_provider is None:
            raise TypeError("RegisterPage needs actor_provider when given a session factory")
        self._actor = actor_provider
        self._today = today
        self.may_register = P_PETITION_CASE in self._actor().permissions
        self.repeat_of: str | None = None
        self.repeat_code = ""
        self.person_matches: list[PersonCase] = []
        self.similar_matches: list[SimilarCase] = []
        self.problems: dict[str, list[str]] = {}
        self.last: Registered | None = None
        self._rules: list[PetRoutingRule] = []
        self._body_names: dict[str, str] = {}
        self._categories: list[tuple[str, str, str]] = []  # (code, parent code, name)
        self.errors: dict[str, QLabel] = {}
        self._generation = {"person": 0, "similar": 0}
        self.inputs: dict[str, QWidget] = {}
        self._build()
        self.reload_reference()
        self.clear_form(keep_channel=False)
        self._apply_permission()

    def title(self) -> str:
        return self.tr("登记")

    # building ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.channel = QComboBox()
        for channel in CHANNELS:
            self.channel.addItem(channel, channel)
        self.received = QDateEdit()
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.category1 = QComboBox()
        self.category2 = QComboBox()
        self.district = QComboBox()
        self.district.addItem(self.tr("（未选）"), "")
        for code, name in DISTRICTS:
            self.district.addItem(name, code)
        self.district.addItem(self.tr("外省市"), OUTSIDE_CITY)
        self.persons = QSpinBox()
        self.persons.setRange(1, 10_000)
        self.persons.setSuffix(self.tr(" 人"))
        self.collective = set_role(QLabel(self.tr("集体访")), "notice")
        self.collective.setObjectName("collectiveLabel")
        self.subject = QLineEdit()
        self.subject.setMaxLength(200)
        self.subject.setPlaceholderText(self.tr("一句话说明反映的事项"))
        self.content = QPlainTextEdit()
        self.content.setTabChangesFocus(True)
        self.content.setPlaceholderText(self.tr("信访人反映的具体内容和诉求"))
        self.content.setMinimumHeight(120)
        self.anonymous = QCheckBox(self.tr("匿名来信（不填写信访人）"))
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.gender = QComboBox()
        for label, value in ((self.tr("（未填）"), ""), (self.tr("男"), "男"), (self.tr("女"), "女")):
            self.gender.addItem(label, value)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("11 位手机号码"))
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.id_number.setPlaceholderText(self.tr("18 位身份证号"))
        self.address = QLineEdit()
        self.address.setMaxLength(200)

        matter = QGroupBox(self.tr("信访事项"))
        grid = QGridLayout(matter)
        grid.setColumnStretch(1, 1)
        persons_row = QHBoxLayout()
        persons_row.addWidget(self.persons)
        persons_row.addWidget(self.collective)
        persons_row.addStretch(1)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category1, 1)
        category_row.addWidget(self.category2, 2)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("channel", self.tr("来源渠道"), self.channel),
            ("received", self.tr("收到日期"), self.received),
            ("kind", self.tr("事项类别"), self.kind),
            ("category", self.tr("信访分类"), category_row),
            ("district", self.tr("所属区"), self.district),
            ("persons", self.tr("涉及人数"), persons_row),
            ("subject", self.tr("信访事项"), self.subject),
            ("content", self.tr("主要内容"), self.content),
        ]
        self._grid_rows(grid, rows)
        for key, widget in (("channel", self.channel), ("received", self.received), ("kind", self.kind),
                            ("category", self.category1), ("district", self.district), ("persons", self.persons),
                            ("subject", self.subject), ("content", self.content)):
            self.inputs[key] = widget

        person = QGroupBox(self.tr("信访人"))
        pgrid = QGridLayout(person)
        pgrid.setColumnStretch(1, 1)
        pgrid.addWidget(self.anonymous, 0, 1)
        self._grid_rows(pgrid, [
            ("name", self.tr("姓名"), self.name),
            ("gender", self.tr("性别"), self.gender),
            ("phone", self.tr("手机号码"), self.phone),
            ("id_number", self.tr("身份证号"), self.id_number),
            ("address", self.tr("地址"), self.address),
        ], start=1)
        for key, widget in (("name", self.name), ("gender", self.gender), ("phone", self.phone),
                            ("id_number", self.id_number), ("address", self.address)):
            self.inputs[key] = widget

        form = QWidget()
        form_layout = QVBoxLayout(form)
        self.read_only_note = set_role(QLabel(self.tr(
            "您没有登记信访件的权限（petition.case），本页只能查看。需要登记请联系信访办负责人。")), "notice")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setObjectName("readOnlyNote")
        form_layout.addWidget(self.read_only_note)
        form_layout.addWidget(matter)
        form_layout.addWidget(person)
        form_layout.addStretch(1)
        scroll = self.form_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)

        # the side panel: proposal, repeat choice, same person, similar text
        self.proposal = QLabel()
        self.proposal.setObjectName("proposalLabel")
        self.proposal.setWordWrap(True)
        self.repeat_label = set_role(QLabel(), "notice")
        self.repeat_label.setObjectName("repeatLabel")
        self.repeat_label.setWordWrap(True)
        self.repeat_cancel = QPushButton(self.tr("取消重复件"))
        self.errors["repeat"] = self._error_label("repeat")
        self.person_box = QGroupBox(self.tr("此人以往信访"))
        self.person_box.setObjectName("personBox")
        self.person_list = QVBoxLayout()
        self.person_hint = set_role(QLabel(self.tr("输入身份证号、手机号或姓名和地址后，这里列出此人以往的信访件。")),
                                    "hint")
        self.person_hint.setWordWrap(True)
        box_layout = QVBoxLayout(self.person_box)
        box_layout.addWidget(self.person_hint)
        box_layout.addLayout(self.person_list)
        self.similar_box = QGroupBox(self.tr("相似信访件"))
        self.similar_box.setObjectName("similarBox")
        self.similar_list = QVBoxLayout()
        self.similar_hint = set_role(QLabel(self.tr("填写信访事项和内容后，这里列出内容相近的信访件。")), "hint")
        self.similar_hint.setWordWrap(True)
        box_layout = QVBoxLayout(self.similar_box)
        box_layout.addWidget(self.similar_hint)
        box_layout.addLayout(self.similar_list)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(set_role(QLabel(self.tr("建议接收单位")), "subtitle"))
        side_layout.addWidget(self.proposal)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat_label, 1)
        repeat_row.addWidget(self.repeat_cancel, 0, Qt.AlignmentFlag.AlignTop)
        side_layout.addLayout(repeat_row)
        side_layout.addWidget(self.errors["repeat"])
        side_layout.addWidget(self.person_box)
        side_layout.addWidget(self.similar_box)
        side_layout.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setWidget(side)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setMinimumWidth(380)

        self.summary = set_role(QLabel(), "error")
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = set_role(QLabel(), "notice")
        self.result.setObjectName("resultLabel")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.clear_button = QPushButton(self.tr("清空"))
        self.register_button = set_role(QPushButton(self.tr("登记 (Ctrl+Enter)")), "primary")
        self.register_button.setObjectName("registerButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.register_button)

        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(side_scroll, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.result)
        layout.addLayout(buttons)

        order: list[QWidget] = [self.channel, self.received, self.kind, self.category1, self.category2,
                                self.district, self.persons, self.subject, self.content, self.anonymous,
                                self.name, self.gender, self.phone, self.id_number, self.address,
                                self.register_button, self.clear_button, self.repeat_cancel]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

        shortcut = QAction(self)
        shortcut.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(self.register)
        self.addAction(shortcut)

        self._person_timer = QTimer(self)
        self._person_timer.setSingleShot(True)
        self._person_timer.setInterval(LOOKUP_DELAY_MS)
        self._person_timer.timeout.connect(self.look_up_person)
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(LOOKUP_DELAY_MS)
        self._similar_timer.timeout.connect(self.look_up_similar)
        for edit in (self.name, self.phone, self.id_number, self.address):
            edit.textChanged.connect(lambda _t: self._person_timer.start())
        self.subject.textChanged.connect(lambda _t: self._similar_timer.start())
        self.content.textChanged.connect(self._similar_timer.start)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.anonymous.toggled.connect(self._anonymous_toggled)
        self.category1.currentIndexChanged.connect(self._category1_changed)
        self.category2.currentIndexChanged.connect(self._update_proposal)
        self.district.currentIndexChanged.connect(self._update_proposal)
        self.persons.valueChanged.connect(self._persons_changed)
        self.received.dateChanged.connect(self._date_changed)
        self.register_button.clicked.connect(self.register)
        self.clear_button.clicked.connect(lambda: self.clear_form(keep_channel=True))
        self.repeat_cancel.clicked.connect(lambda: self.set_repeat(None))

    def _error_label(self, key: str) -> QLabel:
        label = set_role(QLabel(), "error")
        label.setObjectName(f"error_{key}")
        label.setWordWrap(True)
        label.hide()
        return label

    def _grid_rows(self, grid: QGridLayout, rows: list[tuple[str, str, QWidget | QHBoxLayout]], *,
                   start: int = 0) -> None:
        row = start
        for key, text, widget in rows:
            label = QLabel(text)
            top = key == "content"
            label.setAlignment(Qt.AlignmentFlag.AlignRight
                               | (Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter))
            label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            if isinstance(widget, QWidget):
                label.setBuddy(widget)
                grid.addWidget(label, row, 0)
                grid.addWidget(widget, row, 1)
            else:
                grid.addWidget(label, row, 0)
                grid.addLayout(widget, row, 1)
            error = self._error_label(key)
            self.errors[key] = error
            grid.addWidget(error, row + 1, 1)
            row += 2

    # reference data -----------------------------------------------------------------------------
    def reload_reference(self) -> None:
        """Read the categories, routing rules and body names again (after a sync brought changes)."""
        with self._session_factory() as session:
            self._categories = [(c, p, n) for c, p, n in session.execute(
                select(PetCategory.code, PetCategory.parent_code, PetCategory.name)
                .where(PetCategory.deleted.is_(False), PetCategory.active.is_(True))
                .order_by(PetCategory.parent_code, PetCategory.position, PetCategory.code))]
            self._rules = list(session.scalars(select(PetRoutingRule).where(PetRoutingRule.deleted.is_(False))))
            session.expunge_all()
            self._body_names = {c: n for c, n in session.execute(
                select(PetBody.code, PetBody.name).where(PetBody.deleted.is_(False)))}
        chosen = self.category_code()
        self.category1.blockSignals(True)
        self.category1.clear()
        self.category1.addItem(self.tr("（未选）"), "")
        for code, parent, name in self._categories:
            if not parent:
                self.category1.addItem(name, code)
        self.category1.blockSignals(False)
        self.set_category(chosen)

    def set_category(self, code: str) -> None:
        first = self.category1.findData(code[:2] if code else "")
        self.category1.setCurrentIndex(max(first, 0))
        self._category1_changed()
        if len(code) > 2:
            self.category2.setCurrentIndex(max(self.category2.findData(code), 0))

    def _category1_changed(self, *_: object) -> None:
        parent = self.category1.currentData() or ""
        self.category2.blockSignals(True)
        self.category2.clear()
        self.category2.addItem(self.tr("（不细分）"), "")
        if parent:
            for code, up, name in self._categories:
                if up == parent:
                    self.category2.addItem(name, code)
        self.category2.setEnabled(bool(parent) and self.may_register)
        self.category2.blockSignals(False)
        self._update_proposal()

    def category_code(self) -> str:
        return str(self.category2.currentData() or self.category1.currentData() or "")

    def _update_proposal(self, *_: object) -> None:
        code = self.category_code()
        if not code:
            self.proposal.setText(self.tr("选择信访分类后，按分流规则提出建议接收单位。"))
            return
        rule = propose_body(self._rules, code, self.district.currentData() or "")
        if rule is None:
            self.proposal.setText(self.tr("没有适用的分流规则；分流时由您选择接收单位。"))
            return
        name = self._body_names.get(rule.body_code, rule.body_code)
        self.proposal.setText(self.tr("{route}：{body}（仅供参考，分流时可以改）").format(route=rule.route, body=name))

    # the form -------------------------------------------------------------------------------------
    def clear_form(self, *, keep_channel: bool = True) -> None:
        """Back to an empty form (today's date); the channel stays unless ``keep_channel`` is False."""
        if not keep_channel:
            self.channel.setCurrentIndex(0)
        day = self._today()
        self.received.setDate(QDate(day.year, day.month, day.day))
        self.kind.setCurrentIndex(max(self.kind.findData("申诉求决类"), 0))
        self.set_category("")
        self.district.setCurrentIndex(0)
        self.persons.setValue(1)
        for edit in (self.subject, self.name, self.phone, self.id_number, self.address):
            edit.clear()
        self.content.clear()
        self.gender.setCurrentIndex(0)
        self.anonymous.setChecked(False)
        self.set_repeat(None)
        self._person_timer.stop()
        self._similar_timer.stop()
        self._generation["person"] += 1
        self._generation["similar"] += 1
        self._show_person([])
        self._show_similar([])
        self.show_problems([])
        self._channel_changed()
        self._persons_changed(1)

    def prefill(self, *, channel: str = "来访", name: str = "", persons: int = 1) -> None:
        """An empty form with what is already known (a visitor called from the reception queue)."""
        self.clear_form(keep_channel=False)
        self.channel.setCurrentIndex(max(self.channel.findData(channel), 0))
        self.name.setText(name)
        self.persons.setValue(max(1, min(persons, self.persons.maximum())))
        self.result.hide()

    def _channel_changed(self, *_: object) -> None:
        letter = self.channel.currentData() == "来信"
        if not letter:
            self.anonymous.setChecked(False)
        self.anonymous.setVisible(letter)

    def _anonymous_toggled(self, on: bool) -> None:
        for widget in (self.name, self.gender, self.phone, self.id_number, self.address):
            widget.setEnabled(not on and self.may_register)
        if on:
            self._generation["person"] += 1
            self._show_person([])

    def _persons_changed(self, value: int) -> None:
        self.collective.setVisible(value >= COLLECTIVE_THRESHOLD)

    def _date_changed(self, *_: object) -> None:
        received = self.received.date().toPython()
        key = "received"
        if isinstance(received, date) and received > self._today():
            self._set_field_problems(key, [self.tr("收到日期 {d} 晚于今天").format(d=received.isoformat())])
        elif self.problems.get(key):
            self._set_field_problems(key, [])

    def case_input(self) -> CaseInput:
        """What the form holds, as the service takes it."""
        received = self.received.date().toPython()
        person: PetitionerInput | None = None
        anonymous = self.anonymous.isChecked() and self.channel.currentData() == "来信"
        typed = any(e.text().strip() for e in (self.name, self.phone, self.id_number, self.address))
        if not anonymous and (typed or self.channel.currentData() != "来信"):
            person = PetitionerInput(name=self.name.text().strip(), phone=self.phone.text().strip(),
                                     id_number=self.id_number.text().strip(), address=self.address.text().strip(),
                                     gender=str(self.gender.currentData() or ""),
                                     district_code=str(self.district.currentData() or ""))
        tracking, check = None, ""
        if person is not None and len(person.phone) >= 4:
            tracking = new_tracking_code()
            check = tracking_check(tracking, person.phone[-4:])
        return CaseInput(channel=str(self.channel.currentData()), subject=self.subject.text(),
                         content=self.content.toPlainText(),
                         received_on=received if isinstance(received, date) else None,
                         kind=str(self.kind.currentData()), category_code=self.category_code(),
                         district_code=str(self.district.currentData() or ""),
                         persons_involved=self.persons.value(), petitioner=person, repeat_of=self.repeat_of,
                         tracking_code=tracking, tracking_check=check)

    # problems -------------------------------------------------------------------------------------
    def show_problems(self, problems: list[str]) -> None:
        """Show each problem under its field and all of them in the summary (an empty list clears them)."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(field_of(problem), []).append(problem)
        for key in self.errors:
            self._set_field_problems(key, by_field.get(key, []))
        self.problems = by_field
        if problems:
            lines = "\n".join(f"• {p}" for p in problems)
            self.summary.setText(self.tr("未登记，请改正以下 {n} 处后再登记：\n{lines}").format(
                n=len(problems), lines=lines))
            self.summary.show()
            first = next((k for k in self.inputs if k in by_field), None)
            if first is not None and self.inputs[first].isEnabled():
                self.inputs[first].setFocus()
                self.form_scroll.ensureWidgetVisible(self.inputs[first])
        else:
            self.summary.clear()
            self.summary.hide()

    def _set_field_problems(self, key: str, problems: list[str]) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText("\n".join(problems))
        label.setVisible(bool(problems))
        self.problems[key] = problems
        widget = self.inputs.get(key)
        if widget is not None:
            set_state(widget, "error" if problems else "")
            if key == "category":
                set_state(self.category2, "error" if problems else "")

    def field_error(self, key: str) -> str:
        """The problem text shown under a field ("" when none is shown)."""
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    # registering ------------------------------------------------------------------------------------
    def register(self) -> Registered | None:
        """登记: the case in one transaction; on refusal the problems are shown and nothing is written."""
        if not self.may_register:
            return None
        self._date_changed()
        data = self.case_input()
        actor = self._actor()
        try:
            with self._session_factory() as session, session.begin():
                case = register_case(session, actor, data, today=self._today())
                done = Registered(case.id, case.code, case.tracking_code, case.due_on)
        except PetitionRefused as refusal:
            self.result.hide()
            self.show_problems([p for p in str(refusal).split("；") if p.strip()])
            return None
        except OperationalError as error:  # the local database was busy (a sync, the text index): retry
            log.warning("登记时本机数据库忙：%s", error)
            self.result.hide()
            self.show_problems([self.tr("本机数据库正忙，这一件没有登记，请再点一次“登记”。")])
            return None
        self.last = done
        channel = self.channel.currentIndex()
        self.clear_form()
        self.channel.setCurrentIndex(channel)
        if done.tracking_code:
            text = self.tr("已登记，编号 {code}。查询码 {tracking}（已随短信回执发给信访人，可在网上查询办理进度）。"
                           ).format(code=done.code, tracking=done.tracking_code)
        else:
            text = self.tr("已登记，编号 {code}。信访人未留手机号码，没有查询码。").format(code=done.code)
        if done.due_on is not None:
            text += self.tr("请于 {due} 前分流。").format(due=done.due_on.isoformat())
        self.result.setText(text)
        self.result.show()
        self.channel.setFocus()
        self.registered.emit(done.case_id)
        return done

    # the side panel ----------------------------------------------------------------------------------
    def set_repeat(self, case_id: str | None, code: str = "") -> None:
        """Register the case as a repeat of ``case_id`` (None: not a repeat)."""
        self.repeat_of, self.repeat_code = case_id, code if case_id else ""
        if case_id:
            self.repeat_label.setText(self.tr("将作为 {code} 的重复件登记（统计时计为一件）").format(code=code))
        self.repeat_label.setVisible(bool(case_id))
        self.repeat_cancel.setVisible(bool(case_id))
        if "repeat" in self.errors:
            self._set_field_problems("repeat", [])

    def look_up_person(self) -> None:
        """Look up the cases of the person being typed, off the GUI thread; the side panel lists them."""
        self._person_timer.stop()
        self._generation["person"] += 1
        generation = self._generation["person"]
        phone = self.phone.text().strip()
        ident = self.id_number.text().strip()
        name, address = self.name.text(), self.address.text()
        if self.anonymous.isChecked() or not (phone or ident or name.strip()):
            self._show_person([])
            return
        factory = self._session_factory

        def work(_ctx: TaskContext) -> list[PersonCase]:
            with factory() as session:
                return same_person_cases(session, id_number=ident if len(ident) >= 15 else None,
                                         phone=phone if len(phone) >= 7 else None, name=name, address=address,
                                         limit=PANEL_LIMIT * 2)

        self._run(work, "person", generation, self._show_person)

    def look_up_similar(self) -> None:
        """Look up the cases alike in text to the subject and content, off the GUI thread."""
        self._similar_timer.stop()
        self._generation["similar"] += 1
        generation = self._generation["similar"]
        text = f"{self.subject.text()}\n{self.content.toPlainText()}".strip()
        if len(text) < 4:
            self._show_similar([])
            return
        factory = self._session_factory

        def work(_ctx: TaskContext) -> list[SimilarCase]:
            with factory() as session, session.begin():  # the local text index is brought up to date
                return similar_cases(session, text, limit=PANEL_LIMIT)

        self._run(work, "similar", generation, self._show_similar)

    def _run(self, work: Callable[[TaskContext], list[Any]], kind: str, generation: int,
             show: Callable[[list[Any]], None]) -> None:
        def done(found: list[Any]) -> None:
            if self._generation[kind] == generation:  # a later lookup supersedes this one
                show(found)

        def failed(error: BaseException) -> None:
            log.warning("查找%s失败：%s", "此人以往信访" if kind == "person" else "相似信访件", error)

        BackgroundTask(work, owner=self, name=f"petition-register-{kind}").on_success(done).on_failure(failed).start()

    def lookups_idle(self) -> bool:
        """No lookup is waiting to start (the side panel shows what was last typed once its task reports)."""
        return not self._person_timer.isActive() and not self._similar_timer.isActive()

    def _show_person(self, found: list[PersonCase]) -> None:
        self.person_matches = found
        self.person_box.setTitle(self.tr("此人以往信访 {n} 件").format(n=len(found)) if found
                                 else self.tr("此人以往信访"))
        self.person_hint.setVisible(not found)
        self._fill(self.person_list, [
            (c.case_id, c.code, f"{c.code}　{c.received_on:%Y-%m-%d}\n【{state_label(c.state)}】{c.subject}"
             f"（{c.petitioner}，{c.reason}）") for c in found[:PANEL_LIMIT]])

    def _show_similar(self, found: list[SimilarCase]) -> None:
        self.similar_matches = found
        self.similar_box.setTitle(self.tr("相似信访件 {n} 件").format(n=len(found)) if found
                                  else self.tr("相似信访件"))
        self.similar_hint.setVisible(not found)
        self._fill(self.similar_list, [
            (c.case_id, c.code, f"{c.code}　{c.received_on:%Y-%m-%d}\n【{state_label(c.state)}】{c.subject}"
             + self.tr("（相似度 {p}%）").format(p=round(c.score * 100))) for c in found])

    def _fill(self, layout: QVBoxLayout, rows: list[tuple[str, str, str]]) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for case_id, code, text in rows:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setObjectName(f"match_{code}")
            row = QVBoxLayout(frame)
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("作为重复件登记"))
            button.setObjectName(f"repeat_{code}")
            button.setEnabled(self.may_register)
            button.clicked.connect(lambda _c=False, cid=case_id, cc=code: self.set_repeat(cid, cc))
            row.addWidget(label)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
            layout.addWidget(frame)

    def repeat_buttons(self) -> list[QPushButton]:
        """The 作为重复件登记 buttons now shown in the side panel."""
        return [b for b in self.findChildren(QPushButton) if b.objectName().startswith("repeat_")
                and not b.isHidden()]

    # permission -------------------------------------------------------------------------------------
    def _apply_permission(self) -> None:
        self.read_only_note.setVisible(not self.may_register)
        if self.may_register:
            return
        for widget in (*self.inputs.values(), self.category2, self.anonymous, self.register_button,
                       self.clear_button, self.repeat_cancel):
            widget.setEnabled(False)
        self.subject.setReadOnly(True)
        self.content.setReadOnly(True)
