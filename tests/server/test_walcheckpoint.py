"""The server's SQLite checkpoints run on a thread of their own: a request's commit only appends to the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, text

from apps.server.services import ServerServices
from apps.server.settings import ServerSettings
from core.db import make_engine
from core.walcheckpoint import WalCheckpointer

ROWS = 4_000  # about 8 MB: several times the 1,000 pages at which a commit would checkpoint by default


def _database(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    engine.dispose()
    plain = sqlite3.connect(path)
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()
    return engine


def _write(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO note (body) VALUES (:body)"), [{"body": "记录" * 1000}] * ROWS)


def _in_database_file(path: Path) -> int:
    """Rows in the database file itself, the log left unread (what a checkpoint has copied back)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM note").fetchone()[0])
    finally:
        conn.close()


def test_a_commit_of_the_server_leaves_its_pages_in_the_log_and_the_last_checkpoint_empties_it(tmp_path: Path) -> None:
    plain = _database(tmp_path / "workstation.sqlite3")
    _write(plain)
    assert _in_database_file(tmp_path / "workstation.sqlite3") == ROWS  # SQLite's own checkpoint, in the commit
    plain.dispose()

    path = tmp_path / "server.sqlite3"
    engine = _database(path)
    checkpointer = WalCheckpointer(engine, every=3600)
    checkpointer.start()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    _write(engine)
    assert _in_database_file(path) == 0  # the commit only appended to the log
    checkpointer.stop()
    assert _in_database_file(path) == ROWS
    wal = tmp_path / "server.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    with engine.connect() as conn:  # a connection opened after the stop checkpoints as SQLite does
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    engine.dispose()


def test_the_checkpointer_copies_the_log_back_while_the_server_runs(tmp_path: Path) -> None:
    path = tmp_path / "server.sqlite3"
    engine = _database(path)
    checkpointer = WalCheckpointer(engine, every=0.01)
    checkpointer.start()
    try:
        _write(engine)
        assert checkpointer.wait_rounds(2, timeout=60)
        assert _in_database_file(path) == ROWS
        with engine.connect() as conn:  # the log starts again from its beginning: it does not grow
            before = (tmp_path / "server.sqlite3-wal").stat().st_size
            conn.exec_driver_sql("DELETE FROM note WHERE id <= 10")
            conn.commit()
        assert checkpointer.wait_rounds(2, timeout=60)
        assert (tmp_path / "server.sqlite3-wal").stat().st_size <= before
    finally:
        checkpointer.stop()
        engine.dispose()


def test_the_server_checkpoints_its_sqlite_file_from_open_to_close_and_postgresql_itself(tmp_path: Path) -> None:
    settings = ServerSettings(db_url=f"sqlite:///{tmp_path / 'server.sqlite3'}", data_dir=tmp_path / "data", port=0)
    services = ServerServices.open(settings)
    checkpointer = services.checkpointer
    assert checkpointer is not None and checkpointer.wait_rounds(1, timeout=60)
    services.close()
    assert services.checkpointer is None and checkpointer.rounds >= 2  # the last one at close
    assert WalCheckpointer.for_engine(make_engine("postgresql://renda@127.0.0.1/renda")) is None
    assert WalCheckpointer.for_engine(make_engine("sqlite://")) is None
