"""The sync server's SQLite keeps its statement journals in memory (``core.db.SERVER_STATEMENT_JOURNALS``).

Every update of a synced table fires its change-feed trigger, so SQLite journals each statement's pages; with the
default temporary store that journal moved to a file a few statements into a push, and every later page went to
it with system calls of its own. Workstations keep the default (their bulk imports sort on two threads)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from apps.server.services import ServerServices
from apps.server.settings import ServerSettings
from core.db import make_engine, migrate
from core.models.base import utcnow
from core.models.registry import Document
from core.sync.feed import install_change_feed
from core.sync.schema import REGISTRY


def _journal_files() -> list[str]:
    """SQLite's temporary files this process holds open (unlinked at once, still listed under /proc)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target:
            found.append(target)
    return found


def _files_during_a_push_sized_update(engine: Engine) -> list[str]:
    """Seed 2,000 documents, then update each in its own statement inside one transaction, as a push batch's
    ``executemany`` does, each body growing so that pages split; the temporary files open just before the commit."""
    install_change_feed(engine, REGISTRY)
    now = utcnow()
    rows = [{"id": f"00000000-0000-7000-8000-{i:012d}", "title": f"材料{i}", "doc_no": f"第{i}号", "kind": "审查材料",
             "classification": "public", "domain": "", "year": 2026, "amount_fen": i, "body": "正文" * 300,
             "version": 1, "changed_by": "seed", "changed_at": now, "deleted": False, "seq": i + 1, "scope": "public"}
            for i in range(2000)]
    with engine.begin() as conn:
        conn.execute(Document.__table__.insert(), rows)
    table = Document.__table__
    with engine.begin() as conn:
        ids = conn.execute(select(table.c.id)).scalars().all()
        for n, row_id in enumerate(ids):
            conn.execute(update(table).where(table.c.id == row_id).values(body=f"修改{n}" * 400, seq=10_000 + n))
        return _journal_files()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the open files under /proc")
def test_a_push_sized_update_on_the_server_keeps_its_statement_journal_in_memory(tmp_path: Path) -> None:
    server = ServerServices.open(ServerSettings(db_url=f"sqlite:///{tmp_path / 'server.sqlite3'}",
                                                data_dir=tmp_path / "server-data", port=0))
    try:
        with server.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert _files_during_a_push_sized_update(server.engine) == []
    finally:
        server.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the open files under /proc")
def test_a_workstation_keeps_the_default_store_where_the_journal_moves_to_a_file(tmp_path: Path) -> None:
    """The same writes on a workstation's engine: the journal goes to a file (what the server no longer does), and
    the temporary store stays the default, under which SQLite sorts an import's indexes on two threads."""
    engine = make_engine(f"sqlite:///{tmp_path / 'workstation.sqlite3'}")
    try:
        migrate(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 0  # DEFAULT
        assert _files_during_a_push_sized_update(engine)
    finally:
        engine.dispose()
