"""Row scopes: which patterns a principal pulls, how a pattern matches a scope, and as SQL."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_

from core.auth.roles import Principal

if TYPE_CHECKING:
    from core.sync.schema import SyncedTable


def pull_patterns(principal: Principal) -> list[str]:
    """The scope patterns a principal pulls, concrete except for ``prefix:*`` wildcards."""
    out = set()
    for pattern in principal.scope_patterns:
        if pattern.endswith(":self"):
            out.add(pattern[:-4] + principal.user_id)  # "review:self" → "review:<user id>"
        else:
            out.add(pattern)
    # A concrete scope inside a wildcard the principal also holds ("user:<id>" under "user:*") would send
    # its rows twice in one page; the wildcard carries them.
    wildcards = [p for p in out if p.endswith(":*")]
    return sorted(p for p in out if p.endswith(":*") or not any(pattern_matches(w, p) for w in wildcards))


def pattern_matches(pattern: str, scope: str) -> bool:
    if pattern.endswith(":*"):
        return scope.startswith(pattern[:-1])
    return scope == pattern


def scope_clause(table: Any, pattern: str) -> Any:
    """SQL for ``scope matches pattern`` that can use the (scope, seq) index."""
    col = table.c.scope
    if pattern.endswith(":*"):
        prefix, upper = _bounds(pattern)
        return and_(col >= prefix, col < upper)
    return col == pattern


def _bounds(pattern: str) -> tuple[str, str]:
    """The scopes a ``prefix:*`` pattern covers, as a half-open range: ``committee:`` up to ``committee;``."""
    prefix = pattern[:-1]
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def live_versions(conn: Any, table: Any, pattern: str) -> list[tuple[str, int]]:
    """``(id, version)`` of the live rows of ``table`` in ``pattern`` (as :func:`scope_clause` selects them), read
    from the driver's cursor in the connection's transaction: a checksum reads every row a user may see, and
    SQLAlchemy's row objects cost twice the query itself."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    params: tuple[str, ...]
    if pattern.endswith(":*"):
        where, params = f"scope >= {mark} AND scope < {mark}", _bounds(pattern)
    else:
        where, params = f"scope = {mark}", (pattern,)
    name = conn.dialect.identifier_preparer.quote(table.name)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(f"SELECT id, version FROM {name} WHERE {where} AND NOT deleted", params)
        rows: list[tuple[str, int]] = cursor.fetchall()  # tuples from both drivers
        return rows
    finally:
        cursor.close()


def mask_fingerprint(principal: Principal, masked_permissions: set[str]) -> str:
    """Changes when the principal gains or loses the right to see a masked column."""
    seen = sorted(p for p in masked_permissions if principal.sees_column(p))
    return hashlib.sha256("|".join(seen).encode()).hexdigest()[:16]


def row_digest(table: str, row_id: str, version: int) -> int:
    """One row's share of a scope checksum (order-independent sum mod 2**64)."""
    return int.from_bytes(hashlib.sha256(f"{table}|{row_id}|{version}".encode()).digest()[:8], "big")


CHECKSUM_MODULUS = 2**64
_DIGEST = methodcaller("digest")
_FIRST_WORD = struct.Struct(">Q").unpack_from
_ONLY = itemgetter(0)


def digest_total(table: str, rows: Iterable[tuple[str, int]]) -> int:
    """The sum of :func:`row_digest` over ``rows`` of ``(id, version)`` (not yet reduced mod 2**64), a column at a
    time: the texts first, then one C call per row for each step instead of a Python call per row."""
    prefix = table + "|"
    texts = [f"{prefix}{row_id}|{version}".encode() for row_id, version in rows]
    return sum(map(_ONLY, map(_FIRST_WORD, map(_DIGEST, map(hashlib.sha256, texts)))))


Visible = Callable[["SyncedTable", list[tuple[str, int]]], list[tuple[str, int]]]


def pattern_checksum(conn: Any, tables: Iterable[SyncedTable], pattern: str,
                     visible: Visible | None = None) -> dict[str, int]:
    """``{"count", "digest"}`` over (table, id, version) of the live rows of ``tables`` in ``pattern``: what the
    server answers and the client compares, so both count with this one function. ``visible`` narrows a table's
    rows to those the principal is sent (the server's conflict records)."""
    count = digest = 0
    for spec in tables:
        rows = live_versions(conn, spec.table, pattern)
        if visible is not None and rows:
            rows = visible(spec, rows)
        count += len(rows)
        digest += digest_total(spec.name, rows)
    return {"count": count, "digest": digest % CHECKSUM_MODULUS}
