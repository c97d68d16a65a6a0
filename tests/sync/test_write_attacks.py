"""Writes and reads that used to get through because writing followed reading: each one, as an outside
tester did it against the demo roles, is refused now (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.budget.work import Comment
from core.ids import uuid7
from core.models.registry import Attachment, Department, Deputy, Document, SyncConflict
from core.sync.blob_service import BlobForbidden
from core.sync.blobs import sha256_hex
from core.sync.client import SyncClient
from core.sync.server import SyncService
from tests.sync.harness import World, client_rows

PDF = b"%PDF-1.7\n" + "内部审查底稿".encode() + b"\n%%EOF"


def _seed(world: World) -> dict[str, str]:
    ids = {name: uuid7() for name in ("dept", "deputy", "public_doc", "committee_doc", "internal_doc")}
    with world.factory() as s, s.begin():
        s.add(Department(id=ids["dept"], code="101", name="市教委"))
        s.add(Deputy(id=ids["deputy"], name="王建国", delegation="黄浦区代表团", phone="13912345678",
                     id_number="310101196505051234"))
        s.add(Document(id=ids["public_doc"], title="2025年市级预算草案", classification="public", body="正文"))
        s.add(Document(id=ids["committee_doc"], title="教育经费专题审查底稿", classification="internal",
                       domain="教科文卫"))
        s.add(Document(id=ids["internal_doc"], title="预工委初审意见", classification="internal"))
    return ids


def _push(world: World, user_id: str, table: str, row_id: str, changes: dict[str, Any], op: str = "update",
          base_version: int = 1) -> dict[str, Any]:
    mutation = {"mutation_id": uuid7(), "table": table, "row_id": row_id, "op": op,
                "base_version": base_version if op == "update" else 0, "base": {}, "changes": changes}
    return world.service.push(world.principal(user_id), "", [mutation])[0]


def _refused(result: dict[str, Any]) -> bool:
    return result["status"] == "rejected"


def _get(world: World, model: Any, row_id: str) -> Any:
    with world.factory() as s:
        return s.get(model, row_id)


# ----------------------------------------------------------------------------------------- item 1: writes
def test_attack_a_deputy_renames_a_department(world: World) -> None:
    ids = _seed(world)
    deputy = world.add_user("deputy", "deputy")
    assert _refused(_push(world, deputy, "reg_department", ids["dept"], {"name": "改名的部门"}))
    assert _get(world, Department, ids["dept"]).name == "市教委"


def test_attack_a_deputy_edits_a_deputy_registry_row(world: World) -> None:
    ids = _seed(world)
    deputy = world.add_user("deputy", "deputy")
    assert _refused(_push(world, deputy, "reg_deputy", ids["deputy"], {"delegation": "浦东新区代表团"}))
    assert _get(world, Deputy, ids["deputy"]).delegation == "黄浦区代表团"


def test_attack_a_deputy_deletes_a_public_document(world: World) -> None:
    ids = _seed(world)
    deputy = world.add_user("deputy", "deputy")
    assert _refused(_push(world, deputy, "reg_document", ids["public_doc"], {"deleted": True}))
    assert not _get(world, Document, ids["public_doc"]).deleted


def test_attack_a_deputy_inserts_a_public_document_that_everyone_would_receive(world: World) -> None:
    _seed(world)
    deputy = world.add_user("deputy", "deputy")
    row_id = uuid7()
    result = _push(world, deputy, "reg_document", row_id, {"title": "伪造的公开通知", "classification": "public"},
                   op="insert")
    assert _refused(result) and "无权新建" in result["message"]
    assert _get(world, Document, row_id) is None
    expert = world.client(world.add_user("expert", "expert"))
    expert.sync()
    assert row_id not in client_rows(expert)["reg_document"]


def test_attack_the_chair_renames_a_deputy(world: World) -> None:
    ids = _seed(world)
    chair = world.add_user("chair", "chair")
    assert _refused(_push(world, chair, "reg_deputy", ids["deputy"], {"name": "李四"}))
    assert _get(world, Deputy, ids["deputy"]).name == "王建国"


def test_attack_an_expert_rewrites_a_public_documents_body(world: World) -> None:
    ids = _seed(world)
    expert = world.add_user("expert", "expert")
    assert _refused(_push(world, expert, "reg_document", ids["public_doc"], {"body": "篡改后的正文"}))
    assert _get(world, Document, ids["public_doc"]).body == "正文"


def test_attack_a_committee_member_reclassifies_a_committee_document_as_public(world: World) -> None:
    ids = _seed(world)
    member = world.add_user("member", "committee_member", scopes=("committee:教科文卫",))
    assert _refused(_push(world, member, "reg_document", ids["committee_doc"], {"classification": "public"}))
    assert _get(world, Document, ids["committee_doc"]).scope == "committee:教科文卫"
    deputy = world.client(world.add_user("deputy", "deputy"))
    deputy.sync()
    assert ids["committee_doc"] not in client_rows(deputy)["reg_document"]


def test_staff_may_not_file_a_comment_in_a_deputys_name_nor_rewrite_it(world: World) -> None:
    deputy = world.add_user("deputy", "deputy")
    staff = world.add_user("staff", "budget_staff")
    comment_id = uuid7()
    fields = {"author_id": deputy, "target_kind": "project", "target_code": "P1", "body": "冒名建言"}
    assert _refused(_push(world, staff, "bgt_comment", comment_id, fields, op="insert"))
    assert _push(world, deputy, "bgt_comment", comment_id, dict(fields, body="建议细化绩效目标"),
                 op="insert")["status"] == "applied"
    assert _refused(_push(world, staff, "bgt_comment", comment_id, {"body": "改写的建言"}))
    assert _push(world, staff, "bgt_comment", comment_id, {"answer": "已转财政局研究", "status": "已答复"}
                 )["status"] == "applied"
    with world.factory() as s:
        row = s.get_one(Comment, comment_id)
        assert (row.body, row.answer) == ("建议细化绩效目标", "已转财政局研究")


def test_conflict_records_are_written_only_by_the_server_and_resolved_only_by_their_owner(world: World) -> None:
    staff = world.add_user("staff", "budget_staff")
    admin = world.add_user("admin", "admin")
    fake = {"table_name": "reg_document", "row_id": uuid7(), "kind": "field", "user_id": staff,
            "mutation_id": uuid7(), "client_value": "伪造"}
    assert _refused(_push(world, staff, "sync_conflict", uuid7(), fake, op="insert"))
    ids = _seed(world)
    # A real refusal gives staff a conflict record; only they may mark it resolved, and only that.
    assert _refused(_push(world, staff, "reg_document", ids["public_doc"], {"amount_fen": "x"}))
    with world.factory() as s:
        conflict = s.scalars(select(SyncConflict).where(SyncConflict.user_id == staff,
                                                        SyncConflict.row_id == ids["public_doc"])).one()
        conflict_id = conflict.id
    assert _refused(_push(world, admin, "sync_conflict", conflict_id, {"status": "resolved"}))
    assert _refused(_push(world, staff, "sync_conflict", conflict_id, {"reason": "改写原因"}))
    assert _refused(_push(world, staff, "sync_conflict", conflict_id, {"deleted": True}))
    assert _push(world, staff, "sync_conflict", conflict_id, {"status": "resolved", "resolution": "server"}
                 )["status"] == "applied"


# ----------------------------------------------------------------------------------------- item 2: attachments
def _internal_pdf(world: World, ids: dict[str, str]) -> str:
    """Staff attach an internal PDF to the internal document; returns its hash."""
    staff = world.add_user("staff_att", "budget_staff")
    sha = sha256_hex(PDF)
    world.blobs.accept_upload(world.principal(staff), sha, PDF, "初审意见.pdf")
    result = _push(world, staff, "reg_attachment", uuid7(), {
        "sha256": sha, "size": len(PDF), "mime": "application/pdf", "filename": "初审意见.pdf",
        "owner_table": "reg_document", "owner_id": ids["internal_doc"], "owner_scope": "public"}, op="insert")
    assert result["status"] == "applied"
    return sha


def test_attack_a_deputy_attaches_an_internal_pdf_as_public_and_downloads_it(world: World) -> None:
    ids = _seed(world)
    sha = _internal_pdf(world, ids)
    deputy = world.add_user("deputy", "deputy")
    expert = world.add_user("expert", "expert")
    attack = {"sha256": sha, "size": len(PDF), "mime": "application/pdf", "filename": "x.pdf",
              "owner_table": "reg_document", "owner_id": ids["public_doc"], "owner_scope": "public"}
    # onto a public document they may not change
    assert _refused(_push(world, deputy, "reg_attachment", uuid7(), attack, op="insert"))
    # onto their own comment, which they may change: the file is known to be somewhere they cannot see
    comment_id = uuid7()
    assert _push(world, deputy, "bgt_comment", comment_id, {"author_id": deputy, "target_kind": "project",
                                                            "target_code": "P1", "body": "附件见后"},
                 op="insert")["status"] == "applied"
    result = _push(world, deputy, "reg_attachment", uuid7(),
                   dict(attack, owner_table="bgt_comment", owner_id=comment_id), op="insert")
    assert _refused(result) and "无权查看" in result["message"]
    for user in (deputy, expert):
        with pytest.raises(BlobForbidden):
            world.blobs.serve(world.principal(user), sha)


def test_an_attachment_takes_its_owners_scope_whatever_the_client_says(world: World) -> None:
    ids = _seed(world)
    sha = _internal_pdf(world, ids)  # pushed with owner_scope "public"
    with world.factory() as s:
        att = s.scalars(select(Attachment).where(Attachment.sha256 == sha)).one()
        assert (att.owner_scope, att.scope) == ("budget.internal", "budget.internal")
    staff = world.add_user("staff2", "budget_staff")
    assert _refused(_push(world, staff, "reg_attachment", att.id, {"owner_scope": "public"}))


def test_an_attachment_follows_its_owner_when_the_owner_moves(world: World) -> None:
    ids = _seed(world)
    sha = _internal_pdf(world, ids)
    deputy = world.add_user("deputy", "deputy")
    with pytest.raises(BlobForbidden):
        world.blobs.serve(world.principal(deputy), sha)
    staff = world.add_user("publisher", "budget_staff")
    assert _push(world, staff, "reg_document", ids["internal_doc"], {"classification": "public"}
                 )["status"] == "applied"
    with world.factory() as s:
        att = s.scalars(select(Attachment).where(Attachment.sha256 == sha)).one()
        assert (att.owner_scope, att.scope) == ("public", "public")
    assert world.blobs.serve(world.principal(deputy), sha) == PDF
    client = world.client(deputy)
    client.sync()
    assert client.open_attachment(sha) == PDF


def test_a_blob_is_served_only_to_readers_of_a_row_that_references_it(world: World) -> None:
    deputy = world.add_user("deputy", "deputy")
    other = world.add_user("deputy2", "deputy")
    staff = world.add_user("staff", "budget_staff")
    admin = world.add_user("admin", "admin")
    client = world.client(deputy)
    with client.store.session() as s, s.begin():
        comment = Comment(author_id=deputy, target_kind="project", target_code="P1", body="现场照片见附件")
        s.add(comment)
        s.flush()
        sha = client.store.attach(s, comment, PDF, "现场.pdf").sha256
    assert client.sync().rejected == 0
    assert world.blobs.serve(world.principal(deputy), sha) == PDF
    assert world.blobs.serve(world.principal(staff), sha) == PDF  # staff read every comment
    for user in (other, admin):
        with pytest.raises(BlobForbidden):
            world.blobs.serve(world.principal(user), sha)
    # and a second deputy cannot attach the same file to their own comment to reach it
    second: SyncClient = world.client(other)
    with second.store.session() as s, s.begin():
        mine = Comment(author_id=other, target_kind="project", target_code="P1", body="同一文件")
        s.add(mine)
        s.flush()
        second.store.attach(s, mine, PDF, "同一文件.pdf")
    assert second.sync().rejected == 1
    with pytest.raises(BlobForbidden):
        world.blobs.serve(world.principal(other), sha)


# ----------------------------------------------------------------------------------------- item 3: conflicts
class _Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, dict[str, Any]]] = []

    def __call__(self, session: Any, principal: Any, action: str, target: str, detail: dict[str, Any]) -> None:
        self.entries.append((principal.username, action, target, detail))


def _phone_conflict(world: World) -> tuple[str, str]:
    """Two staff edit the same deputy's phone from stale copies; the second gets a conflict record."""
    ids = _seed(world)
    first_id, second_id = world.add_user("staff1", "budget_staff"), world.add_user("staff2", "budget_staff")
    first, second = world.client(first_id), world.client(second_id)
    first.sync()
    second.sync()
    for client, phone in ((first, "13800000001"), (second, "13800000002")):
        with client.store.session() as s, s.begin():
            s.get_one(Deputy, ids["deputy"]).phone = phone
    assert first.sync().applied == 1
    assert second.sync().conflicts == 1
    return ids["deputy"], second_id


