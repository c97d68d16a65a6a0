"""The review plan: the risk score is explained and adds up, ranks are stable and monotone, and a ranking
becomes a plan with experts suggested by expertise and review tasks, refusing what makes no sense."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.demo import generate
from core.budget.models import AuditFinding, Project
from core.budget.review import (
    DEFAULT_WEIGHTS,
    PlanError,
    TargetFacts,
    assign,
    create_plan,
    create_tasks,
    plan_items,
    rank,
    rank_scores,
    score,
    suggest_experts,
    with_weights,
)
from core.budget.work import BudgetWarning, Expert, ReviewPlan, ReviewTask
from core.db import make_engine, migrate
from core.models.registry import Department

YEAR = 2024

facts_st = st.builds(
    TargetFacts,
    kind=st.sampled_from(["department", "project"]),
    code=st.text("ABCD0123", min_size=1, max_size=4),
    name=st.just("某部门"),
    department_code=st.just("D1"),
    warnings=st.fixed_dictionaries({}, optional={lv: st.integers(0, 20) for lv in ("red", "yellow", "blue")}),
    budget_fen=st.integers(0, 10**15),
    comparable_fen=st.integers(0, 10**15),
    last_year_fen=st.one_of(st.none(), st.integers(1, 10**15)),
    available_fen=st.integers(0, 10**15),
    paid_fen=st.integers(0, 10**15),
    audit_count=st.integers(0, 30),
    audit_unrectified=st.integers(0, 30),
    audit_amount_fen=st.integers(0, 10**13),
)


@given(facts_st, st.integers(1, 12))
def test_the_explanation_adds_up_to_the_score(facts: TargetFacts, month: int) -> None:
    s = score(facts, DEFAULT_WEIGHTS, month)
    explained = s.explanation()
    assert [e["factor"] for e in explained] == ["warnings", "growth", "execution", "audit", "size"]
    assert sum(e["points"] for e in explained) == s.score
    assert all(e["points"] >= 0 and f"+{e['points']} 分" in e["text"] for e in explained)


@given(facts_st, st.sampled_from(["red", "yellow", "blue"]), st.integers(1, 12))
def test_adding_a_warning_never_lowers_a_score(facts: TargetFacts, level: str, month: int) -> None:
    before = score(facts, DEFAULT_WEIGHTS, month).score
    facts.warnings = {**facts.warnings, level: facts.warnings.get(level, 0) + 1}
    assert score(facts, DEFAULT_WEIGHTS, month).score >= before


@given(facts_st, st.integers(1, 5))
def test_more_unrectified_findings_never_lower_a_score(facts: TargetFacts, more: int) -> None:
    before = score(facts).score
    facts.audit_count += more
    facts.audit_unrectified += more
    assert score(facts).score >= before


@given(st.lists(facts_st, max_size=30), st.randoms())
def test_ranking_is_stable_whatever_the_reading_order(items: list[TargetFacts], rnd: random.Random) -> None:
    scores = [score(f) for f in items]
    shuffled = scores[:]
    rnd.shuffle(shuffled)
    ranked = rank_scores(scores)
    assert [(s.kind, s.code, s.score) for s in rank_scores(shuffled)] == [(s.kind, s.code, s.score) for s in ranked]
    assert all(a.score >= b.score for a, b in pairwise(ranked))


def test_the_worked_example_of_the_docs() -> None:
    facts = TargetFacts("department", "D010", "市教育委员会", "D010", "教科文卫", warnings={"red": 3, "yellow": 1},
                        budget_fen=5_000_000_000_00, comparable_fen=1_300_000_00, last_year_fen=1_000_000_00,
                        growth_basis="决算（相同经济分类）", available_fen=5_000_000_000_00,
                        paid_fen=2_000_000_000_00, audit_count=2, audit_unrectified=1,
                        audit_amount_fen=30_000_000_00)
    s = score(facts, month=9)
    texts = [e["text"] for e in s.explanation()]
    assert texts[0] == "3 条红色预警、1 条黄色预警 +35 分"
    assert texts[1].startswith("比上年决算（相同经济分类）增长 30.0%") and texts[1].endswith("+10 分")
    assert texts[2] == "执行率 40.0%，低于序时进度 75.0% 共 35.0 个百分点 +17 分"
    assert texts[3] == "审计查出问题 2 项（未整改 1 项），涉及 3,000.00 万元 +11 分"
    assert texts[4] == "预算 500,000.00 万元 +7 分"
    assert s.score == 35 + 10 + 17 + 11 + 7 == 80


def test_weights_are_configurable_and_refuse_nonsense() -> None:
    facts = TargetFacts("department", "D1", "甲", "D1", warnings={"red": 3})
    assert score(facts, with_weights(red=20)).explanation()[0]["text"] == "3 条红色预警 +40 分（封顶 40 分）"
    with pytest.raises(PlanError, match="非负整数"):
        with_weights(red=-1)
    with pytest.raises(PlanError):
        with_weights(growth_pct_per_point=0)


@pytest.fixture(scope="module")
def year_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    generate(engine, YEAR, payments=6000, projects=600, departments=40)
    engine.dispose()  # the last connection closing folds the write-ahead log into the file
    return path


@pytest.fixture
def db(year_db: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the generated year, so each test writes freely."""
    target = tmp_path / "copy.sqlite3"
    shutil.copy(year_db, target)
    engine = make_engine(f"sqlite:///{target}")
    yield engine
    engine.dispose()


