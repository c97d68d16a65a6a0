"""What the 老干部 desk reads: the list of people found by name, pinyin or initials, and one person's record.

Every read of the record goes through this module, so the screens stay the same when the search moves
into the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import (
    STAGE_LABELS,
    CadBranch,
    CadBranchMember,
    CadCategory,
    CadPerson,
    CadPersonCategory,
)
from core.cadre.search import SearchIndex
from core.cadre.stats import age_on

try:  # initials and full pinyin of a name; without the converter only the characters match
    from pypinyin import Style, lazy_pinyin
except ImportError:  # pragma: no cover - the converter ships with the suite
    lazy_pinyin = None  # type: ignore[assignment]


@dataclass(frozen=True)
class PersonRow:
    person_id: str
    name: str
    gender: str
    birth_date: date | None
    stage: str
    former_unit: str
    former_post: str
    alive: bool
    keys: tuple[str, ...]
    """What a search matches: the name, its pinyin without spaces and its initials (lower case)."""
    retirement_kind: str = ""
    categories: frozenset[str] = field(default_factory=frozenset)
    """The codes of the person's categories (人员类别)."""
    branches: frozenset[str] = field(default_factory=frozenset)
    """The ids of the party branches the person is a member of now."""

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


def search_keys(name: str) -> tuple[str, ...]:
    if lazy_pinyin is None:
        return (name,)
    full = "".join(lazy_pinyin(name)).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    return (name, full, initials)


def matches(row: PersonRow, text: str) -> bool:
    needle = "".join(text.split()).lower()
    return not needle or any(needle in key for key in row.keys)


def people(session: Session) -> list[PersonRow]:
    """Everyone in the record, by name, with their categories and current party branches."""
    categories: dict[str, set[str]] = {}
    for person_id, code in session.execute(select(CadPersonCategory.person_id, CadPersonCategory.category_code)
                                           .where(CadPersonCategory.deleted.is_(False))):
        categories.setdefault(person_id, set()).add(code)
    branches: dict[str, set[str]] = {}
    for person_id, branch_id in session.execute(select(CadBranchMember.person_id, CadBranchMember.branch_id)
                                                .where(CadBranchMember.deleted.is_(False),
                                                       CadBranchMember.left_on.is_(None))):
        branches.setdefault(person_id, set()).add(branch_id)
    rows = session.scalars(select(CadPerson).where(CadPerson.deleted.is_(False))).all()
    found = [PersonRow(p.id, p.name, p.gender, p.birth_date, p.stage, p.former_unit, p.former_post, p.alive,
                       search_keys(p.name), p.retirement_kind or "", frozenset(categories.get(p.id, ())),
                       frozenset(branches.get(p.id, ()))) for p in rows]
    return sorted(found, key=lambda r: r.keys[-1] + r.name)


def category_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the person categories, in the office's order."""
    return [(c.code, c.name) for c in session.scalars(
        select(CadCategory).where(CadCategory.deleted.is_(False)).order_by(CadCategory.position, CadCategory.code))]


def branch_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the party branches, by name."""
    return [(b.id, b.name) for b in session.scalars(
        select(CadBranch).where(CadBranch.deleted.is_(False)).order_by(CadBranch.name))]


def search_index(rows: list[PersonRow]) -> SearchIndex:
    return SearchIndex([(r.person_id, r.name) for r in rows])


@dataclass(frozen=True)
class GroupFilter:
    """What the register is narrowed to; an empty value does not narrow."""

    category: str = ""
    kind: str = ""
    """离休, 退休, or ``upcoming`` for those about to retire."""
    branch: str = ""
    alive: bool | None = None
    min_age: int | None = None
    max_age: int | None = None

    def keeps(self, row: PersonRow, today: date) -> bool:
        if self.category and self.category not in row.categories:
            return False
        if self.kind == "upcoming":
            if row.stage != "upcoming":
                return False
        elif self.kind and (row.stage == "upcoming" or row.retirement_kind != self.kind):
            return False
        if self.branch and self.branch not in row.branches:
            return False
        if self.alive is not None and row.alive != self.alive:
            return False
        if self.min_age is not None or self.max_age is not None:
            if row.birth_date is None:
                return False
            age = age_on(row.birth_date, today)
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age > self.max_age:
                return False
        return True


def narrowed(rows: list[PersonRow], index: SearchIndex, text: str, group: GroupFilter, today: date
             ) -> list[PersonRow]:
    """The rows the search text finds (best first, or all by name without text) that the filter keeps."""
    if text.strip():
        by_id = {r.person_id: r for r in rows}
        found = [by_id[e.person_id] for e in index.search(text, limit=len(index)) if e.person_id in by_id]
    else:
        found = rows
    return [r for r in found if group.keeps(r, today)]


def person(session: Session, person_id: str) -> CadPerson | None:
    row = session.get(CadPerson, person_id)
    if row is None or row.deleted:
        return None
    session.expunge(row)
    return row
