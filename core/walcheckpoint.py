"""The server's SQLite checkpoints, taken on a thread of their own instead of by the request that commits.

In WAL mode a commit appends its pages to the ``-wal`` file; a checkpoint copies them back into the database
file and syncs it. By default SQLite checkpoints in the connection that commits once the log holds 1,000
pages, so every push of a few thousand edits paid for one: 25–150 ms of a 2,000-edit batch's commit, against
18 ms for the commit alone. The server's connections therefore do not checkpoint
(``PRAGMA wal_autocheckpoint=0``), and :class:`WalCheckpointer` runs a ``PASSIVE`` checkpoint every
:data:`CHECKPOINT_EVERY_S` on its own connection: it copies what every reader is done with and waits for
nobody, readers and the writer go on meanwhile, and SQLite releases the interpreter lock while it works. When
the log has been copied whole, the next commit starts it again from its beginning, so it does not grow while
the checkpoints keep up. At stop a ``TRUNCATE`` checkpoint empties the log.

Clients keep SQLite's own checkpoints: a workstation's writes are a clerk's, not a server's traffic.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 0.5
"""Seconds between two checkpoints (a checkpoint with nothing to copy costs a look at the log's header)."""


def _is_sqlite_file(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


class WalCheckpointer:
    """Checkpoints of one SQLite database file on a daemon thread, from :meth:`start` to :meth:`stop`."""

    def __init__(self, engine: Engine, every: float = CHECKPOINT_EVERY_S) -> None:
        if not _is_sqlite_file(engine):
            raise ValueError("后台检查点只用于 SQLite 数据库文件")
        self.path = str(engine.url.database)
        self.every = every
        self.rounds = 0
        self._engine = engine
        self._stop = threading.Event()
        self._round = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)

    @classmethod
    def for_engine(cls, engine: Engine) -> WalCheckpointer | None:
        """A started checkpointer for a server's SQLite file, None for another database."""
        if not _is_sqlite_file(engine):
            return None
        checkpointer = cls(engine)
        checkpointer.start()
        return checkpointer

    def start(self) -> None:
        """Stop the engine's connections checkpointing (those open already are closed, and reopen so), then start."""
        event.listen(self._engine, "connect", _no_autocheckpoint)
        self._engine.dispose()
        self._thread.start()

    def stop(self) -> None:
        """The last checkpoint (``TRUNCATE``: the log emptied), then the thread ends."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)
        if event.contains(self._engine, "connect", _no_autocheckpoint):
            event.remove(self._engine, "connect", _no_autocheckpoint)
            self._engine.dispose()  # connections opened from now on checkpoint as SQLite does

    def wait_rounds(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` more checkpoints have run; False if ``timeout`` seconds passed first."""
        with self._round:
            target = self.rounds + count
            return self._round.wait_for(lambda: self.rounds >= target, timeout)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            log.error("后台检查点无法打开数据库 %s：%s；改由提交的连接做检查点", self.path, exc)
            event.remove(self._engine, "connect", _no_autocheckpoint)
            self._engine.dispose()
            return
        try:
            while not self._stop.wait(self.every):
                self._checkpoint(conn, "PASSIVE")
            self._checkpoint(conn, "TRUNCATE")
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection, mode: str) -> None:
        try:
            conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
        except sqlite3.Error as exc:  # a full disk or a lost file: said, and tried again next round
            log.warning("SQLite 检查点（%s）未完成：%s", mode, exc)
        with self._round:
            self.rounds += 1
            self._round.notify_all()
