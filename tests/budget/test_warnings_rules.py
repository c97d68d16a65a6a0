"""Each early-warning rule finds exactly the anomalies the demo generator planted, and nothing on a clean year;
reruns update instead of duplicating; a fixed anomaly retires its warning; thresholds change what is raised."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from core.budget.demo import RULES as PLANTED_RULES
from core.budget.demo import Manifest, generate
from core.budget.models import Payment
from core.budget.warnings import (
    RULES,
    RuleContext,
    RulesCancelled,
    RuleSettingError,
    evaluate,
    load_settings,
    run_rules,
    save_rule,
)
from core.budget.warnings.shared import payment_label, wan_exact
from core.budget.work import BudgetWarning, WarningRule
from core.db import make_engine, migrate

YEAR = 2024
PAYMENTS = 12_000


def _make(folder: Path, anomalies: bool) -> tuple[Path, Manifest]:
    path = folder / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    manifest = generate(engine, YEAR, PAYMENTS, anomalies=anomalies)
    engine.dispose()
    return path, manifest


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    return _make(tmp_path_factory.mktemp("planted"), True)


@pytest.fixture(scope="module")
def planted_engine(planted: tuple[Path, Manifest]) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{planted[0]}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def clean_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path, _ = _make(tmp_path_factory.mktemp("clean"), False)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def copy(planted: tuple[Path, Manifest], tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the planted year, for tests that write warnings."""
    target = tmp_path / "copy.sqlite3"
    shutil.copy(planted[0], target)
    engine = make_engine(f"sqlite:///{target}")
    yield engine
    engine.dispose()


def _keys(found: dict[str, tuple[str, list[Any]]], rule: str) -> set[str]:
    return {f.subject_key for f in found[rule][1]}


def _overrun_by_planted_payments(engine: Engine, manifest: Manifest) -> set[str]:
    """The planted large, cash and suspicious payments are charged to one ordinary indicator; when they push it
    over its line, that overrun is real and must be raised too."""
    nos = [n for a in manifest.anomalies if "payment_nos" in a and a["rule"] != "payment_without_budget"
           for n in a["payment_nos"]]
    with engine.connect() as conn:
        indicators = set(conn.execute(select(Payment.indicator_no).where(Payment.payment_no.in_(nos))).scalars())
        out = set()
        for no in indicators:
            paid = conn.execute(text("SELECT SUM(amount_fen) FROM bgt_payment WHERE indicator_no = :i"),
                                {"i": no}).scalar() or 0
            available = conn.execute(text("SELECT amount_fen + adjusted_fen + carried_over_fen FROM bgt_indicator "
                                          "WHERE indicator_no = :i"), {"i": no}).scalar() or 0
            if paid > available:
                out.add(f"indicator:{no}")
    return out


def expected(rule: str, manifest: Manifest, engine: Engine) -> set[str]:
    """The subjects the manifest says were planted for ``rule`` (a run up to December)."""
    keys: set[str] = set()
    for a in manifest.of_rule(rule):
        if "payment_nos" in a:
            keys |= {f"payment:{n}" for n in a["payment_nos"]}
        elif a.get("table") == "bgt_indicator":
            keys.add(f"indicator:{a['indicator_no']}")
        else:
            keys.add(f"department:{a['department_code']}")
    if rule == "payment_above_budget":
        keys |= _overrun_by_planted_payments(engine, manifest)
    return keys


def test_every_planted_rule_is_registered() -> None:
    assert set(PLANTED_RULES) <= set(RULES)
    for spec in RULES.values():
        assert spec.level in ("red", "yellow", "blue") and spec.basis and spec.name


@pytest.mark.parametrize("rule", PLANTED_RULES)
def test_each_rule_finds_exactly_its_planted_anomalies(rule: str, planted: tuple[Path, Manifest],
                                                       planted_engine: Engine) -> None:
    manifest = planted[1]
    found = evaluate(planted_engine, YEAR, 12, [rule])
    want = expected(rule, manifest, planted_engine)
    assert want, f"nothing planted for {rule}"
    assert _keys(found, rule) == want
    for f in found[rule][1]:
        assert f.reason and f.trail and f.department_code
        assert all({"table", "key", "label"} <= set(entry) for entry in f.trail)


