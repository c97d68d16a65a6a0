"""What a principal receives of conflict records (``sync_conflict``): only those about rows they may see,
and the values of masked columns masked as the columns themselves are.

A conflict record holds values of another table's column (base, server and client value of one field, or
the whole pushed change of a refused edit). Its own scope (``user:<id>``) says whose it is; the row it is
about decides who else may read it:

- the user who made the losing edit always receives it (every value in it was theirs or shown to them);
- anyone else (an administrator through ``user:*``) receives it only while they may see that row;
- a value of a masked column is masked for a principal without the column's permission, and a sensitive-read
  audit entry is written when it is sent in clear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Principal
from core.models.base import MaskRule

TABLE = "sync_conflict"
_VALUES = ("base_value", "server_value", "client_value")


def _scopes_of(session: Session, registry: Any, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """The scope of each (table, id) asked for, one query per table; rows not on the server are left out."""
    out: dict[tuple[str, str], str] = {}
    for name, ids in wanted.items():
        spec = registry._tables.get(name)
        if spec is None or not ids:
            continue
        t = spec.table
        listed = sorted(ids)
        for i in range(0, len(listed), 500):
            for row_id, scope in session.execute(select(t.c.id, t.c.scope).where(t.c.id.in_(listed[i:i + 500]))):
                out[(name, row_id)] = scope
    return out


def visible_conflicts(session: Session, principal: Principal, registry: Any,
                      conflicts: Sequence[tuple[str, str, str]]) -> list[bool]:
    """For each (owner user id, table name, row id): may ``principal`` receive that conflict record?"""
    others: dict[str, set[str]] = {}
    for user_id, table, row_id in conflicts:
        if user_id != principal.user_id or not principal.user_id:
            others.setdefault(table, set()).add(row_id)
    scopes = _scopes_of(session, registry, others) if others else {}
    out = []
    for user_id, table, row_id in conflicts:
        if principal.user_id and user_id == principal.user_id:
            out.append(True)
        else:
            scope = scopes.get((table, row_id))
            out.append(scope is not None and principal.sees_scope(scope))
    return out


def _mask(rule: MaskRule, value: Any) -> Any:
    return None if value is None else rule.apply(value)


def filter_and_mask(session: Session, principal: Principal, registry: Any, columns: Sequence[str],
                    rows: list[Any]) -> tuple[list[Any], dict[str, set[str]]]:
    """The conflict rows of a pull page that ``principal`` may receive, masked; and, per table, the masked
    fields sent in clear (for the sensitive-read audit)."""
    at = {name: columns.index(name) for name in ("user_id", "table_name", "row_id", "field", *_VALUES)}
    keys = [(str(r[at["user_id"]]), str(r[at["table_name"]]), str(r[at["row_id"]])) for r in rows]
    shown = visible_conflicts(session, principal, registry, keys)
    kept: list[Any] = []
    clear: dict[str, set[str]] = {}
    for row, ok in zip(rows, shown, strict=True):
        if not ok:
            continue
        values = list(row)
        spec = registry._tables.get(values[at["table_name"]])
        masked: dict[str, MaskRule] = spec.masked if spec is not None else {}
        if masked:
            field = values[at["field"]]
            for name in _VALUES:
                value = values[at[name]]
                if isinstance(value, dict):
                    touched = [k for k in value if k in masked]
                    if touched:
                        value = dict(value)
                        for k in touched:
                            if principal.sees_column(masked[k].permission):
                                clear.setdefault(spec.name, set()).add(k)
                            else:
                                value[k] = _mask(masked[k], value[k])
                        values[at[name]] = value
                elif field in masked:
                    if principal.sees_column(masked[field].permission):
                        if value is not None:
                            clear.setdefault(spec.name, set()).add(field)
                    else:
                        values[at[name]] = _mask(masked[field], value)
        kept.append(values)
    return kept, clear
