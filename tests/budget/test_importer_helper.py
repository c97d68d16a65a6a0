"""A large file of new rows on SQLite, checked by a second process while this one writes it.

The second process must change nothing a clerk sees: the same rows stored (values, keys, digests, scopes, stamps),
the same problems in the same order and words, all or nothing, a cancel that leaves nothing, and — when the
second process dies — the file checked and imported here instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

import core.budget.importers.engine as importer
import core.budget.importers.helper as helper
from core import wal
from core.budget.importers import import_file
from core.budget.models import ImportLog, Payment
from tests.budget.helpers import seed_reference, snapshot, write_csv
from tests.budget.test_importer_bulk import GOOD, HEADER, _stored_payments, streamed_files


@pytest.fixture
def seeded(engine: Engine, factory: sessionmaker[Session]) -> tuple[Engine, sessionmaker[Session]]:
    seed_reference(factory)
    return engine, factory


@pytest.fixture
def helped(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every file is large enough for the second process (a real one, started with spawn); the processes
    started, as they are stopped."""
    monkeypatch.setattr(helper, "HELPER_BYTES", 0)
    monkeypatch.setattr(helper, "HELPER_ROWS", 1)
    seconds: list[Any] = []
    start = helper._start

    def keep(*args: Any) -> Any:
        second = start(*args)
        seconds.append(second)
        return second

    monkeypatch.setattr(helper, "_start", keep)
    yield seconds
    assert not multiprocessing.active_children()  # every second process has ended


def _payments(n: int, **changes: str) -> list[list[str]]:
    return [[dict(GOOD, 支付编号=f"ZF{i:05d}", 部门编码=("D010", "D031")[i % 2], **changes)[h] for h in HEADER]
            for i in range(n)]


