"""Who may write which table is decided by the server, and ``<prefix>:self`` scopes give each user their own rows."""

from __future__ import annotations

from sqlalchemy import select

from core.auth.roles import Principal
from core.budget.models import Project
from core.budget.work import BudgetWarning, Comment, ReviewTask
from core.models.registry import SyncConflict
from core.sync.scopes import pull_patterns
from tests.sync.harness import World, client_rows


def _seed_project(world: World) -> str:
    with world.factory() as s, s.begin():
        project = Project(year=2024, code="P1", name="人大履职保障", department_code="D031", budget_fen=100)
        s.add(project)
        s.flush()
        return project.id


def test_a_deputy_cannot_change_published_budget_data(world: World) -> None:
    project_id = _seed_project(world)
    deputy_id = world.add_user("deputy", "deputy")
    deputy = world.client(deputy_id)
    deputy.sync()
    with deputy.store.session() as s, s.begin():
        row = s.get(Project, project_id)
        assert row is not None
        row.budget_fen = 999_999
    report = deputy.sync()
    assert report.rejected == 1
    with world.factory() as s:
        assert s.get(Project, project_id).budget_fen == 100  # type: ignore[union-attr]
        refusal = s.scalars(select(SyncConflict).where(SyncConflict.user_id == deputy_id)).one()
        assert refusal.kind == "rejected" and "无权修改" in refusal.reason


def test_staff_may_change_budget_data_and_a_deputy_may_not_insert_a_warning(world: World) -> None:
    project_id = _seed_project(world)
    staff = world.client(world.add_user("staff", "budget_staff"))
    staff.sync()
    with staff.store.session() as s, s.begin():
        s.get(Project, project_id).budget_fen = 200  # type: ignore[union-attr]
    assert staff.sync().rejected == 0

    deputy = world.client(world.add_user("deputy", "deputy"))
    with deputy.store.session() as s, s.begin():
        s.add(BudgetWarning(warning_key="x|2024|D031", rule="cash_withdrawal", level="red", year=2024))
    assert deputy.sync().rejected == 1
    with world.factory() as s:
        assert s.get(Project, project_id).budget_fen == 200  # type: ignore[union-attr]
        assert s.scalars(select(BudgetWarning)).all() == []


def test_comments_belong_to_their_author_and_staff_see_all(world: World) -> None:
    first_id = world.add_user("deputy1", "deputy")
    second_id = world.add_user("deputy2", "deputy")
    first, second = world.client(first_id), world.client(second_id)
    with first.store.session() as s, s.begin():
        s.add(Comment(author_id=first_id, target_kind="project", target_code="P1", body="建议细化绩效目标"))
    assert first.sync().rejected == 0
    # A deputy cannot file a comment in another deputy's name: the row's scope is not theirs.
    with second.store.session() as s, s.begin():
        s.add(Comment(author_id=first_id, target_kind="project", target_code="P1", body="冒名建言"))
    assert second.sync().rejected == 1
    second.sync()
    assert client_rows(second)["bgt_comment"] == {}

    staff = world.client(world.add_user("staff", "budget_staff"))
    staff.sync()
    assert [r["body"] for r in client_rows(staff)["bgt_comment"].values()] == ["建议细化绩效目标"]


def test_an_expert_pulls_only_their_own_review_tasks(world: World) -> None:
    one, other = world.add_user("expert1", "expert"), world.add_user("expert2", "expert")
    with world.factory() as s, s.begin():
        s.add(ReviewTask(task_no="T1", expert_user_id=one, target_name="项目甲"))
        s.add(ReviewTask(task_no="T2", expert_user_id=other, target_name="项目乙"))
    client = world.client(one)
    client.sync()
    assert [r["task_no"] for r in client_rows(client)["bgt_review_task"].values()] == ["T1"]


def test_self_patterns_expand_to_the_user_and_never_match_an_empty_id() -> None:
    me = Principal(user_id="u1", username="u1", scope_patterns=frozenset({"review:self", "user:self", "public"}))
    assert pull_patterns(me) == ["public", "review:u1", "user:u1"]
    assert me.sees_scope("review:u1") and not me.sees_scope("review:u2") and not me.sees_scope("comment:u1")
    nobody = Principal(user_id="", username="x", scope_patterns=frozenset({"review:self"}))
    assert not nobody.sees_scope("review:")


def test_only_the_operator_and_the_chair_write_conference_records(world: World) -> None:
    from core.conference.records import ConfMeeting

    member = world.client(world.add_user("presidium", "presidium_member"))
    with member.store.session() as s, s.begin():
        s.add(ConfMeeting(meeting_key="m1", title="主席团第一次会议"))
    assert member.sync().rejected == 1
    operator = world.client(world.add_user("operator", "conference_operator"))
    with operator.store.session() as s, s.begin():
        s.add(ConfMeeting(meeting_key="m2", title="主席团第二次会议"))
    assert operator.sync().rejected == 0
    member.sync()
    assert [r["title"] for r in client_rows(member)["conf_meeting"].values()] == ["主席团第二次会议"]
