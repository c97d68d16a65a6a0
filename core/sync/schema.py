"""What syncs: the registry of synced tables and how their values travel as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, Column, String, Table, func, type_coerce

from core.models.base import META_COLUMNS, MaskRule, SyncedMixin, UTCDateTime
from core.models.registry import Attachment, Department, Deputy, Document, SyncConflict


class SchemaError(ValueError):
    """A message names a table or column that does not exist or may not be written."""


@dataclass(frozen=True)
class SyncedTable:
    """One synced table: its model, its columns in wire order and its masking rules."""

    name: str
    model: type[SyncedMixin]
    table: Table
    columns: tuple[str, ...]
    user_columns: tuple[str, ...]
    masked: dict[str, MaskRule]

    def scope_for(self, values: dict[str, Any]) -> str:
        return self.model.scope_for(values)

    @property
    def datetime_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns if isinstance(c.type, UTCDateTime))

    @property
    def json_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns if isinstance(c.type, JSON))

    def wire_select(self, dialect: str) -> list[Any]:
        """Columns to read for a pull page, with timestamps turned into ISO-8601 UTC text by the
        database itself (``2026-11-28T01:33:20.123456+00:00``), so no Python work per row."""
        return [_iso_timestamp(c, dialect) if c.name in self.datetime_columns else c for c in self.table.columns]

    @cached_property
    def has_field_rules(self) -> bool:
        """Whether the model has rules finer than its write permission (its own ``sync_refusal``)."""
        return getattr(self.model.sync_refusal, "__func__", None) is not _NO_FIELD_RULES

    @cached_property
    def _defaults(self) -> tuple[tuple[str, Any], ...]:
        return tuple((c.name, c) for c in self.table.columns if c.name in self.user_columns)

    def insert_defaults(self) -> dict[str, Any]:
        """The user columns of a pushed insert that left them out: scalar defaults as given, a fresh empty
        container for JSON columns defaulting to ``dict`` or ``list``, None otherwise."""
        return {name: _scalar_default(col) for name, col in self._defaults}

    @cached_property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns if c.name in self.user_columns and not c.nullable)

    def encode(self, column: str, value: Any) -> Any:
        return encode_value(self.table.c[column], value)

    def decode(self, column: str, value: Any) -> Any:
        col, py = self._decoding[column]
        return decode_value(col, value, py)

    @cached_property
    def _decoding(self) -> dict[str, tuple[Column[Any], type | None]]:
        """Each column with the Python type its values decode to, looked up once (a push decodes thousands)."""
        return {c.name: (c, _python_type(c)) for c in self.table.columns}


_NO_FIELD_RULES = SyncedMixin.sync_refusal.__func__  # type: ignore[attr-defined]
"""The default :meth:`SyncedMixin.sync_refusal`: tables that keep it have no field rules to check."""


def _scalar_default(column: Any) -> Any:
    default = column.default
    arg = getattr(default, "arg", None)
    if arg is None:
        return None
    if callable(arg):
        if isinstance(column.type, JSON):
            value = arg(None)
            return value if isinstance(value, dict | list) else None
        return None
    return arg


def _iso_timestamp(col: Column[Any], dialect: str) -> Any:
    if dialect == "sqlite":  # stored as "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
        return func.replace(col, " ", "T").concat("+00:00").label(col.name)
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", col), 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"').label(col.name)
    return type_coerce(col, String()).label(col.name)


def wire_timestamp(value: Any) -> Any:
    """A stored timestamp as ISO-8601 UTC text, cheaply: ``2026-11-28T01:33:20.123456+00:00``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    text = str(value)
    if len(text) >= 19 and text[10] == " " and "+" not in text[10:]:
        return text[:10] + "T" + text[11:] + "+00:00"
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


def sqlite_timestamp(value: Any) -> Any:
    """ISO-8601 text from the wire as SQLite stores timestamps (UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if value is None:
        return None
    text = str(value)
    if text.endswith("+00:00"):
        if len(text) == 32:
            return text[:10] + " " + text[11:26]
        if len(text) == 25:
            return text[:10] + " " + text[11:19] + ".000000"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise SchemaError(f"时间缺少时区：{text!r}")
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def encode_value(col: Column[Any], value: Any) -> Any:
    """A column value as JSON: datetimes as ISO-8601 text, everything else as is."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_UNKNOWN: Any = object()


def decode_value(col: Column[Any], value: Any, py: Any = _UNKNOWN) -> Any:
    """The inverse of :func:`encode_value`, checking the JSON type against the column's type (``py``: the
    column's Python type when the caller knows it)."""
    if value is None:
        if not col.nullable and not col.primary_key:
            raise SchemaError(f"字段 {col.name} 不能为空")
        return None
    if py is _UNKNOWN:
        py = _python_type(col)
    if py is str:  # first: most columns are text
        if not isinstance(value, str):
            raise SchemaError(f"字段 {col.name} 应为文本")
        length = getattr(col.type, "length", None)
        if length is not None and len(value) > length:
            raise SchemaError(f"字段 {col.name} 超过 {length} 个字符")
        return value
    if py is datetime:
        if not isinstance(value, str):
            raise SchemaError(f"字段 {col.name} 应为日期时间文本")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise SchemaError(f"字段 {col.name} 的日期时间格式不正确：{value!r}") from exc
        if parsed.tzinfo is None:
            raise SchemaError(f"字段 {col.name} 的时间缺少时区")
        return parsed
    if py is date:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"字段 {col.name} 的日期格式不正确：{value!r}") from exc
    if py is bool:
        if not isinstance(value, bool):
            raise SchemaError(f"字段 {col.name} 应为是/否")
        return value
    if py is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(f"字段 {col.name} 应为整数")
        if abs(value) >= 2**63:
            raise SchemaError(f"字段 {col.name} 超出范围")
        return value
    return value  # JSON columns


def _python_type(col: Column[Any]) -> type | None:
    if isinstance(col.type, UTCDateTime):
        return datetime
    try:
        return col.type.python_type
    except NotImplementedError:
        return None


def _build(model: type[SyncedMixin]) -> SyncedTable:
    table = model.__table__  # type: ignore[attr-defined]
    columns = tuple(c.name for c in table.columns)
    user_columns = tuple(c for c in columns if c not in META_COLUMNS)
    return SyncedTable(model.__tablename__, model, table, columns, user_columns,  # type: ignore[attr-defined]
                       dict(model.sync_masked))


class SyncRegistry:
    """The synced tables, in a fixed order. The engine's own tables are registered here; each feature
    registers its tables from its own package (see ``core.features``)."""

    def __init__(self) -> None:
        self._tables: dict[str, SyncedTable] = {}

    def register(self, model: type[SyncedMixin]) -> SyncedTable:
        spec = _build(model)
        self._tables[spec.name] = spec
        return spec

    def get(self, name: str) -> SyncedTable:
        try:
            return self._tables[name]
        except KeyError:
            raise SchemaError(f"未知的数据表：{name}") from None

    def by_model(self, model: type[Any]) -> SyncedTable | None:
        return self._tables.get(getattr(model, "__tablename__", ""))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._tables.values())

    def names(self) -> list[str]:
        return list(self._tables)


REGISTRY = SyncRegistry()
for _model in (Department, Deputy, Document, Attachment, SyncConflict):
    REGISTRY.register(_model)
