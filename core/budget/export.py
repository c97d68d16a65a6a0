"""Excel export of a query result or of the single payments behind a query (openpyxl, write-only).

The sheet starts with a title row saying what was asked (year, drill path, filters) and whether the data is
generated demo data, then a Chinese header row. Amounts are numbers in 元 with a thousands format, so clerks can
sum and sort them in Excel. A file is written to a temporary name beside the target and renamed only when
complete: a refused, failed or cancelled export leaves no file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Engine, exists, select

from core.budget.models import Payment
from core.budget.query.compile import MEASURE_COLUMNS
from core.budget.query.describe import DEMO_NOTE, describe
from core.budget.query.payments import PAYMENT_COLUMNS, count_payments, iter_payments
from core.budget.query.run import QueryResult, QueryRow
from core.budget.query.spec import LEVELS, MEASURES, QuerySpec

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet."""
HEAD_ROWS = 2
"""The title row and the header row."""
YUAN_FORMAT = "#,##0.00"
RATE_FORMAT = "0.0%"

Progress = Callable[[int, int], None]
"""``progress(done, total)`` in rows."""


class ExportError(Exception):
    """An export that cannot be done, with a Chinese message; nothing was written."""


class ExportCancelled(Exception):
    """The user cancelled; the partial file was removed."""


def is_demo(engine: Engine, year: int) -> bool:
    """True when the year holds generated (demo) payments."""
    with engine.connect() as conn:
        return bool(conn.execute(select(exists().where(Payment.year == year, Payment.generated.is_(True)))).scalar())


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen) / 100


class _Sheet:
    """A write-only sheet with the title and header rows written."""

    def __init__(self, wb: Workbook, title: str, heading: str, headers: list[str], widths: list[int]) -> None:
        ws: WriteOnlyWorksheet = wb.create_sheet(title)
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        self.ws = ws
        cell = WriteOnlyCell(ws, heading)
        cell.font = Font(bold=True, size=13)
        ws.append([cell])
        head = []
        for text in headers:
            c = WriteOnlyCell(ws, text)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="center")
            head.append(c)
        ws.append(head)

    def number(self, value: Any, fmt: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value)
        cell.number_format = fmt
        return cell


def _write_atomically(path: Path, build: Callable[[Workbook], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    wb = Workbook(write_only=True)
    try:
        build(wb)
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        for ws in wb.worksheets:  # finish the sheets' stream writers, or they complain when collected
            with contextlib.suppress(Exception):
                ws.close()
        tmp.unlink(missing_ok=True)
        raise
    return path


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelled("导出已取消，未保存文件")


def _heading(spec: QuerySpec, demo: bool, trail: list[str] | None, payments: bool = False) -> str:
    text = describe(spec, trail, payments=payments)
    return f"{text}。{DEMO_NOTE}" if demo else text


def export_result(result: QueryResult, path: Path, *, demo: bool, trail: list[str] | None = None,
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> Path:
    """Write a query result (one row per group and a total row) to ``path``."""
    rows = result.rows
    if len(rows) + HEAD_ROWS + 1 > EXCEL_MAX_ROWS:
        raise ExportError(f"结果有 {len(rows):,} 行，超过 Excel 一张表的上限 {EXCEL_MAX_ROWS:,} 行；请加筛选条件后再导出")
    level = result.spec.level or "book"
    measures = [m for m in result.spec.measures]
    headers = [LEVELS[level].label, "代码"] + [
        MEASURES[m] if m in ("rate", "count") else f"{MEASURES[m]}（元）" for m in measures]

    def build(wb: Workbook) -> None:
        sheet = _Sheet(wb, "查询结果", _heading(result.spec, demo, trail), headers,
                       [40, 14] + [18] * len(measures))
        total = len(rows) + 1
        for i, row in enumerate([*rows, result.total], start=1):
            _check(cancel)
            sheet.ws.append(_result_cells(sheet, row, measures))
            if progress is not None and (i % 500 == 0 or i == total):
                progress(i, total)

    return _write_atomically(path, build)


def _result_cells(sheet: _Sheet, row: QueryRow, measures: list[str]) -> list[Any]:
    cells: list[Any] = [row.label, row.key]
    for m in measures:
        if m == "rate":
            rate = row.rate
            cells.append(sheet.number(None if rate is None else rate / 100, RATE_FORMAT))
        elif m == "count":
            cells.append(row.values.get("count"))
        elif m in MEASURE_COLUMNS:
            cells.append(sheet.number(_yuan(row.values.get(m)), YUAN_FORMAT))
    return cells


def export_payments(engine: Engine, spec: QuerySpec, path: Path, *, demo: bool | None = None,
                    trail: list[str] | None = None, progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> Path:
    """Write every single payment matching ``spec`` (all filters and drill choices) to ``path``, newest first."""
    total = count_payments(engine, spec)
    if total + HEAD_ROWS > EXCEL_MAX_ROWS:
        raise ExportError(f"共有 {total:,} 笔支付，超过 Excel 一张表的上限 {EXCEL_MAX_ROWS - HEAD_ROWS:,} 笔；"
                          "请按月份、部门等条件缩小范围后分批导出")
    if demo is None:
        demo = is_demo(engine, spec.year)
    headers = [label + ("（元）" if name == "amount_fen" else "") for name, label in PAYMENT_COLUMNS]
    widths = [12, 18, 34, 16, 14, 24, 10, 10, 14, 14, 16, 10, 10]

    def build(wb: Workbook) -> None:
        sheet = _Sheet(wb, "支付明细", _heading(spec, demo, trail, payments=True), headers, widths)
        done = 0
        for done, record in enumerate(iter_payments(engine, spec), start=1):
            if done % 1000 == 1:
                _check(cancel)
            cells: list[Any] = []
            for name, _ in PAYMENT_COLUMNS:
                value = getattr(record, name)
                if name == "amount_fen":
                    cells.append(sheet.number(_yuan(value), YUAN_FORMAT))
                elif isinstance(value, date):
                    cells.append(sheet.number(value, "yyyy-mm-dd"))
                else:
                    cells.append(value)
            sheet.ws.append(cells)
            if progress is not None and (done % 2000 == 0 or done == total):
                progress(done, total)
        _check(cancel)
        if progress is not None and total == 0:
            progress(0, 0)

    return _write_atomically(path, build)
