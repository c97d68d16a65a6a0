"""The pipelined pull: the next page is asked for while the current one is written, with the cursor that
write will leave; its answer is used only when the cursor after the write is that one, else it is dropped
and the page asked again. One request in flight; the local copy is the same as a pull page by page."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from core.models import Document
from core.sync.client import SyncReport
from core.sync.transport import NetworkError
from tests.sync.harness import World, client_rows

ROWS = 23
PAGE = 5


class PullWire:
    """The real in-process transport, recording each pull's cursor and failing the ``fail_at``-th one."""

    def __init__(self, inner: Any, fail_at: int | None = None) -> None:
        self.inner = inner
        self.fail_at = fail_at
        self.asked: list[dict[str, Any]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.asked.append(dict(cursor))
            if self.fail_at is not None and len(self.asked) == self.fail_at:
                raise NetworkError("连接中断")
            return self.inner.pull(cursor, limit)  # type: ignore[no-any-return]
        finally:
            with self.lock:
                self.in_flight -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _server_documents(world: World, count: int) -> None:
    with world.factory() as s, s.begin():
        s.info["actor"] = "seed"
        for i in range(count):
            s.add(Document(title=f"审查材料 {i}", classification="public", year=2025))


def test_pages_are_asked_ahead_once_each_and_applied_in_order(world: World) -> None:
    _server_documents(world, ROWS)
    user = world.add_user("staff", "budget_staff")
    client = world.client(user, page_limit=PAGE)
    wire = PullWire(client.transport)
    client.transport = wire
    report = SyncReport()
    client.pull(report)
    assert report.pulled_rows >= ROWS and report.pages == len(wire.asked)  # no page asked twice
    assert wire.most_in_flight == 1
    assert len({repr(sorted(c.items())) for c in wire.asked}) == len(wire.asked)
    reference = world.client(user, page_limit=1000)  # the same data pulled in one page
    reference.pull(SyncReport())
    assert client_rows(client) == client_rows(reference)


def test_a_page_asked_with_a_cursor_the_write_did_not_leave_is_asked_again(world: World,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _server_documents(world, ROWS)
    client = world.client(world.add_user("staff", "budget_staff"), page_limit=PAGE)
    wire = PullWire(client.transport)
    client.transport = wire
    import core.sync.client as sync_client

    real = sync_client._merge_cursor
    calls = {"n": 0}

    def off_by_one(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
        merged = real(current, incoming)
        calls["n"] += 1
        if calls["n"] == 1:  # the prediction of the first page's cursor is wrong (the write's is right)
            merged = dict(merged, scopes={k: int(v) - 1 for k, v in merged["scopes"].items()})
        return merged

    monkeypatch.setattr(sync_client, "_merge_cursor", off_by_one)
    report = SyncReport()
    client.pull(report)
    assert len(wire.asked) == report.pages + 1  # the wrong guess was dropped and the page asked again
    assert report.pulled_rows >= ROWS
    with client.store.session() as s:
        assert s.query(Document).count() == ROWS


def test_a_failed_page_ahead_stops_the_pull_after_the_current_page_is_kept(world: World) -> None:
    _server_documents(world, ROWS)
    client = world.client(world.add_user("staff", "budget_staff"), page_limit=PAGE)
    wire = PullWire(client.transport, fail_at=3)
    client.transport = wire
    report = SyncReport()
    with pytest.raises(NetworkError):
        client.pull(report)
    assert report.pages == 2  # pages 1 and 2 written, page 3's request failed
    kept = client.store.cursor()
    client.transport = wire.inner
    client.pull(SyncReport())  # resumes from the kept cursor
    assert client.store.cursor() != kept
    with client.store.session() as s:
        assert s.query(Document).count() == ROWS
