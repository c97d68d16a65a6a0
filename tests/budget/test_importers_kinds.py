"""The finance bureau's projects, indicator changes, payment applications and final accounts: good files land
exactly, bad files are reported row by row in Chinese and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS, import_file
from core.budget.models import FinalAccount, IndicatorChange, PaymentApplication, Project
from tests.budget.helpers import seed_reference, snapshot, write_csv
from tests.budget.test_importers import GOOD_ROWS


@pytest.fixture
def seeded(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    seed_reference(factory)
    return factory


def _file(tmp_path: Path, kind: str, rows: list[list[str]]) -> Path:
    return write_csv(tmp_path / f"{kind}.csv", SPECS[kind].headers, rows)


def test_projects_land_exactly_with_their_scope(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    result = import_file(seeded, "projects", _file(tmp_path, "projects", GOOD_ROWS["projects"]))
    assert result.ok, result.report()
    with seeded() as s:
        rows = {p.code: p for p in s.scalars(select(Project))}
    assert rows["P001"].budget_fen == 100_000_000 and rows["P002"].budget_fen == 3_500_050
    assert rows["P002"].book == "general" and rows["P001"].category == "项目支出"
    assert {p.scope for p in rows.values()} == {"public"} and all(p.seq > 0 for p in rows.values())


def test_bad_projects_are_reported_row_by_row(seeded: sessionmaker[Session], engine: Engine,
                                              tmp_path: Path) -> None:
    good = GOOD_ROWS["projects"][0]
    bad = [
        good,
        [*good[:4], "D999", *good[5:]],                      # row 3: unknown department
        ["2025", "P003", "x", "", "D010", "", "2999999", "", "", "1"],  # row 4: code not in the year's table
        good,                                                 # row 5: duplicate of row 2
        ["2025", "P004", "", "", "D010", "", "2050203", "", "", "1.001"],  # row 6: no name, three decimals
        ["合计", "", "", "", "", "", "", "", "", "5"],          # row 7: wrong total
    ]
    before = snapshot(engine)
    result = import_file(seeded, "projects", _file(tmp_path, "projects", bad))
    assert not result.ok
    where = [(p.row, p.column) for p in result.problems]
    assert (3, "部门编码") in where and (4, "功能科目") in where and (5, "年度、项目编码") in where
    assert (6, "项目名称") in where and (6, "预算金额（元）") in where
    report = result.report()
    assert "整个文件没有导入" in report and "第 3 行" in report and "D999" in report
    assert snapshot(engine) == before


def test_indicator_changes_need_their_indicator_and_take_its_domain(seeded: sessionmaker[Session], engine: Engine,
                                                                   tmp_path: Path) -> None:
    change = GOOD_ROWS["indicator_changes"][0]
    early = import_file(seeded, "indicator_changes", _file(tmp_path, "indicator_changes", [change]))
    assert [p.column for p in early.problems] == ["指标编号"]
    assert "ZB001" in early.problems[0].what and "预算指标" in early.problems[0].todo
    assert import_file(seeded, "indicators", _file(tmp_path, "indicators", GOOD_ROWS["indicators"])).ok
    bad = [change, [*change[:3], "调大", *change[4:]], [change[0], "ZB001", "", "调增", "2025-07-01", "5", ""]]
    before = snapshot(engine)
    refused = import_file(seeded, "indicator_changes", _file(tmp_path, "indicator_changes", bad))
    assert [(p.row, p.column) for p in refused.problems] == [(3, "调整类型"), (4, "调整文号")]
    assert snapshot(engine) == before
    done = import_file(seeded, "indicator_changes", _file(tmp_path, "indicator_changes", [change]))
    assert done.ok and done.inserted == 1
    with seeded() as s:
        row = s.scalars(select(IndicatorChange)).one()
    assert row.amount_fen == -2_000_050 and row.domain == "教科文卫" and row.scope == "committee:教科文卫"


def test_applications_and_final_accounts(seeded: sessionmaker[Session], engine: Engine, tmp_path: Path) -> None:
    app = GOOD_ROWS["applications"][0]
    before = snapshot(engine)
    bad = import_file(seeded, "applications", _file(tmp_path, "applications", [
        [*app[:7], "已付款"], [*app[:5], "2025-02-30", *app[6:]]]))
    assert [(p.row, p.column) for p in bad.problems] == [(2, "状态"), (3, "申请日期")]
    assert snapshot(engine) == before
    assert import_file(seeded, "applications", _file(tmp_path, "applications", GOOD_ROWS["applications"])).ok
    finals = GOOD_ROWS["final_accounts"]
    twice = import_file(seeded, "final_accounts", _file(tmp_path, "final_accounts", [*finals, finals[0]]))
    assert [p.row for p in twice.problems] == [4] and "重复" in twice.problems[0].what
    assert import_file(seeded, "final_accounts", _file(tmp_path, "final_accounts", finals)).ok
    with seeded() as s:
        application = s.scalars(select(PaymentApplication)).one()
        accounts = {a.department_code: a for a in s.scalars(select(FinalAccount))}
    assert application.amount_fen == 25_000_000 and application.scope == "committee:教科文卫"
    assert accounts["D010"].final_fen == 11_850 and accounts[""].final_fen == 500_000
