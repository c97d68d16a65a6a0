"""Figures from the published budget (公开预算数据): what a deputy's or an expert's laptop can analyse.

A deputy or an expert syncs only the public tables — the four books' totals (``bgt_book``), the code tables,
the project budgets (``bgt_project``), tax revenue by month, social-insurance fund figures, state-owned-asset
figures and last year's final accounts — never indicators, plans or payments. Every figure here therefore
reads the *published budget* (年初预算 as approved and the bureaus' published figures), not execution detail;
:data:`SOURCE_NOTE` says so wherever the figures are shown. Each figure is one ``GROUP BY`` query; amounts
are integer fen, rates and shares ``Decimal`` percentages with two decimals (see ``figures.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from core.budget.analysis.figures import pct, shares
from core.budget.models import (
    BOOKS,
    BudgetBook,
    ClassCode,
    FinalAccount,
    Project,
    SocialFundFigure,
    StateAssetFigure,
    TaxRevenue,
)
from core.models.registry import Department

SOURCE_NOTE = ("数据来源：市人民代表大会批准的预算、上年决算和主管部门公开发布的数据（公开数据），"
               "不含指标、用款计划和支付明细")
"""Where the public figures come from, shown under every public chart and table."""

THREE_PUBLIC_CATEGORY = "三公经费"
THREE_PUBLIC_ITEMS: dict[str, str] = {
    "30212": "因公出国（境）费用",
    "30217": "公务接待费",
    "30231": "公务用车运行维护费",
}
"""三公经费 by economic code (部门预算支出经济分类, 款): the codes last year's final accounts are read by."""

STRUCTURES = ("class", "subclass", "department", "category")
"""Budget structure dimensions: functional 类 (3 digits), functional 款 (5 digits), department, category."""

INCOME, SPENDING = "收入", "支出"


def _live(model: Any) -> ColumnElement[bool]:
    return model.deleted.is_(False)  # type: ignore[no-any-return]


def growth_pct(current: int, previous: int | None) -> Decimal | None:
    """Growth on last year in percent; ``None`` when there is no last-year figure to compare with."""
    if previous is None or previous <= 0:
        return None
    return pct(current - previous, previous)


# books ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BookFigure:
    """One of the four books as published: revenue, budget, adjusted budget and executed (决算/执行数)."""

    book: str
    name: str
    revenue_fen: int
    budget_fen: int
    adjusted_fen: int
    executed_fen: int

    @property
    def rate(self) -> Decimal | None:
        """Executed as a percentage of the adjusted budget (of the budget when no adjustment was published)."""
        return pct(self.executed_fen, self.adjusted_fen or self.budget_fen)

    @property
    def adjustment_fen(self) -> int:
        return self.adjusted_fen - self.budget_fen if self.adjusted_fen else 0


def books(engine: Engine, year: int) -> list[BookFigure]:
    """The four books of ``year`` in the order of :data:`BOOKS` (a book without a row is left out)."""
    with engine.connect() as conn:
        rows = conn.execute(select(
            BudgetBook.book, func.max(BudgetBook.name), func.sum(BudgetBook.revenue_fen),
            func.sum(BudgetBook.budget_fen), func.sum(BudgetBook.adjusted_fen), func.sum(BudgetBook.executed_fen))
            .where(BudgetBook.year == year, _live(BudgetBook)).group_by(BudgetBook.book)).all()
    order = list(BOOKS)
    out = [BookFigure(b, BOOKS.get(b, n or b), int(r or 0), int(bu or 0), int(a or 0), int(e or 0))
           for b, n, r, bu, a, e in rows]
    return sorted(out, key=lambda f: (order.index(f.book) if f.book in order else len(order), f.book))


# budget structure ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetPart:
    """A part of the published project budgets: its budget, how many projects, its share of the whole."""

    code: str
    name: str
    budget_fen: int
    projects: int
    share: Decimal


def _class_names(engine: Engine, year: int, kind: str = "functional") -> dict[str, str]:
    with engine.connect() as conn:
        return {c: n for c, n in conn.execute(select(ClassCode.code, ClassCode.name).where(
            ClassCode.kind == kind, ClassCode.year == year, _live(ClassCode)))}


def department_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {c: n for c, n in conn.execute(select(Department.code, Department.name).where(_live(Department)))}


