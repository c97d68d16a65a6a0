"""An indicator's life: events in order, running balance = amount + carry-in ± adjustments − paid, and the
consistency checks (paid beyond what was available, adjustments that disagree with their records)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.budget.demo import Manifest, generate
from core.budget.models import Indicator, IndicatorChange, Payment
from core.budget.timeline import ADJUSTED, CARRIED_IN, ISSUED, PAID, indicator_timeline, search_indicators
from core.db import make_engine, migrate

YEAR = 2024


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Manifest]]:
    path = tmp_path_factory.mktemp("timeline") / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    manifest = generate(engine, year=YEAR, payments=3000)
    yield engine, manifest
    engine.dispose()


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def test_adjusted_indicator_timeline_matches_its_records(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    with engine.connect() as conn:
        no = conn.execute(text("SELECT indicator_no FROM bgt_indicator_change LIMIT 1")).scalar_one()
        ind = conn.execute(text(f"SELECT * FROM bgt_indicator WHERE indicator_no = '{no}'")).mappings().one()
    t = indicator_timeline(engine, no)
    paid = _scalar(engine, f"SELECT SUM(amount_fen) FROM bgt_payment WHERE indicator_no = '{no}'")
    assert t.paid_fen == paid
    assert t.budget_fen == ind["amount_fen"] + ind["adjusted_fen"] + ind["carried_over_fen"]
    assert t.balance_fen == t.budget_fen - paid == t.events[-1].available_fen
    assert [e.on for e in t.events] == sorted(e.on for e in t.events)
    kinds = [e.kind for e in t.events]
    assert kinds.count(ISSUED) == 1 and ADJUSTED in kinds and PAID in kinds
    issued = next(e for e in t.events if e.kind == ISSUED)
    assert issued.doc_no == ind["doc_no"] and issued.amount_fen == ind["amount_fen"]
    assert t.events[-1].name == "年末结转"
    assert not any("超出" in i or "不符" in i for i in t.issues)
    assert t.department_name and t.project_name


def test_planted_overspending_is_flagged(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = next(a for a in manifest.anomalies if a["rule"] == "payment_above_budget")
    t = indicator_timeline(engine, planted["indicator_no"])
    assert t.paid_fen == planted["spent_fen"] and t.budget_fen == planted["available_fen"]
    assert t.balance_fen < 0
    assert any("超出可用指标" in issue for issue in t.issues)
    assert any(e.flag for e in t.events if e.kind == PAID)


def test_carried_over_money_is_an_event(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = next(a for a in manifest.anomalies if a["rule"] == "large_carry_over")
    t = indicator_timeline(engine, planted["indicator_no"], YEAR)
    carried = [e for e in t.events if e.kind == CARRIED_IN]
    assert [e.amount_fen for e in carried] == [planted["carried_over_fen"]]
    assert t.events[-1].amount_fen == planted["carry_forward_fen"]


def test_search_and_unknown_indicator(demo: tuple[Engine, Manifest]) -> None:
    engine, _ = demo
    hits = search_indicators(engine, "教育", year=YEAR, limit=5)
    assert hits and all("教育" in h.department_name + h.project_name for h in hits)
    assert search_indicators(engine, "ZB202400001")[0].indicator_no == "ZB202400001"
    assert search_indicators(engine, "没有这样的东西") == []
    with pytest.raises(LookupError, match="找不到指标"):
        indicator_timeline(engine, "ZB-NONE")


CHANGE = st.tuples(st.sampled_from(["调增", "调减", "结转", "收回"]), st.integers(1, 10**8), st.integers(1, 12))
PAYMENT = st.tuples(st.integers(1, 10**8), st.integers(1, 12))


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('timeline-prop') / 'budget.sqlite3'}")
    migrate(engine)
    yield engine
    engine.dispose()


_numbers = itertools.count(1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.integers(0, 10**9), carried=st.integers(0, 10**8), changes=st.lists(CHANGE, max_size=5),
       payments=st.lists(PAYMENT, max_size=12))
def test_running_balance_is_amount_plus_adjustments_minus_paid(
        blank: Engine, amount: int, carried: int, changes: list[tuple[str, int, int]],
        payments: list[tuple[int, int]]) -> None:
    engine = blank
    no = f"ZB{next(_numbers)}"
    sign = {"调增": 1, "调减": -1, "结转": 1, "收回": -1}
    adjusted = sum(sign[k] * a for k, a, _ in changes if k != "结转")
    carry_changes = sum(a for k, a, _ in changes if k == "结转")
    with Session(engine) as s, s.begin():
        s.add(Indicator(year=YEAR, indicator_no=no, department_code="D1", issued_on=date(YEAR, 1, 5),
                        amount_fen=amount, adjusted_fen=adjusted, carried_over_fen=carried if not carry_changes else 0))
        for i, (kind, a, m) in enumerate(changes):
            s.add(IndicatorChange(year=YEAR, indicator_no=no, kind=kind, changed_on=date(YEAR, m, 10),
                                  amount_fen=-a if kind in ("调减", "收回") else a, doc_no=f"文{i}"))
        for i, (a, m) in enumerate(payments):
            s.add(Payment(year=YEAR, payment_no=f"{no}-P{i}", paid_on=date(YEAR, m, 20), month=m, payee="某公司",
                          amount_fen=a, department_code="D1", indicator_no=no))
    t = indicator_timeline(engine, no)
    budget = amount + (carry_changes or carried) + adjusted
    paid = sum(a for a, _ in payments)
    assert t.budget_fen == budget and t.paid_fen == paid and t.balance_fen == budget - paid
    running_budget = running_paid = 0
    for e in t.events:
        if e.kind in (ISSUED, CARRIED_IN, ADJUSTED):
            running_budget += e.amount_fen
        if e.kind == PAID:
            running_paid -= e.amount_fen
        assert e.available_fen == running_budget - running_paid
        assert e.paid_fen == running_paid
        assert bool(e.flag) == (e.kind == PAID and e.available_fen < 0)  # issued 5 January, paid from the 20th
    assert (any("超出" in i for i in t.issues)) == any(e.kind == PAID and e.available_fen < 0 for e in t.events)
    assert not any("不符" in i for i in t.issues)
