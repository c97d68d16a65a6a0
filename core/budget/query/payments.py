"""The single payments behind any query: counted once, read page by page with keyset paging.

A page is asked for with the last row of the previous page (``after``), never with an offset, so page 500 of a
million rows costs the same as page 1. Newest first: ``paid_on`` descending, then ``payment_no`` descending,
read along the index ``ix_bgt_payment_year_paid_on_payment_no``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, or_, select

from core.budget.models import Indicator, Payment
from core.budget.query.compile import _DIM_COLUMNS, Condition, _apply, conditions, payment_source
from core.budget.query.rollup import PaymentRollup, ensure_rollup, uses_rollup
from core.budget.query.spec import QuerySpec

PAYMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("paid_on", "支付日期"), ("payment_no", "支付编号"), ("payee", "收款人"), ("amount_fen", "金额"),
    ("method", "支付方式"), ("purpose", "用途"), ("department_code", "部门编码"), ("unit_code", "单位编码"),
    ("project_code", "项目编码"), ("indicator_no", "指标编号"), ("application_no", "支付申请号"),
    ("functional_code", "功能科目"), ("economic_code", "经济科目"),
)
"""The columns of the single-payment list, with their Chinese headers."""


@dataclass(frozen=True)
class PaymentRecord:
    """One single payment: when, to whom, how much, how, for what, and on which codes, project and indicator."""

    paid_on: date
    payment_no: str
    payee: str
    amount_fen: int
    method: str
    purpose: str
    department_code: str
    unit_code: str
    project_code: str
    indicator_no: str
    application_no: str
    functional_code: str
    economic_code: str

    @property
    def cursor(self) -> tuple[date, str]:
        return (self.paid_on, self.payment_no)


def _where(spec: QuerySpec) -> list[ColumnElement[bool]]:
    pay = Payment.__table__
    cols = _DIM_COLUMNS["payment"]
    wheres: list[ColumnElement[bool]] = [pay.c.year == spec.year, pay.c.deleted.is_(False)]
    for cond in conditions(spec):
        if cond.dim == "funding_source":
            wheres.append(pay.c.indicator_no.in_(_funded(spec.year, cond.value)))
        else:
            wheres.append(_apply(pay.c[cols[cond.dim]], cond))
    return wheres


def count_payments(engine: Engine, spec: QuerySpec) -> int:
    """How many single payments match ``spec`` (every filter and every drill choice).

    Read from the local roll-up when it can answer (a sum over a few thousand rows instead of counting a
    million), else counted in the payments table."""
    spec.filters.validate()
    if uses_rollup(engine) and payment_source(spec, True) == "rollup":
        ensure_rollup(engine)
        ru = PaymentRollup.__table__
        cols = _DIM_COLUMNS["payment"]
        wheres: list[ColumnElement[bool]] = [ru.c.year == spec.year, ru.c.kind == "pay"]
        for cond in conditions(spec):
            if cond.dim == "funding_source":
                wheres.append(ru.c.indicator_no.in_(_funded(spec.year, cond.value)))
            else:
                wheres.append(_apply(ru.c[cols[cond.dim]], cond))
        with engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(ru.c.payments), 0)).where(*wheres)).scalar_one())
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Payment.__table__).where(*_where(spec)))
                   .scalar_one())


def _funded(year: int, source: str) -> Select[Any]:
    ind = Indicator.__table__
    return select(ind.c.indicator_no).where(ind.c.year == year, ind.c.deleted.is_(False),
                                            ind.c.funding_source == source)


def page_statement(spec: QuerySpec, after: tuple[date, str] | None, limit: int) -> Select[Any]:
    pay = Payment.__table__
    wheres = _where(spec)
    if after is not None:
        day, no = after
        wheres.append(or_(pay.c.paid_on < day, and_(pay.c.paid_on == day, pay.c.payment_no < no)))
    return select(*[pay.c[name] for name, _ in PAYMENT_COLUMNS]).where(*wheres) \
        .order_by(pay.c.paid_on.desc(), pay.c.payment_no.desc()).limit(limit)


def payment_page(engine: Engine, spec: QuerySpec, after: tuple[date, str] | None = None,
                 limit: int = 200) -> list[PaymentRecord]:
    """Up to ``limit`` payments after the cursor ``after`` (newest first)."""
    spec.filters.validate()
    with engine.connect() as conn:
        return [PaymentRecord(*row) for row in conn.execute(page_statement(spec, after, limit))]


def iter_payments(engine: Engine, spec: QuerySpec, page: int = 5000) -> Iterator[PaymentRecord]:
    """Every matching payment, newest first, page by page (for export)."""
    after: tuple[date, str] | None = None
    while True:
        rows = payment_page(engine, spec, after, page)
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1].cursor


def payment_by_no(engine: Engine, year: int, payment_no: str) -> PaymentRecord | None:
    pay = Payment.__table__
    with engine.connect() as conn:
        row = conn.execute(select(*[pay.c[name] for name, _ in PAYMENT_COLUMNS]).where(
            pay.c.year == year, pay.c.payment_no == payment_no, pay.c.deleted.is_(False))).first()
    return PaymentRecord(*row) if row else None


__all__ = ["PAYMENT_COLUMNS", "Condition", "PaymentRecord", "count_payments", "iter_payments", "payment_by_no",
           "payment_page"]
