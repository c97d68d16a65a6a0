"""The legal clocks of letters and visits: deadlines as data, counted on the working-day calendar.

Pure rules — no database, no Qt. The calendar is the State Council's holiday schedule as published in the
``chinesecalendar`` package, corrected by an administrator's overrides (``pet_holiday_override``: date →
is a working day). For a year the package does not know, weekends are rest days and every weekday is a
working day; a due date computed so says so (``Due.estimated``).

How periods are counted is **configurable**: the 《信访工作条例》 has no counting rule (unconfirmed; see the
product's law notes). The default borrows 《民法典》 第二百零一条 and 第二百零三条:

- the first day is not counted: day 1 is the day after the start (``Counting.count_first_day``);
- a period in 日 whose last day falls on a statutory holiday (法定节假日, including the weekend days inside
  the holiday) ends on the next working day; a last day on an ordinary weekend stays
  (``Counting.roll_over``: ``"holiday"``, ``"rest_day"`` for any rest day, or ``"none"``);
- a period in 工作日 counts working days only (调休 weekend working days count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

import chinese_calendar

from core.petition.workflow import REGULATION, SHANGHAI

Unit = Literal["日", "工作日"]
RollOver = Literal["holiday", "rest_day", "none"]
AMBER_DAYS = 3
"""A deadline with this many days left or fewer shows amber; overdue shows red."""


@dataclass(frozen=True)
class Deadline:
    key: str
    name: str
    period: int
    unit: Unit
    article: str
    starts: str
    """What the count starts from (shown to the clerk)."""


DEADLINES: tuple[Deadline, ...] = (
    Deadline("route", "登记分流", 15, "日", f"{REGULATION}第二十二条；{SHANGHAI}第三十条", "收到信访事项"),
    Deadline("inform", "当面递交的告知", 15, "日", f"{REGULATION}第二十三条第二款", "收到信访事项"),
    Deadline("receipt", "有权处理机关告知收到", 15, "日", f"{REGULATION}第二十三条第三款", "收到转送、交办"),
    Deadline("objection", "提出异议", 5, "工作日", f"{REGULATION}第二十三条第三款", "收到转送、交办"),
    Deadline("handling", "办理并出具处理意见书", 60, "日", f"{REGULATION}第三十四条；{SHANGHAI}第三十一条", "受理"),
    Deadline("review_request", "申请复查", 30, "日", f"{REGULATION}第三十五条", "收到书面答复"),
    Deadline("review", "复查意见", 30, "日", f"{REGULATION}第三十五条", "收到复查请求"),
    Deadline("rereview_request", "申请复核", 30, "日", f"{REGULATION}第三十六条第一款", "收到复查意见"),
    Deadline("rereview", "复核意见", 30, "日", f"{REGULATION}第三十六条第一、二款（听证时间不计）", "收到复核请求"),
)
DEADLINE_BY_KEY = {d.key: d for d in DEADLINES}
MAX_EXTENSION_DAYS = 30


def extended(deadline: Deadline, days: int) -> Deadline:
    """The handling period with an approved extension (≤ 30 日, 第三十四条): counted from the same start."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延长的天数为 1 至 {MAX_EXTENSION_DAYS} 日，填写的是 {days} 日")
    return replace(deadline, name=f"{deadline.name}（延期 {days} 日）", period=deadline.period + days)


@dataclass(frozen=True)
class Counting:
    count_first_day: bool = False
    roll_over: RollOver = "holiday"


@dataclass(frozen=True)
class DayInfo:
    workday: bool
    holiday: bool
    """A statutory holiday (法定节假日) or a day an administrator marked as a rest day."""
    known: bool
    """False: the calendar has no data for the year, weekends were assumed."""


@dataclass(frozen=True)
class Calendar:
    overrides: Mapping[date, bool] = field(default_factory=dict)
    """date → is a working day (an administrator's correction; wins over the published schedule)."""
    counting: Counting = Counting()

    def day(self, day: date) -> DayInfo:
        if day in self.overrides:
            workday = self.overrides[day]
            return DayInfo(workday=workday, holiday=not workday, known=True)
        try:
            workday = chinese_calendar.is_workday(day)
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return DayInfo(workday=day.weekday() < 5, holiday=False, known=False)
        return DayInfo(workday=workday, holiday=bool(on_holiday and name is not None), known=True)

    def is_workday(self, day: date) -> bool:
        return self.day(day).workday


@dataclass(frozen=True)
class Due:
    on: date
    estimated: bool = False
    """Part of the count fell in a year without holiday data (weekends only were assumed)."""


