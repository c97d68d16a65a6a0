"""Messages queued on an offline client travel by the real sync path, are sent, and their status comes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from core.auth.roles import ROLES_BY_NAME
from core.models.registry import SyncConflict
from core.notifications import message_id, queue_sms
from core.notifications.kannel import KannelGateway
from core.notifications.models import DELIVERY_FIELDS, QUEUED, REQUEST_FIELDS, SENT, NtfMessage
from core.petition.models import PetPetitioner
from core.sync.client import SyncClient
from core.sync.permissions import write_refusal
from tests.helpers.kannel import Kannel
from tests.helpers.waits import wait_for
from tests.notifications.helpers import ACCEPTED, Outbox
from tests.sync.harness import World


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}")
    yield w
    w.close()


def _queue(client: SyncClient, person_id: str, dedup: str) -> str:
    with client.store.session() as s, s.begin():
        return queue_sms(s, template_key=ACCEPTED.key, params={"name": "李四", "code": "X2026-0002"},
                         recipient=("pet_petitioner", person_id, "phone"), scope="petition", dedup_key=dedup).id


def _local(client: SyncClient, mid: str) -> NtfMessage | None:
    with client.store.session() as s:
        msg = s.get(NtfMessage, mid)
        if msg is not None:
            s.expunge(msg)
        return msg


def test_an_offline_clerk_queues_a_message_with_the_change_and_it_is_sent(world: World, kannel: Kannel) -> None:
    clerk = world.client(world.add_user("clerk", "petition_clerk"))
    with clerk.store.session() as s, s.begin():  # one local transaction: the petitioner and the message
        person = PetPetitioner(name="李四", phone="13912345678")
        s.add(person)
        s.flush()
        mid = queue_sms(s, template_key=ACCEPTED.key, params={"name": "李四", "code": "X2026-0002"},
                        recipient=("pet_petitioner", person.id, "phone"), scope="petition",
                        dedup_key="petition.accepted:X2026-0002").id
    assert mid == message_id("petition.accepted:X2026-0002")
    report = clerk.sync()
    assert not report.rejected, report.summary()
    outbox = Outbox(world.engine, world.factory)
    assert outbox.message(mid).status == QUEUED
    outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()
    wait_for(lambda: len(kannel.received()) >= 1, what="the message")
    [got] = kannel.received()
    assert (got.to, got.text) == ("13912345678", "李四您好：您的信访件X2026-0002已受理，请留意后续答复。")
    clerk.sync()
    local = _local(clerk, mid)
    assert local is not None and local.status == SENT and local.parts == 1


def test_the_same_event_queued_on_two_devices_is_sent_once(world: World, kannel: Kannel) -> None:
    user = world.add_user("clerk", "petition_clerk")
    laptop, desktop = world.client(user), world.client(user)
    with laptop.store.session() as s, s.begin():
        person = PetPetitioner(name="李四", phone="13912345678")
        s.add(person)
        s.flush()
        person_id = person.id
    laptop.sync()
    desktop.sync()
    first = _queue(laptop, person_id, "petition.accepted:X2026-0003")
    second = _queue(desktop, person_id, "petition.accepted:X2026-0003")
    assert first == second
    laptop.sync()
    report = desktop.sync()  # its own copy differs only by when it was queued: refused with a clear reason
    assert report.rejected == 1
    with world.factory() as s:
        assert [c.reason for c in s.scalars(select(SyncConflict))] == [
            "同一事件的短信已经排队（可能来自另一台设备），不会重复发送；已发出的短信不能修改或撤回"]
    with world.factory() as s:
        assert len(s.scalars(select(NtfMessage)).all()) == 1
    outbox = Outbox(world.engine, world.factory)
    outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()
    wait_for(lambda: len(kannel.received()) >= 1, what="the message")
    assert len(kannel.received()) == 1
    desktop.sync()
    local = _local(desktop, first)
    assert local is not None and local.status == SENT


def test_a_clerk_cannot_change_delivery_fields_and_others_cannot_queue(world: World) -> None:
    clerk = world.client(world.add_user("clerk", "petition_clerk"))
    with clerk.store.session() as s, s.begin():
        person = PetPetitioner(name="李四", phone="13912345678")
        s.add(person)
        s.flush()
        person_id = person.id
    mid = _queue(clerk, person_id, "petition.accepted:X2026-0004")
    clerk.sync()
    with clerk.store.session() as s, s.begin():
        msg = s.get(NtfMessage, mid)
        assert msg is not None
        msg.status = SENT
    report = clerk.sync()
    assert report.rejected == 1
    with world.factory() as s:
        server = s.get(NtfMessage, mid)
        assert server is not None and server.status == QUEUED
    assert _local(clerk, mid).status == QUEUED  # type: ignore[union-attr]  # the refused edit is undone

    assert "notify.send" not in ROLES_BY_NAME["petition_head"].permissions
    head = world.client(world.add_user("head", "petition_head"))
    head.sync()
    other = _queue(head, person_id, "petition.accepted:X2026-0005")
    assert head.sync().rejected == 1
    with world.factory() as s:
        assert s.get(NtfMessage, other) is None


@pytest.mark.parametrize(("role", "op", "changes", "allowed"), [
    ("petition_clerk", "insert", {"template_key": "x"}, True),
    ("cadre_clerk", "insert", {"template_key": "x"}, False),  # cannot write the petition scope
    ("petition_head", "insert", {"template_key": "x"}, False),
    ("petition_clerk", "update", {"status": "delivered"}, False),
    ("petition_clerk", "update", {"params": {"code": "1"}}, False),
    ("petition_clerk", "delete", {"deleted": True}, False),
    ("admin", "insert", {"template_key": "x"}, False),
])
def test_the_write_rule(role: str, op: str, changes: dict[str, object], allowed: bool) -> None:
    from core.auth.roles import Principal

    spec = ROLES_BY_NAME[role]
    principal = Principal(user_id="u1", username=role, roles=frozenset({role}),
                          permissions=frozenset(spec.permissions), scope_patterns=frozenset(spec.scopes))
    reason = write_refusal("ntf_message", "短信", principal, op, None if op == "insert" else "petition",
                           "petition", changes)
    assert (reason is None) == allowed, reason


FIELDS = sorted(REQUEST_FIELDS | DELIVERY_FIELDS)


@given(st.sets(st.sampled_from(FIELDS), min_size=1), st.sampled_from(["petition_clerk", "cadre_clerk", "admin"]))
def test_no_client_update_of_any_field_is_allowed(fields: set[str], role: str) -> None:
    from core.auth.roles import Principal

    spec = ROLES_BY_NAME[role]
    principal = Principal(user_id="u1", username=role, roles=frozenset({role}),
                          permissions=frozenset(spec.permissions),
                          scope_patterns=frozenset(spec.scopes) | {"petition", "cadre"})
    changes = dict.fromkeys(fields, "changed")
    assert write_refusal("ntf_message", "短信", principal, "update", "petition", "petition", changes) is not None
    current = dict.fromkeys(FIELDS, "before")
    assert NtfMessage.sync_refusal(principal.can, "update", changes, current) is not None
    # an insert may not set delivery fields to anything but their defaults
    delivery = fields & DELIVERY_FIELDS
    if delivery:
        assert NtfMessage.sync_refusal(principal.can, "insert", dict.fromkeys(delivery, "x"),
                                       dict.fromkeys(FIELDS)) is not None
