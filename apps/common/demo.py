"""A demo server in this process, seeded with the demo users and demo data, and a real conflict maker.

Used by ``renda demo``, ``renda screenshots`` and the desktop tests. Nothing here invents figures:
demo data comes from ``core.demo_data`` when that module is installed; the conflict maker edits only
one clearly labelled demo document of its own.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from apps.server.embedded import EmbeddedServer
from apps.server.settings import ServerSettings
from core.auth.service import DEMO_PASSWORD
from core.ids import uuid7
from core.models.registry import Document
from core.sync.client import LocalStore, SyncClient

log = logging.getLogger(__name__)

__all__ = ["DEMO_PASSWORD", "DemoServer", "add_demo_document", "edit_demo_document", "make_field_conflicts", "seed_demo_data"]


def seed_demo_data(factory: sessionmaker[Session]) -> bool:
    """Fill the server database with ``core.demo_data.seed`` if that module exists; True if it ran."""
    if importlib.util.find_spec("core.demo_data") is None:
        log.info("core.demo_data is not installed; the demo has users but no business data")
        return False
    module = importlib.import_module("core.demo_data")
    module.seed(factory)
    return True


def seed_budget_demo(factory: sessionmaker[Session], payments: int, year: int = 2024) -> None:
    """A generated budget year (every row marked generated) and, when the rule engine is installed,
    the warnings it raises, so the budget app shows real work on first start."""
    from sqlalchemy import func

    from core.budget.demo import generate
    from core.budget.models import Payment

    engine = factory.kw["bind"]
    with engine.connect() as conn:
        generated = bool(conn.scalar(select(func.count()).select_from(Payment).where(Payment.year == year)))
    if not generated:
        generate(engine, year=year, payments=payments)
        if importlib.util.find_spec("core.budget.warnings") is not None:
            from core.budget.warnings import run_rules

            run_rules(engine, year)
    seed_budget_work(factory, year)


def seed_petition_demo(factory: sessionmaker[Session], cases: int) -> bool:
    """Demo letters and visits (``core.petition.demo``, people marked 【演示数据】) when the server has no case
    yet, so the desk and the portal show work on first start; True if it ran."""
    if importlib.util.find_spec("core.petition.demo") is None:
        return False
    from core.petition.demo import generate
    from core.petition.models import PetCase

    with factory() as s:
        if s.scalar(select(PetCase.id).limit(1)) is not None:
            return False
    generate(factory.kw["bind"], cases=cases)
    return True


# The demo accounts that stand for the standalone users of ``core.budget.platform.demo``.
DEMO_WORK_USERS = {"expert-1": "expert", "deputy-1": "deputy", "staff-1": "staff", "committee-1": "committee"}


def seed_budget_work(factory: sessionmaker[Session], year: int = 2024) -> bool:
    """The budget working records (experts, review plan and tasks, deputies' comments) once, owned by the demo
    accounts, so that the expert, deputy and committee windows of the demo have work in them. True if it ran."""
    from sqlalchemy import func

    if importlib.util.find_spec("core.budget.platform.demo") is None:
        return False
    from core.budget.platform import demo
    from core.budget.work import Expert
    from core.models.identity import User

    with factory() as s:
        if s.scalar(select(func.count()).select_from(Expert)):
            return False
        ids = {name: uid for name, uid in s.execute(
            select(User.username, User.id).where(User.username.in_(DEMO_WORK_USERS.values())))}
    demo.seed(factory.kw["bind"], year, users={k: ids[v] for k, v in DEMO_WORK_USERS.items() if v in ids},
              session_factory=factory)
    return True


@dataclass
class DemoServer:
    """An embedded server on 127.0.0.1 over a SQLite database in ``folder``.

    ``fast_hashing`` lowers the Argon2 cost for tests and screenshots (never for real users).
    """

    folder: Path
    port: int = 0
    fast_hashing: bool = False
    budget_payments: int = 0
    """When above 0, a fresh server also gets a generated budget year with this many payments."""
    petition_cases: int = 0
    """When above 0, a server without letters and visits gets this many demo cases."""
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
        if self.budget_payments > 0:
            seed_budget_demo(server.services.factory, self.budget_payments)
        if self.petition_cases > 0:
            seed_petition_demo(server.services.factory, self.petition_cases)
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
_EDIT_MARK = re.compile(r"（[甲乙]修改[^）]*）$")


def make_field_conflicts(first: SyncClient, second: SyncClient) -> list[str]:
    """Make real conflicts: two local stores of one user change the same fields of the same document.

    ``first`` syncs its edit first and wins; ``second`` syncs after and gets conflict records back.
    Returns the ids of the conflicts this call made (open in ``second``'s store).
    """
    from apps.common.conflict_state import ConflictInbox

    first.sync()
    doc_id = _demo_document(first.store)
    if doc_id is None:
        doc_id = add_demo_document(first.store)
        first.sync()
    second.sync()
    before = {item.id for item in ConflictInbox(second.store).open_items()}
    stamp = uuid7()[-4:]  # every call changes the values, so every call conflicts
    for store, who in ((first.store, "甲"), (second.store, "乙")):
        with store.session() as s, s.begin():
            row = s.get(Document, doc_id)
            assert row is not None, "the document did not reach both stores"
            base = _EDIT_MARK.sub("", row.title)
            row.title = f"{base}（{who}修改 {stamp}）"[:200]
            row.body = f"{who}在本机写的意见（{stamp}）。"
    first.sync()
    second.sync()
    return [item.id for item in ConflictInbox(second.store).open_items() if item.id not in before]


def add_demo_document(store: LocalStore) -> str:
    """Add one clearly labelled demo document to a local store (it syncs like any edit)."""
    with store.session() as s, s.begin():
        doc = Document(title=DEMO_DOCUMENT_TITLE, doc_no="演示-001", kind="审查材料",
                       classification="internal", year=2026, body="演示用文档，可随意修改。")
        s.add(doc)
        s.flush()
        return doc.id


def edit_demo_document(store: LocalStore, note: str) -> str:
    """Change the demo document's text (adding the document first if this store has none)."""
    doc_id = _demo_document(store) or add_demo_document(store)
    with store.session() as s, s.begin():
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.body = note
    return doc_id


def _demo_document(store: LocalStore) -> str | None:
    """The labelled demo document, so seeded business data is never scribbled on."""
    with store.session() as s:
        return s.scalar(select(Document.id).where(Document.deleted.is_(False),
                                                  Document.title.startswith(DEMO_DOCUMENT_TITLE))
                        .order_by(Document.id).limit(1))
