"""The conflict inbox without a screen: open conflicts of the local store and the two ways to resolve them.

No Qt here, so tests (and a future command line) use it directly; ``apps/common/conflicts.py`` is the
thin Qt view over it. Resolutions are ORM edits of the local store, so they reach the server through
the outbox like any other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models.registry import SyncConflict
from core.sync.client import LocalStore
from core.sync.schema import SchemaError, SyncedTable

FIELD = "field"  # both sides changed the same field
DELETE = "delete"  # you deleted a record someone else had changed
UPDATE_DELETED = "update_deleted"  # you changed a record someone else had deleted
REJECTED = "rejected"  # the server refused the edit (rights, rules)
KINDS = (FIELD, DELETE, UPDATE_DELETED, REJECTED)

OPEN = "open"
RESOLVED = "resolved"
_LABEL_COLUMNS = ("title", "name", "doc_no", "code", "filename")


class ConflictNotOpen(LookupError):
    """The conflict was resolved meanwhile (here, on another computer, or by an administrator)."""


class ConflictUnresolvable(ValueError):
    """"Use mine" cannot apply: the record is not on this computer, or the server refused the edit."""


@dataclass(frozen=True)
class ConflictItem:
    """One open conflict as the inbox shows it."""

    id: str
    table_name: str
    table_label: str
    row_id: str
    record_label: str
    field: str
    field_label: str
    kind: str
    reason: str
    at: datetime | None
    base_value: Any
    server_value: Any
    client_value: Any
    current_value: Any
    record_present: bool

    @property
    def can_use_mine(self) -> bool:
        if self.kind == REJECTED or not self.record_present:
            return False
        return self.kind in (FIELD, DELETE, UPDATE_DELETED)


class ConflictInbox:
    """Reads and resolves the open conflicts of one local store."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def count_open(self) -> int:
        with self.store.session() as s:
            return int(s.execute(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.status == OPEN, SyncConflict.deleted.is_(False))).scalar_one())

    def open_items(self) -> list[ConflictItem]:
        """Open conflicts, newest first."""
        with self.store.session() as s:
            rows = list(s.scalars(select(SyncConflict).where(SyncConflict.status == OPEN,
                                                             SyncConflict.deleted.is_(False))
                                  .order_by(SyncConflict.changed_at.desc(), SyncConflict.id.desc())))
            return [self._item(s, c) for c in rows]

    def _spec(self, table_name: str) -> SyncedTable | None:
        try:
            return self.store.registry.get(table_name)
        except SchemaError:
            return None

    def _item(self, s: Session, c: SyncConflict) -> ConflictItem:
        spec = self._spec(c.table_name)
        row = s.get(spec.model, c.row_id) if spec is not None else None
        table_label = (spec.model.sync_label or spec.name) if spec is not None else c.table_name
        current: Any = None
        field_label = c.field
        if spec is not None and c.field and c.field in spec.table.c:
            column = spec.table.c[c.field]
            field_label = str(column.info.get("label") or column.comment or c.field)
            if row is not None:
                current = spec.encode(c.field, getattr(row, c.field))
        return ConflictItem(
            id=c.id, table_name=c.table_name, table_label=table_label, row_id=c.row_id,
            record_label=_record_label(row, c.row_id), field=c.field, field_label=field_label, kind=c.kind,
            reason=c.reason, at=c.changed_at, base_value=c.base_value, server_value=c.server_value,
            client_value=c.client_value, current_value=current, record_present=row is not None,
        )

    # resolving -------------------------------------------------------------------------------
    def keep_server(self, conflict_id: str) -> None:
        """Accept the server's value: the conflict is marked resolved and your value is dropped."""
        with self.store.session() as s, s.begin():
            conflict = self._open_conflict(s, conflict_id)
            conflict.status = RESOLVED
            conflict.resolution = "server"

    def use_mine(self, conflict_id: str) -> None:
        """Apply your value to the record again (a new edit, synced through the outbox) and resolve."""
        with self.store.session() as s, s.begin():
            conflict = self._open_conflict(s, conflict_id)
            if conflict.kind == REJECTED:
                raise ConflictUnresolvable("服务器拒绝了这项修改，不能改用您的值")
            spec = self._spec(conflict.table_name)
            row = s.get(spec.model, conflict.row_id) if spec is not None else None
            if spec is None or row is None:
                raise ConflictUnresolvable("这条记录不在本机上，无法改用您的值")
            if conflict.kind == FIELD:
                setattr(row, conflict.field, spec.decode(conflict.field, conflict.client_value))
            elif conflict.kind == DELETE:
                row.deleted = True
            elif conflict.kind == UPDATE_DELETED:
                row.deleted = False
                changes = conflict.client_value if isinstance(conflict.client_value, dict) else {}
                for name, value in changes.items():
                    if name in spec.user_columns:
                        setattr(row, name, spec.decode(name, value))
            else:
                raise ConflictUnresolvable(f"未知的冲突类型：{conflict.kind}")
            conflict.status = RESOLVED
            conflict.resolution = "client"

    @staticmethod
    def _open_conflict(s: Session, conflict_id: str) -> SyncConflict:
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None or conflict.status != OPEN or conflict.deleted:
            raise ConflictNotOpen("这条冲突已经处理过了")
        return conflict


def _record_label(row: Any, row_id: str) -> str:
    if row is not None:
        for name in _LABEL_COLUMNS:
            value = getattr(row, name, None)
            if value:
                return str(value)
    return row_id[:8]
