"""Scope checksums: the column-at-a-time digest sum and the driver-level read give the same checksums as the
row-by-row definition (:func:`core.sync.scopes.row_digest` over the rows :func:`scope_clause` selects), on SQLite
and PostgreSQL; and a client's verification asks the server while it counts its own rows."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from core.models.registry import Document
from core.sync.client import SyncReport
from core.sync.scopes import CHECKSUM_MODULUS, digest_total, live_versions, row_digest, scope_clause
from tests.sync.harness import World

TEXT = st.characters(exclude_categories=["Cs"])  # any character UTF-8 can encode
TABLE_NAMES = st.text(TEXT, min_size=1, max_size=30)
ROWS = st.lists(st.tuples(st.text(TEXT, max_size=40),
                          st.integers(min_value=0, max_value=2**63 - 1)), max_size=60)


@given(TABLE_NAMES, ROWS)
def test_a_column_of_digests_adds_up_as_the_rows_do(table: str, rows: list[tuple[str, int]]) -> None:
    expected = sum(row_digest(table, row_id, version) for row_id, version in rows) % CHECKSUM_MODULUS
    assert digest_total(table, rows) % CHECKSUM_MODULUS == expected


# Scopes on both sides of a wildcard's bounds: "committee:" itself, "committee;" (the first scope past it), a scope
# that only starts like the prefix, and scopes in other alphabets.
SCOPES = st.sampled_from(["public", "committee:", "committee:教科文卫", "committee:城建环保", "committee;",
                          "committeex", "committee", "user:u1", "user:", "user;", "budget.internal", "预算"])
PATTERNS = ["public", "committee:*", "committee:教科文卫", "user:*", "user:u1", "budget.internal", "预算", "无此范围"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(SCOPES, st.booleans(), st.integers(min_value=1, max_value=2**31 - 1)), max_size=30))
def test_the_live_rows_of_a_pattern_are_read_as_the_scope_clause_selects_them(
        world: World, rows: list[tuple[str, bool, int]]) -> None:
    table: Any = Document.__table__
    with world.factory() as session, session.begin():
        if rows:
            session.execute(insert(table), [
                {"id": str(uuid.uuid4()), "title": f"文件{i}", "classification": "public", "scope": scope,
                 "deleted": deleted, "version": version, "seq": i + 1}
                for i, (scope, deleted, version) in enumerate(rows)])
        for pattern in PATTERNS:
            expected = sorted((row_id, version) for row_id, version in session.execute(
                select(table.c.id, table.c.version).where(scope_clause(table, pattern), table.c.deleted.is_(False))))
            assert sorted(live_versions(session.connection(), table, pattern)) == expected
        session.rollback()


def _count(world: World, staff: str) -> dict[str, dict[str, int]]:
    return world.service.checksums(world.principal(staff))


def test_a_client_counts_as_the_server_does_and_asks_it_while_counting(world: World) -> None:
    with world.factory() as s, s.begin():
        for i in range(40):
            s.add(Document(title=f"文件{i}", classification="public" if i % 3 else "internal", domain="教科文卫"))
    staff = world.add_user("s", "budget_staff")
    client = world.client(staff)
    client.sync(verify=False)
    server = _count(world, staff)
    assert client.local_checksums(list(server)) == server
    assert server["public"]["count"] > 0

    # the server's count waits until the client has begun its own: asked one after the other, it would wait in vain
    counting = threading.Event()
    overlapped: list[bool] = []
    counted = client.local_checksums
    ask = client.transport.checksums

    def local_checksums(patterns: list[str]) -> dict[str, dict[str, int]]:
        counting.set()
        return counted(patterns)

    def checksums() -> dict[str, dict[str, int]]:
        overlapped.append(counting.wait(timeout=20))
        return ask()

    client.local_checksums = local_checksums  # type: ignore[method-assign]
    client.transport.checksums = checksums  # type: ignore[method-assign]
    assert client.verify_and_repair(SyncReport()) == []
    assert overlapped == [True]
