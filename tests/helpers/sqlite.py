"""Migrated SQLite databases for tests, copied from one file migrated once per test process."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_of(template: Path, path: Path) -> Path:
    """``template`` copied to ``path``: a database at the newest schema, as migrate() would leave it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return path


def migrated_template() -> Path:
    """One file at the newest schema per test process, migrated the first time it is asked for; tests copy it
    (a fresh migration takes about a second; the sync tests alone open hundreds of stores). It is the blank
    database the desktop's new local stores are copied from (:func:`core.db.blank_sqlite_template`)."""
    from core.db import blank_sqlite_template

    return blank_sqlite_template()


def migrated_copy(path: Path) -> Path:
    """``path`` created as a database at the newest schema: a copy of :func:`migrated_template`, made as the
    desktop makes a new local store (:func:`core.db.create_blank_sqlite`)."""
    from core.db import create_blank_sqlite

    return create_blank_sqlite(path)
