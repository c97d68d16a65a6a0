"""What the petition desk reads from the local synced database, in one place.

The days left and the light come from the legal clocks (``core.petition.search``: the due date counted on the
working-day calendar when the case took its step), a search text from ``core.petition.search.search`` (case
or tracking code, ID number, phone, name, or the words of the matter through the local text index); the
screens only ever call the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.petition import clocks, search, workflow
from core.petition.models import CHANNELS, PetBody, PetCase, PetPetitioner

__all__ = ["CHANNELS", "InboxFilter", "InboxRow", "OverdueBody", "body_names", "case_states", "inbox", "light_for", "overdue_by_body", "state_label"]

AMBER_DAYS = clocks.AMBER_DAYS


@dataclass(frozen=True)
class InboxFilter:
    state: str = ""
    channel: str = ""
    body_code: str = ""
    supervised_only: bool = False
    text: str = ""


@dataclass(frozen=True)
class InboxRow:
    case_id: str
    code: str
    state: str
    channel: str
    received_on: date
    subject: str
    petitioner: str
    body: str
    due_on: date | None
    days_left: int | None
    light: str  # "green", "amber", "red" or "" without a deadline
    supervised: bool


def light_for(days_left: int | None) -> str:
    return search.light(days_left)


def state_label(state: str) -> str:
    return workflow.state_label(state)


def case_states(session: Session) -> list[str]:
    """The states that occur among the cases on this computer, for the state filter."""
    return sorted(session.scalars(select(PetCase.state).where(PetCase.deleted.is_(False)).distinct()))


def body_names(session: Session) -> dict[str, str]:
    return {c: n for c, n in session.execute(select(PetBody.code, PetBody.name).where(PetBody.deleted.is_(False)))}


def inbox(session: Session, flt: InboxFilter, *, today: date, limit: int = 2000) -> list[InboxRow]:
    """Open and closed cases matching the filter, overdue first, then by the nearest deadline."""
    query = (select(PetCase, PetPetitioner.name)
             .outerjoin(PetPetitioner, PetPetitioner.id == PetCase.petitioner_id)
             .where(PetCase.deleted.is_(False)))
    if flt.state:
        query = query.where(PetCase.state == flt.state)
    if flt.channel:
        query = query.where(PetCase.channel == flt.channel)
    if flt.body_code:
        query = query.where(PetCase.body_code == flt.body_code)
    if flt.supervised_only:
        query = query.where(PetCase.supervised.is_(True))
    text = flt.text.strip()
    if text:
        ids = [hit.case_id for hit in search.search(session, text, limit=limit)]
        like = f"%{text}%"  # and a part of a code or a name typed (the search matches whole ones)
        query = query.where(or_(PetCase.id.in_(ids), PetCase.code.like(like), PetPetitioner.name.like(like)))
    names = body_names(session)
    rows = []
    for case, person in session.execute(query.limit(limit)):
        running = case.due_on is not None and case.state in search.OPEN_STATES
        days = search.days_left(case.due_on, today) if running and case.due_on is not None else None
        rows.append(InboxRow(case.id, case.code, case.state, case.channel, case.received_on, case.subject,
                             person or "", names.get(case.body_code, case.body_code), case.due_on, days,
                             light_for(days), case.supervised))
    rows.sort(key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0, r.code))
    return rows


@dataclass(frozen=True)
class OverdueBody:
    body: str
    overdue: int
    most_days: int  # the longest a case of this body is overdue
    codes: tuple[str, ...]


def overdue_by_body(session: Session, *, today: date) -> list[OverdueBody]:
    """督办: the overdue open cases of each receiving body, the body with the most first."""
    groups: dict[str, list[InboxRow]] = {}
    for row in inbox(session, InboxFilter(), today=today, limit=100_000):
        if row.days_left is not None and row.days_left < 0:
            groups.setdefault(row.body, []).append(row)
    out = [OverdueBody(body, len(rows), max(-r.days_left for r in rows if r.days_left is not None),
                       tuple(r.code for r in rows)) for body, rows in groups.items()]
    return sorted(out, key=lambda o: (-o.overdue, -o.most_days, o.body))
