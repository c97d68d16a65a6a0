"""The 老干部 desk: the register found by name, pinyin or initials; the person's basic information."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apps.cadre import data
from apps.cadre.people_page import PeoplePage
from apps.cadre.person_page import PersonPage
from apps.cadre.window import CadreDesk
from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.launcher.window import LauncherWindow
from core.cadre.models import CadPerson
from core.db import make_engine, migrate
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add(CadPerson(id="c1", name="张三", gender="男", birth_date=date(1948, 3, 2), stage="retired",
                        retirement_kind="退休", former_unit="办公厅", id_number="310101********1234",
                        phone_mobile="138****5678"))
        s.add(CadPerson(id="c2", name="李四", gender="女", birth_date=date(1950, 7, 9), stage="retired",
                        alive=False, died_on=date(2025, 1, 3)))
        s.add(CadPerson(id="c3", name="王小明", gender="男", birth_date=date(1966, 1, 1), stage="upcoming",
                        retirement_due_on=date(2027, 1, 1)))
        s.add(CadPerson(id="c4", name="赵五", deleted=True))
    return store


def test_search_keys_match_name_pinyin_and_initials() -> None:
    row = data.PersonRow("x", "王小明", "男", None, "retired", "", "", True, data.search_keys("王小明"))
    for text in ("小明", "wangxiaoming", "WXM", "xiao ming", ""):
        assert data.matches(row, text), text
    assert not data.matches(row, "zs")


def test_register_narrows_as_the_clerk_types_and_opens_a_person(qtbot: QtBot, store: LocalStore,
                                                                tmp_path: Path) -> None:
    page = PeoplePage(store.session, today=lambda: date(2026, 12, 5))
    qtbot.addWidget(page)
    assert {r.name for r in page.rows} == {"张三", "李四", "王小明"}  # the deleted row is not listed
    assert page.count.text() == "共 3 人"
    page.search.setText("zs")
    assert [r.person_id for r in page.rows] == ["c1"]
    page.search.setText("lisi")
    assert page.table.item(0, 0).text() == "李四（已故）"
    page.search.setText("")
    page.alive.setCurrentIndex(page.alive.findData(False))
    assert [r.name for r in page.rows] == ["李四"]
    page.alive.setCurrentIndex(0)
    page.search.setText("w")  # 王小明 by its initials, not 张三 (zhangsan) or 李四 (lisi)
    assert [r.name for r in page.rows] == ["王小明"]
    page.search.setText("")
    page.max_age.setValue(77)  # 王小明 (60) and 李四 (76, deceased), not 张三 (78)
    written = page.export_to(tmp_path / "名册.xlsx")
    values = [[c for c in row if c is not None] for row in load_workbook(written).active.iter_rows(values_only=True)]
    names = [row[0] for row in values if row and row[0] in ("李四（已故）", "王小明", "张三")]
    assert names == ["李四（已故）", "王小明"]
    page.search.setText("明")
    with qtbot.waitSignal(page.opened) as opened:
        page.search.returnPressed.emit()
    assert opened.args == ["c3"]


def test_person_page_shows_the_basic_information_as_pulled(qtbot: QtBot, store: LocalStore) -> None:
    page = PersonPage(store.session)
    qtbot.addWidget(page)
    assert page.show_person("c1")
    assert page.heading.text() == "张三"
    assert page.fields["id_number"].text() == "310101********1234"  # masked by the server for this role
    assert page.fields["stage"].text() == "已离退休"
    assert page.fields["phone_mobile"].text() == "138****5678"
    assert not page.show_person("c4")
    assert page.person_id == "c1"


def test_the_launcher_opens_the_cadre_desk(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                           tmp_path: Path) -> None:
    context = _context(demo_server, "cadre", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    tile = next(t for t in window.launcher.tiles if t.entry.key == "cadre")
    assert tile.built and not tile.badge.isVisible()
    tile.click()
    opened = window.app_windows["cadre"]
    qtbot.addWidget(opened)
    desk = opened.page()
    assert isinstance(opened, AppShell) and isinstance(desk, CadreDesk)
    assert desk.currentWidget() is desk.reminders  # the reminders first
    tabs = [desk.tabText(i) for i in range(desk.count())]
    assert tabs[:2] == ["提醒", "名册"] and "分析" in tabs and "工作管理" in tabs
    assert opened.help_topic == "cadre" and opened.windowTitle() == "老干部"
    window.close()
    context.close()
