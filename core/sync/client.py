"""The client half of sync: a local store whose edits go to an outbox, and a sync run that pushes the
outbox, pulls pages from the cursor (resumable at any page), and checks and repairs scopes."""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.ids import uuid7
from core.models.base import SyncedMixin, fill_scalar_defaults
from core.models.registry import Attachment
from core.models.syncstate import ClientState, OutboxEntry
from core.sync.blobs import AttachmentRefused, BlobStore, check_attachment, sha256_hex
from core.sync.outbox import APPLYING_REMOTE, install_outbox_capture
from core.sync.protocol import DEFAULT_PULL_LIMIT, MAX_PUSH_BATCH, PUSH_IN_FLIGHT
from core.sync.schema import REGISTRY, SchemaError, SyncedTable, SyncRegistry, sqlite_timestamp
from core.sync.scopes import pattern_checksum, pattern_matches, scope_clause
from core.sync.transport import Cancelled, NetworkError, PushOutOfTurn, SyncError, SyncTransport

Progress = Callable[[str, int, int | None], None]
PUSH_BATCH = MAX_PUSH_BATCH
_CHUNK = 500


@dataclass
class SyncReport:
    """What one sync run did, for the status bar and the log."""

    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled_rows: int = 0
    pages: int = 0
    full_resync: bool = False
    repaired_scopes: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"上传 {self.pushed} 条", f"下载 {self.pulled_rows} 条"]
        if self.conflicts:
            parts.append(f"冲突 {self.conflicts} 条待处理")
        if self.rejected:
            parts.append(f"被拒绝 {self.rejected} 条")
        if self.full_resync:
            parts.append("已完整重新同步")
        if self.repaired_scopes:
            parts.append(f"已修复 {len(self.repaired_scopes)} 个数据范围")
        return "，".join(parts)


@dataclass
class PushTally:
    """How the server answered a batch of outbox entries."""

    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    messages: list[str] = field(default_factory=list)

    def count(self, result: dict[str, Any]) -> bool:
        """Count one answer; True when the server refused the mutation."""
        status = result.get("status")
        if status == "applied":
            self.applied += 1
        elif status == "merged":
            self.merged += 1
        elif status == "conflict":
            self.conflicts += 1
        else:
            self.rejected += 1
            self.messages.append(str(result.get("message", "")))
            return True
        return False

    def add_to(self, report: Any) -> None:
        """Add these counts to a report with the same field names (sync run or bundle import)."""
        report.applied += self.applied
        report.merged += self.merged
        report.conflicts += self.conflicts
        report.rejected += self.rejected
        report.messages.extend(self.messages)


class PendingEdit(NamedTuple):
    """An outbox entry as read for a push: plain values, and ``base`` and ``changes`` as the JSON text they are
    stored as, sent on as they are (a push of thousands of edits decoded and encoded them again for nothing)."""

    local_seq: int
    mutation_id: str
    table_name: str
    row_id: str
    op: str
    base_version: int
    base_json: str
    changes_json: str

    @property
    def changes(self) -> dict[str, Any]:
        value: dict[str, Any] = orjson.loads(self.changes_json)
        return value


_OUTBOX: Any = OutboxEntry.__table__
_PENDING_SQL = ("SELECT local_seq, mutation_id, table_name, row_id, op, base_version, base, changes "
                f"FROM {_OUTBOX.name} WHERE local_seq > ? ORDER BY local_seq LIMIT ?")


def _pushes_in_flight(transport: Any) -> int:
    """How many pushes may be on the wire at once: what the transport says, if its ``push`` takes ``after``
    (a wrapper that passes attributes on to a network transport but not ``after`` gets one at a time)."""
    depth = getattr(transport, "pushes_in_flight", 1)
    if not isinstance(depth, int) or depth <= 1:
        return 1
    try:
        takes_after = "after" in inspect.signature(transport.push).parameters
    except (TypeError, ValueError):
        takes_after = False
    return min(depth, PUSH_IN_FLIGHT) if takes_after else 1


