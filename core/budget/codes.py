"""Per-year classification code tables (政府收支分类科目) and the mapping between years.

The seed tables in ``resources/data`` are **partial**: merged from public sources, each row tagged with
where it came from (``*_provenance.csv``, described in ``SOURCES.md``). They load as ``is_partial = True``
with their source tags in ``source``. Codes the demo generator has to add are ``generated = True`` with
``source = "演示生成"``. Staff import the Ministry of Finance's full table for each year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.budget.models import CODE_KINDS, ClassCode, ClassCodeMap

GENERATED_SOURCE = "演示生成"
"""``source`` of every code or record the demo generator made up."""

_FILES = {"functional": "functional", "economic": "economic", "gov_economic": "gov_economic", "revenue": "revenue"}


@dataclass(frozen=True)
class SeedCode:
    """One row of a shipped partial code table, with its source tags (e.g. ``"F2;F3"``)."""

    kind: str
    code: str
    name: str
    level: str
    parent_code: str
    source: str


def code_key(kind: str, year: int, code: str) -> str:
    """The natural key of a code row; the same as an imported code table's, so an import of the Ministry of
    Finance's table replaces the partial or generated row of the same code."""
    return f"codes|{year}|{kind}|{code}"


def _read(path: str) -> list[dict[str, str]]:
    text = resources.files("resources").joinpath(path).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def seed_codes(kind: str) -> list[SeedCode]:
    """The shipped partial table of ``kind`` (a key of :data:`CODE_KINDS`), with each row's source tags."""
    if kind not in CODE_KINDS:
        raise ValueError(f"未知的科目类别：{kind}")
    base = _FILES[kind]
    tags = {r["code"]: r["sources"] for r in _read(f"data/{base}_provenance.csv")}
    return [SeedCode(kind, r["code"], r["name"], r["level"], r["parent_code"] or "", tags.get(r["code"], ""))
            for r in _read(f"data/{base}.csv")]


def load_seed_tables(session: Session, year: int, kinds: tuple[str, ...] = tuple(CODE_KINDS)) -> int:
    """Load the shipped partial tables into ``year``'s code tables; codes already there are kept. Returns
    the number of codes added. Runs in the caller's transaction (rows sync like any other)."""
    added = 0
    for kind in kinds:
        have = codes_of(session, kind, year)
        for seed in seed_codes(kind):
            if seed.code in have:
                continue
            session.add(ClassCode(year=year, kind=kind, code=seed.code, name=seed.name, level=seed.level,
                                  parent_code=seed.parent_code, source=seed.source, is_partial=True,
                                  generated=False, natural_key=code_key(kind, year, seed.code)))
            have.add(seed.code)
            added += 1
    session.flush()
    return added


def add_generated_code(session: Session, kind: str, year: int, code: str, name: str, level: str,
                       parent_code: str = "") -> bool:
    """Add a code the partial table lacks, marked as generated; returns False when it already exists."""
    if code in codes_of(session, kind, year):
        return False
    session.add(ClassCode(year=year, kind=kind, code=code, name=name, level=level, parent_code=parent_code,
                          source=GENERATED_SOURCE, is_partial=True, generated=True,
                          natural_key=code_key(kind, year, code)))
    session.flush()
    return True


def codes_of(session: Session, kind: str, year: int) -> set[str]:
    """Codes of ``year``'s table of ``kind`` (live rows only)."""
    rows = session.scalars(select(ClassCode.code).where(
        ClassCode.kind == kind, ClassCode.year == year, ClassCode.deleted.is_(False)))
    return set(rows)


def code_names(session: Session, kind: str, year: int) -> dict[str, str]:
    """Code → name of ``year``'s table of ``kind``."""
    rows = session.execute(select(ClassCode.code, ClassCode.name).where(
        ClassCode.kind == kind, ClassCode.year == year, ClassCode.deleted.is_(False)))
    return {code: name for code, name in rows}


def add_mapping(session: Session, kind: str, from_year: int, from_code: str, to_year: int, to_code: str,
                note: str = "") -> ClassCodeMap:
    """Record that ``from_code`` of ``from_year`` became ``to_code`` in ``to_year`` (科目年度对照)."""
    row = ClassCodeMap(kind=kind, from_year=from_year, from_code=from_code, year=to_year, to_code=to_code,
                       note=note, natural_key=f"code_map|{to_year}|{kind}|{from_year}|{from_code}")
    session.add(row)
    session.flush()
    return row


def map_code(session: Session, kind: str, from_year: int, code: str, to_year: int) -> str | None:
    """The code in ``to_year`` that ``code`` of ``from_year`` corresponds to, following the recorded mapping
    year by year; a code present in both years with no mapping recorded maps to itself; ``None`` when lost."""
    current = code
    step = 1 if to_year >= from_year else -1
    year = from_year
    while year != to_year:
        nxt = year + step
        if step > 0:
            found = session.scalars(select(ClassCodeMap.to_code).where(
                ClassCodeMap.kind == kind, ClassCodeMap.from_year == year, ClassCodeMap.year == nxt,
                ClassCodeMap.from_code == current, ClassCodeMap.deleted.is_(False))).first()
        else:
            found = session.scalars(select(ClassCodeMap.from_code).where(
                ClassCodeMap.kind == kind, ClassCodeMap.from_year == nxt, ClassCodeMap.year == year,
                ClassCodeMap.to_code == current, ClassCodeMap.deleted.is_(False))).first()
        if found is None:
            if current not in codes_of(session, kind, nxt):
                return None
            found = current
        current, year = found, nxt
    return current
