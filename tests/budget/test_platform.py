"""Work-platform services: registries with masked contacts, the review-task flow, comments and answers,
document search and links, the field rules, and each role's home figures. Refusals change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import ROLES_BY_NAME
from core.budget.models import BudgetBook, Payment, Project
from core.budget.platform import PlatformError, comments, documents, experts, home, tasks
from core.budget.platform.fields import refusal
from core.budget.work import BudgetWarning, Comment, Expert, ReviewTask
from core.models.registry import Department, Deputy, Document


@dataclass
class Who:
    user_id: str
    user_name: str
    roles: tuple[str, ...]
    permissions: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.permissions = frozenset(p for r in self.roles for p in ROLES_BY_NAME[r].permissions)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


STAFF = Who("staff-1", "预工委小李", ("budget_staff",))
DEPUTY = Who("deputy-1", "王建国", ("deputy",))
OTHER_DEPUTY = Who("deputy-2", "刘芳", ("deputy",))
EXPERT = Who("expert-1", "赵文华", ("expert",))
OTHER_EXPERT = Who("expert-2", "钱立新", ("expert",))
MEMBER = Who("member-1", "委员", ("committee_member",))


@pytest.fixture
def write(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _rows(engine: Engine, model: Any) -> list[tuple[Any, ...]]:
    """Every row of a table with every column, to prove a refused step changed nothing."""
    with Session(engine) as s:
        found: list[Any] = list(s.scalars(select(model)))
        return sorted(tuple(str(getattr(r, c.key)) for c in model.__table__.columns) for r in found)


# ------------------------------------------------------------------------------------------ registries
def test_expert_registry_validates_and_masks_by_role(engine: Engine, write: sessionmaker[Session]) -> None:
    with write() as s, s.begin():
        e = experts.add_expert(s, STAFF, experts.ExpertInput("赵文华", "上海财经大学", "教授", "财政，教育 预算",
                                                              "13912345678"))
    assert e.fields == "财政、教育、预算"
    bad = [(experts.ExpertInput(" ", fields="财政"), "专家姓名"), (experts.ExpertInput("甲", fields=""), "专业领域"),
           (experts.ExpertInput("甲", fields="财政", phone="12345"), "电话号码"),
           (experts.ExpertInput("赵文华", "上海财经大学", fields="审计"), "同名同单位")]
    before = _rows(engine, Expert)
    for data, message in bad:
        with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
            experts.add_expert(s, STAFF, data)
    with write() as s, s.begin(), pytest.raises(PlatformError, match="无权维护专家库"):
        experts.add_expert(s, DEPUTY, experts.ExpertInput("乙", fields="财政"))
    assert _rows(engine, Expert) == before

    assert experts.list_experts(engine, STAFF)[0].phone == "13912345678"
    assert experts.list_experts(engine, EXPERT)[0].phone == "139****5678"
    assert [x.name for x in experts.list_experts(engine, STAFF, field="教育")] == ["赵文华"]
    assert experts.list_experts(engine, STAFF, field="卫生") == []
    # an edit by someone who sees the masked phone keeps the real one
    with write() as s, s.begin():
        experts.update_expert(s, STAFF, e.id, experts.ExpertInput("赵文华", "上海财经大学", "教授", "财政、审计",
                                                                 "139****5678"))
    assert experts.list_experts(engine, STAFF)[0].phone == "13912345678"
    assert experts.list_experts(engine, STAFF)[0].fields == ("财政", "审计")
    assert experts.known_fields(engine) == ["审计", "财政"]


def test_deputy_registry_masks_contacts_and_filters_by_expertise(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        s.add(Deputy(name="王建国", delegation="黄浦区代表团", expertise="教育、财政", phone="13912345678",
                     id_number="310101196505051234"))
        s.add(Deputy(name="刘芳", delegation="徐汇区代表团", expertise="卫生", phone="13800001111"))
    staff = experts.list_deputies(engine, STAFF)
    assert [d.name for d in staff] == ["刘芳", "王建国"] and staff[1].phone == "13912345678"
    assert staff[1].id_number == "310101196505051234"
    seen = experts.list_deputies(engine, DEPUTY, field="教育")
    assert [(d.name, d.phone, d.id_number) for d in seen] == [("王建国", "139****5678", "3101**********1234")]
    assert [d.name for d in experts.list_deputies(engine, DEPUTY, text="徐汇")] == ["刘芳"]


# ------------------------------------------------------------------------------------------ review tasks
def _task(write: sessionmaker[Session], expert_user_id: str = "expert-1") -> str:
    with write() as s, s.begin():
        t = ReviewTask(task_no="RW-1", plan_no="SC-1", target_name="市教育委员会", expert_user_id=expert_user_id,
                       brief="请审查", due_on=date(2024, 12, 1))
        s.add(t)
    return t.id


def test_review_task_flow_with_return_and_resubmission(engine: Engine, write: sessionmaker[Session]) -> None:
    tid = _task(write)
    with write() as s, s.begin():
        tasks.accept(s, EXPERT, tid)
    with write() as s, s.begin():
        tasks.save_draft(s, EXPERT, tid, "初稿")
        tasks.submit(s, EXPERT, tid, "项目绩效目标不够细化，建议压减。", "修改后同意")
    with write() as s, s.begin():
        tasks.send_back(s, STAFF, tid, "请补充对资金闲置的意见")
    with write() as s, s.begin():
        t = tasks.submit(s, EXPERT, tid, "补充：部分资金闲置，建议收回后同意。", "修改后同意")
        assert tasks.return_reasons(t) == ["请补充对资金闲置的意见"]
    with write() as s, s.begin():
        assert tasks.complete(s, STAFF, tid).status == "已完成"
    view = tasks.list_tasks(engine, expert_user_id="expert-1")[0]
    assert (view.status, view.conclusion, view.overdue) == ("已完成", "修改后同意", False)


REFUSED = [
    ("another expert accepts", lambda s, t: tasks.accept(s, OTHER_EXPERT, t), "不是分派给您"),
    ("a deputy accepts", lambda s, t: tasks.accept(s, DEPUTY, t), "无权填写审查意见"),
    ("submit before accepting", lambda s, t: tasks.submit(s, EXPERT, t, "意见意见意见意见意见意见", "同意"), "不能改为“已提交”"),
    ("staff complete an unsubmitted task", lambda s, t: tasks.complete(s, STAFF, t), "不能改为“已完成”"),
    ("an expert completes", lambda s, t: tasks.complete(s, EXPERT, t), "无权验收"),
    ("return without a submission", lambda s, t: tasks.send_back(s, STAFF, t, "理由"), "不能改为“已退回”"),
    ("unknown task", lambda s, t: tasks.accept(s, EXPERT, "nope"), "不存在"),
]


@pytest.mark.parametrize(("case", "step", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_task_steps_change_nothing(engine: Engine, write: sessionmaker[Session], case: str, step: object,
                                           message: str) -> None:
    tid = _task(write)
    before = _rows(engine, ReviewTask)
    with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
        step(s, tid)  # type: ignore[operator]
    assert _rows(engine, ReviewTask) == before


def test_an_opinion_needs_words_and_a_conclusion(engine: Engine, write: sessionmaker[Session]) -> None:
    tid = _task(write)
    with write() as s, s.begin():
        tasks.accept(s, EXPERT, tid)
    for opinion, conclusion, message in (("同意", "同意", "太短"), ("理由充分的审查意见在此", "也许", "审查结论"),
                                         ("", "同意", "请填写审查意见")):
        with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
            tasks.submit(s, EXPERT, tid, opinion, conclusion)
    with write() as s, s.begin():
        t = tasks.submit(s, EXPERT, tid, "理由充分的审查意见在此", "同意")
        assert t.submitted_at is not None
    with write() as s, s.begin(), pytest.raises(PlatformError, match="不能改为"):
        tasks.accept(s, EXPERT, tid)


def test_overdue_tasks_are_marked(engine: Engine, write: sessionmaker[Session]) -> None:
    _task(write)
    assert tasks.list_tasks(engine, today=date(2024, 12, 2))[0].overdue
    assert not tasks.list_tasks(engine, today=date(2024, 11, 2))[0].overdue
    assert tasks.list_tasks(engine, expert_user_id="expert-2") == []


# ------------------------------------------------------------------------------------------ comments
def test_a_deputy_comments_and_staff_answer(engine: Engine, write: sessionmaker[Session]) -> None:
    with write() as s, s.begin():
        c = comments.write(s, DEPUTY, year=2024, target_kind="department", target_code="D010",
                           target_name="市教育委员会", body="建议公开义务教育项目的绩效目标。")
    assert (c.author_id, c.status, c.scope or "") == ("deputy-1", "待答复", c.scope or "")
    with write() as s, s.begin():
        comments.revise(s, DEPUTY, c.id, "建议公开义务教育项目的绩效目标和完成情况。")
    for _who, fn, message in ((OTHER_DEPUTY, lambda s: comments.revise(s, OTHER_DEPUTY, c.id, "改别人的建言内容"), "自己"),
                             (DEPUTY, lambda s: comments.answer(s, DEPUTY, c.id, "自己答复自己"), "无权答复"),
                             (MEMBER, lambda s: comments.answer(s, MEMBER, c.id, "委员答复"), "无权答复"),
                             (STAFF, lambda s: comments.answer(s, STAFF, c.id, "  "), "答复内容")):
        with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
            fn(s)
    with write() as s, s.begin():
        comments.answer(s, STAFF, c.id, "已转市教委研究办理。")
    mine = comments.list_comments(engine, author_id="deputy-1")
    assert [(m.status, m.answer, m.answered_by) for m in mine] == [("已答复", "已转市教委研究办理。", "预工委小李")]
    with write() as s, s.begin(), pytest.raises(PlatformError, match="已答复"):
        comments.revise(s, DEPUTY, c.id, "再改一次建言内容")
    with write() as s, s.begin(), pytest.raises(PlatformError, match="已答复"):
        comments.withdraw(s, DEPUTY, c.id)
    assert comments.list_comments(engine, author_id="deputy-2") == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"target_kind": "payment"}, "请选择建言针对的对象"), ({"target_code": " "}, "建言对象"),
    ({"body": "好"}, "太短"), ({"body": "长" * 5001}, "不能超过"),
])
def test_bad_comments_are_refused(engine: Engine, write: sessionmaker[Session], kwargs: dict[str, str],
                                  message: str) -> None:
    args = {"year": 2024, "target_kind": "book", "target_code": "general", "target_name": "一般公共预算",
            "body": "建议细化预算编制。", **kwargs}
    with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
        comments.write(s, DEPUTY, **args)  # type: ignore[arg-type]
    with write() as s, s.begin(), pytest.raises(PlatformError, match="无权提出建言"):
        comments.write(s, EXPERT, **{**args, "body": "建议细化预算编制。", "target_kind": "book",  # type: ignore[arg-type]
                                     "target_code": "general"})
    assert _rows(engine, Comment) == []


def test_a_waiting_comment_may_be_withdrawn(engine: Engine, write: sessionmaker[Session]) -> None:
    with write() as s, s.begin():
        c = comments.write(s, DEPUTY, year=2024, target_kind="book", target_code="general", target_name="",
                           body="建议细化预算编制。")
    with write() as s, s.begin():
        comments.withdraw(s, DEPUTY, c.id)
    assert comments.list_comments(engine) == []


# ------------------------------------------------------------------------------------------ documents
def _documents(engine: Engine) -> dict[str, str]:
    with Session(engine) as s, s.begin():
        s.add(Department(code="D010", name="市教育委员会", domain="教科文卫"))
        s.add(Project(year=2024, code="P1", name="义务教育经费", department_code="D010", budget_fen=100))
        docs = [Document(title="2024年市级预算执行情况的报告", doc_no="沪财预〔2024〕12号", kind="公文",
                         classification="public", year=2024, body="教育支出保持增长，结转资金规模下降。"),
                Document(title="教科文卫专题审查底稿", kind="档案", classification="internal", domain="教科文卫",
                         year=2024, body="义务教育经费绩效目标不够细化。"),
                Document(title="2023年决算报告", doc_no="沪财决〔2024〕2号", kind="决算报告", classification="public",
                         year=2023, body="三公经费下降。")]
        s.add_all(docs)
        s.flush()
        return {d.title: d.id for d in docs}


def test_documents_are_found_by_title_number_body_kind_year_and_item(engine: Engine,
                                                                      write: sessionmaker[Session]) -> None:
    ids = _documents(engine)
    with write() as s, s.begin():
        link = documents.link(s, STAFF, ids["教科文卫专题审查底稿"], "project", "P1", 2024)
        public = documents.link(s, STAFF, ids["2024年市级预算执行情况的报告"], "department", "D010", 2024)
    assert (link.public, public.public) == (False, True)
    titles = lambda found: [d.title for d in found]  # noqa: E731
    assert titles(documents.search(engine, "教育")) == ["2024年市级预算执行情况的报告", "教科文卫专题审查底稿"]
    assert titles(documents.search(engine, "沪财决")) == ["2023年决算报告"]
    assert titles(documents.search(engine, "教育 绩效")) == ["教科文卫专题审查底稿"]
    assert titles(documents.search(engine, kind="决算报告")) == ["2023年决算报告"]
    assert titles(documents.search(engine, year=2023)) == ["2023年决算报告"]
    found = documents.search(engine, target_kind="project", target_code="P1")
    assert titles(found) == ["教科文卫专题审查底稿"] and found[0].links[0].target_code == "P1"
    assert "绩效目标" in found[0].snippet(["绩效"])
    assert documents.years(engine) == [2024, 2023]


@pytest.mark.parametrize(("who", "kind", "code", "message"), [
    (DEPUTY, "project", "P1", "无权关联文档"), (STAFF, "payment", "P1", "类型"),
    (STAFF, "project", "P404", "找不到项目"), (STAFF, "department", "D999", "找不到部门"),
])
def test_bad_links_are_refused(engine: Engine, write: sessionmaker[Session], who: Who, kind: str, code: str,
                               message: str) -> None:
    ids = _documents(engine)
    with write() as s, s.begin(), pytest.raises(PlatformError, match=message):
        documents.link(s, who, ids["2023年决算报告"], kind, code, 2024)
    with write() as s, s.begin():
        documents.link(s, STAFF, ids["2023年决算报告"], "project", "P1", 2024)
    with write() as s, s.begin(), pytest.raises(PlatformError, match="已关联"):
        documents.link(s, STAFF, ids["2023年决算报告"], "project", "P1", 2024)


@pytest.mark.parametrize("text", ["%", "_", "'", "\\", "100%", "教育_", "  ", "🙂"])
def test_search_takes_wildcards_and_quotes_literally(engine: Engine, text: str) -> None:
    _documents(engine)
    assert documents.search(engine, text) == ([] if text.strip() else documents.search(engine))


# ------------------------------------------------------------------------------------------ field rules
def test_field_rules_keep_answers_and_verdicts_with_staff() -> None:
    deputy, expert, staff = DEPUTY.can, EXPERT.can, STAFF.can
    waiting = {"answer": "", "answered_by": "", "status": "待答复", "body": "建议"}
    assert refusal("bgt_comment", deputy, "update", {"body": "建议细化"}, waiting) is None
    assert "answer" in (refusal("bgt_comment", deputy, "update", {"answer": "自答"}, waiting) or "")
    assert "已答复" in (refusal("bgt_comment", deputy, "update", {"status": "已答复"}, waiting) or "")
    assert refusal("bgt_comment", staff, "update", {"answer": "答复", "status": "已答复"}, waiting) is None
    assert refusal("bgt_comment", deputy, "insert", {"answer": "", "status": "待答复"}, waiting) is None
    task = {"status": "已接受", "brief": "请审查", "expert_user_id": "expert-1", "due_on": None}
    assert refusal("bgt_review_task", expert, "update", {"status": "已提交", "opinion": "意见"}, task) is None
    assert "已完成" in (refusal("bgt_review_task", expert, "update", {"status": "已完成"}, task) or "")
    assert "brief" in (refusal("bgt_review_task", expert, "update", {"brief": "改"}, task) or "")
    assert refusal("bgt_review_task", expert, "insert", {"status": "已分派"}, {}) is not None
    assert refusal("bgt_review_task", staff, "update", {"status": "已完成", "brief": "改"}, task) is None
    assert refusal("bgt_payment", deputy, "update", {"amount_fen": 1}, {}) is None  # table rule's business


# ------------------------------------------------------------------------------------------ home figures
def test_home_figures_per_role(engine: Engine, write: sessionmaker[Session]) -> None:
    with Session(engine) as s, s.begin():
        s.add(Department(code="D010", name="市教育委员会", domain="教科文卫"))
        s.add(Department(code="D020", name="市交通委员会", domain="城建环保"))
        s.add(Project(year=2024, code="P1", name="甲", department_code="D010", budget_fen=1_000))
        s.add(Project(year=2024, code="P2", name="乙", department_code="D020", budget_fen=5_000))
        s.add(Payment(year=2024, payment_no="Z1", paid_on=date(2024, 3, 1), month=3, payee="某公司", amount_fen=400,
                      department_code="D010", domain="教科文卫"))
        for i, (level, domain) in enumerate((("red", "教科文卫"), ("yellow", "教科文卫"), ("red", "城建环保"))):
            s.add(BudgetWarning(warning_key=f"k{i}", rule="r", level=level, year=2024, subject=f"预警{i}",
                                domain=domain, amount_fen=i))
        s.add(BudgetWarning(warning_key="closed", rule="r", level="red", year=2024, status="已关闭"))
        s.add(BudgetBook(year=2024, book="fund", name="政府性基金预算", budget_fen=100, executed_fen=50))
        s.add(BudgetBook(year=2024, book="general", name="一般公共预算", budget_fen=1000, adjusted_fen=800,
                         executed_fen=400))
        s.add(ReviewTask(task_no="T1", status="已提交"))
    with write() as s, s.begin():
        comments.write(s, DEPUTY, year=2024, target_kind="book", target_code="general", target_name="",
                       body="建议细化预算编制。")
    staff = home.staff_figures(engine, 2024)
    assert staff.warnings_by_level == {"red": 2, "yellow": 1} and staff.warnings[0].level == "red"
    assert staff.comments_waiting == 1 and staff.tasks_by_status["已提交"] == 1
    member = home.committee_figures(engine, 2024, frozenset({"教科文卫"}))
    line = member.domains[0]
    assert (line.domain, line.departments, line.budget_fen, line.paid_fen, line.warnings) == ("教科文卫", 1, 1_000,
                                                                                            400, 2)
    assert {w.domain for w in member.warnings} == {"教科文卫"}
    books = home.books(engine, 2024)
    assert [b.book for b in books] == ["general", "fund"] and books[0].rate == 50.0
