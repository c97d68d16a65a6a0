"""The bulk import path against a row-by-row reading of the same file, on SQLite and PostgreSQL.

Random payments files with damaged cells (blank required cells, unknown codes and departments, bad dates and
amounts, overlong text, values outside the choices, dates outside the year) must be refused with exactly the
problems a cell-by-cell check finds — the same rows, columns and words, in file order — and leave every budget
table and the sync counter unchanged; an undamaged file is imported once and a second import changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS, import_file
from core.budget.importers.engine import _load_refs, _parse_cell, _Refs
from core.budget.importers.reading import ValueProblem, parse_fen
from core.budget.models import Payment
from core.db import make_engine, make_session_factory, migrate
from core.models.syncstate import SyncChange
from core.sync.feed import install_change_feed
from core.sync.schema import REGISTRY
from core.sync.stamping import install_server_hooks
from tests.budget.helpers import seed_reference, snapshot, write_csv

SPEC = SPECS["payments"]
HEADER = SPEC.headers
GOOD = {"年度": "2025", "支付申请号": "", "支付日期": "2025-03-05", "收款人": "上海某某科技有限公司",
        "收款账号": "6222000011112222", "支付金额（元）": "100", "支付方式": "国库集中支付", "用途": "设备维护",
        "预算类型": "一般公共预算", "功能科目": "2050203", "经济科目": "30213", "部门编码": "D010",
        "单位编码": "", "项目编码": "P001", "指标编号": "ZB001"}
FINE = {"支付日期": ["2025/12/31", " 2025-01-01 "], "支付金额（元）": ["1,234.56", "￥3.07", "12元", "0.5", "0"],
        "部门编码": ["D031"], "功能科目": ["2010101"], "经济科目": [""], "支付方式": ["公务卡", "现金"],
        "收款人": ["张三", "A\\B\t公司"], "用途": ["\\N", "维修\\保养"], "年度": [" 2025 "]}
"""Values the importer takes, in the forms clerks write them."""
DAMAGE = {"年度": ["20x5", "", "1999"], "支付编号": ["", "N" * 41], "支付日期": ["2025-13-01", "", "2024-12-31", "三月"],
          "收款人": ["", "名" * 121], "支付金额（元）": ["1.234", "-5", "abc", "", "1e5"],
          "支付方式": ["网银"], "预算类型": ["其他预算"], "功能科目": ["2999999", ""], "经济科目": ["99999"],
          "部门编码": ["D999", ""], "用途": [""]}
"""Cells the importer must refuse (or, for a date in another year, refuse the row)."""

_numbers = itertools.count()


@pytest.fixture
def server(server_db_url: str) -> Iterator[tuple[Any, sessionmaker[Session]]]:
    engine = make_engine(server_db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    seed_reference(factory)
    yield engine, factory
    engine.dispose()


def _expected(rows: list[list[str]], refs: _Refs) -> list[tuple[int, str, str]]:
    """The problems of a row-by-row, cell-by-cell check: (row, column, what), in file order."""
    limits = {c.name: getattr(c.type, "length", None) for c in Payment.__table__.columns}
    out: list[tuple[int, str, str]] = []
    for rowno, cells in enumerate(rows, start=2):
        texts = dict(zip(HEADER, (c.strip() for c in cells), strict=True))
        try:
            year: int | None = _parse_cell(SPEC.columns[0], texts["年度"], None, refs)
        except ValueProblem:
            year = None
        found: list[tuple[int, str, str]] = []
        paid: date | None = None
        for col in SPEC.columns:
            text = texts[col.header]
            if not text:
                if col.required:
                    found.append((rowno, col.header, "必填项为空"))
                continue
            limit = limits.get(col.attr) if col.kind == "text" else None
            if limit and len(text) > limit:
                found.append((rowno, col.header, f"内容过长（{len(text)} 字，最多 {limit} 字）"))
                continue
            try:
                value = parse_fen(text) if col.kind == "fen" else _parse_cell(col, text, year, refs)
            except ValueProblem as exc:
                found.append((rowno, col.header, exc.what))
                continue
            if col.kind == "fen" and value < 0 and not col.signed:
                found.append((rowno, col.header, f"金额“{text}”是负数，“{col.header}”不能为负数"))
            if col.kind == "date":
                paid = value
        if not found and paid is not None and paid.year != year:
            found.append((rowno, "支付日期", f"支付日期 {paid.isoformat()} 不在 {year} 年度内"))
        out += found
    return out


@st.composite
def payments_files(draw: st.DrawFn) -> list[list[str]]:
    """A few payments, each a good row with some cells written in other accepted forms and some damaged."""
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = dict(GOOD, 支付编号=f"ZF{next(_numbers):07d}")
        for header in draw(st.sets(st.sampled_from(sorted(FINE)), max_size=3)):
            row[header] = draw(st.sampled_from(FINE[header]))
        for header in draw(st.sets(st.sampled_from(sorted(DAMAGE)), max_size=2)):
            row[header] = draw(st.sampled_from(DAMAGE[header]))
        rows.append([row[h] for h in HEADER])
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=payments_files())
def test_bulk_import_refuses_what_a_row_by_row_check_refuses(server: tuple[Any, sessionmaker[Session]],
                                                           tmp_path: Path, rows: list[list[str]]) -> None:
    engine, factory = server
    with factory() as session:
        refs = _load_refs(session, SPEC, {2025})
    expected = _expected(rows, refs)
    path = write_csv(tmp_path / "payments.csv", HEADER, rows)
    before = snapshot(engine)
    result = import_file(factory, "payments", path)
    assert [(p.row, p.column, p.what) for p in result.problems] == expected
    if expected:
        assert not result.ok and result.inserted == 0
        assert snapshot(engine) == before  # all or nothing: not a row, not a change number
        return
    assert result.ok and result.inserted == len(rows)
    after = snapshot(engine)
    again = import_file(factory, "payments", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(rows))
    changed = snapshot(engine)
    assert len(changed.pop("bgt_import_log")) == len(after.pop("bgt_import_log")) + 1
    [(_, counter_after)] = after.pop("sync_counter")
    [(_, counter_again)] = changed.pop("sync_counter")
    assert counter_again == counter_after + 1  # one change number: the import log's entry
    assert changed == after  # not one payment rewritten, restamped or added


def test_duplicates_totals_and_existing_rows_refused_in_bulk(server: tuple[Any, sessionmaker[Session]],
                                                             tmp_path: Path) -> None:
    engine, factory = server
    row = dict(GOOD, 支付编号="ZF9000001")
    first = write_csv(tmp_path / "first.csv", HEADER, [[row[h] for h in HEADER]])
    assert import_file(factory, "payments", first).inserted == 1
    before = snapshot(engine)
    other = {**row, "支付金额（元）": "200"}
    rows = [[dict(row, 支付编号="ZF9000002")[h] for h in HEADER], [dict(row, 支付编号="ZF9000002")[h] for h in HEADER],
            [other[h] for h in HEADER], ["合计", *[""] * 5, "999", *[""] * 9]]
    result = import_file(factory, "payments", write_csv(tmp_path / "bad.csv", HEADER, rows))
    assert [(p.row, p.what) for p in result.problems] == [
        (3, "与第 2 行重复（年度、支付编号相同）"),
        (4, "这条记录已经导入过，但内容与已导入的不同"),
        (5, "合计 999.00 元与各行之和 400.00 元不符（相差 599.00 元）"),
    ]
    assert snapshot(engine) == before
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 1


def test_text_with_backslashes_tabs_and_line_breaks_reads_back_unchanged(server: tuple[Any, sessionmaker[Session]],
                                                                        tmp_path: Path) -> None:
    _engine, factory = server
    payees = ["甲\\乙", "丙\t丁", "戊\n己", "\\N", "庚\r\n辛"]
    rows = [[dict(GOOD, 支付编号=f"ZF80{i}", 收款人=payee)[h] for h in HEADER] for i, payee in enumerate(payees)]
    result = import_file(factory, "payments", write_csv(tmp_path / "text.csv", HEADER, rows))
    assert result.ok and result.inserted == len(payees)
    with factory() as session:
        stored = {no: payee for no, payee in session.execute(select(Payment.payment_no, Payment.payee))}
    assert stored == {f"ZF80{i}": payee.strip() for i, payee in enumerate(payees)}


def _indexes(engine: Any) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return {(r[0], r[1]) for r in conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'bgt_payment'")}
        return {(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bgt_payment'")}


def test_indexes_set_aside_for_a_bulk_insert_come_back_and_a_cancel_keeps_them(
        server: tuple[Any, sessionmaker[Session]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.budget.importers.engine as importer

    engine, factory = server
    monkeypatch.setattr(importer, "BULK_ROWS", 50)
    monkeypatch.setattr(importer, "INSERT_BATCH", 120)
    indexes = _indexes(engine)
    assert len(indexes) > 8
    rows = [[dict(GOOD, 支付编号=f"ZF{i:05d}")[h] for h in HEADER] for i in range(300)]
    path = write_csv(tmp_path / "many.csv", HEADER, rows)
    cancel = threading.Event()

    def stop_after_a_batch(done: int, total: int, phase: str) -> None:
        if phase == "写入" and done >= 120:
            cancel.set()

    before = snapshot(engine)
    assert import_file(factory, "payments", path, cancel=cancel, progress=stop_after_a_batch).cancelled
    assert _indexes(engine) == indexes and snapshot(engine) == before
    assert import_file(factory, "payments", path).inserted == 300
    assert _indexes(engine) == indexes  # every secondary index built again, as it was
    again = import_file(factory, "payments", path)
    assert (again.inserted, again.unchanged) == (0, 300)


def test_the_rollup_trigger_set_aside_for_a_bulk_insert_comes_back_and_the_rollup_is_stale(
        engine: Any, factory: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The roll-up and its triggers are the clerk's local SQLite database's (the server has none)."""
    import core.budget.importers.engine as importer

    seed_reference(factory)
    monkeypatch.setattr(importer, "BULK_ROWS", 50)
    monkeypatch.setattr(importer, "INSERT_BATCH", 120)

    def triggers() -> set[tuple[str, str]]:
        with engine.connect() as conn:
            return {(r[0], r[1]) for r in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bgt_payment'")}

    def dirty() -> int:
        with engine.begin() as conn:
            return int(conn.exec_driver_sql("SELECT dirty FROM bgt_query_state WHERE id = 1").scalar_one())

    before = triggers()
    assert "trg_bgt_payment_query_insert" in {name for name, _ in before}
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE bgt_query_state SET dirty = 0 WHERE id = 1")
    rows = [[dict(GOOD, 支付编号=f"ZF{i:05d}")[h] for h in HEADER] for i in range(300)]
    path = write_csv(tmp_path / "many.csv", HEADER, rows)
    cancel = threading.Event()

    def stop_after_a_batch(done: int, total: int, phase: str) -> None:
        if phase == "写入" and done >= 120:
            cancel.set()

    assert import_file(factory, "payments", path, cancel=cancel, progress=stop_after_a_batch).cancelled
    assert triggers() == before and dirty() == 0  # rolled back with everything else
    assert import_file(factory, "payments", path).inserted == 300
    assert triggers() == before and dirty() == 1  # the roll-up is rebuilt before the next query reads it
    with engine.connect() as conn:  # the page cache grown for the bulk write is given back
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() != -1048576
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE bgt_query_state SET dirty = 0 WHERE id = 1")
        conn.exec_driver_sql("UPDATE bgt_payment SET purpose = purpose WHERE payment_no = 'ZF00001'")
    assert dirty() == 1  # the triggers work as before


def _feed_and_rows(factory: sessionmaker[Session]) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    with factory() as session:
        feed = {r.row_id: (r.seq, r.scope) for r in session.scalars(
            select(SyncChange).where(SyncChange.table_name == "bgt_payment"))}
        rows = {i: (seq, scope) for i, seq, scope in session.execute(select(Payment.id, Payment.seq, Payment.scope))}
    return feed, rows


def test_bulk_rows_enter_the_servers_change_feed(server: tuple[Any, sessionmaker[Session]], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import core.budget.importers.engine as importer

    engine, factory = server
    install_change_feed(engine, REGISTRY)  # as the sync server does at start
    monkeypatch.setattr(importer, "BULK_ROWS", 50)  # the path of a large file: indexes set aside, COPY
    rows = [[dict(GOOD, 支付编号=f"ZF{i:05d}", 部门编码=("D010", "D031")[i % 2])[h] for h in HEADER]
            for i in range(200)]
    path = write_csv(tmp_path / "many.csv", HEADER, rows)
    bad = write_csv(tmp_path / "bad.csv", HEADER, [*rows[:5], [dict(GOOD, 支付编号="X", 部门编码="D999")[h] for h in HEADER]])
    assert not import_file(factory, "payments", bad).ok
    assert _feed_and_rows(factory) == ({}, {})
    assert import_file(factory, "payments", path).inserted == 200
    feed, stored = _feed_and_rows(factory)
    assert len(stored) == 200 and feed == stored  # every new row in the feed with its change number and scope
    assert len({scope for _, scope in stored.values()}) == 2
    assert import_file(factory, "payments", path).unchanged == 200
    assert _feed_and_rows(factory) == (feed, stored)


@st.composite
def streamed_files(draw: st.DrawFn) -> list[list[str]]:
    """Payments over several parts of a streamed import: good, other accepted forms, damaged cells, a number
    repeated in a later part, and maybe a totals row (right or wrong)."""
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(1, 4))):
        rows += draw(payments_files())
    if len(rows) > 1 and draw(st.booleans()):
        rows.append(list(rows[draw(st.integers(0, len(rows) - 2))]))  # the same payment again
    if draw(st.booleans()):
        total = sum(map(_amount, rows))
        stated = draw(st.sampled_from([total, total + 1]))
        rows.append(["合计", *[""] * 5, f"{stated // 100}.{stated % 100:02d}", *[""] * 9])
    return rows