def budget_structure(engine: Engine, year: int, by: str, *, book: str | None = None) -> list[BudgetPart]:
    """Project budgets (``bgt_project.budget_fen``) of ``year`` grouped ``by`` one of :data:`STRUCTURES`,
    largest first; shares add up to exactly 100.00%. ``book`` limits to one book."""
    if by not in STRUCTURES:
        raise ValueError(f"未知的预算结构维度：{by}")
    key: Any = {"class": func.substr(Project.functional_code, 1, 3),
                "subclass": func.substr(Project.functional_code, 1, 5),
                "department": Project.department_code, "category": Project.category}[by]
    where = [Project.year == year, _live(Project)]
    if book is not None:
        where.append(Project.book == book)
    with engine.connect() as conn:
        rows = conn.execute(select(key, func.sum(Project.budget_fen), func.count())
                            .where(*where).group_by(key)
                            .order_by(func.sum(Project.budget_fen).desc(), key)).all()
    names = department_names(engine) if by == "department" else (
        _class_names(engine, year) if by in ("class", "subclass") else {})
    counts = {k or "": int(n) for k, _a, n in rows}
    parts = shares([(k or "", names.get(k or "", "") or (k or "（未分类）"), int(a or 0)) for k, a, _n in rows])
    return [BudgetPart(s.code, s.name, s.amount_fen, counts[s.code], s.share) for s in parts]


# department ranking --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DepartmentBudget:
    """A department's published budget: total, its 三公经费 part, projects, share of all departments, and
    last year's project budgets (``None`` when the database holds no project budgets of last year)."""

    rank: int
    code: str
    name: str
    domain: str
    budget_fen: int
    projects: int
    three_public_fen: int
    share: Decimal
    previous_fen: int | None = None

    @property
    def growth(self) -> Decimal | None:
        """Budget growth on last year's budget (年初预算 against 年初预算, the same basis)."""
        return growth_pct(self.budget_fen, self.previous_fen)


def department_ranking(engine: Engine, year: int, *, descending: bool = True) -> list[DepartmentBudget]:
    """Departments ranked by their project budgets (rank 1 = largest when ``descending``)."""
    three = func.sum(case((Project.category == THREE_PUBLIC_CATEGORY, Project.budget_fen), else_=0))
    with engine.connect() as conn:
        rows = conn.execute(select(Project.department_code, func.sum(Project.budget_fen), func.count(), three)
                            .where(Project.year == year, _live(Project))
                            .group_by(Project.department_code)).all()
        previous = {c: int(a or 0) for c, a in conn.execute(
            select(Project.department_code, func.sum(Project.budget_fen))
            .where(Project.year == year - 1, _live(Project)).group_by(Project.department_code))}
        depts = {c: (n, d or "") for c, n, d in conn.execute(
            select(Department.code, Department.name, Department.domain).where(_live(Department)))}
    parts = {s.code: s for s in shares([(c, "", int(a or 0)) for c, a, _n, _t in rows])}
    ordered = sorted(rows, key=lambda r: (-int(r[1] or 0) if descending else int(r[1] or 0), r[0]))
    return [DepartmentBudget(i, c, depts.get(c, (c, ""))[0], depts.get(c, (c, ""))[1], int(a or 0), int(n),
                             int(t or 0), parts[c].share, previous.get(c, 0) if previous else None)
            for i, (c, a, n, t) in enumerate(ordered, 1)]


# 三公经费 ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThreePublicRow:
    """三公经费 of a department (or of one item, or the total): this year's budget against last year's final
    accounts (决算). ``previous_fen`` is None when last year's final accounts do not cover it."""

    code: str
    name: str
    budget_fen: int
    previous_fen: int | None

    @property
    def growth(self) -> Decimal | None:
        return growth_pct(self.budget_fen, self.previous_fen)

    @property
    def change_fen(self) -> int | None:
        return None if self.previous_fen is None else self.budget_fen - self.previous_fen


@dataclass(frozen=True)
class ThreePublic:
    departments: list[ThreePublicRow]
    items: list[ThreePublicRow]
    total: ThreePublicRow
    has_previous: bool


