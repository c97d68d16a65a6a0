"""SQLite's write-ahead log after a bulk write: the copy into the database file in a thread of its own.

A commit in WAL mode appends the transaction's pages to the log; when the log has grown past
``wal_autocheckpoint`` pages, the committing connection then copies them into the database file (a
checkpoint) before the commit returns. For a bulk import that is every page of the table it filled: a million
payments write about 800 MB, and the copy took 1.4–1.5 s of their 20 s import after the rows were already
safely committed.

A transaction marked with :func:`checkpoint_after_commit` commits with the automatic checkpoint off; when its
connection is back in the pool the setting is restored and a thread of its own runs a passive checkpoint on a
connection of its own. Readers and writers go on meanwhile (a passive checkpoint waits for nobody, and copies
only what no reader still needs); what it leaves (a program closed in the middle) the next checkpoint copies,
and SQLite reads the log until then. Nothing is lost either way: the rows were committed to the log.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from typing import Any

from sqlalchemy import Connection, Engine, event

log = logging.getLogger(__name__)

WAL_AUTOCHECKPOINT = 1000
"""Pages in the log after which a commit checkpoints (SQLite's default), restored after a bulk write."""

_LATER = "checkpoint_after_commit"
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def checkpoint_after_commit(conn: Connection) -> None:
    """Let the commit of ``conn``'s transaction, a bulk write to a file database, return without copying the log
    into the database file; the copy runs in a thread once the connection is back in the pool."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    conn.connection.info[_LATER] = True


def watch(engine: Engine) -> None:
    """Start the checkpoint of a marked transaction's log when its connection returns to ``engine``'s pool."""
    event.listen(engine, "checkin", _checked_in)


def _checked_in(dbapi_conn: Any, record: Any) -> None:
    if not record.info.pop(_LATER, False) or dbapi_conn is None:
        return
    try:
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}")
        rows = dbapi_conn.execute("PRAGMA database_list").fetchall()
    except sqlite3.Error as exc:  # a connection the pool is closing: the next commit checkpoints as usual
        log.warning("write-ahead log: the checkpoint after a bulk write was left to the next commit (%s)", exc)
        return
    path = next((str(file) for _seq, name, file in rows if name == "main"), "")
    if not path:  # an in-memory database has no log
        return
    thread = threading.Thread(target=_run, args=(path,), name="sqlite-checkpoint")
    with _threads_lock:
        _threads.add(thread)
    thread.start()


def _run(path: str) -> None:
    try:
        checkpoint(path)
    finally:
        with _threads_lock:
            _threads.discard(threading.current_thread())


def checkpoint(path: str) -> None:
    """A passive checkpoint of the database at ``path``, on a connection of its own."""
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error as exc:  # another checkpoint under way, a file gone: the next commit checkpoints
        log.info("write-ahead log: checkpoint of %s not run (%s)", path, exc)


def wait_for_checkpoints(timeout: float | None = None) -> bool:
    """Wait for the checkpoints under way; False if one is still running after ``timeout`` seconds."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in running)
