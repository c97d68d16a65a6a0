"""A demo server in this process, seeded with the demo users and demo data, and a real conflict maker.

Used by ``renda demo``, ``renda screenshots`` and the desktop tests. Nothing here invents figures:
demo data comes from ``core.demo_data`` when that module is installed; the conflict maker only edits
rows that exist (or one clearly labelled demo document it adds).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from apps.server.embedded import EmbeddedServer
from apps.server.settings import ServerSettings
from core.auth.service import DEMO_PASSWORD
from core.models.registry import Document
from core.sync.client import LocalStore, SyncClient

log = logging.getLogger(__name__)

__all__ = ["DEMO_PASSWORD", "DemoServer", "make_field_conflicts", "seed_demo_data"]


def seed_demo_data(factory: sessionmaker[Session]) -> bool:
    """Fill the server database with ``core.demo_data.seed`` if that module exists; True if it ran."""
    if importlib.util.find_spec("core.demo_data") is None:
        log.info("core.demo_data is not installed; the demo has users but no business data")
        return False
    module = importlib.import_module("core.demo_data")
    module.seed(factory)
    return True


@dataclass
class DemoServer:
    """An embedded server on 127.0.0.1 over a SQLite database in ``folder``.

    ``fast_hashing`` lowers the Argon2 cost for tests and screenshots (never for real users).
    """

    folder: Path
    port: int = 0
    fast_hashing: bool = False
    server: EmbeddedServer | None = None
    seeded: bool = False

    def start(self) -> DemoServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        db_file = self.folder / "server.sqlite3"
        fresh = not db_file.exists()
        options: dict[str, object] = {"db_url": f"sqlite:///{db_file}", "data_dir": self.folder / "server",
                                      "host": "127.0.0.1", "port": self.port}
        if self.fast_hashing:
            options.update(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
        try:
            server = EmbeddedServer(ServerSettings(**options)).start()  # type: ignore[arg-type]
        except OSError:
            if self.port == 0:
                raise
            options["port"] = 0  # the usual port is taken: any free one will do for a demo
            server = EmbeddedServer(ServerSettings(**options)).start()  # type: ignore[arg-type]
        assert server.services is not None
        server.services.identity.ensure_demo_users()
        if fresh:
            self.seeded = seed_demo_data(server.services.factory)
        self.server = server
        return self

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("the demo server is not running")
        return self.server.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


DEMO_DOCUMENT_TITLE = "（演示）2026年部门预算初审意见"


def make_field_conflicts(first: SyncClient, second: SyncClient) -> list[str]:
    """Make real conflicts: two local stores of one user change the same fields of the same document.

    ``first`` syncs its edit first and wins; ``second`` syncs after and gets conflict records back.
    Returns the ids of the conflicts now open in ``second``'s store.
    """
    first.sync()
    doc_id = _a_document(first.store)
    if doc_id is None:
        with first.store.session() as s, s.begin():
            doc = Document(title=DEMO_DOCUMENT_TITLE, doc_no="演示-001", kind="审查材料",
                           classification="internal", year=2026, body="演示用文档，可随意修改。")
            s.add(doc)
            s.flush()
            doc_id = doc.id
        first.sync()
    second.sync()
    for store, who in ((first.store, "甲"), (second.store, "乙")):
        with store.session() as s, s.begin():
            row = s.get(Document, doc_id)
            assert row is not None, "the document did not reach both stores"
            row.title = f"{row.title}（{who}修改）"
            row.body = f"{who}在本机写的意见。"
    first.sync()
    second.sync()
    from apps.common.conflict_state import ConflictInbox

    return [item.id for item in ConflictInbox(second.store).open_items()]


def _a_document(store: LocalStore) -> str | None:
    with store.session() as s:
        return s.scalar(select(Document.id).where(Document.deleted.is_(False)).order_by(Document.id).limit(1))