def test_execution_progress_at_june_finds_the_slow_department(planted: tuple[Path, Manifest],
                                                              planted_engine: Engine) -> None:
    """The manifest plants the slow department for June; the year-end spike department, whose spending is
    back-loaded by construction, is genuinely behind in June too."""
    manifest = planted[1]
    slow = manifest.of_rule("execution_below_progress")[0]
    spike = manifest.of_rule("year_end_spike")[0]
    found = evaluate(planted_engine, YEAR, slow["as_of_month"], ["execution_below_progress"])
    assert _keys(found, "execution_below_progress") == {f"department:{slow['department_code']}",
                                                         f"department:{spike['department_code']}"}
    reason = next(f.reason for f in found["execution_below_progress"][1]
                  if f.department_code == slow["department_code"])
    assert "截至 6 月执行" in reason and "低于序时进度 50.0%" in reason and "阈值 15 个百分点" in reason


@pytest.mark.parametrize("month", [3, 6, 9, 12])
def test_a_clean_year_raises_nothing(clean_engine: Engine, month: int) -> None:
    found = evaluate(clean_engine, YEAR, month)
    assert set(found) == set(RULES)
    assert {rule: [f.reason for f in fs] for rule, (_lv, fs) in found.items() if fs} == {}


def test_a_rerun_updates_instead_of_duplicating(copy: Engine, planted: tuple[Path, Manifest]) -> None:
    first = run_rules(copy, YEAR)
    total = sum(len(expected(r, planted[1], copy)) for r in PLANTED_RULES)
    assert (first.new, first.updated, first.retired, first.raised) == (total, 0, 0, total)
    assert first.by_rule["cash_withdrawal"] == 4
    second = run_rules(copy, YEAR)
    assert (second.new, second.updated, second.retired, second.raised) == (0, 0, 0, total)
    with Session(copy) as s:
        keys = s.scalars(select(BudgetWarning.warning_key)).all()
        assert len(keys) == len(set(keys)) == total
        row = s.scalars(select(BudgetWarning).where(BudgetWarning.rule == "cash_withdrawal")).first()
        assert row is not None and row.warning_key.startswith(f"cash_withdrawal|{YEAR}|payment:")
        assert row.seq > 0 and row.version >= 1 and row.scope  # stamped for sync
        assert s.scalar(select(func.count()).select_from(WarningRule)) == len(RULES)  # defaults seeded once


def test_a_fixed_anomaly_retires_its_warning_and_keeps_it(copy: Engine, planted: tuple[Path, Manifest]) -> None:
    run_rules(copy, YEAR)
    cash = planted[1].of_rule("cash_withdrawal")[0]["payment_nos"]
    with Session(copy) as s, s.begin():
        s.execute(update(Payment).where(Payment.payment_no == cash[0]).values(method="国库集中支付",
                                                                               purpose="支付合同款"))
    again = run_rules(copy, YEAR)
    assert (again.new, again.retired) == (0, 1)
    with Session(copy) as s:
        w = s.scalars(select(BudgetWarning).where(BudgetWarning.warning_key == f"cash_withdrawal|{YEAR}|payment:{cash[0]}")).one()
        assert w.active is False and w.reason
    # the anomaly comes back: the same warning is active again, not a new one
    with Session(copy) as s, s.begin():
        s.execute(update(Payment).where(Payment.payment_no == cash[0]).values(method="现金"))
    back = run_rules(copy, YEAR)
    assert (back.new, back.updated, back.retired) == (0, 1, 0)


