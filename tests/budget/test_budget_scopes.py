"""Role scopes and server-side write checks of budget review, through the real sync engine, on SQLite and
PostgreSQL: what each role's laptop holds after a sync, and which pushed edits the server refuses.

- a deputy holds public data and their own comments with the staff's answers, and nothing internal: no
  ``budget.internal`` row, no committee-domain execution detail, no warning, no review task, no other
  deputy's comment;
- a special committee member with ``committee:教科文卫`` holds only that domain's indicators, payments,
  warnings and review items;
- an expert holds only their own review tasks;
- the server refuses (a ``rejected`` conflict record, data unchanged) a deputy's edit to a payment, a
  warning, a review task or another deputy's comment, and an expert's edit to another expert's task.

- the server also applies the field rules of :mod:`core.budget.platform.fields`: a deputy cannot answer their
  own comment, an expert cannot accept their own opinion, rewrite the brief or assign themselves a task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from core.auth.roles import ROLES_BY_NAME
from core.budget.models import BudgetBook, ImportLog, Indicator, Payment, Project
from core.budget.platform import comments, tasks
from core.budget.work import (
    BudgetWarning,
    Comment,
    DocumentLink,
    Expert,
    ReviewItem,
    ReviewPlan,
    ReviewTask,
)
from core.ids import uuid7
from core.models.registry import Department, Document, SyncConflict
from core.sync.client import SyncClient
from tests.sync.harness import World, client_rows

YEAR = 2024


@dataclass
class Who:
    """A signed-in user as the platform services see them."""

    user_id: str
    user_name: str
    role: str
    permissions: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.permissions = frozenset(ROLES_BY_NAME[self.role].permissions)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass
class Cast:
    staff: Who
    deputy: Who
    other_deputy: Who
    member: Who
    expert: Who
    other_expert: Who
    ids: dict[str, str]


def _cast(world: World) -> Cast:
    staff = Who(world.add_user("staff", "budget_staff"), "预工委小李", "budget_staff")
    deputy = Who(world.add_user("deputy", "deputy"), "王建国", "deputy")
    other = Who(world.add_user("deputy2", "deputy"), "刘芳", "deputy")
    member = Who(world.add_user("member", "committee_member", scopes=("committee:教科文卫",)), "委员", "committee_member")
    expert = Who(world.add_user("expert", "expert"), "赵文华", "expert")
    other_expert = Who(world.add_user("expert2", "expert"), "钱立新", "expert")
    ids: dict[str, str] = {}

    def keep(name: str, row: Any) -> Any:
        row.id = row.id or uuid7()
        ids[name] = row.id
        return row

    with world.factory() as s, s.begin():
        s.add_all([Department(code="D010", name="市教育委员会", domain="教科文卫"),
                   Department(code="D020", name="市交通委员会", domain="城建环保"),
                   Department(code="D031", name="市人大常委会办公厅", domain="")])
        s.add(keep("book", BudgetBook(year=YEAR, book="general", name="一般公共预算", budget_fen=10**12)))
        s.add(keep("project", Project(year=YEAR, code="P1", name="义务教育", department_code="D010", budget_fen=10**9)))
        for code, domain in (("D010", "教科文卫"), ("D020", "城建环保"), ("D031", "")):
            s.add(keep(f"indicator-{code}", Indicator(year=YEAR, indicator_no=f"I-{code}", department_code=code,
                                                      amount_fen=10**8, domain=domain)))
            s.add(keep(f"payment-{code}", Payment(year=YEAR, payment_no=f"Z-{code}", paid_on=date(YEAR, 3, 1),
                                                  month=3, payee="某公司", amount_fen=12_345, department_code=code,
                                                  domain=domain)))
            s.add(keep(f"warning-{code}", BudgetWarning(warning_key=f"w|{code}", rule="large_single_payment",
                                                        level="red", year=YEAR, department_code=code,
                                                        subject=code, domain=domain)))
            s.add(keep(f"item-{code}", ReviewItem(plan_no="SC-1", target_kind="department", target_code=code,
                                                  department_code=code, risk_score=30, domain=domain,
                                                  committee=domain)))
        s.add(keep("plan", ReviewPlan(plan_no="SC-1", year=YEAR, title="审查计划")))
        s.add(keep("import", ImportLog(year=YEAR, kind="payments", filename="支付.csv")))
        s.add(keep("expert-row", Expert(name="赵文华", fields="教育、财政", phone="13912345678",
                                        user_id=expert.user_id)))
        s.add(keep("task", ReviewTask(task_no="RW-1", plan_no="SC-1", target_name="市教育委员会",
                                      expert_user_id=expert.user_id, brief="请审查", due_on=date(YEAR, 12, 1))))
        s.add(keep("other-task", ReviewTask(task_no="RW-2", plan_no="SC-1", target_name="市交通委员会",
                                            expert_user_id=other_expert.user_id, brief="请审查")))
        s.add(keep("other-comment", Comment(author_id=other.user_id, author_name="刘芳", year=YEAR, target_kind="book",
                                            target_code="general", body="建议关注卫生支出。")))
        s.add(keep("doc-public", Document(title="预算执行情况的报告", classification="public", year=YEAR)))
        s.add(keep("doc-internal", Document(title="初审意见", classification="internal", year=YEAR)))
        s.add(keep("link-public", DocumentLink(document_id=ids["doc-public"], target_kind="project", target_code="P1",
                                               year=YEAR, public=True)))
        s.add(keep("link-internal", DocumentLink(document_id=ids["doc-internal"], target_kind="project",
                                                 target_code="P1", year=YEAR, public=False)))
    return Cast(staff, deputy, other, member, expert, other_expert, ids)


def _edit(client: SyncClient, fn: Any) -> Any:
    with client.store.session() as s, s.begin():
        return fn(s)


def _push(world: World, who: Who, table: str, row_id: str, changes: dict[str, Any], op: str = "update",
          base_version: int = 1) -> dict[str, Any]:
    """Push one hand-made mutation as ``who`` (a tampered or out-of-scope edit a normal client never makes)."""
    client = world.client(who.user_id)
    message = {"mutation_id": uuid7(), "table": table, "row_id": row_id, "op": op, "base_version": base_version,
               "base": {}, "changes": changes, "local_seq": 1}
    return client.transport.push("tamper-device", [message])[0]


def _scopes(rows: dict[str, dict[str, dict[str, Any]]]) -> set[str]:
    return {r["scope"] for table in rows.values() for r in table.values()}


def test_a_deputy_holds_public_data_and_their_own_comments_only(world: World) -> None:
    cast = _cast(world)
    deputy = world.client(cast.deputy.user_id)
    mine = _edit(deputy, lambda s: comments.write(s, cast.deputy, year=YEAR, target_kind="project", target_code="P1",
                                                  target_name="义务教育", body="建议公开义务教育项目的绩效目标。").id)
    deputy.sync()
    staff = world.client(cast.staff.user_id)
    staff.sync()
    _edit(staff, lambda s: comments.answer(s, cast.staff, mine, "已转市教委研究办理。"))
    staff.sync()
    deputy.sync()

    rows = client_rows(deputy)
    scopes = _scopes(rows)
    assert "budget.internal" not in scopes
    assert not any(sc.startswith(("committee:", "review:")) for sc in scopes)
    assert scopes <= {"public", "registry", f"comment:{cast.deputy.user_id}", f"user:{cast.deputy.user_id}"}
    for table in ("bgt_payment", "bgt_indicator", "bgt_warning", "bgt_review_task", "bgt_review_item",
                  "bgt_review_plan", "bgt_import_log"):
        assert rows[table] == {}, table
    assert set(rows["bgt_comment"]) == {mine}
    answered = rows["bgt_comment"][mine]
    assert (answered["status"], answered["answer"], answered["answered_by"]) == ("已答复", "已转市教委研究办理。",
                                                                                "预工委小李")
    assert set(rows["bgt_book"]) == {cast.ids["book"]} and set(rows["bgt_project"]) == {cast.ids["project"]}
    assert set(rows["bgt_document_link"]) == {cast.ids["link-public"]}
    assert set(rows["reg_document"]) == {cast.ids["doc-public"]}
    assert rows["bgt_expert"][cast.ids["expert-row"]]["phone"] == "139****5678"  # masked for a deputy


def test_a_special_committee_member_holds_only_its_domain(world: World) -> None:
    cast = _cast(world)
    member = world.client(cast.member.user_id)
    member.sync()
    rows = client_rows(member)
    for table, prefix in (("bgt_indicator", "indicator"), ("bgt_payment", "payment"), ("bgt_warning", "warning"),
                          ("bgt_review_item", "item")):
        assert set(rows[table]) == {cast.ids[f"{prefix}-D010"]}, table
    scopes = _scopes(rows)
    assert "committee:教科文卫" in scopes and "committee:城建环保" not in scopes and "budget.internal" not in scopes
    assert rows["bgt_review_task"] == {} and rows["bgt_review_plan"] == {} and rows["bgt_comment"] == {}


def test_an_expert_holds_only_their_own_review_tasks(world: World) -> None:
    cast = _cast(world)
    expert = world.client(cast.expert.user_id)
    expert.sync()
    rows = client_rows(expert)
    assert set(rows["bgt_review_task"]) == {cast.ids["task"]}
    assert rows["bgt_comment"] == {} and rows["bgt_payment"] == {} and rows["bgt_warning"] == {}
    assert _scopes(rows) <= {"public", f"review:{cast.expert.user_id}", f"user:{cast.expert.user_id}"}
    # and works on it offline: accept, write the opinion, submit; the staff see it after the sync
    _edit(expert, lambda s: tasks.accept(s, cast.expert, cast.ids["task"]))
    _edit(expert, lambda s: tasks.submit(s, cast.expert, cast.ids["task"], "绩效目标不够细化，建议修改后同意。",
                                         "修改后同意"))
    report = expert.sync()
    assert (report.applied + report.merged, report.rejected, report.conflicts) == (2, 0, 0)
    server = world.server_rows()["bgt_review_task"][cast.ids["task"]]
    assert (server["status"], server["conclusion"]) == ("已提交", "修改后同意")


def _unchanged(world: World, table: str, row_id: str, before: dict[str, Any]) -> None:
    """Every value and the version as before; only the change number may move (a refusal re-sends the row so
    the refused client gets the server's values back)."""
    after = world.server_rows()[table][row_id]
    assert {k: v for k, v in after.items() if k != "seq"} == {k: v for k, v in before.items() if k != "seq"}


def _refused(world: World, who: Who, result: dict[str, Any]) -> None:
    assert result["status"] == "rejected", result
    with world.factory() as s:
        records = s.scalars(select(SyncConflict).where(SyncConflict.user_id == who.user_id,
                                                       SyncConflict.kind == "rejected")).all()
    assert records and records[-1].reason


REFUSALS = [
    ("deputy edits a payment", "deputy", "bgt_payment", "payment-D031", {"amount_fen": 1}),
    ("deputy edits a payment of a committee domain", "deputy", "bgt_payment", "payment-D010", {"payee": "我"}),
    ("deputy closes a warning", "deputy", "bgt_warning", "warning-D031", {"status": "已关闭"}),
    ("deputy edits a review task", "deputy", "bgt_review_task", "task", {"opinion": "同意"}),
    ("deputy edits another deputy's comment", "deputy", "bgt_comment", "other-comment", {"body": "改掉"}),
    ("deputy answers another deputy's comment", "deputy", "bgt_comment", "other-comment", {"answer": "已办"}),
    ("deputy deletes another deputy's comment", "deputy", "bgt_comment", "other-comment", {"deleted": True}),
    ("expert edits another expert's task", "expert", "bgt_review_task", "other-task", {"opinion": "同意"}),
    ("expert moves their task to another expert", "expert", "bgt_review_task", "task",
     {"expert_user_id": "someone-else"}),
    ("expert edits the plan", "expert", "bgt_review_plan", "plan", {"title": "改"}),
    ("member edits a review item", "member", "bgt_review_item", "item-D010", {"risk_score": 0.0}),
]


@pytest.mark.parametrize(("case", "role", "table", "row", "changes"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_the_server_refuses_edits_outside_the_role(world: World, case: str, role: str, table: str, row: str,
                                                  changes: dict[str, Any]) -> None:
    cast = _cast(world)
    who = getattr(cast, role)
    row_id = cast.ids[row]
    before = world.server_rows()[table][row_id]
    _refused(world, who, _push(world, who, table, row_id, changes))
    _unchanged(world, table, row_id, before)


def test_the_server_refuses_a_comment_written_in_another_deputys_name(world: World) -> None:
    cast = _cast(world)
    row_id = uuid7()
    result = _push(world, cast.deputy, "bgt_comment", row_id, {
        "author_id": cast.other_deputy.user_id, "author_name": "刘芳", "year": YEAR, "target_kind": "book",
        "target_code": "general", "body": "冒名建言"}, op="insert", base_version=0)
    _refused(world, cast.deputy, result)
    assert row_id not in world.server_rows()["bgt_comment"]


def test_a_deputy_may_revise_their_own_waiting_comment(world: World) -> None:
    cast = _cast(world)
    deputy = world.client(cast.deputy.user_id)
    mine = _edit(deputy, lambda s: comments.write(s, cast.deputy, year=YEAR, target_kind="book",
                                                  target_code="general", target_name="一般公共预算",
                                                  body="建议细化预算编制。").id)
    _edit(deputy, lambda s: comments.revise(s, cast.deputy, mine, "建议细化预算编制并公开绩效目标。"))
    report = deputy.sync()
    assert (report.applied + report.merged, report.rejected, report.conflicts) == (2, 0, 0)
    assert world.server_rows()["bgt_comment"][mine]["body"] == "建议细化预算编制并公开绩效目标。"


HOLES = [
    ("deputy answers their own comment", "deputy", "bgt_comment", "own-comment",
     {"answer": "自问自答", "status": "已答复"}),
    ("expert marks their own task finished", "expert", "bgt_review_task", "task", {"status": "已完成"}),
    ("expert rewrites their own brief and due date", "expert", "bgt_review_task", "task", {"brief": "不用审了"}),
]


@pytest.mark.parametrize(("case", "role", "table", "row", "changes"), HOLES, ids=[h[0] for h in HOLES])
def test_the_server_refuses_fields_only_staff_may_set(world: World, case: str, role: str, table: str, row: str,
                                                      changes: dict[str, Any]) -> None:
    cast = _cast(world)
    who = getattr(cast, role)
    if row == "own-comment":
        client = world.client(cast.deputy.user_id)
        row_id = _edit(client, lambda s: comments.write(s, cast.deputy, year=YEAR, target_kind="book",
                                                        target_code="general", target_name="",
                                                        body="建议细化预算编制。").id)
        client.sync()
    else:
        row_id = cast.ids[row]
    before = world.server_rows()[table][row_id]
    version = before["version"]
    _refused(world, who, _push(world, who, table, row_id, changes, base_version=version))
    _unchanged(world, table, row_id, before)


def test_the_server_refuses_a_task_an_expert_creates_for_themselves(world: World) -> None:
    cast = _cast(world)
    row_id = uuid7()
    result = _push(world, cast.expert, "bgt_review_task", row_id, {
        "task_no": "RW-X", "expert_user_id": cast.expert.user_id, "status": "已完成", "brief": "自派"},
        op="insert", base_version=0)
    _refused(world, cast.expert, result)
    assert row_id not in world.server_rows()["bgt_review_task"]


def test_the_field_rules_close_the_holes_and_keep_the_work_flowing(world: World) -> None:
    cast = _cast(world)
    deputy = world.client(cast.deputy.user_id)
    mine = _edit(deputy, lambda s: comments.write(s, cast.deputy, year=YEAR, target_kind="book",
                                                  target_code="general", target_name="", body="建议细化预算编制。").id)
    _edit(deputy, lambda s: comments.revise(s, cast.deputy, mine, "建议细化预算编制并公开绩效目标。"))
    report = deputy.sync()
    assert (report.applied + report.merged, report.rejected) == (2, 0)
    for who, table, row_id, changes, op in (
            (cast.deputy, "bgt_comment", mine, {"answer": "自问自答", "status": "已答复"}, "update"),
            (cast.expert, "bgt_review_task", cast.ids["task"], {"status": "已完成"}, "update"),
            (cast.expert, "bgt_review_task", cast.ids["task"], {"brief": "不用审了"}, "update"),
            (cast.expert, "bgt_review_task", uuid7(), {"task_no": "RW-X", "expert_user_id": cast.expert.user_id},
             "insert")):
        before = world.server_rows()[table].get(row_id)
        version = before["version"] if before else 0
        _refused(world, who, _push(world, who, table, row_id, changes, op=op, base_version=version))
        assert world.server_rows()[table].get(row_id, {}).get("version") == (before or {}).get("version")
    expert = world.client(cast.expert.user_id)
    expert.sync()
    _edit(expert, lambda s: tasks.accept(s, cast.expert, cast.ids["task"]))
    _edit(expert, lambda s: tasks.submit(s, cast.expert, cast.ids["task"], "绩效目标不够细化，建议修改后同意。",
                                         "修改后同意"))
    assert expert.sync().rejected == 0
    staff = world.client(cast.staff.user_id)
    staff.sync()
    _edit(staff, lambda s: comments.answer(s, cast.staff, mine, "已转市财政局研究办理。"))
    _edit(staff, lambda s: tasks.complete(s, cast.staff, cast.ids["task"]))
    assert staff.sync().rejected == 0
    server = world.server_rows()
    assert server["bgt_comment"][mine]["status"] == "已答复"
    assert server["bgt_review_task"][cast.ids["task"]]["status"] == "已完成"
