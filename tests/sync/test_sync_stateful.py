"""Property: several clients edit offline while the network drops, duplicates and reorders messages and
syncs are cut off mid-page. After everyone syncs cleanly, every client equals the server restricted to
its scope and masking, and every acknowledged edit is in the final state, superseded by a later edit,
or kept in a conflict record."""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select

from core.models import Document, SyncConflict
from core.sync.client import SyncClient
from core.sync.transport import Cancelled, NetworkError, SyncError
from tests.sync.harness import UserTransport, World, client_rows

TITLES = st.sampled_from(["预算草案", "审查意见", "调研报告", "建言", "专题材料"])
CLASSIFICATIONS = st.sampled_from(["public", "internal"])
DOMAINS = st.sampled_from(["", "教科文卫", "城建环保"])


@dataclass
class Ledger:
    """What the server did, in order, as the transports saw it (before any response was dropped)."""

    applied: list[dict[str, Any]] = field(default_factory=list)  # result + mutation, in server order
    acked: set[str] = field(default_factory=set)  # mutation ids whose answer reached the client


class FaultyTransport(UserTransport):
    """Drops requests or responses, duplicates pushes, replays old pages and cuts pulls short on command."""

    def __init__(self, world: World, user_id: str, ledger: Ledger) -> None:
        super().__init__(world, user_id)
        self.ledger = ledger
        self.faults: list[str] = []
        self.old_pushes: list[tuple[str, list[dict[str, Any]]]] = []
        self.old_pages: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (the cursor asked with, the page)
        self.client: SyncClient | None = None

    def _next(self) -> str:
        return self.faults.pop(0) if self.faults else "ok"

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        fault = self._next()
        if fault == "drop_request":
            raise NetworkError("网络中断")
        if fault == "late_duplicate" and self.old_pushes:
            old_device, old = self.old_pushes[0]
            self._record(old, super().push(old_device, old))
        results = super().push(device_id, mutations)
        self._record(mutations, results)
        self.old_pushes.append((device_id, mutations))
        if fault == "duplicate":
            self._record(mutations, super().push(device_id, mutations))
        if fault == "drop_response":
            raise NetworkError("网络中断（服务器已处理，答复丢失）")
        self.ledger.acked.update(r["mutation_id"] for r in results)
        return results

    def _record(self, mutations: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
        by_id = {m["mutation_id"]: m for m in self._wire(mutations)}  # as the server read them
        for r in results:
            if not r.get("replayed"):
                self.ledger.applied.append({**r, "mutation": by_id[r["mutation_id"]]})

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        fault = self._next()
        if fault == "drop_request":
            raise NetworkError("网络中断")
        if fault == "late_duplicate" and self.old_pages and self.client is not None:
            # an old answer arriving late, matched against the request it answers (as the pull loop does)
            self.client.apply_page(self.old_pages[0][1], asked=self.old_pages[0][0])
        page = super().pull(cursor, limit)
        self.old_pages.append((dict(cursor), page))
        if fault == "drop_response":
            raise NetworkError("网络中断（答复丢失）")
        if fault == "duplicate" and self.client is not None:
            self.client.apply_page(page)
        return page


FAULTS = st.lists(st.sampled_from(["ok", "ok", "drop_request", "drop_response", "duplicate", "late_duplicate"]),
                  max_size=4)


class OfflineSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="renda-stateful-"))
        self.world = World(self.tmp, f"sqlite:///{self.tmp / 'server.sqlite3'}")
        self.ledger = Ledger()
        self.clients: list[SyncClient] = []
        self.transports: list[FaultyTransport] = []
        self.user_ids: list[str] = []

    @initialize()
    def set_up(self) -> None:
        with self.world.factory() as s, s.begin():
            s.add(Document(title="公开预算", classification="public"))
            s.add(Document(title="内部底稿", classification="internal"))
            s.add(Document(title="教育底稿", classification="internal", domain="教科文卫"))
        for name, role, scopes in (("staff1", "budget_staff", ()), ("staff2", "budget_staff", ()),
                                   ("deputy", "deputy", ()), ("member", "committee_member", ("committee:教科文卫",))):
            user_id = self.world.add_user(name, role, scopes=scopes)
            client = self.world.client(user_id, page_limit=2)
            transport = FaultyTransport(self.world, user_id, self.ledger)
            transport.client = client
            client.transport = transport
            self.clients.append(client)
            self.transports.append(transport)
            self.user_ids.append(user_id)

    def teardown(self) -> None:
        try:
            self.check_converged()
        finally:
            self.world.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ offline edits
    @rule(i=st.integers(0, 3), title=TITLES, classification=CLASSIFICATIONS, domain=DOMAINS)
    def create(self, i: int, title: str, classification: str, domain: str) -> None:
        with self.clients[i].store.session() as s, s.begin():
            s.add(Document(title=title, classification=classification, domain=domain))

    def _live_docs(self, i: int) -> list[str]:
        with self.clients[i].store.session() as s:
            return list(s.scalars(select(Document.id).where(Document.deleted.is_(False)).order_by(Document.id)))

    @rule(i=st.integers(0, 3), pick=st.integers(0, 50), column=st.sampled_from(["title", "body", "classification"]),
          value=st.text(alphabet="甲乙丙丁ab", min_size=1, max_size=4), classification=CLASSIFICATIONS)
    def update(self, i: int, pick: int, column: str, value: str, classification: str) -> None:
        ids = self._live_docs(i)
        if not ids:
            return
        with self.clients[i].store.session() as s, s.begin():
            doc = s.get(Document, ids[pick % len(ids)])
            assert doc is not None
            setattr(doc, column, classification if column == "classification" else value)

    @rule(i=st.integers(0, 3), pick=st.integers(0, 50))
    def delete(self, i: int, pick: int) -> None:
        ids = self._live_docs(i)
        if ids:
            with self.clients[i].store.session() as s, s.begin():
                doc = s.get(Document, ids[pick % len(ids)])
                assert doc is not None
                doc.deleted = True

    @rule(role=st.sampled_from(["deputy", "budget_staff", "committee_member"]))
    def change_deputy_role(self, role: str) -> None:
        self.world.set_roles(self.user_ids[2], role)
        self.clients[2].store.set_permissions(self.world.principal(self.user_ids[2]).permissions)

    @precondition(lambda self: len(self.ledger.applied) > 3)
    @rule()
    def compact(self) -> None:
        self.world.service.compact()

    # ------------------------------------------------------------------ unreliable syncs
    @rule(i=st.integers(0, 3), faults=FAULTS, cut_after=st.one_of(st.none(), st.integers(1, 3)))
    def sync(self, i: int, faults: list[str], cut_after: int | None) -> None:
        transport = self.transports[i]
        transport.faults = list(faults)
        cancel = threading.Event()

        def progress(stage: str, done: int, total: int | None) -> None:
            if cut_after is not None and stage == "pull" and done >= cut_after * 2:
                cancel.set()

        try:
            self.clients[i].sync(progress=progress, cancel=cancel)
        except (NetworkError, Cancelled):
            pass
        finally:
            transport.faults = []

    @invariant()
    def outbox_only_shrinks_by_answers(self) -> None:
        for c in self.clients:
            assert c.store.pending_count() >= 0

    # ------------------------------------------------------------------ the final check
    def check_converged(self) -> None:
        for _ in range(2):
            for c in self.clients:
                c.sync(verify=False)
        for c, user_id in zip(self.clients, self.user_ids, strict=True):
            assert c.store.pending_count() == 0
            assert client_rows(c) == self.world.server_rows(self.world.principal(user_id))
        server = self.world.server_rows(live_only=False)
        docs, conflicts = server["reg_document"], server["sync_conflict"]
        conflicted = {(r["mutation_id"], r["field"]) for r in conflicts.values()}
        conflicted_any = {r["mutation_id"] for r in conflicts.values()}
        for position, entry in enumerate(self.ledger.applied):
            if entry["mutation_id"] not in self.ledger.acked:
                continue
            m = entry["mutation"]
            if entry["status"] in ("rejected",):
                assert entry["mutation_id"] in conflicted_any
                continue
            later = self.ledger.applied[position + 1:]
            for name, value in m["changes"].items():
                if (entry["mutation_id"], name) in conflicted or (entry["status"] == "conflict" and
                                                                  entry["mutation_id"] in conflicted_any):
                    continue
                superseded = any(
                    e["mutation"]["row_id"] == m["row_id"] and e["status"] in ("applied", "merged", "conflict")
                    and (name in e["mutation"]["changes"] or "deleted" in e["mutation"]["changes"]
                         or "classification" in e["mutation"]["changes"])
                    for e in later
                )
                row = docs.get(m["row_id"])
                if row is None:  # tombstone compacted away
                    assert superseded or m["changes"].get("deleted") or any(
                        e["mutation"]["row_id"] == m["row_id"] and e["mutation"]["changes"].get("deleted")
                        for e in self.ledger.applied)
                    continue
                assert row[name] == value or superseded, (name, value, row[name], entry)


OfflineSync.TestCase.settings = settings(max_examples=int(__import__("os").environ.get("RENDA_STATEFUL_EXAMPLES", "25")), stateful_step_count=30, deadline=None,
                                        suppress_health_check=list(HealthCheck))
TestOfflineSync = OfflineSync.TestCase

__all__ = ["SyncConflict", "SyncError", "TestOfflineSync"]