def _messages(batch: Sequence[PendingEdit]) -> list[dict[str, Any]]:
    return [{"mutation_id": e.mutation_id, "table": e.table_name, "row_id": e.row_id, "op": e.op,
             "base_version": e.base_version, "base": orjson.Fragment(e.base_json),
             "changes": orjson.Fragment(e.changes_json), "local_seq": e.local_seq}
            for e in batch]


def settle_outbox(s: Session, registry: SyncRegistry, entries: Sequence[PendingEdit | OutboxEntry],
                  answers: dict[str, dict[str, Any]]) -> PushTally:
    """Record the server's answers to ``entries`` (HTTP or bundle): the answered entries leave the outbox,
    and a refused row the server never had (version 0) with no edit still waiting is dropped locally;
    its values stay in the conflict record the server keeps. So is a row whose edit was refused because the
    user may no longer see it (the answer says ``drop``): the server never sends it again."""
    tally = PushTally()
    refused: set[tuple[str, str]] = set()
    unseen: set[tuple[str, str]] = set()
    for entry in entries:
        answer = answers[entry.mutation_id]
        if tally.count(answer):
            refused.add((entry.table_name, entry.row_id))
            if answer.get("drop"):
                unseen.add((entry.table_name, entry.row_id))
    outbox: Any = OutboxEntry.__table__
    if entries:
        s.connection().exec_driver_sql(f"DELETE FROM {outbox.name} WHERE mutation_id = ?",
                                       [(e.mutation_id,) for e in entries])
    inserted = [[e.table_name, e.row_id] for e in entries
                if e.op == "insert" and (e.table_name, e.row_id) not in refused]
    if inserted:
        LocalStore.put_state(s, ANSWERED_INSERTS, [*_answered_inserts(s), *inserted])
    for table_name, row_id in refused:
        waiting = s.execute(select(outbox.c.local_seq).where(outbox.c.row_id == row_id).limit(1)).first()
        if waiting is None:
            spec = registry.get(table_name)
            if (table_name, row_id) in unseen:  # the user may no longer see it: the local copy goes
                s.execute(delete(spec.table).where(spec.table.c.id == row_id))
            else:
                s.execute(delete(spec.table).where(spec.table.c.id == row_id, spec.table.c.version == 0))
    return tally


ANSWERED_INSERTS = "answered_inserts"
"""Client state: rows this computer created whose insert the server applied, until a pull brings them back."""


def _answered_inserts(s: Session) -> list[list[str]]:
    row = s.get(ClientState, ANSWERED_INSERTS)
    return list(row.value or []) if row is not None else []


def drop_unseen_inserts(s: Session, registry: SyncRegistry) -> int:
    """After the last page of a pull: drop the local rows this computer created, the server applied and the user
    may no longer see (no pattern of the cursor, which the server decided, covers their scope); returns how many.

    Such a row never came from the server, so no purge or scope exit names it: a user who created a record
    under one role and lost that role before pulling it kept the copy for good. A row the pull brought back
    (version above 0) or that is gone is settled; one with an edit still waiting stays until that is answered."""
    listed = _answered_inserts(s)
    if not listed:
        return 0
    patterns = list(_cursor_in(s).get("scopes", {}))
    by_table: dict[str, list[str]] = {}
    for table_name, row_id in listed:
        by_table.setdefault(table_name, []).append(row_id)
    keep: list[list[str]] = []
    dropped = 0
    for table_name, ids in by_table.items():
        spec = registry._tables.get(table_name)
        if spec is None:
            continue
        t = spec.table
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            waiting = set(s.scalars(select(OutboxEntry.row_id).where(OutboxEntry.row_id.in_(chunk))))
            local = s.execute(select(t.c.id, t.c.scope).where(t.c.id.in_(chunk), t.c.version == 0))
            unseen = []
            for row_id, scope in local:
                if row_id in waiting or any(pattern_matches(p, scope) for p in patterns):
                    keep.append([table_name, row_id])
                else:
                    unseen.append(row_id)
            if unseen:
                s.execute(delete(t).where(t.c.id.in_(unseen)))
                dropped += len(unseen)
    LocalStore.put_state(s, ANSWERED_INSERTS, keep)
    return dropped


