"""Concurrent writers on PostgreSQL hold their transactions open for random times while a client pulls
small pages: the rows pulled must equal the rows committed, none skipped by a late commit."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from core.models import Document
from tests.sync.harness import World

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_world(tmp_path: Any, pg_url: str) -> Any:
    w = World(tmp_path, pg_url)
    yield w
    w.close()


def test_pulled_rows_equal_committed_rows_under_concurrent_writers(pg_world: World) -> None:
    world = pg_world
    staff = world.add_user("staff", "budget_staff")
    principal = world.principal(staff)
    writers, per_writer = 6, 20
    rng = random.Random(20261128)
    delays = [[rng.uniform(0, 0.05) for _ in range(per_writer)] for _ in range(writers)]
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(w: int) -> None:
        try:
            for k in range(per_writer):
                with world.factory() as s, s.begin():
                    s.info["actor"] = f"writer{w}"
                    s.add(Document(title=f"w{w}-{k}", classification="public"))
                    if k % 3 == 0:
                        old = s.scalars(select(Document).where(Document.title == f"w{w}-{k - 3}")).first()
                        if old is not None:
                            old.body = f"updated by {w}"
                    s.flush()
                    time.sleep(delays[w][k])  # the transaction stays open, uncommitted, for a random time
        except BaseException as exc:
            errors.append(exc)

    pulled: dict[str, int] = {}
    cursor: dict[str, Any] = {}

    def pull_once() -> bool:
        nonlocal cursor
        page = world.service.pull(principal, cursor, 3)
        block = page["tables"].get("reg_document")
        if block:
            idx_id, idx_ver = block["columns"].index("id"), block["columns"].index("version")
            for row in block["rows"]:
                pulled[row[idx_id]] = max(pulled.get(row[idx_id], 0), row[idx_ver])
        cursor = page["cursor"]
        return bool(page["more"])

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    waiter = threading.Thread(target=lambda: ([t.join() for t in threads], done.set()))
    waiter.start()
    pulls = 0
    while not done.is_set():
        pull_once()
        pulls += 1
    while pull_once():
        pass
    waiter.join()
    assert not errors
    with world.factory() as s:
        committed = {d.id: d.version for d in s.scalars(select(Document))}
    assert len(committed) == writers * per_writer
    assert pulled == committed
    assert pulls >= 3  # the pulls really interleaved with the writers