def _amount(row: list[str]) -> int:
    try:
        return parse_fen(row[HEADER.index("支付金额（元）")].strip())
    except ValueProblem:
        return 0


def _stored_payments(engine: Any) -> list[tuple[Any, ...]]:
    """Every payment as stored, but its id, time and change number (new for every import)."""
    columns = [c.name for c in Payment.__table__.columns if c.name not in ("id", "changed_at", "seq")]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM bgt_payment ORDER BY natural_key")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=streamed_files())
def test_a_file_checked_and_written_part_by_part_is_imported_and_refused_as_a_whole(
        server: tuple[Any, sessionmaker[Session]], tmp_path: Path, rows: list[list[str]]) -> None:
    """On PostgreSQL a large file of new rows is checked and written part by part (the server takes a part
    while the next is checked); it must store the same rows and refuse the same cells, with the same words and
    in the same order, as the check of the whole file at once — which SQLite always uses."""
    import core.budget.importers.engine as importer

    engine, factory = server

    def empty() -> dict[str, list[tuple[Any, ...]]]:  # as an earlier example or import left it, but no payments
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM bgt_payment")
            conn.exec_driver_sql("DELETE FROM bgt_import_log")
        return snapshot(engine)

    path = write_csv(tmp_path / "payments.csv", HEADER, rows)
    before = empty()
    with pytest.MonkeyPatch.context() as patch:  # the whole file at once, as before
        patch.setattr(importer, "_streams", lambda *_args: False)
        whole = import_file(factory, "payments", path)
    assert whole.ok or snapshot(engine) == before
    stored = _stored_payments(engine)
    before = empty()
    streamed: list[int] = []
    with pytest.MonkeyPatch.context() as patch:  # part by part: parts of two rows, every file a bulk file
        patch.setattr(importer, "BULK_ROWS", 1)
        patch.setattr(importer, "INSERT_BATCH", 2)
        stream = importer._stream
        patch.setattr(importer, "_stream", lambda *args: streamed.append(1) or stream(*args))
        parts = import_file(factory, "payments", path)
    assert streamed == ([1] if engine.dialect.name == "postgresql" else [])
    assert parts.problems == whole.problems
    assert (parts.rows, parts.inserted, parts.ok) == (whole.rows, whole.inserted, whole.ok)
    if not whole.ok:
        assert parts.inserted == 0 and snapshot(engine) == before  # nothing written, no change number taken
        return
    assert _stored_payments(engine) == stored  # the same values, keys, digests, scopes and stamps
    with factory() as session:
        seqs = sorted(session.scalars(select(Payment.seq)))
        assert len(set(session.scalars(select(Payment.id)))) == len(seqs) == parts.inserted
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one change number each, taken together


