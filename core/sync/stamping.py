"""Server-side stamping of synced rows: version, who and when, scope, and the commit-ordered change number.

Change numbers come from :class:`SyncCounter` as the very last step before commit. The counter row's
lock is held only from that UPDATE to the commit, so commits and change numbers happen in the same
order and a pull cursor can never skip a row that committed late.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.ids import uuid7
from core.models.base import SyncedMixin, fill_scalar_defaults, utcnow
from core.models.syncstate import ScopeExit, SyncCounter

_TOUCHED = "sync_touched"
_BUMPED = "sync_bumped"
_EXITS = "sync_exits"
_SEALING = "sync_sealing"


def allocate_seqs(session: Session, count: int) -> int:
    """Reserve ``count`` change numbers; returns the first. Take them last, just before commit."""
    last = session.execute(
        update(SyncCounter).where(SyncCounter.id == 1).values(value=SyncCounter.value + count)
        .returning(SyncCounter.value)
    ).scalar_one()
    return int(last) - count + 1


def ensure_counter(session: Session) -> None:
    if session.execute(select(SyncCounter.id).where(SyncCounter.id == 1)).first() is None:
        session.add(SyncCounter(id=1, value=0))
        session.flush()


def touch(session: Session, obj: SyncedMixin) -> None:
    """Give ``obj`` a new change number without a new version, so every client re-pulls it."""
    session.info.setdefault(_TOUCHED, {})[_key(obj)] = obj


def version_after_commit(session: Session, obj: SyncedMixin) -> int:
    """The version a modified row will carry once this transaction commits (bumped once per transaction)."""
    if _key(obj) in session.info.get(_BUMPED, set()):
        return obj.version
    committed = inspect(obj).committed_state.get("version", obj.version)
    return int(committed or 0) + 1


def _key(obj: SyncedMixin) -> tuple[str, str]:
    return (obj.__tablename__, obj.id)  # type: ignore[attr-defined]


def _column_values(obj: SyncedMixin) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(_SEALING):
        return
    actor = str(session.info.get("actor", "system"))
    touched: dict[tuple[str, str], SyncedMixin] = session.info.setdefault(_TOUCHED, {})
    bumped: set[tuple[str, str]] = session.info.setdefault(_BUMPED, set())
    exits: list[ScopeExit] = session.info.setdefault(_EXITS, [])
    now = utcnow()
    for obj in list(session.new):
        if not isinstance(obj, SyncedMixin):
            continue
        if obj.id is None:
            obj.id = uuid7()
        fill_scalar_defaults(obj)
        obj.scope = type(obj).scope_for(_column_values(obj))
        if _key(obj) not in bumped:
            obj.version = 1
            bumped.add(_key(obj))
        obj.changed_by, obj.changed_at = actor, now
        touched[_key(obj)] = obj
    moved: list[SyncedMixin] = []
    for obj in list(session.dirty):
        if not isinstance(obj, SyncedMixin) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        old_scope = state.committed_state.get("scope", obj.scope)
        new_scope = type(obj).scope_for(_column_values(obj))
        if new_scope != old_scope and old_scope:
            exits.append(ScopeExit(scope=old_scope, table_name=obj.__tablename__,  # type: ignore[attr-defined]
                                   row_id=obj.id, seq=0))
            moved.append(obj)
        obj.scope = new_scope
        if _key(obj) not in bumped:
            committed_version = state.committed_state.get("version", obj.version)
            obj.version = int(committed_version or 0) + 1
            bumped.add(_key(obj))
        obj.changed_by, obj.changed_at = actor, now
        touched[_key(obj)] = obj
    if moved:
        _attachments_follow(session, moved, exits, touched, bumped, actor, now)


def _attachments_follow(session: Session, moved: list[SyncedMixin], exits: list[ScopeExit],
                        touched: dict[tuple[str, str], SyncedMixin], bumped: set[tuple[str, str]],
                        actor: str, now: Any) -> None:
    """Attachments take the scope of the row that owns them: when a row moves, so do its files."""
    from core.models.registry import Attachment

    for owner in moved:
        if isinstance(owner, Attachment):
            continue
        with session.no_autoflush:
            files = list(session.scalars(select(Attachment).where(
                Attachment.owner_table == owner.__tablename__,  # type: ignore[attr-defined]
                Attachment.owner_id == owner.id, Attachment.owner_scope != owner.scope)))
        for att in files:
            if att.scope:
                exits.append(ScopeExit(scope=att.scope, table_name=Attachment.__tablename__, row_id=att.id, seq=0))
            att.owner_scope = att.scope = owner.scope
            if _key(att) not in bumped:
                att.version = int(att.version or 0) + 1
                bumped.add(_key(att))
            att.changed_by, att.changed_at = actor, now
            touched[_key(att)] = att


def _before_commit(session: Session) -> None:
    if session.info.get(_SEALING):
        return
    session.flush()
    touched: dict[tuple[str, str], SyncedMixin] = session.info.pop(_TOUCHED, {})
    exits: list[ScopeExit] = session.info.pop(_EXITS, [])
    session.info.pop(_BUMPED, None)
    count = len(touched) + len(exits)
    if not count:
        return
    session.info[_SEALING] = True
    try:
        first = allocate_seqs(session, count)
        # A fixed order (table, key) makes the numbering reproducible: the same pushes, by HTTP or by
        # bundle, give the same change numbers.
        for offset, key in enumerate(sorted(touched)):
            touched[key].seq = first + offset
        for offset, exit_ in enumerate(exits, start=len(touched)):
            exit_.seq = first + offset
            session.add(exit_)
        session.flush()
    finally:
        session.info.pop(_SEALING, None)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in (_TOUCHED, _BUMPED, _EXITS, _SEALING):
            session.info.pop(key, None)


def install_server_hooks(factory: sessionmaker[Session]) -> None:
    """Make every session from ``factory`` stamp synced rows as the server does."""
    from sqlalchemy import event

    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _after_transaction_end)