def wipe_for_resync(store: LocalStore) -> None:
    """Drop every synced row without pending local edits and reset the cursor (the server sends all)."""
    with store.remote_session() as s, s.begin():
        pending = {r for (r,) in s.execute(select(OutboxEntry.row_id))}
        for spec in store.registry:
            t = spec.table
            if pending:
                s.execute(delete(t).where(t.c.id.not_in(pending)))
            else:
                s.execute(delete(t))
        LocalStore.put_state(s, "cursor", {})


class LocalStore:
    """A client's local database: synced tables, the outbox, sync state and local blobs."""

    def __init__(self, engine: Engine, blob_dir: Path, registry: SyncRegistry = REGISTRY) -> None:
        self.engine = engine
        self.registry = registry
        self.factory: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False,
                                                           info={"permissions": frozenset()})
        install_outbox_capture(self.factory, registry)
        self.blobs = BlobStore(blob_dir)

    def set_permissions(self, permissions: frozenset[str] | set[str]) -> None:
        """Permissions of the signed-in user: which masked fields the user may edit here."""
        self.factory.kw["info"] = {"permissions": frozenset(permissions)}

    def session(self) -> Session:
        return self.factory()

    def remote_session(self) -> Session:
        """A session whose writes come from the server and must not enter the outbox."""
        return self.factory(info={APPLYING_REMOTE: True})

    # state ------------------------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        with self.factory() as s:
            row = s.get(ClientState, key)
            return default if row is None else row.value

    @staticmethod
    def put_state(session: Session, key: str, value: Any) -> None:
        row = session.get(ClientState, key)
        if row is None:
            session.add(ClientState(key=key, value=value))
        else:
            row.value = value

    def device_id(self) -> str:
        current = self.get_state("device_id")
        if current:
            return str(current)
        with self.factory() as s, s.begin():
            row = s.get(ClientState, "device_id")
            if row is None:
                row = ClientState(key="device_id", value=uuid7())
                s.add(row)
            return str(row.value)

    def cursor(self) -> dict[str, Any]:
        return dict(self.get_state("cursor", {}) or {})

    def pending_count(self) -> int:
        with self.factory() as s:
            return int(s.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())

    # attachments ------------------------------------------------------------------------
    def attach(self, session: Session, owner: SyncedMixin, data: bytes, filename: str) -> Attachment:
        """Keep a file for ``owner`` (works offline): the bytes go to the local blob store, the
        metadata row to the outbox; the sync run uploads the bytes before the row."""
        mime = check_attachment(data, filename)
        sha = self.blobs.put(data)
        att = Attachment(sha256=sha, size=len(data), mime=mime, filename=filename[:200],
                         owner_table=owner.__tablename__, owner_id=owner.id,  # type: ignore[attr-defined]
                         owner_scope=owner.scope or _scope_of(owner))
        session.add(att)
        return att


