"""Migrated SQLite databases for tests, copied from one file migrated once per test process."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
import threading
from contextlib import closing
from pathlib import Path

_template: Path | None = None
_template_lock = threading.Lock()


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


def migrated_template() -> Path:
    """One file at the newest schema per test process, migrated the first time it is asked for; tests copy it
    (a fresh migration takes about 0.4 s; the sync tests alone open hundreds of stores)."""
    global _template
    with _template_lock:
        if _template is None or not _template.exists():
            folder = Path(tempfile.mkdtemp(prefix="renda-template-"))
            atexit.register(shutil.rmtree, folder, True)
            _template = migrated_file(folder / "migrated.sqlite3")
        return _template


def migrated_copy(path: Path) -> Path:
    """``path`` created as a database at the newest schema: a copy of :func:`migrated_template`."""
    return copy_of(migrated_template(), path)
