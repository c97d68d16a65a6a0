"""Bookkeeping of the sync engine: the server's sequencer and mutation log, the client's outbox and cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow


class SyncCounter(Base):
    """The serialized sequencer: one row whose value is the last change number handed out.

    Writers take the next numbers with an UPDATE as the last step before commit, so the row lock
    orders commits and change numbers alike: a reader can never see N+1 before N.
    """

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncMeta(Base):
    """Server-wide sync settings, e.g. ``compacted_seq`` (tombstones at or below it are gone)."""

    __tablename__ = "sync_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AppliedMutation(Base):
    """A mutation id the server has applied, with its answer, so a replay changes nothing."""

    __tablename__ = "sync_applied_mutation"

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    user_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScopeExit(Base):
    """A row that moved out of a scope: clients pulling that scope drop their copy."""

    __tablename__ = "sync_scope_exit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    scope: Mapped[str] = mapped_column(String(80), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36))


class SyncChange(Base):
    """The server's change feed: every synced row of every table with its latest change number and scope.

    Kept by the database itself (triggers on each synced table, see ``core.sync.feed``), so every writer
    feeds it. A pull page reads one scope pattern's next changes here with one query over
    ``(scope, seq)``, then only the tables that have rows in the page.
    """

    __tablename__ = "sync_change"
    __table_args__ = (Index("ix_sync_change_scope_seq", "scope", "seq"),)

    table_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    scope: Mapped[str] = mapped_column(String(80), nullable=False)


class OutboxEntry(Base):
    """A local edit waiting to be pushed; written in the same transaction as the edit itself."""

    __tablename__ = "client_outbox"
    # Numbers never restart when the outbox empties, so a lost bundle is always noticed as a gap.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    local_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(8))  # insert | update
    base_version: Mapped[int] = mapped_column(Integer)
    base: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClientState(Base):
    """Key-value state of a client: device id, pull cursor, server URL of record."""

    __tablename__ = "client_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
