"""The budget query layer over a generated year: drill levels add up, filters only narrow, labels come from the
code table, the roll-up agrees with the payments table and follows every change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from core.budget.demo import Manifest, generate
from core.budget.models import ClassCode, Payment
from core.budget.query import Filters, QuerySpec, SpecError, run_query
from core.budget.query.compile import compile_spec
from core.budget.query.labels import labels_for
from core.budget.query.payments import count_payments, iter_payments, payment_page
from core.budget.query.rollup import ensure_rollup
from core.budget.query.spec import PATHS
from core.db import make_engine, migrate

YEAR = 2024


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Manifest]]:
    path: Path = tmp_path_factory.mktemp("query") / "budget.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    manifest = generate(eng, year=YEAR, payments=6_000, projects=300, departments=40)
    yield eng, manifest
    eng.dispose()


def _raw(engine: Engine, spec: QuerySpec) -> dict[str, tuple[int | None, ...]]:
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(compile_spec(spec, rollup=False))}


def test_top_level_totals_match_the_tables(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    result = run_query(engine, QuerySpec(YEAR))
    assert [r.key for r in result.rows] == ["general"]
    assert result.rows[0].label == "一般公共预算"
    with engine.connect() as conn:
        paid, count = conn.execute(select(func.sum(Payment.amount_fen), func.count()).where(
            Payment.year == YEAR, Payment.deleted.is_(False))).one()
    assert result.total.values["paid"] == paid
    assert result.total.values["count"] == count == manifest.payments
    assert result.source == "rollup"
    rate = result.rows[0].rate
    assert rate is not None and 90 < rate < 100


def test_drilling_to_the_bottom_and_back_up(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    spec = QuerySpec(YEAR)
    widths = []
    while not spec.at_bottom():
        result = run_query(engine, spec)
        assert result.rows, spec
        biggest = max(result.rows, key=lambda r: r.values["paid"] or 0)
        widths.append(len(biggest.key))
        spec = spec.drill(biggest.key)
    assert widths[1:4] == [3, 5, 7]  # 类 → 款 → 项
    payments = payment_page(engine, spec, limit=50)
    assert payments and all(p.application_no == spec.selected[-1] for p in payments)
    assert count_payments(engine, spec) == sum(1 for _ in iter_payments(engine, spec, page=7))
    top = spec.up(0)
    assert top.selected == () and top.level == "book"
    with pytest.raises(SpecError):
        spec.drill("x")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(PATHS)), pick=st.integers(0, 10_000),
       month_from=st.none() | st.integers(1, 12), span=st.integers(0, 11),
       payee=st.sampled_from(["", "华申", "建设", "某"]), method=st.sampled_from(["", "公务卡", "授权支付"]),
       functional=st.sampled_from(["", "2", "20", "205", "2080"]),
       amount_min=st.none() | st.integers(0, 50_000_000))
def test_children_add_up_to_their_parent_and_filters_only_narrow(
        demo: tuple[Engine, Manifest], path: str, pick: int, month_from: int | None, span: int, payee: str,
        method: str, functional: str, amount_min: int | None) -> None:
    engine, _ = demo
    month_to = min(month_from + span, 12) if month_from else None
    filters = Filters(month_from=month_from, month_to=month_to, payee=payee, method=method, functional=functional,
                      amount_min_fen=amount_min)
    plain = QuerySpec(YEAR, path=path)
    spec = plain.with_filters(filters)
    for _ in range(3):
        parent = run_query(engine, spec)
        unfiltered = {r.key: r for r in run_query(engine, replace(plain, selected=spec.selected)).rows}
        for row in parent.rows:  # filtered ⊆ unfiltered
            assert row.key in unfiltered
            for m in ("paid", "count"):
                assert (row.values[m] or 0) <= (unfiltered[row.key].values[m] or 0)
        # the roll-up and the payments table answer alike
        assert {r.key: tuple(r.values.values()) for r in parent.rows} == _raw(engine, spec)
        if not parent.rows or spec.level == PATHS[path][-1]:
            break
        row = parent.rows[pick % len(parent.rows)]
        child = run_query(engine, spec.drill(row.key))
        for m, value in row.values.items():
            parts = [c.values[m] for c in child.rows]
            if value is not None and parts and all(p is not None for p in parts):
                assert sum(p for p in parts if p is not None) == value, (spec, row.key, m)
        if row.values["count"]:
            assert child.total.values["count"] == row.values["count"]
            assert count_payments(engine, spec.drill(row.key)) == row.values["count"]
        spec = spec.drill(row.key)


def test_labels_come_from_the_code_table_and_unknown_codes_say_so(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    with engine.connect() as conn:
        code, name = conn.execute(select(ClassCode.code, ClassCode.name).where(
            ClassCode.kind == "functional", ClassCode.year == YEAR, func.length(ClassCode.code) == 3).limit(1)).one()
    labels = labels_for(engine, YEAR, "func_class", [code, "299"])
    assert labels[code] == f"{code} {name}"
    assert labels["299"] == "299（代码表缺名称）"
    assert labels_for(engine, YEAR, "func_sub", ["2050299"])["2050299"] == "2050299（代码表缺名称）"
    assert labels_for(engine, YEAR, "unit", [""])[""] == "（部门本级）"
    assert labels_for(engine, YEAR, "month", ["12"])["12"] == "12月"


def test_filters_by_payee_purpose_method_and_amount(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    cash = manifest.of_rule("cash_withdrawal")[0]["payment_nos"]
    spec = QuerySpec(YEAR, path="department", filters=Filters(method="现金"))
    result = run_query(engine, spec)
    assert result.total.values["count"] == len(cash)
    assert result.total.values["budget"] is None and result.notes
    rows = payment_page(engine, spec)
    assert sorted(r.payment_no for r in rows) == sorted(cash)
    odd = run_query(engine, QuerySpec(YEAR, path="department", filters=Filters(purpose="购物卡")))
    assert odd.total.values["count"] == 2
    big = manifest.scale["normal_max_payment_fen"]
    large = run_query(engine, QuerySpec(YEAR, path="month", filters=Filters(amount_min_fen=big + 1)))
    assert large.total.values["count"] == len(manifest.of_rule("large_single_payment")[0]["payment_nos"])


def test_month_range_keeps_the_year_budget_and_cuts_payments(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    year = run_query(engine, QuerySpec(YEAR, path="department"))
    half = run_query(engine, QuerySpec(YEAR, path="department", filters=Filters(month_from=1, month_to=6)))
    assert half.total.values["budget"] == year.total.values["budget"]
    assert 0 < (half.total.values["paid"] or 0) < (year.total.values["paid"] or 0)
    by_month = run_query(engine, QuerySpec(YEAR, path="month"))
    assert [r.key for r in by_month.rows] == [str(m) for m in range(1, 13)]
    assert sum(r.values["paid"] or 0 for r in by_month.rows[:6]) == half.total.values["paid"]


def test_bad_filters_are_refused_in_chinese(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    for bad, words in ((Filters(month_from=7, month_to=3), "起始月份"), (Filters(date_from="2024-13-01"), "有效日期"),
                       (Filters(amount_min_fen=5, amount_max_fen=1), "最小金额"), (Filters(month_from=13), "1 到 12")):
        with pytest.raises(SpecError, match=words):
            run_query(engine, QuerySpec(YEAR, filters=bad))
    with pytest.raises(SpecError):
        QuerySpec(YEAR, path="nowhere")


def test_spec_json_round_trip() -> None:
    spec = QuerySpec(YEAR, path="economic", selected=("302",),
                     filters=Filters(payee="华申", month_from=2, month_to=5, amount_min_fen=100))
    assert QuerySpec.from_json(spec.to_json()) == spec
    with pytest.raises(SpecError, match="不认识"):
        QuerySpec.from_json({"year": YEAR, "filters": {"colour": "red"}})


def test_rollup_follows_every_change_to_payments(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    migrate(eng)
    generate(eng, year=YEAR, payments=1_500, projects=100, departments=30)
    before = run_query(eng, QuerySpec(YEAR, path="department"))
    assert ensure_rollup(eng) is False  # nothing changed since the query
    with Session(eng) as s, s.begin():
        victim = s.scalars(select(Payment).where(Payment.year == YEAR).limit(1)).one()
        amount, dept = victim.amount_fen, victim.department_code
        s.execute(update(Payment).where(Payment.id == victim.id).values(deleted=True))
    after = run_query(eng, QuerySpec(YEAR, path="department"))
    old = {r.key: r.values for r in before.rows}
    new = {r.key: r.values for r in after.rows}
    assert new[dept]["paid"] == (old[dept]["paid"] or 0) - amount
    assert new[dept]["count"] == (old[dept]["count"] or 0) - 1
    eng.dispose()
