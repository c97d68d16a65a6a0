"""A principal holding a wildcard and a concrete scope inside it (an administrator: ``user:*`` and their own
``user:<id>``) pulls each row once, and a page that names a row twice is written once: an administrator with
conflict records of their own had the same record twice in one page, and the laptop's insert failed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.auth.principals import Principal
from core.models import SyncConflict
from core.sync.scopes import pattern_matches, pull_patterns
from tests.sync.harness import World

SCOPES = st.sampled_from(["public", "user:*", "user:self", "user:u1", "committee:*", "committee:教科文卫",
                          "review:self", "budget.internal"])


def test_an_administrators_own_scope_is_carried_by_the_wildcard() -> None:
    admin = Principal(user_id="u1", username="admin", scope_patterns=frozenset({"user:*", "user:self", "public"}))
    assert pull_patterns(admin) == ["public", "user:*"]


@given(st.frozensets(SCOPES, max_size=6))
def test_every_scope_is_pulled_through_exactly_one_pattern(held: frozenset[str]) -> None:
    principal = Principal(user_id="u1", username="x", scope_patterns=held)
    patterns = pull_patterns(principal)
    concrete = {p.replace(":self", ":u1") for p in held if not p.endswith(":*")}
    for scope in concrete:  # every scope the principal holds is still pulled, by one pattern only
        assert sum(pattern_matches(p, scope) for p in patterns) == 1


def test_a_row_named_twice_in_one_page_is_written_once(world: World) -> None:
    user = world.add_user("admin", "admin")
    client = world.client(user)
    client.sync()
    conflict = {"id": "01a2474d-a702-7000-a89f-42e84767f207", "table_name": "reg_document", "row_id": "r1",
                "field": "title", "kind": "conflict", "base_value": "甲", "server_value": "乙", "client_value": "丙",
                "reason": "", "user_id": user, "mutation_id": "m1", "status": "open", "resolution": "",
                "version": 1, "changed_by": "admin", "changed_at": "2026-12-05T10:00:00+00:00", "deleted": False,
                "seq": 7, "scope": f"user:{user}"}
    spec = client.registry.get("sync_conflict")
    row = [conflict[c] for c in spec.columns]
    newer = [2 if c == "version" else ("丁" if c == "client_value" else v) for c, v in zip(spec.columns, row,
                                                                                         strict=True)]
    page = {"head": 7, "cursor": {"v": 1, "mask": "", "scopes": {"user:*": 7}, "compacted": 0},
            "tables": {"sync_conflict": {"columns": list(spec.columns), "rows": [row, newer]}}, "more": False}
    assert client.apply_page(page) == 1
    with client.store.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict)) == 1
        assert s.scalar(select(SyncConflict.version)) == 2
