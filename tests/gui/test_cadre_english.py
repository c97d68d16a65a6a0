"""The 老干部 desk in English: the window's tabs, the register and a person's page follow the language."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.cadre.people_page import PeoplePage
from apps.cadre.person_page import PersonPage
from apps.cadre.window import CadreDesk
from apps.common.application import set_language
from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.launcher.window import LauncherWindow
from core.auth.roles import P_CADRE_SENSITIVE
from core.cadre.models import CadFamily, CadPerson
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
                        retirement_kind="退休", former_unit="办公厅"))
        s.add(CadPerson(id="c2", name="李四", gender="女", birth_date=date(1950, 7, 9), stage="retired",
                        alive=False, died_on=date(2025, 1, 3)))
        s.add(CadFamily(id="f1", person_id="c1", relation="女儿", name="张小红", emergency_contact=True))
    return store


def _save(widget: object, name: str) -> None:
    """With RENDA_SHOTS=<folder>, keep a picture of the English screen to look at."""
    folder = os.environ.get("RENDA_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))  # type: ignore[attr-defined]


def test_the_cadre_window_tabs_are_in_english(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                              tmp_path: Path) -> None:
    set_language(gui, "en")
    context = _context(demo_server, "cadre", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    next(t for t in window.launcher.tiles if t.entry.key == "cadre").click()
    opened = window.app_windows["cadre"]
    qtbot.addWidget(opened)
    desk = opened.page()
    assert isinstance(opened, AppShell) and isinstance(desk, CadreDesk)
    tabs = [desk.tabText(i) for i in range(desk.count())]
    assert tabs == ["Reminders", "Register", "Services", "Notices", "Analysis", "Links and exchange"]
    assert desk.interfaces.pull_button.text() == "Pull" and desk.notices.reach_button.text() == "Links and WeChat…"
    assert opened.windowTitle() == "Retired Cadres"
    opened.resize(1200, 800)
    _save(opened, "cadre_en_window.png")
    window.close()
    context.close()


def test_the_register_is_in_english(qtbot: QtBot, gui: ClientSettings, store: LocalStore) -> None:
    set_language(gui, "en")
    page = PeoplePage(store.session, may_batch=True, today=lambda: date(2026, 12, 5))
    qtbot.addWidget(page)
    headers = [page.table.horizontalHeaderItem(i).text() for i in range(page.table.columnCount())]
    assert headers == ["Name", "Gender", "Date of birth", "Status", "Former unit", "Former post"]
    assert page.count.text() == "2 people"
    assert page.sms_button.text() == "Send SMS…"
    assert page.kind.itemText(0) == "All"
    assert {page.table.item(n, 0).text() for n in range(2)} == {"张三", "李四 (deceased)"}  # names stay
    assert page.table.item(0, 3).text() == "Retired"
    assert {page.table.item(n, 1).text() for n in range(2)} == {"Male", "Female"}  # fixed choices follow
    page.resize(1100, 500)
    page.show()
    _save(page, "cadre_en_people.png")


def test_a_person_page_is_in_english(qtbot: QtBot, gui: ClientSettings, store: LocalStore) -> None:
    set_language(gui, "en")
    page = PersonPage(store.session, permissions=frozenset({P_CADRE_SENSITIVE}))
    qtbot.addWidget(page)
    assert page.show_person("c1")
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[0] == "Basic information" and "Family" in tabs and "Hospital stays" in tabs
    assert page.back_button.text() == "Back to register"
    assert page.fields["stage"].text() == "Retired"
    family = page.row_tabs["cad_family"]
    headers = [family.view.horizontalHeaderItem(i).text() for i in range(family.view.columnCount())]
    assert headers[:3] == ["Emergency contact", "Relation", "Name"]
    assert family.view.item(0, 0).text() == "★ Emergency contact"
    assert family.view.item(0, 1).text() == "Daughter"
    assert family.view.item(0, 2).text() == "张小红"  # what was typed stays as it is
    page.resize(1100, 700)
    page.show()
    _save(page, "cadre_en_person.png")
    page.tabs.setCurrentWidget(family)
    _save(page, "cadre_en_family.png")
