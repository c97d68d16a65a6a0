"""Fixtures of the budget tests: a migrated database and an in-process sync world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core import wal
from core.db import make_engine, make_session_factory, migrate
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of
from tests.sync.harness import World


@pytest.fixture
def engine(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'budget.sqlite3')}")
    migrate(eng)  # nothing left to do: the copy is at the newest schema
    yield eng
    assert wal.wait_for_checkpoints(60)  # no copy of a bulk write's log outlives the test
    eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    f = make_session_factory(engine)
    install_server_hooks(f)
    return f


@pytest.fixture
def world(tmp_path: Path, server_db_url: str) -> Iterator[World]:
    w = World(tmp_path, server_db_url)
    yield w
    w.close()
