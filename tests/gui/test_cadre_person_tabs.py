"""The person's page on tabs: every tab shows the demonstration person's record, the clerk edits through the
forms into the local store, a bad form is refused with the field named and nothing saved, and the reader
sees masked values, no sensitive part and no edit buttons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.person_demo import portrait_png, seed_record, seed_reference
from apps.cadre.person_page import PersonPage
from apps.common.demo import DemoServer
from apps.common.qt import QPushButton
from apps.common.settings import ClientSettings
from core.cadre.models import CadDocument, CadLifeEvent, CadPerson
from core.db import make_engine, migrate
from core.sync.client import LocalStore
from core.sync.outbox import OutboxEntry
from tests.gui.test_launcher import _context

TODAY = date(2026, 5, 20)
CLERK = frozenset({"sync.use", "app.cadre", "pii.contact", "pii.identity", "pii.health", "notify.send",
                   "cadre.record", "cadre.sensitive"})
READER = frozenset({"sync.use", "app.cadre", "pii.contact"})
ID = "110105194812310022"


@pytest.fixture
def store(tmp_path: Path, qapp: object) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    store.set_permissions(CLERK)
    with store.session() as s, s.begin():
        seed_reference(s)
        person = CadPerson(id="p1", name="张国华", gender="男", birth_date=date(1948, 12, 31), native_place="上海",
                           id_number=ID, party="中共党员", party_date=date(1970, 7, 1),
                           work_start_date=date(1968, 9, 1), stage="retired", retirement_kind="退休",
                           retired_on=date(2008, 12, 31), treatment_level="正局级", former_unit="办公厅",
                           former_post="副秘书长", address="上海市黄浦区人民大道1号", phone_mobile="13900000000")
        s.add(person)
        s.flush()
        seed_record(s, store, person)
    return store


def _page(qtbot: QtBot, store: LocalStore, permissions: frozenset[str] = CLERK) -> PersonPage:
    page = PersonPage(store.session, permissions=permissions, store=store, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.show_person("p1")
    return page


def _cells(page: PersonPage, table: str) -> list[list[str]]:
    view = page.row_tabs[table].view
    return [[view.item(r, c).text() for c in range(view.columnCount())] for r in range(view.rowCount())]


def test_every_tab_shows_the_demonstration_persons_record(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "基本信息", "兴趣特长", "生平", "家庭成员", "住院记录", "人员类别", "获奖", "其他登记", "文档与照片"]
    assert page.fields["id_number"].text() == ID and page.fields["former_post"].text() == "副秘书长"
    assert page.fields["party_date"].text() == "1970-07-01" and not page.masked_note.isVisibleTo(page)
    assert page.has_photo()  # the portrait from the attachment store
    assert [r[1] for r in _cells(page, "cad_interest")] == ["京剧", "书法"]
    assert _cells(page, "cad_life_event")[0][0] == "1962-09-01 至 1966-07-31"
    family = _cells(page, "cad_family")
    assert family[0][:3] == ["★ 紧急联系人", "女儿", "张晓燕"] and family[1][:3] == ["", "配偶", "刘玉兰"]
    assert _cells(page, "cad_hospital_stay")[0][:4] == ["华东医院", "干部病房", "2025-11-03", "2025-11-17"]
    assert {tuple(r) for r in _cells(page, "cad_person_category")} == {("TX", "退休干部"), ("LD", "原市人大常委会领导")}
    assert [r[1] for r in _cells(page, "cad_award")] == ["庆祝中华人民共和国成立70周年纪念章", "光荣在党50年纪念章"]
    fields = page.fields_tab.view
    shown = {fields.item(r, 0).text(): fields.item(r, 1).text() for r in range(fields.rowCount())}
    assert shown == {"血型": "A", "参加的老年团体": "市老干部大学书画班", "医保卡号": "310000194805160011"}
    docs = page.documents
    assert [d.title for d in docs.documents] == ["光荣在党50年纪念章证书", "证件照"]
    assert docs.thumbs.count() == 1 and docs.thumbnails_shown() == 1
    assert docs.view.item(0, 3).text() == "纪念章证书.pdf"
    for name in ("edit_cad_person", "add_cad_family", "edit_cad_award", "add_cad_document", "edit_cad_field_value"):
        assert not page.findChild(QPushButton, name).isHidden(), name


def test_the_clerk_edits_the_basic_information_into_the_local_store(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    page.edit_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_value("former_post", "巡视员")
    dialog.set_value("postcode", "200003")
    with qtbot.waitSignal(page.changed) as changed:
        assert dialog.submit()
    assert changed.args == ["p1"] and not dialog.isVisible()
    assert page.fields["former_post"].text() == "巡视员" and page.status.text().startswith("已保存")
    with store.session() as s:
        person = s.get(CadPerson, "p1")
        assert person is not None and person.former_post == "巡视员" and person.postcode == "200003"
        queued = s.scalars(select(OutboxEntry).where(OutboxEntry.row_id == "p1", OutboxEntry.op == "update")).all()
        assert any(e.changes.get("former_post") == "巡视员" for e in queued)  # it syncs


def test_a_bad_form_shows_the_message_and_saves_nothing(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    with store.session() as s:
        before = s.scalar(select(func.count()).select_from(OutboxEntry))
    dialog = page.person_dialog()
    qtbot.addWidget(dialog)
    dialog.set_value("id_number", "110105194812310023")
    dialog.set_value("work_start_date", "1940-03-01")
    dialog.set_value("former_post", "不应保存")
    assert not dialog.submit()
    assert "校验码不对（最后一位应为 2）" in dialog.field_error("id_number")
    assert "早于出生日期 1948-12-31" in dialog.field_error("work_start_date")
    assert dialog.summary.isVisibleTo(dialog) and "没有保存，请改正以下 2 处" in dialog.summary.text()
    assert not dialog.saved
    with store.session() as s:
        person = s.get(CadPerson, "p1")
        assert person is not None and person.former_post == "副秘书长" and person.id_number == ID
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == before


def test_sub_tab_rows_are_added_edited_and_removed(qtbot: QtBot, store: LocalStore,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, store)
    tab = page.row_tabs["cad_life_event"]
    dialog = tab.dialog(None)
    qtbot.addWidget(dialog)
    dialog.set_value("start_on", "2009-01-01")
    dialog.set_value("end_on", "2008-01-01")
    assert not dialog.submit() and "早于起始日期" in dialog.field_error("end_on")
    dialog.set_value("end_on", "")
    dialog.set_value("unit", "市老干部大学")
    dialog.set_value("post", "书画班班长")
    assert dialog.submit()
    assert _cells(page, "cad_life_event")[-1][:3] == ["2009-01-01 至今", "市老干部大学", "书画班班长"]
    edit = tab.dialog(tab.rows[-1])
    qtbot.addWidget(edit)
    edit.set_value("post", "班长")
    assert edit.submit()
    with store.session() as s:
        assert s.scalar(select(CadLifeEvent.post).where(CadLifeEvent.unit == "市老干部大学")) == "班长"
    family = page.row_tabs["cad_family"]
    family.view.selectRow(1)  # 刘玉兰
    monkeypatch.setattr("apps.cadre.person_tabs.confirm_remove", lambda *_a: True)
    family.remove_button.click()
    assert [r[2] for r in _cells(page, "cad_family")] == ["张晓燕"]


def test_documents_open_in_the_viewer_and_bad_files_are_refused(qtbot: QtBot, store: LocalStore,
                                                                tmp_path: Path) -> None:
    page = _page(qtbot, store)
    docs = page.documents
    photo = next(d for d in docs.documents if d.title == "证件照")
    docs.open_document(photo)
    assert docs.viewer is not None and docs.viewer.picture is not None and not docs.viewer.picture.pixmap().isNull()
    docs.viewer.close()
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    assert docs.add_dialog(big) is None and "超过上限 25 MB" in docs.message.text()
    broken = tmp_path / "坏照片.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not an image")
    assert docs.add_dialog(broken) is None and "不是可显示的图片" in docs.message.text()
    strange = tmp_path / "程序.exe"
    strange.write_bytes(b"MZ\x90\x00")
    assert docs.add_dialog(strange) is None and "不支持的文件类型" in docs.message.text()
    with store.session() as s:
        count = s.scalar(select(func.count()).select_from(CadDocument))
    good = tmp_path / "全家福.png"
    good.write_bytes(portrait_png(120, 160))
    dialog = docs.add_dialog(good)
    assert dialog is not None and docs.message.isHidden()
    qtbot.addWidget(dialog)
    assert dialog.values()["kind"] == "照片" and dialog.values()["title"] == "全家福"
    assert dialog.submit()
    assert len(docs.documents) == count + 1 and docs.thumbnails_shown() == 2
    with store.session() as s:
        added = s.scalar(select(CadDocument).where(CadDocument.title == "全家福"))
        assert added is not None and added.attachment_id
        before = s.get(CadPerson, "p1").photo_attachment_id  # type: ignore[union-attr]
    docs.view.selectRow(next(n for n, d in enumerate(docs.documents) if d.title == "全家福"))
    assert docs.set_as_photo(docs.current()) and page.has_photo()
    with store.session() as s:
        person = s.get(CadPerson, "p1")
        assert person is not None and person.photo_attachment_id not in (None, before)
    docs.view.selectRow(next(n for n, d in enumerate(docs.documents) if d.title == "光荣在党50年纪念章证书"))
    assert not docs.set_as_photo(docs.current()) and "请选择一张照片" in docs.message.text()


def test_the_reader_sees_masked_values_and_no_edit_buttons(qtbot: QtBot, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'reader.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.remote_session() as s, s.begin():  # as the server sends it to a role without cadre.sensitive
        s.add(CadPerson(id="p1", name="张国华", gender="男", birth_date=date(1948, 12, 31), stage="retired",
                        retirement_kind="退休", id_number="1101**********0022", phone_mobile="13900000000"))
    page = _page(qtbot, store, READER)
    assert page.fields["id_number"].text() == "1101**********0022"
    assert page.masked_note.isVisibleTo(page) and "身份证号已遮盖" in page.masked_note.text()
    assert page.edit_button.isHidden() and page.read_only_note.isVisibleTo(page)
    buttons = [b for b in page.findChildren(QPushButton) if b.objectName().split("_")[0] in ("add", "edit", "remove",
                                                                                              "photo")]
    assert buttons and all(b.isHidden() for b in buttons)
    for table in ("cad_family", "cad_hospital_stay"):
        tab = page.row_tabs[table]
        assert tab.note.isVisibleTo(page.tabs) or not tab.note.isHidden()
        assert tab.view.isHidden() and "cadre.sensitive" in tab.note.text()
    tab = page.row_tabs["cad_award"]
    tab.open_dialog(None)
    assert page.dialog is None  # no form is offered


def test_the_desk_shows_the_clerks_record_masked_to_the_reader(qtbot: QtBot, gui: ClientSettings,
                                                                demo_server: DemoServer, tmp_path: Path) -> None:
    from apps.cadre.window import CadreDesk

    clerk = _context(demo_server, "cadre", tmp_path / "clerk", gui)
    with clerk.store.session() as s, s.begin():
        person = CadPerson(name="测试人员", gender="男", birth_date=date(1948, 12, 31), stage="retired",
                           retirement_kind="退休", id_number=ID, note="【演示数据】")
        s.add(person)
        s.flush()
        person_id = person.id
    desk = CadreDesk(clerk)
    qtbot.addWidget(desk)
    desk.open_person(person_id)
    page = desk.person_page
    assert not page.edit_button.isHidden()
    dialog = page.person_dialog()
    qtbot.addWidget(dialog)
    dialog.set_value("former_unit", "研究室")
    assert dialog.submit()
    clerk.sync_client.sync()
    reader = _context(demo_server, "cadrereader", tmp_path / "reader", gui)
    reader.sync_client.sync()
    other = CadreDesk(reader)
    qtbot.addWidget(other)
    other.open_person(person_id)
    shown = other.person_page
    assert shown.fields["former_unit"].text() == "研究室"
    assert shown.fields["id_number"].text() == "1101**********0022"
    assert shown.edit_button.isHidden()
    clerk.close()
    reader.close()
