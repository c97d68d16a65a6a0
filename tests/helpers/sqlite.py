"""Migrated SQLite databases for tests, copied from one file migrated once per test process."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path


def migrated_file(path: Path) -> Path:
    """Create ``path`` as a SQLite database at the newest schema (one file, no WAL beside it)."""
    from core.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:  # fold the WAL into the file
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def copy_of(template: Path, path: Path) -> Path:
    """``template`` copied to ``path``: a database at the newest schema, as migrate() would leave it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return path
