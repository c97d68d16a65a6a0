"""The 信访 inbox: deadline order with lights, filters, search, Excel export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apps.common.context import ClientContext
from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.launcher.window import LauncherWindow
from apps.petition.inbox import InboxPage
from apps.petition.supervision import SupervisionPage
from apps.petition.window import PetitionDesk
from core.db import make_engine, migrate
from core.petition.models import PetBody, PetCase, PetPetitioner
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context

TODAY = date(2026, 6, 15)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add(PetBody(code="edu", name="教科文卫委员会"))
        s.add(PetBody(code="fin", name="财政经济委员会"))
        s.add(PetPetitioner(id="p1", name="张三"))
        s.add(PetPetitioner(id="p2", name="李四"))
        for code, due, channel, body, person, supervised, subject in (
            ("XF2026-0001", TODAY + timedelta(days=20), "来信", "edu", "p1", False, "学校收费问题"),
            ("XF2026-0002", TODAY - timedelta(days=3), "来访", "fin", "p2", True, "拆迁补偿"),
            ("XF2026-0003", TODAY + timedelta(days=2), "电话", "edu", "p2", False, "医保报销"),
        ):
            s.add(PetCase(code=code, channel=channel, received_on=TODAY - timedelta(days=30), subject=subject,
                          content=subject, petitioner_id=person, body_code=body, due_on=due, state="registered",
                          supervised=supervised, committee=body))
    return store


def test_overdue_first_with_lights_and_filters(qtbot: QtBot, store: LocalStore, tmp_path: Path) -> None:
    page = InboxPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert [r.code for r in page.rows] == ["XF2026-0002", "XF2026-0003", "XF2026-0001"]
    assert [r.light for r in page.rows] == ["red", "amber", "green"]
    assert page.table.item(0, 0).text() == "超期 3 天"
    page.supervised.setChecked(True)
    assert [r.code for r in page.rows] == ["XF2026-0002"]
    page.supervised.setChecked(False)
    page.body.setCurrentIndex(page.body.findData("edu"))
    assert {r.code for r in page.rows} == {"XF2026-0001", "XF2026-0003"}
    page.channel.setCurrentIndex(page.channel.findData("电话"))
    assert [r.code for r in page.rows] == ["XF2026-0003"]
    page.channel.setCurrentIndex(0)
    assert page.state.findData("registered") > 0 and page.table.item(0, 2).text() == "登记"
    page.body.setCurrentIndex(0)
    page.search.setText("张三")
    qtbot.keyClick(page.search, "\r")
    assert [r.code for r in page.rows] == ["XF2026-0001"]
    page.search.setText("拆迁")
    page.reload()
    assert [r.petitioner for r in page.rows] == ["李四"]
    page.search.setText("")
    page.reload()
    path = page.export_to(tmp_path / "inbox.xlsx")
    sheet = load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if "编号" in row)
    assert values[header][:2] == ["剩余天数", "编号"]
    codes = [row[1] for row in values[header + 1:]]
    assert codes == ["XF2026-0002", "XF2026-0003", "XF2026-0001"]
    assert values[header + 1][6] == "拆迁补偿（督办）"


def test_the_launcher_opens_the_desk(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                     tmp_path: Path) -> None:
    context = _context(demo_server, "admin", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    tile = next(t for t in window.launcher.tiles if t.entry.key == "petition")
    assert tile.built and not tile.badge.isVisible()
    tile.click()
    opened = window.app_windows["petition"]
    qtbot.addWidget(opened)
    desk = opened.page()
    assert isinstance(opened, AppShell) and isinstance(desk, PetitionDesk)
    assert [desk.tabText(i) for i in range(desk.count())] == ["信访件", "登记", "来访接待", "督办", "统计"]
    assert opened.help_topic == "petition" and opened.windowTitle() == "信访"
    window.close()
    context.close()


def _sync(qtbot: QtBot, context: ClientContext) -> None:
    assert context.sync.sync_now() is not None
    qtbot.waitUntil(lambda: not context.sync.running)
    outcome = context.sync.last_outcome
    assert outcome is not None and outcome.error is None


def test_the_liaison_sees_only_its_committees_cases(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                                    tmp_path: Path) -> None:
    clerk = _context(demo_server, "petition", tmp_path / "clerk", gui)
    with clerk.store.session() as s, s.begin():
        for code, committee in (("XF2026-900001", "jkww"), ("XF2026-900002", None)):
            s.add(PetCase(code=code, channel="来信", received_on=TODAY, subject="测试", committee=committee,
                          body_code=committee or "", due_on=TODAY + timedelta(days=10)))
    _sync(qtbot, clerk)
    liaison = _context(demo_server, "liaison", tmp_path / "liaison", gui)
    _sync(qtbot, liaison)
    page = InboxPage(liaison.store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    codes = {r.code for r in page.rows}
    assert "XF2026-900001" in codes and "XF2026-900002" not in codes
    clerk.close()
    liaison.close()


def test_supervision_lists_overdue_cases_per_body(qtbot: QtBot, store: LocalStore) -> None:
    with store.session() as s, s.begin():
        s.add(PetCase(code="XF2026-0004", channel="来信", received_on=TODAY, subject="又一件", body_code="fin",
                      due_on=TODAY - timedelta(days=8)))
        s.add(PetCase(code="XF2026-0005", channel="来信", received_on=TODAY, subject="已办结", body_code="edu",
                      due_on=TODAY - timedelta(days=30), state="closed"))
    page = SupervisionPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert [(g.body, g.overdue, g.most_days) for g in page.groups] == [("财政经济委员会", 2, 8)]
    assert page.table.item(0, 3).text() == "XF2026-0004、XF2026-0002"