def three_public(engine: Engine, year: int) -> ThreePublic:
    """三公经费 budgets (projects of category 三公经费) by department and by item, against last year's final
    accounts of the 三公 economic codes (:data:`THREE_PUBLIC_ITEMS`); largest budget first."""
    econ = func.substr(Project.economic_code, 1, 5)
    fa_econ = func.substr(FinalAccount.economic_code, 1, 5)
    codes = list(THREE_PUBLIC_ITEMS)
    with engine.connect() as conn:
        current = {c: int(a or 0) for c, a in conn.execute(
            select(Project.department_code, func.sum(Project.budget_fen)).where(
                Project.year == year, _live(Project), Project.category == THREE_PUBLIC_CATEGORY)
            .group_by(Project.department_code))}
        by_item = {c: int(a or 0) for c, a in conn.execute(
            select(econ, func.sum(Project.budget_fen)).where(
                Project.year == year, _live(Project), Project.category == THREE_PUBLIC_CATEGORY).group_by(econ))}
        final_where = [FinalAccount.year == year - 1, _live(FinalAccount), fa_econ.in_(codes)]
        previous = {c: int(a or 0) for c, a in conn.execute(
            select(FinalAccount.department_code, func.sum(FinalAccount.final_fen)).where(*final_where)
            .group_by(FinalAccount.department_code))}
        previous_items = {c: int(a or 0) for c, a in conn.execute(
            select(fa_econ, func.sum(FinalAccount.final_fen)).where(*final_where).group_by(fa_econ))}
    names = department_names(engine)
    has_previous = bool(previous)
    rows = [ThreePublicRow(c, names.get(c, c), current.get(c, 0), previous.get(c) if has_previous else None)
            for c in set(current) | set(previous)]
    rows.sort(key=lambda r: (-r.budget_fen, r.code))
    economic_names = _class_names(engine, year, "economic")
    items = [ThreePublicRow(c, THREE_PUBLIC_ITEMS.get(c) or economic_names.get(c, c), by_item.get(c, 0),
                            previous_items.get(c, 0) if has_previous else None)
             for c in sorted(set(by_item) | set(previous_items))]
    total = ThreePublicRow("", "合计", sum(current.values()),
                           sum(previous.values()) if has_previous else None)
    return ThreePublic(rows, items, total, has_previous)


# tax revenue ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaxMonth:
    """Tax revenue of one month and to date; last year's same month when the database holds last year."""

    month: int
    amount_fen: int
    cumulative_fen: int
    previous_fen: int | None
    previous_cumulative_fen: int | None

    @property
    def growth(self) -> Decimal | None:
        """Cumulative year on year (累计同比)."""
        return growth_pct(self.cumulative_fen, self.previous_cumulative_fen)


@dataclass(frozen=True)
class TaxCategory:
    """One revenue code to date (months 1…``TaxRevenueFigures.month``), with its share and year on year."""

    code: str
    name: str
    amount_fen: int
    share: Decimal
    previous_fen: int | None

    @property
    def growth(self) -> Decimal | None:
        return growth_pct(self.amount_fen, self.previous_fen)


@dataclass(frozen=True)
class TaxRevenueFigures:
    year: int
    month: int
    """Last month with figures (0 when there are none)."""
    months: list[TaxMonth]
    categories: list[TaxCategory]
    has_previous: bool

    @property
    def total_fen(self) -> int:
        return self.months[-1].cumulative_fen if self.months else 0


def tax_revenue(engine: Engine, year: int) -> TaxRevenueFigures:
    """Tax revenue of ``year`` by month (cumulative) and by revenue code, year on year with ``year - 1`` on the
    same months when the database holds it. All regions are summed (the published city total)."""
    with engine.connect() as conn:
        monthly = conn.execute(select(TaxRevenue.year, TaxRevenue.month, func.sum(TaxRevenue.amount_fen))
                               .where(TaxRevenue.year.in_((year, year - 1)), _live(TaxRevenue))
                               .group_by(TaxRevenue.year, TaxRevenue.month)).all()
        this = {int(m): int(a or 0) for y, m, a in monthly if y == year}
        last = {int(m): int(a or 0) for y, m, a in monthly if y == year - 1}
        month = max(this, default=0)
        by_code = conn.execute(select(TaxRevenue.year, TaxRevenue.revenue_code, func.max(TaxRevenue.category),
                                      func.sum(TaxRevenue.amount_fen))
                               .where(TaxRevenue.year.in_((year, year - 1)), TaxRevenue.month <= month,
                                      _live(TaxRevenue))
                               .group_by(TaxRevenue.year, TaxRevenue.revenue_code)).all()
    has_previous = bool(last)
    months: list[TaxMonth] = []
    running = previous_running = 0
    for m in range(1, month + 1):
        running += this.get(m, 0)
        previous_running += last.get(m, 0)
        months.append(TaxMonth(m, this.get(m, 0), running, last.get(m, 0) if has_previous else None,
                               previous_running if has_previous else None))
    current = {c: (n or "", int(a or 0)) for y, c, n, a in by_code if y == year}
    before = {c: int(a or 0) for y, c, _n, a in by_code if y == year - 1}
    ordered = sorted(current.items(), key=lambda kv: (-kv[1][1], kv[0]))
    parts = shares([(c, n or c, a) for c, (n, a) in ordered])
    categories = [TaxCategory(s.code, s.name, s.amount_fen, s.share,
                              before.get(s.code, 0) if has_previous else None) for s in parts]
    return TaxRevenueFigures(year, month, months, categories, has_previous)


