"""The analysis figures equal independent hand-computed sums over a generated year; the arithmetic holds
for any input (hypothesis)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.budget import analysis
from core.budget.analysis import ExecutionRow, pct, progress_pct, shares
from core.budget.demo import Manifest, generate
from core.budget.models import Indicator, Payment
from core.budget.work import BudgetWarning
from core.db import make_engine, migrate

YEAR = 2024


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Manifest]]:
    path = tmp_path_factory.mktemp("analysis") / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    manifest = generate(engine, year=YEAR, payments=6000)
    yield engine, manifest
    engine.dispose()


def rows(engine: Engine, sql: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql))]


def hand_execution(engine: Engine, month: int, key: Any) -> dict[str, tuple[int, int, int]]:
    """(budget, adjusted, paid) per key, summed in Python over every row (no GROUP BY)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows(engine, f"SELECT * FROM bgt_indicator WHERE year = {YEAR} AND deleted = 0"):
        acc = out[key(r)]
        acc[0] += r["amount_fen"]
        acc[1] += r["amount_fen"] + r["adjusted_fen"] + r["carried_over_fen"]
    for r in rows(engine, f"SELECT * FROM bgt_payment WHERE year = {YEAR} AND deleted = 0"):
        if r["month"] <= month:
            out[key(r)][2] += r["amount_fen"]
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


@pytest.mark.parametrize("by,key", [
    ("department", lambda r: r["department_code"]),
    ("class", lambda r: r["functional_code"][:3]),
    ("project", lambda r: r["project_code"]),
])
@pytest.mark.parametrize("month", [3, 9, 12])
def test_execution_equals_hand_sums(demo: tuple[Engine, Manifest], by: str, key: Any, month: int) -> None:
    engine, _ = demo
    got = {r.code: (r.budget_fen, r.adjusted_fen, r.paid_fen) for r in analysis.execution(engine, YEAR, month, by)}
    assert got == hand_execution(engine, month, key)