def _pulled_conflicts(service: SyncService, world: World, user_id: str) -> list[dict[str, Any]]:
    page = service.pull(world.principal(user_id), None, 5000)
    block = page["tables"].get("sync_conflict")
    if not block:
        return []
    return [dict(zip(block["columns"], row, strict=True)) for row in block["rows"]]


def test_conflict_values_of_a_masked_column_are_masked_and_clear_reads_audited(world: World) -> None:
    deputy_id, owner = _phone_conflict(world)
    audit = _Recorder()
    service = SyncService(world.factory, audit=audit)
    # an administrator without the registry scope does not receive the conflict at all
    admin = world.add_user("admin", "admin")
    assert [c for c in _pulled_conflicts(service, world, admin) if c["row_id"] == deputy_id] == []
    # one who may see the row but not phone numbers receives it masked, and no sensitive read is logged
    viewer = world.add_user("admin2", "admin", scopes=("registry",))
    shown = [c for c in _pulled_conflicts(service, world, viewer) if c["row_id"] == deputy_id]
    assert len(shown) == 1
    assert (shown[0]["base_value"], shown[0]["server_value"], shown[0]["client_value"]) == (
        "139****5678", "138****0001", "138****0002")
    assert not [e for e in audit.entries if e[1] == "read.sensitive"]
    # the owner, who may see phone numbers, receives it in clear, and that read is audited
    mine = [c for c in _pulled_conflicts(service, world, owner) if c["row_id"] == deputy_id]
    assert mine[0]["client_value"] == "13800000002" and mine[0]["server_value"] == "13800000001"
    reads = [e for e in audit.entries if e[1] == "read.sensitive" and e[3].get("in") == "sync_conflict"]
    assert reads == [("staff2", "read.sensitive", "reg_deputy", {"fields": ["phone"], "via": "sync.pull",
                                                                 "in": "sync_conflict"})]


