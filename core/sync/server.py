"""The server half of sync: applies pushed mutations exactly once with a field-level three-way merge,
serves pull pages from a commit-safe per-scope cursor, computes scope checksums, compacts tombstones."""

from __future__ import annotations

import contextlib
import heapq
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Engine,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import Principal
from core.ids import is_uuid, uuid7
from core.models.base import MaskRule, utcnow
from core.models.identity import Device
from core.models.registry import Attachment, SyncConflict
from core.models.syncstate import AppliedMutation, ScopeExit, SyncChange, SyncCounter, SyncMeta
from core.sync import conflict_view
from core.sync.bulk import ID, WAS, BulkWriter, RowsChanged, rows_by_id, values_by_key
from core.sync.feed import install_change_feed
from core.sync.permissions import RULES, check_write
from core.sync.protocol import Mutation, OutOfTurn, ProtocolError, parse_cursor
from core.sync.schema import REGISTRY, SchemaError, SyncedTable, SyncRegistry
from core.sync.scopes import mask_fingerprint, pattern_checksum, pull_patterns
from core.sync.stamping import allocate_seqs, ensure_counter

log = logging.getLogger(__name__)

AuditHook = Callable[[Session, Principal, str, str, dict[str, Any]], None]

APPLIED, MERGED, CONFLICT, REJECTED = "applied", "merged", "conflict", "rejected"

WRITE_PART = 500
"""Mutations per part of a large batch on PostgreSQL: decided while the database writes the part before."""
PUSH_TRIES = 5
"""Attempts at a push whose rows other transactions keep changing between its read and its write."""


class _Row:
    """A row of a push batch held in memory: its values as they stand after the batch's mutations so far."""

    __slots__ = ("changed", "committed_scope", "committed_version", "inserted", "is_new", "modified", "stored_version",
                 "touched", "values")

    def __init__(self, values: dict[str, Any], is_new: bool) -> None:
        self.values = values
        self.changed: set[str] = set()
        self.is_new = is_new
        self.modified = is_new
        self.touched = is_new
        """Decided since the batch's last write: to be written (and numbered) by the next one."""
        self.inserted = False
        """A new row already inserted by an earlier part of the batch: later changes update it."""
        self.committed_scope: str = values["scope"]
        self.committed_version = int(values["version"] or 0)
        self.stored_version = self.committed_version
        """The version the database holds for the row in this transaction: the one read, until a part of the
        batch writes the row; every update is made only if the row still holds it."""

    @property
    def version_after(self) -> int:
        """The version the row carries once the batch commits (bumped once per transaction)."""
        if self.is_new:
            return 1
        return self.committed_version + 1 if self.modified else self.committed_version


class _RowView:
    """A batch row read as the write rules read a stored row (``row.scope``, ``row.deleted`` …)."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    @classmethod
    def of(cls, row: _Row | None) -> _RowView | None:
        return None if row is None else cls(row.values)

    def values_of(self, columns: tuple[str, ...]) -> dict[str, Any]:
        values = self._values
        return {c: values[c] for c in columns}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


class _BatchRows:
    """The batch's rows as the write rules look owners up: by (table, id), None for a known-missing id."""

    def __init__(self, batch: _Batch) -> None:
        self._rows = batch.rows

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __getitem__(self, key: tuple[str, str]) -> _RowView | None:
        return _RowView.of(self._rows[key])


@dataclass
class _Batch:
    """One push in memory: the rows it read and changed, the conflicts it records, its mutation log."""

    actor: str
    now: datetime
    session: Any = None
    rows: dict[tuple[str, str], _Row | None] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    applied: list[dict[str, Any]] = field(default_factory=list)
    refusals: dict[tuple[Any, ...], str | None] = field(default_factory=dict)
    """The write rules' answers of this push (one principal), by table, operation, scopes and fields."""
    conflicts_written: int = 0
    next_seq: int | None = None
    """The next change number once the batch has taken its first ones (a batch written in parts)."""
    logged: bool = False
    """Whether the mutation log is sent already (a batch decided before its turn)."""


@dataclass
class _Outcome:
    status: str
    message: str = ""
    conflicts: tuple[str, ...] = ()
    version: int = 0
    drop: bool = False
    """A refused edit of a row the user can no longer see: the client drops its copy (nothing re-sends it)."""


def _no_audit(session: Session, principal: Principal, action: str, target: str, detail: dict[str, Any]) -> None:
    return None