def test_editing_a_threshold_changes_what_is_raised(copy: Engine, planted: tuple[Path, Manifest]) -> None:
    run_rules(copy, YEAR, 6)
    with Session(copy) as s, s.begin():
        save_rule(s, "execution_below_progress", level="red", enabled=True,
                  params={"gap": 30, "min_budget": "100", "granularity": "department"})
    run = run_rules(copy, YEAR, 6, rules=["execution_below_progress"])
    slow = planted[1].of_rule("execution_below_progress")[0]["department_code"]
    assert run.by_rule == {"execution_below_progress": 1} and run.retired == 1  # the spike department (29 points)
    with Session(copy) as s:
        active = s.scalars(select(BudgetWarning.department_code).where(
            BudgetWarning.rule == "execution_below_progress", BudgetWarning.active.is_(True))).all()
    assert active == [slow]
    # switching a rule off retires nothing (it simply does not run) and raises nothing new
    with Session(copy) as s, s.begin():
        save_rule(s, "cash_withdrawal", level="blue", enabled=False, params={"keywords": "提取现金、取现",
                                                                           "min_amount": "0"})
    assert "cash_withdrawal" not in run_rules(copy, YEAR, 6).by_rule
    with Session(copy) as s:
        st_ = load_settings(s)["cash_withdrawal"]
        assert (st_.enabled, st_.level, st_.params["keywords"]) == (False, "blue", ["提取现金", "取现"])


@pytest.mark.parametrize(("rule", "params", "message"), [
    ("execution_below_progress", {"gap": "abc"}, "应为数字"),
    ("execution_below_progress", {"gap": 150}, "不能大于 100%"),
    ("execution_below_progress", {"gap": -1}, "不能小于 1%"),
    ("large_single_payment", {"min_amount": "1e400"}, "不能大于"),
    ("large_single_payment", {"min_amount": "0.0000001"}, "1 分"),
    ("large_single_payment", {"group_by": "month"}, "只能是"),
    ("idle_funds", {"days": "30.5"}, "整数天数"),
    ("suspicious_payee_or_purpose", {"purpose_keywords": " 、 "}, "至少要有一个词"),
    ("suspicious_payee_or_purpose", {"purpose_keywords": "购物卡、100%"}, "特殊字符"),
])
def test_a_bad_threshold_is_refused_and_nothing_changes(copy: Engine, rule: str, params: dict[str, Any],
                                                        message: str) -> None:
    factory = sessionmaker(copy)
    with factory() as s, s.begin():
        before = load_settings(s)[rule].params
    with pytest.raises(RuleSettingError, match=message), factory() as s, s.begin():
        save_rule(s, rule, level="yellow", enabled=True, params={**RULES[rule].defaults(), **params})
    with factory() as s:
        assert load_settings(s)[rule].params == before
        assert s.scalar(select(func.count()).select_from(WarningRule)) == 0


def test_a_bad_level_is_refused(copy: Engine) -> None:
    with pytest.raises(RuleSettingError, match="红色、黄色或蓝色"), Session(copy) as s:
        save_rule(s, "idle_funds", level="purple", enabled=True, params={})


def test_a_cancelled_run_leaves_the_previous_warnings(copy: Engine) -> None:
    run_rules(copy, YEAR)
    with Session(copy) as s:
        before = s.execute(select(BudgetWarning.warning_key, BudgetWarning.version, BudgetWarning.active)).all()
    calls = iter(range(100))
    with pytest.raises(RulesCancelled):
        run_rules(copy, YEAR, 6, cancel=lambda: next(calls) >= 3)
    with Session(copy) as s:
        assert s.execute(select(BudgetWarning.warning_key, BudgetWarning.version, BudgetWarning.active)).all() == before


def test_a_failure_while_writing_rolls_everything_back(copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    run_rules(copy, YEAR)
    with Session(copy) as s:
        before = s.execute(select(BudgetWarning.warning_key, BudgetWarning.active)).all()
    import core.budget.warnings.engine as eng

    real = eng._values
    count = iter(range(1000))

    def crash(*args: Any) -> dict[str, Any]:
        if next(count) == 5:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(eng, "_values", crash)
    with pytest.raises(RuntimeError):
        run_rules(copy, YEAR, 6)
    with Session(copy) as s:
        assert s.execute(select(BudgetWarning.warning_key, BudgetWarning.active)).all() == before


def _findings(engine: Engine, rule: str, month: int, **params: Any) -> set[str]:
    with engine.connect() as conn:
        ctx = RuleContext(conn=conn, year=YEAR, as_of_month=month, params={**RULES[rule].defaults(), **params},
                          departments={})
        return {f.subject_key for f in RULES[rule].evaluate(ctx)}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=st.integers(1, 12), low=st.floats(1, 60), high=st.floats(1, 60),
       granularity=st.sampled_from(["department", "project", "functional"]))
