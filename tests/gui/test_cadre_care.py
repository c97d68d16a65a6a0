"""工作管理 on the 老干部 desk: each sub-page lists the demo data, approving aid updates the yearly total, a refused
form keeps its dialog open and saves nothing, the reader has no action button and no check-up in clear."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.care_page import CarePage
from apps.cadre.window import CadreDesk, create_window
from apps.common.demo import DemoServer
from apps.common.qt import QDialogButtonBox, QImage
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from core.auth.roles import ROLES_BY_NAME
from core.cadre import demo
from core.cadre.models import (
    CadActivityEntry,
    CadAid,
    CadCheckup,
    CadContact,
    CadDispatch,
    CadPerson,
    CadStatusChange,
)
from core.db import make_engine, migrate
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context

CLERK = frozenset(ROLES_BY_NAME["cadre_clerk"].permissions)
READER = frozenset(ROLES_BY_NAME["cadre_reader"].permissions)
TODAY = date(2026, 12, 5)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        demo.generate(s, 40, TODAY)
        s.add(CadPerson(id="w1", name="王文华", gender="男", birth_date=date(1940, 1, 2)))
        s.flush()
        s.add_all([CadAid(id="aid-w1", person_id="w1", applied_on=date(2026, 11, 2), reason="住院自付费用高",
                          requested_fen=300000),
                   CadContact(person_id="w1", contacted_on=date(2026, 11, 20), kind="走访", staff="张处长",
                              summary="上门看望，身体尚好"),
                   CadStatusChange(person_id="w1", changed_on=date(2026, 7, 1), kind="待遇调整", from_text="副局级",
                                   to_text="正局级", document_no="沪人大办〔2026〕8号"),
                   CadDispatch(person_id="w1", title="关于做好老干部冬季走访的通知", document_no="沪人大办〔2026〕21号",
                               sent_on=date(2026, 11, 25), channel="邮寄")])
    return store


def _page(qtbot: QtBot, store: LocalStore, permissions: frozenset[str]) -> CarePage:
    page = CarePage(store.session, permissions, "cadre", today=lambda: TODAY)
    qtbot.addWidget(page)
    return page


def _ok(dialog: object) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[attr-defined]


def test_each_sub_page_lists_the_demo_data(qtbot: QtBot, store: LocalStore, tmp_path: Path) -> None:
    page = _page(qtbot, store, CLERK)
    assert [page.tabText(i) for i in range(page.count())] == ["党支部", "帮困救助", "活动", "体检", "联络关怀"]
    branches = page.branches
    assert branches.branch.count() >= 1 and branches.branch.currentText() == "第1党支部"
    assert branches.current.rowCount() == 1 and branches.current.item(0, 0).text() == "书记"
    assert branches.members.rowCount() == 40 // 2 + 0  # 40 demo people over two branches
    with store.session() as s:
        aid = s.scalar(select(func.count()).select_from(CadAid))
        checkups = s.scalar(select(func.count()).select_from(CadCheckup))
        entries = s.scalar(select(func.count()).select_from(CadActivityEntry))
    assert page.aid.table.rowCount() == aid and page.aid.rows[0].state == "applied"  # undecided first
    assert page.activities.table.rowCount() == 4
    assert sum(r.signed_up for r in page.activities.rows) == entries
    assert page.checkups.table.rowCount() == checkups > 0
    assert page.checkups.table.item(0, 4).text() == "华东医院"  # the clerk sees the results in clear
    assert not page.checkups.notice.isVisible()
    assert page.contacts.contacts.item(0, 4).text() == "上门看望，身体尚好"
    assert page.contacts.changes.item(0, 2).text() == "待遇调整"
    assert page.contacts.dispatches.item(0, 2).text() == "关于做好老干部冬季走访的通知"
    written = page.contacts.export_to(tmp_path / "联络关怀.xlsx")
    assert load_workbook(written).sheetnames == ["走访联络", "离退休状态变动", "文件送阅"]
    written = page.aid.export_to(tmp_path / "帮困救助.xlsx")
    assert load_workbook(written).sheetnames == ["救助申请", "每人年度合计"]


def test_approving_aid_updates_the_yearly_total_and_a_bad_amount_saves_nothing(qtbot: QtBot,
                                                                               store: LocalStore) -> None:
    page = _page(qtbot, store, CLERK)
    aid = page.aid
    row = next(n for n, r in enumerate(aid.rows) if r.aid_id == "aid-w1")
    aid.table.selectRow(row)
    assert aid.total_for("w1", 2026).approved_fen == 0  # type: ignore[union-attr]
    pending = store.pending_count()
    dialog = aid.ask_approve()
    assert dialog is not None
    dialog.set_value("amount", "2000.505")
    _ok(dialog)
    assert dialog.isVisible() and "“批准金额”最多保留两位小数" in dialog.error.text()
    assert dialog.widgets["amount"].property("state") == "error"  # the field named is marked
    with store.session() as s:
        assert s.get(CadAid, "aid-w1").state == "applied"  # type: ignore[union-attr]
    assert store.pending_count() == pending
    dialog.set_value("amount", "2,000.50")
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    total = aid.total_for("w1", 2026)
    assert total is not None and (total.applications, total.approved_fen) == (1, 200050)
    shown = [aid.totals.item(n, 3).text() for n in range(aid.totals.rowCount())
             if aid.totals.item(n, 1).text() == "王文华"]
    assert shown == ["2,000.50"]
    assert store.pending_count() == pending + 1  # written through the local store: it goes out with the next sync
    aid.table.selectRow(next(n for n, r in enumerate(aid.rows) if r.aid_id == "aid-w1"))
    dialog = aid.ask_refuse()
    assert dialog is not None
    dialog.set_value("reason", "不符合条件")
    _ok(dialog)
    assert "已批准，不能再审批" in dialog.error.text()


def test_sign_up_and_attendance_on_the_activity_page(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store, CLERK)
    acts = page.activities
    dialog = acts.ask_plan()
    for key, value in (("title", "冬至座谈会"), ("day", TODAY), ("place", "机关礼堂"), ("capacity", "1")):
        dialog.set_value(key, value)
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    acts.table.selectRow(next(n for n, r in enumerate(acts.rows) if r.title == "冬至座谈会"))
    dialog = acts.ask_sign_up()  # type: ignore[assignment]
    dialog.set_value("person", "w1")
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    assert [r.name for r in acts.entry_rows] == ["王文华"]
    dialog = acts.ask_sign_up()  # type: ignore[assignment]
    dialog.set_value("person", next(pid for pid, name in acts.people() if pid != "w1"))
    _ok(dialog)
    assert "名额已满（1 人）" in dialog.error.text()
    acts.entries.selectRow(0)
    acts.came_button.click()  # type: ignore[union-attr]
    assert acts.entries.item(0, 2).text() == "出席"
    [held] = [r for r in acts.rows if r.title == "冬至座谈会"]
    assert (held.signed_up, held.attended) == (1, 1)


def test_photos_of_an_activity_are_kept_in_the_attachment_store(qtbot: QtBot, store: LocalStore,
                                                                tmp_path: Path) -> None:
    page = CarePage(store.session, CLERK, "cadre", today=lambda: TODAY, attach=store.attach)
    qtbot.addWidget(page)
    acts = page.activities
    acts.table.selectRow(0)
    photo = tmp_path / "登高合影.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    assert image.save(str(photo))
    note = tmp_path / "说明.txt"
    note.write_text("不是照片", encoding="utf-8")
    pending = store.pending_count()
    assert acts.add_photos([photo, note]) == 1
    assert "“说明.txt”不是照片" in acts.status.text()
    assert acts.table.item(0, 6).text() == "1" and acts.rows[0].photos == 1
    assert store.pending_count() == pending + 1  # the attachment's row goes out with the next sync
    reader = _page(qtbot, store, READER)
    assert reader.activities.photo_button is None and reader.activities.rows[0].photos == 1


def test_the_reader_has_no_action_buttons_and_sees_masked_results_as_masked(qtbot: QtBot,
                                                                             store: LocalStore) -> None:
    with store.remote_session() as s, s.begin():  # as a sync server sends a row to a role without the need
        s.add(CadCheckup(person_id="w1", year=2026, arranged_on=date(2026, 10, 1), hospital="******",
                         conclusion="******", result="******"))
    page = _page(qtbot, store, READER)
    page.show()
    for section in page.sections():
        assert section.action_buttons == [], section.objectName()
        assert section.export_button.isVisible() or section is not page.currentWidget()
    assert page.aid.table.rowCount() > 0 and page.branches.current.rowCount() == 1
    page.setCurrentWidget(page.checkups)
    assert page.checkups.notice.isVisible()
    masked = [n for n in range(page.checkups.table.rowCount()) if page.checkups.table.item(n, 0).text() == "王文华"]
    assert [page.checkups.table.item(masked[0], c).text() for c in (4, 5, 6)] == ["******"] * 3


def test_the_reader_desk_holds_no_check_up_and_offers_no_action(qtbot: QtBot, gui: ClientSettings,
                                                                 demo_server: DemoServer, tmp_path: Path) -> None:
    clerk = _context(demo_server, "cadre", tmp_path / "clerk", gui)
    with clerk.store.session() as s, s.begin():
        person = CadPerson(name="钱学文", gender="男", birth_date=date(1941, 2, 3))
        s.add(person)
        s.flush()
        s.add(CadCheckup(person_id=person.id, year=2026, hospital="华东医院", conclusion="建议复查"))
        s.add(CadContact(person_id=person.id, contacted_on=date(2026, 11, 3), kind="电话", staff="张处长",
                         summary="电话问候"))
    with qtbot.waitSignal(clerk.sync.finished) as synced:
        clerk.sync.sync_now()
    assert synced.args[0].error is None
    reader = _context(demo_server, "cadrereader", tmp_path / "reader", gui)
    with qtbot.waitSignal(reader.sync.finished):
        reader.sync.sync_now()
    window = create_window(reader)
    qtbot.addWidget(window)
    assert isinstance(window, AppShell)
    desk = window.page()
    assert isinstance(desk, CadreDesk)
    care = desk.care
    assert desk.tabText(desk.indexOf(care)) == "工作管理"
    assert "电话问候" in [care.contacts.contacts.item(n, 4).text() for n in range(care.contacts.contacts.rowCount())]
    assert care.checkups.rows == [] and not any(s.action_buttons for s in care.sections())
    clerk.close()
    reader.close()