def _add_warnings(engine: Engine, dept: str, level: str, n: int) -> None:
    with Session(engine) as s, s.begin():
        for i in range(n):
            s.add(BudgetWarning(warning_key=f"t|{dept}|{level}|{i}", rule="large_single_payment", level=level,
                                year=YEAR, department_code=dept, subject=dept, active=True))


def test_ranking_a_generated_year_finds_the_planted_anomalies_and_follows_new_warnings(db: Engine) -> None:
    ranked = rank(db, YEAR)
    assert len(ranked) == len({s.code for s in ranked}) > 10
    assert all(sum(e["points"] for e in s.explanation()) == s.score for s in ranked)
    # the generator plants a department 60 % behind time progress and one whose 三公经费 grew 60 %
    assert any(f.key == "execution" and f.points >= 10 for s in ranked for f in s.factors)
    assert any(f.key == "growth" and f.points > 0 for s in ranked for f in s.factors)
    last = ranked[-1]
    _add_warnings(db, last.code, "red", 3)
    again = {s.code: s for s in rank(db, YEAR)}
    assert again[last.code].score == last.score + 30
    assert again[last.code].explanation()[0]["text"] == "3 条红色预警 +30 分"
    with Session(db) as s:
        retired = s.scalars(select(BudgetWarning).where(BudgetWarning.department_code == last.code)).all()
    with Session(db) as s, s.begin():
        for w in retired:
            s.merge(w).active = False
    assert {x.code: x for x in rank(db, YEAR)}[last.code].score == last.score


def test_projects_rank_too(db: Engine) -> None:
    ranked = rank(db, YEAR, "project")
    with Session(db) as s:
        projects = set(s.scalars(select(Project.code).where(Project.year == YEAR)))
    assert {r.code for r in ranked} == projects
    with pytest.raises(ValueError, match="未知"):
        rank(db, YEAR, "payment")


def _experts(s: Session) -> dict[str, Expert]:
    rows = [Expert(name="赵文华", fields="教育、财政", user_id="u-zhao"),
            Expert(name="钱立新", fields="卫生、医疗", user_id="u-qian"),
            Expert(name="孙海燕", fields="审计、会计", user_id=""),
            Expert(name="停用专家", fields="教育", active=False)]
    s.add_all(rows)
    s.flush()
    return {e.name: e for e in rows}


def test_experts_are_suggested_by_expertise(db: Engine) -> None:
    with Session(db) as s, s.begin():
        e = _experts(s)
        picks = suggest_experts(s, "教科文卫", "2050203", limit=3)
        assert [p.expert.name for p in picks] == ["赵文华", "钱立新", "孙海燕"]
        assert picks[0].matched == ("教育", "财政")
        assert [p.expert.name for p in suggest_experts(s, "", "2100717", limit=1)] == ["钱立新"]
        assert "停用专家" not in {p.expert.name for p in suggest_experts(s, "教科文卫", "205", limit=9)}
        assert e["停用专家"].active is False