def due_date(start: date, deadline: Deadline, calendar: Calendar | None = None, *,
             not_counted_days: int = 0) -> Due:
    """The last day of ``deadline`` counted from ``start``.

    ``not_counted_days``: days the period stands still (the hearing of a 复核, 第三十六条第二款)."""
    calendar = calendar or Calendar()
    counting = calendar.counting
    known = True
    if deadline.unit == "工作日":
        day = start - timedelta(days=1) if counting.count_first_day else start
        left = deadline.period + not_counted_days
        while left > 0:
            day += timedelta(days=1)
            info = calendar.day(day)
            known = known and info.known
            left -= info.workday
        return Due(day, estimated=not known)
    days = deadline.period + not_counted_days - (1 if counting.count_first_day else 0)
    day = start + timedelta(days=days)
    info = calendar.day(day)
    known = info.known
    rolls = {"holiday": info.holiday, "rest_day": not info.workday, "none": False}[counting.roll_over]
    if rolls:
        while not info.workday:
            day += timedelta(days=1)
            info = calendar.day(day)
            known = known and info.known
    return Due(day, estimated=not known)


def _on(due: date | Due) -> date:
    return due.on if isinstance(due, Due) else due


def days_left(due: date | Due, today: date) -> int:
    """Calendar days from ``today`` to the due date: 0 on the day itself, negative when overdue."""
    return (_on(due) - today).days


def light(due: date | Due, today: date) -> Literal["green", "amber", "red"]:
    left = days_left(due, today)
    if left < 0:
        return "red"
    return "amber" if left <= AMBER_DAYS else "green"


@dataclass(frozen=True)
class WorkedExample:
    deadline: str
    start: date
    due: date
    roll_over: RollOver = "holiday"
    estimated: bool = False
    note: str = ""


def _d(text: str) -> date:
    return date.fromisoformat(text)


WORKED_EXAMPLES: tuple[WorkedExample, ...] = (
    WorkedExample("route", _d("2025-01-15"), _d("2025-02-05"), note="第 15 日 1月30日 在春节假期内，顺延至节后第一个工作日"),
    WorkedExample("handling", _d("2024-12-01"), _d("2025-02-05"), note="第 60 日 1月30日 在春节假期内，顺延"),
    WorkedExample("objection", _d("2025-01-24"), _d("2025-02-07"),
                  note="1月26日（周日调休上班）计入；1月28日至2月4日放假不计"),
    WorkedExample("route", _d("2025-01-24"), _d("2025-02-08"), note="第 15 日 2月8日 是调休上班的周六，不顺延"),
    WorkedExample("route", _d("2025-02-07"), _d("2025-02-22"), note="第 15 日 是普通周六，默认不顺延"),
    WorkedExample("route", _d("2025-02-07"), _d("2025-02-24"), roll_over="rest_day",
                  note="设置为“休息日均顺延”时，普通周六也顺延"),
    WorkedExample("route", _d("2025-09-16"), _d("2025-10-09"), note="第 15 日 10月1日 国庆，顺延至10月9日"),
    WorkedExample("handling", _d("2025-08-05"), _d("2025-10-09"), note="第 60 日 10月4日 是国庆假期内的周六，顺延"),
    WorkedExample("route", _d("2025-09-20"), _d("2025-10-05"), roll_over="none",
                  note="设置为“不顺延”时，期限届满于假期内"),
    WorkedExample("objection", _d("2025-09-26"), _d("2025-10-10"),
                  note="9月28日（周日调休上班）计入；10月1日至8日放假不计"),
    WorkedExample("objection", _d("2025-09-30"), _d("2025-10-14"), note="10月11日（周六调休上班）计入"),
    WorkedExample("route", _d("2025-09-26"), _d("2025-10-11"), note="第 15 日 10月11日 是调休上班的周六，不顺延"),
    WorkedExample("objection", _d("2099-12-30"), _d("2100-01-06"), estimated=True,
                  note="日历无该年度节假日数据，仅按周末估算并标明“估算”"),
)
"""Worked examples of the default counting (and of the two other roll-over settings); a test checks each
against ``due_date`` and the table in docs/petition.md (期限的计算) is made from them."""

ROLL_OVER_LABELS: dict[str, str] = {"holiday": "法定节假日顺延", "rest_day": "休息日均顺延", "none": "不顺延"}


def example_calendar(example: WorkedExample) -> Calendar:
    return Calendar(counting=Counting(roll_over=example.roll_over))


def worked_examples_markdown() -> list[str]:
    """The table of docs/petition.md's section 期限的计算 (a test compares)."""
    lines = ["| 期限 | 期间 | 起算日 | 顺延规则 | 届满日 | 说明 |", "|---|---|---|---|---|---|"]
    for ex in WORKED_EXAMPLES:
        deadline = DEADLINE_BY_KEY[ex.deadline]
        due = ex.due.isoformat() + ("（估算）" if ex.estimated else "")
        lines.append(f"| {deadline.name} | {deadline.period} {deadline.unit} | {ex.start.isoformat()} | "
                     f"{ROLL_OVER_LABELS[ex.roll_over]} | {due} | {ex.note} |")
    return lines


def deadlines_markdown() -> list[str]:
    lines = ["| key | 期限 | 期间 | 起算 | 依据 |", "|---|---|---|---|---|"]
    lines += [f"| `{d.key}` | {d.name} | {d.period} {d.unit} | {d.starts} | {d.article} |" for d in DEADLINES]
    return lines
