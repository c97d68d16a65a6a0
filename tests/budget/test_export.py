"""Excel export of query results and single payments: read back with openpyxl; limits, progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from core.budget import export
from core.budget.demo import Manifest, generate
from core.budget.export import ExportCancelled, ExportError, export_payments, export_result
from core.budget.query import Filters, QuerySpec, run_query
from core.budget.query.payments import count_payments
from core.db import make_engine, migrate


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Manifest]]:
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('export') / 'b.sqlite3'}")
    migrate(eng)
    manifest = generate(eng, year=2024, payments=3_000, projects=200, departments=30)
    yield eng, manifest
    eng.dispose()


def test_result_sheet_has_title_header_amounts_in_yuan_and_a_total(demo: tuple[Engine, Manifest],
                                                                   tmp_path: Path) -> None:
    engine, _ = demo
    spec = QuerySpec(2024, path="department", filters=Filters(month_from=1, month_to=6))
    result = run_query(engine, spec)
    seen: list[tuple[int, int]] = []
    path = export_result(result, tmp_path / "r.xlsx", demo=True, progress=lambda d, t: seen.append((d, t)))
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert "2024 年度" in rows[0][0] and "1–6月" in rows[0][0] and "演示数据" in rows[0][0]
    assert rows[1][:3] == ("部门", "代码", "年初预算（元）")
    body = rows[2:-1]
    assert len(body) == len(result.rows)
    first = result.rows[0]
    assert body[0][0] == first.label and body[0][1] == first.key
    paid_col = rows[1].index("已支付（元）")
    assert Decimal(str(body[0][paid_col])) == Decimal(first.values["paid"] or 0) / 100
    assert ws.cell(row=3, column=paid_col + 1).number_format == "#,##0.00"
    assert rows[-1][0] == "合计"
    assert round(sum(r[paid_col] for r in body), 2) == round(rows[-1][paid_col], 2)
    rate_col = rows[1].index("执行率")
    assert 0 < rows[-1][rate_col] < 1 and ws.cell(row=3, column=rate_col + 1).number_format == "0.0%"
    assert seen[-1] == (len(result.rows) + 1, len(result.rows) + 1)


def test_payment_list_has_every_matching_payment(demo: tuple[Engine, Manifest], tmp_path: Path) -> None:
    engine, manifest = demo
    spec = QuerySpec(2024, path="department", filters=Filters(method="现金"))
    path = export_payments(engine, spec, tmp_path / "p.xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert "现金" in rows[0][0] and "支付明细" in rows[0][0] and "演示数据" in rows[0][0]
    assert rows[1][:4] == ("支付日期", "支付编号", "收款人", "金额（元）")
    assert sorted(r[1] for r in rows[2:]) == sorted(manifest.of_rule("cash_withdrawal")[0]["payment_nos"])
    assert all(r[4] == "现金" and r[0].date() <= date(2024, 12, 31) for r in rows[2:])
    everything = export_payments(engine, QuerySpec(2024), tmp_path / "all.xlsx")
    book = load_workbook(everything, read_only=True)
    try:
        assert sum(1 for _ in book.active.iter_rows()) == count_payments(engine, QuerySpec(2024)) + 2
    finally:
        book.close()


def test_cancel_leaves_no_file(demo: tuple[Engine, Manifest], tmp_path: Path) -> None:
    engine, _ = demo
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        cancel.set()

    target = tmp_path / "out" / "p.xlsx"
    with pytest.raises(ExportCancelled):
        export_payments(engine, QuerySpec(2024), target, progress=progress, cancel=cancel)
    assert list(target.parent.iterdir()) == []


def test_more_than_excel_can_hold_is_refused(demo: tuple[Engine, Manifest], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = demo
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 100)
    with pytest.raises(ExportError, match="超过 Excel"):
        export_payments(engine, QuerySpec(2024), tmp_path / "p.xlsx")
    projects = run_query(engine, QuerySpec(2024, path="department", selected=("D010",)))
    assert len(projects.rows) > 2
    many = replace(projects, rows=projects.rows * (100 // len(projects.rows) + 1))
    with pytest.raises(ExportError, match="超过 Excel"):
        export_result(many, tmp_path / "r.xlsx", demo=True)
    assert list(tmp_path.iterdir()) == []
