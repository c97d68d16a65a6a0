"""A large push on PostgreSQL is decided and written in parts (the database writes one part while the next is
decided). Written in parts or at once, the same push gives the same answers, rows, conflicts and scope
exits; every change number is taken once, the feed carries each row's own, and the counter stands at the last.
A part the database refuses fails the whole push with the database's own error and changes nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

import core.sync.server as sync_server
from core.ids import uuid7
from core.models import Document
from core.models.registry import SyncConflict
from core.models.syncstate import AppliedMutation, ScopeExit, SyncChange, SyncCounter
from tests.helpers.pg import PostgresCluster
from tests.sync.harness import World

EXISTING = [f"0190a000-0000-7000-8000-{i:012d}" for i in range(6)]
TITLES = st.sampled_from(["预算草案", "审查意见", "调研报告"])
CLASSIFICATIONS = st.sampled_from(["public", "internal"])
DOMAINS = st.sampled_from(["", "教科文卫", "城建环保"])

# One step of a push: a new document, an edit (of a stored or a just-inserted document, from the version the
# server has or an older one), a deletion, or an edit of a document that is nowhere (refused).
_step = st.one_of(
    st.tuples(st.just("insert"), TITLES, CLASSIFICATIONS, DOMAINS),
    st.tuples(st.just("update"), st.integers(0, 40), st.sampled_from(["title", "body", "classification", "domain"]),
              st.text(alphabet="甲乙丙", min_size=1, max_size=3), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 40), st.booleans()),
    st.tuples(st.just("ghost"), TITLES),
)


def _mutations(steps: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    known = list(EXISTING)  # every id the push has named so far: stored first, then its own inserts
    out: list[dict[str, Any]] = []
    for seq, step in enumerate(steps, start=1):
        m: dict[str, Any] = {"mutation_id": uuid7(), "local_seq": seq, "table": "reg_document", "base": {}}
        if step[0] == "insert":
            row_id = uuid7()
            known.append(row_id)
            m.update(row_id=row_id, op="insert", base_version=0,
                     changes={"title": step[1], "classification": step[2], "domain": step[3]})
        elif step[0] == "update":
            _kind, pick, column, value, stale = step
            if column == "classification":
                value = "public" if len(value) % 2 else "internal"
            elif column == "domain":
                value = "教科文卫" if len(value) % 2 else ""
            m.update(row_id=known[pick % len(known)], op="update", base_version=0 if stale else 1,
                     base={column: "旧值"} if stale else {}, changes={column: value})
        elif step[0] == "delete":
            _kind, pick, stale = step
            m.update(row_id=known[pick % len(known)], op="update", base_version=0 if stale else 1,
                     changes={"deleted": True})
        else:
            m.update(row_id=uuid7(), op="update", base_version=1, changes={"title": step[1]})
        out.append(m)
    return out


@pytest.fixture
def worlds(pg_cluster: PostgresCluster) -> Iterator[Any]:
    with ExitStack() as stack:
        def make() -> tuple[World, str]:
            url = stack.enter_context(pg_cluster.database())
            root = Path(tempfile.mkdtemp(prefix="renda-parts-"))
            stack.callback(shutil.rmtree, root, ignore_errors=True)
            world = World(root, url)
            stack.callback(world.close)
            with world.factory() as s, s.begin():
                for i, row_id in enumerate(EXISTING):
                    s.add(Document(id=row_id, title=f"原有文件{i}", classification="public" if i % 2 else "internal",
                                   domain="教科文卫" if i % 3 == 0 else ""))
            return world, world.add_user("staff", "budget_staff")

        yield make


def _state(world: World, staff: str) -> dict[str, Any]:
    """What a push leaves behind, without what differs between two runs of it (generated ids, times, numbers)."""
    with world.factory() as s:
        docs = {r["id"]: {k: v for k, v in r.items() if k not in ("seq", "changed_at")}
                for r in s.execute(select(Document.__table__)).mappings()}
        conflicts = sorted((c.mutation_id, c.row_id, c.field, c.kind, str(c.base_value), str(c.server_value),
                            str(c.client_value), c.reason, c.scope.replace(staff, "staff"))
                           for c in s.scalars(select(SyncConflict)))
        exits = sorted((e.scope, e.table_name, e.row_id) for e in s.scalars(select(ScopeExit)))
        applied = sorted(s.scalars(select(AppliedMutation.mutation_id)))
    return {"docs": docs, "conflicts": conflicts, "exits": exits, "applied": applied}


def _check_numbers(world: World) -> None:
    with world.factory() as s:
        numbers = [*s.scalars(select(Document.seq)), *s.scalars(select(SyncConflict.seq)),
                   *s.scalars(select(ScopeExit.seq))]
        assert len(numbers) == len(set(numbers)), "a change number was given twice"
        assert s.scalar(select(SyncCounter.value)) == max(numbers)
        feed = {r.row_id: (r.seq, r.scope) for r in s.scalars(select(SyncChange).where(
            SyncChange.table_name == Document.__tablename__))}
        assert feed == {d.id: (d.seq, d.scope) for d in s.scalars(select(Document))}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_step, min_size=12, max_size=40))
def test_a_push_written_in_parts_leaves_what_one_write_leaves(worlds: Any, steps: list[tuple[Any, ...]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mutations = _mutations(steps)
    answers, states = [], []
    for part in (10**6, 4):
        monkeypatch.setattr(sync_server, "WRITE_PART", part)
        world, staff = worlds()
        written: list[int] = []
        real = sync_server.SyncService._write_rows

        def counting(self: Any, *args: Any, _real: Any = real, _written: list[int] = written, **kw: Any) -> None:
            _written.append(1)
            _real(self, *args, **kw)

        monkeypatch.setattr(sync_server.SyncService, "_write_rows", counting)
        answers.append(world.service.push(world.principal(staff), "", mutations))
        monkeypatch.setattr(sync_server.SyncService, "_write_rows", real)
        assert len(written) == (1 if part > len(mutations) else -(-len(mutations) // part))
        states.append(_state(world, staff))
        _check_numbers(world)
    assert answers[0] == answers[1]
    assert states[0] == states[1]


def test_a_part_the_database_refuses_fails_the_push_and_changes_nothing(worlds: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_server, "WRITE_PART", 4)
    world, staff = worlds()
    with world.engine.begin() as conn:  # a rule only the database knows, broken by the second part
        conn.execute(text("ALTER TABLE reg_document ADD CONSTRAINT ck_probe_title CHECK (title <> '拒收')"))
    mutations = _mutations([("update", i, "title", "甲", False) for i in range(9)])
    # the only edit of its row, in the first part: written while the next part is decided or made
    mutations[3]["changes"] = {"title": "拒收"}
    before = _state(world, staff)
    with pytest.raises(IntegrityError, match="ck_probe_title"):
        world.service.push(world.principal(staff), "", mutations)
    assert _state(world, staff) == before
    with world.factory() as s:
        assert s.scalar(select(func.count()).select_from(AppliedMutation)) == 0
