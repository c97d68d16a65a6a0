"""Saved queries: a user's specs kept by name in ``bgt_saved_query``.

Rows are written through the caller's session factory (on a client, commits land in the sync outbox) and carry
the owner's scope (``user:<owner>``), so a saved query reaches only its owner's devices. Names are unique per
owner; deleting leaves a tombstone so the deletion syncs too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.budget.query.spec import QuerySpec, SpecError
from core.budget.work import SavedQuery

SessionFactory = Callable[[], Session]
NAME_MAX = 120


@dataclass(frozen=True)
class SavedSpec:
    id: str
    name: str
    spec: QuerySpec
    note: str


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SpecError("请给查询起一个名字")
    if len(name) > NAME_MAX:
        raise SpecError(f"名字太长（最多 {NAME_MAX} 个字）")
    return name


def _find(s: Session, owner_id: str, name: str) -> SavedQuery | None:
    return s.scalars(select(SavedQuery).where(SavedQuery.owner_id == owner_id, SavedQuery.deleted.is_(False),
                                              func.lower(SavedQuery.name) == name.lower())).first()


def list_saved(session: SessionFactory, owner_id: str) -> list[SavedSpec]:
    """The owner's saved queries by name; a row whose spec no longer reads is skipped, not fatal."""
    out = []
    with session() as s:
        for row in s.scalars(select(SavedQuery).where(SavedQuery.owner_id == owner_id,
                                                      SavedQuery.deleted.is_(False)).order_by(SavedQuery.name)):
            try:
                out.append(SavedSpec(row.id, row.name, QuerySpec.from_json(row.spec), row.note))
            except SpecError:
                continue
    return out


def save_query(session: SessionFactory, owner_id: str, name: str, spec: QuerySpec, *, note: str = "",
               replace: bool = False) -> SavedSpec:
    """Save ``spec`` as ``name``; an existing name is refused unless ``replace``."""
    name = _clean_name(name)
    with session() as s, s.begin():
        row = _find(s, owner_id, name)
        if row is not None and not replace:
            raise SpecError(f"已有名为“{name}”的查询；请换个名字，或选择覆盖")
        if row is None:
            row = SavedQuery(owner_id=owner_id, name=name, spec=spec.to_json(), note=note)
            s.add(row)
        else:
            row.spec = spec.to_json()
            row.note = note
        s.flush()
        return SavedSpec(row.id, row.name, spec, row.note)


def rename_query(session: SessionFactory, owner_id: str, query_id: str, new_name: str) -> None:
    new_name = _clean_name(new_name)
    with session() as s, s.begin():
        row = _own(s, owner_id, query_id)
        other = _find(s, owner_id, new_name)
        if other is not None and other.id != row.id:
            raise SpecError(f"已有名为“{new_name}”的查询")
        row.name = new_name


def delete_query(session: SessionFactory, owner_id: str, query_id: str) -> None:
    with session() as s, s.begin():
        _own(s, owner_id, query_id).deleted = True


def load_query(session: SessionFactory, owner_id: str, query_id: str) -> QuerySpec:
    with session() as s:
        return QuerySpec.from_json(_own(s, owner_id, query_id).spec)


def _own(s: Session, owner_id: str, query_id: str) -> SavedQuery:
    row = s.get(SavedQuery, query_id)
    if row is None or row.deleted or row.owner_id != owner_id:
        raise SpecError("找不到这条保存的查询（可能已被删除）")
    return row
