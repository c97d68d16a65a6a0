"""The append-only, hash-chained audit log: logins, changes, exports and reads of sensitive fields.

Each entry's hash covers the previous entry's hash and its own fields, so editing, removing or
reordering an entry breaks the chain at that point; :func:`verify_chain` reports the first break.
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

from core.models.base import utcnow
from core.models.identity import AuditEntry

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x52454E4441  # "RENDA"


def entry_hash(seq: int, at: datetime, actor: str, action: str, target: str, detail: dict[str, Any],
               ip: str, prev_hash: str) -> str:
    payload = orjson.dumps(
        {"seq": seq, "at": at.isoformat(), "actor": actor, "action": action, "target": target,
         "detail": detail, "ip": ip, "prev": prev_hash},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(payload).hexdigest()


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
    entry = AuditEntry(seq=seq, at=at, actor=actor[:64], action=action[:40], target=target[:200], detail=detail,
                       ip=ip[:64], prev_hash=prev,
                       hash=entry_hash(seq, at, actor[:64], action[:40], target[:200], detail, ip[:64], prev))
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
    prev, expected_seq, count = GENESIS, 1, 0
    for e in entries:
        count += 1
        if e.seq != expected_seq:
            what = "之前的条目被删除" if e.seq > expected_seq else "条目顺序被调换或重复"
            return ChainReport(False, count, expected_seq, f"序号应为 {expected_seq}，实为 {e.seq}（{what}）", prev)
        if e.prev_hash != prev:
            return ChainReport(False, count, e.seq, "与前一条的链接不符（前面的条目被删除、修改或调换）", prev)
        if entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.detail, e.ip, e.prev_hash) != e.hash:
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
    return {"seq": entry.seq, "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
            "target": entry.target, "detail": entry.detail, "ip": entry.ip, "prev_hash": entry.prev_hash,
            "hash": entry.hash}