# social-insurance funds ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FundFigure:
    """A social-insurance fund's income and spending (all published months summed) and what is left."""

    fund: str
    income_fen: int
    spending_fen: int
    items: tuple[tuple[str, str, int], ...]
    """(direction, item, amount) — where the income comes from and where the spending goes."""

    @property
    def balance_fen(self) -> int:
        """Income minus spending (当年结余; negative: the fund drew on its reserves)."""
        return self.income_fen - self.spending_fen

    @property
    def cover(self) -> Decimal | None:
        """Income as a percentage of spending (收支比)."""
        return pct(self.income_fen, self.spending_fen)


def social_funds(engine: Engine, year: int) -> list[FundFigure]:
    """Per fund: income and spending of ``year``, largest spending first."""
    with engine.connect() as conn:
        rows = conn.execute(select(SocialFundFigure.fund, SocialFundFigure.direction, SocialFundFigure.item,
                                   func.sum(SocialFundFigure.amount_fen))
                            .where(SocialFundFigure.year == year, _live(SocialFundFigure))
                            .group_by(SocialFundFigure.fund, SocialFundFigure.direction, SocialFundFigure.item)
                            .order_by(SocialFundFigure.fund, SocialFundFigure.direction,
                                      SocialFundFigure.item)).all()
    funds: dict[str, list[tuple[str, str, int]]] = {}
    for fund, direction, item, amount in rows:
        funds.setdefault(fund, []).append((direction, item, int(amount or 0)))
    out = [FundFigure(f, sum(a for d, _i, a in items if d == INCOME), sum(a for d, _i, a in items if d == SPENDING),
                      tuple(items)) for f, items in funds.items()]
    return sorted(out, key=lambda f: (-f.spending_fen, f.fund))


# state-owned assets --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssetFigure:
    """One indicator (资产总额, 负债总额 …) of one asset category, summed over its entities."""

    category: str
    indicator: str
    value_fen: int
    entities: int


@dataclass(frozen=True)
class EntityAssets:
    """One entity's total assets and liabilities; the debt ratio (资产负债率) when both are published."""

    entity: str
    category: str
    assets_fen: int
    liabilities_fen: int

    @property
    def debt_ratio(self) -> Decimal | None:
        return pct(self.liabilities_fen, self.assets_fen)


ASSETS, LIABILITIES = "资产总额", "负债总额"


def state_assets(engine: Engine, year: int) -> list[AssetFigure]:
    """State-owned-asset figures of ``year`` by category and indicator."""
    with engine.connect() as conn:
        rows = conn.execute(select(StateAssetFigure.category, StateAssetFigure.indicator,
                                   func.sum(StateAssetFigure.value_fen),
                                   func.count(func.distinct(StateAssetFigure.entity)))
                            .where(StateAssetFigure.year == year, _live(StateAssetFigure))
                            .group_by(StateAssetFigure.category, StateAssetFigure.indicator)).all()
    figures = [AssetFigure(c or "", i, int(v or 0), int(n)) for c, i, v, n in rows]
    return sorted(figures, key=lambda f: (f.category, -f.value_fen, f.indicator))


def asset_entities(engine: Engine, year: int) -> list[EntityAssets]:
    """Entities by total assets, largest first, with their liabilities."""
    a = StateAssetFigure
    assets = func.sum(case((a.indicator == ASSETS, a.value_fen), else_=0))
    debts = func.sum(case((a.indicator == LIABILITIES, a.value_fen), else_=0))
    with engine.connect() as conn:
        rows = conn.execute(select(a.entity, func.max(a.category), assets, debts)
                            .where(a.year == year, _live(a)).group_by(a.entity)).all()
    out = [EntityAssets(e, c or "", int(s or 0), int(d or 0)) for e, c, s, d in rows]
    return sorted(out, key=lambda x: (-x.assets_fen, x.entity))


# everything at once --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicFigures:
    """All public figures of one year, as the page and a deputy's briefing read them."""

    year: int
    books: list[BookFigure]
    structure: dict[str, list[BudgetPart]]
    three_public: ThreePublic
    tax: TaxRevenueFigures
    funds: list[FundFigure]
    assets: list[AssetFigure]
    entities: list[EntityAssets]
    ranking: list[DepartmentBudget]
    source: str = SOURCE_NOTE

    @property
    def empty(self) -> bool:
        """No published data of the year at all (nothing synced yet)."""
        return not (self.books or self.ranking or self.tax.months or self.funds or self.assets)


def public_figures(engine: Engine, year: int) -> PublicFigures:
    return PublicFigures(
        year=year, books=books(engine, year),
        structure={k: budget_structure(engine, year, k) for k in STRUCTURES},
        three_public=three_public(engine, year), tax=tax_revenue(engine, year), funds=social_funds(engine, year),
        assets=state_assets(engine, year), entities=asset_entities(engine, year),
        ranking=department_ranking(engine, year))
