"""Compile a :class:`QuerySpec` to one SQL aggregate (SQLAlchemy Core).

Every measure comes from the table that owns it — projects (budget), indicators (indicator, adjusted),
spending plans joined to their indicator (planned), single payments or their roll-up (paid, count). Each
source is grouped by the current level in its own branch; the branches are glued with ``UNION ALL`` and
grouped once more, so one statement answers the whole screen and each branch uses its table's indexes.

A source that lacks a dimension the spec groups or filters by is left out, and its measures come back NULL
(shown as “—”) rather than unfiltered: an indicator has no payee, a project has no month. One exception is
deliberate: month conditions never cut the year's budget, so “paid by June ÷ the year's budget” reads as the
execution rate to date (序时进度).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, case, false, func, literal, null, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import TableClause, column

from core.budget.models import Indicator, Payment, Project, SpendingPlan
from core.budget.query.rollup import CodeRollup, PayeeIndex, PaymentRollup
from core.budget.query.spec import LEVELS, QuerySpec

TOP = "\U0010ffff"
"""Above every character: ``col >= p AND col < p || TOP`` is a prefix match that an index can seek."""

# dimension → column name in each source (None: the source does not know it)
_DIM_COLUMNS: dict[str, dict[str, str]] = {
    "payment": {"book": "book", "functional": "functional_code", "economic": "economic_code",
                "department": "department_code", "unit": "unit_code", "project": "project_code",
                "indicator": "indicator_no", "application": "application_no", "month": "month",
                "method": "method", "payee": "payee", "purpose": "purpose", "date": "paid_on",
                "amount": "amount_fen"},
    "indicator": {"book": "book", "functional": "functional_code", "economic": "economic_code",
                  "department": "department_code", "unit": "unit_code", "project": "project_code",
                  "indicator": "indicator_no", "funding_source": "funding_source"},
    "project": {"book": "book", "functional": "functional_code", "economic": "economic_code",
                "department": "department_code", "unit": "unit_code", "project": "code"},
}
_ROLLUP_DIMS = {"book", "functional", "economic", "department", "unit", "project", "indicator", "application",
                "month", "method"}
_CODE_ROLLUP_DIMS = {"book", "functional", "economic", "month", "method"}
"""Dimensions the code-level roll-up keeps: a spec within them reads it instead of the full roll-up."""
_PLAN_OWN = {"department": "department_code", "project": "project_code", "indicator": "indicator_no",
             "month": "month"}
_PLAN_VIA_INDICATOR = {"book": "book", "functional": "functional_code", "economic": "economic_code",
                       "unit": "unit_code", "funding_source": "funding_source"}

_LEVEL_DIM = {"book": "book", "func_class": "functional", "func_item": "functional", "func_sub": "functional",
              "department": "department", "unit": "unit", "project": "project", "indicator": "indicator",
              "application": "application", "econ_class": "economic", "economic": "economic", "month": "month",
              "method": "method"}

MEASURE_COLUMNS = ("budget", "indicator", "adjusted", "planned", "paid", "count")


class _IndexedBy(TableClause):
    """A table read through one named index (SQLite ``INDEXED BY``); plain elsewhere.

    SQLite's planner, without statistics, reads the payee search through the (year, department) index and
    scans the whole year; the matching payees' payments are few, so they are read through (year, payee)."""

    inherit_cache = False

    def __init__(self, table: Table, index: str) -> None:
        super().__init__(table.name, *[column(c.name, c.type) for c in table.columns])
        self.index = index


@compiles(_IndexedBy, "sqlite")
def _indexed_by(element: _IndexedBy, compiler: Any, **kw: Any) -> str:
    name: str = compiler.visit_table(element, **kw)
    return f"{name} INDEXED BY {element.index}" if kw.get("asfrom") else name


PAYEE_INDEX = "ix_bgt_payment_year_payee"


@dataclass(frozen=True)
class Condition:
    """One condition on a dimension: ``eq`` (exact), ``prefix``, ``contains``, or an inclusive ``range``."""

    dim: str
    op: str
    value: Any
    high: Any = None


def conditions(spec: QuerySpec) -> list[Condition]:
    """Every condition of the spec: its filters and the keys chosen on the drill path."""
    f = spec.filters
    out: list[Condition] = []
    for dim, value in (("book", f.book), ("department", f.department), ("unit", f.unit), ("project", f.project),
                       ("indicator", f.indicator), ("funding_source", f.funding_source), ("method", f.method)):
        if value:
            out.append(Condition(dim, "eq", value))
    for dim, value in (("functional", f.functional), ("economic", f.economic)):
        if value:
            out.append(Condition(dim, "prefix", value))
    for dim, value in (("payee", f.payee), ("purpose", f.purpose)):
        if value:
            out.append(Condition(dim, "contains", value))
    if f.month_from is not None or f.month_to is not None:
        out.append(Condition("month", "range", f.month_from or 1, f.month_to or 12))
    if f.date_from or f.date_to:
        out.append(Condition("date", "range", date.fromisoformat(f.date_from) if f.date_from else None,
                             date.fromisoformat(f.date_to) if f.date_to else None))
    if f.amount_min_fen is not None or f.amount_max_fen is not None:
        out.append(Condition("amount", "range", f.amount_min_fen, f.amount_max_fen))
    for level_key, key in spec.chosen():
        level = LEVELS[level_key]
        dim = _LEVEL_DIM[level_key]
        if dim == "month":
            out.append(Condition("month", "range", int(key), int(key)))
        elif level.width:
            out.append(Condition(dim, "prefix", key))
        else:
            out.append(Condition(dim, "eq", key))
    return out