@settings(max_examples=300, deadline=None)
@given(value=st.none() | st.booleans() | st.integers(min_value=-(1 << 70), max_value=1 << 70)
       | st.text(alphabet=st.characters(exclude_categories=()), max_size=40) | st.floats(allow_nan=True))
def test_a_constant_column_written_into_the_statement_reads_back_as_the_bound_value(value: Any) -> None:
    import sqlite3

    from core.budget.importers.engine import sqlite_literal

    literal = sqlite_literal(value)
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        if literal is None:  # kept as a parameter: floats, integers beyond 64 bits, text with NUL or a lone surrogate
            assert isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool))  \
                or (isinstance(value, str) and not _sqlite_text(value))
            return
        written = conn.execute(f"SELECT {literal}, typeof({literal})").fetchone()
        bound = conn.execute("SELECT ?, typeof(?)", (value, value)).fetchone()
    assert written == bound


def _sqlite_text(value: str) -> bool:
    """Whether SQLite can hold ``value`` as text written into a statement: no NUL, encodable as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def test_a_source_and_an_actor_with_quotes_are_written_as_they_are(server: tuple[Any, sessionmaker[Session]],
                                                                   tmp_path: Path) -> None:
    _engine, factory = server
    rows = [[dict(GOOD, 支付编号=f"ZF90{i}")[h] for h in HEADER] for i in range(3)]
    tag = "浦东新区财政局'数据包\" -- ); DROP TABLE bgt_payment; --"
    result = import_file(factory, "payments", write_csv(tmp_path / "quoted.csv", HEADER, rows), actor="o'brien",
                         source=tag)
    assert result.ok and result.inserted == 3
    with factory() as session:
        stored = set(session.execute(select(Payment.source, Payment.changed_by, Payment.version, Payment.deleted)))
    assert stored == {(tag, "o'brien", 1, False)}


@pytest.mark.parametrize("order", ["sorted", "shuffled"])
def test_on_postgresql_the_indexes_the_rows_append_to_stay_through_the_copy(
        server: tuple[Any, sessionmaker[Session]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        order: str) -> None:
    """The change numbers, (scope, change number) and — for a file sorted by it — the natural key are not set
    aside on PostgreSQL; every other index is, and all of them are there afterwards. SQLite sets all aside."""
    import core.budget.importers.engine as importer

    engine, factory = server
    monkeypatch.setattr(importer, "BULK_ROWS", 50)
    monkeypatch.setattr(importer, "INSERT_BATCH", 120)
    indexes = _indexes(engine)
    rebuilt: list[str] = []
    build = importer._build_indexes
    monkeypatch.setattr(importer, "_build_indexes",
                        lambda conn, rebuild, cancel: rebuilt.extend(rebuild) or build(conn, rebuild, cancel))
    numbers = list(range(300))
    if order == "shuffled":
        numbers.reverse()
    departments = ["D010", "D031"]  # two committees' domains: two scopes, taken in turn
    rows = [[dict(GOOD, 支付编号=f"ZF{i:05d}", 部门编码=departments[i % 2])[h] for h in HEADER] for i in numbers]
    path = write_csv(tmp_path / "many.csv", HEADER, rows)
    assert import_file(factory, "payments", path).inserted == 300
    assert _indexes(engine) == indexes
    names = {sql.split(" ON ")[0].split()[-1].strip('"') for sql in rebuilt}
    secondary = {name for name, _sql in indexes if name.startswith("ix_")}
    kept = {"ix_bgt_payment_seq", "ix_bgt_payment_scope_seq"}
    if order == "sorted":
        kept.add("ix_bgt_payment_natural_key")
    assert names == (secondary - kept if engine.dialect.name == "postgresql" else secondary)
