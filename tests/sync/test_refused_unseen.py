"""A refused edit of a row the user may no longer see drops the local copy (the server never sends that row
again), and the laptop ends with exactly the rows the server lets the user see. Found by the stateful sync
test: a deputy who had been budget staff edited an internal document offline after losing the role."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Document, SyncConflict
from core.sync.client import SyncReport
from tests.sync.harness import World, client_rows


def test_a_refused_edit_of_a_row_out_of_sight_drops_the_local_copy(world: World) -> None:
    with world.factory() as s, s.begin():
        s.add(Document(title="公开预算", classification="public"))
        s.add(Document(title="教育底稿", classification="internal", domain="教科文卫"))
    user = world.add_user("deputy", "budget_staff")
    client = world.client(user)
    client.sync()
    with client.store.session() as s:
        assert s.scalar(select(Document.id).where(Document.title == "教育底稿")) is not None
    world.set_roles(user, "committee_member")  # no committee scope: internal documents out of sight
    client.store.set_permissions(world.principal(user).permissions)
    with client.store.session() as s, s.begin():
        doc = s.scalars(select(Document).where(Document.title == "教育底稿")).one()
        doc.classification = "public"  # offline, before the laptop learns of the new role
    report = SyncReport()
    client.push(report)
    assert report.rejected == 1
    with client.store.session() as s:
        assert s.scalar(select(Document.id).where(Document.title == "教育底稿")) is None
    client.sync(verify=False)
    assert client.store.pending_count() == 0
    assert client_rows(client) == world.server_rows(world.principal(user))
    with world.factory() as s:  # the refused values are kept for the office in the conflict record
        assert s.scalar(select(SyncConflict.kind).where(SyncConflict.user_id == user)) == "rejected"


def test_a_refused_edit_of_a_row_still_in_sight_is_undone_by_the_servers_copy(world: World) -> None:
    with world.factory() as s, s.begin():
        s.add(Document(title="公开预算", classification="public"))
    user = world.add_user("deputy", "deputy")
    client = world.client(user)
    client.sync()
    with client.store.session() as s, s.begin():
        doc = s.scalars(select(Document).where(Document.title == "公开预算")).one()
        doc.title = "代表改的标题"  # a deputy may read but not write documents
    client.sync(verify=False)
    with client.store.session() as s:
        assert s.scalars(select(Document.title)).all() == ["公开预算"]
    assert client_rows(client) == world.server_rows(world.principal(user))