def _apply(col: Any, cond: Condition) -> ColumnElement[bool]:
    if cond.op == "eq":
        return col == cond.value  # type: ignore[no-any-return]
    if cond.op == "prefix":
        return and_(col >= cond.value, col < cond.value + TOP)
    if cond.op == "contains":
        return col.contains(cond.value, autoescape=True)  # type: ignore[no-any-return]
    if cond.op == "payees":
        # the text matched against the year's distinct payees, their payments then found by (year, payee)
        names = PayeeIndex.__table__
        matching = select(names.c.payee).where(names.c.year == cond.high,
                                               names.c.payee.contains(cond.value, autoescape=True))
        return col.in_(matching)  # type: ignore[no-any-return]
    parts = []
    if cond.value is not None:
        parts.append(col >= cond.value)
    if cond.high is not None:
        parts.append(col <= cond.high)
    return and_(*parts)


def _group_key(level_key: str, table: Any, column: str) -> ColumnElement[Any]:
    level = LEVELS[level_key]
    col = table.c[column]
    if level.width:
        return func.substr(col, 1, level.width)  # type: ignore[no-any-return]
    if level_key == "month":
        return func.cast(col, Payment.__table__.c.payment_no.type)  # type: ignore[no-any-return]
    return col  # type: ignore[no-any-return]


def _funding(cond: Condition, year: int, column: Any) -> ColumnElement[bool]:
    """Sources without a funding source reach it through the indicators that carry it."""
    ind = Indicator.__table__
    sub = select(ind.c.indicator_no if column.name == "indicator_no" else ind.c.project_code).where(
        ind.c.year == year, ind.c.deleted.is_(False), ind.c.funding_source == cond.value)
    return column.in_(sub)  # type: ignore[no-any-return]


