"""The sync engine end to end, in process: push, merge, pull, scopes, masking, tombstones, repair."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from core.ids import uuid7
from core.models import Deputy, Document, SyncConflict
from core.models.syncstate import OutboxEntry, SyncCounter
from core.sync.client import SyncClient, SyncReport
from core.sync.protocol import ProtocolError
from core.sync.transport import Cancelled
from tests.sync.harness import World, client_rows


def _edit(client: SyncClient, fn: Any) -> None:
    with client.store.session() as s, s.begin():
        fn(s)


def _doc(s: Any, title: str) -> Document:
    return s.scalars(select(Document).where(Document.title == title)).one()


def _seed(world: World) -> None:
    with world.factory() as s, s.begin():
        s.add(Document(title="2024年市级预算草案", classification="public", year=2024, amount_fen=987_480_000_000_00))
        s.add(Document(title="预工委初审意见（内部）", classification="internal", year=2024))
        s.add(Document(title="教育经费专题审查底稿", classification="internal", domain="教科文卫", year=2024))
        s.add(Document(title="交通项目审查底稿", classification="internal", domain="城建环保", year=2024))
        s.add(Deputy(name="王建国", delegation="黄浦区代表团", phone="13912345678", id_number="310101196505051234"))


def test_offline_edits_reach_every_client_and_server(world: World) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    a, b = world.client(staff), world.client(staff)
    a.sync(), b.sync()
    _edit(a, lambda s: s.add(Document(title="新建审查材料", classification="internal", year=2025)))
    _edit(a, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "已审阅"))
    report = a.sync()
    assert report.pushed == 2 and report.applied == 2
    b.sync()
    server = world.server_rows(world.principal(staff))
    assert client_rows(a) == server == client_rows(b)
    assert a.store.pending_count() == 0


def test_push_replay_changes_nothing(world: World) -> None:
    staff = world.add_user("staff", "budget_staff")
    a = world.client(staff)
    _edit(a, lambda s: s.add(Document(title="甲", classification="public")))
    with a.store.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        message = {"mutation_id": entry.mutation_id, "table": entry.table_name, "row_id": entry.row_id,
                   "op": entry.op, "base_version": 0, "base": {}, "changes": entry.changes, "local_seq": 1}
    first = a.transport.push("dev", [message])
    snapshot = world.server_rows(live_only=False)
    with world.factory() as s:
        head = s.get(SyncCounter, 1).value  # type: ignore[union-attr]
    again = a.transport.push("dev", [message, message])
    assert [r["status"] for r in again] == ["applied", "applied"] and all(r["replayed"] for r in again)
    assert again[0]["version"] == first[0]["version"]
    assert world.server_rows(live_only=False) == snapshot
    with world.factory() as s:
        assert s.get(SyncCounter, 1).value == head  # type: ignore[union-attr]


def test_pull_page_replay_changes_nothing(world: World) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    a = world.client(staff, page_limit=2)
    page = a.transport.pull({}, 2)
    a.apply_page(page)
    a.sync()
    before, cursor = client_rows(a, live_only=False), a.store.cursor()
    a.apply_page(page)
    assert client_rows(a, live_only=False) == before
    assert a.store.cursor() == cursor


def test_a_late_page_does_not_apply_a_scope_exit_again_after_the_row_came_back(world: World) -> None:
    """A row left the public scope and came back before the deputy's first pull: the exit and the row's return
    arrive in different pages. The exit's page answered again late (nothing changed on the server since, so
    its head is current) must not delete the row the cursor has already passed. Found by the stateful test."""
    staff, deputy = world.add_user("staff", "budget_staff"), world.add_user("deputy", "deputy")
    a = world.client(staff)
    _edit(a, lambda s: s.add(Document(title="公开预算", classification="public")))
    a.sync(verify=False)
    for classification in ("internal", "public"):
        _edit(a, lambda s, c=classification: setattr(_doc(s, "公开预算"), "classification", c))
        a.sync(verify=False)
    b = world.client(deputy, page_limit=1)
    pages = []
    cursor: dict[str, Any] = {}
    while True:
        page = b.transport.pull(cursor, 1)
        b.apply_page(page)
        pages.append(page)
        cursor = b.store.cursor()
        if not page["more"]:
            break
    exits = [p for p in pages if p["exits"]]
    assert exits and not exits[0]["tables"]  # the exit and the row's return in different pages
    assert client_rows(b) == world.server_rows(world.principal(deputy))
    b.apply_page(exits[0])  # the same answer delivered again, late
    assert b.store.cursor() == cursor
    b.sync(verify=False)
    assert client_rows(b) == world.server_rows(world.principal(deputy))


def test_a_row_moved_between_two_scopes_of_one_pattern_stays_on_the_client(world: World) -> None:
    """A document moved from one committee to another stays within ``committee:*``: a user who pulls that
    pattern a row a page must keep it (the move's exit, numbered after the row, came in a later page and used
    to delete the copy just received)."""
    a_id, b_id = world.add_user("staff1", "budget_staff"), world.add_user("staff2", "budget_staff")
    member_id = world.add_user("member", "committee_member", scopes=("committee:教科文卫",))
    a, b, member = world.client(a_id), world.client(b_id, page_limit=1), world.client(member_id, page_limit=1)
    _edit(a, lambda s: s.add(Document(title="教育底稿", classification="internal", domain="教科文卫")))
    a.sync(verify=False)
    b.sync(verify=False)
    member.sync(verify=False)
    assert any(r["title"] == "教育底稿" for r in client_rows(b)["reg_document"].values())
    assert any(r["title"] == "教育底稿" for r in client_rows(member)["reg_document"].values())
    _edit(a, lambda s: setattr(_doc(s, "教育底稿"), "domain", "城建环保"))
    a.sync(verify=False)
    b.sync(verify=False)
    moved = [r for r in client_rows(b)["reg_document"].values() if r["title"] == "教育底稿"]
    assert [r["scope"] for r in moved] == ["committee:城建环保"]
    assert client_rows(b) == world.server_rows(world.principal(b_id))
    member.sync(verify=False)  # who sees only the committee it left still gets the exit
    assert not any(r["title"] == "教育底稿" for r in client_rows(member)["reg_document"].values())
    assert client_rows(member) == world.server_rows(world.principal(member_id))


def test_field_level_merge_and_true_conflict(world: World) -> None:
    _seed(world)
    u1, u2 = world.add_user("s1", "budget_staff"), world.add_user("s2", "budget_staff")
    a, b = world.client(u1), world.client(u2)
    a.sync(), b.sync()
    _edit(a, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "A 的意见"))
    _edit(b, lambda s: setattr(_doc(s, "2024年市级预算草案"), "doc_no", "沪人大〔2024〕1号"))
    assert a.sync().applied == 1
    rb = b.sync()
    assert rb.merged == 1 and rb.conflicts == 0
    a.sync()
    for c in (a, b):
        with c.store.session() as s:
            doc = _doc(s, "2024年市级预算草案")
            assert (doc.body, doc.doc_no, doc.version) == ("A 的意见", "沪人大〔2024〕1号", 3)
    # both change the same field: the server keeps the first, the second is kept in a conflict record
    _edit(a, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "A 再改"))
    _edit(b, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "B 也改"))
    a.sync()
    rb = b.sync()
    assert rb.conflicts == 1
    with b.store.session() as s:
        assert _doc(s, "2024年市级预算草案").body == "A 再改"
        conflict = s.scalars(select(SyncConflict)).one()
        assert (conflict.field, conflict.base_value, conflict.server_value, conflict.client_value) == (
            "body", "A 的意见", "A 再改", "B 也改")
        assert conflict.status == "open"
    with a.store.session() as s:  # a conflict record belongs to the user whose edit lost
        assert s.scalars(select(SyncConflict)).all() == []


def test_delete_against_edit_is_a_conflict_not_a_loss(world: World) -> None:
    _seed(world)
    u1, u2 = world.add_user("s1", "budget_staff"), world.add_user("s2", "budget_staff")
    a, b = world.client(u1), world.client(u2)
    a.sync(), b.sync()
    _edit(a, lambda s: setattr(_doc(s, "预工委初审意见（内部）"), "body", "补充了意见"))
    _edit(b, lambda s: setattr(_doc(s, "预工委初审意见（内部）"), "deleted", True))
    a.sync()
    assert b.sync().conflicts == 1
    with b.store.session() as s:
        doc = _doc(s, "预工委初审意见（内部）")
        assert not doc.deleted and doc.body == "补充了意见"
        assert s.scalars(select(SyncConflict.kind)).one() == "delete"
    # and an edit arriving after a delete is kept in a conflict record too
    _edit(a, lambda s: setattr(_doc(s, "2024年市级预算草案"), "deleted", True))
    _edit(b, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "迟到的修改"))
    a.sync()
    assert b.sync().conflicts == 1
    with b.store.session() as s:
        assert _doc(s, "2024年市级预算草案").deleted
        kinds = sorted(s.scalars(select(SyncConflict.kind)))
        assert kinds == ["delete", "update_deleted"]


def test_role_scopes_and_masked_columns(world: World) -> None:
    _seed(world)
    deputy = world.add_user("dep", "deputy")
    member = world.add_user("mem", "committee_member", scopes=("committee:教科文卫",))
    staff = world.add_user("staff", "budget_staff")
    d, m, s_ = world.client(deputy), world.client(member), world.client(staff)
    for c in (d, m, s_):
        c.sync()
    titles = {c: {r["title"] for r in client_rows(c)["reg_document"].values()} for c in (d, m, s_)}
    assert titles[d] == {"2024年市级预算草案"}
    assert titles[m] == {"2024年市级预算草案", "教育经费专题审查底稿"}
    assert len(titles[s_]) == 4
    (dep_row,) = client_rows(d)["reg_deputy"].values()
    assert dep_row["phone"] == "139****5678" and dep_row["id_number"] == "3101**********1234"
    (mem_row,) = client_rows(m)["reg_deputy"].values()
    assert mem_row["phone"] == "13912345678" and mem_row["id_number"] == "3101**********1234"
    (staff_row,) = client_rows(s_)["reg_deputy"].values()
    assert staff_row["id_number"] == "310101196505051234"
    for c in (d, m, s_):
        assert client_rows(c) == world.server_rows(c.transport.principal)  # type: ignore[attr-defined]


def test_masked_field_cannot_be_written(world: World) -> None:
    _seed(world)
    deputy = world.add_user("dep", "deputy")
    d = world.client(deputy)
    d.sync()
    with pytest.raises(PermissionError), d.store.session() as s, s.begin():
        s.scalars(select(Deputy)).one().phone = "13000000000"
    row_id = next(iter(client_rows(d)["reg_deputy"]))
    forged = {"mutation_id": uuid7(), "table": "reg_deputy", "row_id": row_id, "op": "update",
              "base_version": 1, "base": {"phone": "139****5678"}, "changes": {"phone": "13000000000"}}
    (result,) = d.transport.push("dev", [forged])
    assert result["status"] == "rejected" and "受保护" in result["message"]
    with world.factory() as s:
        assert s.scalars(select(Deputy.phone)).one() == "13912345678"


def test_revoke_removes_rows_and_grant_backfills(world: World) -> None:
    _seed(world)
    user = world.add_user("u", "budget_staff")
    c = world.client(user)
    c.sync()
    assert len(client_rows(c)["reg_document"]) == 4
    world.set_roles(user, "deputy")
    c.sync()
    rows = client_rows(c, live_only=False)
    assert {r["title"] for r in rows["reg_document"].values()} == {"2024年市级预算草案"}
    assert next(iter(rows["reg_deputy"].values()))["phone"] == "139****5678"
    assert client_rows(c) == world.server_rows(world.principal(user))
    world.set_roles(user, "budget_staff")
    c.sync()
    assert len(client_rows(c)["reg_document"]) == 4
    assert next(iter(client_rows(c)["reg_deputy"].values()))["phone"] == "13912345678"
    assert client_rows(c) == world.server_rows(world.principal(user))


def test_a_record_created_under_a_role_lost_before_it_was_pulled_leaves_the_computer(world: World) -> None:
    # Found by the stateful test: a budget clerk writes an internal document, the push is answered, and the role
    # changes before any pull brings the row back. The server never sends it again (no pattern covers it, and no
    # purge or scope exit names a row the client never pulled), so the copy stayed on the computer for good.
    user = world.add_user("u", "budget_staff")
    c = world.client(user)
    _edit(c, lambda s: s.add(Document(title="预工委内部底稿（本机新建）", classification="internal")))
    _edit(c, lambda s: s.add(Document(title="公开的预算说明（本机新建）", classification="public")))
    report = SyncReport()
    c.push(report)
    assert report.pushed == 2 and report.rejected == 0
    world.set_roles(user, "deputy")
    c.sync()
    titles = {r["title"] for r in client_rows(c, live_only=False)["reg_document"].values()}
    assert titles == {"公开的预算说明（本机新建）"}
    assert client_rows(c) == world.server_rows(world.principal(user))
    world.set_roles(user, "budget_staff")
    c.sync()
    assert {r["title"] for r in client_rows(c)["reg_document"].values()} == {
        "预工委内部底稿（本机新建）", "公开的预算说明（本机新建）"}
    assert client_rows(c) == world.server_rows(world.principal(user))


def test_a_page_answering_another_cursor_than_the_one_held_is_dropped(world: World) -> None:
    # Found by the stateful test: a page asked for under the budget clerk's role, delivered after the user's
    # role changed and a sync ran, brought back documents the user may no longer see (the change counter had
    # not moved, so the page did not look stale), and no later page purged them.
    _seed(world)
    user = world.add_user("u", "budget_staff")
    c = world.client(user)
    asked = c.store.cursor()
    old_page = c.transport.pull(asked, 5000)
    world.set_roles(user, "deputy")
    c.sync()
    assert c.apply_page(old_page, asked=asked) == 0
    assert {r["title"] for r in client_rows(c)["reg_document"].values()} == {"2024年市级预算草案"}
    assert client_rows(c) == world.server_rows(world.principal(user))


def test_a_created_record_with_an_edit_still_waiting_stays_until_the_edit_is_answered(world: World) -> None:
    user = world.add_user("u", "budget_staff")
    c = world.client(user)
    _edit(c, lambda s: s.add(Document(title="内部底稿", classification="internal")))
    c.push(SyncReport())
    _edit(c, lambda s: setattr(_doc(s, "内部底稿"), "body", "补充的正文"))
    world.set_roles(user, "deputy")
    c.pull(SyncReport())
    assert c.store.pending_count() == 1
    assert {r["body"] for r in client_rows(c)["reg_document"].values()} == {"补充的正文"}  # kept while it waits
    report = c.sync()  # the edit is refused (the row is out of sight now), and the copy goes with it
    assert report.rejected == 1
    assert client_rows(c)["reg_document"] == {}
    assert client_rows(c) == world.server_rows(world.principal(user))


def test_row_moving_between_scopes(world: World) -> None:
    _seed(world)
    staff, deputy = world.add_user("s", "budget_staff"), world.add_user("d", "deputy")
    s_, d = world.client(staff), world.client(deputy)
    s_.sync(), d.sync()
    _edit(s_, lambda s: setattr(_doc(s, "预工委初审意见（内部）"), "classification", "public"))
    s_.sync(), d.sync()
    assert "预工委初审意见（内部）" in {r["title"] for r in client_rows(d)["reg_document"].values()}
    _edit(s_, lambda s: setattr(_doc(s, "预工委初审意见（内部）"), "classification", "internal"))
    s_.sync(), d.sync()
    assert "预工委初审意见（内部）" not in {r["title"] for r in client_rows(d, live_only=False)["reg_document"].values()}
    assert client_rows(d) == world.server_rows(world.principal(deputy))


def test_insert_outside_own_scope_is_rejected_and_recorded(world: World) -> None:
    deputy = world.add_user("d", "deputy")
    d = world.client(deputy)
    _edit(d, lambda s: s.add(Document(title="代表想写的内部材料", classification="internal")))
    report = d.sync()
    assert report.rejected == 1 and "无权" in report.messages[0]
    rows = client_rows(d, live_only=False)
    assert rows["reg_document"] == {}
    (conflict,) = rows["sync_conflict"].values()
    assert conflict["kind"] == "rejected" and conflict["client_value"]["title"] == "代表想写的内部材料"


def test_compaction_forces_full_resync(world: World) -> None:
    _seed(world)
    staff = world.add_user("s", "budget_staff")
    a, b = world.client(staff), world.client(staff)
    a.sync(), b.sync()
    _edit(a, lambda s: setattr(_doc(s, "交通项目审查底稿"), "deleted", True))
    _edit(a, lambda s: s.add(Document(title="新文件", classification="public")))
    a.sync()
    result = world.service.compact()
    assert result["tombstones_removed"] == 1
    _edit(b, lambda s: setattr(_doc(s, "2024年市级预算草案"), "body", "离线修改"))
    report = b.sync()
    assert report.full_resync and report.applied == 1
    assert client_rows(b) == world.server_rows(world.principal(staff))
    assert "交通项目审查底稿" not in {r["title"] for r in client_rows(b, live_only=False)["reg_document"].values()}


def test_checksum_detects_divergence_and_repairs(world: World) -> None:
    _seed(world)
    staff = world.add_user("s", "budget_staff")
    c = world.client(staff)
    c.sync()
    with c.store.remote_session() as s, s.begin():  # damage the local copy behind the engine's back
        s.execute(delete(Document.__table__).where(Document.__table__.c.title == "2024年市级预算草案"))
        s.execute(update(Document.__table__).values(version=99).where(Document.__table__.c.title == "交通项目审查底稿"))
    report = SyncReport()
    repaired = c.verify_and_repair(report)
    assert set(repaired) == {"public", "committee:*"}
    assert client_rows(c) == world.server_rows(world.principal(staff))
    assert c.verify_and_repair(SyncReport()) == []


def test_cancel_mid_pull_then_resume(world: World) -> None:
    with world.factory() as s, s.begin():
        for i in range(50):
            s.add(Document(title=f"文件{i}", classification="public"))
    staff = world.add_user("s", "budget_staff")
    c = world.client(staff, page_limit=7)
    cancel = threading.Event()
    seen: list[tuple[str, int, int | None]] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        seen.append((stage, done, total))
        if done >= 14:
            cancel.set()

    with pytest.raises(Cancelled):
        c.sync(progress=progress, cancel=cancel)
    assert 14 <= len(client_rows(c)["reg_document"]) < 50
    report = c.sync()
    assert len(client_rows(c)["reg_document"]) == 50
    assert report.pulled_rows == 50 - 14
    assert seen[0] == ("pull", 7, None)


def test_attachment_added_offline_reaches_other_client(world: World) -> None:
    _seed(world)
    staff = world.add_user("s", "budget_staff")
    a, b = world.client(staff), world.client(staff)
    a.sync(), b.sync()
    scan = b"%PDF-1.4\n" + bytes(range(256)) * 40
    with a.store.session() as s, s.begin():
        att = a.store.attach(s, _doc(s, "预工委初审意见（内部）"), scan, "初审意见扫描件.pdf")
        sha = att.sha256
    a.sync(), b.sync()
    assert not b.store.blobs.has(sha)
    assert b.open_attachment(sha) == scan  # fetched lazily, hash checked
    assert b.store.blobs.has(sha)
    deputy = world.add_user("d", "deputy")
    with pytest.raises(PermissionError):
        world.client(deputy).open_attachment(sha)


def test_oversize_and_disallowed_attachments_refused(world: World) -> None:
    from core.sync.blobs import AttachmentRefused

    _seed(world)
    staff = world.add_user("s", "budget_staff")
    a = world.client(staff)
    a.sync()
    with a.store.session() as s:
        doc = _doc(s, "2024年市级预算草案")
        with pytest.raises(AttachmentRefused, match="超过上限"):
            a.store.attach(s, doc, b"%PDF-" + b"0" * (26 * 1024 * 1024), "大文件.pdf")
        with pytest.raises(AttachmentRefused, match="不支持的文件类型"):
            a.store.attach(s, doc, b"MZ\x90\x00 windows executable", "setup.exe")
    data = b"MZ\x90\x00"
    import hashlib

    with pytest.raises(AttachmentRefused):
        world.blobs.accept_upload(world.principal(staff), hashlib.sha256(data).hexdigest(), data, "x.pdf")
    with pytest.raises(AttachmentRefused, match="损坏"):
        world.blobs.accept_upload(world.principal(staff), "0" * 64, b"%PDF-1.4 ok", "x.pdf")


@pytest.mark.parametrize("bad", [
    "not a dict", {"mutation_id": "x"}, {"mutation_id": uuid7(), "row_id": uuid7(), "op": "drop", "table": "t",
                                         "changes": {"a": 1}},
])
def test_malformed_mutations_raise_protocol_error(sqlite_world: World, bad: Any) -> None:
    staff = sqlite_world.add_user("s", "budget_staff")
    with pytest.raises(ProtocolError):
        sqlite_world.service.push(sqlite_world.principal(staff), "dev", [bad])


def test_wrong_types_are_rejected_with_a_reason(sqlite_world: World) -> None:
    staff = sqlite_world.add_user("s", "budget_staff")
    p = sqlite_world.principal(staff)
    cases = [
        ({"title": 5}, "应为文本"), ({"year": "2024"}, "应为整数"), ({"nope": 1}, "没有可修改的字段"),
        ({"title": "x" * 500}, "超过"), ({"deleted": "yes"}, "是/否"),
    ]
    for changes, text in cases:
        m = {"mutation_id": uuid7(), "table": "reg_document", "row_id": uuid7(), "op": "insert",
             "base_version": 0, "base": {}, "changes": changes}
        (result,) = sqlite_world.service.push(p, "dev", [m])
        assert result["status"] == "rejected" and text in result["message"], (changes, result)
    assert sqlite_world.server_rows()["reg_document"] == {}


def test_mask_change_after_compaction_leaves_no_deleted_rows_behind(world: World) -> None:
    """Found by the state machine: a restart from 0 for a mask change resends live rows but not the
    compacted tombstones, so a client holding rows from before compaction must re-sync in full."""
    _seed(world)
    user, other = world.add_user("u", "budget_staff"), world.add_user("o", "budget_staff")
    c, o = world.client(user), world.client(other)
    c.sync(), o.sync()
    _edit(o, lambda s: setattr(_doc(s, "2024年市级预算草案"), "deleted", True))
    o.sync()
    world.service.compact()
    world.set_roles(user, "deputy")  # loses pii.contact: the mask fingerprint changes
    report = c.sync(verify=False)
    assert report.full_resync
    assert client_rows(c) == world.server_rows(world.principal(user))
    assert client_rows(c)["reg_document"] == {}
