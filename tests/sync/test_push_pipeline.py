"""The pipelined push: batches leave in outbox order with one request in flight; a failure or a cancel
settles every answered batch and leaves the rest in the outbox; a resumed push finishes exactly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

import core.sync.client as sync_client
from core.models import Document
from core.sync.client import SyncClient, SyncReport
from core.sync.transport import Cancelled, NetworkError
from tests.sync.harness import World

EDITS = 23
BATCH = 5


class RecordingWire:
    """The real in-process transport, recording each push and failing the ``fail_at``-th one."""

    def __init__(self, inner: Any, fail_at: int | None = None) -> None:
        self.inner = inner
        self.fail_at = fail_at
        self.sent: list[list[int]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.sent.append([m["local_seq"] for m in mutations])
            if self.fail_at is not None and len(self.sent) == self.fail_at:
                raise NetworkError("连接中断")
            return self.inner.push(device_id, mutations)  # type: ignore[no-any-return]
        finally:
            with self.lock:
                self.in_flight -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_client, "PUSH_BATCH", BATCH)


def _offline(world: World) -> tuple[SyncClient, RecordingWire]:
    client = world.client(world.add_user("staff", "budget_staff"))
    with client.store.session() as s, s.begin():
        for i in range(EDITS):
            s.add(Document(title=f"离线新建 {i}", classification="public", year=2025))
    wire = RecordingWire(client.transport)
    client.transport = wire
    return client, wire


def _server_documents(world: World) -> int:
    with world.factory() as s:
        return int(s.scalar(select(func.count()).select_from(Document)) or 0)


def test_batches_leave_in_order_one_at_a_time(world: World) -> None:
    client, wire = _offline(world)
    report = SyncReport()
    client.push(report)
    flat = [seq for batch in wire.sent for seq in batch]
    assert flat == sorted(flat) and len(flat) == len(set(flat)) == EDITS
    assert [len(b) for b in wire.sent] == [5, 5, 5, 5, 3]
    assert wire.most_in_flight == 1
    assert report.pushed == report.applied == EDITS and client.store.pending_count() == 0
    assert _server_documents(world) == EDITS


@pytest.mark.parametrize("fail_at", [1, 2, 3, 5])
def test_a_failed_request_keeps_its_batch_and_what_follows(world: World, fail_at: int) -> None:
    client, wire = _offline(world)
    wire.fail_at = fail_at
    with pytest.raises(NetworkError):
        client.push(SyncReport())
    answered = (fail_at - 1) * BATCH
    assert client.store.pending_count() == EDITS - answered  # answered batches settled, nothing more
    assert _server_documents(world) == answered
    wire.fail_at = None
    report = SyncReport()
    client.push(report)
    assert report.pushed == EDITS - answered and client.store.pending_count() == 0
    assert _server_documents(world) == EDITS  # each edit applied once


def test_a_cancel_settles_the_answered_batches(world: World) -> None:
    client, wire = _offline(world)
    cancel = threading.Event()

    def progress(stage: str, done: int, total: int | None) -> None:
        assert stage == "push" and total == EDITS
        if done >= BATCH:
            cancel.set()

    with pytest.raises(Cancelled):
        client.push(SyncReport(), progress, cancel)
    sent = sum(len(b) for b in wire.sent)
    assert client.store.pending_count() == EDITS - sent  # every batch the server answered is settled
    assert _server_documents(world) == sent < EDITS
    client.push(SyncReport())
    assert client.store.pending_count() == 0 and _server_documents(world) == EDITS
