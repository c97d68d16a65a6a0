"""通知公告 on the 老干部 desk: compose a notice, bad input refused on the field with nothing saved, edit a draft,
publish (WeChat messages queued) and withdraw after a confirmation, the preview, and what each role may do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.notices_page import NoticeDialog, NoticesPage
from apps.common.qt import QDialogButtonBox, QMessageBox
from core.auth.roles import ROLES_BY_NAME
from core.cadre import notices
from core.cadre.models import CadActivity, CadPerson
from core.cadre.notice_models import CadNotice
from core.db import make_engine, migrate
from core.notifications.models import NtfMessage
from core.sync.client import LocalStore

CLERK = frozenset(ROLES_BY_NAME["cadre_clerk"].permissions)
READER = frozenset(ROLES_BY_NAME["cadre_reader"].permissions)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add_all([CadPerson(id="p1", name="王文华", gender="男", birth_date=date(1940, 1, 2)),
                   CadPerson(id="p2", name="李秀英", gender="女", birth_date=date(1944, 5, 6)),
                   CadPerson(id="p3", name="赵建国", gender="男", birth_date=date(1935, 3, 4), alive=False,
                             died_on=date(2026, 11, 30)),
                   CadActivity(id="a1", title="重阳登高", held_on=date(2026, 10, 29), place="佘山", capacity=30)])
        s.flush()
        notices.bind_wechat(s, "p1", "oFOLLOWER0001")
        notices.bind_wechat(s, "p2", "oFOLLOWER0002")
    return store


def _page(qtbot: QtBot, store: LocalStore, permissions: frozenset[str]) -> NoticesPage:
    page = NoticesPage(store.session, permissions)
    qtbot.addWidget(page)
    return page


def _count(store: LocalStore, model: object) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def _compose(page: NoticesPage) -> NoticeDialog:
    dialog = page.open_editor(None)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_compose_refuses_bad_input_on_the_field_and_saves_nothing(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store, CLERK)
    dialog = _compose(page)
    dialog.title_edit.setText("   ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.errors["title"].isVisible()
    assert dialog.errors["title"].text() == "请填写通知标题"
    assert dialog.title_edit.property("state") == "error"
    dialog.title_edit.setText("讣告")
    dialog.kind.setCurrentIndex(dialog.kind.findData("讣告"))
    assert dialog.person.isVisibleTo(dialog) and not dialog.activity.isVisibleTo(dialog)
    dialog.submit()
    assert dialog.errors["person_id"].text() == "讣告请选择逝者" and not dialog.errors["title"].isVisible()
    assert dialog.person.findData("p3") > 0 and dialog.person.findData("p1") < 0  # only the deceased
    dialog.kind.setCurrentIndex(dialog.kind.findData("通知"))
    dialog.title_edit.setText("长" * 81)
    dialog.submit()
    assert "最多 80 个字" in dialog.errors["title"].text()
    assert _count(store, CadNotice) == 0 and dialog.isVisible()
    dialog.reject()


def test_compose_edit_publish_and_withdraw(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store, CLERK)
    assert page.table.rowCount() == 0 and not page.publish_button.isEnabled()
    dialog = _compose(page)
    dialog.kind.setCurrentIndex(dialog.kind.findData("活动"))
    dialog.title_edit.setText("重阳登高活动报名")
    dialog.body.setPlainText("请于10月20日前报名。\n集合地点：机关大门。")
    dialog.activity.setCurrentIndex(dialog.activity.findData("a1"))
    preview = dialog.preview.toPlainText()
    assert "重阳登高活动报名" in preview and "佘山" in preview and "2026-10-29" in preview and "尚未发布" in preview
    assert "2 位老同志" in dialog.recipients.text()
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "草稿"
    assert page.table.item(0, 1).text() == "活动" and page.table.item(0, 3).text() == "全体老同志"
    assert page.publish_button.isEnabled() and not page.withdraw_button.isEnabled()
    assert "集合地点：机关大门。" in page.preview.toPlainText()

    editor = page.open_editor(page.selected())
    assert editor is not None and editor.title_edit.text() == "重阳登高活动报名"
    editor.audience.setCurrentIndex(1)
    editor.addressee.setCurrentIndex(editor.addressee.findData("p1"))
    assert editor.addressee.findData("p3") < 0  # the deceased get no notice
    assert "1 位老同志" in editor.recipients.text()
    with qtbot.waitSignal(editor.accepted):
        editor.submit()
    assert page.table.item(0, 3).text() == "只给 王文华" and _count(store, CadNotice) == 1

    box = page.ask_publish()
    assert box is not None and box.isVisible() and "1 位老同志" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert page.table.item(0, 0).text() == "草稿" and _count(store, NtfMessage) == 0
    box = page.ask_publish()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert page.table.item(0, 0).text() == "已发布" and page.table.item(0, 4).text()
    assert page.table.item(0, 5).text() == "已发 0 / 共 1" and "排队 1 条" in page.status.text()
    with store.session() as s:
        [message] = s.scalars(select(NtfMessage)).all()
        assert (message.channel, message.template_key, message.params["title"]) == ("wechat", "cadre.notice",
                                                                                    "重阳登高活动报名")
    assert page.open_editor(page.selected()) is None and "只有草稿可以修改" in page.status.text()
    assert not page.publish_button.isEnabled() and page.withdraw_button.isEnabled()

    box = page.ask_withdraw()
    assert box is not None and "已经发出的微信消息不能收回" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert page.table.item(0, 0).text() == "已撤回" and "这条通知已撤回" in page.preview.toPlainText()
    with store.session() as s:
        assert notices.public_notices(s) == []
    page.state.setCurrentIndex(page.state.findData(notices.DRAFT))
    assert page.table.rowCount() == 0
    assert store.pending_count() > 0  # the notice and its message go out with the next sync


def test_a_reader_sees_the_list_and_the_preview_but_no_action(qtbot: QtBot, store: LocalStore) -> None:
    with store.session() as s, s.begin():
        n = notices.draft_notice(s, kind="文件", title="市人大常委会工作要点", body="全文附后。",
                                 document_ref="沪人大办〔2026〕2号")
        s.flush()
        notices.publish(s, n.id)
    page = _page(qtbot, store, READER)
    page.show()
    assert page.table.rowCount() == 1 and "沪人大办〔2026〕2号" in page.preview.toPlainText()
    for button in (page.new_button, page.edit_button, page.publish_button, page.withdraw_button):
        assert not button.isVisible()
    assert page.open_editor(None) is None and page.ask_publish() is None and page.ask_withdraw() is None
    assert "不能起草、发布或撤回" in page.note.text()
    clerk = _page(qtbot, store, CLERK - {"notify.send"})  # drafting yes, publishing (queues messages) no
    clerk.show()
    assert clerk.new_button.isVisible() and not clerk.publish_button.isVisible()


def test_the_page_follows_the_language(qtbot: QtBot, gui: object, store: LocalStore) -> None:
    from apps.common.application import set_language

    with store.session() as s, s.begin():
        notices.draft_notice(s, kind="讣告", title="讣告", body="赵建国同志因病逝世。", person_id="p3")
    set_language(gui, "en")  # type: ignore[arg-type]
    page = _page(qtbot, store, CLERK)
    headers = [page.table.horizontalHeaderItem(i).text() for i in range(page.table.columnCount())]
    assert headers == ["State", "Kind", "Title", "For", "Published", "WeChat"]
    assert [page.table.item(0, c).text() for c in (0, 1, 3)] == ["Draft", "Obituary", "All retirees"]
    assert page.title() == "Notices" and page.publish_button.text() == "Publish…"
    preview = page.preview.toPlainText()
    assert "Not yet published" in preview and "Deceased" in preview and "赵建国" in preview
