"""The legal clocks: counting on the working-day calendar, worked examples, the traffic light."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.petition.clocks import (
    DEADLINE_BY_KEY,
    DEADLINES,
    WORKED_EXAMPLES,
    Calendar,
    Counting,
    Deadline,
    Due,
    WorkedExample,
    days_left,
    deadlines_markdown,
    due_date,
    example_calendar,
    extended,
    light,
    worked_examples_markdown,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "petition.md"
D = date.fromisoformat


def test_the_package_has_the_2025_schedule_the_examples_rest_on() -> None:
    spring = [D("2025-01-28") + timedelta(days=i) for i in range(8)]
    national = [D("2025-10-01") + timedelta(days=i) for i in range(8)]
    for day in spring + national:
        assert not chinese_calendar.is_workday(day), day
        assert Calendar().day(day).holiday, day
    for day in (D("2025-01-26"), D("2025-02-08"), D("2025-09-28"), D("2025-10-11")):
        assert day.weekday() >= 5
        assert chinese_calendar.is_workday(day), day
    assert not chinese_calendar.is_workday(D("2025-02-22"))
    assert not Calendar().day(D("2025-02-22")).holiday  # an ordinary Saturday, not a statutory holiday


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: f"{e.deadline}-{e.start}-{e.roll_over}")
def test_worked_examples(example: WorkedExample) -> None:
    due = due_date(example.start, DEADLINE_BY_KEY[example.deadline], example_calendar(example))
    assert due == Due(example.due, estimated=example.estimated)


def test_doc_tables_match_the_data() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 期限的计算", 1)[1].split("\n## ", 1)[0]
    assert "\n".join(worked_examples_markdown()) in section
    assert "\n".join(deadlines_markdown()) in section


def test_first_day_counting_is_a_setting() -> None:
    route = DEADLINE_BY_KEY["route"]
    assert due_date(D("2025-03-03"), route).on == D("2025-03-18")
    counted = Calendar(counting=Counting(count_first_day=True))
    assert due_date(D("2025-03-03"), route, counted).on == D("2025-03-17")
    objection = DEADLINE_BY_KEY["objection"]  # Monday: counted itself when the first day counts
    assert due_date(D("2025-03-03"), objection).on == D("2025-03-10")
    assert due_date(D("2025-03-03"), objection, counted).on == D("2025-03-07")


def test_overrides_win_over_the_published_schedule() -> None:
    objection = DEADLINE_BY_KEY["objection"]
    plain = due_date(D("2025-03-03"), objection).on
    closed_tuesday = Calendar(overrides={D("2025-03-04"): False})
    assert due_date(D("2025-03-03"), objection, closed_tuesday).on == plain + timedelta(days=1)
    # a 日 period ending on a day marked as rest day rolls over like a holiday
    route = DEADLINE_BY_KEY["route"]
    assert due_date(D("2025-03-03"), route, Calendar(overrides={D("2025-03-18"): False})).on == D("2025-03-19")
    # a day marked as working day inside the holiday stops the roll-over there
    opened = Calendar(overrides={D("2025-02-03"): True})
    assert due_date(D("2025-01-15"), route, opened).on == D("2025-02-03")
    # an override makes a day of an unknown year known
    assert Calendar(overrides={D("2099-01-01"): False}).day(D("2099-01-01")).known


def test_unknown_year_falls_back_to_weekends_and_says_so() -> None:
    calendar = Calendar()
    assert not calendar.day(D("2099-06-06")).known  # a Saturday
    assert not calendar.is_workday(D("2099-06-06"))
    assert calendar.is_workday(D("2099-06-08"))
    assert due_date(D("2099-06-01"), DEADLINE_BY_KEY["route"]).estimated
    assert not due_date(D("2025-06-01"), DEADLINE_BY_KEY["route"]).estimated


def test_extension_adds_to_the_handling_period() -> None:
    handling = DEADLINE_BY_KEY["handling"]
    assert due_date(D("2025-03-03"), extended(handling, 30)).on == D("2025-06-03")
    for days in (0, 31):
        with pytest.raises(ValueError, match="1 至 30 日"):
            extended(handling, days)


def test_hearing_time_is_not_counted() -> None:
    rereview = DEADLINE_BY_KEY["rereview"]
    assert due_date(D("2025-03-03"), rereview, not_counted_days=10).on == D("2025-04-12")


def test_light() -> None:
    due = D("2025-10-09")
    assert days_left(due, D("2025-10-01")) == 8
    assert light(due, D("2025-10-05")) == "green"
    assert light(due, D("2025-10-06")) == "amber"
    assert light(Due(due), D("2025-10-09")) == "amber"
    assert days_left(Due(due), D("2025-10-10")) == -1
    assert light(due, D("2025-10-10")) == "red"


@given(st.dates(D("2010-01-01"), D("2026-06-30")), st.sampled_from(DEADLINES),
       st.sampled_from(["holiday", "rest_day", "none"]))
def test_due_date_properties(start: date, deadline: Deadline, roll_over: str) -> None:
    calendar = Calendar(counting=Counting(roll_over=roll_over))  # type: ignore[arg-type]
    due = due_date(start, deadline, calendar)
    assert not due.estimated
    if deadline.unit == "工作日":
        assert calendar.is_workday(due.on)
        days = [start + timedelta(days=i) for i in range(1, (due.on - start).days + 1)]
        assert sum(calendar.is_workday(d) for d in days) == deadline.period
    else:
        plain = start + timedelta(days=deadline.period)
        assert due.on >= plain
        if due.on > plain:
            assert roll_over != "none"
            assert calendar.is_workday(due.on)
            assert not any(calendar.is_workday(plain + timedelta(days=i)) for i in range((due.on - plain).days))
        elif roll_over == "rest_day":
            assert calendar.is_workday(due.on)
        elif roll_over == "holiday":
            assert not calendar.day(due.on).holiday
