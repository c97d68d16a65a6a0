"""Row scopes: which patterns a principal pulls, how a pattern matches a scope, and as SQL."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import and_

from core.auth.roles import Principal


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
        prefix = pattern[:-1]  # "committee:"
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # "committee;"
        return and_(col >= prefix, col < upper)
    return col == pattern


def mask_fingerprint(principal: Principal, masked_permissions: set[str]) -> str:
    """Changes when the principal gains or loses the right to see a masked column."""
    seen = sorted(p for p in masked_permissions if principal.sees_column(p))
    return hashlib.sha256("|".join(seen).encode()).hexdigest()[:16]


def row_digest(table: str, row_id: str, version: int) -> int:
    """One row's share of a scope checksum (order-independent sum mod 2**64)."""
    return int.from_bytes(hashlib.sha256(f"{table}|{row_id}|{version}".encode()).digest()[:8], "big")
