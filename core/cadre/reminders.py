"""Reminders of the retired-cadre office (提醒): birthdays, retirements, hospital stays, anniversaries.

The pure functions work on plain facts (:class:`PersonFacts`, :class:`StayFacts`) so they are tested by
worked example; :func:`reminders` reads the facts from a database session and puts everything together,
sorted by day.

Birthdays are reminded by the calendar the person keeps (``cad_person.birthday_lunar``):

- solar (公历): the month and day of the birth date; a person born on 29 February is reminded on
  28 February in common years;
- lunar (农历): the lunar month and day of the birth date (converted with ``lunardate``). A person born in a
  leap month (闰月) is reminded in the ordinary month of the same number (the first of the two); a person
  born on the 30th is reminded on the 29th when that lunar month has only 29 days. The age is counted in
  lunar years, so a window across the Chinese New Year gives each day its own lunar year.

Round birthdays (80, 90 and 100 years, :data:`ROUND_AGES`) are marked. Retirements are reminded
``months`` ahead (the office's setting ``retirement_reminder_months``, 6 by default); a person still
marked as about to retire after the date is reminded as overdue. A person in hospital (a stay without
a discharge date) is reminded as a visit to make. Anniversaries are the round years (every ten) of joining
the Party (入党) and of starting work (参加工作); fifty years in the Party is marked (光荣在党 50 年).
Deceased people get no reminders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from lunardate import LunarDate
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import (
    DEFAULT_REMINDER_MONTHS,
    SETTING_REMINDER_MONTHS,
    CadHospitalStay,
    CadPerson,
    CadSetting,
)
from core.cadre.retirement import add_months

KINDS = ("birthday", "retirement", "hospital", "anniversary")
KIND_LABELS = {"birthday": "生日", "retirement": "退休", "hospital": "住院探望", "anniversary": "纪念日"}
ROUND_AGES = (80, 90, 100)
ANNIVERSARY_STEP = 10
PARTY_GOLDEN_YEARS = 50
LUNAR_FIRST = date(1900, 1, 31)
LUNAR_LAST = date(2099, 12, 31)
"""The solar days ``lunardate`` converts."""
MAX_DAYS = 400
"""A window longer than a lunar year (at most 384 days) gives nothing more."""
LUNAR_MONTHS = "正二三四五六七八九十冬腊"
LUNAR_DAYS = (
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
)


@dataclass(frozen=True)
class Reminder:
    """One reminder on the reminders page, as structured data the screens put into words in their language.

    ``kind`` is one of :data:`KINDS`; ``on`` the day of the event (for a hospital stay, the day of admission;
    for an overdue retirement, the statutory date); ``days_left`` days from today to ``on`` (negative when
    the day has passed); ``years`` the age reached or the anniversary's number of years (``None`` otherwise);
    ``round`` marks round birthdays and the fifty years in the Party; ``lunar`` says the birthday is kept by
    the lunar calendar, and ``month`` / ``day`` are the birth month and day in the calendar kept (lunar or
    solar); ``overdue`` marks a retirement whose statutory date has passed; ``place`` is the hospital (may be
    empty or masked); ``event`` is ``party`` (joining the Party) or ``work`` (starting work) for an
    anniversary. :attr:`text` is the Chinese sentence (for the command line and reports).
    """

    kind: str
    on: date
    days_left: int
    person_id: str
    person_name: str
    years: int | None = None
    round: bool = False
    lunar: bool = False
    month: int = 0
    day: int = 0
    overdue: bool = False
    place: str = ""
    event: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def text(self) -> str:
        return chinese_text(self)


ANNIVERSARY_EVENTS = {"party": "入党", "work": "参加工作"}


def chinese_text(r: Reminder) -> str:
    """The reminder in a Chinese sentence (the desk builds the same sentence through its translations)."""
    if r.kind == "birthday":
        note = f"农历{lunar_text(r.month, r.day)}" if r.lunar else f"公历{r.month}月{r.day}日"
        return f"{r.person_name} {r.years} 岁生日（{note}）" + ("，逢十大寿" if r.round else "")
    if r.kind == "retirement":
        if r.overdue:
            return f"{r.person_name} 已于 {r.on:%Y-%m-%d} 到法定退休时间，尚未办理退休"
        return f"{r.person_name} 将于 {r.on:%Y-%m-%d} 到法定退休时间"
    if r.kind == "hospital":
        where = f"在{r.place}" if r.place else ""
        return f"{r.person_name} 自 {r.on:%Y-%m-%d} 起{where}住院，宜探望"
    golden = "（光荣在党 50 年）" if r.event == "party" and r.round else ""
    return f"{r.person_name} {ANNIVERSARY_EVENTS[r.event]} {r.years} 周年{golden}"


class PersonFacts(NamedTuple):
    """What the reminders need of a person (``cad_person``)."""

    id: str
    name: str
    birth_date: date | None
    birthday_lunar: bool = False
    alive: bool = True
    stage: str = "retired"
    retirement_due_on: date | None = None
    party_date: date | None = None
    work_start_date: date | None = None


class StayFacts(NamedTuple):
    """What the reminders need of a hospital stay (``cad_hospital_stay``); ``hospital`` may be masked."""

    person_id: str
    admitted_on: date
    discharged_on: date | None
    hospital: str | None


# ------------------------------------------------------------------------------------------ calendars
def lunar_text(month: int, day: int, leap: bool = False) -> str:
    """``(1, 1)`` → 正月初一; a leap month is written 闰."""
    return f"{'闰' if leap else ''}{LUNAR_MONTHS[month - 1]}月{LUNAR_DAYS[day - 1]}"


def lunar_of(day: date) -> LunarDate | None:
    """The lunar date of a solar day, or ``None`` outside the years the library knows."""
    if not LUNAR_FIRST <= day <= LUNAR_LAST:
        return None
    return LunarDate.from_solar_date(day.year, day.month, day.day)


def solar_birthday(birth: date, year: int) -> date:
    """The solar birthday in ``year``; 29 February becomes 28 February in a common year."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


