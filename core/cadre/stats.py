"""Queries and analysis (情况查询与分析汇总): age structure, categories, branches, hardship aid totals,
activity attendance and deaths per year — each a few grouped queries, so the page stays fast at 20,000
people. Only living people count in the age structure, categories and branches; amounts are in fen."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.cadre.models import (
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadCategory,
    CadPerson,
    CadPersonCategory,
)

AGE_BANDS = ((0, 59, "60 岁以下"), (60, 69, "60–69 岁"), (70, 79, "70–79 岁"), (80, 89, "80–89 岁"),
             (90, 200, "90 岁及以上"))


@dataclass(frozen=True)
class AidYear:
    year: int
    applications: int
    approved: int
    approved_fen: int
    paid_fen: int
    people: int


@dataclass(frozen=True)
class Attendance:
    activity_id: str
    title: str
    held_on: date
    signed_up: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.signed_up if self.signed_up else None


@dataclass
class Analysis:
    ages: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    branches: dict[str, int] = field(default_factory=dict)
    aid: list[AidYear] = field(default_factory=list)
    aid_per_person: dict[tuple[str, int], int] = field(default_factory=dict)
    """(person id, year) → the amount paid (fen)."""
    attendance: list[Attendance] = field(default_factory=list)
    deaths: dict[int, int] = field(default_factory=dict)
    living: int = 0


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def band(age: int) -> str:
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def analysis(session: Session, today: date) -> Analysis:
    out = Analysis()
    live = (CadPerson.deleted.is_(False), CadPerson.alive.is_(True))
    ages: Counter[str] = Counter({label: 0 for _l, _h, label in AGE_BANDS})
    for birth in session.scalars(select(CadPerson.birth_date).where(*live, CadPerson.birth_date.is_not(None))):
        if birth is not None:
            ages[band(age_on(birth, today))] += 1
    out.ages = dict(ages)
    out.living = session.scalar(select(func.count()).select_from(CadPerson).where(*live)) or 0
    names = dict(session.execute(select(CadCategory.code, CadCategory.name).where(CadCategory.deleted.is_(False))).all())
    counted = session.execute(
        select(CadPersonCategory.category_code, func.count())
        .join(CadPerson, CadPerson.id == CadPersonCategory.person_id)
        .where(CadPersonCategory.deleted.is_(False), *live).group_by(CadPersonCategory.category_code)).all()
    out.categories = {names.get(code, code): n for code, n in counted}
    branch_names = dict(session.execute(select(CadBranch.id, CadBranch.name).where(CadBranch.deleted.is_(False))).all())
    members = session.execute(
        select(CadBranchMember.branch_id, func.count())
        .join(CadPerson, CadPerson.id == CadBranchMember.person_id)
        .where(CadBranchMember.deleted.is_(False), CadBranchMember.left_on.is_(None), *live)
        .group_by(CadBranchMember.branch_id)).all()
    out.branches = {branch_names[b]: n for b, n in members if b in branch_names}
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    people: dict[int, set[str]] = defaultdict(set)
    per_person: Counter[tuple[str, int]] = Counter()
    for person_id, applied, state, approved, in session.execute(
            select(CadAid.person_id, CadAid.applied_on, CadAid.state, CadAid.approved_fen)
            .where(CadAid.deleted.is_(False))):
        row = years[applied.year]
        row[0] += 1
        if state in ("approved", "paid"):
            row[1] += 1
            row[2] += approved
        if state == "paid":
            row[3] += approved
            per_person[(person_id, applied.year)] += approved
        people[applied.year].add(person_id)
    out.aid = [AidYear(y, years[y][0], years[y][1], years[y][2], years[y][3], len(people[y])) for y in sorted(years)]
    out.aid_per_person = dict(per_person)
    attended = func.sum(case((CadActivityEntry.attended.is_(True), 1), else_=0))
    for aid_, title, held, signed, came in session.execute(
            select(CadActivity.id, CadActivity.title, CadActivity.held_on, func.count(CadActivityEntry.id), attended)
            .join(CadActivityEntry, (CadActivityEntry.activity_id == CadActivity.id)
                  & CadActivityEntry.deleted.is_(False), isouter=True)
            .where(CadActivity.deleted.is_(False), CadActivity.state != "cancelled")
            .group_by(CadActivity.id, CadActivity.title, CadActivity.held_on).order_by(CadActivity.held_on)):
        out.attendance.append(Attendance(aid_, title, held, signed, int(came or 0)))
    for died in session.scalars(select(CadPerson.died_on).where(CadPerson.deleted.is_(False),
                                                                 CadPerson.died_on.is_not(None))):
        if died is not None:
            out.deaths[died.year] = out.deaths.get(died.year, 0) + 1
    out.deaths = dict(sorted(out.deaths.items()))
    return out
