"""来访接待: today's queue of visitors at the reception window.

A visitor takes a ticket (name, how many came); the receptionist calls the next ticket, registers the
visitor's case on the 登记 form (channel 来访, name and persons filled in) and finishes the visit; a visitor
who went away before being called is marked so. The table shows today's tickets with their waiting times
(refreshed every half minute). The rules are in :mod:`core.petition.reception`.

Construction (as :class:`~apps.petition.register.RegisterPage`)::

    ReceptionPage(context_or_session_factory, actor_provider=None, *, today=date.today, now=None, parent=None)

``now`` returns the current UTC time (tests pass a fixed one). :attr:`ReceptionPage.registered` carries the
id of a case registered for a visitor, like the 登记 page's signal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from apps.common.context import ClientContext
from apps.common.qt import (
    QHBoxLayout,
    QHideEvent,
    QLabel,
    QLineEdit,
    QPushButton,
    QShowEvent,
    QSpinBox,
    QStackedWidget,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from apps.common.theme import set_role
from apps.petition.register import RegisterPage
from core.auth.roles import P_PETITION_CASE
from core.petition import reception
from core.petition.reception import QueueRow, ReceptionRefused
from core.petition.service import Actor

__all__ = ["ReceptionPage"]

REFRESH_MS = 30_000


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReceptionPage(QWidget):
    registered = Signal(str)
    """The id of a case registered for a visitor."""

    def __init__(self, context_or_session_factory: ClientContext | Callable[[], Session],
                 actor_provider: Callable[[], Actor] | None = None, *, today: Callable[[], date] = date.today,
                 now: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionReception")
        if isinstance(context_or_session_factory, ClientContext):
            context = context_or_session_factory
            self._session_factory: Callable[[], Session] = context.store.session
            if actor_provider is None:
                def actor_provider() -> Actor:
                    return Actor.of(context.user.username, frozenset(context.user.permissions))
        else:
            self._session_factory = context_or_session_factory
        if actor_provider is None:
            raise TypeError("ReceptionPage needs actor_provider when given a session factory")
        self._actor = actor_provider
        self._today = today
        self._now = now or _utc_now
        self.may_receive = P_PETITION_CASE in self._actor().permissions
        self.rows: list[QueueRow] = []
        self.serving: QueueRow | None = None
        """The visitor whose case is being registered on the 登记 form."""

        # the queue
        self.visitor = QLineEdit()
        self.visitor.setPlaceholderText(self.tr("来访人姓名"))
        self.visitor.setMaxLength(60)
        self.persons = QSpinBox()
        self.persons.setRange(1, reception.MAX_PERSONS)
        self.persons.setSuffix(self.tr(" 人"))
        self.ticket_button = set_role(QPushButton(self.tr("取号")), "primary")
        self.ticket_button.setObjectName("ticketButton")
        self.message = QLabel()
        self.message.setObjectName("receptionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("receptionTable")
        self.table.setHorizontalHeaderLabels([self.tr("号"), self.tr("来访人"), self.tr("人数"), self.tr("到达"),
                                              self.tr("等候"), self.tr("状态"), self.tr("接待人"),
                                              self.tr("信访件")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=1)
        self.call_button = set_role(QPushButton(self.tr("叫下一位")), "primary")
        self.call_button.setObjectName("callButton")
        self.register_button = QPushButton(self.tr("登记信访件"))
        self.finish_button = QPushButton(self.tr("接待完毕"))
        self.left_button = QPushButton(self.tr("未接待离开"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.count = QLabel()
        self.count.setObjectName("receptionCount")
        self.read_only_note = set_role(QLabel(self.tr(
            "您没有来访接待的权限（petition.case），只能查看今天的队列。")), "notice")
        self.read_only_note.setWordWrap(True)

        take = QHBoxLayout()
        take.addWidget(QLabel(self.tr("来访人")))
        take.addWidget(self.visitor, 2)
        take.addWidget(QLabel(self.tr("人数")))
        take.addWidget(self.persons)
        take.addWidget(self.ticket_button)
        take.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.call_button, self.register_button, self.finish_button, self.left_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.refresh_button)
        queue_view = QWidget()
        queue_layout = QVBoxLayout(queue_view)
        queue_layout.addWidget(self.read_only_note)
        queue_layout.addWidget(set_role(QLabel(self.tr("取号")), "subtitle"))
        queue_layout.addLayout(take)
        queue_layout.addWidget(self.message)
        queue_layout.addWidget(set_role(QLabel(self.tr("今日来访队列")), "subtitle"))
        queue_layout.addWidget(self.table, 1)
        queue_layout.addWidget(self.count)
        queue_layout.addLayout(actions)

        # the 登记 form for the visitor being received
        self.register_page = RegisterPage(self._session_factory, self._actor, today=today)
        self.serving_label = set_role(QLabel(), "subtitle")
        self.serving_label.setWordWrap(True)
        self.back_button = QPushButton(self.tr("返回队列"))
        head = QHBoxLayout()
        head.addWidget(self.serving_label, 1)
        head.addWidget(self.back_button)
        register_view = QWidget()
        register_layout = QVBoxLayout(register_view)
        register_layout.setContentsMargins(0, 0, 0, 0)
        register_layout.addLayout(head)
        register_layout.addWidget(self.register_page, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(queue_view)
        self.stack.addWidget(register_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        for first, second in ((self.visitor, self.persons), (self.persons, self.ticket_button),
                              (self.ticket_button, self.table), (self.table, self.call_button),
                              (self.call_button, self.register_button), (self.register_button, self.finish_button),
                              (self.finish_button, self.left_button), (self.left_button, self.refresh_button)):
            QWidget.setTabOrder(first, second)

        self.visitor.returnPressed.connect(self.take_ticket)
        self.ticket_button.clicked.connect(self.take_ticket)
        self.call_button.clicked.connect(self.call_next)
        self.register_button.clicked.connect(self.register_for_selected)
        self.finish_button.clicked.connect(self.finish_selected)
        self.left_button.clicked.connect(self.mark_selected_left)
        self.refresh_button.clicked.connect(self.reload)
        self.back_button.clicked.connect(self.back_to_queue)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.register_page.registered.connect(self._registered)
        self._shown_before = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.reload)  # while the page is on screen (showEvent, hideEvent)
        self.read_only_note.setVisible(not self.may_receive)
        for widget in (self.visitor, self.persons, self.ticket_button):
            widget.setEnabled(self.may_receive)
        self.reload()

    def title(self) -> str:
        return self.tr("来访接待")

    def showEvent(self, event: QShowEvent) -> None:
        """The queue is read again when the page comes back on screen, then every :data:`REFRESH_MS`."""
        if not self._timer.isActive():
            if self._shown_before:
                self.reload()
            self._timer.start()
        self._shown_before = True
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """A page off screen (another page of the desk, the window closed) does not read the database."""
        self._timer.stop()
        super().hideEvent(event)

    # reading -------------------------------------------------------------------------------------
    def reload(self, *_: object, select_id: str | None = None) -> None:
        current = self.selected()
        chosen = select_id or (current.reception_id if current is not None else None)
        with self._session_factory() as session:
            self.rows = reception.queue(session, self._today(), now=self._now())
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            arrived = row.arrived_at.astimezone().strftime("%H:%M") if row.arrived_at else ""
            persons = str(row.persons) + (self.tr("（集体访）") if row.collective else "")
            cells = [str(row.ticket), row.visitor_name, persons, arrived,
                     self.tr("{n} 分钟").format(n=row.waited_minutes), row.status_label, row.receptionist,
                     row.case_code]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 2, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(n, column, item)
        fit(self.table)
        waiting = sum(r.status == "waiting" for r in self.rows)
        serving = sum(r.status == "called" for r in self.rows)
        done = sum(r.status == "done" for r in self.rows)
        self.count.setText(self.tr("等候 {w} 人，接待中 {c} 人，已接待 {d} 人").format(w=waiting, c=serving, d=done))
        if chosen is not None:
            for n, row in enumerate(self.rows):
                if row.reception_id == chosen:
                    self.table.selectRow(n)
        self._update_buttons()

    def selected(self) -> QueueRow | None:
        index = self.table.currentRow()
        if not self.table.selectionModel().hasSelection() or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def _update_buttons(self) -> None:
        row = self.selected()
        may = self.may_receive
        self.call_button.setEnabled(may and any(r.status == "waiting" for r in self.rows))
        self.register_button.setEnabled(may and row is not None and row.status == "called" and not row.case_id)
        self.finish_button.setEnabled(may and row is not None and row.status == "called")
        self.left_button.setEnabled(may and row is not None and row.status in ("waiting", "called"))

    def _say(self, text: str, *, error: bool = False) -> None:
        set_role(self.message, "error" if error else "notice")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    # steps ---------------------------------------------------------------------------------------
    def _step(self, work: Callable[[Session, Actor], str | None]) -> str | None:
        """Run one queue step in a transaction; a refusal is said on the page and nothing is written."""
        actor = self._actor()
        try:
            with self._session_factory() as session, session.begin():
                done = work(session, actor)
        except ReceptionRefused as refusal:
            self._say(self.tr("未办理：{reason}").format(reason=str(refusal)), error=True)
            return None
        return done

    def take_ticket(self) -> int | None:
        """取号 for the visitor typed; returns the ticket number."""
        if not self.may_receive:
            return None
        name, persons = self.visitor.text(), self.persons.value()

        def work(session: Session, actor: Actor) -> str:
            row = reception.take_ticket(session, actor.username, actor.permissions, name, persons,
                                        day=self._today(), now=self._now())
            return f"{row.id}|{row.ticket}"

        done = self._step(work)
        if done is None:
            self.visitor.setFocus()
            return None
        reception_id, ticket = done.split("|")
        self.visitor.clear()
        self.persons.setValue(1)
        self._say(self.tr("{name}：第 {n} 号，请稍候。").format(name=name.strip(), n=ticket))
        self.reload(select_id=reception_id)
        self.visitor.setFocus()
        return int(ticket)

    def call_next(self) -> QueueRow | None:
        """叫下一位: the waiting visitor with the lowest ticket."""
        if not self.may_receive:
            return None

        def work(session: Session, actor: Actor) -> str | None:
            row = reception.call_next(session, actor.username, actor.permissions, day=self._today(),
                                      now=self._now())
            return row.id if row is not None else ""

        done = self._step(work)
        if done is None:
            return None
        if not done:
            self._say(self.tr("没有等候的来访人。"))
            self.reload()
            return None
        self.reload(select_id=done)
        row = self.selected()
        if row is not None:
            self._say(self.tr("请第 {n} 号 {name} 到接待窗口。").format(n=row.ticket, name=row.visitor_name))
        return row

    def register_for_selected(self) -> None:
        """The 登记 form for the selected visitor being received: channel 来访, name and persons filled in."""
        row = self.selected()
        if row is None or row.status != "called" or not self.may_receive:
            return
        self.serving = row
        self.register_page.prefill(channel="来访", name=row.visitor_name, persons=row.persons)
        self.serving_label.setText(self.tr("为第 {n} 号 {name} 登记信访件").format(n=row.ticket,
                                                                             name=row.visitor_name))
        self.stack.setCurrentIndex(1)
        self.register_page.subject.setFocus()

    def back_to_queue(self) -> None:
        self.serving = None
        self.stack.setCurrentIndex(0)
        self.reload()

    def _registered(self, case_id: str) -> None:
        serving = self.serving
        if serving is not None:
            def work(session: Session, actor: Actor) -> str:
                reception.attach_case(session, actor.username, actor.permissions, serving.reception_id, case_id)
                return serving.reception_id

            self._step(work)
            code = self.register_page.last.code if self.register_page.last else ""
            self._say(self.tr("已为第 {n} 号 {name} 登记信访件 {code}；接待结束后请点“接待完毕”。").format(
                n=serving.ticket, name=serving.visitor_name, code=code))
        self.serving = None
        self.stack.setCurrentIndex(0)
        self.reload(select_id=serving.reception_id if serving else None)
        self.registered.emit(case_id)

    def finish_selected(self) -> None:
        row = self.selected()
        if row is None:
            return

        def work(session: Session, actor: Actor) -> str:
            return reception.finish(session, actor.username, actor.permissions, row.reception_id,
                                    now=self._now()).id

        if self._step(work) is not None:
            self._say(self.tr("第 {n} 号 {name} 接待完毕。").format(n=row.ticket, name=row.visitor_name))
            self.reload(select_id=row.reception_id)

    def mark_selected_left(self) -> None:
        row = self.selected()
        if row is None:
            return

        def work(session: Session, actor: Actor) -> str:
            return reception.mark_left(session, actor.username, actor.permissions, row.reception_id,
                                       now=self._now()).id

        if self._step(work) is not None:
            self._say(self.tr("第 {n} 号 {name} 未接待已离开。").format(n=row.ticket, name=row.visitor_name))
            self.reload(select_id=row.reception_id)
