"""A collector's local store on a migrated SQLite copy, with the sync outbox capturing its edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import make_engine
from core.features import load_features
from core.sync.client import LocalStore
from tests.helpers.sqlite import copy_of


@pytest.fixture
def store(migrated_sqlite: Path, tmp_path: Path) -> Iterator[LocalStore]:
    load_features()
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'collector.sqlite3')}")
    yield LocalStore(engine, tmp_path / "blobs")
    engine.dispose()