def _empty(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """No payments and no import log, as before an import; the snapshot of every budget table."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM bgt_payment")
        conn.exec_driver_sql("DELETE FROM bgt_import_log")
    return snapshot(engine)


def _indexes(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'bgt_payment'")}


def test_a_file_checked_by_the_second_process_is_stored_as_one_checked_here(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, helped: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine, factory = seeded
    monkeypatch.setattr(importer, "BULK_ROWS", 50)  # indexes and the roll-up trigger set aside, built again
    path = write_csv(tmp_path / "payments.csv", HEADER, _payments(400))
    indexes = _indexes(engine)
    with monkeypatch.context() as patch:
        patch.setattr(helper, "HELPER_ROWS", 10 ** 9)  # checked here, the whole file at once
        here = import_file(factory, "payments", path)
    stored = _stored_payments(engine)
    _empty(engine)
    phases: list[str] = []
    copied: list[str] = []
    run = wal.checkpoint

    def copy(db: str) -> None:
        copied.append(db)
        run(db)

    monkeypatch.setattr(wal, "checkpoint", copy)
    helped_result = import_file(factory, "payments", path, progress=lambda done, total, phase: phases.append(phase))
    assert wal.wait_for_checkpoints(60)  # the log of the bulk write copied by a thread of its own, after the commit
    assert [Path(db) for db in copied] == [Path(str(engine.url.database))]
    assert len(helped) == 2 and helped[1] is not None and not isinstance(helped[1].worker, threading.Thread)
    assert helped_result.ok and (helped_result.rows, helped_result.inserted) == (here.rows, here.inserted) == (400, 400)
    assert helped_result.report() == here.report()
    assert _stored_payments(engine) == stored  # the same values, keys, digests, scopes and stamps
    assert _indexes(engine) == indexes and phases[-1] == "写入"
    with factory() as session:
        seqs = sorted(session.scalars(select(Payment.seq)))
        assert len(set(session.scalars(select(Payment.id)))) == 400
        logged = session.scalars(select(ImportLog)).one()
    assert seqs == list(range(seqs[0], seqs[0] + 400))
    assert (logged.rows, logged.inserted, logged.year, logged.filename) == (400, 400, 2025, "payments.csv")
    again = import_file(factory, "payments", path)  # rows of the year exist now: checked here, nothing changed
    assert (again.inserted, again.unchanged) == (0, 400)


def test_a_file_the_second_process_refuses_leaves_nothing_and_names_every_problem(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, helped: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine, factory = seeded
    rows = _payments(300)
    rows[7][HEADER.index("部门编码")] = "D999"
    rows[250][HEADER.index("支付编号")] = rows[3][HEADER.index("支付编号")]
    path = write_csv(tmp_path / "payments.csv", HEADER, rows)
    before = snapshot(engine)
    with monkeypatch.context() as patch:
        patch.setattr(helper, "HELPER_ROWS", 10 ** 9)
        here = import_file(factory, "payments", path)
    result = import_file(factory, "payments", path)
    assert [(p.row, p.column) for p in result.problems] == [(9, "部门编码"), (252, "年度、支付编号")]
    assert result.problems == here.problems and result.report() == here.report() and result.inserted == 0
    assert snapshot(engine) == before


@pytest.fixture
def in_parts(helped: list[Any], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Parts of 100 rows, the second process's work in a thread (a process would read its own setting); the
    indexes set aside from 50 rows."""
    monkeypatch.setattr(importer, "BULK_ROWS", 50)
    monkeypatch.setattr(helper, "PART_ROWS", 100)
    monkeypatch.setattr(helper, "IN_THREAD", True)
    return helped


def test_a_cancel_while_the_second_process_checks_leaves_nothing(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, in_parts: list[Any]) -> None:
    engine, factory = seeded
    path = write_csv(tmp_path / "payments.csv", HEADER, _payments(400))
    before, indexes = snapshot(engine), _indexes(engine)
    cancel = threading.Event()

    def stop_after_a_part(done: int, total: int, phase: str) -> None:
        if done >= 100:
            cancel.set()

    result = import_file(factory, "payments", path, progress=stop_after_a_part, cancel=cancel)
    assert result.cancelled and result.inserted == 0 and not result.problems
    assert snapshot(engine) == before and _indexes(engine) == indexes
    assert isinstance(in_parts[0].worker, threading.Thread) and not in_parts[0].worker.is_alive()


@pytest.mark.warnings_expected
def test_when_the_second_process_dies_the_file_is_imported_here(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, helped: list[Any],
        caplog: pytest.LogCaptureFixture) -> None:
    _engine, factory = seeded
    path = write_csv(tmp_path / "payments.csv", HEADER, _payments(300))
    killed: list[int] = []
    receive = helper.Second.receive

    def die_after_reading(second: helper.Second, cancel: threading.Event | None) -> tuple[Any, ...]:
        message = receive(second, cancel)
        if message[0] == "read" and not killed:  # it dies before it checks anything
            second.worker.kill()
            second.worker.join()
            killed.append(second.worker.exitcode)
        return message

    with pytest.MonkeyPatch.context() as patch, caplog.at_level(logging.WARNING):
        patch.setattr(helper.Second, "receive", die_after_reading)
        result = import_file(factory, "payments", path)
    assert killed and result.ok and result.inserted == 300
    assert "second process lost" in caplog.text
    with factory() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 300


@pytest.mark.warnings_expected
def test_a_second_process_that_fails_mid_file_rolls_back_and_the_file_is_imported_here(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, in_parts: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine, factory = seeded
    parts = 0
    check_table = importer._check_table

    def fail_on_the_third_part(*args: Any) -> Any:
        nonlocal parts
        parts += 1
        if parts == 3 and threading.current_thread().name == "import-check":
            raise MemoryError("out of memory")
        return check_table(*args)

    monkeypatch.setattr(importer, "_check_table", fail_on_the_third_part)
    path = write_csv(tmp_path / "payments.csv", HEADER, _payments(400))
    indexes = _indexes(engine)
    result = import_file(factory, "payments", path)
    assert parts >= 3 and result.ok and result.inserted == 400  # two parts were written, then rolled back
    assert _indexes(engine) == indexes
    with factory() as session:
        seqs = sorted(session.scalars(select(Payment.seq)))
    assert len(seqs) == 400 and seqs == list(range(seqs[0], seqs[0] + 400))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=streamed_files())
def test_a_file_checked_by_the_second_process_part_by_part_is_imported_and_refused_as_a_whole(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, rows: list[list[str]]) -> None:
    """Parts of two rows, the second process's work in a thread (the same code and pipe): the same rows stored
    and the same problems, in the same words and order, as the check of the whole file at once."""
    engine, factory = seeded
    path = write_csv(tmp_path / "payments.csv", HEADER, rows)
    before = _empty(engine)
    whole = import_file(factory, "payments", path)  # the file is below the second process's size
    assert whole.ok or snapshot(engine) == before
    stored = _stored_payments(engine)
    before = _empty(engine)
    used: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(helper, "HELPER_BYTES", 0)
        patch.setattr(helper, "HELPER_ROWS", 1)
        patch.setattr(helper, "PART_ROWS", 2)
        patch.setattr(helper, "IN_THREAD", True)
        write = helper.write_checked

        def counted(*args: Any) -> None:
            used.append(1)
            write(*args)

        patch.setattr(helper, "write_checked", counted)
        parts = import_file(factory, "payments", path)
    assert used == [1] or not whole.rows  # a file without data rows: read and refused here
    assert parts.problems == whole.problems
    assert (parts.rows, parts.inserted, parts.ok) == (whole.rows, whole.inserted, whole.ok)
    if not whole.ok:
        assert snapshot(engine) == before
        return
    assert _stored_payments(engine) == stored


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.text(alphabet=st.sampled_from("a中\x1e\x00 ")) | st.none() | st.integers(), max_size=6)
       | st.lists(st.text(alphabet=st.sampled_from("a中\x1e\x00 ")), max_size=6))
def test_a_column_handed_over_the_pipe_arrives_as_it_was_sent(values: list[Any]) -> None:
    sent = helper._packed(values)
    assert helper._unpacked(ForkingPickler.loads(ForkingPickler.dumps(sent))) == values


def test_a_new_year_beside_years_already_imported_is_read_by_both_and_checked_by_the_second_process(
        seeded: tuple[Engine, sessionmaker[Session]], tmp_path: Path, helped: list[Any]) -> None:
    """With payments of another year in the database, this process reads the file at the same time (a file of an
    imported year is checked here without waiting for the second process to read it first)."""
    from core.budget.codes import load_seed_tables

    _engine, factory = seeded
    with factory() as session, session.begin():
        load_seed_tables(session, 2026)
    reads: list[str] = []
    read_file = importer.read_file

    def counted(*args: Any) -> Any:
        reads.append(threading.current_thread().name)
        return read_file(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importer, "read_file", counted)
        first = import_file(factory, "payments", write_csv(tmp_path / "2025.csv", HEADER, _payments(200)))
        assert first.second_process and first.inserted == 200 and reads == []  # read by the second process alone
        rows = _payments(300, 年度="2026", 支付日期="2026-04-01")
        result = import_file(factory, "payments", write_csv(tmp_path / "2026.csv", HEADER, rows))
        assert result.ok and result.second_process and result.inserted == 300 and reads == ["MainThread"]
        again = import_file(factory, "payments", write_csv(tmp_path / "2026.csv", HEADER, rows))
    assert (again.unchanged, again.second_process) == (300, False)
    with factory() as session:
        years = sorted(session.scalars(select(Payment.year)))
    assert years == [2025] * 200 + [2026] * 300
    assert len(helped) == 3
