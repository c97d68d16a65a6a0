"""Random bytes, random cells and random damage thrown at every importer kind: the answer is always an
:class:`ImportResult` (never a traceback), and a refused file leaves the database exactly as it was.

Three properties of 100 examples each (300 in all), without a per-example deadline: on a loaded machine a
slow example is not a failure; the database is one seeded SQLite file shared by the examples."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS, ImportResult, import_file
from core.db import make_engine, make_session_factory, migrate
from core.sync.stamping import install_server_hooks
from tests.budget.helpers import seed_reference, snapshot
from tests.budget.test_importers import GOOD_ROWS

FUZZ = settings(max_examples=100, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
KINDS = st.sampled_from(sorted(SPECS))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])

_examples = {"count": 0}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, sessionmaker[Session], Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    eng = make_engine(f"sqlite:///{folder / 'budget.sqlite3'}")
    migrate(eng)
    f = make_session_factory(eng)
    install_server_hooks(f)
    seed_reference(f)
    yield eng, f, folder
    eng.dispose()
    print(f"\nimporter fuzz examples run: {_examples['count']}")


def _check(world: tuple[Engine, sessionmaker[Session], Path], kind: str, name: str, content: bytes) -> ImportResult:
    engine, factory, folder = world
    _examples["count"] += 1
    path = folder / name
    path.write_bytes(content)
    before = snapshot(engine)
    result = import_file(factory, kind, path)  # any exception fails the test
    assert isinstance(result, ImportResult)
    text = result.report()
    assert "Traceback" not in text and "Error" not in text
    if not result.ok:
        assert result.problems and all(p.what and p.todo for p in result.problems)
        assert snapshot(engine) == before
    return result


CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["", "合计", "2025", "-1", "1 234,56", "1,234.56", "12.345", "2025-02-30", "20250305", "D010",
                     "2050203", "ZB001", "一般公共预算", "调减", "国库集中支付", "\"", "\n", "9" * 30, "1e5"]),
    st.integers(-10**20, 10**20).map(str),
)


def _printable(text: str) -> str:
    """Without the control characters a worksheet cannot hold."""
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


def _damage(data: st.DataObject, content: bytes) -> bytes:
    how = data.draw(st.sampled_from(["none", "truncate", "flip", "insert", "drop"]))
    if how == "none" or not content:
        return content
    at = data.draw(st.integers(0, 999_999)) * len(content) // 1_000_000  # a workbook's size varies with its save time
    if how == "truncate":
        return content[:at]
    if how == "flip":
        return content[:at] + bytes([content[at] ^ data.draw(st.integers(1, 255))]) + content[at + 1:]
    if how == "insert":
        return content[:at] + data.draw(st.binary(min_size=1, max_size=16)) + content[at:]
    return content[:at] + content[at + data.draw(st.integers(1, 64)):]


@FUZZ
@given(kind=KINDS, suffix=st.sampled_from([".csv", ".xlsx"]), content=st.binary(max_size=2048))
def test_random_bytes(world: tuple[Engine, sessionmaker[Session], Path], kind: str, suffix: str,
                      content: bytes) -> None:
    _check(world, kind, "random" + suffix, content)


@FUZZ
@given(data=st.data(), kind=KINDS, encoding=ENCODINGS)
def test_random_cells_and_damage_in_csv(world: tuple[Engine, sessionmaker[Session], Path], data: st.DataObject,
                                        kind: str, encoding: str) -> None:
    header = list(SPECS[kind].headers)
    rows: list[list[str]] = [list(r) for r in GOOD_ROWS[kind]]
    for _ in range(data.draw(st.integers(0, 4))):
        width = data.draw(st.integers(max(0, len(header) - 2), len(header) + 2))
        rows.append([data.draw(CELL) for _ in range(width)])
    for row in rows:  # random cells put into good rows
        if data.draw(st.booleans()):
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(CELL)
    out = io.StringIO()
    writer = csv.writer(out)
    if data.draw(st.booleans()):
        writer.writerow(["某某单位报表"])  # a title row
    writer.writerow(header)
    writer.writerows(rows)
    try:
        content = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        content = out.getvalue().encode("utf-8")
    _check(world, kind, "fuzz.csv", _damage(data, content))


@FUZZ
@given(data=st.data(), kind=KINDS)
def test_random_cells_and_damage_in_excel(world: tuple[Engine, sessionmaker[Session], Path], data: st.DataObject,
                                          kind: str) -> None:
    header = list(SPECS[kind].headers)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in GOOD_ROWS[kind]:
        ws.append(row)
    for _ in range(data.draw(st.integers(0, 3))):
        ws.append([data.draw(st.one_of(CELL.map(_printable), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                                       st.dates(), st.none()))
                   for _ in range(data.draw(st.integers(0, len(header) + 2)))])
    buffer = io.BytesIO()
    try:
        wb.save(buffer)
    except Exception:  # a cell openpyxl itself refuses to write (control characters): not the importer's case
        return
    _check(world, kind, "fuzz.xlsx", _damage(data, buffer.getvalue()))