class _LunarWindow:
    """The solar days of a window keyed by the lunar (month, day) they celebrate, with their lunar year."""

    def __init__(self, first: date, days: int) -> None:
        self.days: dict[tuple[int, int], list[tuple[date, int]]] = {}
        for offset in range(days + 1):
            day = first + timedelta(days=offset)
            lunar = lunar_of(day)
            if lunar is None or lunar.is_leap_month:
                continue  # a leap month's births are kept in the ordinary month of the same number
            self.days.setdefault((lunar.month, lunar.day), []).append((day, lunar.year))
            if lunar.day == 29:
                following = lunar_of(day + timedelta(days=1))
                if following is not None and following.day == 1:  # a month of 29 days: the 30th is kept today
                    self.days.setdefault((lunar.month, 30), []).append((day, lunar.year))

    def find(self, month: int, day: int) -> list[tuple[date, int]]:
        return self.days.get((month, day), [])


# ------------------------------------------------------------------------------------------ pure rules
def birthdays(people: Iterable[PersonFacts], today: date, days: int) -> list[Reminder]:
    """Birthdays from ``today`` to ``today + days`` (both included) of the living, by their calendar."""
    days = max(0, min(days, MAX_DAYS))
    last = today + timedelta(days=days)
    window: _LunarWindow | None = None
    births: dict[date, LunarDate | None] = {}
    found: list[Reminder] = []
    for person in people:
        if not person.alive or person.birth_date is None:
            continue
        birth = person.birth_date
        if person.birthday_lunar:
            if window is None:
                window = _LunarWindow(today, days)
            if birth not in births:
                births[birth] = lunar_of(birth)
            lunar_birth = births[birth]
            if lunar_birth is None:
                continue
            for on, lunar_year in window.find(lunar_birth.month, lunar_birth.day):
                age = lunar_year - lunar_birth.year
                if age > 0:
                    found.append(_birthday(person, today, on, age, lunar_birth.month, lunar_birth.day, lunar=True))
            continue
        for year in range(today.year, last.year + 1):
            on = solar_birthday(birth, year)
            age = year - birth.year
            if today <= on <= last and age > 0:
                found.append(_birthday(person, today, on, age, birth.month, birth.day, lunar=False))
    return found


