"""Set-at-a-time writes of a push batch: many rows of one table inserted, or updated by id, in one go.

SQLite gets one prepared ``executemany`` on the driver's cursor, the values bound through the columns' types
exactly as SQLAlchemy would, without its per-row work. PostgreSQL gets one statement for the whole set: new
rows go in with ``COPY … FROM STDIN``; updates travel as one JSON array, unpacked by ``json_to_recordset``
and cast to the columns' types by the server. A statement per row, even pipelined, costs PostgreSQL a parse, a
plan and a trigger call per row: five times the bare insert of the same rows; the set-based statement costs
about what the bare insert does, and ``COPY`` a third of the JSON set's insert.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    insert,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.models.base import UTCDateTime

ID = "_id"
"""The key of the row's id in the rows of :func:`bulk_update`."""
WAS = "_was"
"""The key, in the rows of a guarded update, of the value the guard column must still hold."""


class RowsChanged(Exception):
    """A guarded update found rows changed since they were read (another transaction wrote them meanwhile):
    nothing of the transaction may stand; it is to be done again against the rows as they are now."""

# The base type each column is read as from the JSON set; strings as text, so that the insert's own
# assignment to varchar(n) refuses a value that is too long, as a row-by-row insert does.
_PG_TYPES: tuple[tuple[type, str], ...] = (
    (UTCDateTime, "timestamptz"), (JSON, "json"), (Boolean, "boolean"), (BigInteger, "bigint"),
    (Integer, "integer"), (Float, "float8"), (Date, "date"), (String, "text"))


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (every row with the same keys) into ``table``."""
    BulkWriter(session).insert(table, rows)


def bulk_update(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Update rows of ``table`` by id: each row holds its id under :data:`ID` and the new values of the same
    columns (every row with the same keys)."""
    BulkWriter(session).update(table, rows)


