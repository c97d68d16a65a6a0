"""The payee index and the code-level roll-up answer exactly as the plain query over the payments table does,
for any search text, and follow every change to the payments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from core.budget.models import Payment
from core.budget.query import Filters, QuerySpec, run_query
from core.budget.query.compile import compile_spec
from core.budget.query.rollup import CodeRollup, PayeeIndex, ensure_rollup
from core.db import make_engine, migrate

YEAR = 2024


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from core.budget.demo import generate

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('payees') / 'budget.sqlite3'}")
    migrate(eng)
    generate(eng, year=YEAR, payments=4_000, projects=200, departments=30)
    ensure_rollup(eng)
    yield eng
    eng.dispose()


def _plain(engine: Engine, spec: QuerySpec) -> dict[str, tuple[int | None, ...]]:
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(compile_spec(spec, rollup=False))}


def _payees(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(Payment.payee).where(Payment.year == YEAR).distinct()))


def test_payee_index_holds_every_live_payee_with_its_count_and_sum(engine: Engine) -> None:
    with engine.connect() as conn:
        expected = {(p, n, s) for p, n, s in conn.execute(
            select(Payment.payee, func.count(), func.sum(Payment.amount_fen))
            .where(Payment.year == YEAR, Payment.deleted.is_(False)).group_by(Payment.payee))}
        held = {(r.payee, r.payments, r.amount_fen) for r in conn.execute(select(PayeeIndex.__table__))}
    assert held == expected and len(held) > 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(0, 10_000), start=st.integers(0, 6), length=st.integers(1, 4),
       noise=st.sampled_from(["", "%", "_", "\\", "x"]), path=st.sampled_from(["department", "month", "economic"]),
       month_from=st.sampled_from([None, 1, 4]))
def test_payee_contains_answers_as_the_plain_query(engine: Engine, pick: int, start: int, length: int, noise: str,
                                                   path: str, month_from: int | None) -> None:
    payees = _payees(engine)
    name = payees[pick % len(payees)]
    text = name[start:start + length] + noise or name
    filters = Filters(payee=text, month_from=month_from, month_to=12 if month_from else None)
    spec = QuerySpec(YEAR, path=path, filters=filters)
    result = run_query(engine, spec)
    assert {r.key: tuple(r.values.values()) for r in result.rows} == _plain(engine, spec)
    matching = [p for p in payees if text in p] if "%" not in text and "_" not in text else None
    if matching is not None and month_from is None:
        with engine.connect() as conn:
            count = conn.scalar(select(func.count()).where(Payment.year == YEAR, Payment.deleted.is_(False),
                                                             Payment.payee.in_(matching))) if matching else 0
        assert (result.total.values["count"] or 0) == count


def test_code_level_rollup_answers_books_classes_and_months(engine: Engine) -> None:
    with engine.connect() as conn:
        assert (conn.scalar(select(func.count()).select_from(CodeRollup)) or 0) > 0
    for spec in (QuerySpec(YEAR), QuerySpec(YEAR, selected=("general",)), QuerySpec(YEAR, path="month"),
                 QuerySpec(YEAR, path="economic"), QuerySpec(YEAR, path="month", filters=Filters(method="现金")),
                 QuerySpec(YEAR, path="economic", filters=Filters(month_from=2, month_to=5))):
        sql = str(compile_spec(spec, rollup=True))
        assert "bgt_query_code_rollup" in sql and "bgt_query_payment_rollup" not in sql
        result = run_query(engine, spec)
        assert {r.key: tuple(r.values.values()) for r in result.rows} == _plain(engine, spec)
    by_dept = compile_spec(QuerySpec(YEAR, path="department"), rollup=True)
    assert "bgt_query_payment_rollup" in str(by_dept)


def test_payee_index_and_code_rollup_follow_a_deleted_payment(tmp_path: Path) -> None:
    from core.budget.demo import generate

    eng = make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    migrate(eng)
    generate(eng, year=YEAR, payments=1_200, projects=80, departments=20)
    with Session(eng) as s:
        victim = s.scalars(select(Payment).where(Payment.year == YEAR, Payment.deleted.is_(False)).limit(1)).one()
        payee, amount, month = victim.payee, victim.amount_fen, victim.month
    spec = QuerySpec(YEAR, path="month", filters=Filters(payee=payee))
    before = {r.key: r.values for r in run_query(eng, spec).rows}
    months_before = {r.key: r.values for r in run_query(eng, QuerySpec(YEAR, path="month")).rows}
    with Session(eng) as s, s.begin():
        s.execute(update(Payment).where(Payment.id == victim.id).values(deleted=True))
    after = {r.key: r.values for r in run_query(eng, spec).rows}
    assert (after.get(str(month), {}).get("count") or 0) == (before[str(month)]["count"] or 0) - 1
    months_after = {r.key: r.values for r in run_query(eng, QuerySpec(YEAR, path="month")).rows}
    assert months_after[str(month)]["paid"] == (months_before[str(month)]["paid"] or 0) - amount
    eng.dispose()


def test_payee_search_reads_the_payments_through_the_payee_index(engine: Engine) -> None:
    spec = QuerySpec(YEAR, path="department", filters=Filters(payee="华申"))
    sql = str(compile_spec(spec, rollup=True).compile(engine))
    assert "FROM bgt_payment INDEXED BY ix_bgt_payment_year_payee" in sql and "bgt_query_payee" in sql
    plain = str(compile_spec(spec, rollup=False).compile(engine))
    assert "INDEXED BY" not in plain and "bgt_query_payee" not in plain
    with engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql,
                                                                 tuple(compile_spec(spec, rollup=True).compile(
                                                                     engine).params.values())))
    assert "ix_bgt_payment_year_payee (year=? AND payee=?)" in plan