def test_book_execution_reads_the_book_budget_and_says_when_there_is_no_detail(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    books = {b.code: b for b in analysis.execution(engine, YEAR, 6, "book")}
    book_rows = {r["book"]: r for r in rows(engine, f"SELECT * FROM bgt_book WHERE year = {YEAR}")}
    paid = sum(r["amount_fen"] for r in rows(engine, f"SELECT * FROM bgt_payment WHERE year = {YEAR} AND month <= 6"))
    general = books["general"]
    assert general.adjusted_fen == book_rows["general"]["adjusted_fen"]
    assert general.paid_fen == paid
    assert general.rate == pct(paid, general.adjusted_fen)
    assert general.progress == Decimal("50.00")
    assert general.gap == general.rate - Decimal(50)  # type: ignore[operator]
    assert list(books) == ["general", "fund", "soe", "social"]
    assert not books["fund"].has_detail and books["fund"].rate is None and books["fund"].gap is None


def test_trend_is_monthly_and_cumulative(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    points = analysis.trend(engine, YEAR)
    monthly: dict[int, int] = defaultdict(int)
    for r in rows(engine, f"SELECT month, amount_fen FROM bgt_payment WHERE year = {YEAR} AND book = 'general'"):
        monthly[r["month"]] += r["amount_fen"]
    assert [p.month for p in points] == list(range(1, 13))
    assert [p.paid_fen for p in points] == [monthly[m] for m in range(1, 13)]
    assert points[-1].cumulative_fen == sum(monthly.values())
    assert all(b.cumulative_fen == a.cumulative_fen + b.paid_fen for a, b in itertools.pairwise(points))
    assert points[5].progress == Decimal("50.00")


@pytest.mark.parametrize("by,column", [("functional", "functional_code"), ("economic", "economic_code"),
                                        ("book", "book")])
def test_structure_shares_add_up_and_amounts_match(demo: tuple[Engine, Manifest], by: str, column: str) -> None:
    engine, _ = demo
    parts = analysis.structure(engine, YEAR, 9, by)
    hand: dict[str, int] = defaultdict(int)
    for r in rows(engine, f"SELECT {column} AS k, amount_fen FROM bgt_payment WHERE year = {YEAR} AND month <= 9"):
        hand[r["k"] if by == "book" else r["k"][:3]] += r["amount_fen"]
    assert {s.code: s.amount_fen for s in parts} == dict(hand)
    assert sum(s.share for s in parts) == Decimal(100)
    assert [s.amount_fen for s in parts] == sorted((s.amount_fen for s in parts), reverse=True)
    assert all(s.name for s in parts)


def test_year_on_year_bases(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    # 2024 against 2023: only final accounts (the 三公 lines) exist, compared on their departments and codes
    yoy = analysis.year_on_year(engine, YEAR, 12)
    assert yoy.basis == "final_account" and "决算" in yoy.basis_text
    finals = rows(engine, f"SELECT * FROM bgt_final_account WHERE year = {YEAR - 1}")
    assert yoy.total is not None and yoy.total.previous_fen == sum(r["final_fen"] for r in finals)
    keys = {(r["department_code"], r["economic_code"]) for r in finals}
    paid = sum(r["amount_fen"] for r in rows(engine, f"SELECT * FROM bgt_payment WHERE year = {YEAR}")
               if (r["department_code"], r["economic_code"]) in keys)
    assert yoy.total.current_fen == paid
    planted = next(a for a in demo[1].anomalies if a["rule"] == "three_public_growth")
    grown = max((r for r in yoy.rows if r.growth is not None), key=lambda r: r.growth or 0)
    assert grown.code == planted["department_code"] and grown.growth is not None and grown.growth > 50
    # 2025 against 2024: last year's payments in the same months
    ahead = analysis.year_on_year(engine, YEAR + 1, 6)
    assert ahead.basis == "payments" and ahead.total is not None
    assert ahead.total.previous_fen == sum(
        r["amount_fen"] for r in rows(engine, f"SELECT * FROM bgt_payment WHERE year = {YEAR} AND month <= 6"))
    assert ahead.total.current_fen == 0 and ahead.total.growth == Decimal("-100.00")
    # 2023 against 2022: nothing to compare with, said plainly
    none = analysis.year_on_year(engine, YEAR - 1, 12)
    assert none.basis == "none" and none.rows == [] and none.total is None and "无法计算同比" in none.basis_text


def test_rankings(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    depts = analysis.execution(engine, YEAR, 6, "department")
    by_rate = analysis.ranking(depts, "rate", descending=False)
    rates = [r.rate for r in by_rate if r.rate is not None]
    assert rates == sorted(rates)
    slow = next(a for a in demo[1].anomalies if a["rule"] == "execution_below_progress")
    assert by_rate[0].code == slow["department_code"]
    by_paid = analysis.ranking(depts, "paid", limit=5)
    assert [r.paid_fen for r in by_paid] == sorted((r.paid_fen for r in depts), reverse=True)[:5]
    with pytest.raises(ValueError, match="排名"):
        analysis.ranking(depts, "colour")


def test_department_profile(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    code = rows(engine, f"SELECT department_code FROM bgt_audit_finding WHERE year = {YEAR} LIMIT 1")[0][
        "department_code"]
    with Session(engine) as s, s.begin():
        for i, level in enumerate(("red", "yellow", "yellow")):
            s.add(BudgetWarning(warning_key=f"t|{i}", rule="execution_below_progress", level=level, year=YEAR,
                                department_code=code, subject="测试", raised_at=datetime.now(UTC)))
        s.add(BudgetWarning(warning_key="t|old", rule="idle_funds", level="red", year=YEAR, department_code=code,
                            subject="已消除", active=False))
    profile = analysis.department_profile(engine, YEAR, 9, code)
    hand = hand_execution(engine, 9, lambda r: r["department_code"])[code]
    e = profile.execution
    assert (e.budget_fen, e.adjusted_fen, e.paid_fen) == hand
    assert profile.warnings == {"red": 1, "yellow": 2} and profile.warnings_total == 3
    audit = rows(engine, f"SELECT * FROM bgt_audit_finding WHERE year = {YEAR} AND department_code = '{code}'")
    assert len(profile.audit) == len(audit)
    assert profile.audit_amount_fen == sum(r["amount_fen"] for r in audit)
    assert profile.rectified_fen == sum(r["rectified_fen"] for r in audit)
    assert profile.months[8].cumulative_fen == e.paid_fen
    assert [p.adjusted_fen for p in profile.top_projects] == sorted((p.adjusted_fen for p in profile.top_projects),
                                                                    reverse=True)
    with pytest.raises(LookupError, match="没有预算或支付数据"):
        analysis.department_profile(engine, YEAR, 9, "NO-SUCH")


def test_payees_warnings_and_notes(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    payees = analysis.top_payees(engine, YEAR, 12, limit=3)
    hand: dict[str, int] = defaultdict(int)
    for r in rows(engine, f"SELECT payee, amount_fen FROM bgt_payment WHERE year = {YEAR}"):
        hand[r["payee"]] += r["amount_fen"]
    assert [p.amount_fen for p in payees] == sorted(hand.values(), reverse=True)[:3]
    notes = analysis.data_notes(engine, YEAR)
    assert notes.generated and notes.partial_codes
    assert analysis.latest_month(engine, YEAR) == 12 and analysis.latest_month(engine, 1999) == 0


def test_unknown_dimension_is_refused(demo: tuple[Engine, Manifest]) -> None:
    with pytest.raises(ValueError, match="维度"):
        analysis.execution(demo[0], YEAR, 6, "colour")
    with pytest.raises(ValueError, match="月份"):
        progress_pct(13)


# properties ------------------------------------------------------------------------------------------
amounts = st.integers(min_value=0, max_value=10**15)


@given(st.lists(amounts, min_size=1, max_size=40))
def test_shares_always_add_up_to_exactly_100(parts: list[int]) -> None:
    result = shares([(str(i), str(i), a) for i, a in enumerate(parts)])
    total = sum(parts)
    if total == 0:
        assert all(s.share == 0 for s in result)
        return
    assert sum(s.share for s in result) == Decimal(100)
    for s, a in zip(result, parts, strict=True):
        assert abs(s.share - Decimal(a) * 100 / total) < Decimal("0.01")


@given(budget=amounts, adjusted=st.integers(min_value=1, max_value=10**15), paid=amounts,
       month=st.integers(min_value=1, max_value=12))
def test_rates_are_consistent(budget: int, adjusted: int, paid: int, month: int) -> None:
    row = ExecutionRow("department", "D", "部门", budget, adjusted, paid, month)
    assert row.rate is not None and row.gap is not None
    assert abs(row.rate - Decimal(paid) * 100 / adjusted) <= Decimal("0.005")
    assert row.gap == row.rate - row.progress
    assert (row.gap < 0) == (row.rate < progress_pct(month))
    assert ExecutionRow("department", "D", "部门", budget, 0, paid, month).rate is None


@given(st.lists(st.tuples(amounts, amounts), max_size=30), st.sampled_from(["rate", "paid", "adjusted", "gap"]),
       st.booleans())
def test_ranking_is_an_ordered_permutation(pairs: list[tuple[int, int]], key: str, descending: bool) -> None:
    rows_ = [ExecutionRow("department", f"D{i:03d}", "部门", a, a, p, 6) for i, (a, p) in enumerate(pairs)]
    ranked = analysis.ranking(rows_, key, descending=descending)
    assert sorted(r.code for r in ranked) == sorted(r.code for r in rows_)
    values = [getattr(r, {"paid": "paid_fen", "adjusted": "adjusted_fen"}.get(key, key)) for r in ranked]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=descending)
    assert values[len(known):] == [None] * (len(values) - len(known))



def test_figures_follow_new_payments_at_once(server_db_url: str) -> None:
    """On SQLite the figures read the query layer's roll-up (a new payment makes it stale and it is rebuilt);
    on PostgreSQL they read the payments; both give the same figures."""
    engine = make_engine(server_db_url)
    migrate(engine)

    def pay(no: str, amount: int, month: int) -> None:
        with Session(engine) as s, s.begin():
            s.add(Payment(year=YEAR, payment_no=no, paid_on=date(YEAR, month, 10), month=month, payee="某公司",
                          amount_fen=amount, department_code="D1", functional_code="2050101", indicator_no="ZB1"))

    with Session(engine) as s, s.begin():
        s.add(Indicator(year=YEAR, indicator_no="ZB1", department_code="D1", functional_code="2050101",
                        amount_fen=1_000_000))
    pay("P1", 250_000, 2)
    first = analysis.execution(engine, YEAR, 6, "department")
    assert [(r.code, r.paid_fen, r.rate) for r in first] == [("D1", 250_000, Decimal("25.00"))]
    pay("P2", 250_000, 5)
    pay("P3", 100_000, 9)
    again = analysis.execution(engine, YEAR, 6, "department")
    assert again[0].paid_fen == 500_000 and again[0].gap == Decimal("0.00")
    assert analysis.latest_month(engine, YEAR) == 9
    assert [p.paid_fen for p in analysis.trend(engine, YEAR)][:9] == [0, 250_000, 0, 0, 250_000, 0, 0, 0, 100_000]
    engine.dispose()
