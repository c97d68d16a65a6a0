"""Client-side capture of local edits: every ORM change to a synced row writes an outbox entry in the
same transaction, with the base version and the base values of the fields it changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from core.ids import uuid7
from core.models.base import META_COLUMNS, SyncedMixin, fill_scalar_defaults
from core.models.syncstate import OutboxEntry
from core.sync.schema import REGISTRY, SyncRegistry

APPLYING_REMOTE = "sync_applying_remote"


def _capture(registry: SyncRegistry):  # type: ignore[no-untyped-def]
    def before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
        if session.info.get(APPLYING_REMOTE):
            return
        for obj in list(session.new):
            if not isinstance(obj, SyncedMixin):
                continue
            spec = registry.by_model(type(obj))
            if spec is None:
                continue
            if obj.id is None:
                obj.id = uuid7()
            fill_scalar_defaults(obj)
            values = {c: getattr(obj, c) for c in spec.user_columns}
            obj.scope = spec.scope_for(values)
            obj.version = 0
            obj.deleted = bool(obj.deleted)
            inserted = {c: spec.encode(c, v) for c, v in values.items() if v is not None}
            if obj.deleted:
                inserted["deleted"] = True
            session.add(OutboxEntry(mutation_id=uuid7(), table_name=spec.name, row_id=obj.id, op="insert",
                                    base_version=0, base={}, changes=inserted))
        for obj in list(session.dirty):
            if not isinstance(obj, SyncedMixin) or not session.is_modified(obj, include_collections=False):
                continue
            spec = registry.by_model(type(obj))
            if spec is None:
                continue
            state = inspect(obj)
            changes: dict[str, Any] = {}
            base: dict[str, Any] = {}
            for name in (*spec.user_columns, "deleted"):
                hist = state.attrs[name].history
                if not hist.has_changes():
                    continue
                new = hist.added[0] if hist.added else None
                old = hist.deleted[0] if hist.deleted else None
                if new == old:
                    continue
                rule = spec.masked.get(name)
                if rule is not None and rule.permission not in session.info.get("permissions", ()):
                    raise PermissionError(f"字段 {name} 受保护，不能在本机修改")
                changes[name] = new if name == "deleted" else spec.encode(name, new)
                base[name] = old if name == "deleted" else spec.encode(name, old)
            for meta in META_COLUMNS:
                if meta not in ("deleted", "scope") and state.attrs[meta].history.has_changes():
                    raise PermissionError(f"同步字段 {meta} 只能由服务器修改")
            if not changes:
                continue
            obj.scope = spec.scope_for({c: getattr(obj, c) for c in spec.user_columns})
            committed_version = state.committed_state.get("version", obj.version)
            session.add(OutboxEntry(mutation_id=uuid7(), table_name=spec.name, row_id=obj.id, op="update",
                                    base_version=int(committed_version or 0), base=base, changes=changes))
        for obj in list(session.deleted):
            if isinstance(obj, SyncedMixin):
                raise PermissionError("同步的记录不能直接删除：请把 deleted 设为 True")

    return before_flush


def install_outbox_capture(factory: sessionmaker[Session], registry: SyncRegistry = REGISTRY) -> None:
    """Make every session from ``factory`` record local edits of synced rows in the outbox."""
    event.listen(factory, "before_flush", _capture(registry))
