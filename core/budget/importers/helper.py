"""A large file of new rows on SQLite, read and checked by a second process while this one writes it.

SQLite writes on one core, and reading, checking and making the digests of a million payments takes longer than
inserting them. For a file large enough (:data:`HELPER_BYTES`), the importer starts a second process, which
reads the file and sends its size and years. A file without quotes (every file the suite exports) is kept as its
lines (:func:`~core.budget.importers.engine.read_lines`): only the year column is split before the size and years
are sent, and each part's cells are made as the part is checked, so the second process never holds the whole
file's cells. This process asks the database for the references and whether any row of those years exists. When
none does and the file is large enough (:data:`HELPER_ROWS`), the second process checks the file part by part
(:data:`PART_ROWS`) with the importer's own checks and hands each part's columns — values in SQLite's forms, keys,
scopes — over a pipe; it checks the next part while this process makes the part's digests
(:func:`~core.budget.importers.engine._digests`) and inserts it, which shares the work between the two
cores. What needs the whole file (duplicates, the totals row) is checked at the end. Otherwise the second process
is stopped and this process reads and checks the file as for a smaller one.

Who reads the file: when the table holds no row of the file's kind (a first import), the second process alone
(:func:`imported`); when it does (earlier years, a re-import), both at once (:func:`takes`), so that a file of
rows already there is compared here without waiting for the second process to read it first.

It is all or nothing as the import of the whole file at once is: a problem anywhere rolls back the rows written
so far with the set-aside indexes, the roll-up trigger and the change numbers, and the problems are the same,
in the same order and words (``tests/budget/test_importer_helper.py`` compares the two on random damaged files).
A cancel stops the second process and rolls back. When the second process fails or cannot start (it is lost),
the import rolls back what it wrote and checks and writes the file in this process, as for a smaller file.

The second process is started with ``spawn``, as a packaged Windows program and a Qt window need: the packaged
program calls ``multiprocessing.freeze_support()`` first thing (``build_spec/entry.py``).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import threading
from collections.abc import Iterator
from itertools import repeat
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers.engine import (
    FileChecks,
    ImportCancelled,
    ImportResult,
    Problem,
    Progress,
    _build_indexes,
    _digests,
    _import_log,
    _load_refs,
    _new_columns,
    _Refs,
    _refuse,
    _Refused,
    _set_aside_indexes,
    _set_aside_stale_trigger,
    _sqlite_forms,
    _years,
    file_digest,
    insert_statement,
    read_lines,
    sqlite_bulk_cache,
    sqlite_literals,
)
from core.budget.importers.reading import collector_paused
from core.budget.importers.specs import SPECS, FileSpec
from core.ids import uuid7_batch
from core.models.base import utcnow
from core.sync.stamping import allocate_seqs

log = logging.getLogger(__name__)

HELPER_BYTES = 20 << 20
"""Files from this size (about 95,000 payments as CSV, 213 bytes a row) start the second process as the import
begins. A file it does not check is read here only after it has read it: below this size starting it would cost
more than it saves."""
HELPER_ROWS = 60_000
"""Data rows from which a file of new rows is checked by the second process (a file this size of rows wider than
payments')."""
PART_ROWS = 50_000
"""Rows the second process checks and hands over at a time."""
IN_THREAD = False
"""Run the second process's work in a thread of this process instead (the tests' many small files: the same
code and the same pipe, without a process's start)."""
WAIT = 0.05
"""Seconds between looks at the cancel flag while waiting for a part."""


class HelperLost(Exception):
    """The second process failed, ended or read another file: nothing it checked is written."""


class Second:
    """This process's ends of the second process's pipes (orders to it, parts from it) and the process (or
    thread) behind them."""

    def __init__(self, orders: Connection, parts: Connection, worker: Any) -> None:
        self.orders = orders
        self.parts = parts
        self.worker = worker
        self.ended = False
        """Whether the second process has handed over everything (it is ending on its own)."""

    def send(self, message: tuple[Any, ...]) -> None:
        try:
            self.orders.send(message)
        except OSError as exc:  # the process has ended: its end of the pipe is closed
            raise HelperLost(f"管道已关闭（{exc}）") from exc

    def receive(self, cancel: threading.Event | None) -> tuple[Any, ...]:
        """The next message, looking at ``cancel`` while waiting; a message that says it failed, or the end of
        the pipe, raises :class:`HelperLost`."""
        try:
            while not self.parts.poll(WAIT):
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled
            message: tuple[Any, ...] = self.parts.recv()
        except (EOFError, OSError) as exc:
            raise HelperLost(f"第二个进程意外结束（{exc!r}）") from exc
        if message[0] == "failed":
            raise HelperLost(message[1])
        self.ended = message[0] == "end"
        return message

    def stop(self) -> None:
        """End the second process wherever it is and close the pipe."""
        with contextlib.suppress(OSError):
            self.orders.send(("stop",))
        self.orders.close()
        self.parts.close()
        if isinstance(self.worker, threading.Thread):
            self.worker.join()
            return
        if not self.ended:  # a file checked here after all, a refusal or a cancel: nothing of it is wanted
            self.worker.terminate()
        self.worker.join()
        self.worker.close()


def _dialect(factory: sessionmaker[Session]) -> str:
    with factory() as session:
        return session.get_bind().dialect.name


@contextlib.contextmanager
def started(factory: sessionmaker[Session], kind: str, path: Path) -> Iterator[Second | None]:
    """The second process for the import of ``path`` into SQLite when the file is large enough, else None;
    stopped when the import is done."""
    second = None
    try:
        large = path.stat().st_size >= HELPER_BYTES
    except OSError:
        large = False
    if large and _dialect(factory) == "sqlite":
        second = _start(kind, path)
    try:
        yield second
    finally:
        if second is not None:
            second.stop()


def _start(kind: str, path: Path) -> Second | None:
    context = multiprocessing.get_context("spawn")
    orders_in, orders = context.Pipe(duplex=False)
    parts, parts_out = context.Pipe(duplex=False)
    args = (orders_in, parts_out, kind, str(path))
    if IN_THREAD:
        thread = threading.Thread(target=serve, args=args, name="import-check", daemon=True)
        thread.start()
        return Second(orders, parts, thread)
    process = context.Process(target=serve, args=args, name="renda-import-check", daemon=True)
    try:
        process.start()
    except OSError as exc:  # no second process on this machine: the import runs in this one
        log.warning("import: second process not started (%s)", exc)
        for end in (orders_in, orders, parts, parts_out):
            end.close()
        return None
    orders_in.close()
    parts_out.close()
    return Second(orders, parts, process)


def kind_present(factory: sessionmaker[Session], spec: FileSpec) -> bool:
    """Whether the database holds a row of ``spec``'s kind, of any year (then a file may repeat rows of a year
    already imported, and this process reads it at the same time as the second process)."""
    model: Any = spec.model
    with factory() as session:
        return session.scalars(select(model.id).where(model.natural_key.like(f"{spec.kind}|%"),
                                                      model.deleted.is_(False)).limit(1)).first() is not None


def imported(factory: sessionmaker[Session], spec: FileSpec, second: Second, result: ImportResult, actor: str,
             source: str, progress: Progress | None, cancel: threading.Event | None, path: Path) -> bool:
    """Import the file the second process has read alone: True when it is done (imported, refused or cancelled,
    as ``result`` says); False when the file is to be read and checked in this process (a smaller file, a file
    the second process could not read, a second process lost on the way — nothing written)."""
    digest = file_digest(path)  # for the log, while the second process reads the file
    try:
        read = second.receive(cancel)
    except HelperLost as exc:
        log.warning("import: second process lost before checking (%s); the file is checked here", exc)
        return False
    except ImportCancelled:
        result.cancelled = True
        return True
    if read[1] is None:  # a file it cannot read: this process names the problem
        return False
    _, n, rows, years = read
    with factory() as session:
        refs = _load_refs(session, spec, set(years))
    if refs.existing or n < HELPER_ROWS:
        return False
    result.rows = rows
    return checked_there(factory, spec, second, n, refs, result, actor, source, progress, cancel, path, digest)


def takes(second: Second, data: Any, refs: _Refs, issues: list[tuple[int, int, Problem]]) -> bool:
    """Whether the second process checks the file this process has read too, as ``data``: a large file of new
    rows whose rows all have the header's width, read by the second process the same way."""
    if refs.existing or issues or len(data) < HELPER_ROWS:
        return False
    try:
        read = second.receive(None)
    except HelperLost as exc:
        log.warning("import: second process lost before checking (%s); the file is checked here", exc)
        return False
    return read[1] == len(data)


def checked_there(factory: sessionmaker[Session], spec: FileSpec, second: Second, n: int, refs: _Refs,
                  result: ImportResult, actor: str, source: str, progress: Progress | None,
                  cancel: threading.Event | None, path: Path, digest: str = "") -> bool:
    """Import the ``n`` rows the second process checks (:func:`write_checked`): True when it is done (imported,
    refused or cancelled); False when the second process was lost and nothing is written."""
    issues: list[tuple[int, int, Problem]] = []
    try:
        write_checked(factory, spec, second, n, refs, issues, result, actor, source, progress, cancel, path, digest)
    except HelperLost as exc:  # the file is checked and written here instead, from the start
        log.warning("import: second process lost (%s); the file is checked here", exc)
        result.inserted = 0
        result.problems.clear()
        return False
    except ImportCancelled:
        result.inserted = 0
        result.cancelled = True
    except _Refused:
        result.inserted = 0
        _refuse(issues, result)
    return True


def write_checked(factory: sessionmaker[Session], spec: FileSpec, second: Second, n: int, refs: _Refs,
                  issues: list[tuple[int, int, Problem]], result: ImportResult, actor: str, source: str,
                  progress: Progress | None, cancel: threading.Event | None, path: Path, digest: str = "") -> None:
    """Insert the ``n`` new rows the second process checks, part by part, in one transaction. A problem raises
    :class:`_Refused` with the rows' problems in ``issues`` and the file's in ``result``, a cancel
    :class:`ImportCancelled`; either rolls back. ``digest`` is the file's SHA-256 for the log, if already made."""
    tag = source or f"{spec.bureau}导入"
    second.send(("check", refs, tag, actor, utcnow()))
    digest = digest or file_digest(path)  # while the first part is checked
    ids = uuid7_batch(n)
    hashed = sorted(c.attr for c in spec.columns if c.attr not in spec.derived)
    model: Any = spec.model
    table = model.__table__
    done = 0
    with factory() as session, session.begin():
        session.info["actor"] = actor
        conn = session.connection()
        with sqlite_bulk_cache(conn, n):
            insert = None
            while True:
                message = second.receive(cancel)
                if message[0] == "end":
                    break
                _, m, part = message
                if part is not None:
                    if insert is None:
                        insert = _Writer(session, table, part["names"], part["constants"], n)
                    columns = {name: _unpacked(values) for name, values in part["columns"].items()}
                    columns["id"] = ids[done:done + m]
                    columns["row_hash"] = _digests(spec, columns, hashed, m)
                    insert.write(columns, m)
                done += m
                if progress is not None:
                    progress(done, n, "写入" if part is not None else "检查")
            _, found, problems, years = message
            if found or problems:
                issues.extend(found)
                result.problems.extend(problems)
                raise _Refused
            if insert is None:
                raise HelperLost("第二个进程没有交来任何数据")
            insert.finish(cancel)
        result.inserted = n
        result.second_process = True
        session.add(_import_log(spec, path, digest, set(years), result, tag))
    if progress is not None:
        progress(n, n, "写入")


class _Writer:
    """The insert of a file's ``n`` new rows into ``table``, part by part, in the session's transaction: the
    table's indexes and roll-up trigger set aside, the change numbers taken, the constant columns written into
    the statement (as the importer's bulk write does for a file checked here)."""

    def __init__(self, session: Session, table: Any, names: list[str], constants: dict[str, Any], n: int) -> None:
        self.conn = session.connection()
        self.rebuild = _set_aside_indexes(session, table.name, n)
        self.trigger = _set_aside_stale_trigger(session, table.name) if self.rebuild else None
        self.seq = allocate_seqs(session, n)
        literals = sqlite_literals(constants)
        self.constants = {name: value for name, value in constants.items() if name not in literals}
        names = [*names, "seq"]
        self.bound = [name for name in names if name not in literals]
        self.sql = insert_statement(self.conn, table.name, names, literals)
        raw: Any = self.conn.connection.driver_connection
        self.cursor = raw.cursor()

    def write(self, columns: dict[str, Any], m: int) -> None:
        """Insert the part's ``m`` rows (its varying columns, lists in row order)."""
        columns["seq"] = range(self.seq, self.seq + m)
        self.seq += m
        for name, value in self.constants.items():
            columns[name] = repeat(value, m)
        self.cursor.executemany(self.sql, zip(*(columns[name] for name in self.bound), strict=True))

    def finish(self, cancel: threading.Event | None) -> None:
        """The trigger and the indexes back, in the same transaction."""
        self.cursor.close()
        if self.trigger is not None:
            self.conn.exec_driver_sql(self.trigger)
        _build_indexes(self.conn, self.rebuild, cancel)


def serve(orders: Connection, parts: Connection, kind: str, path: str) -> None:
    """The second process: read ``path``, wait for the references, check and hand over part by part."""
    outbox = _Outbox(parts)
    try:
        with collector_paused():
            _check_and_hand_over(orders, outbox, SPECS[kind], Path(path))
    except Exception as exc:  # whatever it is, the other process checks the file itself instead
        outbox.put(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        outbox.close()
        orders.close()


class _Outbox:
    """Messages to the importing process, sent by a thread of their own: the next part is checked while the
    importer is still inserting the one before and has not taken this one yet."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=OUTBOX_PARTS)
        self.lost = False
        self.thread = threading.Thread(target=self._send, name="import-check-outbox", daemon=True)
        self.thread.start()

    def put(self, message: tuple[Any, ...]) -> None:
        if not self.lost:
            self.queue.put(bytes(ForkingPickler.dumps(message)))

    def _send(self) -> None:
        while (payload := self.queue.get()) is not None:
            if self.lost:
                continue
            try:
                self.conn.send_bytes(payload)
            except OSError:  # the importer has stopped listening: the rest is dropped
                self.lost = True

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.conn.close()


OUTBOX_PARTS = 3
"""Checked parts waiting to be sent at most (about 15 MB each for payments)."""


def _check_and_hand_over(orders: Connection, outbox: _Outbox, spec: FileSpec, path: Path) -> None:
    result = ImportResult(spec.kind, path.name)
    read = read_lines(spec, path, result)
    if read is None:
        outbox.put(("read", None))
        return
    data, positions, issues, totals_row = read
    n = len(data)
    years = _years(data, positions)
    outbox.put(("read", n, result.rows, sorted({y for y in set(years) if y is not None})))
    order = orders.recv()
    if order[0] != "check":
        return
    _, refs, tag, actor, now = order
    model: Any = spec.model
    table = model.__table__
    checks = FileChecks(spec, data, positions, years, refs, issues)
    first = True
    for start in range(0, n, PART_ROWS):
        if outbox.lost or (orders.poll() and orders.recv()[0] == "stop"):
            return
        checked = checks.part(start, PART_ROWS, None)
        assert checked is not None  # no cancel event: the other process stops this one
        cols, part_keys, m = checked
        if issues:  # the file is refused: the rest of it is checked, not handed over
            outbox.put(("part", m, None))
            continue
        columns = _new_columns(spec, cols, part_keys, [], [], tag, actor, now, m)
        del columns["id"], columns["row_hash"]  # the writer's: it makes them while this process checks the next part
        _sqlite_forms(table, columns, m)
        outbox.put(("part", m, _handed_over(columns, first)))
        first = False
    end = ImportResult(spec.kind, path.name)
    checks.finish(totals_row, end)
    outbox.put(("end", issues, end.problems, sorted(checks.years)))


SEPARATOR = "\x1e"
"""Between the texts of a column handed over as one string (the record separator; a column with a cell that
holds one goes as a list)."""


def _packed(values: list[Any]) -> Any:
    """A column as it goes over the pipe: a column of texts as one string (pickled as one block instead of a
    string each), any other as it is."""
    try:
        joined = SEPARATOR.join(values)  # refuses anything but texts
    except TypeError:
        return values
    return joined if values and joined.count(SEPARATOR) == len(values) - 1 else values


def _unpacked(values: Any) -> list[Any]:
    return values.split(SEPARATOR) if isinstance(values, str) else values


def _handed_over(columns: dict[str, Any], first: bool) -> dict[str, Any]:
    """A part's columns as they go over the pipe: the varying ones as lists; the constant ones (source, actor,
    time, version, the model's defaults) once, with the first part, and the columns' order."""
    varying = {name: _packed(values) for name, values in columns.items() if not isinstance(values, repeat)}
    if not first:
        return {"columns": varying}
    constants = {name: next(values) for name, values in columns.items() if isinstance(values, repeat)}
    return {"columns": varying, "constants": constants, "names": ["id", "row_hash", *columns]}
