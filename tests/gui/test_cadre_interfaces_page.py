"""接口与交换 on the 老干部 desk and 专属链接与微信 on 通知公告: a pull from a real appointments system on 127.0.0.1 in
the background (imported, refused with the row and column and nothing changed, cancelled), office-system
packages imported (good and bad) and exported, a per-person link shown once, WeChat bindings with the core's
refusals, and what each role sees."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.interfaces_page import TOKEN_ENV, InterfacesPage
from apps.cadre.notices_page import NoticesPage
from apps.cadre.reach_dialog import PersonReachDialog
from apps.common.qt import QGuiApplication, QProgressDialog, QPushButton
from apps.common.tasks import Progress
from core.auth.roles import ROLES_BY_NAME
from core.cadre import notices
from core.cadre.appointments_link_pull import load_state
from core.cadre.models import CadCategory, CadDispatch, CadPerson, CadPersonCategory
from core.cadre.notice_models import CadNoticeLink, CadWechatBinding
from core.db import make_engine
from core.models.registry import Attachment
from core.models.syncstate import OutboxEntry
from core.sync.client import LocalStore
from tests.cadre.test_appointments_link import (
    LI,
    WU,
    ZHANG,
    AppointmentsSystem,
    Offered,
    csv_file,
    system,
)
from tests.cadre.test_office_exchange import IDS, manifest, package
from tests.helpers.sqlite import copy_of

__all__ = ["system"]  # the local appointments system (a fixture)

CLERK = frozenset(ROLES_BY_NAME["cadre_clerk"].permissions)
READER = frozenset(ROLES_BY_NAME["cadre_reader"].permissions)
TODAY = date(2026, 12, 5)


@pytest.fixture
def store(migrated_sqlite: Path, tmp_path: Path) -> Iterator[LocalStore]:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'local.sqlite3')}")
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add(CadCategory(code="LX", name="离休干部"))
        s.add(CadPerson(id=IDS["wang"], name="王文华", stage="retired", retirement_kind="退休"))
        s.add(CadPerson(id=IDS["zhao"], name="赵立新", stage="retired", retirement_kind="离休"))
        s.add(CadPersonCategory(person_id=IDS["zhao"], category_code="LX"))
    yield store
    engine.dispose()


def _page(qtbot: QtBot, store: LocalStore, permissions: frozenset[str] = CLERK,
          environ: dict[str, str] | None = None) -> InterfacesPage:
    page = InterfacesPage(store, permissions, "cadre", today=lambda: TODAY, environ=environ or {})
    qtbot.addWidget(page)
    return page


def _names(store: LocalStore) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(CadPerson.name).order_by(CadPerson.name)))


def _count(store: LocalStore, model: object) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def _finish(qtbot: QtBot, page: InterfacesPage) -> None:
    assert page.task is not None
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and page.progress is None)


# ------------------------------------------------------------------------------------------ the appointments link
def test_a_pull_that_ends_while_its_progress_is_drawn_leaves_nothing_behind(qtbot: QtBot, gui: object,
                                                                           store: LocalStore) -> None:
    """A modal progress dialog's ``setValue`` runs the event loop; the pull's end can arrive in there and close
    the dialog. The page must not touch the closed dialog afterwards (it once did, under load)."""
    page = _page(qtbot, store)
    dialog = QProgressDialog("…", "取消", 0, 0, page)
    page.progress = dialog
    real_set_value = dialog.setValue

    def set_value_that_lets_the_pull_end(value: int) -> None:
        real_set_value(value)
        page._pull_finished()  # as if delivered by the event loop setValue ran

    dialog.setValue = set_value_that_lets_the_pull_end  # type: ignore[method-assign]
    page._pull_progress(Progress("正在导入", 1, 2))
    assert page.progress is None and page.pull_button.isEnabled()
    page._pull_progress(Progress("正在导入", 2, 2))  # a report still queued after the end: ignored


def test_pull_in_the_background_with_the_state_shown(qtbot: QtBot, gui: object, store: LocalStore,
                                                      system: AppointmentsSystem) -> None:
    system.files = [Offered("2026-0001", "即将离退休-11月.csv", csv_file(ZHANG, LI)),
                    Offered("2026-0002", "即将离退休-12月.csv", csv_file(WU))]
    page = _page(qtbot, store, environ={TOKEN_ENV: "from-env"})
    assert "还没有从人事任免系统拉取过" in page.state_labels["last"].text()
    assert page.pull_button.isVisibleTo(page) and page.import_button.isVisibleTo(page)
    page.url_edit.setText(system.url)
    outbox_before = _count(store, OutboxEntry)
    with qtbot.waitSignal(page.changed):
        task = page.start_pull()
        assert task is not None and page.progress is not None and page.progress.isVisible()
        assert not page.pull_button.isEnabled()
    _finish(qtbot, page)
    assert "导入 2 个文件：新增 3 人" in page.link_message.text()
    assert _names(store) == ["吴芳", "张建国", "李秀英", "王文华", "赵立新"]
    assert _count(store, OutboxEntry) > outbox_before  # the new people go out with the next sync
    assert system.requests[0] == ("/api/files?since=", "Bearer from-env")
    assert page.state_labels["url"].text() == system.url and page.state_labels["adapter"].text() == "http"
    assert page.state_labels["cursor"].text() == "2026-0002" and page.state_labels["files"].text() == "2 个"
    assert "结果：成功" in page.state_labels["last"].text() and page.pull_button.isEnabled()

    # a typed token is used for this pull only, then forgotten
    system.requests.clear()
    page.token_edit.setText("typed-once")
    page.start_pull()
    assert page.token_edit.text() == ""
    _finish(qtbot, page)
    assert system.requests == [("/api/files?since=2026-0002", "Bearer typed-once")]
    assert "没有新的文件" in page.link_message.text()
    with store.session() as s:
        assert "typed-once" not in str(load_state(s).as_value())


def test_a_refused_file_shows_row_and_column_and_changes_nothing(qtbot: QtBot, gui: object, store: LocalStore,
                                                                 system: AppointmentsSystem) -> None:
    bad = [*ZHANG]
    bad[3] = bad[3][:-1] + ("0" if bad[3][-1] != "0" else "1")  # a wrong check digit
    system.files = [Offered("b1", "任免-坏.csv", csv_file(LI, bad))]
    page = _page(qtbot, store)
    page.url_edit.setText(system.url)
    before = (_names(store), _count(store, OutboxEntry))
    page.start_pull()
    _finish(qtbot, page)
    text = page.link_message.text()
    assert text.startswith("没有拉取成功") and "“任免-坏.csv”" in text and "第 3 行，“身份证号”列" in text
    assert (_names(store), _count(store, OutboxEntry)) == before
    assert "结果：失败" in page.state_labels["last"].text()
    assert page.state_labels["cursor"].text() == "（从头开始）"


def test_cancel_stops_the_pull_and_imports_nothing(qtbot: QtBot, gui: object, store: LocalStore,
                                                   system: AppointmentsSystem) -> None:
    import threading

    system.files = [Offered("c1", "一.csv", csv_file(ZHANG))]
    system.hold = threading.Event()  # the system answers only when the test lets it
    page = _page(qtbot, store)
    page.url_edit.setText(system.url)
    page.start_pull()
    qtbot.waitUntil(lambda: bool(system.requests))
    assert page.progress is not None
    cancel = page.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    cancel.click()
    assert page.task is not None and page.task.cancel_requested
    system.hold.set()
    _finish(qtbot, page)
    system.hold = None
    assert "已取消" in page.link_message.text()
    assert _names(store) == ["王文华", "赵立新"] and page.state_labels["cursor"].text() == "（从头开始）"


def test_no_address_is_asked_for(qtbot: QtBot, gui: object, store: LocalStore) -> None:
    page = _page(qtbot, store)
    assert page.start_pull() is None and "请填写人事任免系统的接口地址" in page.link_message.text()


# ------------------------------------------------------------------------------------------ the office exchange
def test_import_a_good_and_a_bad_package_and_export(qtbot: QtBot, gui: object, store: LocalStore,
                                                    tmp_path: Path) -> None:
    page = _page(qtbot, store)
    good = package(tmp_path)
    page.choose_package = lambda: good
    with qtbot.waitSignal(page.changed):
        page.import_button.click()
    text = page.exchange_message.text()
    assert "已导入公文“关于做好离退休干部冬季走访慰问工作的通知”" in text and "登记送阅 2 人" in text
    assert "王文华" in text and "赵立新" in text
    counts = (_count(store, CadDispatch), _count(store, Attachment))
    assert counts == (2, 4)

    (tmp_path / "bad").mkdir()
    bad = package(tmp_path / "bad", manifest(secrecy="机密"))
    assert not page.import_package(bad)
    assert "密级为“机密”" in page.exchange_message.text() and "未做任何改动" in page.exchange_message.text()
    assert (_count(store, CadDispatch), _count(store, Attachment)) == counts

    folder = tmp_path / "导出"
    page.since.setDate(page.since.date().addMonths(-1))
    page.choose_folder = lambda: folder
    page.export_button.click()
    assert "已导出 1 个公文交换包" in page.exchange_message.text()
    written = sorted(folder.glob("*.zip"))
    assert len(written) == 1
    with zipfile.ZipFile(written[0]) as archive:
        assert {"manifest.json", "正文.pdf", "附件1-名单.csv"} <= set(archive.namelist())
    assert page.export_packages(tmp_path / "空", since=date(2030, 1, 1)) == 0
    assert "没有可导出的公文" in page.exchange_message.text()


def test_a_folders_manifest_imports_the_folder(qtbot: QtBot, gui: object, store: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "公文"
    folder.mkdir()
    with zipfile.ZipFile(package(tmp_path)) as archive:
        archive.extractall(folder)
    page = _page(qtbot, store)
    assert page.import_package(folder / "manifest.json")
    assert "登记送阅 2 人" in page.exchange_message.text()


# ------------------------------------------------------------------------------------------ links and WeChat
def _reach(qtbot: QtBot, store: LocalStore) -> PersonReachDialog:
    page = NoticesPage(store.session, CLERK)
    qtbot.addWidget(page)
    assert page.reach_button.isVisibleTo(page)
    dialog = page.open_reach(IDS["wang"])
    assert dialog is not None and dialog.isVisible() and dialog.person_name() == "王文华"
    return dialog


def test_a_link_is_shown_once_and_revoked(qtbot: QtBot, gui: object, store: LocalStore) -> None:
    dialog = _reach(qtbot, store)
    dialog.base.setText("https://portal.example.gov.cn/")
    assert dialog.link_table.rowCount() == 0
    shown = dialog.make_link()
    assert shown is not None and shown.isVisible()
    address = shown.address.text()
    assert address.startswith("https://portal.example.gov.cn/laoganbu/p/") and len(address.rsplit("/", 1)[1]) == 43
    assert "只显示这一次" in shown.findChild(type(shown.copied), "linkOnceNote").text()
    shown.copy_button.click()
    assert QGuiApplication.clipboard().text() == address
    shown.reject()
    token = address.rsplit("/", 1)[1]
    with store.session() as s:
        row = s.scalars(select(CadNoticeLink)).one()
        assert row.token_hash == notices.token_hash(token) and token not in str(row.__dict__)
    assert dialog.link_table.rowCount() == 1 and dialog.link_table.item(0, 0).text() == "有效"
    assert token not in dialog.link_table.item(0, 1).text()
    dialog.link_table.selectRow(0)
    assert dialog.revoke_button.isEnabled() and dialog.revoke_selected()
    assert dialog.link_table.item(0, 0).text() == "已停用" and not dialog.revoke_button.isEnabled()


def test_bind_refuses_a_bad_openid_and_unbinds(qtbot: QtBot, gui: object, store: LocalStore) -> None:
    dialog = _reach(qtbot, store)
    dialog.openid.setText("no good!")
    dialog.bind_button.click()
    assert dialog.openid_error.isVisible() and "微信 openid 格式不对" in dialog.openid_error.text()
    assert _count(store, CadWechatBinding) == 0 and dialog.openid.text() == "no good!"
    dialog.openid.setText("oWANG0000001")
    assert dialog.bind() and not dialog.openid_error.isVisible()
    assert dialog.binding_table.rowCount() == 1 and dialog.binding_table.item(0, 0).text() == "已绑定"
    dialog.openid.setText("oWANG0000001")
    assert not dialog.bind() and "已经绑定" in dialog.openid_error.text()
    dialog.binding_table.selectRow(0)
    assert dialog.unbind_selected() and dialog.binding_table.item(0, 0).text() == "已解除"
    with store.session() as s:
        assert notices.wechat_recipients(s, IDS["wang"]) == 0


# ------------------------------------------------------------------------------------------ roles
def test_the_reader_sees_the_state_and_no_action(qtbot: QtBot, gui: object, store: LocalStore,
                                                 tmp_path: Path) -> None:
    page = _page(qtbot, store, READER)
    assert not page.pull_controls.isVisibleTo(page) and not page.exchange_controls.isVisibleTo(page)
    assert page.role_note.isVisibleTo(page)
    assert page.start_pull() is None and not page.import_package(package(tmp_path))
    assert page.export_packages(tmp_path / "out") is None and _count(store, CadDispatch) == 0
    notices_page = NoticesPage(store.session, READER)
    qtbot.addWidget(notices_page)
    assert not notices_page.reach_button.isVisibleTo(notices_page) and notices_page.open_reach() is None
