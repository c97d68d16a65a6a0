"""Per-year code tables loaded from the shipped partial sources, generated codes and the year mapping."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.codes import (
    GENERATED_SOURCE,
    add_generated_code,
    add_mapping,
    codes_of,
    load_seed_tables,
    map_code,
    seed_codes,
)
from core.budget.models import ClassCode


def test_seed_tables_have_their_source_tags() -> None:
    counts = {kind: len(seed_codes(kind)) for kind in ("functional", "economic", "gov_economic", "revenue")}
    assert counts == {"functional": 41, "economic": 74, "gov_economic": 13, "revenue": 34}
    functional = {c.code: c for c in seed_codes("functional")}
    assert functional["201"].source == "F2;F3" and functional["2010101"].parent_code == "20101"
    assert all(c.source for kind in counts for c in seed_codes(kind))


def test_loading_marks_rows_partial_and_is_idempotent(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        assert load_seed_tables(s, 2025) == 41 + 74 + 13 + 34
    with factory() as s, s.begin():
        assert load_seed_tables(s, 2025) == 0
        assert load_seed_tables(s, 2024, ("functional",)) == 41
    with factory() as s:
        rows = s.scalars(select(ClassCode).where(ClassCode.year == 2025)).all()
        assert all(r.is_partial and not r.generated and r.source and r.scope == "public" for r in rows)
        assert s.scalar(select(func.count()).select_from(ClassCode).where(ClassCode.year == 2024)) == 41
        revenue = s.scalars(select(ClassCode).where(ClassCode.kind == "revenue", ClassCode.code == "101")).one()
        assert (revenue.name, revenue.level, revenue.source) == ("税收收入", "类", "R2")


def test_generated_codes_are_marked(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        load_seed_tables(s, 2025, ("functional",))
        assert add_generated_code(s, "functional", 2025, "20101", "人大事务", "款", "201")
        assert not add_generated_code(s, "functional", 2025, "201", "一般公共服务支出", "类")
    with factory() as s:
        row = s.scalars(select(ClassCode).where(ClassCode.code == "20101")).one()
        assert row.generated and row.source == GENERATED_SOURCE
        assert "20101" in codes_of(s, "functional", 2025)


def test_codes_map_between_years(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        for year in (2023, 2024, 2025):
            load_seed_tables(s, year, ("functional",))
        add_generated_code(s, "functional", 2025, "2080506", "新设项目", "项", "20805")
        add_mapping(s, "functional", 2024, "2080505", 2025, "2080506", "科目调整")
    with factory() as s:
        assert map_code(s, "functional", 2023, "2080505", 2025) == "2080506"
        assert map_code(s, "functional", 2025, "2080506", 2023) == "2080505"
        assert map_code(s, "functional", 2023, "201", 2025) == "201"
        assert map_code(s, "functional", 2025, "9999999", 2024) is None
