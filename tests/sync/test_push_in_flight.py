"""Two pushes on the wire at once (as over a network): each batch names the last mutation of the one ahead of
it, and the server applies it only after that one; one that gets there first is refused whole and sent again
once the one ahead is answered. Whatever is lost on the way, every edit is applied once and in outbox order."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

import core.sync.client as sync_client
from core.ids import uuid7
from core.models import Document
from core.models.syncstate import AppliedMutation, OutboxEntry
from core.sync.client import SyncClient, SyncReport
from core.sync.protocol import OutOfTurn, ProtocolError
from core.sync.transport import NetworkError, PushOutOfTurn
from tests.helpers.waits import WAIT_S
from tests.sync.harness import World

EDITS = 23
BATCH = 5


class TwoOnTheWire:
    """The real in-process transport with two pushes allowed on the wire; records what was sent, and can hold
    the first request back (until the second has left, or until it is answered), or lose (once) the request or
    the answer of the batch that starts at a local sequence number."""

    pushes_in_flight = 2

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sent: list[tuple[list[int], str | None]] = []
        self.outcomes: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.hold_first: threading.Event | None = None
        self.second_arrived: threading.Event | None = None
        self.lose_request: int | None = None
        self.lose_answer: int | None = None

    def push(self, device_id: str, mutations: list[dict[str, Any]], after: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            self.sent.append(([m["local_seq"] for m in mutations], after))
            number = len(self.sent)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.second_arrived is not None:  # the first goes on once the second is on the wire too
                if number == 2:
                    self.second_arrived.set()
                elif number == 1:
                    assert self.second_arrived.wait(WAIT_S), "the second request never left while the first was out"
            if number == 1 and self.hold_first is not None:
                assert self.hold_first.wait(WAIT_S), "the second request never came back"
            first_seq = mutations[0]["local_seq"]
            if first_seq == self.lose_request:
                self.lose_request = None
                raise NetworkError("连接中断")
            try:
                results: list[dict[str, Any]] = self.inner.push(device_id, mutations, after=after)
            except PushOutOfTurn:
                self.outcomes.append(f"{number}: out of turn")
                raise
            finally:
                if number == 2 and self.hold_first is not None:
                    self.hold_first.set()
            self.outcomes.append(f"{number}: applied")
            if first_seq == self.lose_answer:
                self.lose_answer = None
                raise NetworkError("答复丢失")
            return results
        finally:
            with self.lock:
                self.in_flight -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_client, "PUSH_BATCH", BATCH)


def _offline(world: World) -> tuple[SyncClient, TwoOnTheWire, list[str]]:
    """A laptop with EDITS new documents, then a second edit of the first one, in its outbox."""
    client = world.client(world.add_user("staff", "budget_staff"))
    with client.store.session() as s, s.begin():
        docs = [Document(title=f"离线新建 {i}", classification="public", year=2025) for i in range(EDITS - 1)]
        s.add_all(docs)
    with client.store.session() as s, s.begin():
        first = s.get(Document, docs[0].id)
        assert first is not None
        first.body = "最后一次修改"  # the last edit of the outbox, in the last batch: it must win
    wire = TwoOnTheWire(client.transport)
    client.transport = wire
    return client, wire, [d.id for d in docs]


def _applied_everything_once(world: World, client: SyncClient, ids: list[str]) -> None:
    assert client.store.pending_count() == 0
    with world.factory() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == EDITS - 1
        assert s.scalar(select(func.count()).select_from(AppliedMutation)) == EDITS
        first = s.get(Document, ids[0])
        assert first is not None and first.body == "最后一次修改" and first.version == 2


def _first_sends(wire: TwoOnTheWire) -> list[tuple[list[int], str | None]]:
    """Each batch as it first left (a batch refused for coming first leaves again later, alone)."""
    seen: set[int] = set()
    firsts = []
    for seqs, after in wire.sent:
        if seqs[0] not in seen:
            seen.add(seqs[0])
            firsts.append((seqs, after))
    return firsts


def test_two_batches_on_the_wire_each_naming_the_one_ahead(world: World) -> None:
    client, wire, ids = _offline(world)
    wire.second_arrived = threading.Event()  # else a quick first answer could come back before the second left
    report = SyncReport()
    client.push(report)
    firsts = _first_sends(wire)
    assert [len(seqs) for seqs, _after in firsts] == [5, 5, 5, 5, 3]
    flat = [seq for seqs, _after in firsts for seq in seqs]
    assert flat == sorted(flat) == list(range(flat[0], flat[0] + EDITS))
    assert wire.most_in_flight == 2
    assert firsts[0][1] is None and all(after is not None for _seqs, after in firsts[1:])
    again = [after for i, (seqs, after) in enumerate(wire.sent) if any(seqs == s for s, _ in wire.sent[:i])]
    assert all(after is None for after in again)  # a batch sent again goes alone
    assert report.pushed == EDITS and report.applied + report.merged == EDITS
    _applied_everything_once(world, client, ids)


def test_a_batch_that_gets_there_first_is_refused_and_sent_again(world: World) -> None:
    client, wire, ids = _offline(world)
    wire.hold_first = threading.Event()
    client.push(SyncReport())
    assert wire.outcomes[:2] == ["2: out of turn", "1: applied"]
    assert (wire.sent[1][0], None) in wire.sent[2:]  # the refused batch again, alone, once the first was answered
    _applied_everything_once(world, client, ids)


@pytest.mark.parametrize("lost", ["request", "answer"])
@pytest.mark.parametrize("at", [1, 2, 4])
def test_a_lost_request_or_answer_loses_no_edit_and_applies_none_twice(world: World, lost: str, at: int) -> None:
    client, wire, ids = _offline(world)
    with client.store.session() as s:
        first = int(s.scalar(select(func.min(OutboxEntry.local_seq))) or 0)
    setattr(wire, f"lose_{lost}", first + (at - 1) * BATCH)
    with pytest.raises(NetworkError):
        client.push(SyncReport())
    assert client.store.pending_count() > 0
    setattr(wire, f"lose_{lost}", None)
    client.push(SyncReport())
    _applied_everything_once(world, client, ids)


def test_the_server_applies_a_batch_only_after_the_one_it_names(world: World) -> None:
    staff = world.add_user("staff", "budget_staff")
    principal = world.principal(staff)

    def insert() -> dict[str, Any]:
        return {"mutation_id": uuid7(), "table": "reg_document", "row_id": uuid7(), "op": "insert",
                "base_version": 0, "base": {}, "changes": {"title": "顺序", "classification": "public"}}

    first = insert()
    with pytest.raises(OutOfTurn):
        world.service.push(principal, "laptop-1", [insert()], after=first["mutation_id"])
    with pytest.raises(ProtocolError):
        world.service.push(principal, "laptop-1", [insert()], after="第一批")
    with world.factory() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
        assert s.scalar(select(func.count()).select_from(AppliedMutation)) == 0
    world.service.push(principal, "laptop-1", [first])
    answers = world.service.push(principal, "laptop-1", [insert()], after=first["mutation_id"])
    assert answers[0]["status"] == "applied"


def test_a_wrapper_that_does_not_pass_after_on_gets_one_push_at_a_time(world: World) -> None:
    """A transport wrapper that forwards the network transport's attributes but not ``after`` (a recorder, an
    offline package writer) is sent one batch at a time, as before."""
    client, wire, ids = _offline(world)

    class Wrapper:
        def __init__(self, inner: TwoOnTheWire) -> None:
            self.inner = inner

        def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return self.inner.push(device_id, mutations)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    client.transport = Wrapper(wire)  # type: ignore[assignment]
    client.push(SyncReport())
    assert wire.most_in_flight == 1 and all(after is None for _seqs, after in wire.sent)
    _applied_everything_once(world, client, ids)
