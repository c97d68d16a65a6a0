"""Reminders by worked example: solar and lunar birthdays (the Chinese New Year, the 30th of a short month,
leap months), round birthdays, retirements, hospital stays and anniversaries; and the query on a database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from core.cadre.models import CadHospitalStay, CadPerson, CadSetting
from core.cadre.reminders import (
    PersonFacts,
    StayFacts,
    anniversaries,
    birthdays,
    hospital_visits,
    lunar_of,
    lunar_text,
    reminders,
    retirements,
)
from core.db import make_engine, make_session_factory
from tests.helpers.sqlite import copy_of


def person(name: str, birth: date | None, *, lunar: bool = False, **more: object) -> PersonFacts:
    return PersonFacts(f"id-{name}", name, birth, lunar, **more)  # type: ignore[arg-type]


def test_a_lunar_birthday_after_the_new_year_counts_the_new_lunar_year() -> None:
    # 1936-01-26 is 正月初三 of lunar 1936; 正月初三 of lunar 2026 is 2026-02-19 (New Year: 2026-02-17).
    wang = person("王文华", date(1936, 1, 26), lunar=True)
    [r] = birthdays([wang], date(2026, 2, 10), 30)
    assert (r.on, r.years, r.round, r.lunar) == (date(2026, 2, 19), 90, True, True)
    assert r.days_left == 9 and "农历正月初三" in r.text and "逢十大寿" in r.text
    # kept by the solar calendar the same person's birthday (26 January) is not in this window
    assert birthdays([wang._replace(birthday_lunar=False)], date(2026, 2, 10), 30) == []


def test_the_thirtieth_of_the_twelfth_month_is_kept_on_the_29th_when_the_month_is_short() -> None:
    # 1946-02-01 is 腊月三十 of lunar 1945; the twelfth month of lunar 2025 has 29 days (除夕 2026-02-16).
    li = person("李秀英", date(1946, 2, 1), lunar=True)
    assert lunar_of(date(1946, 2, 1)) is not None and lunar_text(12, 30) == "腊月三十"
    [r] = birthdays([li], date(2026, 2, 1), 30)
    assert (r.on, r.years, r.round) == (date(2026, 2, 16), 80, True)


def test_a_window_across_the_new_year_gives_both_lunar_years() -> None:
    # 腊月初十 lunar 1945 → 1946-01-12; in a window from 2025-01-01 over 400 days 腊月初十 comes twice:
    # lunar 2024 (2025-01-09, 79 years) and lunar 2025 (2026-01-28, 80 years).
    zhou = person("周国强", date(1946, 1, 12), lunar=True)
    found = birthdays([zhou], date(2025, 1, 1), 400)
    assert [(r.on, r.years, r.round) for r in found] == [(date(2025, 1, 9), 79, False), (date(2026, 1, 28), 80, True)]


def test_a_leap_month_birth_is_kept_once_in_the_ordinary_month() -> None:
    # 1941-08-02 is 闰六月初十 of lunar 1941, 1941-07-04 the ordinary 六月初十. Lunar 2025 has a leap sixth
    # month too: 六月初十 is 2025-07-04 and 闰六月初十 2025-08-03. Both are reminded once, on 2025-07-04.
    leap = person("赵leap", date(1941, 8, 2), lunar=True)
    plain = person("钱plain", date(1941, 7, 4), lunar=True)
    found = birthdays([leap, plain], date(2025, 7, 1), 40)
    assert sorted((r.person_name, r.on, r.years) for r in found) == [
        ("赵leap", date(2025, 7, 4), 84),
        ("钱plain", date(2025, 7, 4), 84),
    ]
    # in 2026 (no leap month) the leap-born is kept on 六月初十 = 2026-07-23
    [r] = birthdays([leap], date(2026, 7, 1), 30)
    assert r.on == date(2026, 7, 23)


def test_solar_birthdays_across_the_year_end_and_on_29_february() -> None:
    sun = person("孙建国", date(1946, 1, 3))
    [r] = birthdays([sun], date(2025, 12, 20), 30)
    assert (r.on, r.years, r.round, r.lunar) == (date(2026, 1, 3), 80, True, False)
    leapday = person("吴平", date(1944, 2, 29))
    [r] = birthdays([leapday], date(2026, 2, 20), 10)
    assert (r.on, r.years, r.round) == (date(2026, 2, 28), 82, False)
    assert birthdays([leapday._replace(alive=False)], date(2026, 2, 20), 10) == []


@given(
    birth=st.dates(date(1920, 1, 1), date(1970, 12, 31)),
    today=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 60),
    lunar=st.booleans(),
)
def test_every_birthday_is_inside_the_window_and_once_a_year(birth: date, today: date, days: int, lunar: bool) -> None:
    found = birthdays([person("甲", birth, lunar=lunar)], today, days)
    assert all(today <= r.on <= today + timedelta(days=days) and r.days_left == (r.on - today).days for r in found)
    assert len(found) <= 1  # a window shorter than a year holds one birthday at most
    assert all(r.round == (r.years in (80, 90, 100)) for r in found)
    # over a whole lunar year (at most 385 days) there is always one
    assert len(birthdays([person("甲", birth, lunar=lunar)], today, 385)) >= 1


def test_retirements_months_ahead_and_overdue() -> None:
    today = date(2026, 12, 5)
    soon = person("郑明", date(1966, 9, 10), stage="upcoming", retirement_due_on=date(2027, 3, 1))
    later = person("冯丽", date(1970, 1, 1), stage="upcoming", retirement_due_on=date(2027, 7, 1))
    overdue = person("陈刚", date(1965, 1, 1), stage="upcoming", retirement_due_on=date(2026, 11, 1))
    retired = person("褚红", date(1950, 1, 1), stage="retired", retirement_due_on=date(2027, 1, 1))
    found = retirements([soon, later, overdue, retired], today, 6)
    assert [(r.person_name, r.days_left) for r in found] == [("郑明", 86), ("陈刚", -34)]
    assert "尚未办理退休" in found[1].text
    assert [r.person_name for r in retirements([soon, later], today, 7)] == ["郑明", "冯丽"]


def test_hospital_stays_to_visit() -> None:
    today = date(2026, 12, 5)
    stays = [
        StayFacts("a", date(2026, 11, 28), None, "华东医院"),
        StayFacts("b", date(2026, 10, 1), date(2026, 10, 20), "瑞金医院"),
        StayFacts("c", date(2026, 12, 1), None, None),  # the hospital masked for the reader
        StayFacts("gone", date(2026, 12, 1), None, "华山医院"),  # deceased: not among the names
    ]
    found = hospital_visits(stays, {"a": "卫东", "b": "蒋华", "c": "沈云"}, today)
    assert [(r.person_name, r.days_left) for r in found] == [("卫东", -7), ("沈云", -4)]
    assert "在华东医院住院" in found[0].text and "在" not in found[1].text.split("起")[1].split("住院")[0]


def test_round_anniversaries_and_fifty_years_in_the_party() -> None:
    han = person("韩光", date(1945, 3, 1), party_date=date(1976, 7, 1), work_start_date=date(1966, 7, 15))
    found = anniversaries([han], date(2026, 6, 20), 30)
    assert [(r.text, r.round) for r in found] == [("韩光 入党 50 周年（光荣在党 50 年）", True),
                                                  ("韩光 参加工作 60 周年", False)]
    assert anniversaries([han], date(2026, 8, 1), 30) == []


def test_the_query_reads_the_database(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'r.sqlite3')}")
    factory = make_session_factory(engine)
    today = date(2026, 2, 10)
    with factory.begin() as s:
        assert isinstance(s, Session)
        wang = CadPerson(name="王文华", gender="男", birth_date=date(1936, 1, 26), birthday_lunar=True)
        dead = CadPerson(name="杨立", gender="男", birth_date=date(1936, 2, 12), alive=False)
        gone = CadPerson(name="朱清", gender="女", birth_date=date(1936, 2, 12), deleted=True)
        due = CadPerson(name="秦峰", gender="男", birth_date=date(1966, 5, 1), stage="upcoming",
                        retirement_due_on=date(2026, 9, 1))
        s.add_all([wang, dead, gone, due])
        s.flush()
        s.add(CadHospitalStay(person_id=wang.id, admitted_on=date(2026, 2, 8), hospital="华东医院"))
        s.add(CadSetting(key="retirement_reminder_months", value="6"))
    with factory() as s:
        found = reminders(s, today, 30)
        assert [(r.kind, r.person_name, r.on) for r in found] == [
            ("hospital", "王文华", date(2026, 2, 8)),
            ("birthday", "王文华", date(2026, 2, 19)),
        ]
    with factory.begin() as w:
        w.query(CadSetting).update({"value": "7"})
    with factory() as s:
        assert [r.person_name for r in reminders(s, today, 30) if r.kind == "retirement"] == ["秦峰"]
        assert [r.kind for r in reminders(s, today, 30, months=3)] == ["hospital", "birthday"]
    engine.dispose()