def _row(key: ColumnElement[Any], **measures: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    cols: list[ColumnElement[Any]] = [key.label("key")]
    for name in MEASURE_COLUMNS:
        cols.append((measures.get(name, null())).label(name))
    return cols


def _branch(spec: QuerySpec, source: str, table: Any, columns: dict[str, str],
            measures: dict[str, Any], conds: list[Condition], *, budget: bool) -> Select[Any] | None:
    level = spec.level
    assert level is not None
    dim = _LEVEL_DIM[level]
    if dim not in columns:
        return None
    wheres: list[ColumnElement[bool]] = [table.c.year == spec.year, table.c.deleted.is_(False)] \
        if "deleted" in table.c else [table.c.year == spec.year]
    for cond in conds:
        if budget and cond.dim == "month":
            continue  # month conditions never cut the year's budget
        if cond.dim == "funding_source" and cond.dim not in columns:
            target = columns.get("indicator") or columns.get("project")
            if target is None:
                return None
            wheres.append(_funding(cond, spec.year, table.c[target]))
            continue
        if cond.dim not in columns:
            return None
        wheres.append(_apply(table.c[columns[cond.dim]], cond))
    key = _group_key(level, table, columns[dim])
    return select(*_row(key, **measures)).where(*wheres).group_by(key)


def payment_source(spec: QuerySpec, rollup: bool) -> str:
    """``rollup`` when the roll-up can answer every payment condition, else ``payment``."""
    if rollup and all(c.dim in _ROLLUP_DIMS or c.dim == "funding_source" for c in conditions(spec)):
        return "rollup"
    return "payment"


def compile_spec(spec: QuerySpec, *, rollup: bool = False) -> Select[Any]:
    """The one statement answering ``spec``: rows of (key, budget, indicator, adjusted, planned, paid, count)."""
    if spec.level is None:
        raise ValueError("the single payments are listed by core.budget.query.payments")
    conds = conditions(spec)
    payment_only = any(c.dim in ("payee", "purpose", "date", "amount", "method") for c in conds)
    branches: list[Select[Any]] = []
    wanted = set(spec.measures)
    if "rate" in wanted:
        wanted |= {"paid", "adjusted"}
    if not payment_only:
        if "budget" in wanted:
            pj = Project.__table__
            b = _branch(spec, "project", pj, _DIM_COLUMNS["project"], {"budget": func.sum(pj.c.budget_fen)},
                        conds, budget=True)
            if b is not None:
                branches.append(b)
        if wanted & {"indicator", "adjusted"}:
            ind = Indicator.__table__
            b = _branch(spec, "indicator", ind, _DIM_COLUMNS["indicator"], {
                "indicator": func.sum(ind.c.amount_fen),
                "adjusted": func.sum(ind.c.amount_fen + ind.c.adjusted_fen + ind.c.carried_over_fen)},
                conds, budget=True)
            if b is not None:
                branches.append(b)
    plans_allowed = not payment_only and "planned" in wanted and _plans_answer(spec, conds)
    if payment_source(spec, rollup) == "rollup" and wanted & {"paid", "count", "planned"}:
        branches.append(_rollup_branch(spec, conds, plans=plans_allowed))
    else:
        if plans_allowed:
            plan = _plan_branch(spec, conds)
            if plan is not None:
                branches.append(plan)
        if wanted & {"paid", "count"}:
            pay: Any = Payment.__table__
            pay_conds = [Condition("payee", "payees", c.value, spec.year)
                         if rollup and c.dim == "payee" and c.op == "contains" else c for c in conds]
            if pay_conds != conds:
                pay = _IndexedBy(pay, PAYEE_INDEX)
            b = _branch(spec, "payment", pay, _DIM_COLUMNS["payment"],
                        {"paid": func.sum(pay.c.amount_fen), "count": func.count()}, pay_conds, budget=False)
            if b is not None:
                branches.append(b)
    if not branches:
        empty = select(*_row(literal(""))).where(false())
        branches.append(empty)
    u = union_all(*branches).subquery("m")
    return select(u.c.key, *[func.sum(u.c[m]).label(m) for m in MEASURE_COLUMNS]).group_by(u.c.key) \
        .order_by(u.c.key)


def _plans_answer(spec: QuerySpec, conds: list[Condition]) -> bool:
    """Plans know neither the payment application nor the method: they cannot be grouped or cut by them."""
    dims = {c.dim for c in conds} | {_LEVEL_DIM[spec.level or "book"]}
    return not dims & {"application", "method"}


def _rollup_branch(spec: QuerySpec, conds: list[Condition], *, plans: bool) -> Select[Any]:
    """Payments (and, when they can answer, plans) from the local roll-up: one range of its clustered key.

    A spec that groups and cuts by codes, month and method alone reads the code-level sums instead."""
    dims = {c.dim for c in conds} | {_LEVEL_DIM[spec.level or "book"]}
    coarse = dims <= _CODE_ROLLUP_DIMS
    ru = (CodeRollup if coarse else PaymentRollup).__table__
    allowed = _CODE_ROLLUP_DIMS if coarse else _ROLLUP_DIMS
    cols = {d: c for d, c in _DIM_COLUMNS["payment"].items() if d in allowed}
    is_pay = ru.c.kind == "pay"
    measures: dict[str, Any] = {
        "paid": func.sum(case((is_pay, ru.c.amount_fen))),
        "count": func.sum(case((is_pay, ru.c.payments))),
    }
    if plans:
        measures["planned"] = func.sum(case((ru.c.kind == "plan", ru.c.amount_fen)))
    b = _branch(spec, "rollup", ru, cols, measures, conds, budget=False)
    assert b is not None  # the roll-up has every dimension a spec can group by
    return b if plans else b.where(is_pay)


def _plan_branch(spec: QuerySpec, conds: list[Condition]) -> Select[Any] | None:
    """Spending plans know department, project, indicator and month; the codes come from their indicator."""
    level = spec.level
    assert level is not None
    plan = SpendingPlan.__table__
    ind = Indicator.__table__
    cols: dict[str, Any] = {d: plan.c[c] for d, c in _PLAN_OWN.items()}
    cols.update({d: ind.c[c] for d, c in _PLAN_VIA_INDICATOR.items()})
    dim = _LEVEL_DIM[level]
    if dim not in cols:
        return None
    wheres: list[ColumnElement[bool]] = [plan.c.year == spec.year, plan.c.deleted.is_(False)]
    for cond in conds:
        if cond.dim not in cols:
            return None
        wheres.append(_apply(cols[cond.dim], cond))
    level_def = LEVELS[level]
    col = cols[dim]
    key: ColumnElement[Any]
    if level_def.width:
        key = func.substr(col, 1, level_def.width)
    elif level == "month":
        key = func.cast(col, Payment.__table__.c.payment_no.type)
    else:
        key = col
    joined = plan.join(ind, and_(ind.c.year == plan.c.year, ind.c.indicator_no == plan.c.indicator_no,
                                 ind.c.deleted.is_(False)))
    return select(*_row(key, planned=func.sum(plan.c.amount_fen))).select_from(joined).where(
        *wheres).group_by(key)