class SyncClient:
    """Runs sync for one local store against one transport. Thread-safe to call from one worker."""

    def __init__(self, store: LocalStore, transport: SyncTransport, page_limit: int = DEFAULT_PULL_LIMIT,
                 verify_interval: timedelta = timedelta(hours=6)) -> None:
        self.store = store
        self.verify_interval = verify_interval
        self.transport = transport
        self.registry = store.registry
        self.page_limit = page_limit
        self._lock = threading.Lock()

    # --------------------------------------------------------------------------- the run
    def sync(self, progress: Progress | None = None, cancel: threading.Event | None = None,
             verify: bool | None = None) -> SyncReport:
        """Push the outbox, pull every page, then compare scope checksums with the server and repair any
        scope that diverged: always with ``verify=True``, never with ``False``, and by default when the
        last check is older than ``verify_interval``."""
        report = SyncReport()
        with self._lock:
            self.push(report, progress, cancel)
            self.pull(report, progress, cancel)
            if verify or (verify is None and self._verification_due()):
                try:
                    self.verify_and_repair(report, progress, cancel)
                except NetworkError as exc:
                    if verify:
                        raise
                    report.messages.append(f"数据校验未完成：{exc}")
        return report

    def _verification_due(self) -> bool:
        last = self.store.get_state("last_verified")
        if not last:
            return True
        try:
            return datetime.now(UTC) - datetime.fromisoformat(str(last)) > self.verify_interval
        except ValueError:
            return True

    @staticmethod
    def _check(cancel: threading.Event | None) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled("同步已取消；已完成的部分已保存，下次从这里继续")

    # --------------------------------------------------------------------------- push
    def push(self, report: SyncReport, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> None:
        """Send the outbox in batches of :data:`PUSH_BATCH`, oldest first, in order (the server applies a
        device's edits in order).

        The client's own work overlaps the server's: while a batch is on the wire the next is read from the
        outbox and the answers to the last are settled. Over a network (a transport whose ``pushes_in_flight``
        is :data:`PUSH_IN_FLIGHT`) the next batch is on its way as well, naming the last mutation of the one
        ahead of it: the server applies it only once that one is applied, and otherwise applies nothing of it
        and says so (:class:`PushOutOfTurn`); it is then sent again, alone, once the one ahead is answered. So
        the order and the once-only answers are those of a plain loop. A cancel or a failure waits for what is
        on the wire and settles every answer that came back before it stops.
        """
        device_id = self.store.device_id()
        total = self.store.pending_count()
        depth = _pushes_in_flight(self.transport)
        done = 0
        flight: deque[tuple[list[PendingEdit], Future[list[dict[str, Any]]]]] = deque()

        def settle(sent: list[PendingEdit], answers: dict[str, dict[str, Any]]) -> None:
            nonlocal done
            done += self._settle(report, sent, answers)
            if progress:
                progress("push", done, max(total, done))

        send: Any = self.transport.push  # with ``after`` when the transport keeps more than one push on the wire
        batch = self._outbox_batch(after=None)
        with ThreadPoolExecutor(max_workers=depth, thread_name_prefix="sync-push") as wire:
            try:
                while batch or flight:
                    while batch and len(flight) < depth:
                        self._check(cancel)
                        self._upload_blobs(batch)
                        messages = _messages(batch)
                        request = (wire.submit(send, device_id, messages, flight[-1][0][-1].mutation_id)
                                   if flight else wire.submit(send, device_id, messages))
                        flight.append((batch, request))
                        batch = self._outbox_batch(after=batch[-1].local_seq)
                    sent, request = flight.popleft()
                    try:
                        results = request.result()
                    except PushOutOfTurn:  # it got there before the one ahead, which is answered now: again, alone
                        results = self.transport.push(device_id, _messages(sent))
                    settle(sent, self._answers(sent, results))
            finally:
                while flight:  # still on the wire when a failure or a cancel stopped the loop
                    sent, request = flight.popleft()
                    try:
                        answers = self._answers(sent, request.result())
                    except SyncError:  # not answered, or not applied: it stays in the outbox
                        continue
                    settle(sent, answers)

    def _outbox_batch(self, after: int | None) -> list[PendingEdit]:
        """The next :data:`PUSH_BATCH` outbox entries after local sequence ``after`` (from the start: None)."""
        with self.store.session() as s:
            rows = s.connection().exec_driver_sql(_PENDING_SQL, (-1 if after is None else after, PUSH_BATCH))
            return [PendingEdit(*row) for row in rows]

    @staticmethod
    def _answers(batch: Sequence[PendingEdit], results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        by_id = {r["mutation_id"]: r for r in results}
        if set(by_id) != {e.mutation_id for e in batch}:
            raise SyncError("服务器的答复与上传的修改不对应，已停止同步；数据未丢失，请稍后重试")
        return by_id

    def _settle(self, report: SyncReport, batch: list[PendingEdit], answers: dict[str, dict[str, Any]]) -> int:
        with self.store.remote_session() as s, s.begin():
            tally = settle_outbox(s, self.registry, batch, answers)
        report.pushed += len(batch)
        tally.add_to(report)
        return len(batch)

    def _upload_blobs(self, batch: Sequence[PendingEdit]) -> None:
        for entry in batch:
            if entry.table_name != Attachment.__tablename__ or entry.op != "insert":
                continue
            sha = entry.changes.get("sha256")
            if isinstance(sha, str) and self.store.blobs.has(sha):
                self.transport.upload_blob(sha, self.store.blobs.get(sha), str(entry.changes.get("filename", "")))

    def open_attachment(self, sha256: str) -> bytes:
        """The bytes of an attachment, fetched from the server the first time (hash checked)."""
        if self.store.blobs.has(sha256):
            return self.store.blobs.get(sha256)
        data = self.transport.fetch_blob(sha256)
        if sha256_hex(data) != sha256:
            raise AttachmentRefused("下载的附件内容与编号不符，已丢弃")
        self.store.blobs.put(data, sha256)
        return data

    # --------------------------------------------------------------------------- pull
    def pull(self, report: SyncReport, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> None:
        """Pull pages until the server has no more, one request in flight at a time.

        While page *k* is written locally, page *k + 1* is already asked for with the cursor page *k* will
        leave behind, so the server's work and the wire overlap the local write. The answer is used only if
        the cursor after the write is exactly the one it was asked with; otherwise it is dropped unread and
        the page asked for again, so the pipelining never changes what is applied.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as wire:
            ahead: tuple[dict[str, Any], Future[dict[str, Any]]] | None = None
            while True:
                self._check(cancel)
                cursor = self.store.cursor()
                if ahead is not None and ahead[0] == cursor:
                    page = ahead[1].result()
                else:
                    if ahead is not None:
                        _drop(ahead[1])
                    page = self.transport.pull(cursor, self.page_limit)
                ahead = None
                if page.get("resync"):
                    self.push(report, progress, cancel)
                    wipe_for_resync(self.store)
                    report.full_resync = True
                    continue
                if page.get("more"):
                    expected = dict(_merge_cursor(cursor, page["cursor"]),
                                    head=max(int(page.get("head", 0)), int(cursor.get("head", 0))))
                    ahead = (expected, wire.submit(self.transport.pull, expected, self.page_limit))
                try:
                    rows = self.apply_page(page, asked=cursor)
                except BaseException:
                    if ahead is not None:
                        _drop(ahead[1])
                    raise
                if page.get("more") and self.store.cursor() == cursor:
                    if ahead is not None:
                        _drop(ahead[1])
                    raise SyncError("同步没有进展（服务器反复返回同一页），已停止；数据未受影响，请联系管理员")
                report.pages += 1
                report.pulled_rows += rows
                if progress:
                    progress("pull", report.pulled_rows, None)
                if not page.get("more"):
                    return

    def apply_page(self, page: dict[str, Any], asked: dict[str, Any] | None = None) -> int:
        """Apply one pull page and advance the cursor in one local transaction; replays change nothing.

        ``asked`` is the cursor the page was asked for with: a page answering another cursor than the one held
        now (a reply package imported, or another sync run, while the request was on the wire) is dropped, as
        its rows were chosen for that cursor's patterns. Under a role the user has lost since, they are rows
        the user may no longer see, and no later page would purge them."""
        count = 0
        with self.store.remote_session() as s, s.begin():
            current = _cursor_in(s)
            if asked is not None and asked != current:
                return 0
            head = int(page.get("head", 0))
            if head < int(current.get("head", 0)):
                return 0  # a stale page delivered late: everything in it is already superseded
            new_cursor = dict(_merge_cursor(current, page["cursor"]), head=head)
            for pattern in page.get("purge", []):
                self._purge_pattern(s, pattern, list(new_cursor.get("scopes", {})))
            # Exits first: a row in this page is in its current scope with a newer change number than
            # any exit of it, so a row that left a scope and came back is deleted, then restored.
            # An exit is no newer than the page's position for its pattern: a local copy with a later change
            # number came back after it (in a later page, this page being answered again late) and stays.
            positions = page["cursor"].get("scopes", {})
            for pattern, table, row_id in page.get("exits", []):
                spec = self.registry.get(table)
                local = s.execute(select(spec.table.c.scope, spec.table.c.seq)
                                  .where(spec.table.c.id == row_id)).first()
                if local is None or not pattern_matches(pattern, local.scope):
                    continue
                if pattern in positions and int(local.seq or 0) > int(positions[pattern]):
                    continue
                s.execute(delete(spec.table).where(spec.table.c.id == row_id))
            for name, block in page.get("tables", {}).items():
                count += self._apply_rows(s, self.registry.get(name), block)
            LocalStore.put_state(s, "cursor", new_cursor)
            if not page.get("more"):  # the last page of a pull (or of a reply package): the cursor is complete
                drop_unseen_inserts(s, self.registry)
        return count

    def _apply_rows(self, s: Session, spec: SyncedTable, block: dict[str, Any]) -> int:
        """Upsert one table's rows of a page with plain ``executemany`` on the session's connection.

        A row older than the local copy is skipped (a replay); fields with a pending local edit keep
        the local value until the server has answered that edit.
        """
        columns: list[str] = list(block["columns"])
        missing = set(spec.columns) - set(columns)
        if missing:
            raise SchemaError(f"服务器数据缺少字段 {', '.join(sorted(missing))}，请升级客户端或联系管理员")
        order = list(spec.columns)
        take = [columns.index(c) for c in order]
        converters = [(order.index(c), sqlite_timestamp) for c in spec.datetime_columns]
        converters += [(order.index(c), _json_text) for c in spec.json_columns]
        id_at, version_at = order.index("id"), order.index("version")
        by_id: dict[Any, list[Any]] = {}  # a row sent twice in one page is written once, its latest version
        in_order = take == list(range(len(take))) and len(columns) == len(take)  # the server's usual order
        for raw in block["rows"]:
            values = list(raw) if in_order else [raw[i] for i in take]  # a copy: the page stays as received
            for pos, convert in converters:
                values[pos] = convert(values[pos])
            seen = by_id.get(values[id_at])
            if seen is None or values[version_at] >= seen[version_at]:
                by_id[values[id_at]] = values
        rows = list(by_id.values())
        if not rows:
            return 0
        dbapi = s.connection().connection.driver_connection
        assert dbapi is not None
        cur = dbapi.cursor()
        name = spec.name
        existing: dict[str, int] = {}
        ids = [r[id_at] for r in rows]
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            existing.update(cur.execute(f"SELECT id, version FROM {name} WHERE id IN ({marks})", chunk).fetchall())
        pending: dict[str, set[str]] = {}
        if existing:
            for row_id, changes in s.execute(select(OutboxEntry.row_id, OutboxEntry.changes)
                                             .where(OutboxEntry.table_name == name)):
                if row_id in existing:
                    pending.setdefault(row_id, set()).update(changes)
        inserts, updates = [], []
        partial: list[tuple[list[str], list[Any]]] = []
        others = [c for c in order if c != "id"]
        for values in rows:
            row_id = values[id_at]
            local_version = existing.get(row_id)
            if local_version is None:
                inserts.append(values)
            elif values[version_at] >= local_version:
                skip = pending.get(row_id)
                if not skip:
                    updates.append([v for c, v in zip(order, values, strict=True) if c != "id"] + [row_id])
                else:
                    cols = [c for c in others if c not in skip]
                    partial.append((cols, [values[order.index(c)] for c in cols] + [row_id]))
        if inserts:
            cur.executemany(f"INSERT INTO {name} ({', '.join(order)}) VALUES ({', '.join('?' * len(order))})", inserts)
        if updates:
            cur.executemany(f"UPDATE {name} SET {', '.join(c + ' = ?' for c in others)} WHERE id = ?", updates)
        for cols, params in partial:
            cur.execute(f"UPDATE {name} SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?", params)
        cur.close()
        return len(rows)

    def _purge_pattern(self, s: Session, pattern: str, remaining: list[str]) -> None:
        for spec in self.registry:
            t = spec.table
            for row_id, scope in s.execute(select(t.c.id, t.c.scope).where(scope_clause(t, pattern))).all():
                if not any(pattern_matches(p, scope) for p in remaining):
                    s.execute(delete(t).where(t.c.id == row_id))

    # --------------------------------------------------------------------------- checksums
    def local_checksums(self, patterns: list[str]) -> dict[str, dict[str, int]]:
        """Per pattern ``{"count", "digest"}`` over (table, id, version) of the live local rows, as the server
        counts its own (:meth:`core.sync.server.SyncService.checksums`)."""
        with self.store.session() as s:
            conn = s.connection()
            return {pattern: pattern_checksum(conn, self.registry, pattern) for pattern in patterns}

    def verify_and_repair(self, report: SyncReport, progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> list[str]:
        """Compare per-scope checksums with the server; re-pull any scope that diverged.

        The server is asked on a thread of its own while this client counts the patterns its cursor holds
        (those it pulled, which the server decided): the two counts take about as long, and run side by side."""
        if self.store.pending_count():
            return []
        with self.store.remote_session() as s:
            pulled = list(_cursor_in(s).get("scopes", {}))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-verify") as wire:
            asked = wire.submit(self.transport.checksums)
            local = self.local_checksums(pulled)
            remote = asked.result()
        unasked = [p for p in remote if p not in local]
        if unasked:  # a pattern the server gives but this client has not pulled yet
            local.update(self.local_checksums(unasked))
        bad = [p for p in remote if remote[p] != local.get(p)]
        with self.store.remote_session() as s, s.begin():
            LocalStore.put_state(s, "last_verified", datetime.now(UTC).isoformat())
        if not bad:
            return []
        with self.store.remote_session() as s, s.begin():
            cursor = _cursor_in(s)
            scopes = dict(cursor.get("scopes", {}))
            for pattern in bad:
                for spec in self.registry:
                    s.execute(delete(spec.table).where(scope_clause(spec.table, pattern)))
                scopes[pattern] = 0
            LocalStore.put_state(s, "cursor", dict(cursor, scopes=scopes))
        report.repaired_scopes.extend(bad)
        self.pull(report, progress, cancel)
        return bad


def _cursor_in(s: Session) -> dict[str, Any]:
    row = s.get(ClientState, "cursor")
    return dict(row.value or {}) if row is not None else {}


def _drop(answer: Future[Any]) -> None:
    """Wait for a page asked for ahead that will not be used; its failure no longer matters."""
    with contextlib.suppress(Exception):  # the page is not used, so neither is its error
        answer.result()


def _merge_cursor(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """Advance per scope, never back: a replayed old page must not rewind the cursor."""
    if current.get("mask") != incoming.get("mask"):
        return dict(incoming)
    cur = current.get("scopes", {})
    scopes = {p: max(int(cur.get(p, 0)), int(v)) for p, v in incoming.get("scopes", {}).items()}
    compacted = max(int(current.get("compacted", 0)), int(incoming.get("compacted", 0)))
    return {"v": incoming.get("v", 1), "mask": incoming.get("mask", ""), "scopes": scopes, "compacted": compacted}


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _scope_of(obj: SyncedMixin) -> str:
    fill_scalar_defaults(obj)
    table = obj.__table__  # type: ignore[attr-defined]
    return type(obj).scope_for({c.key: getattr(obj, c.key) for c in table.columns})
