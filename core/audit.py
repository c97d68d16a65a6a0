"""The append-only, hash-chained audit log: logins, changes, exports and reads of sensitive fields.

Each entry's hash covers the previous entry's hash and every column of the entry itself, so editing,
removing or reordering an entry breaks the chain at that point; :func:`verify_chain` reports the first break.

Hash versions. Entries written before version 2 were hashed without ``id`` and ``note``. Version 2 puts
``"v": 2`` and both columns into the hashed payload, so a stored hash is either one or the other and no
extra column marks it. The checker accepts the older form only for entries before the first version-2
entry, and only with an empty ``note`` (no release ever wrote one), so a database upgraded in place
still verifies, a note added to an old entry is still caught, and a newer entry cannot be passed off as
an older one. Only the ``id`` of entries written before the upgrade remains outside the hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.ids import uuid7
from core.models.base import utcnow
from core.models.identity import AuditEntry

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x52454E4441  # "RENDA"


HASH_VERSION = 2


def entry_hash(seq: int, at: datetime, actor: str, action: str, target: str, detail: dict[str, Any],
               ip: str, prev_hash: str, *, entry_id: str | None = None, note: str | None = None) -> str:
    """The SHA-256 of an entry. With ``entry_id`` and ``note`` it is the version-2 hash over every column;
    without them the version-1 hash of entries written before version 2."""
    fields: dict[str, Any] = {"seq": seq, "at": at.isoformat(), "actor": actor, "action": action,
                              "target": target, "detail": detail, "ip": ip, "prev": prev_hash}
    if entry_id is not None or note is not None:
        fields.update(v=HASH_VERSION, id=entry_id or "", note=note or "")
    return hashlib.sha256(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """The version-2 hash of a stored entry, over all its columns but ``hash`` itself."""
    return entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.detail, entry.ip,
                      entry.prev_hash, entry_id=entry.id, note=entry.note or "")


def _legacy_hash_of(entry: AuditEntry) -> str:
    return entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.detail, entry.ip,
                      entry.prev_hash)


def append(session: Session, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None,
           ip: str = "") -> AuditEntry:
    """Append one entry in the caller's transaction (so a change and its audit commit together)."""
    if session.bind is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = utcnow()
    detail = dict(detail or {})
    # Round-trip through JSON so the hashed detail equals what the database gives back.
    detail = orjson.loads(orjson.dumps(detail, default=str))
    entry = AuditEntry(id=uuid7(), seq=seq, at=at, actor=actor[:64], action=action[:40], target=target[:200],
                       detail=detail, ip=ip[:64], prev_hash=prev, note="")
    entry.hash = hash_of(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    head_hash: str = GENESIS

    def describe(self) -> str:
        if self.ok:
            return f"审计日志完整：共 {self.entries} 条，末条哈希 {self.head_hash[:16]}…"
        return f"审计日志被篡改：第 {self.first_bad_seq} 条 — {self.problem}"


def verify_entries(entries: Iterable[AuditEntry]) -> ChainReport:
    """Walk entries in storage order (by seq) and report the first one that breaks the chain."""
    prev, expected_seq, count, current_seen = GENESIS, 1, 0, False
    for e in entries:
        count += 1
        if e.seq != expected_seq:
            what = "之前的条目被删除" if e.seq > expected_seq else "条目顺序被调换或重复"
            return ChainReport(False, count, expected_seq, f"序号应为 {expected_seq}，实为 {e.seq}（{what}）", prev)
        if e.prev_hash != prev:
            return ChainReport(False, count, e.seq, "与前一条的链接不符（前面的条目被删除、修改或调换）", prev)
        if e.hash == hash_of(e):
            current_seen = True
        elif current_seen or e.note or e.hash != _legacy_hash_of(e):
            return ChainReport(False, count, e.seq, "内容与哈希不符（条目被修改）", prev)
        prev, expected_seq = e.hash, expected_seq + 1
    return ChainReport(True, count, head_hash=prev)


def verify_chain(session: Session) -> ChainReport:
    return verify_entries(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def entries_after(session: Session, after_seq: int = 0, limit: int = 100) -> list[AuditEntry]:
    """Up to ``limit`` entries with ``seq > after_seq``, oldest first (for paging through the log)."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.seq > after_seq)
                                .order_by(AuditEntry.seq).limit(limit)))


def entry_as_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as plain JSON-ready values, hashes included so a reader can check the chain."""
    return {"id": entry.id, "seq": entry.seq, "at": entry.at.isoformat(), "actor": entry.actor,
            "action": entry.action, "target": entry.target, "detail": entry.detail, "ip": entry.ip,
            "note": entry.note or "", "prev_hash": entry.prev_hash, "hash": entry.hash}
