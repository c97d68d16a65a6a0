"""The case page: opened from the inbox, steps through the action dialogs, refusals, the liaison's actions,
similar cases and the letter."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from apps.common.demo import DemoServer
from apps.common.qt import QMessageBox, Qt
from apps.common.settings import ClientSettings
from apps.petition.case_page import CasePage
from apps.petition.inbox import InboxPage
from apps.petition.window import PetitionDesk
from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_CONTENT, P_PETITION_HANDLE
from core.db import make_engine, migrate
from core.petition.models import PetCase, PetPetitioner, PetTransition
from core.petition.reference import seed_reference
from core.petition.service import Actor, CaseInput, PetitionerInput, register_case, transition
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context

TODAY = date(2026, 6, 15)
CLERK = Actor.of("petition", {P_PETITION_CASE, P_PETITION_HANDLE, P_PETITION_APPROVE, P_PETITION_CONTENT})
LIAISON = Actor.of("liaison", {P_PETITION_CONTENT, P_PETITION_HANDLE})


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        seed_reference(s)
    return store


def _register(store: LocalStore, subject: str, *, phone: str = "13800001111", ago: int = 2,
              persons: int = 1) -> str:
    with store.session() as s, s.begin():
        case = register_case(s, CLERK, CaseInput(
            channel="来信", subject=subject, content=f"{subject}，请求有关部门处理。", category_code="06",
            district_code="310101", persons_involved=persons, received_on=TODAY - timedelta(days=ago),
            petitioner=PetitionerInput(name="王五", phone=phone, address="黄浦区南京东路1号")), today=TODAY)
        return case.id


def _page(qtbot: QtBot, store: LocalStore, actor: Actor = CLERK) -> CasePage:
    page = CasePage(store.session, lambda: actor, blobs=store.blobs, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1400, 820)
    return page


def test_open_from_the_inbox_and_transfer_through_the_dialog(qtbot: QtBot, store: LocalStore) -> None:
    case_id = _register(store, "学校食堂卫生问题", persons=6)
    inbox = InboxPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(inbox)
    page = _page(qtbot, store)
    inbox.opened.connect(page.show_case)
    inbox.table.setCurrentCell(0, 1)
    with qtbot.waitSignal(inbox.opened) as opened:
        qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    assert opened.args == [case_id]
    assert page.view is not None and page.view.case_id == case_id
    assert page.state.text() == "状态：登记" and "【集体访】" in page.flags.text()
    assert page.clock.property("light") == "green" and "剩" in page.clock.text()
    clock_before = page.clock.text()
    assert page.person["phone"].text() == "13800001111" and page.person["name"].text() == "王五"
    assert page.history.rowCount() == 1 and page.history.item(0, 1).text() == "登记"
    assert set(page.action_buttons) == {"route_transfer", "route_assign", "inform", "refuse", "supervise"}
    assert not page.letter_button.isEnabled()

    page.action_buttons["route_transfer"].click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.body is not None
    assert dialog.body.currentData() == "jkww"  # the routing rule of category 06 proposes the 教科文卫委员会
    dialog.body.setCurrentIndex(dialog.body.findData("szf"))
    with qtbot.waitSignal(page.changed):
        dialog.ok_button.click()
    assert page.history.rowCount() == 2
    assert [page.history.item(1, c).text() for c in range(3)] == [TODAY.isoformat(), "转送", "登记 → 已分流"]
    assert "第二十二条" in page.history.item(1, 3).text() and page.history.item(1, 4).text() == "petition"
    assert "上海市人民政府" in page.history.item(1, 5).text()
    assert page.state.text() == "状态：已分流" and page.clock.text() != clock_before
    assert page.body.text() == "上海市人民政府（市信访办）"
    assert "route_transfer" not in page.action_buttons and "refuse" in page.action_buttons
    with store.session() as s:
        case = s.get(PetCase, case_id)
        assert case is not None and case.state == "routed" and case.body_code == "szf"

    assert page.letter_button.isEnabled() and "转送函" in page.letter_button.text()
    pdf = page.letter_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF")
    page.letter_button.click()
    assert page.preview is not None and page.preview.isVisible()
    page.preview.close()


def _steps(store: LocalStore, case_id: str) -> int:
    with store.session() as s:
        return len(s.query(PetTransition).where(PetTransition.case_id == case_id).all())


def test_a_refused_action_shows_the_reason_and_changes_nothing(qtbot: QtBot, store: LocalStore) -> None:
    case_id = _register(store, "公园绿地被占用")
    page = _page(qtbot, store)
    page.show_case(case_id)
    page.action_buttons["refuse"].click()
    assert page.dialog is not None and page.dialog.reason is not None
    page.dialog.ok_button.click()  # no reason given
    box = page.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "须填写不予受理的理由" in box.text() and "案件当前状态为“登记”" in box.text()
    box.close()
    assert page.state.text() == "状态：登记" and page.history.rowCount() == 1 and _steps(store, case_id) == 1

    # Another clerk routed the case meanwhile: the stale page's step is refused, with the state named.
    with store.session() as s, s.begin():
        transition(s, CLERK, case_id, "route_assign", {"body": "jkww"}, today=TODAY)
    page.action_buttons["inform"].click()
    assert page.dialog is not None
    page.dialog.ok_button.click()
    assert page.message_box is not None and "案件当前状态为“已分流”，不能告知" in page.message_box.text()
    page.message_box.close()
    assert _steps(store, case_id) == 2
    with store.session() as s:
        case = s.get(PetCase, case_id)
        assert case is not None and case.state == "routed" and case.route == "交办"


def test_the_liaison_sees_only_the_handling_actions(qtbot: QtBot, store: LocalStore) -> None:
    waiting = _register(store, "博物馆开放时间")
    routed = _register(store, "图书馆闭馆", phone="")
    with store.session() as s, s.begin():
        transition(s, CLERK, routed, "route_assign", {"body": "jkww"}, today=TODAY)
        case = s.get(PetCase, waiting)
        assert case is not None
        person = case.petitioner_id
    with store.engine.begin() as db:  # as the sync stores it for a role without the contact permission
        db.execute(update(PetPetitioner).where(PetPetitioner.id == person).values(phone="138****1111"))
    page = _page(qtbot, store, LIAISON)
    page.show_case(waiting)
    assert page.action_buttons == {} and page.person["phone"].text() == "138****1111"
    page.show_case(routed)
    assert set(page.action_buttons) == {"accept", "object"}
    page.action_buttons["accept"].click()
    assert page.dialog is not None and page.dialog.body is None and page.dialog.reason is None
    with qtbot.waitSignal(page.changed):
        page.dialog.ok_button.click()
    assert page.state.text() == "状态：受理" and set(page.action_buttons) == {"answer"}
    page.action_buttons["answer"].click()
    assert page.dialog is not None and page.dialog.answer is not None
    page.dialog.answer.setPlainText("经核查，闭馆系设备维修，已于本月恢复开放。")
    with qtbot.waitSignal(page.changed):
        page.dialog.ok_button.click()
    assert page.state.text() == "状态：已答复" and page.action_buttons == {}
    assert page.answer.text().startswith("经核查") and "答复意见书" in page.letter_button.text()


def test_similar_cases_and_marking_a_repeat(qtbot: QtBot, store: LocalStore) -> None:
    first = _register(store, "小区噪声扰民问题", ago=20)
    second = _register(store, "小区噪声扰民问题再次反映", ago=1)
    page = _page(qtbot, store)
    page.show_case(second)
    assert page.view is not None
    assert [r[0] for r in page.view.related] == [first]
    assert page.related.item(0, 3).text() == "手机号相同"
    assert page.links.text() == "无关联信访件"
    page.related.setCurrentCell(0, 0)
    with qtbot.waitSignal(page.changed):
        page.repeat_button.click()
    assert "重复件" in page.links.text()
    with store.session() as s:
        case = s.get(PetCase, second)
        assert case is not None and case.repeat_of == first


def test_the_desk_opens_a_case_with_the_users_actions(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                                     tmp_path: Path) -> None:
    clerk = _context(demo_server, "petition", tmp_path / "clerk", gui)
    with clerk.store.session() as s, s.begin():
        seed_reference(s)
        case = register_case(s, CLERK, CaseInput(channel="来访", subject="社区停车位不足", content="社区停车位不足",
                                                 category_code="07", district_code="310104",
                                                 petitioner=PetitionerInput(name="赵六")))
        case_id = case.id
    desk = PetitionDesk(clerk)
    qtbot.addWidget(desk)
    assert desk.tabText(desk.count() - 1) == "统计" and desk.stats.result is not None
    assert [r.case_id for r in desk.inbox.rows] == [case_id]
    desk.inbox.table.setCurrentCell(0, 1)
    qtbot.keyClick(desk.inbox.table, Qt.Key.Key_Enter)
    assert desk.cases.currentWidget() is desk.case_page and desk.case_page.code.text() == case.code
    assert "route_assign" in desk.case_page.action_buttons and "accept" not in desk.case_page.action_buttons
    desk.case_page.action_buttons["route_assign"].click()
    dialog = desk.case_page.dialog
    assert dialog is not None and dialog.body is not None
    assert dialog.body.currentData() == "qrd310104"  # a local matter of 徐汇区 goes to its district congress
    dialog.reject()
    desk.case_page.back_button.click()
    assert desk.cases.currentWidget() is desk.inbox
    clerk.close()
