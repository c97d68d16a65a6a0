"""The demo-data generator: real codes, real totals, everything marked generated, every anomaly planted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from apps.cli import main
from core.budget.demo import GENERATED_FUNCTIONAL, RULES, THREE_PUBLIC, DemoDataExists, Manifest, generate
from core.db import make_engine, migrate
from tests.sync.harness import World, client_rows

YEAR = 2025
PAYMENTS = 5000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    manifest = generate(engine, YEAR, PAYMENTS, projects=300, departments=100, seed=7)
    yield engine, manifest
    engine.dispose()


def _one(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _all(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _only(manifest: Manifest, rule: str) -> dict[str, Any]:
    found = manifest.of_rule(rule)
    assert len(found) == 1, rule
    return found[0]


AVAILABLE = "SELECT department_code, SUM(amount_fen + adjusted_fen + carried_over_fen) FROM bgt_indicator GROUP BY 1"


def test_counts_scale_and_markers(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    assert _one(engine, "SELECT COUNT(*) FROM bgt_payment") == PAYMENTS == manifest.payments
    assert _one(engine, "SELECT COUNT(*) FROM reg_department") == 100
    assert _one(engine, "SELECT COUNT(*) FROM bgt_project") == 300
    for table in ("bgt_payment", "bgt_project", "bgt_indicator", "bgt_plan", "bgt_payment_application",
                  "bgt_tax_revenue", "bgt_social_fund", "bgt_state_asset", "bgt_audit_finding", "bgt_final_account"):
        assert _one(engine, f"SELECT COUNT(*) FROM {table}") > 0, table
        assert _one(engine, f"SELECT COUNT(*) FROM {table} WHERE generated = 0 OR source <> '演示生成'") == 0, table
        assert _one(engine, f"SELECT COUNT(*) FROM {table} WHERE seq <= 0 OR scope = ''") == 0, table
    assert _one(engine, "SELECT COUNT(DISTINCT seq) FROM bgt_payment") == PAYMENTS
    # codes: the partial sources stay real and tagged; only the listed additions are generated
    generated = {r[0] for r in _all(engine, "SELECT code FROM bgt_class_code WHERE generated = 1 AND year = :y", y=YEAR)}
    assert generated == {c[0] for c in GENERATED_FUNCTIONAL}
    assert _one(engine, "SELECT COUNT(*) FROM bgt_class_code WHERE generated = 0 AND (source = '' OR is_partial = 0)") == 0
    # every payment is on a code of the year's table
    for column, kind in (("functional_code", "functional"), ("economic_code", "economic")):
        assert _one(engine, f"SELECT COUNT(*) FROM bgt_payment p WHERE NOT EXISTS (SELECT 1 FROM bgt_class_code c "
                            f"WHERE c.kind = '{kind}' AND c.year = p.year AND c.code = p.{column})") == 0
    # scaled to the real total: 全市一般公共预算支出 2024 = 9,874.8 亿元 (nearest year for 2025)
    assert manifest.scale["general_spending_fen"] == 987_480_000_000_00
    spent = _one(engine, "SELECT SUM(amount_fen) FROM bgt_payment")
    assert 0.85 < spent / manifest.scale["general_spending_fen"] < 1.1
    assert {a["rule"] for a in manifest.anomalies} == set(RULES)


def test_execution_below_time_progress(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = _only(manifest, "execution_below_progress")
    available = dict(_all(engine, AVAILABLE))
    half = dict(_all(engine, "SELECT department_code, SUM(amount_fen) FROM bgt_payment WHERE month <= 6 GROUP BY 1"))
    rates = {d: half.get(d, 0) / available[d] for d in available}
    assert rates[planted["department_code"]] < 0.25
    # low elsewhere only where another planted anomaly lives (a December spike, an idle or carried-over indicator)
    hosts = {a["department_code"] for a in manifest.anomalies if "department_code" in a}
    assert {d for d, r in rates.items() if r < 0.35} <= hosts


def test_year_end_spike(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = _only(manifest, "year_end_spike")
    rows = _all(engine, "SELECT department_code, SUM(CASE WHEN month = 12 THEN amount_fen ELSE 0 END) * 1.0 "
                        "/ SUM(amount_fen) FROM bgt_payment GROUP BY 1")
    spiky = sorted(d for d, share in rows if share > 0.3)
    assert spiky == [planted["department_code"]]


def test_payments_without_budget_and_above_the_line(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = _only(manifest, "payment_without_budget")
    orphans = sorted(r[0] for r in _all(engine, "SELECT payment_no FROM bgt_payment p WHERE NOT EXISTS "
                                                "(SELECT 1 FROM bgt_indicator i WHERE i.indicator_no = p.indicator_no)"))
    assert orphans == sorted(planted["payment_nos"])
    above = _only(manifest, "payment_above_budget")
    over = [r[0] for r in _all(engine, "SELECT i.indicator_no FROM bgt_indicator i JOIN bgt_payment p "
                                       "ON p.indicator_no = i.indicator_no GROUP BY i.indicator_no, i.amount_fen, "
                                       "i.adjusted_fen, i.carried_over_fen HAVING SUM(p.amount_fen) > "
                                       "i.amount_fen + i.adjusted_fen + i.carried_over_fen")]
    assert above["indicator_no"] in over
    # the anomalies' own extra payments may push their host indicator over too; nothing else is over
    host = {r[0] for r in _all(engine, "SELECT DISTINCT indicator_no FROM bgt_payment WHERE payment_no IN "
                                       "(SELECT payment_no FROM bgt_payment WHERE method = '现金')")}
    assert set(over) <= {above["indicator_no"], *host}


def test_large_single_payments(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = _only(manifest, "large_single_payment")
    normal_max = planted["normal_max_fen"]
    big = sorted(r[0] for r in _all(engine, "SELECT payment_no FROM bgt_payment WHERE amount_fen > :m", m=normal_max))
    assert big == sorted(planted["payment_nos"])
    assert _one(engine, "SELECT MIN(amount_fen) FROM bgt_payment WHERE payment_no IN ('"
                + "','".join(planted["payment_nos"]) + "')") >= 5 * normal_max


def test_cash_and_suspicious_payees(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    cash = sorted(r[0] for r in _all(engine, "SELECT payment_no FROM bgt_payment WHERE method = '现金'"))
    assert cash == sorted(_only(manifest, "cash_withdrawal")["payment_nos"])
    odd = sorted(r[0] for r in _all(engine, "SELECT payment_no FROM bgt_payment WHERE payee LIKE '%某%' "
                                            "OR payee LIKE '%个人%' OR payee LIKE '%职工%' OR purpose LIKE '%购物卡%' "
                                            "OR purpose LIKE '%礼品%' OR purpose LIKE '%宴请%'"))
    assert odd == sorted(_only(manifest, "suspicious_payee_or_purpose")["payment_nos"])


def test_idle_funds_and_large_carry_over(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    idle = [r[0] for r in _all(engine, "SELECT indicator_no FROM bgt_indicator i WHERE amount_fen > 0 AND NOT EXISTS "
                                       "(SELECT 1 FROM bgt_payment p WHERE p.indicator_no = i.indicator_no)")]
    assert idle == [_only(manifest, "idle_funds")["indicator_no"]]
    planted = _only(manifest, "large_carry_over")
    share = _one(engine, "SELECT carry_forward_fen * 1.0 / (amount_fen + adjusted_fen + carried_over_fen) "
                         "FROM bgt_indicator WHERE indicator_no = :n", n=planted["indicator_no"])
    assert share > 0.5
    assert _one(engine, "SELECT carried_over_fen FROM bgt_indicator WHERE indicator_no = :n",
                n=planted["indicator_no"]) > 0


def test_three_public_growth(demo: tuple[Engine, Manifest]) -> None:
    engine, manifest = demo
    planted = _only(manifest, "three_public_growth")
    codes = "','".join(THREE_PUBLIC)
    now = dict(_all(engine, f"SELECT department_code, SUM(amount_fen) FROM bgt_payment WHERE economic_code IN ('{codes}') "
                            "GROUP BY 1"))
    before = dict(_all(engine, f"SELECT department_code, SUM(final_fen) FROM bgt_final_account WHERE year = :y "
                               f"AND economic_code IN ('{codes}') GROUP BY 1", y=YEAR - 1))
    growth = {d: now[d] / before[d] for d in before}
    assert growth[planted["department_code"]] > 1.5
    assert sorted(d for d, g in growth.items() if g > 1.2) == [planted["department_code"]]


def test_clean_data_set_has_none_of_the_anomalies(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'clean.sqlite3'}")
    migrate(engine)
    manifest = generate(engine, YEAR, 4000, projects=300, seed=11, anomalies=False)
    assert manifest.anomalies == [] and manifest.payments == 4000
    assert _one(engine, "SELECT COUNT(*) FROM bgt_payment WHERE method = '现金' OR indicator_no = ''") == 0
    shares = _all(engine, "SELECT department_code, SUM(CASE WHEN month = 12 THEN amount_fen ELSE 0 END) * 1.0 "
                          "/ SUM(amount_fen) FROM bgt_payment GROUP BY 1")
    assert max(s for _, s in shares) < 0.2
    assert _one(engine, "SELECT COUNT(*) FROM bgt_indicator i WHERE NOT EXISTS "
                        "(SELECT 1 FROM bgt_payment p WHERE p.indicator_no = i.indicator_no)") == 0
    with pytest.raises(DemoDataExists):
        generate(engine, YEAR, 4000, projects=300, seed=11, anomalies=False)
    engine.dispose()


def test_generated_rows_sync_to_clients_by_scope(world: World) -> None:
    generate(world.engine, YEAR, 4000, projects=300, seed=3)
    staff = world.client(world.add_user("staff", "budget_staff"))
    staff.sync()
    rows = client_rows(staff)
    assert len(rows["bgt_payment"]) == 4000 and len(rows["bgt_project"]) == 300
    deputy = world.client(world.add_user("deputy", "deputy"))
    deputy.sync()
    rows = client_rows(deputy)
    assert rows["bgt_payment"] == {} and rows["bgt_indicator"] == {} and rows["bgt_audit_finding"] == {}
    assert len(rows["bgt_project"]) == 300 and len(rows["bgt_tax_revenue"]) > 0
    assert all(r["scope"] == "public" for table in rows.values() for r in table.values() if "scope" in r)


def test_cli_writes_the_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.json"
    code = main(["budget", "demo-data", "--year", "2024", "--payments", "4000", "--projects", "300",
                 "--db", f"sqlite:///{tmp_path / 'cli.sqlite3'}", "--manifest", str(out)])
    assert code == 0
    assert "已生成 2024 年度演示数据" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["payments"] == 4000 and {a["rule"] for a in data["anomalies"]} == set(RULES)
    assert data["scale"]["exact_year"] is True
