"""The write-ahead log after a bulk write: the commit returns without copying it, a thread of its own copies it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core import wal
from core.db import make_engine

ROWS = 3_000
PAD = "页" * 400  # about 1.2 KB a row: the rows take about 900 pages, the log past the automatic checkpoint's 1,000


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'bulk.sqlite3'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE filled (id INTEGER PRIMARY KEY, text TEXT)")
    yield engine
    assert wal.wait_for_checkpoints(60)
    engine.dispose()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Holds the checkpoint thread until set, so what the commit itself did can be looked at."""
    opened = threading.Event()
    run = wal.checkpoint

    def held(path: str) -> None:
        assert opened.wait(60)
        run(path)

    monkeypatch.setattr(wal, "checkpoint", held)
    return opened


def _fill(engine: Engine, *, later: bool, fail: bool = False) -> None:
    with engine.begin() as conn:
        if later:
            wal.checkpoint_after_commit(conn)
        conn.exec_driver_sql("INSERT INTO filled (text) VALUES (?)", [(PAD,)] * ROWS)
        if fail:
            raise RuntimeError("refused")


def _sizes(engine: Engine) -> tuple[int, int]:
    path = Path(str(engine.url.database))
    log = path.with_name(path.name + "-wal")
    return path.stat().st_size, log.stat().st_size if log.exists() else 0


def _autocheckpoint(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)


def test_a_plain_commit_of_as_many_pages_copies_the_log_itself(engine: Engine) -> None:
    _fill(engine, later=False)
    database, _log = _sizes(engine)
    assert database > ROWS * 1000  # the automatic checkpoint copied the pages before the commit returned


def test_a_bulk_write_commits_to_the_log_and_a_thread_of_its_own_copies_it(engine: Engine,
                                                                          gate: threading.Event) -> None:
    _fill(engine, later=True)
    database, log = _sizes(engine)
    assert database < ROWS * 100 and log > ROWS * 1000  # committed to the log only
    assert _autocheckpoint(engine) == wal.WAL_AUTOCHECKPOINT  # the pooled connection is as before
    with engine.connect() as conn:  # the rows are there for every reader meanwhile
        assert conn.exec_driver_sql("SELECT count(*) FROM filled").scalar() == ROWS
    gate.set()
    assert wal.wait_for_checkpoints(60)
    database, _log = _sizes(engine)
    assert database > ROWS * 1000
    with closing(sqlite3.connect(str(engine.url.database))) as db:  # nothing left to copy
        busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == copied


def test_a_refused_bulk_write_leaves_the_connection_as_it_was(engine: Engine) -> None:
    with pytest.raises(RuntimeError):
        _fill(engine, later=True, fail=True)
    assert wal.wait_for_checkpoints(60)
    assert _autocheckpoint(engine) == wal.WAL_AUTOCHECKPOINT
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM filled").scalar() == 0


def test_an_in_memory_database_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(wal, "checkpoint", started.append)
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE filled (id INTEGER PRIMARY KEY, text TEXT)")
            wal.checkpoint_after_commit(conn)
            conn.exec_driver_sql("INSERT INTO filled (text) VALUES ('一')")
        assert wal.wait_for_checkpoints(60)
        assert started == []
    finally:
        engine.dispose()