class SyncService:
    """Sync operations on the server database; every call is checked against the principal."""

    def __init__(self, factory: sessionmaker[Session], registry: SyncRegistry = REGISTRY,
                 audit: AuditHook = _no_audit) -> None:
        self.factory = factory
        self.registry = registry
        self.audit = audit
        self._masked_permissions = {r.permission for t in registry for r in t.masked.values()}
        self._statements = _StatementCache()
        self._turns: dict[str, threading.Lock] = {}
        self._turns_guard = threading.Lock()
        engine = factory.kw.get("bind")
        self._sqlite = isinstance(engine, Engine) and engine.dialect.name == "sqlite"
        if isinstance(engine, Engine):
            install_change_feed(engine, registry)

    # ---------------------------------------------------------------- push
    def push(self, principal: Principal, device_id: str, raw_mutations: Iterable[Any],
             after: str | None = None) -> list[dict[str, Any]]:
        """Apply mutations in one transaction; each answered applied / merged / conflict / rejected.

        Pushes of different devices run side by side on PostgreSQL. A row is written only if it still holds
        the version the batch read; if another transaction changed one meanwhile, the batch is rolled back
        and decided again against the rows as they are now (up to :data:`PUSH_TRIES` times, then
        :class:`RowsChanged`, answered 409 and sent again by the client later), so an edit is never
        judged against a row that is no longer there.
        """
        mutations = [Mutation.parse(m) for m in raw_mutations]
        if after is not None and not is_uuid(after):
            raise ProtocolError("after 必须是上一批最后一条修改的 mutation_id（UUID）")
        for _ in range(PUSH_TRIES - 1):
            try:
                return self._push_once(principal, device_id, mutations, after)
            except RowsChanged as exc:
                log.info("设备 %s 的一批修改（%d 条）：%s；按现在的数据重新处理", device_id, len(mutations), exc)
        try:
            return self._push_once(principal, device_id, mutations, after)
        except RowsChanged as exc:
            raise RowsChanged("这一批修改涉及的记录正被其他同步反复修改，这一批没有处理；"
                              "修改仍保存在本机，请稍后再同步") from exc

    def _push_once(self, principal: Principal, device_id: str, mutations: list[Mutation],
                   after: str | None) -> list[dict[str, Any]]:
        """One attempt at a push.

        One device's pushes are applied one at a time, in order: ``after`` names the last mutation of the batch
        the client sent just before this one, still unanswered then; this batch waits for that one and is
        refused (:class:`OutOfTurn`, nothing applied) if it got here first.

        A mutation id seen before is answered from the log without touching data. The batch is applied
        in memory against rows read once (one query per table); the outcome is written with one bulk statement
        per table and kind, after the change numbers are taken (see :meth:`_write`).

        On PostgreSQL a batch sent behind another reads its rows, and decides them, while it waits for its
        turn: what it read can only have changed by the batch ahead committing meanwhile, and every update it
        writes is guarded by the version it read, so such a batch is decided again (:class:`RowsChanged`). A row
        it did not find may be one the batch ahead inserts: a batch that misses any row, or whose rows follow
        another's scope (attachments), is decided only after its turn, and the rows it missed are read again
        then. A large batch is written in parts of :data:`WRITE_PART` rows: while the database writes one part,
        the next is prepared (or, for a batch decided after its turn, decided; see :meth:`_write_rows`).
        """
        with self._device_turn(device_id), self.factory() as session, session.begin():
            session.info["actor"] = principal.username
            ensure_counter(session)
            postgresql = session.get_bind().dialect.name == "postgresql"
            # Read before the turn: a batch sent behind another looks up its own ids while that one is written.
            # Should the same batch be under way twice, the second one's log insert fails once the first
            # commits, and the retry answers it from the log.
            seen = self._applied(session, [m.mutation_id for m in mutations])
            fresh = [m for m in mutations if m.mutation_id not in seen]
            batch = _Batch(principal.username, utcnow(), session)
            self._preload(session, batch, fresh)
            early = postgresql and self._decidable_early(batch, fresh)
            parted = len(fresh) > WRITE_PART and postgresql
            with BulkWriter(session, background=parted) as writer:
                try:
                    if early:  # decided, and its log sent, while the batch ahead is written
                        results = self._decide(batch, principal, device_id, mutations, seen)
                        writer.insert(_APPLIED, batch.applied)
                        batch.logged = True
                    self._take_turn(session, device_id, after)
                    if postgresql and not early:
                        self._preload_missing(session, batch)
                    if fresh:  # the audit log's lock is taken before the change numbers' (as every writer does)
                        self.audit(session, principal, "sync.push", device_id,
                                   {"mutations": len(mutations), "new": len(fresh)})
                        session.flush()
                    if early:
                        self._write_rows(session, batch, writer)
                    else:
                        parts = (lambda: self._write_rows(session, batch, writer)) if parted else None
                        results = self._decide(batch, principal, device_id, mutations, seen, parts)
                except Exception as exc:  # a part the database refused is the cause of what failed after it
                    failure = writer.failure()
                    if failure is not None and failure is not exc:
                        raise failure from exc
                    raise
                writer.wait()
            if device_id and mutations:
                device = session.get(Device, device_id)
                if device is not None and device.user_id == principal.user_id:
                    device.last_outbox_seq = max(device.last_outbox_seq, max(m.local_seq for m in mutations))
            self._attachments_follow(session, batch)
            self._write(session, batch)
        return results

    def _decide(self, batch: _Batch, principal: Principal, device_id: str, mutations: list[Mutation],
                seen: dict[str, dict[str, Any]], write_part: Callable[[], None] | None = None) -> list[dict[str, Any]]:
        """The answer to each mutation, in order (one seen before: from the log); ``write_part``, if given, is
        called after every :data:`WRITE_PART` mutations but the last."""
        results: list[dict[str, Any]] = []
        for position, mutation in enumerate(mutations, start=1):
            if mutation.mutation_id in seen:
                results.append(dict(seen[mutation.mutation_id], replayed=True))
                continue
            results.append(self._answer(batch, principal, device_id, mutation))
            seen[mutation.mutation_id] = results[-1]
            if write_part is not None and position % WRITE_PART == 0 and position < len(mutations):
                write_part()
        return results

    def _decidable_early(self, batch: _Batch, mutations: list[Mutation]) -> bool:
        """Every row the mutations touch was found, and none takes its scope from another row."""
        for m in mutations:
            rule = RULES.get(m.table)
            if batch.rows.get((m.table, m.row_id)) is None or rule is None or rule.follows_owner:
                return False
        return True

    def _device_turn(self, device_id: str) -> Any:
        """SQLite: this process's own lock per device around the whole transaction (the database's one writer lock
        would also keep the order, but a push waiting for it polls, and sleeps well past the other's commit)."""
        if not device_id or not self._sqlite:
            return contextlib.nullcontext()
        with self._turns_guard:
            return self._turns.setdefault(device_id, threading.Lock())

    @staticmethod
    def _take_turn(session: Session, device_id: str, after: str | None) -> None:
        """Wait until no other push of this device is open (PostgreSQL: a lock on the device held to the commit;
        SQLite takes its one writer lock when the transaction begins); then refuse the batch if the one it
        follows is not applied yet."""
        if device_id and session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended("renda.push:" + device_id, 0))))
        if after is not None and session.get(AppliedMutation, after) is None:
            raise OutOfTurn("上一批修改还没有处理完，这一批没有处理；请在上一批得到答复后重新上传")

    def _answer(self, batch: _Batch, principal: Principal, device_id: str, mutation: Mutation) -> dict[str, Any]:
        outcome = self._apply(batch, principal, mutation)
        result = {"mutation_id": mutation.mutation_id, "status": outcome.status, "message": outcome.message,
                  "conflicts": list(outcome.conflicts), "version": outcome.version}
        if outcome.drop:
            result["drop"] = True
        batch.applied.append({"mutation_id": mutation.mutation_id, "device_id": device_id,
                              "user_id": principal.user_id, "result": result, "applied_at": batch.now})
        return result

    @staticmethod
    def _attachments_follow(session: Session, batch: _Batch) -> None:
        """Attachments take the scope of the row that owns them: a row the batch moved takes its files along."""
        att: Any = Attachment.__table__
        moved = [(key, row) for key, row in batch.rows.items()
                 if row is not None and key[0] != att.name and not row.is_new and row.modified
                 and row.values["scope"] != row.committed_scope]
        for (table_name, row_id), owner in moved:
            scope = owner.values["scope"]
            result = session.execute(select(att).where(att.c.owner_table == table_name, att.c.owner_id == row_id,
                                                       att.c.owner_scope != scope))
            keys = list(result.keys())
            for found in result:
                values = dict(zip(keys, found, strict=True))
                held = batch.rows.get((att.name, values["id"]))
                row = held if held is not None else _Row(values, is_new=False)
                batch.rows[(att.name, values["id"])] = row
                row.values["owner_scope"] = row.values["scope"] = scope
                row.changed.add("owner_scope")
                row.modified = row.touched = True
                row.values["changed_by"], row.values["changed_at"] = batch.actor, batch.now

    @staticmethod
    def _applied(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The logged answers of the mutation ids already applied (one query; on SQLite one per 500 ids)."""
        table: Any = AppliedMutation.__table__
        return dict(values_by_key(session, table.c.mutation_id, table.c.result, ids))

    def _preload(self, session: Session, batch: _Batch, mutations: list[Mutation]) -> None:
        """Read every row a batch touches with one query per table (on SQLite per 500 ids). Ids asked for and not
        found are known to be new, so inserts need no query of their own."""
        self._read_rows(session, batch, [(m.table, m.row_id) for m in mutations])

    def _preload_missing(self, session: Session, batch: _Batch) -> None:
        """Read again the rows the batch did not find before its turn: the batch ahead may have inserted them."""
        self._read_rows(session, batch, [key for key, row in batch.rows.items() if row is None])

    def _read_rows(self, session: Session, batch: _Batch, keys: list[tuple[str, str]]) -> None:
        """The rows of these (table, id) keys into the batch, one query per table; a key not found is None."""
        by_table: dict[str, list[str]] = {}
        for name, row_id in keys:
            by_table.setdefault(name, []).append(row_id)
        for name, ids in by_table.items():
            spec = self.registry._tables.get(name)
            if spec is None:
                continue
            unique = list(dict.fromkeys(ids))
            for values in rows_by_id(session, spec.table, unique):
                batch.rows[(name, values["id"])] = _Row(values, is_new=False)
            for row_id in unique:
                batch.rows.setdefault((name, row_id), None)

    def _apply(self, batch: _Batch, principal: Principal, m: Mutation) -> _Outcome:
        """Decide one mutation against the batch's rows in memory; nothing is written here."""
        try:
            spec = self.registry.get(m.table)
            changes = self._decode_fields(spec, m.changes, principal)
            base = self._decode_fields(spec, m.base, principal, check_mask=False)
        except SchemaError as exc:
            return self._reject(batch, principal, m, str(exc))
        model = spec.model
        row = batch.rows.get((m.table, m.row_id))
        visible = row is not None and principal.sees_scope(row.values["scope"])
        if spec.has_field_rules:
            reason = None
            if row is not None and visible:
                current = {c: row.values[c] for c in spec.user_columns}
                reason = model.sync_refusal(principal.can, "update", changes, current)
            elif row is None:
                reason = model.sync_refusal(principal.can, m.op, changes, spec.insert_defaults())
            if reason:
                return self._reject(batch, principal, m, reason)
        # the write rules of core/sync/permissions.py: per table, role, operation, field and scope (default deny);
        # for an attachment this also sets owner_scope in ``changes`` from the row that owns it
        reason = check_write(batch.session, spec, principal, m.op, _RowView.of(row), changes, _BatchRows(batch),
                             batch.refusals)
        if reason:
            return self._reject(batch, principal, m, reason)
        if row is None or not visible:
            if row is not None or m.op != "insert":
                return self._reject(batch, principal, m, "记录不存在或无权修改")
            values = spec.insert_defaults()
            values.update(changes)
            values["id"] = m.row_id
            scope = spec.scope_for(values)
            if not principal.may_write_scope(scope):
                return self._reject(batch, principal, m, f"无权在范围“{scope}”中新增记录")
            missing = [c for c in spec.required_columns if values.get(c) is None]
            if missing:
                return self._reject(batch, principal, m, f"缺少必填字段：{', '.join(missing)}")
            values.update(version=1, changed_by=batch.actor, changed_at=batch.now,
                          deleted=bool(values.get("deleted")), seq=0, scope=scope)
            batch.rows[(m.table, m.row_id)] = _Row(values, is_new=True)
            return _Outcome(APPLIED, version=1)
        return self._merge(batch, principal, spec, row, m, base, changes)

    def _merge(self, batch: _Batch, principal: Principal, spec: SyncedTable, row: _Row,
               m: Mutation, base: dict[str, Any], changes: dict[str, Any]) -> _Outcome:
        current = row.values
        stale = current["version"] != m.base_version
        accepted: dict[str, Any] = {}  # the fields this mutation changes (three-way merge against base)
        conflicts: list[str] = []
        for name, new in changes.items():
            now = current[name]
            if now == new:
                continue
            if not stale or (name in base and base[name] == now):
                accepted[name] = new
            else:
                conflicts.append(name)
        new_scope = spec.scope_for({**current, **accepted})
        if current["deleted"] and changes.get("deleted") is not False:
            self._conflict(batch, principal, m, "update_deleted", "", None, None, m.changes,
                           "这条记录已被他人删除，您的修改未生效")
            row.touched = True
            return _Outcome(CONFLICT, "记录已被删除", ("deleted",), row.version_after)
        if changes.get("deleted") is True and stale:
            self._conflict(batch, principal, m, "delete", "deleted", False, False, True,
                           "您删除时，这条记录已被他人修改；记录保留，请确认是否仍要删除")
            row.touched = True
            return _Outcome(CONFLICT, "删除与他人修改冲突", ("deleted",), row.version_after)
        if new_scope != current["scope"] and not principal.may_write_scope(new_scope):
            return self._reject(batch, principal, m, f"无权把记录移入范围“{new_scope}”")
        for name in conflicts:
            self._conflict(batch, principal, m, "field", name, spec.encode(name, base.get(name)),
                           spec.encode(name, current[name]), m.changes[name],
                           "您和他人同时修改了这个字段；已保留服务器上的值")
        for name, value in accepted.items():
            current[name] = value
            row.changed.add(name)
            row.modified = True
        if row.modified:
            current["scope"] = new_scope
            if not row.is_new:
                current["changed_by"], current["changed_at"] = batch.actor, batch.now
        row.touched = True
        status = CONFLICT if conflicts else (MERGED if stale else APPLIED)
        return _Outcome(status, conflicts=tuple(conflicts), version=row.version_after)

    def _decode_fields(self, spec: SyncedTable, raw: dict[str, Any], principal: Principal,
                       check_mask: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in raw.items():
            if name != "deleted" and name not in spec.user_columns:
                raise SchemaError(f"表 {spec.name} 没有可修改的字段 {name}")
            rule = spec.masked.get(name)
            if check_mask and rule is not None and not principal.sees_column(rule.permission):
                raise SchemaError(f"无权修改受保护字段 {name}")
            if name == "deleted":
                if not isinstance(value, bool):
                    raise SchemaError("deleted 必须是是/否")
                out[name] = value
            else:
                out[name] = spec.decode(name, value)
        return out

    def _reject(self, batch: _Batch, principal: Principal, m: Mutation, reason: str) -> _Outcome:
        self._conflict(batch, principal, m, "rejected", "", None, None, m.changes, reason)
        row = batch.rows.get((m.table, m.row_id))
        if row is not None and principal.sees_scope(row.values["scope"]):
            row.touched = True  # the client's copy is re-sent, so its refused edit is undone there
        elif row is not None and not row.is_new:
            # Out of the user's sight now: the client drops its copy. The row is still re-numbered, so a
            # client whose role comes back before it pulls again (its cursor still past the row) gets it back.
            row.touched = True
            return _Outcome(REJECTED, reason, drop=True)
        return _Outcome(REJECTED, reason)

    @staticmethod
    def _conflict(batch: _Batch, principal: Principal, m: Mutation, kind: str, field: str,
                  base: Any, server: Any, client: Any, reason: str) -> None:
        values = {"id": uuid7(), "table_name": m.table[:60], "row_id": m.row_id, "field": field, "kind": kind,
                  "base_value": base, "server_value": server, "client_value": client, "reason": reason,
                  "user_id": principal.user_id, "mutation_id": m.mutation_id, "status": "open",
                  "resolution": "", "version": 1, "changed_by": batch.actor, "changed_at": batch.now,
                  "deleted": False, "seq": 0}
        values["scope"] = SyncConflict.scope_for(values)
        batch.conflicts.append(values)

    def _write(self, session: Session, batch: _Batch) -> None:
        """Write the batch's outcome in bulk: the mutation log first (unless sent already), then (as the last step
        before commit) the change numbers, then the rows, conflicts and scope exits that carry them.

        The counter row's lock is taken after every read and decision, and held only while the rows
        that carry its numbers are written, up to the commit: commits and change numbers keep one order.
        (A batch written in parts took it with its first part, after that part's decisions.)
        """
        writer = BulkWriter(session)
        if not batch.logged:
            writer.insert(_APPLIED, batch.applied)
        session.flush()  # the device's progress, before the counter is taken
        exits = sorted((key, row.committed_scope) for key, row in batch.rows.items()
                       if row is not None and not row.is_new and row.modified and row.committed_scope
                       and row.values["scope"] != row.committed_scope)
        self._write_rows(session, batch, writer, exits)

    def _write_rows(self, session: Session, batch: _Batch, writer: BulkWriter,
                    exits: list[tuple[tuple[str, str], str]] | None = None) -> None:
        """Write the rows and conflicts decided since the last write, numbered in one fixed order, (table, key),
        so the same pushes number alike; then the scope exits, if given (the last write of a batch).

        A batch written in parts takes its change numbers with its first part and counts on from there: it
        holds the counter's lock to the commit, so nobody else takes a number meanwhile, and a later part
        need not wait for the database to learn where to start."""
        stamped = sorted((key, row) for key, row in batch.rows.items() if row is not None and row.touched)
        conflicts = sorted(batch.conflicts[batch.conflicts_written:], key=lambda c: c["id"])
        batch.conflicts_written = len(batch.conflicts)
        order: list[tuple[tuple[str, str], Any]] = sorted([*stamped, *((("sync_conflict", c["id"]), c)
                                                                        for c in conflicts)], key=lambda item: item[0])
        exits = exits or []
        count = len(order) + len(exits)
        if not count:
            return
        if batch.next_seq is None:
            seq = allocate_seqs(session, count)
        else:
            seq = batch.next_seq
            writer.execute(_COUNTER_ADD, (count,))
        batch.next_seq = seq + count
        inserts: dict[str, list[dict[str, Any]]] = {}
        updates: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        touches: dict[str, list[dict[str, Any]]] = {}
        for (table_name, _row_id), item in order:
            if isinstance(item, dict):
                item["seq"] = seq
                inserts.setdefault(table_name, []).append(item)
            else:
                item.values["seq"] = seq
                item.touched = False
                if item.is_new and not item.inserted:
                    item.inserted = True
                    inserts.setdefault(table_name, []).append(item.values)
                elif item.modified:
                    # the version goes to the database only: the rows in memory keep the one the batch read, which
                    # later edits of the same batch are judged against (a part written earlier changes nothing);
                    # who changed the row and when are the batch's own, sent once per statement
                    columns = (*sorted(item.changed), "scope", "seq")
                    updates.setdefault((table_name, (*columns, "version")), []).append(
                        {ID: item.values["id"], **{c: item.values[c] for c in columns}, "version": item.version_after,
                         WAS: item.stored_version})
                    item.stored_version = item.version_after
                else:
                    touches.setdefault(table_name, []).append({ID: item.values["id"], "seq": seq,
                                                               WAS: item.stored_version})
            seq += 1
        for table_name, rows in inserts.items():
            writer.insert(self._table(table_name), rows)
        same = {"changed_by": batch.actor, "changed_at": batch.now}
        # one statement per table, changed columns and WRITE_PART rows: the writer sends one while the next is made
        for (table_name, _columns), rows in updates.items():
            for start in range(0, len(rows), WRITE_PART):
                writer.update(self._table(table_name), rows[start:start + WRITE_PART], same, guard="version")
        for table_name, rows in touches.items():
            for start in range(0, len(rows), WRITE_PART):
                writer.update(self._table(table_name), rows[start:start + WRITE_PART], guard="version")
        if exits:
            writer.insert(_EXITS, [{"scope": scope, "table_name": table_name, "row_id": row_id, "seq": seq + i}
                                   for i, ((table_name, row_id), scope) in enumerate(exits)])

    def _table(self, name: str) -> Table:
        if name == "sync_conflict":
            return SyncConflict.__table__  # type: ignore[return-value]
        return self.registry.get(name).table

    # ---------------------------------------------------------------- pull
    def pull(self, principal: Principal, raw_cursor: Any, limit: int) -> dict[str, Any]:
        """One page of changes after ``cursor`` for everything the principal may see.

        The page is read in one snapshot; change numbers follow commit order, so a cursor made from
        the last number taken never passes over a row that commits later.
        """
        cursor = parse_cursor(raw_cursor)
        patterns = pull_patterns(principal)
        mask_fp = mask_fingerprint(principal, self._masked_permissions)
        scopes: dict[str, int] = cursor["scopes"]
        purge = sorted(p for p in scopes if p not in patterns)
        if cursor["mask"] != mask_fp:
            scopes = {}  # the right to see masked columns changed: send every row again
        positions = {p: scopes.get(p, 0) for p in patterns}
        with self.factory() as session:
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            compacted = self._compacted(session)
            head = int(session.execute(select(SyncCounter.value).where(SyncCounter.id == 1)).scalar_one())
            # Judged on the positions the client really holds (before any restart for a mask change): a
            # restart from 0 resends live rows but not tombstones already compacted away, so a client
            # holding rows from before the compaction point must re-sync in full.
            held = cursor["scopes"]
            behind = cursor["compacted"] < compacted and any(0 < pos < compacted for pos in held.values())
            if behind:
                return {"resync": True, "compacted_seq": compacted, "purge": [], "tables": {}, "exits": [],
                        "cursor": {"v": 1, "mask": mask_fp, "scopes": {}, "compacted": compacted}, "more": True,
                        "head": head}
            tables: dict[str, dict[str, Any]] = {}
            exits: list[list[Any]] = []
            budget, more, sensitive = limit, False, 0
            for pattern in patterns:
                if budget <= 0:
                    more = True
                    break
                if positions[pattern] >= head:
                    continue  # nothing committed after this position, in any table
                taken, truncated = self._pull_pattern(session, pattern, positions[pattern], budget)
                for _seq, kind, payload in taken:
                    if kind == "exit":
                        exits.append([pattern, payload[1], payload[2]])
                    else:
                        spec = self.registry.get(kind)
                        block = tables.setdefault(kind, {"columns": list(spec.columns), "rows": []})
                        if spec.masked:
                            block["rows"].append(self._masked(spec, principal, list(payload)))
                            sensitive += 1
                        else:
                            block["rows"].append(payload)
                if taken:
                    positions[pattern] = taken[-1][0]
                budget -= len(taken)
                more = more or truncated
            conflicts_clear: dict[str, set[str]] = {}
            if conflict_view.TABLE in tables:  # only conflicts about rows the principal sees, masked
                block = tables[conflict_view.TABLE]
                block["rows"], conflicts_clear = conflict_view.filter_and_mask(
                    session, principal, self.registry, block["columns"], block["rows"])
            session.commit()
        if sensitive or conflicts_clear:
            with self.factory() as session, session.begin():
                self._audit_sensitive_read(session, principal, tables)
                for name, fields in sorted(conflicts_clear.items()):
                    self.audit(session, principal, "read.sensitive", name,
                               {"fields": sorted(fields), "via": "sync.pull", "in": conflict_view.TABLE})
        return {"resync": False, "purge": purge, "tables": tables, "exits": exits,
                "cursor": {"v": 1, "mask": mask_fp, "scopes": positions, "compacted": compacted},
                "more": more, "head": head}

    def _pull_pattern(self, session: Session, pattern: str, after: int,
                      budget: int) -> tuple[list[tuple[int, str, Any]], bool]:
        """The first ``budget`` changes of one scope pattern after ``after``, across all tables, in
        change-number order; and whether more remain.

        The change feed names the page's changes and their tables in one query; then only those tables
        are read, each over its own ``(scope, seq)`` index between ``after`` and the page's last number.
        The cost of a page does not grow with the number of registered tables."""
        conn = session.connection()
        dialect = conn.dialect.name
        wildcard = pattern.endswith(":*")
        params = _pattern_params(pattern, after, budget + 1)
        feed = self._statements.run(conn, "\x00feed", wildcard, params, lambda: self._feed_stmt(wildcard))
        exit_rows = self._statements.run(conn, "", wildcard, params, lambda: self._exits_stmt(wildcard))
        if not feed and not exit_rows:
            return [], False
        numbers = sorted([r[0] for r in feed] + [r[0] for r in exit_rows])
        truncated = len(numbers) > budget
        upto = numbers[min(budget, len(numbers)) - 1]
        names = {name for seq, name in feed if seq <= upto}
        params["upto"] = upto
        streams: list[tuple[str, int, list[Any]]] = []
        for spec in self.registry:
            if spec.name not in names:
                continue
            rows = self._statements.run(conn, spec.name, wildcard, params,
                                        lambda s=spec: self._rows_stmt(s, dialect, wildcard))
            if rows and spec.json_columns and dialect == "sqlite":  # SQLite hands JSON back as text
                at = [spec.columns.index(c) for c in spec.json_columns]
                rows = [_decode_json(r, at) for r in rows]
            if rows:
                streams.append((spec.name, spec.columns.index("seq"), rows))
        exit_rows = [r for r in exit_rows if r[0] <= upto]
        if exit_rows:
            streams.append(("exit", 0, exit_rows))
        if len(streams) == 1:  # the common case: no merge needed
            only_name, only_at, only_rows = streams[0]
            return [(r[only_at], only_name, r) for r in only_rows], truncated
        tagged = [[(r[at], name, r) for r in rows] for name, at, rows in streams]
        return list(heapq.merge(*tagged, key=lambda item: item[0])), truncated

    @staticmethod
    def _feed_stmt(wildcard: bool) -> Any:
        feed: Any = SyncChange.__table__
        return (select(feed.c.seq, feed.c.table_name)
                .where(_scope_param_clause(feed, wildcard), feed.c.seq > bindparam("after"))
                .order_by(feed.c.seq).limit(bindparam("lim")))

    @staticmethod
    def _rows_stmt(spec: SyncedTable, dialect: str, wildcard: bool) -> Any:
        t = spec.table
        return (select(*spec.wire_select(dialect))
                .where(_scope_param_clause(t, wildcard), t.c.seq > bindparam("after"), t.c.seq <= bindparam("upto"))
                .order_by(t.c.seq))

    @staticmethod
    def _exits_stmt(wildcard: bool) -> Any:
        """A pattern's scope exits after ``after``. For ``prefix:*`` an exit of a row that is now in another scope
        the pattern covers (committee:教科文卫 → committee:城建环保) is left out: the row never left the pattern,
        and an exit sent in a later page than the row's move would delete the copy the client just received."""
        ex: Any = ScopeExit.__table__
        stmt = select(ex.c.seq, ex.c.table_name, ex.c.row_id).where(_scope_param_clause(ex, wildcard),
                                                                    ex.c.seq > bindparam("after"))
        if wildcard:
            feed: Any = SyncChange.__table__
            stmt = stmt.where(~exists().where(feed.c.table_name == ex.c.table_name, feed.c.row_id == ex.c.row_id,
                                              _scope_param_clause(feed, wildcard)))
        return stmt.order_by(ex.c.seq).limit(bindparam("lim"))

    @staticmethod
    def _masked(spec: SyncedTable, principal: Principal, values: list[Any]) -> list[Any]:
        if not spec.masked:
            return values
        for name, rule in spec.masked.items():
            if not principal.sees_column(rule.permission):
                idx = spec.columns.index(name)
                values[idx] = rule.apply(values[idx])
        return values

    def _audit_sensitive_read(self, session: Session, principal: Principal, tables: dict[str, Any]) -> None:
        for name, block in tables.items():
            spec = self.registry.get(name)
            shown = [c for c, r in spec.masked.items() if principal.sees_column(r.permission)]
            if shown:
                self.audit(session, principal, "read.sensitive", name,
                           {"rows": len(block["rows"]), "fields": shown, "via": "sync.pull"})

    # ---------------------------------------------------------------- checksums, compaction
    def checksums(self, principal: Principal) -> dict[str, dict[str, int]]:
        """Per-pattern ``{"count", "digest"}`` over (table, id, version) of live rows the principal sees."""
        with self.factory() as session:
            def visible(spec: SyncedTable, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
                if spec.name != conflict_view.TABLE:
                    return rows
                return self._visible_conflict_ids(session, principal, rows)  # as pulled: those about visible rows

            conn = session.connection()
            return {pattern: pattern_checksum(conn, self.registry, pattern, visible)
                    for pattern in pull_patterns(principal)}

    def _visible_conflict_ids(self, session: Session, principal: Principal, rows: list[Any]) -> list[Any]:
        t = SyncConflict.__table__
        ids = [r[0] for r in rows]
        about: dict[str, tuple[str, str, str]] = {}
        for i in range(0, len(ids), 500):
            about.update({c: (u, n, r) for c, u, n, r in session.execute(
                select(t.c.id, t.c.user_id, t.c.table_name, t.c.row_id).where(t.c.id.in_(ids[i:i + 500])))})
        keys = [about[r[0]] for r in rows]
        return [r for r, ok in zip(rows, conflict_view.visible_conflicts(session, principal, self.registry, keys),
                                   strict=True) if ok]

    @staticmethod
    def _compacted(session: Session) -> int:
        meta = session.get(SyncMeta, "compacted_seq")
        return int(meta.value) if meta is not None else 0

    def compact(self, upto_seq: int | None = None) -> dict[str, int]:
        """Drop tombstones and scope exits at or below ``upto_seq`` (default: the newest change).

        Clients whose cursor is behind this point are told to re-sync in full.
        """
        with self.factory() as session, session.begin():
            ensure_counter(session)
            head = session.execute(select(SyncCounter.value).where(SyncCounter.id == 1)).scalar_one()
            point = head if upto_seq is None else min(upto_seq, head)
            removed = 0
            for spec in self.registry:
                t = spec.table
                result = session.execute(delete(t).where(t.c.deleted.is_(True), t.c.seq <= point))
                removed += getattr(result, "rowcount", 0) or 0
            session.execute(delete(ScopeExit).where(ScopeExit.seq <= point))
            meta = session.get(SyncMeta, "compacted_seq")
            if meta is None:
                session.add(SyncMeta(key="compacted_seq", value=point))
            else:
                meta.value = max(int(meta.value), point)
        return {"compacted_seq": point, "tombstones_removed": removed}

    def head(self) -> int:
        with self.factory() as session:
            value = session.execute(select(func.max(SyncCounter.value))).scalar()
            return int(value or 0)


def _decode_json(row: Any, positions: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for i in positions:
        if isinstance(values[i], str):
            values[i] = orjson.loads(values[i])
    return tuple(values)


def _scope_param_clause(table: Any, wildcard: bool) -> Any:
    """``scope = :scope_eq``, or for ``prefix:*`` patterns the index-friendly range
    ``scope >= :scope_lo AND scope < :scope_hi``."""
    col = table.c.scope
    if wildcard:
        return and_(col >= bindparam("scope_lo"), col < bindparam("scope_hi"))
    return col == bindparam("scope_eq")


def _pattern_params(pattern: str, after: int, limit: int) -> dict[str, Any]:
    if pattern.endswith(":*"):
        prefix = pattern[:-1]
        return {"scope_eq": None, "scope_lo": prefix, "scope_hi": prefix[:-1] + chr(ord(prefix[-1]) + 1),
                "after": after, "lim": limit}
    return {"scope_eq": pattern, "scope_lo": None, "scope_hi": None, "after": after, "lim": limit}


class _StatementCache:
    """Pull statements compiled once per table and dialect; a page then costs one driver call per table."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, bool, str], tuple[Any, str]] = {}

    def run(self, conn: Any, key: str, wildcard: bool, params: dict[str, Any], build: Any) -> list[Any]:
        cache_key = (key, wildcard, conn.dialect.name)
        entry = self._compiled.get(cache_key)
        if entry is None:
            compiled = build().compile(dialect=conn.dialect)
            entry = (compiled, str(compiled))
            self._compiled[cache_key] = entry
        compiled, sql = entry
        named = compiled.construct_params(params)
        args: Any = [named[name] for name in compiled.positiontup] if compiled.positional else named
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, args)
            return list(cursor.fetchall())
        finally:
            cursor.close()


def _fetch_plain(conn: Any, stmt: Any) -> list[Any]:
    """Run a SELECT on the driver's cursor and return its plain tuples (no per-row wrapping); pull
    pages are large and their rows go straight to JSON."""
    compiled = stmt.compile(dialect=conn.dialect)
    named = compiled.construct_params()
    params: Any = [named[name] for name in compiled.positiontup or ()] if compiled.positional else named
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def masked_rules(registry: SyncRegistry = REGISTRY) -> dict[str, dict[str, MaskRule]]:
    return {t.name: t.masked for t in registry}


__all__ = ["APPLIED", "CONFLICT", "MERGED", "REJECTED", "ProtocolError", "SyncService"]

_APPLIED: Table = AppliedMutation.__table__  # type: ignore[assignment]
_EXITS: Table = ScopeExit.__table__  # type: ignore[assignment]
_COUNTER_ADD = f"UPDATE {SyncCounter.__tablename__} SET value = value + %s WHERE id = 1"
