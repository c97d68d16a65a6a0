"""Public budget figures (what a deputy's laptop can analyse) equal independent sums over the synced rows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.analysis import public
from core.budget.analysis.public import THREE_PUBLIC_ITEMS, public_figures
from core.budget.demo import generate
from core.budget.models import (
    BudgetBook,
    FinalAccount,
    Project,
    SocialFundFigure,
    StateAssetFigure,
    TaxRevenue,
)
from core.models.registry import Department
from tests.sync.harness import World, client_rows

YEAR = 2024


def _rows(engine: Engine, model: Any, *where: Any) -> list[Any]:
    with Session(engine) as s:
        return list(s.scalars(select(model).where(model.deleted.is_(False), *where)))


@pytest.fixture
def deputy_laptop(world: World) -> Engine:
    """A deputy's laptop synced from a server holding a generated year (payments and all)."""
    generate(world.engine, YEAR, 3000, projects=300, seed=5)
    deputy = world.client(world.add_user("deputy", "deputy"))
    deputy.sync()
    rows = client_rows(deputy)
    assert rows["bgt_payment"] == {} and rows["bgt_indicator"] == {} and rows["bgt_plan"] == {}
    return deputy.store.engine  # type: ignore[no-any-return]


def test_figures_on_a_deputy_laptop_equal_independent_sums(world: World, deputy_laptop: Engine) -> None:
    f = public_figures(deputy_laptop, YEAR)
    assert not f.empty and "不含指标、用款计划和支付明细" in f.source

    # the four books, as published
    books = {b.book: b for b in _rows(world.engine, BudgetBook, BudgetBook.year == YEAR)}
    assert [b.book for b in f.books] == ["general", "fund", "soe", "social"]
    for b in f.books:
        assert (b.budget_fen, b.adjusted_fen, b.executed_fen) == (
            books[b.book].budget_fen, books[b.book].adjusted_fen, books[b.book].executed_fen)
        assert b.rate == (Decimal(b.executed_fen) * 100 / b.adjusted_fen).quantize(Decimal("0.01"))

    # structure by functional class and by department, from project budgets
    projects = _rows(world.engine, Project, Project.year == YEAR)
    by_class: dict[str, int] = defaultdict(int)
    by_dept: dict[str, int] = defaultdict(int)
    three: dict[str, int] = defaultdict(int)
    for p in projects:
        by_class[p.functional_code[:3]] += p.budget_fen
        by_dept[p.department_code] += p.budget_fen
        if p.category == "三公经费":
            three[p.department_code] += p.budget_fen
    assert {s.code: s.budget_fen for s in f.structure["class"]} == by_class
    assert sum(s.projects for s in f.structure["class"]) == len(projects)
    assert all(s.name and s.name != s.code for s in f.structure["class"])
    for key in public.STRUCTURES:
        assert sum(s.share for s in f.structure[key]) == Decimal(100)
        assert sum(s.budget_fen for s in f.structure[key]) == sum(by_class.values())
    assert {s.code for s in f.structure["subclass"]} == {p.functional_code[:5] for p in projects}

    # department ranking: largest budget first, names and 三公 parts
    names = {d.code: d.name for d in _rows(world.engine, Department)}
    assert [(r.code, r.budget_fen) for r in f.ranking] == sorted(by_dept.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [r.rank for r in f.ranking] == list(range(1, len(by_dept) + 1))
    assert all(r.name == names[r.code] and r.three_public_fen == three.get(r.code, 0) for r in f.ranking)

    # 三公经费 against last year's final accounts of the 三公 economic codes
    finals: dict[str, int] = defaultdict(int)
    for fa in _rows(world.engine, FinalAccount, FinalAccount.year == YEAR - 1):
        if fa.economic_code[:5] in THREE_PUBLIC_ITEMS:
            finals[fa.department_code] += fa.final_fen
    t = f.three_public
    assert t.has_previous and t.total.budget_fen == sum(three.values()) and t.total.previous_fen == sum(finals.values())
    assert {r.code: (r.budget_fen, r.previous_fen) for r in t.departments} == {
        c: (three.get(c, 0), finals.get(c, 0)) for c in set(three) | set(finals)}
    assert sum(i.budget_fen for i in t.items) == t.total.budget_fen
    assert {i.name for i in t.items} <= set(THREE_PUBLIC_ITEMS.values())

    # tax revenue by month, cumulative, and by revenue code
    tax = _rows(world.engine, TaxRevenue, TaxRevenue.year == YEAR)
    monthly: dict[int, int] = defaultdict(int)
    by_code: dict[str, int] = defaultdict(int)
    for r in tax:
        monthly[r.month] += r.amount_fen
        by_code[r.revenue_code] += r.amount_fen
    assert f.tax.month == 12 and not f.tax.has_previous
    assert [m.amount_fen for m in f.tax.months] == [monthly[m] for m in range(1, 13)]
    assert f.tax.months[5].cumulative_fen == sum(monthly[m] for m in range(1, 7))
    assert f.tax.total_fen == sum(by_code.values())
    assert {c.code: c.amount_fen for c in f.tax.categories} == by_code
    assert all(m.growth is None for m in f.tax.months)

    # social-insurance funds: income and spending per fund
    income: dict[str, int] = defaultdict(int)
    spending: dict[str, int] = defaultdict(int)
    for r in _rows(world.engine, SocialFundFigure, SocialFundFigure.year == YEAR):
        (income if r.direction == "收入" else spending)[r.fund] += r.amount_fen
    assert {x.fund: (x.income_fen, x.spending_fen) for x in f.funds} == {
        k: (income[k], spending[k]) for k in income}
    assert all(x.balance_fen == x.income_fen - x.spending_fen for x in f.funds)
    assert [x.spending_fen for x in f.funds] == sorted((x.spending_fen for x in f.funds), reverse=True)

    # state-owned assets by category and indicator, and per entity
    assets: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for r in _rows(world.engine, StateAssetFigure, StateAssetFigure.year == YEAR):
        assets[(r.category, r.indicator)] += r.value_fen
        if r.indicator == "资产总额":
            totals[r.entity] += r.value_fen
    assert {(a.category, a.indicator): a.value_fen for a in f.assets} == assets
    assert [(e.entity, e.assets_fen) for e in f.entities] == sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    assert all(e.debt_ratio == Decimal("60.00") for e in f.entities)

    # the server, holding everything, shows the same public figures
    assert public_figures(world.engine, YEAR) == f


def test_tax_year_on_year_and_tombstones(factory: sessionmaker[Session], engine: Engine) -> None:
    with factory() as s, s.begin():
        for year, amounts in ((2023, (100, 200, 300)), (2024, (110, 180, 0))):
            for month, amount in enumerate(amounts, 1):
                if amount:
                    s.add(TaxRevenue(year=year, month=month, revenue_code="101010101", category="增值税",
                                     amount_fen=amount * 10_000))
        s.add(TaxRevenue(year=2024, month=2, revenue_code="101060101", category="个人所得税", amount_fen=20 * 10_000))
        s.add(TaxRevenue(year=2024, month=1, revenue_code="101060101", category="个人所得税", amount_fen=999_999,
                         deleted=True))
    tax = public.tax_revenue(engine, 2024)
    assert tax.month == 2 and tax.has_previous
    assert [(m.amount_fen, m.cumulative_fen, m.previous_cumulative_fen) for m in tax.months] == [
        (1_100_000, 1_100_000, 1_000_000), (2_000_000, 3_100_000, 3_000_000)]
    assert tax.months[-1].growth == Decimal("3.33")
    vat, pit = tax.categories
    assert (vat.name, vat.amount_fen, vat.previous_fen, vat.growth) == ("增值税", 2_900_000, 3_000_000, Decimal("-3.33"))
    assert (pit.name, pit.previous_fen, pit.growth) == ("个人所得税", 0, None)
    assert vat.share + pit.share == Decimal(100)


def test_three_public_without_last_years_accounts_says_so(factory: sessionmaker[Session], engine: Engine) -> None:
    with factory() as s, s.begin():
        s.add(Department(code="D1", name="市甲局"))
        s.add(Project(year=2024, code="P1", name="甲局三公经费", department_code="D1", economic_code="30217",
                      category="三公经费", budget_fen=5_000_000))
        s.add(Project(year=2024, code="P2", name="甲局项目", department_code="D1", economic_code="30201",
                      category="项目支出", budget_fen=95_000_000))
    t = public.three_public(engine, 2024)
    assert not t.has_previous and t.total.previous_fen is None and t.total.growth is None
    assert [(r.name, r.budget_fen) for r in t.departments] == [("市甲局", 5_000_000)]
    assert [(i.name, i.budget_fen) for i in t.items] == [("公务接待费", 5_000_000)]
    (rank,) = public.department_ranking(engine, 2024)
    assert (rank.budget_fen, rank.three_public_fen, rank.share, rank.projects) == (100_000_000, 5_000_000,
                                                                                  Decimal(100), 2)


def test_an_empty_year_and_an_unknown_dimension(engine: Engine) -> None:
    f = public_figures(engine, 2031)
    assert f.empty and f.books == [] and f.tax.months == [] and f.tax.total_fen == 0
    with pytest.raises(ValueError, match="未知的预算结构维度"):
        public.budget_structure(engine, 2031, "region")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["D1", "D2", "D3", "D4"]), st.integers(0, 10**12)), min_size=1,
                max_size=12))