def test_a_refused_edit_of_a_masked_column_is_masked_in_its_conflict_record(world: World) -> None:
    ids = _seed(world)
    chair = world.add_user("chair", "chair")
    assert _refused(_push(world, chair, "reg_deputy", ids["deputy"], {"name": "李四", "phone": "13700000000"}))
    viewer = world.add_user("admin2", "admin", scopes=("registry",))
    for user in (viewer, chair):
        shown = [c for c in _pulled_conflicts(world.service, world, user) if c["row_id"] == ids["deputy"]]
        assert shown and shown[0]["client_value"] == {"name": "李四", "phone": "137****0000"}


def test_an_administrator_converges_without_repairs_although_some_conflicts_are_hidden(world: World) -> None:
    deputy_id, _owner = _phone_conflict(world)
    admin = world.client(world.add_user("admin", "admin"))
    report = admin.sync(verify=True)
    assert report.repaired_scopes == []
    assert [c for c in client_rows(admin)["sync_conflict"].values() if c["row_id"] == deputy_id] == []
    assert admin.sync(verify=True).repaired_scopes == []


def test_staff_delete_a_document_with_its_attachment_and_a_repeated_insert_asks_for_nothing(world: World) -> None:
    ids = _seed(world)
    staff = world.add_user("staff", "budget_staff")
    sha = sha256_hex(PDF)
    world.blobs.accept_upload(world.principal(staff), sha, PDF, "初审意见.pdf")
    att_id = uuid7()
    fields = {"sha256": sha, "size": len(PDF), "mime": "application/pdf", "filename": "初审意见.pdf",
              "owner_table": "reg_document", "owner_id": ids["internal_doc"], "owner_scope": "budget.internal"}
    assert _push(world, staff, "reg_attachment", att_id, fields, op="insert")["status"] == "applied"
    assert _push(world, staff, "reg_attachment", att_id, fields, op="insert")["status"] != "rejected"
    results = world.service.push(world.principal(staff), "", [
        {"mutation_id": uuid7(), "table": "reg_document", "row_id": ids["internal_doc"], "op": "update",
         "base_version": 1, "base": {"deleted": False}, "changes": {"deleted": True}},
        {"mutation_id": uuid7(), "table": "reg_attachment", "row_id": att_id, "op": "update",
         "base_version": 1, "base": {"deleted": False}, "changes": {"deleted": True}}])
    assert [r["status"] for r in results] == ["applied", "applied"]
