"""The 老干部 reminders page: birthdays with round ones marked, retirements; a row opens the person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.cadre.reminders_page import RemindersPage
from core.cadre.models import CadPerson
from core.db import make_engine, migrate
from core.sync.client import LocalStore

TODAY = date(2026, 6, 15)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add(CadPerson(id="c1", name="张三", birth_date=date(1946, 6, 20), stage="retired"))  # 80 on 20 June
        s.add(CadPerson(id="c2", name="李四", birth_date=date(1950, 7, 1), stage="retired"))
        s.add(CadPerson(id="c3", name="王小明", birth_date=date(1966, 1, 1), stage="upcoming",
                        retirement_due_on=date(2026, 9, 1)))
    return store


def test_reminders_by_day_with_round_birthdays_marked(qtbot: QtBot, store: LocalStore) -> None:
    page = RemindersPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert [(r.kind, r.person_id) for r in page.rows] == [("birthday", "c1"), ("birthday", "c2"),
                                                          ("retirement", "c3")]
    assert page.table.item(0, 1).text() == "5 天"
    assert page.table.item(0, 4).text().endswith("（整寿）") and page.table.item(0, 0).font().bold()
    assert not page.table.item(1, 0).font().bold()
    page.span.setCurrentIndex(page.span.findData(7))
    assert [r.person_id for r in page.rows] == ["c1", "c3"]  # the retirement is reminded months ahead
    page.table.selectRow(1)
    with qtbot.waitSignal(page.opened) as opened:
        page.open_row(page.table.currentRow())
    assert opened.args == ["c3"]
