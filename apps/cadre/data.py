"""What the 老干部 desk reads: the list of people found by name, pinyin or initials, and one person's record.

Every read of the record goes through this module, so the screens stay the same when the search moves
into the core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import STAGE_LABELS, CadPerson

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
    """Everyone in the record, by name."""
    rows = session.scalars(select(CadPerson).where(CadPerson.deleted.is_(False))).all()
    found = [PersonRow(p.id, p.name, p.gender, p.birth_date, p.stage, p.former_unit, p.former_post, p.alive,
                       search_keys(p.name)) for p in rows]
    return sorted(found, key=lambda r: r.keys[-1] + r.name)


def filtered(rows: list[PersonRow], text: str) -> list[PersonRow]:
    return [row for row in rows if matches(row, text)]


def person(session: Session, person_id: str) -> CadPerson | None:
    row = session.get(CadPerson, person_id)
    if row is None or row.deleted:
        return None
    session.expunge(row)
    return row
