"""New local stores start as a copy of a blank database migrated once per process (core.db.create_blank_sqlite)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from apps.common.context import open_local_store
from core.db import create_blank_sqlite, make_engine, migrate


def _contents(path: Path) -> tuple[list[tuple[str, str, str]], dict[str, list[tuple[object, ...]]]]:
    with closing(sqlite3.connect(path)) as conn:
        schema = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        rows = {name: sorted(conn.execute(f'SELECT * FROM "{name}"'))
                for (kind, name, _sql) in schema if kind == "table"}
    return schema, rows


def test_a_blank_store_holds_what_migrating_a_new_file_leaves(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{migrated}")
    migrate(engine)
    engine.dispose()

    copied = create_blank_sqlite(tmp_path / "copied.sqlite3")

    assert _contents(copied) == _contents(migrated)
    assert _contents(copied)[1]["alembic_version"]  # at a revision, so migrate() has nothing to do


def test_a_log_left_beside_a_missing_file_is_not_applied_to_the_new_one(tmp_path: Path) -> None:
    # a real write-ahead log of another database, not yet folded into it (its connection still open)
    other = tmp_path / "gone.sqlite3"
    with closing(sqlite3.connect(other, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("CREATE TABLE gone (x)")
        conn.execute("INSERT INTO gone VALUES (1)")
        path = tmp_path / "local.sqlite3"
        shutil.copyfile(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))

    create_blank_sqlite(path)

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "gone" not in tables and "alembic_version" in tables


def test_a_blank_store_is_never_written_over_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "local.sqlite3"
    path.write_bytes(b"someone's data")
    with pytest.raises(FileExistsError):
        create_blank_sqlite(path)
    assert path.read_bytes() == b"someone's data"


def test_the_local_store_opened_for_a_new_user_is_at_the_newest_schema_and_writable(tmp_path: Path) -> None:
    store = open_local_store("http://127.0.0.1:1", "新用户", tmp_path)
    try:
        assert store.device_id()
        assert store.pending_count() == 0
    finally:
        store.engine.dispose()
    again = open_local_store("http://127.0.0.1:1", "新用户", tmp_path)  # opened again: the same store
    try:
        assert again.device_id() == store.device_id()
    finally:
        again.engine.dispose()
