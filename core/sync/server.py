"""The server half of sync: applies pushed mutations exactly once with a field-level three-way merge,
serves pull pages from a commit-safe per-scope cursor, computes scope checksums, compacts tombstones."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import JSON, and_, bindparam, delete, func, literal, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import Principal
from core.models.base import MaskRule, SyncedMixin
from core.models.identity import Device
from core.models.registry import SyncConflict
from core.models.syncstate import AppliedMutation, ScopeExit, SyncCounter, SyncMeta
from core.sync import conflict_view
from core.sync.permissions import check_write
from core.sync.protocol import Mutation, ProtocolError, parse_cursor
from core.sync.schema import REGISTRY, SchemaError, SyncedTable, SyncRegistry
from core.sync.scopes import mask_fingerprint, pull_patterns, row_digest, scope_clause
from core.sync.stamping import ensure_counter, touch, version_after_commit

AuditHook = Callable[[Session, Principal, str, str, dict[str, Any]], None]

APPLIED, MERGED, CONFLICT, REJECTED = "applied", "merged", "conflict", "rejected"


@dataclass
class _Outcome:
    status: str
    message: str = ""
    conflicts: tuple[str, ...] = ()
    version: int = 0


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

    # ---------------------------------------------------------------- push
    def push(self, principal: Principal, device_id: str, raw_mutations: Iterable[Any]) -> list[dict[str, Any]]:
        """Apply mutations in one transaction; each answered applied / merged / conflict / rejected.

        A mutation id seen before is answered from the log without touching data.
        """
        mutations = [Mutation.parse(m) for m in raw_mutations]
        results: list[dict[str, Any]] = []
        with self.factory() as session, session.begin():
            session.info["actor"] = principal.username
            ensure_counter(session)
            seen = {m.mutation_id: m for m in session.scalars(
                select(AppliedMutation).where(AppliedMutation.mutation_id.in_([m.mutation_id for m in mutations]))
            )} if mutations else {}
            loaded = self._preload(session, [m for m in mutations if m.mutation_id not in seen])
            changed = 0
            for mutation in mutations:
                if mutation.mutation_id in seen:
                    results.append(dict(seen[mutation.mutation_id].result, replayed=True))
                    continue
                outcome = self._apply(session, principal, mutation, loaded)
                result = {"mutation_id": mutation.mutation_id, "status": outcome.status,
                          "message": outcome.message, "conflicts": list(outcome.conflicts),
                          "version": outcome.version}
                row = AppliedMutation(mutation_id=mutation.mutation_id, device_id=device_id,
                                      user_id=principal.user_id, result=result)
                session.add(row)
                seen[mutation.mutation_id] = row
                results.append(result)
                changed += outcome.status != REJECTED
            if device_id and mutations:
                device = session.get(Device, device_id)
                if device is not None and device.user_id == principal.user_id:
                    device.last_outbox_seq = max(device.last_outbox_seq, max(m.local_seq for m in mutations))
            if changed:
                self.audit(session, principal, "sync.push", device_id,
                           {"mutations": len(mutations), "changed": changed})
        return results

    def _apply(self, session: Session, principal: Principal, m: Mutation,
               loaded: dict[tuple[str, str], SyncedMixin | None]) -> _Outcome:
        try:
            spec = self.registry.get(m.table)
            changes = self._decode_fields(spec, m.changes, principal)
            base = self._decode_fields(spec, m.base, principal, check_mask=False)
        except SchemaError as exc:
            return self._reject(session, principal, m, str(exc))
        model = spec.model
        key = (m.table, m.row_id)
        if key in loaded:  # looked up by the batch's preload (None: not on the server)
            row = loaded[key]
        else:
            with session.no_autoflush:
                row = session.get(model, m.row_id)
        if getattr(model.sync_refusal, "__func__", None) is not _NO_FIELD_RULES:  # only tables with field rules
            reason = None
            if row is not None and principal.sees_scope(row.scope):
                current = {c: getattr(row, c) for c in spec.user_columns}
                reason = model.sync_refusal(principal.can, "update", changes, current)
            elif row is None:
                defaults = {c.name: _scalar_default(c) for c in spec.table.columns if c.name in spec.user_columns}
                reason = model.sync_refusal(principal.can, m.op, changes, defaults)
            if reason:
                return self._reject(session, principal, m, reason)
        reason = check_write(session, spec, principal, m.op, row, changes, loaded)
        if reason:
            return self._reject(session, principal, m, reason)
        if row is None or not principal.sees_scope(row.scope):
            if row is not None or m.op != "insert":
                return self._reject(session, principal, m, "记录不存在或无权修改")
            values: dict[str, Any] = {c.name: _scalar_default(c) for c in spec.table.columns
                                      if c.name in spec.user_columns}
            values.update(changes)
            scope = spec.scope_for(values)
            if not principal.may_write_scope(scope):
                return self._reject(session, principal, m, f"无权在范围“{scope}”中新增记录")
            missing = [c.name for c in spec.table.columns
                       if c.name in spec.user_columns and not c.nullable and values.get(c.name) is None]
            if missing:
                return self._reject(session, principal, m, f"缺少必填字段：{', '.join(missing)}")
            row = model(id=m.row_id, **values)  # type: ignore[call-arg]
            row.scope = scope  # known now; a later mutation in the same batch checks it before the flush
            session.add(row)
            loaded[(m.table, m.row_id)] = row
            return _Outcome(APPLIED, version=1)
        return self._merge(session, principal, spec, row, m, base, changes)

    def _preload(self, session: Session, mutations: list[Mutation]) -> dict[tuple[str, str], SyncedMixin | None]:
        """Load every row a batch touches with one query per table; the caller keeps them referenced.
        Ids asked for and not found map to None, so inserts need no query of their own."""
        by_table: dict[str, list[str]] = {}
        for m in mutations:
            by_table.setdefault(m.table, []).append(m.row_id)
        loaded: dict[tuple[str, str], SyncedMixin | None] = {}
        for name, ids in by_table.items():
            spec = self.registry._tables.get(name)
            if spec is None:
                continue
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for row in session.scalars(select(spec.model).where(spec.model.id.in_(chunk))):
                    loaded[(name, row.id)] = row
                for row_id in chunk:
                    loaded.setdefault((name, row_id), None)
        return loaded

    def _merge(self, session: Session, principal: Principal, spec: SyncedTable, row: SyncedMixin,
               m: Mutation, base: dict[str, Any], changes: dict[str, Any]) -> _Outcome:
        stale = row.version != m.base_version
        wants_delete = changes.get("deleted") is True
        if row.deleted and changes.get("deleted") is not False:
            self._conflict(session, principal, m, "update_deleted", "", None, None, m.changes,
                           "这条记录已被他人删除，您的修改未生效")
            touch(session, row)
            return _Outcome(CONFLICT, "记录已被删除", ("deleted",), row.version)
        if wants_delete and stale:
            self._conflict(session, principal, m, "delete", "deleted", False, False, True,
                           "您删除时，这条记录已被他人修改；记录保留，请确认是否仍要删除")
            touch(session, row)
            return _Outcome(CONFLICT, "删除与他人修改冲突", ("deleted",), row.version)
        proposed = {c: getattr(row, c) for c in spec.user_columns}
        proposed["deleted"] = row.deleted
        conflicts: list[str] = []
        for name, new in changes.items():
            current = getattr(row, name)
            if current == new:
                continue
            if not stale or (name in base and base[name] == current):
                proposed[name] = new
            else:
                conflicts.append(name)
        new_scope = spec.scope_for(proposed)
        if new_scope != row.scope and not principal.may_write_scope(new_scope):
            return self._reject(session, principal, m, f"无权把记录移入范围“{new_scope}”")
        for name in conflicts:
            self._conflict(session, principal, m, "field", name, spec.encode(name, base.get(name)),
                           spec.encode(name, getattr(row, name)), m.changes[name],
                           "您和他人同时修改了这个字段；已保留服务器上的值")
        for name, value in proposed.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        version = row.version
        if session.is_modified(row, include_collections=False):
            version = version_after_commit(session, row)
        else:
            touch(session, row)
        status = CONFLICT if conflicts else (MERGED if stale else APPLIED)
        return _Outcome(status, conflicts=tuple(conflicts), version=version)

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

    def _reject(self, session: Session, principal: Principal, m: Mutation, reason: str) -> _Outcome:
        self._conflict(session, principal, m, "rejected", "", None, None, m.changes, reason)
        spec = self.registry._tables.get(m.table)
        if spec is not None:
            row = session.get(spec.model, m.row_id)
            if row is not None and principal.sees_scope(row.scope):
                touch(session, row)
        return _Outcome(REJECTED, reason)

    def _conflict(self, session: Session, principal: Principal, m: Mutation, kind: str, field: str,
                  base: Any, server: Any, client: Any, reason: str) -> None:
        session.add(SyncConflict(table_name=m.table[:60], row_id=m.row_id, field=field, kind=kind,
                                 base_value=base, server_value=server, client_value=client, reason=reason,
                                 user_id=principal.user_id, mutation_id=m.mutation_id))

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
            heads = self._table_heads(session)
            for pattern in patterns:
                if budget <= 0:
                    more = True
                    break
                if positions[pattern] >= head:
                    continue  # nothing committed after this position, in any table
                taken, truncated = self._pull_pattern(session, pattern, positions[pattern], budget, heads)
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

    def _table_heads(self, session: Session) -> dict[str, int]:
        """The highest change number of every synced table (and of scope exits, under ``""``), in one
        statement over the ``seq`` indexes; a table whose head is at or below a position is not asked."""
        conn = session.connection()
        rows = self._statements.run(conn, "\x00heads", False, {}, self._heads_stmt)
        return {name: int(top or 0) for name, top in rows}

    def _heads_stmt(self) -> Any:
        ex: Any = ScopeExit.__table__
        parts = [select(literal(spec.name), func.max(spec.table.c.seq)) for spec in self.registry]
        parts.append(select(literal(""), func.max(ex.c.seq)))
        return union_all(*parts)

    def _pull_pattern(self, session: Session, pattern: str, after: int, budget: int,
                      heads: dict[str, int] | None = None) -> tuple[list[tuple[int, str, Any]], bool]:
        """The first ``budget`` changes of one scope pattern after ``after``, across all tables, in
        change-number order; and whether more remain. ``heads`` (table → highest change number) lets
        tables with nothing after ``after`` be skipped."""
        conn = session.connection()
        dialect = conn.dialect.name
        params = _pattern_params(pattern, after, budget + 1)
        wildcard = pattern.endswith(":*")
        streams: list[tuple[str, int, list[Any]]] = []
        for spec in self.registry:
            if heads is not None and heads.get(spec.name, after + 1) <= after:
                continue
            rows = self._statements.run(conn, spec.name, wildcard, params,
                                        lambda s=spec: self._rows_stmt(s, dialect, wildcard))
            if rows and spec.json_columns and dialect == "sqlite":  # SQLite hands JSON back as text
                at = [spec.columns.index(c) for c in spec.json_columns]
                rows = [_decode_json(r, at) for r in rows]
            if rows:
                streams.append((spec.name, spec.columns.index("seq"), rows))
        exit_rows: list[Any] = []
        if heads is None or heads.get("", after + 1) > after:
            exit_rows = self._statements.run(conn, "", wildcard, params, lambda: self._exits_stmt(wildcard))
        if exit_rows:
            streams.append(("exit", 0, exit_rows))
        if len(streams) == 1:  # the common case: no merge needed
            only_name, only_at, only_rows = streams[0]
            taken = [(r[only_at], only_name, r) for r in only_rows[:budget]]
            return taken, len(only_rows) > budget
        tagged = [[(r[at], name, r) for r in rows] for name, at, rows in streams]
        merged = list(heapq.merge(*tagged, key=lambda item: item[0]))
        return merged[:budget], len(merged) > budget

    @staticmethod
    def _rows_stmt(spec: SyncedTable, dialect: str, wildcard: bool) -> Any:
        t = spec.table
        return (select(*spec.wire_select(dialect)).where(_scope_param_clause(t, wildcard), t.c.seq > bindparam("after"))
                .order_by(t.c.seq).limit(bindparam("lim")))

    @staticmethod
    def _exits_stmt(wildcard: bool) -> Any:
        ex: Any = ScopeExit.__table__
        return (select(ex.c.seq, ex.c.table_name, ex.c.row_id)
                .where(_scope_param_clause(ex, wildcard), ex.c.seq > bindparam("after"))
                .order_by(ex.c.seq).limit(bindparam("lim")))

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
        out: dict[str, dict[str, int]] = {}
        with self.factory() as session:
            for pattern in pull_patterns(principal):
                count, digest = 0, 0
                for spec in self.registry:
                    t = spec.table
                    rows = list(session.execute(
                        select(t.c.id, t.c.version).where(scope_clause(t, pattern), t.c.deleted.is_(False))
                    ).all())
                    if spec.name == conflict_view.TABLE and rows:  # as pulled: only those about visible rows
                        rows = self._visible_conflict_ids(session, principal, rows)
                    for row_id, version in rows:
                        count += 1
                        digest = (digest + row_digest(spec.name, row_id, version)) % 2**64
                out[pattern] = {"count": count, "digest": digest}
        return out

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


_NO_FIELD_RULES = SyncedMixin.sync_refusal.__func__  # type: ignore[attr-defined]
"""The default :meth:`SyncedMixin.sync_refusal`: tables that keep it have no field rules to check."""


def _scalar_default(column: Any) -> Any:
    """A column's default for a pushed insert that left it out: scalars as given, and a fresh empty
    container for JSON columns defaulting to ``dict`` or ``list``."""
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


def masked_rules(registry: SyncRegistry = REGISTRY) -> dict[str, dict[str, MaskRule]]:
    return {t.name: t.masked for t in registry}


__all__ = ["APPLIED", "CONFLICT", "MERGED", "REJECTED", "ProtocolError", "SyncService"]