class BulkWriter:
    """The set-at-a-time writes of one session's open transaction.

    With ``background`` on PostgreSQL the statements are sent by one worker thread over the same connection, in
    the order they were given, while the caller goes on (the driver serialises the connection between the two
    threads, and the worker waits on the server without the interpreter lock): a push decides its next rows
    while the server writes the last ones. :meth:`wait` returns once everything given is written, raising
    the first failure; after a failure nothing more is sent. Elsewhere every write runs at once."""

    def __init__(self, session: Session, *, background: bool = False) -> None:
        conn = session.connection()
        self.session = session
        self.postgresql = conn.dialect.name == "postgresql"
        self.quote = conn.dialect.identifier_preparer.quote
        self.dbapi = conn.dialect.loaded_dbapi
        self.driver: Any = conn.connection.driver_connection
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="bulk-write") if background and self.postgresql else None
        self._queued: list[Future[None]] = []
        self._failure: BaseException | None = None

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        names = list(rows[0])
        if self.postgresql and _pg_types(table, names) is not None:
            sql = f"COPY {self.quote(table.name)} ({', '.join(self.quote(n) for n in names)}) FROM STDIN"
            self._send(sql, _copy_job(sql, table, names, rows))
            return
        self._send(*_executemany(self.session, insert(table), rows))

    def update(self, table: Table, rows: Sequence[dict[str, Any]], same: dict[str, Any] | None = None,
               guard: str | None = None) -> None:
        """Update ``rows`` by id (see :func:`bulk_update`); ``same`` holds columns set to one value in every row
        (who changed them and when, in a push), sent once rather than with each row. With ``guard`` (a column)
        each row also holds, under :data:`WAS`, the value that column had when the row was read: a row whose
        column holds another value now is left alone, and the write fails with :class:`RowsChanged`."""
        if not rows:
            return
        same = same or {}
        columns = [n for n in rows[0] if n not in (ID, WAS)]
        keys = [ID, *columns, *([WAS] if guard else [])]
        json_set = self._pg_json_set(table, rows, keys, columns, same, guard) if self.postgresql else None
        if json_set is not None:
            sql, run = json_set
            self._send(sql, _counted(len(rows), table, run) if guard else run)
            return
        if same:
            rows = [{**r, **same} for r in rows]
            columns = [*columns, *same]
        condition = table.c.id == bindparam(ID)
        if guard:
            condition = condition & (table.c[guard] == bindparam(WAS))
        stmt = update(table).where(condition).values({c: bindparam(c) for c in columns})
        sql, run = _executemany(self.session, stmt, rows)
        self._send(sql, _counted(len(rows), table, run) if guard else run)

    def _pg_json_set(self, table: Table, rows: Sequence[dict[str, Any]], keys: list[str], columns: list[str],
                     same: dict[str, Any], guard: str | None) -> tuple[str, Callable[[Any], Any]] | None:
        """The update as one statement over ``json_to_recordset``; None (the caller uses ``executemany``) for a
        column type this path does not know or a value JSON cannot carry (NaN, infinity, beyond 64 bits)."""
        types = _pg_types(table, keys, guard)
        same_types = _pg_types(table, list(same))
        if types is None or same_types is None or not _json_faithful(table, rows, keys):
            return None
        try:
            params = (*same.values(), _json_text(rows))
        except orjson.JSONEncodeError:
            return None
        q = self.quote
        sets = ", ".join([*(f"{q(c)} = CAST(%s AS {t})" for c, t in zip(same, same_types, strict=True)),
                          *(f"{q(c)} = {_pg_value(table, c, q)}" for c in columns)])
        where = f"t.{q('id')} = r.{q(ID)}" + (f" AND t.{q(guard)} = r.{q(WAS)}" if guard else "")
        sql = (f"UPDATE {q(table.name)} AS t SET {sets} "
               f"FROM json_to_recordset(%s::json) AS r({_pg_record(keys, types, q)}) WHERE {where}")
        return sql, lambda cursor: cursor.execute(sql, params)

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        """A statement of the driver's own (``%s`` parameters), in order with the writes (PostgreSQL only)."""
        self._send(sql, lambda cursor: cursor.execute(sql, params))

    def wait(self) -> None:
        failure = self.failure()
        if failure is not None:
            raise failure

    def failure(self) -> BaseException | None:
        """Wait for what was given; the first failure (as SQLAlchemy's exception), or None."""
        queued, self._queued = self._queued, []
        for job in queued:
            try:
                job.result()
            except BaseException as exc:  # kept, and raised by wait() in the caller's thread
                self._failure = self._failure or exc
        return self._failure

    def close(self) -> None:
        self.failure()
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, sql: str, run: Callable[[Any], Any]) -> None:
        if self._pool is None:
            self._run(sql, run)
        else:
            self._queued.append(self._pool.submit(self._run, sql, run))

    def _run(self, sql: str, run: Callable[[Any], Any]) -> None:
        if self._failure is not None:
            return  # the transaction is lost already: nothing more is sent
        cursor = self.driver.cursor()
        try:
            run(cursor)
        except self.dbapi.Error as exc:  # raised by the driver itself: give it SQLAlchemy's classes (IntegrityError …)
            self._failure = DBAPIError.instance(sql, None, exc, self.dbapi.Error)
            raise self._failure from exc
        except BaseException as exc:
            self._failure = exc
            raise
        finally:
            cursor.close()


def _counted(expected: int, table: Table, run: Callable[[Any], Any]) -> Callable[[Any], None]:
    """``run`` on a cursor, then :class:`RowsChanged` unless it changed ``expected`` rows."""
    def counted(cursor: Any) -> None:
        run(cursor)
        if cursor.rowcount != expected:
            raise RowsChanged(f"{table.name}：{expected - cursor.rowcount} 行在读取之后被另一次修改改动")
    return counted


def rows_by_id(session: Session, table: Table, ids: list[str]) -> list[dict[str, Any]]:
    """The rows of ``table`` with these ids, as dicts of column values read as SQLAlchemy reads them, in one query
    (see :func:`_by_key`)."""
    names = [c.name for c in table.columns]
    return [dict(zip(names, row, strict=True)) for row in _by_key(session.connection(), table.c.id, names, ids)]


