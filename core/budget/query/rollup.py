"""A local, derived roll-up of single payments for fast drill-down on the laptop's SQLite.

Single payments run to a million rows a year; grouping them for every click would scan them all. The roll-up
keeps one row per (year, book, codes, department, unit, project, indicator, application, month, method) with the
sum and the count — about as many rows as indicators × months × methods, a few percent of the payments.

It is derived, never synced, and never trusted stale: SQLite triggers on ``bgt_payment`` set
``bgt_query_state.dirty`` on every insert, update or delete (imports, sync pulls, demo data, edits), and
:func:`ensure_rollup` rebuilds the roll-up in one statement before a query reads it when the flag is set.
Conditions the roll-up cannot answer (payee, purpose, exact dates, amounts) go to the payments table itself.
On other databases (the server's PostgreSQL) queries read the payments table directly.
"""

from __future__ import annotations

import threading

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    Connection,
    Engine,
    Index,
    Integer,
    String,
    Table,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base

ROLLUP_DIMENSIONS: tuple[str, ...] = ("year", "department_code", "project_code", "indicator_no", "kind",
                                      "application_no", "month", "method", "book", "functional_code",
                                      "economic_code", "unit_code")
"""The roll-up's key, in the order of its clustered primary key: a year, a department, a project read as one range."""

WATCHED_TABLES = ("bgt_payment", "bgt_plan", "bgt_indicator")
"""Tables whose changes make the roll-up stale (plans take their codes from their indicator)."""


class PaymentRollup(Base):
    """Live single payments (``kind = "pay"``) and spending plans (``kind = "plan"``) summed per combination of
    every grouping dimension: local, derived, never synced.

    Plans carry the book, codes and unit of their indicator; they have no application or method (empty)."""

    __tablename__ = "bgt_query_payment_rollup"
    __table_args__ = ({"sqlite_with_rowid": False},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    indicator_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    application_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(12), primary_key=True)
    book: Mapped[str] = mapped_column(String(10), primary_key=True)
    functional_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    economic_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int] = mapped_column(Integer)


class CodeRollup(Base):
    """The roll-up summed once more over the codes alone (no department, unit, project, indicator or application):
    a few thousand rows a year, so the clicks by book, functional or economic class and month read almost nothing.

    Rebuilt from :class:`PaymentRollup` together with it, under the same staleness flag."""

    __tablename__ = "bgt_query_code_rollup"
    __table_args__ = ({"sqlite_with_rowid": False},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    book: Mapped[str] = mapped_column(String(10), primary_key=True)
    functional_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    economic_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(12), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int] = mapped_column(Integer)


CODE_ROLLUP_DIMENSIONS: tuple[str, ...] = ("year", "kind", "book", "functional_code", "economic_code", "month",
                                           "method")