def _birthday(person: PersonFacts, today: date, on: date, age: int, month: int, day: int, *,
              lunar: bool) -> Reminder:
    return Reminder("birthday", on, (on - today).days, person.id, person.name, age, age in ROUND_AGES, lunar,
                    month, day)


def retirements(people: Iterable[PersonFacts], today: date, months: int) -> list[Reminder]:
    """People about to retire whose statutory date is within ``months`` months, or already passed."""
    last = add_months(today, max(0, months))
    found = []
    for person in people:
        due = person.retirement_due_on
        if person.stage != "upcoming" or not person.alive or due is None or due > last:
            continue
        found.append(Reminder("retirement", due, (due - today).days, person.id, person.name, overdue=due < today))
    return found


def hospital_visits(stays: Iterable[StayFacts], names: dict[str, str], today: date) -> list[Reminder]:
    """People in hospital today (admitted, not yet discharged): a visit to make."""
    found = []
    for stay in stays:
        if stay.person_id not in names or stay.admitted_on > today:
            continue
        if stay.discharged_on is not None and stay.discharged_on < today:
            continue
        found.append(Reminder("hospital", stay.admitted_on, (stay.admitted_on - today).days, stay.person_id,
                              names[stay.person_id], place=stay.hospital or ""))
    return found


def anniversaries(people: Iterable[PersonFacts], today: date, days: int) -> list[Reminder]:
    """Round anniversaries (every ten years) of joining the Party and of starting work, in the window."""
    last = today + timedelta(days=max(0, min(days, MAX_DAYS)))
    found = []
    for person in people:
        if not person.alive:
            continue
        for start, event in ((person.party_date, "party"), (person.work_start_date, "work")):
            if start is None:
                continue
            for year in range(today.year, last.year + 1):
                years = year - start.year
                on = solar_birthday(start, year)
                if years <= 0 or years % ANNIVERSARY_STEP or not today <= on <= last:
                    continue
                golden = event == "party" and years == PARTY_GOLDEN_YEARS
                found.append(Reminder("anniversary", on, (on - today).days, person.id, person.name, years, golden,
                                      event=event))
    return found


def ordered(found: Iterable[Reminder]) -> list[Reminder]:
    """By day, then kind (in the order of :data:`KINDS`), then name."""
    return sorted(found, key=lambda r: (r.on, KINDS.index(r.kind), r.person_name, r.person_id))


# ------------------------------------------------------------------------------------------ the query
def reminder_months(session: Session) -> int:
    """The office's setting ``retirement_reminder_months`` (6 when unset or not a number from 0 to 60)."""
    value = session.scalar(
        select(CadSetting.value).where(CadSetting.key == SETTING_REMINDER_MONTHS, CadSetting.deleted.is_(False))
    )
    try:
        months = int(str(value).strip())
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_MONTHS
    return months if 0 <= months <= 60 else DEFAULT_REMINDER_MONTHS


def reminders(session: Session, today: date, days: int, months: int | None = None) -> list[Reminder]:
    """Every reminder from ``today`` for ``days`` days (retirements ``months`` ahead: the office's setting).

    Hospital stays are read only where the session's database holds them (the sensitive scope).
    """
    columns = (
        CadPerson.id,
        CadPerson.name,
        CadPerson.birth_date,
        CadPerson.birthday_lunar,
        CadPerson.alive,
        CadPerson.stage,
        CadPerson.retirement_due_on,
        CadPerson.party_date,
        CadPerson.work_start_date,
    )
    rows = session.execute(select(*columns).where(CadPerson.deleted.is_(False))).all()
    people = [PersonFacts(*row) for row in rows]
    names = {p.id: p.name for p in people if p.alive}
    stays = [
        StayFacts(*row)
        for row in session.execute(
            select(
                CadHospitalStay.person_id,
                CadHospitalStay.admitted_on,
                CadHospitalStay.discharged_on,
                CadHospitalStay.hospital,
            ).where(
                CadHospitalStay.deleted.is_(False),
                CadHospitalStay.discharged_on.is_(None) | (CadHospitalStay.discharged_on >= today),
            )
        ).all()
    ]
    found = [
        *birthdays(people, today, days),
        *retirements(people, today, reminder_months(session) if months is None else months),
        *hospital_visits(stays, names, today),
        *anniversaries(people, today, days),
    ]
    return ordered(found)
