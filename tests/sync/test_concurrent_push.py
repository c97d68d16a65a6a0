"""Two laptops push edits of the same row at the same moment (PostgreSQL, where pushes of different devices run
side by side). The later push must judge its edit against the row as the earlier one left it: the same field
edited from the same base on both is a conflict, recorded for the user whose edit lost, never a silent
overwrite that both laptops are told was applied.

The push of the first laptop is held after it read the row and before it decides, while the second laptop's
push runs to its commit: the first then holds a stale copy of the row."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.ids import uuid7
from core.models import Document, SyncConflict
from core.sync.client import SyncReport
from core.sync.server import SyncService
from tests.sync.harness import World

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_world(tmp_path: Path, pg_url: str) -> Iterator[World]:
    w = World(tmp_path, pg_url)
    yield w
    w.close()


def test_a_push_that_read_a_row_before_another_push_changed_it_judges_the_new_row(
        pg_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world = pg_world
    with world.factory() as s, s.begin():
        s.add(Document(title="预算执行情况", classification="public", body="原稿"))
    first_user, second_user = world.add_user("staff1", "budget_staff"), world.add_user("staff2", "budget_staff")
    first, second = world.client(first_user), world.client(second_user)
    for laptop, text in ((first, "甲的修改"), (second, "乙的修改")):
        laptop.sync()
        with laptop.store.session() as s, s.begin():
            s.scalars(select(Document)).one().body = text  # both offline, from the same base

    read, go = threading.Event(), threading.Event()
    original = SyncService._preload

    def held_after_reading(self: SyncService, session: Any, batch: Any, mutations: Any) -> None:
        original(self, session, batch, mutations)
        if batch.actor == "staff1" and not read.is_set():
            read.set()
            assert go.wait(30), "the second push never finished"

    monkeypatch.setattr(SyncService, "_preload", held_after_reading)
    first_report, failures = SyncReport(), []

    def push_first() -> None:
        try:
            first.push(first_report)
        except Exception as exc:  # raised again in the test's thread below
            failures.append(exc)

    pusher = threading.Thread(target=push_first, name="first-laptop")
    pusher.start()
    assert read.wait(30), "the first push never read the row"
    second_report = SyncReport()
    second.push(second_report)  # runs to its commit while the first holds its copy of the row
    go.set()
    pusher.join(30)
    assert not pusher.is_alive() and not failures, failures

    assert second_report.conflicts == 0
    assert first_report.conflicts == 1  # judged against the second laptop's edit, not the row it read first
    with world.factory() as s:
        doc = s.scalars(select(Document)).one()
        assert (doc.body, doc.version) == ("乙的修改", 2)
        conflict = s.scalars(select(SyncConflict)).one()
        assert conflict.user_id == first_user


@pytest.mark.parametrize("ahead", ["insert", "update"])
def test_a_batch_read_while_the_one_ahead_is_written_judges_the_rows_that_one_leaves(
        pg_world: World, monkeypatch: pytest.MonkeyPatch, ahead: str) -> None:
    """One laptop's second batch reads (and, where it can, decides) its rows while its first batch, ahead of it
    on the wire, is still being written: a row the first batch inserts is missing then, a row it edits is stale.
    The second batch must still be judged against the row as the first one leaves it: the new row is found and
    edited, and the edit of the changed row is merged onto that change, not written over it."""
    world = pg_world
    principal = world.principal(world.add_user("staff", "budget_staff"))
    row_id = uuid7()

    def mutation(op: str, base_version: int, changes: dict[str, Any], base: dict[str, Any] | None = None,
                 ) -> dict[str, Any]:
        return {"mutation_id": uuid7(), "table": "reg_document", "row_id": row_id, "op": op,
                "base_version": base_version, "base": base or {}, "changes": changes}

    if ahead == "insert":
        first = mutation("insert", 0, {"title": "原稿", "classification": "public", "body": "第一批"})
    else:
        world.service.push(principal, "", [mutation("insert", 0, {"title": "原稿", "classification": "public"})])
        first = mutation("update", 1, {"body": "第一批"})
    second = mutation("update", 1, {"title": "第二批"}, {"title": "原稿"})

    steps: list[str] = []
    written, waiting, go = threading.Event(), threading.Event(), threading.Event()
    write, take_turn, preload = SyncService._write, SyncService._take_turn, SyncService._preload

    def held_before_commit(self: SyncService, session: Any, batch: Any) -> None:
        write(self, session, batch)
        if not written.is_set():  # the first batch: written, not yet committed
            written.set()
            assert go.wait(30), "the second batch never came to wait for its turn"

    def turn(session: Any, device_id: str, after: str | None) -> None:
        steps.append("turn")
        if written.is_set():
            waiting.set()
        take_turn(session, device_id, after)

    def read(self: SyncService, session: Any, batch: Any, mutations: Any) -> None:
        steps.append("read")
        preload(self, session, batch, mutations)

    monkeypatch.setattr(SyncService, "_write", held_before_commit)
    monkeypatch.setattr(SyncService, "_take_turn", staticmethod(turn))
    monkeypatch.setattr(SyncService, "_preload", read)
    answers: dict[str, list[dict[str, Any]]] = {}
    failures: list[BaseException] = []

    def push(name: str, batch: list[dict[str, Any]], after: str | None) -> None:
        try:
            answers[name] = world.service.push(principal, "laptop-1", batch, after=after)
        except BaseException as exc:  # raised again in the test's thread below
            failures.append(exc)

    ahead_push = threading.Thread(target=push, args=("first", [first], None))
    ahead_push.start()
    assert written.wait(30), "the first batch was never written"
    behind = threading.Thread(target=push, args=("second", [second], first["mutation_id"]))
    behind.start()
    assert waiting.wait(30), "the second batch never came to its turn"
    go.set()
    for thread in (ahead_push, behind):
        thread.join(30)
        assert not thread.is_alive()
    assert not failures, failures
    assert steps[2:4] == ["read", "turn"]  # the second batch read its row while the first was being written
    assert answers["first"][0]["status"] == "applied"
    assert answers["second"][0]["status"] == ("applied" if ahead == "insert" else "merged")
    with world.factory() as s:
        doc = s.get(Document, row_id)
        assert doc is not None
        assert (doc.title, doc.body) == ("第二批", "第一批")
        assert doc.version == (2 if ahead == "insert" else 3)
        assert s.scalar(select(func.count()).select_from(SyncConflict)) == 0
