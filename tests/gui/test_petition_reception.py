"""来访接待: a ticket, calling the next visitor, registering the visitor's case, finishing the visit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apps.common.qt import Qt
from apps.common.tasks import wait_for_tasks
from apps.petition.reception import ReceptionPage
from core.auth.roles import P_PETITION_CASE
from core.petition.models import PetCase, PetReception
from core.petition.service import Actor
from tests.gui.test_petition_register import _store
from tests.helpers.waits import WAIT_MS

TODAY = date(2026, 6, 15)
NINE = datetime(2026, 6, 15, 1, 0, tzinfo=UTC)


def test_a_visitor_from_ticket_to_case_to_finish(qtbot: QtBot, tmp_path: Path) -> None:
    store = _store(tmp_path)
    clock = {"now": NINE}
    page = ReceptionPage(store.session, lambda: Actor.of("clerk", {P_PETITION_CASE}), today=lambda: TODAY,
                         now=lambda: clock["now"])
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    assert not page.call_button.isEnabled()
    page.visitor.setText("赵大妈")
    qtbot.mouseClick(page.ticket_button, Qt.MouseButton.LeftButton)
    assert "第 1 号" in page.message.text() and page.visitor.text() == ""
    page.visitor.setText("李建国")
    page.persons.setValue(6)
    qtbot.keyClick(page.visitor, Qt.Key.Key_Return)
    page.visitor.setText(" ")
    assert page.take_ticket() is None and "须填写来访人姓名" in page.message.text()
    clock["now"] = NINE + timedelta(minutes=25)
    page.reload()
    assert [(r.ticket, r.waited_minutes) for r in page.rows] == [(1, 25), (2, 25)]
    assert page.table.item(1, 2).text() == "6（集体访）" and page.table.item(0, 4).text() == "25 分钟"
    assert page.count.text() == "等候 2 人，接待中 0 人，已接待 0 人"

    qtbot.mouseClick(page.call_button, Qt.MouseButton.LeftButton)
    serving = page.selected()
    assert serving is not None and serving.ticket == 1 and serving.status == "called"
    assert "请第 1 号 赵大妈" in page.message.text()
    assert page.register_button.isEnabled() and page.finish_button.isEnabled()
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    form = page.register_page
    assert page.stack.currentIndex() == 1 and form.channel.currentData() == "来访"
    assert form.name.text() == "赵大妈" and form.persons.value() == 1
    form.subject.setText("小区噪声扰民")
    with qtbot.waitSignal(page.registered) as signal:
        qtbot.mouseClick(form.register_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 0
    row = page.selected()
    assert row is not None and row.case_id == signal.args[0] and row.case_code
    assert not page.register_button.isEnabled()  # one case per visit
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert page.count.text() == "等候 1 人，接待中 0 人，已接待 1 人"
    with store.session() as s:
        visits = s.scalars(select(PetReception).order_by(PetReception.ticket)).all()
        assert [(v.status, v.receptionist) for v in visits] == [("done", "clerk"), ("waiting", "")]
        case = s.get(PetCase, visits[0].case_id)
        assert case is not None and case.channel == "来访" and case.subject == "小区噪声扰民"
    assert wait_for_tasks(WAIT_MS)


def test_without_the_permission_the_queue_is_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    store = _store(tmp_path)
    page = ReceptionPage(store.session, lambda: Actor.of("liaison", set()), today=lambda: TODAY)
    qtbot.addWidget(page)
    assert not page.ticket_button.isEnabled() and not page.read_only_note.isHidden()
    assert page.take_ticket() is None and page.call_next() is None


def test_the_queue_is_read_again_only_while_the_page_is_on_screen(qtbot: QtBot, tmp_path: Path) -> None:
    store = _store(tmp_path)
    page = ReceptionPage(store.session, lambda: Actor.of("clerk", {P_PETITION_CASE}), today=lambda: TODAY,
                         now=lambda: NINE)
    qtbot.addWidget(page)
    assert not page._timer.isActive()  # built but not shown: nothing polls the database
    page.show()
    qtbot.waitExposed(page)
    assert page._timer.isActive()
    page.hide()
    assert not page._timer.isActive()
    # another clerk hands out a ticket meanwhile; the page shows it as soon as it is back on screen
    other = ReceptionPage(store.session, lambda: Actor.of("clerk2", {P_PETITION_CASE}), today=lambda: TODAY,
                          now=lambda: NINE)
    qtbot.addWidget(other)
    other.visitor.setText("赵大妈")
    other.take_ticket()
    assert page.table.rowCount() == 0
    page.show()
    assert page._timer.isActive() and page.table.rowCount() == 1
    visitor = page.table.item(0, 1)
    assert visitor is not None and visitor.text() == "赵大妈"
