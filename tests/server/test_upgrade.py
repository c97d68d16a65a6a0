"""A database made by the previous release, with a row in every table, upgrades to the newest schema with
every row intact (SQLite and PostgreSQL).

The previous release's database is built here: a fresh database migrated to ``PREVIOUS_RELEASE``, then
one row per table generated from the reflected column types (foreign keys point at the parent's row)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, inspect, select, types

from core.db import MIGRATIONS_DIR, make_engine, migrate
from tests.helpers.pg import PostgresCluster

PREVIOUS_RELEASE = "0008"  # the schema of the last release before petitions and notifications


def _migrate_to(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def _value(table: Table, column: Any, n: int) -> Any:
    kind = column.type
    if isinstance(kind, types.Boolean):
        return True
    if isinstance(kind, types.Integer):
        return n
    if isinstance(kind, types.Float):
        return n + 0.5
    if isinstance(kind, types.Numeric):
        return Decimal(n) if kind.asdecimal else float(n)
    if isinstance(kind, types.DateTime):
        return datetime(2025, 3, 5, 9, 30, tzinfo=UTC) if kind.timezone else datetime(2025, 3, 5, 9, 30)
    if isinstance(kind, types.Date):
        return date(2025, 3, 5)
    if isinstance(kind, types.Time):
        return time(9, 30)
    if isinstance(kind, types.JSON):
        return {"来源": "上一版本", "n": n}
    if isinstance(kind, types.LargeBinary):
        return f"{table.name}.{column.name}".encode()
    if isinstance(kind, types.Uuid):
        return uuid.UUID(int=n)
    if isinstance(kind, types.String):
        text = f"{n:x}旧{column.name}"
        length = getattr(kind, "length", None)
        return text[:length] if length else text
    raise AssertionError(f"no sample value for {table.name}.{column.name} ({kind!r})")


def _fill_every_table(engine: Engine) -> dict[str, dict[str, Any]]:
    """One row in every table (parents first); returns each table's row as the database gives it back."""
    meta = MetaData()
    meta.reflect(engine)
    inserted: dict[str, dict[str, Any]] = {}
    with engine.begin() as conn:
        for n, table in enumerate(meta.sorted_tables, start=1):
            if table.name == "alembic_version":
                continue
            row: dict[str, Any] = {}
            for column in table.columns:
                if column.foreign_keys:
                    fk = next(iter(column.foreign_keys))
                    parent = fk.column.table.name
                    if parent == table.name or parent not in inserted:
                        if column.nullable:
                            continue
                    else:
                        row[column.name] = inserted[parent][fk.column.name]
                        continue
                row[column.name] = _value(table, column, n * 100 + len(row))
            conn.execute(table.insert().values(row))
            inserted[table.name] = row
        return {name: _row(conn, meta.tables[name], row) for name, row in inserted.items()}


def _row(conn: Any, table: Table, key: dict[str, Any]) -> dict[str, Any]:
    """The rows of ``table`` whose primary key (or, without one, every column) is that of ``key``; a table
    may hold more rows than the one inserted (triggers fill derived tables)."""
    columns = [c for c in table.primary_key.columns] or [c for c in table.columns if c.name in key]
    query = select(table).where(*(c == key[c.name] for c in columns))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    assert len(rows) == 1, f"{table.name}: {len(rows)} rows with the key {key}"
    return rows[0]


def _rows(engine: Engine, before: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    meta = MetaData()
    meta.reflect(engine, only=list(before))
    with engine.connect() as conn:
        return {name: _row(conn, meta.tables[name], row) for name, row in before.items()}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'previous.sqlite3'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    with cluster.database(empty=True) as url:
        yield url


def test_previous_release_database_upgrades_with_every_row_intact(empty_db: str) -> None:
    engine = make_engine(empty_db)
    try:
        _migrate_to(engine, PREVIOUS_RELEASE)
        before = _fill_every_table(engine)
        assert len(before) >= 20, sorted(before)  # every table of that release holds a row

        migrate(engine)  # what every start-up of the new release does

        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == _head()
            now = set(inspect(conn).get_table_names())
        assert set(before) <= now, f"tables lost: {set(before) - now}"
        after = _rows(engine, before)
        for name, old in before.items():
            new = after[name]
            changed = {k: (v, new[k]) for k, v in old.items() if k in new and new[k] != v}
            assert not changed, f"{name}: values changed by the upgrade: {changed}"
            assert set(old) <= set(new), f"{name}: columns lost: {set(old) - set(new)}"
    finally:
        engine.dispose()