def test_ranking_orders_budgets_and_shares_add_up(engine: Engine, budgets: list[tuple[str, int]]) -> None:
    with Session(engine) as s, s.begin():
        s.query(Project).delete()
        for i, (dept, amount) in enumerate(budgets):
            s.add(Project(year=2024, code=f"P{i}", name="项目", department_code=dept, budget_fen=amount))
    totals: dict[str, int] = defaultdict(int)
    for dept, amount in budgets:
        totals[dept] += amount
    ranking = public.department_ranking(engine, 2024)
    assert [(r.code, r.budget_fen) for r in ranking] == sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    assert sum(r.share for r in ranking) == (Decimal(100) if sum(totals.values()) else Decimal(0))
    ascending = public.department_ranking(engine, 2024, descending=False)
    assert [r.budget_fen for r in ascending] == sorted(totals.values())


def test_ranking_compares_with_last_years_project_budgets(factory: sessionmaker[Session], engine: Engine) -> None:
    with factory() as s, s.begin():
        s.add(Department(code="D1", name="市甲局", domain="财经"))
        s.add(Department(code="D2", name="市乙局"))
        for year, dept, code, amount in ((2024, "D1", "P1", 300), (2024, "D2", "P2", 100), (2023, "D1", "Q1", 250),
                                         (2023, "D3", "Q2", 80)):
            s.add(Project(year=year, code=code, name="项目", department_code=dept, budget_fen=amount * 1_000_000))
    first, second = public.department_ranking(engine, 2024)
    assert (first.name, first.domain, first.previous_fen, first.growth) == ("市甲局", "财经", 250_000_000,
                                                                           Decimal("20.00"))
    assert (second.name, second.domain, second.previous_fen, second.growth) == ("市乙局", "", 0, None)
    earlier = public.department_ranking(engine, 2023)
    assert [(r.code, r.name, r.previous_fen) for r in earlier] == [("D1", "市甲局", None), ("D3", "D3", None)]
