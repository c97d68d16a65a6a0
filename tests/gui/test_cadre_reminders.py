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


@pytest.fixture
def every_kind(store: LocalStore) -> LocalStore:
    """One reminder of each kind and variant: a lunar round birthday, an overdue retirement, hospital stays
    with and without the hospital, fifty years in the Party and forty years of work."""
    from core.cadre.models import CadHospitalStay

    with store.session() as s, s.begin():
        s.add(CadPerson(id="l1", name="赵老", birth_date=date(1946, 6, 10), birthday_lunar=True, stage="retired"))
        s.add(CadPerson(id="o1", name="钱五", birth_date=date(1965, 1, 1), stage="upcoming",
                        retirement_due_on=date(2026, 5, 1)))
        s.add(CadPerson(id="h1", name="孙六", birth_date=date(1940, 1, 1), stage="retired",
                        party_date=date(1976, 6, 25), work_start_date=date(1986, 7, 1)))
        s.add(CadHospitalStay(person_id="h1", admitted_on=date(2026, 6, 10), hospital="华东医院"))
        s.add(CadHospitalStay(person_id="c2", admitted_on=date(2026, 6, 12)))
    return store


def test_the_sentences_follow_the_language(qtbot: QtBot, gui: object, every_kind: LocalStore) -> None:
    from apps.common.application import set_language

    page = RemindersPage(every_kind.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    chinese = [page.table.item(n, 4).text() for n in range(page.table.rowCount())]
    expected = [r.text + ("（整寿）" if r.round and r.kind == "birthday" else "") for r in page.rows]
    assert chinese == expected  # the desk's Chinese is the core's sentence, word for word
    assert {r.kind for r in page.rows} == {"birthday", "retirement", "hospital", "anniversary"}
    set_language(gui, "en")  # type: ignore[arg-type]
    page.reload()
    english = "\n".join(page.table.item(n, 4).text() for n in range(page.table.rowCount()))
    for sentence in ("赵老 turns 80 (lunar calendar: month 5, day 11), a round-number birthday (milestone birthday)",
                     "张三 turns 80 (solar calendar: 6/20), a round-number birthday (milestone birthday)",
                     "钱五 reached the statutory retirement date on 2026-05-01 and has not yet retired",
                     "孙六 has been in 华东医院 since 2026-06-10: a visit is due",
                     "李四 has been in hospital since 2026-06-12: a visit is due",
                     "50 years since 孙六 joined the Party (50 glorious years in the Party)",
                     "40 years since 孙六 started work"):
        assert sentence in english
    assert not any("\u5c81" in line or "周年" in line for line in english.splitlines())
    assert page.table.item(0, 2).text() in {"Birthday", "Retirement", "Hospital visit", "Anniversary"}