def values_by_key(session: Session, key: Any, value: Any, keys: list[str]) -> list[tuple[str, Any]]:
    """``(key, value)`` of the rows whose ``key`` column (a primary key) holds one of ``keys``, in one query (see
    :func:`_by_key`; the mutation log a push looks its ids up in grows with every push)."""
    return [(k, v) for k, v in _by_key(session.connection(), key, [key.name, value.name], keys)]


def _by_key(conn: Any, key: Any, names: list[str], keys: list[str]) -> list[list[Any]]:
    """The ``names`` columns of the rows of ``key``'s table whose ``key`` (its primary key) is one of ``keys``, in
    one query read from the driver's cursor, each column through its type's own result processor where it has
    one: SQLAlchemy's row objects cost more than the query itself for thousands of rows.

    The keys travel as one parameter and each is looked up through the key. On PostgreSQL a lateral look-up per
    key: ``id = ANY(:ids)`` leaves the way to the planner, which prices thousands of key look-ups above reading a
    table of a few hundred thousand rows whole (four times slower with the table in memory, and more the larger
    it grows). On SQLite a JSON array unpacked by ``json_each``: chunks of ``IN (?, …)`` (500 parameters each)
    cost a statement, its parameters and a row object per row, a quarter more for the 2,000 rows of a push batch."""
    table = key.table
    postgresql = conn.dialect.name == "postgresql"
    if postgresql:
        keys_sql, param = _pg_keys(keys)
        sql = _pg_by_key_sql(table.name, key.name, tuple(names), keys_sql)
    else:
        param, sql = orjson.dumps(keys).decode(), _sqlite_by_key_sql(table.name, key.name, tuple(names))
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, (param,))
        rows = cursor.fetchall()
        types = [d.type_code for d in cursor.description] if postgresql else [None] * len(names)
    finally:
        cursor.close()
    steps = [(i, process) for i, (name, type_code) in enumerate(zip(names, types, strict=True))
             if (process := table.c[name].type._cached_result_processor(conn.dialect, type_code)) is not None]
    out = []
    for row in rows:
        values = list(row)
        for i, process in steps:
            values[i] = process(values[i])
        out.append(values)
    return out


@functools.cache
def _sqlite_by_key_sql(table: str, key: str, names: tuple[str, ...]) -> str:
    q = '"{}"'.format
    return (f"SELECT {', '.join(q(n) for n in names)} FROM {q(table)} "
            f"WHERE {q(key)} IN (SELECT value FROM json_each(?))")


# ----------------------------------------------------------------------------------------------- PostgreSQL
@functools.cache
def _pg_by_key_sql(table: str, key: str, names: tuple[str, ...], keys_sql: str) -> str:
    q = '"{}"'.format
    return (f"SELECT {', '.join(f't.{q(n)}' for n in names)} FROM unnest({keys_sql}) AS k(wanted) CROSS JOIN LATERAL "
            f"(SELECT * FROM {q(table)} AS r WHERE r.{q(key)} = k.wanted LIMIT 1) AS t")


def _pg_keys(keys: list[str]) -> tuple[str, Any]:
    """The SQL of an array of ``keys`` and its one parameter: the keys joined by commas and split by the server
    when none holds a comma (ids and mutation ids never do; psycopg writes a list item by item in Python),
    otherwise the list itself."""
    joined = ",".join(keys)
    if joined.count(",") == max(len(keys) - 1, 0) and all(keys[:1]):
        return "string_to_array(%s, ',')::varchar[]", joined
    return "%s::varchar[]", keys


def _pg_types(table: Table, names: list[str], guard: str | None = None) -> list[str] | None:
    """The recordset type of each named column (:data:`WAS` that of ``guard``), or None when a column's type is
    not one this path knows."""
    stands_for = {ID: "id", WAS: guard or WAS}
    out = []
    for name in names:
        col = table.c[stands_for.get(name, name)]
        found = next((pg for cls, pg in _PG_TYPES if isinstance(col.type, cls)), None)
        if found is None:
            return None
        out.append(found)
    return out


