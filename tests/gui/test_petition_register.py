"""登记: a clerk fills the form and registers; refusals land on their fields; earlier cases are offered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.common.demo import DemoServer
from apps.common.qt import QDate, Qt
from apps.common.settings import ClientSettings
from apps.common.tasks import wait_for_tasks
from apps.petition.register import FIELD_PREFIXES, RegisterPage, field_of
from core.auth.roles import P_PETITION_CASE
from core.db import make_engine, migrate
from core.petition.models import CHANNELS, KINDS, PetCase, PetCaseLink, PetPetitioner, PetTransition
from core.petition.reference import seed_reference
from core.petition.service import Actor, CaseInput, PetitionerInput, _check_case
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context
from tests.helpers.waits import WAIT_MS

TODAY = date(2026, 6, 15)
CLERK = Actor.of("clerk", {P_PETITION_CASE})


def _store(folder: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{folder / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, folder / "blobs")
    with store.session() as s, s.begin():
        seed_reference(s)
        s.add(PetPetitioner(id="p1", name="王秀英", phone="13812345678", address="徐汇区漕溪北路100号"))
        s.add(PetCase(id="c1", code="XF20260301-ABCDE", channel="来访", received_on=date(2026, 3, 1),
                      subject="小区加装电梯补贴迟迟未落实", content="小区加装电梯的补贴申请半年没有答复",
                      petitioner_id="p1", state="registered"))
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    store = _store(tmp_path)
    yield store
    assert wait_for_tasks(WAIT_MS), "a lookup still running at the end of the test"
    store.engine.dispose()


def _page(qtbot: QtBot, store: LocalStore, actor: Actor = CLERK) -> RegisterPage:
    page = RegisterPage(store.session, lambda: actor, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _counts(store: LocalStore) -> tuple[int, int, int]:
    with store.session() as s:
        return (s.scalar(select(func.count()).select_from(PetCase)) or 0,
                s.scalar(select(func.count()).select_from(PetPetitioner)) or 0,
                s.scalar(select(func.count()).select_from(PetTransition)) or 0)


def _fill(qtbot: QtBot, page: RegisterPage, *, phone: str = "13900001111") -> None:
    page.channel.setCurrentIndex(page.channel.findData("电话"))
    page.set_category("0402")
    page.district.setCurrentIndex(page.district.findData("310106"))
    page.persons.setValue(6)
    page.subject.setText("物业费上涨未经业主大会")
    page.content.setPlainText("物业公司单方面上涨物业费。")
    page.name.setText("李建国")
    page.gender.setCurrentIndex(page.gender.findData("男"))
    qtbot.keyClicks(page.phone, phone)
    page.address.setText("静安区共和新路1号")


def test_fill_and_register(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    assert page.received.date() == QDate(2026, 6, 15)
    assert page.collective.isHidden()
    _fill(qtbot, page)
    assert page.collective.isVisible()
    assert "静安区人大常委会" in page.proposal.text()  # a district's housing matter goes to its congress
    with qtbot.waitSignal(page.registered) as signal:
        qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    done = page.last
    assert done is not None and signal.args == [done.case_id]
    with store.session() as s:
        case = s.get(PetCase, done.case_id)
        assert case is not None and case.code == done.code and case.channel == "电话"
        assert case.state == "registered" and case.collective and case.category_code == "0402"
        assert case.due_on is not None and case.due_on > TODAY and case.received_on == TODAY
        assert case.tracking_code and case.tracking_check
        steps = s.scalars(select(PetTransition).where(PetTransition.case_id == case.id)).all()
        assert [(t.action, t.to_state) for t in steps] == [("register", "registered")]
        person = s.get(PetPetitioner, case.petitioner_id)
        assert person is not None and person.name == "李建国" and person.phone == "13900001111"
    assert done.code in page.result.text() and str(done.tracking_code) in page.result.text()
    assert page.subject.text() == "" and page.name.text() == "" and page.persons.value() == 1
    assert page.channel.currentData() == "电话"  # kept for the next call
    assert page.summary.isHidden()


def test_bad_phone_and_future_date_shown_at_their_fields(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    before = _counts(store)
    _fill(qtbot, page, phone="1381234")
    page.received.setDate(QDate(2026, 6, 18))
    assert "晚于今天" in page.field_error("received")  # said as soon as the date is chosen
    with qtbot.assertNotEmitted(page.registered):
        qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert "手机号码“1381234”" in page.field_error("phone")
    assert "收到日期 2026-06-18 晚于今天" in page.field_error("received")
    assert page.field_error("subject") == "" and page.field_error("name") == ""
    assert page.summary.isVisible() and "2 处" in page.summary.text()
    assert page.phone.property("state") == "error"
    assert _counts(store) == before
    assert page.subject.text() == "物业费上涨未经业主大会" and page.phone.text() == "1381234"
    # corrected, it registers and the marks go away
    page.phone.setText("13900001111")
    page.received.setDate(QDate(2026, 6, 12))
    with qtbot.waitSignal(page.registered):
        page.register()
    assert page.field_error("phone") == "" and page.summary.isHidden()
    assert _counts(store)[0] == before[0] + 1


def test_a_known_phone_lists_the_earlier_case_and_a_repeat_links_it(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    page.channel.setCurrentIndex(page.channel.findData("来访"))
    page.name.setText("王秀英")
    qtbot.keyClicks(page.phone, "13812345678")
    qtbot.waitUntil(lambda: [c.code for c in page.person_matches] == ["XF20260301-ABCDE"])
    assert page.person_box.title() == "此人以往信访 1 件"
    assert page.person_matches[0].reason == "手机号相同"
    page.subject.setText("加装电梯补贴还没有落实")
    qtbot.waitUntil(lambda: any(c.case_id == "c1" for c in page.similar_matches))
    buttons = page.repeat_buttons()
    assert len(buttons) == 2 and all(b.text() == "作为重复件登记" for b in buttons)
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert page.repeat_of == "c1" and "XF20260301-ABCDE" in page.repeat_label.text()
    with qtbot.waitSignal(page.registered) as signal:
        page.register()
    with store.session() as s:
        case = s.get(PetCase, signal.args[0])
        assert case is not None and case.repeat_of == "c1"
        links = s.scalars(select(PetCaseLink).where(PetCaseLink.case_id == case.id)).all()
        assert [(link.other_case_id, link.kind) for link in links] == [("c1", "repeat")]
    assert page.repeat_of is None and page.repeat_label.isHidden() and not page.person_matches


def test_an_anonymous_letter_needs_no_petitioner(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    page.channel.setCurrentIndex(page.channel.findData("电话"))
    assert page.anonymous.isHidden()
    page.channel.setCurrentIndex(page.channel.findData("来信"))
    assert not page.anonymous.isHidden()
    page.anonymous.setChecked(True)
    assert not page.name.isEnabled() and not page.phone.isEnabled()
    page.subject.setText("建议修改养犬管理条例")
    page.kind.setCurrentIndex(page.kind.findData("建议意见类"))
    with qtbot.waitSignal(page.registered) as signal:
        page.register()
    with store.session() as s:
        case = s.get(PetCase, signal.args[0])
        assert case is not None and case.petitioner_id is None and case.tracking_code is None
    assert "没有查询码" in page.result.text()


def test_a_visit_without_a_name_is_refused_at_the_name(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    page.channel.setCurrentIndex(page.channel.findData("来访"))
    page.register()
    assert "须填写信访人姓名" in page.field_error("name")
    assert "须填写信访事项" in page.field_error("subject")
    assert page.focusWidget() is page.subject  # the first field with a problem


def test_without_the_permission_the_page_is_read_only(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store, Actor.of("liaison", set()))
    assert page.read_only_note.isVisible()
    assert not page.register_button.isEnabled() and not page.subject.isEnabled()
    before = _counts(store)
    assert page.register() is None
    assert _counts(store) == before


def test_from_the_signed_in_context(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                    tmp_path: Path) -> None:
    context = _context(demo_server, "petition", tmp_path, gui)
    page = RegisterPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert page.may_register and page.title() == "登记"
    page.channel.setCurrentIndex(page.channel.findData("来信"))
    page.subject.setText("反映公交线路调整")
    with qtbot.waitSignal(page.registered) as signal:
        page.register()
    with context.store.session() as s:
        steps = s.scalars(select(PetTransition).where(PetTransition.case_id == signal.args[0])).all()
        assert [t.actor for t in steps] == ["petition"]
    context.close()


def test_tab_goes_through_the_form_in_reading_order(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    page.set_category("04")  # the second level is enabled once a first level is chosen
    page.activateWindow()
    page.channel.setFocus()
    qtbot.waitUntil(page.channel.hasFocus)
    seen = []
    wanted = [page.channel, page.received, page.kind, page.category1, page.category2, page.district, page.persons,
              page.subject, page.content, page.name, page.gender, page.phone, page.id_number, page.address,
              page.register_button]
    for _ in range(40):
        widget = page.focusWidget()
        owner = next((w for w in wanted if widget is w or (widget is not None and w.isAncestorOf(widget))), None)
        if owner is not None and (not seen or seen[-1] is not owner):
            seen.append(owner)
        if owner is page.register_button:
            break
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert seen == wanted


def test_every_field_a_refusal_names_has_its_place(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    assert {key for _prefix, key in FIELD_PREFIXES} <= set(page.errors)


@pytest.fixture(scope="module")
def check_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return _store(tmp_path_factory.mktemp("refusals"))


texts = st.text(alphabet="0123456789X１a 中", max_size=22)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(channel=st.sampled_from((*CHANNELS, "传真", "")), subject=st.text(max_size=3) | st.just("事" * 201),
       kind=st.sampled_from((*KINDS, "其他类")), days=st.integers(-3, 3), persons=st.integers(-2, 10_002),
       district=st.sampled_from(("", "310104", "000000", "999999")), category=st.sampled_from(("", "0401", "77")),
       person=st.none() | st.builds(PetitionerInput, name=st.sampled_from(("", " ", "张三")), phone=texts,
                                    id_number=texts),
       petitioner_id=st.sampled_from((None, "p1", "nobody")), repeat_of=st.sampled_from((None, "c1", "gone")))
def test_every_refusal_lands_on_a_field(check_store: LocalStore, channel: str, subject: str, kind: str, days: int,
                                        persons: int, district: str, category: str,
                                        person: PetitionerInput | None, petitioner_id: str | None,
                                        repeat_of: str | None) -> None:
    data = CaseInput(channel=channel, subject=subject, kind=kind, received_on=TODAY + timedelta(days=days),
                     persons_involved=persons, district_code=district, category_code=category, petitioner=person,
                     petitioner_id=petitioner_id, repeat_of=repeat_of)
    with check_store.session() as session:
        problems = _check_case(session, data, TODAY)
    for problem in problems:
        assert "；" not in problem
        assert field_of(problem), problem