def test_raising_the_progress_gap_never_raises_more(planted_engine: Engine, month: int, low: float, high: float,
                                                    granularity: str) -> None:
    low, high = sorted((low, high))
    loose = _findings(planted_engine, "execution_below_progress", month, gap=low, granularity=granularity)
    strict = _findings(planted_engine, "execution_below_progress", month, gap=high, granularity=granularity)
    assert strict <= loose


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(low=st.floats(1.5, 50), high=st.floats(1.5, 50), group_by=st.sampled_from(["economic", "department"]),
       min_wan=st.sampled_from(["0", "10", "50", "5000"]))
def test_raising_the_large_payment_ratio_never_raises_more(planted_engine: Engine, low: float, high: float,
                                                           group_by: str, min_wan: str) -> None:
    low, high = sorted((low, high))
    loose = _findings(planted_engine, "large_single_payment", 12, ratio=low, group_by=group_by, min_amount=min_wan)
    strict = _findings(planted_engine, "large_single_payment", 12, ratio=high, group_by=group_by,
                       min_amount=min_wan)
    assert strict <= loose
    assert _findings(planted_engine, "large_single_payment", 12, ratio=high, group_by=group_by,
                     min_amount="1000000000") == set()


@given(value=st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False))
def test_a_percent_threshold_is_accepted_exactly_within_its_bounds(value: Any) -> None:
    from core.budget.warnings.settings import validate_param

    param = RULES["execution_below_progress"].param("gap")
    assert param.minimum is not None and param.maximum is not None
    if param.minimum <= value <= param.maximum:
        assert validate_param(param, str(value)) == float(value)
    else:
        with pytest.raises(RuleSettingError):
            validate_param(param, str(value))


@given(wan=st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False, allow_infinity=False))
def test_an_amount_threshold_keeps_every_fen(wan: Any) -> None:
    from core.budget.warnings.settings import amount_fen, validate_param

    param = RULES["idle_funds"].param("min_amount")
    stored = validate_param(param, str(wan))
    assert isinstance(stored, str) and amount_fen(stored) == int(wan * 1_000_000)


# an amount followed by a unit: "1,234.56 万元", "500 元", "3 亿元"
AMOUNT_UNIT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(亿元|万元|元)")


def test_every_reason_and_evidence_speaks_in_wan_yuan(planted_engine: Engine) -> None:
    """One unit in every warning's words: the inbox grid, the thresholds and the reports are in 万元, so are
    the reasons and the evidence labels (a single payment to the fen, sums to 0.01 万元)."""
    found = evaluate(planted_engine, YEAR, 12, list(RULES))
    units: dict[str, set[str]] = {}
    texts = 0
    for rule, (_, findings) in found.items():
        for f in findings:
            for text_ in [f.reason, *(str(e["label"]) for e in f.trail)]:
                texts += 1
                for unit in AMOUNT_UNIT.findall(text_):
                    units.setdefault(unit, set()).add(rule)
                assert "万元" in text_ or not AMOUNT_UNIT.search(text_), text_
    assert texts > 50
    assert set(units) == {"万元"}, units
    assert {"large_single_payment", "cash_withdrawal", "payment_without_budget", "year_end_spike"} <= units["万元"]


def test_single_payments_are_written_exactly_in_wan_yuan() -> None:
    assert wan_exact(5_000_000) == "5.00 万元"  # 50,000 元
    assert wan_exact(12_345_678) == "12.345678 万元"  # 123,456.78 元
    assert wan_exact(1_234_50) == "0.12345 万元"  # 1,234.50 元
    assert wan_exact(100) == "0.0001 万元"  # 1 元
    assert payment_label("ZF1", "2024-07-15", "上海某公司", 8_000_000, "设备") == "ZF1 2024-07-15 上海某公司 8.00 万元 设备"


@given(st.integers(min_value=0, max_value=10**15))
def test_wan_exact_reads_back_to_the_same_fen(fen: int) -> None:
    text_ = wan_exact(fen)
    number, unit = text_.split(" ")
    assert unit == "万元"
    decimals = len(number.split(".")[1])
    assert 2 <= decimals <= 6
    assert int(Decimal(number.replace(",", "")) * 1_000_000) == fen
