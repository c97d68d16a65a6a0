"""The conflict inbox's logic without a screen: real conflicts from two stores, both resolutions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apps.common.conflict_state import ConflictInbox, ConflictNotOpen, ConflictUnresolvable
from apps.common.context import Connection, sign_in
from apps.common.demo import DEMO_DOCUMENT_TITLE, DEMO_PASSWORD, DemoServer, make_field_conflicts
from core.models.registry import Document, SyncConflict
from core.sync.client import SyncClient


@pytest.fixture
def two_computers(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[SyncClient, SyncClient]]:
    connections: list[Connection] = [sign_in(demo_server.url, "staff", DEMO_PASSWORD, tmp_path / name)
                                     for name in ("pc-a", "pc-b")]
    yield SyncClient(connections[0].store, connections[0].remote.transport), \
        SyncClient(connections[1].store, connections[1].remote.transport)
    for connection in connections:
        connection.store.engine.dispose()


def test_two_computers_editing_one_field_make_open_conflicts(two_computers: tuple[SyncClient, SyncClient]) -> None:
    first, second = two_computers
    open_before = ConflictInbox(second.store).count_open()
    ids = make_field_conflicts(first, second)
    inbox = ConflictInbox(second.store)
    items = [i for i in inbox.open_items() if i.id in ids]
    assert len(ids) == 2
    assert {i.field for i in items} == {"title", "body"}
    assert inbox.count_open() >= open_before + 2
    title = next(i for i in items if i.field == "title")
    assert title.kind == "field" and title.table_label == "文档" and title.can_use_mine
    assert title.record_label == title.server_value  # the record is named by its current title
    assert "甲修改" in title.server_value and "乙修改" in title.client_value
    assert DEMO_DOCUMENT_TITLE in title.base_value
    assert title.current_value == title.server_value
    assert title.at is not None
    # Conflict records belong to the user, so the other computer lists them after its next sync.
    first.sync()
    assert set(ids) <= {i.id for i in ConflictInbox(first.store).open_items()}


def test_keep_server_resolves_without_touching_the_record(two_computers: tuple[SyncClient, SyncClient]) -> None:
    first, second = two_computers
    ids = make_field_conflicts(first, second)
    inbox = ConflictInbox(second.store)
    item = next(i for i in inbox.open_items() if i.field == "body" and i.id in ids)
    pending = second.store.pending_count()
    inbox.keep_server(item.id)
    assert second.store.pending_count() == pending + 1  # only the conflict record changes
    with second.store.session() as s:
        conflict = s.get(SyncConflict, item.id)
        doc = s.get(Document, item.row_id)
        assert conflict is not None and (conflict.status, conflict.resolution) == ("resolved", "server")
        assert doc is not None and doc.body == item.server_value
    with pytest.raises(ConflictNotOpen):
        inbox.keep_server(item.id)
    second.sync()
    first.sync()
    with first.store.session() as s:
        synced = s.get(SyncConflict, item.id)
        assert synced is not None and synced.status == "resolved"


def test_use_mine_edits_the_record_through_the_outbox(two_computers: tuple[SyncClient, SyncClient]) -> None:
    first, second = two_computers
    ids = make_field_conflicts(first, second)
    inbox = ConflictInbox(second.store)
    item = next(i for i in inbox.open_items() if i.field == "title" and i.id in ids)
    inbox.use_mine(item.id)
    assert second.store.pending_count() == 2  # the record and the conflict
    assert second.sync().applied == 2
    first.sync()
    with first.store.session() as s:
        doc = s.get(Document, item.row_id)
        assert doc is not None and doc.title == item.client_value
    assert {i.field for i in inbox.open_items() if i.id in ids} == {"body"}


def test_rejected_edits_cannot_use_mine(two_computers: tuple[SyncClient, SyncClient]) -> None:
    first, second = two_computers
    ids = make_field_conflicts(first, second)
    with second.store.remote_session() as s, s.begin():  # as if the server had refused the edit
        row = s.get(SyncConflict, ids[0])
        assert row is not None
        row.kind = "rejected"
    inbox = ConflictInbox(second.store)
    item = next(i for i in inbox.open_items() if i.id == ids[0])
    assert not item.can_use_mine
    with pytest.raises(ConflictUnresolvable):
        inbox.use_mine(item.id)


def test_conflict_times_always_say_the_day() -> None:
    from datetime import UTC, datetime, timedelta

    from apps.common.shell import format_moment

    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC).astimezone()
    assert format_moment(now.replace(hour=9, minute=30), now) == "今天 09:30"
    assert format_moment(now - timedelta(days=1), now).startswith("昨天 ")
    assert format_moment(now.replace(month=3, day=2, hour=8, minute=5), now) == "3月2日 08:05"
    assert format_moment(now.replace(year=2025, month=12, day=31, hour=23, minute=59), now) == "2025年12月31日 23:59"
    assert format_moment(None) == ""
