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
from sqlalchemy import select

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