def test_a_plan_from_the_ranking_with_experts_and_tasks(db: Engine) -> None:
    top = rank(db, YEAR)[:3]
    factory = sessionmaker(db, expire_on_commit=False)
    with factory() as s, s.begin():
        e = _experts(s)
        plan = create_plan(s, YEAR, "2024年度重点审查计划", top)
        items = plan_items(s, plan.plan_no)
        assert [(i.target_code, i.risk_score) for i in items] == [(t.code, float(t.score)) for t in top]
        assert items[0].explanation == top[0].explanation() and items[0].committee == top[0].domain
        assign(s, items[0], [e["赵文华"].id, e["孙海燕"].id], committee="教科文卫")
        assign(s, items[1], [e["钱立新"].id])
        with pytest.raises(PlanError, match="不存在或已停用"):
            assign(s, items[2], [e["停用专家"].id])
        tasks = create_tasks(s, plan.plan_no, date(YEAR, 12, 20), today=date(YEAR, 11, 1))
        by_expert = {(t.target_code, t.expert_user_id) for t in tasks}
        assert (items[0].target_code, "u-zhao") in by_expert and (items[1].target_code, "u-qian") in by_expert
        assert all(t.status == "已分派" and t.due_on == date(YEAR, 12, 20) and "风险评分" in t.brief for t in tasks)
        assert len({t.task_no for t in tasks}) == len(tasks)
        assert create_tasks(s, plan.plan_no, date(YEAR, 12, 20)) == []  # once only
        assert s.get(ReviewPlan, plan.id).status == "已印发"  # type: ignore[union-attr]
        second = create_plan(s, YEAR, "第二批", top[:1])
        assert second.plan_no != plan.plan_no
    with Session(db) as s:
        assert len(s.scalars(select(ReviewTask)).all()) == len(tasks)


def test_refused_plans_change_nothing(db: Engine) -> None:
    top = rank(db, YEAR)[:2]
    factory = sessionmaker(db, expire_on_commit=False)
    for args, message in (((" ", top), "名称"), (("计划", []), "至少选择"), (("计划", [top[0], top[0]]), "两次")):
        with factory() as s, s.begin(), pytest.raises(PlanError, match=message):
            create_plan(s, YEAR, *args)  # type: ignore[arg-type]
    with factory() as s, s.begin():
        plan = create_plan(s, YEAR, "计划", top)
        for i in plan_items(s, plan.plan_no):
            i.committee = ""
    with factory() as s, pytest.raises(PlanError, match="分配专家或专委会"):
        create_tasks(s, plan.plan_no, date(YEAR, 12, 1))
    with factory() as s, pytest.raises(PlanError, match="早于今天"):
        create_tasks(s, plan.plan_no, date(YEAR, 1, 1), today=date(YEAR, 6, 1))
    with factory() as s, pytest.raises(PlanError, match="不存在"):
        create_tasks(s, "SC-none", date(YEAR, 12, 1))
    with Session(db) as s:
        assert s.scalars(select(ReviewTask)).all() == []
        assert len(s.scalars(select(ReviewPlan)).all()) == 1


def test_audit_findings_raise_the_score(db: Engine) -> None:
    base = {s.code: s for s in rank(db, YEAR)}
    with Session(db) as s:
        dept = s.scalars(select(Department.code).where(Department.code.in_(list(base)))).first()
    assert dept is not None
    with Session(db) as s, s.begin():
        s.add(AuditFinding(year=YEAR, finding_no="T-1", department_code=dept, title="测试问题",
                           amount_fen=50_000_000_00, rectification_status="未整改"))
    after = {s.code: s for s in rank(db, YEAR)}[dept]
    assert after.score > base[dept].score
    before_audit, after_audit = base[dept].factors[3], after.factors[3]
    assert after_audit.points > before_audit.points and "未整改" in after_audit.text
