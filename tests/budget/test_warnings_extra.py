"""The rules the demo plants nothing for, on hand-made rows: reserve-fund use and large budget adjustments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.budget.models import Indicator, IndicatorChange, Payment
from core.budget.warnings import evaluate, run_rules
from core.models.registry import Department

YEAR = 2024


def _rows(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        s.add_all([Department(code="D050", name="市应急管理局", domain="城建环保"),
                   Department(code="D060", name="市民政局", domain="社会建设")])
        s.add(Indicator(year=YEAR, indicator_no="I-RES", department_code="D050", functional_code="2270000",
                        amount_fen=50_000_000_00, issued_on=date(YEAR, 1, 5), domain="城建环保"))
        s.add(Indicator(year=YEAR, indicator_no="I-ADJ", department_code="D060", functional_code="2080501",
                        amount_fen=10_000_000_00, adjusted_fen=2_500_000_00, issued_on=date(YEAR, 1, 5),
                        domain="社会建设"))
        s.add(Indicator(year=YEAR, indicator_no="I-SMALL", department_code="D060", functional_code="2080501",
                        amount_fen=10_000_000_00, adjusted_fen=500_000_00, issued_on=date(YEAR, 1, 5),
                        domain="社会建设"))
        for no, kind, amount in (("I-ADJ", "调增", 4_000_000_00), ("I-ADJ", "调减", -1_500_000_00),
                                 ("I-SMALL", "调增", 500_000_00)):
            s.add(IndicatorChange(year=YEAR, indicator_no=no, kind=kind, amount_fen=amount,
                                  changed_on=date(YEAR, 6, 1), domain="社会建设"))
        for i, (month, indicator, dept, func, amount) in enumerate((
                (4, "I-RES", "D050", "2270000", 12_000_000_00), (5, "I-RES", "D050", "2270000", 8_000_000_00),
                (4, "I-ADJ", "D060", "2080501", 9_000_000_00), (4, "I-SMALL", "D060", "2080501", 9_000_000_00))):
            s.add(Payment(year=YEAR, payment_no=f"Z-{i}", paid_on=date(YEAR, month, 10), month=month,
                          payee="上海某某救灾物资有限公司", amount_fen=amount, department_code=dept,
                          functional_code=func, indicator_no=indicator,
                          domain="城建环保" if dept == "D050" else "社会建设"))


def test_reserve_fund_use_is_reported_per_department(engine: Engine, factory: sessionmaker[Session]) -> None:
    _rows(factory)
    found = evaluate(engine, YEAR, 6, ["reserve_fund_use"])["reserve_fund_use"][1]
    assert [(f.subject_key, f.amount_fen) for f in found] == [("department:D050", 20_000_000_00)]
    assert "预备费科目（227）支出 2,000.00 万元" in found[0].reason
    assert {t["key"] for t in found[0].trail} == {"Z-0", "Z-1"}
    assert evaluate(engine, YEAR, 4, ["reserve_fund_use"])["reserve_fund_use"][1][0].amount_fen == 12_000_000_00
    assert evaluate(engine, YEAR, 3, ["reserve_fund_use"])["reserve_fund_use"][1] == []


def test_large_budget_adjustment(engine: Engine, factory: sessionmaker[Session]) -> None:
    _rows(factory)
    found = evaluate(engine, YEAR, 6, ["large_budget_adjustment"])["large_budget_adjustment"][1]
    assert [f.subject_key for f in found] == ["indicator:I-ADJ"]  # 55% moved; I-SMALL only 5%
    assert found[0].measure == 55.0 and "经 2 次调整共变动 550.00 万元" in found[0].reason
    run = run_rules(engine, YEAR, 6, rules=["large_budget_adjustment", "reserve_fund_use"], session_factory=factory)
    assert run.by_rule == {"large_budget_adjustment": 1, "reserve_fund_use": 1} and run.new == 2
