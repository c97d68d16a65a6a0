"""A refused edit of a row the user may no longer see drops the local copy (the new role's pulls never send
that row), and the laptop ends with exactly the rows the server lets the user see. Found by the stateful sync
test: a deputy who had been budget staff edited an internal document offline after losing the role.

If the role comes back before the laptop pulled as the new role, or a lost answer carrying ``drop`` is given
again from the log after it came back, the dropped row must come back with the next pull (also found by the
stateful sync test: a deputy made budget staff and back, with lost requests and answers)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.models import Document, SyncConflict
from core.sync.client import SyncClient, SyncReport
from core.sync.transport import NetworkError
from tests.sync.harness import UserTransport, World, client_rows


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


class _LostAnswers(UserTransport):
    """Delivers a push to the server and loses the answer, as many times as asked."""

    def __init__(self, world: World, user_id: str) -> None:
        super().__init__(world, user_id)
        self.lose = 0

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results = super().push(device_id, mutations)
        if self.lose:
            self.lose -= 1
            raise NetworkError("网络中断（服务器已处理，答复丢失）")
        return results


def _staff_with_an_offline_edit_then_deputy(world: World) -> tuple[str, SyncClient]:
    """Budget staff pull an internal document, edit it offline, and are made a deputy (out of its sight)."""
    with world.factory() as s, s.begin():
        s.add(Document(title="公开预算", classification="public"))
        s.add(Document(title="内部底稿", classification="internal"))
    user = world.add_user("deputy", "budget_staff")
    client = world.client(user)
    client.sync(verify=False)
    with client.store.session() as s, s.begin():
        doc = s.scalars(select(Document).where(Document.title == "内部底稿")).one()
        doc.title = "离线修改"
    world.set_roles(user, "deputy")
    client.store.set_permissions(world.principal(user).permissions)
    return user, client


def _role_back_and_converge(world: World, user: str, client: SyncClient) -> None:
    world.set_roles(user, "budget_staff")  # back before the laptop pulled as a deputy: its cursor is unchanged
    client.store.set_permissions(world.principal(user).permissions)
    for _ in range(2):
        client.sync(verify=False)
    assert client.store.pending_count() == 0
    assert client_rows(client) == world.server_rows(world.principal(user))
    with client.store.session() as s:
        assert s.scalar(select(Document.title).where(Document.classification == "internal")) == "内部底稿"


def test_a_dropped_row_comes_back_when_the_role_returns_before_the_next_pull(world: World) -> None:
    user, client = _staff_with_an_offline_edit_then_deputy(world)
    report = SyncReport()
    client.push(report)  # the pull after it never happens (the network fails)
    assert report.rejected == 1
    with client.store.session() as s:
        assert s.scalar(select(Document.id).where(Document.classification == "internal")) is None
    _role_back_and_converge(world, user, client)


def test_a_drop_answered_again_from_the_log_after_the_role_returned(world: World) -> None:
    user, client = _staff_with_an_offline_edit_then_deputy(world)
    transport = _LostAnswers(world, user)
    client.transport = transport
    transport.lose = 1
    with pytest.raises(NetworkError):
        client.sync(verify=False)  # refused with drop; the answer is lost, the edit stays in the outbox
    assert client.store.pending_count() == 1
    _role_back_and_converge(world, user, client)  # the re-push is answered from the log, drop and all
