"""Saved queries: save, rename, delete and run by name; written through the session so they sync, and only to
their owner."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.budget.demo import generate
from core.budget.query import Filters, QuerySpec, SpecError, run_query
from core.budget.query.saved import delete_query, list_saved, load_query, rename_query, save_query
from core.budget.work import SavedQuery
from core.models.registry import user_scope
from tests.sync.harness import World, client_rows

SPEC = QuerySpec(2024, path="department", selected=("D010",), filters=Filters(payee="华申", month_from=1, month_to=6))


def test_save_rename_delete_and_run(engine: Engine, factory: sessionmaker[Session]) -> None:
    generate(engine, 2024, 1_500, projects=100, departments=30)
    saved = save_query(factory, "u1", "  教委上半年 华申 ", SPEC)
    assert saved.name == "教委上半年 华申"
    with pytest.raises(SpecError, match="已有名为"):
        save_query(factory, "u1", "教委上半年 华申", SPEC)
    save_query(factory, "u2", "教委上半年 华申", SPEC)  # another user's names are their own
    assert [q.name for q in list_saved(factory, "u1")] == ["教委上半年 华申"]
    assert load_query(factory, "u1", saved.id) == SPEC
    result = run_query(engine, load_query(factory, "u1", saved.id))
    assert result.spec.filters.payee == "华申"
    rename_query(factory, "u1", saved.id, "上半年")
    assert [q.name for q in list_saved(factory, "u1")] == ["上半年"]
    with pytest.raises(SpecError):
        rename_query(factory, "u1", saved.id, " ")
    with pytest.raises(SpecError, match="找不到"):
        delete_query(factory, "u2", saved.id)  # not the owner
    delete_query(factory, "u1", saved.id)
    assert list_saved(factory, "u1") == []
    with factory() as s:
        row = s.get(SavedQuery, saved.id)
        assert row is not None and row.deleted and row.scope == user_scope("u1")


def test_saved_queries_sync_to_their_owner_only(world: World) -> None:
    alice = world.add_user("alice", "budget_staff")
    bob = world.add_user("bob", "budget_staff")
    laptop = world.client(alice)
    save_query(laptop.store.session, alice, "按部门", QuerySpec(2024, path="department"))
    laptop.sync()
    assert [r["name"] for r in world.server_rows()["bgt_saved_query"].values()] == ["按部门"]
    second = world.client(alice)
    second.sync()
    assert [q.name for q in list_saved(second.store.session, alice)] == ["按部门"]
    other = world.client(bob)
    other.sync()
    assert client_rows(other)["bgt_saved_query"] == {}