def _pg_record(names: list[str], types: list[str], q: Callable[[str], str]) -> str:
    return ", ".join(f"{q(n)} {t}" for n, t in zip(names, types, strict=True))


def _pg_value(table: Table, name: str, q: Callable[[str], str]) -> str:
    """``r.name``; a JSON column that may not be NULL keeps JSON ``null`` for None, as SQLAlchemy writes it."""
    col = table.c[name]
    if isinstance(col.type, JSON) and not col.nullable:
        return f"COALESCE(r.{q(name)}, 'null'::json)"
    return f"r.{q(name)}"


def _copy_job(sql: str, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> Callable[[Any], None]:
    """``COPY`` the rows in (text format): every value as psycopg writes its Python type, a JSON value as its JSON
    text, so the server parses each column as the insert's own assignment would (lengths, types, keys). The
    values are taken now: the rows may change while a background writer sends them."""
    steps = [(i, step) for i, n in enumerate(names) if (step := _copy_step(table.c[n])) is not None]
    take = itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
    values = [take(r) for r in rows]

    def run(cursor: Any) -> None:
        with cursor.copy(sql) as copy:
            for row in values:
                if steps:
                    row = list(row)
                    for i, step in steps:
                        row[i] = step(row[i])
                copy.write_row(row)

    return run


def _copy_step(col: Any) -> Callable[[Any], Any] | None:
    """How a value of ``col`` is turned into what ``COPY`` is given, or None when it goes as it is."""
    if isinstance(col.type, JSON):
        keep_null = col.nullable  # a JSON column that may not be NULL keeps JSON ``null`` for None
        return lambda v: None if v is None and keep_null else _json_text(v)
    if isinstance(col.type, UTCDateTime):  # naive times never reach here (refused elsewhere); read as UTC if one did
        return lambda v: v.replace(tzinfo=UTC) if v is not None and v.tzinfo is None else v
    return None


def _json_text(value: Any) -> str:
    # naive timestamps never reach here (UTCDateTime refuses them elsewhere); read as UTC if one did
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_NAIVE_UTC).decode()


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} 不能写成 JSON")


def _json_faithful(table: Table, rows: Sequence[dict[str, Any]], keys: list[str]) -> bool:
    """No float of ``rows`` is NaN or infinite (which JSON cannot carry: orjson writes them as null)."""
    floats = [name for name in keys if name in table.c and isinstance(table.c[name].type, Float)]
    return not floats or all(not isinstance(r[name], float) or math.isfinite(r[name]) for r in rows for name in floats)


# --------------------------------------------------------------------------------------------------- SQLite
def _executemany(session: Session, stmt: Any, rows: Sequence[dict[str, Any]]) -> tuple[str, Callable[[Any], Any]]:
    """``stmt`` for every row with one driver ``executemany`` (the SQL and the call on a cursor): compiled once,
    values bound through the columns' types exactly as SQLAlchemy would, without its per-row work."""
    conn = session.connection()
    compiled = stmt.compile(dialect=conn.dialect, column_keys=list(rows[0]))
    processors = compiled._bind_processors
    names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.construct_params(rows[0]))
    steps = [(i, _last_value_cache(processors[name])) for i, name in enumerate(names) if name in processors]
    take = itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
    params: list[Any] = []
    for r in rows:
        values = list(take(r))
        for i, process in steps:
            values[i] = process(values[i])
        params.append(values)
    if not compiled.positional:
        params = [dict(zip(names, values, strict=True)) for values in params]
    sql = str(compiled)
    return sql, lambda cursor: cursor.executemany(sql, params)


def _last_value_cache(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process`` remembering its last answer: a batch binds the same timestamp to every row."""
    last: list[Any] = [object(), None]

    def cached(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return cached
