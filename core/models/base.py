"""Declarative base and the columns every synced row carries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from core.ids import uuid7

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Aware UTC now; the server's clock, never a device's, orders changes."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


@dataclass(frozen=True)
class MaskRule:
    """A column hidden from users who lack ``permission``; ``style`` says how it is shown instead."""

    permission: str
    style: str = "full"  # "full" → "******"; "phone" → 138****5678; "id" → 3101**********1234

    def apply(self, value: Any) -> Any:
        if value is None:
            return None
        text = str(value)
        if self.style == "phone" and len(text) >= 7:
            return text[:3] + "*" * (len(text) - 7) + text[-4:]
        if self.style == "id" and len(text) >= 8:
            return text[:4] + "*" * (len(text) - 8) + text[-4:]
        return "******"


# Columns every synced row carries; the sync engine owns them, users never edit them.
META_COLUMNS = ("id", "version", "changed_by", "changed_at", "deleted", "seq", "scope")


class SyncedMixin:
    """A row that syncs between the server and clients.

    ``version`` counts server-side changes; ``seq`` is the server's commit-ordered change number
    (the pull cursor); ``deleted`` makes a tombstone; ``scope`` says who may see the row.
    Subclasses set ``sync_masked`` (column → MaskRule) and implement ``scope_for``.
    """

    sync_masked: ClassVar[dict[str, MaskRule]] = {}
    sync_label: ClassVar[str] = ""
    sync_write_permissions: ClassVar[tuple[str, ...]] = ()
    """The permissions a role needs to write this table, for screens that enable or disable editing.
    The server does not rely on it: its explicit, default-deny rules are in ``core.sync.permissions``."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    scope: Mapped[str] = mapped_column(String(80), nullable=False, default="")

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq"))

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        """The scope of a row with these column values; overridden per table."""
        raise NotImplementedError

    @classmethod
    def sync_refusal(cls, can: Callable[[str], bool], op: str, changes: Mapping[str, Any],
                     current: Mapping[str, Any]) -> str | None:
        """Why a pushed mutation may not be made, for rules finer than the table's write permission
        (who may set which field or value); None to allow. ``current`` holds the row's values (the
        column defaults for an insert); ``can`` tells whether the pushing user holds a permission.
        Checked by the sync server on every mutation."""
        return None


def fill_scalar_defaults(obj: Any) -> None:
    """Fill unset columns that have a scalar default, so scope rules and outbox entries see real values."""
    for col in obj.__table__.columns:
        if getattr(obj, col.key, None) is None and col.default is not None:
            arg = col.default.arg
            if not callable(arg):
                setattr(obj, col.key, arg)