class PayeeIndex(Base):
    """Distinct payees of live payments per year with their count and sum: local, derived, never synced.

    A “payee contains …” search cannot use an index on the payments themselves (the text may sit anywhere in
    the name), so it matches the text against these few thousand names and then reads the matching payees'
    payments through the ``(year, payee)`` index instead of scanning a million rows."""

    __tablename__ = "bgt_query_payee"
    __table_args__ = ({"sqlite_with_rowid": False},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    payee: Mapped[str] = mapped_column(String(120), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int] = mapped_column(Integer)


class QueryState(Base):
    """One row: whether payments, plans or indicators changed since the roll-up was built."""

    __tablename__ = "bgt_query_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    dirty: Mapped[bool] = mapped_column(Boolean, default=True)


PAYMENT_LIST_INDEX = "ix_bgt_payment_year_paid_on_payment_no"
"""Payments newest first for the paged list of single payments (keyset paging on year, paid_on, payment_no)."""

MARK_STALE = "UPDATE bgt_query_state SET dirty = 1 WHERE id = 1 AND dirty = 0"
"""What each trigger does: mark the roll-up stale (a bulk insert may do it once instead, :func:`insert_trigger`)."""

TRIGGERS: tuple[str, ...] = tuple(
    f"CREATE TRIGGER IF NOT EXISTS trg_{table}_query_{op.lower()} AFTER {op} ON {table} "
    f"BEGIN {MARK_STALE}; END"
    for table in WATCHED_TABLES for op in ("INSERT", "UPDATE", "DELETE"))
"""SQLite triggers that mark the roll-up stale (created by migration 0005, and by ``create_all``)."""

_extended: set[str] = set()


def insert_trigger(table: str) -> str:
    """The name of ``table``'s SQLite trigger that marks the roll-up stale on an insert."""
    return f"trg_{table}_query_insert"


def _extend(table: Table) -> None:
    """Give the budget tables the query layer's index and triggers, once.

    Done by table name when the table is mapped, so this module needs nothing from ``core.budget.models`` at
    import time (the model registry imports it while those models are still being defined)."""
    if table.name in _extended or table.name not in WATCHED_TABLES:
        return
    _extended.add(table.name)
    if table.name == "bgt_payment":
        Index(PAYMENT_LIST_INDEX, table.c.year, table.c.paid_on, table.c.payment_no)
    for sql in TRIGGERS:
        if f" ON {table.name} " in sql:
            event.listen(table, "after_create", DDL(sql).execute_if(dialect="sqlite"))


@event.listens_for(Base, "instrument_class", propagate=True)
def _on_mapped(mapper: object, cls: type) -> None:
    table = getattr(cls, "__table__", None)
    if isinstance(table, Table):
        _extend(table)


for _table in list(Base.metadata.tables.values()):
    _extend(_table)
event.listen(QueryState.__table__, "after_create",
             DDL("INSERT INTO bgt_query_state (id, dirty) VALUES (1, 1)"))

_rebuild_lock = threading.Lock()


MMAP_BYTES = 1 << 30
"""Memory-mapped reads for the query connections: a search that jumps from an index to a hundred thousand
payment rows reads them from the page cache without copying each page (about half the time)."""


def prepare_connection(conn: Connection) -> None:
    """Tune a SQLite connection for the query layer's reads (a no-op elsewhere; the setting is per connection)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA mmap_size={MMAP_BYTES}")


def uses_rollup(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def ensure_rollup(engine: Engine) -> bool:
    """Rebuild the roll-up if payments changed since it was built; True when it rebuilt."""
    if not uses_rollup(engine):
        return False
    with engine.connect() as conn:
        dirty = conn.execute(text("SELECT dirty FROM bgt_query_state WHERE id = 1")).scalar()
    if dirty == 0:
        return False
    with _rebuild_lock:
        rebuild_rollup(engine)
    return True


def rebuild_rollup(engine: Engine) -> None:
    """Recompute the whole roll-up, its code-level sums and the payee index from live payments and plans in one
    transaction."""
    dims = ", ".join(ROLLUP_DIMENSIONS)
    pay_dims = dims.replace("kind", "'pay'")
    plan_dims = ", ".join({"kind": "'plan'", "application_no": "''", "method": "''", "book": "i.book",
                           "functional_code": "i.functional_code", "economic_code": "i.economic_code",
                           "unit_code": "i.unit_code"}.get(d, f"p.{d}") for d in ROLLUP_DIMENSIONS)
    with engine.begin() as conn:
        # clear the flag first: a row written while we rebuild sets it again
        conn.execute(text("INSERT INTO bgt_query_state (id, dirty) VALUES (1, 0) "
                          "ON CONFLICT (id) DO UPDATE SET dirty = 0"))
        conn.execute(text("DELETE FROM bgt_query_payment_rollup"))
        conn.execute(text(
            f"INSERT INTO bgt_query_payment_rollup ({dims}, amount_fen, payments) "
            f"SELECT {pay_dims}, SUM(amount_fen), COUNT(*) FROM bgt_payment WHERE deleted = 0 "
            f"GROUP BY {pay_dims} ORDER BY {pay_dims}"))
        conn.execute(text(
            f"INSERT INTO bgt_query_payment_rollup ({dims}, amount_fen, payments) "
            f"SELECT {plan_dims}, SUM(p.amount_fen), 0 FROM bgt_plan p JOIN bgt_indicator i "
            # "+i.year": look the indicator up by its number; SQLite would otherwise pick a year index and scan
            "ON i.indicator_no = p.indicator_no AND +i.year = p.year AND i.deleted = 0 "
            f"WHERE p.deleted = 0 GROUP BY {plan_dims}"))
        code_dims = ", ".join(CODE_ROLLUP_DIMENSIONS)
        conn.execute(text("DELETE FROM bgt_query_code_rollup"))
        conn.execute(text(
            f"INSERT INTO bgt_query_code_rollup ({code_dims}, amount_fen, payments) "
            f"SELECT {code_dims}, SUM(amount_fen), SUM(payments) FROM bgt_query_payment_rollup "
            f"GROUP BY {code_dims} ORDER BY {code_dims}"))
        conn.execute(text("DELETE FROM bgt_query_payee"))
        conn.execute(text(
            "INSERT INTO bgt_query_payee (year, payee, amount_fen, payments) "
            "SELECT year, payee, SUM(amount_fen), COUNT(*) FROM bgt_payment WHERE deleted = 0 "
            "GROUP BY year, payee ORDER BY year, payee"))
