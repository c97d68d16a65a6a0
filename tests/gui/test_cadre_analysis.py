"""The 分析 tab: the figures of a small worked record in the charts and tables, and the Excel export."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apps.cadre.analysis_page import AnalysisPage
from core.cadre.models import (
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadCategory,
    CadPerson,
    CadPersonCategory,
)
from core.db import make_engine
from core.sync.client import LocalStore
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)


@pytest.fixture
def store(migrated_sqlite: Path, tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'local.sqlite3')}")
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        people = [CadPerson(name="甲", birth_date=date(1936, 1, 1)), CadPerson(name="乙", birth_date=date(1946, 12, 31)),
                  CadPerson(name="丙", birth_date=date(1950, 6, 1)),
                  CadPerson(name="丁", birth_date=date(1930, 1, 1), alive=False, died_on=date(2025, 3, 1)),
                  CadPerson(name="戊", birth_date=date(1931, 1, 1), alive=False, died_on=date(2024, 8, 1))]
        branch = CadBranch(name="第一党支部")
        activity = CadActivity(title="重阳登高", held_on=date(2026, 10, 29), state="done")
        s.add_all([*people, branch, activity, CadCategory(code="LX", name="离休干部"),
                   CadCategory(code="TX", name="退休干部")])
        s.flush()
        a, b, c = people[:3]
        s.add_all([
            CadPersonCategory(person_id=a.id, category_code="LX"), CadPersonCategory(person_id=b.id, category_code="TX"),
            CadPersonCategory(person_id=c.id, category_code="TX"),
            CadBranchMember(person_id=a.id, branch_id=branch.id), CadBranchMember(person_id=b.id, branch_id=branch.id),
            CadAid(person_id=a.id, applied_on=date(2026, 3, 1), state="paid", approved_fen=200000),
            CadAid(person_id=b.id, applied_on=date(2025, 5, 1), state="paid", approved_fen=100000),
            CadActivityEntry(person_id=a.id, activity_id=activity.id, attended=True),
            CadActivityEntry(person_id=b.id, activity_id=activity.id, attended=False),
        ])
    return store


def _column(page: AnalysisPage, key: str, column: int) -> list[str]:
    table = page.tables[key]
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_charts_and_tables_show_the_figures_and_export_them(qtbot: QtBot, store: LocalStore,
                                                            tmp_path: Path) -> None:
    page = AnalysisPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert page.result is None and not page.export_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        page.reload()
    assert "健在 3 人" in page.summary.text() and "去世 2 人" in page.summary.text()
    assert _column(page, "ages", 0) == ["60 岁以下", "60–69 岁", "70–79 岁", "80–89 岁", "90 岁及以上"]
    assert _column(page, "ages", 1) == ["0", "0", "2", "0", "1"]
    assert page.charts["ages"].values == [0, 0, 2, 0, 1]
    assert dict(zip(_column(page, "categories", 0), _column(page, "categories", 1), strict=True)) == {
        "退休干部": "2", "离休干部": "1"}
    assert page.charts["categories"].labels == ["退休干部", "离休干部"]
    assert _column(page, "branches", 1) == ["2"]
    assert _column(page, "aid", 0) == ["2025", "2026"] and _column(page, "aid", 4) == ["1,000.00", "2,000.00"]
    assert page.charts["aid"].values == [1000.0, 2000.0]
    assert [_column(page, "attendance", c) for c in (0, 2, 3, 4)] == [["重阳登高"], ["2"], ["1"], ["50.0%"]]
    assert _column(page, "deaths", 0) == ["2024", "2025"] and page.charts["deaths"].values == [1, 1]
    assert page.export_button.isEnabled()

    workbook = load_workbook(page.export_to(tmp_path / "分析.xlsx"))
    assert workbook.sheetnames == ["年龄结构", "人员类别", "党支部", "帮困救助", "活动出勤", "去世人数"]
    values = [[c for c in row if c is not None] for row in workbook["帮困救助"].iter_rows(values_only=True)]
    assert ["年份", "申请件数", "批准件数", "批准金额（元）", "已发放（元）", "人数"] in values
    assert any(row and str(row[0]) == "2026" and 2000 in row for row in values), values
    ages = [[c for c in row if c is not None] for row in workbook["年龄结构"].iter_rows(values_only=True)]
    assert any(row[:2] == ["70–79 岁", 2] for row in ages if len(row) >= 2), ages

    pdf = tmp_path / "分析.pdf"
    pdf.write_bytes(page.report_pdf())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("老干部情况分析", "健在人员年龄结构（人）", "帮困救助每年已发放金额（元）", "重阳登高", "2,000.00",
                  "每年去世人数（人）"):
        assert words in text, words
    page.open_preview()
    assert page.preview is not None and page.preview.isVisible()
    page.preview.reject()
