"""Finding a case: by case code or tracking code, by person (name, phone, ID number), or by text; and the
deadline inbox.

What is typed decides what is searched: a case or tracking code (exact, indexed), an ID number or a phone
(exact — or its masked form, since a clerk's copy may hold ``138****5678`` for a role that may not see the
number: the search looks for what is there), a name (exact), and otherwise the text: cases holding every
bigram of the words typed (the local index of :mod:`core.petition.textindex`, the rarest bigrams read
first, every candidate checked against its text).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.models.base import MaskRule
from core.petition import textindex
from core.petition.models import PetBody, PetCase, PetPetitioner

_clocks: Any
try:  # the legal clocks count the days left on the working-day calendar when they are installed
    _clocks = importlib.import_module("core.petition.clocks")
except ImportError:  # pragma: no cover - depends on the build
    _clocks = None

try:
    from core.petition.workflow import OPEN_STATES as _OPEN
except ImportError:  # pragma: no cover
    _OPEN = frozenset({"registered", "routed", "informed", "accepted", "objected", "handling", "answered",
                       "rated", "review", "rereview"})

OPEN_STATES: frozenset[str] = frozenset(_OPEN)
AMBER_DAYS = 3
_ID = re.compile(r"^\d{17}[\dXx]$|^\d{4}\*+\d{3}[\dXx]$")
_PHONE = re.compile(r"^\+?\d{7,20}$|^\d{3}\*+\d{4}$")
_CODE = re.compile(r"^[A-Za-z0-9-]{6,32}$")


@dataclass(frozen=True)
class SearchHit:
    case_id: str
    code: str
    subject: str
    state: str
    received_on: date
    petitioner: str
    matched: str
    """案件编号 / 查询码 / 身份证号 / 手机号 / 姓名 / 内容."""


def _hits(session: Session, where: object, matched: str, limit: int) -> list[SearchHit]:
    query = (select(PetCase.id, PetCase.code, PetCase.subject, PetCase.state, PetCase.received_on,
                    PetPetitioner.name)
             .outerjoin(PetPetitioner, PetPetitioner.id == PetCase.petitioner_id)
             .where(where, PetCase.deleted.is_(False))  # type: ignore[arg-type]
             .order_by(PetCase.received_on.desc(), PetCase.code.desc()).limit(limit))
    return [SearchHit(cid, code, subject, state, received, person or "", matched)
            for cid, code, subject, state, received, person in session.execute(query)]


def _person_hits(session: Session, where: Any, matched: str, limit: int) -> list[SearchHit]:
    """The cases of the petitioners matching ``where`` (the people first, by their own index)."""
    people = list(session.scalars(select(PetPetitioner.id).where(where, PetPetitioner.deleted.is_(False))
                                  .limit(1000)))
    return _hits(session, PetCase.petitioner_id.in_(people), matched, limit) if people else []


def _forms(value: str, style: str) -> list[str]:
    masked = str(MaskRule("", style).apply(value))
    return [value] if masked == value else [value, masked]


def search(session: Session, text: str, *, limit: int = 100, refresh: bool = True) -> list[SearchHit]:
    """The cases matching what was typed, the newest first within each kind of match."""
    q = " ".join((text or "").split())
    if not q:
        return []
    out: list[SearchHit] = []
    seen: set[str] = set()

    def add(hits: list[SearchHit]) -> None:
        for h in hits:
            if h.case_id not in seen and len(out) < limit:
                seen.add(h.case_id)
                out.append(h)

    compact = q.replace(" ", "")
    if _CODE.match(compact):
        add(_hits(session, PetCase.code == compact.upper(), "案件编号", limit))
        add(_hits(session, PetCase.tracking_code == compact.upper(), "查询码", limit))
        systems = list(session.scalars(select(PetCase.source_system).where(PetCase.source_system != "").distinct()))
        if systems:  # the other system's number, through the (source_system, source_code) index
            add(_hits(session, and_(PetCase.source_system.in_(systems), PetCase.source_code == compact),
                      "来文编号", limit))
    if _ID.match(compact):
        add(_person_hits(session, PetPetitioner.id_number.in_(_forms(compact.upper(), "id")), "身份证号", limit))
    if _PHONE.match(compact):
        add(_person_hits(session, PetPetitioner.phone.in_(_forms(compact, "phone")), "手机号", limit))
    if len(q) <= 20 and not any(ch.isdigit() for ch in q):
        add(_person_hits(session, PetPetitioner.name == q, "姓名", limit))
    if len(out) < limit:
        add(text_search(session, q, limit=limit - len(out), refresh=refresh))
    return out


def text_search(session: Session, text: str, *, limit: int = 100, refresh: bool = True) -> list[SearchHit]:
    """Cases whose subject or content holds every word typed (words split by spaces)."""
    if refresh:
        textindex.refresh(session)
    words = [textindex.normalize(w) for w in text.split() if w.strip()]
    terms: set[int] = set()
    for word in words:
        terms |= textindex.term_set(word)
    if not terms:
        return []
    known = textindex.rarest(session, terms, 3)
    if len(known) < min(3, len(terms)):
        return []  # a bigram no case holds: nothing can match
    found = textindex.candidates(session, [t for t, _ in known], need=len(known), limit=2000)
    if not found:
        return []
    ids = [cid for cid, _ in found]
    rows = session.execute(select(PetCase.id, PetCase.code, PetCase.subject, PetCase.content, PetCase.state,
                                  PetCase.received_on, PetPetitioner.name)
                           .outerjoin(PetPetitioner, PetPetitioner.id == PetCase.petitioner_id)
                           .where(PetCase.id.in_(ids), PetCase.deleted.is_(False)))
    out = []
    for cid, code, subject, content, state, received, person in rows:
        hay = textindex.normalize(textindex.indexed_text(subject, content))
        if all(w in hay for w in words):
            out.append(SearchHit(cid, code, subject, state, received, person or "", "内容"))
    out.sort(key=lambda h: (h.received_on, h.code), reverse=True)
    return out[:limit]


# -- the deadline inbox ------------------------------------------------------------------------------------


def days_left(due: date, today: date) -> int:
    """Days from ``today`` to the deadline (negative: overdue), by the legal clocks when installed."""
    if _clocks is not None and hasattr(_clocks, "days_left"):
        return int(_clocks.days_left(due, today))
    return (due - today).days


def light(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return "red"
    return "amber" if days <= AMBER_DAYS else "green"


@dataclass(frozen=True)
class InboxItem:
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
    light: str
    supervised: bool


def inbox(session: Session, *, today: date | None = None, limit: int = 200, offset: int = 0,
          states: frozenset[str] | None = None, days: Callable[[date, date], int] = days_left) -> list[InboxItem]:
    """The open cases on this computer (the scope filter is the local copy itself: a committee's liaison
    holds only its cases), overdue first, then by the nearest deadline; cases without a deadline last."""
    today = today or date.today()
    wanted = sorted(states if states is not None else OPEN_STATES)
    base = (select(PetCase.id, PetCase.code, PetCase.state, PetCase.channel, PetCase.received_on, PetCase.subject,
                   PetCase.petitioner_id, PetCase.body_code, PetCase.due_on, PetCase.supervised)
            .where(PetCase.state.in_(wanted), PetCase.deleted.is_(False)))
    with_due = base.where(PetCase.due_on.is_not(None)).order_by(PetCase.due_on, PetCase.code)
    rows = list(session.execute(with_due.limit(limit).offset(offset)))
    if len(rows) < limit:
        dated = int(session.scalar(select(func.count()).select_from(
            base.where(PetCase.due_on.is_not(None)).subquery())) or 0)
        rest = base.where(PetCase.due_on.is_(None)).order_by(PetCase.received_on, PetCase.code)
        rows += list(session.execute(rest.limit(limit - len(rows)).offset(max(0, offset - dated))))
    people = {r[6] for r in rows if r[6]}
    names: dict[str, str] = {}
    if people:
        names = {pid: name for pid, name in session.execute(
            select(PetPetitioner.id, PetPetitioner.name).where(PetPetitioner.id.in_(people)))}
    bodies = {code: name for code, name in session.execute(
        select(PetBody.code, PetBody.name).where(PetBody.deleted.is_(False)))}
    out = []
    for cid, code, state, channel, received, subject, pid, body, due, supervised in rows:
        left = days(due, today) if due is not None else None
        out.append(InboxItem(cid, code, state, channel, received, subject, names.get(pid or "", ""),
                             bodies.get(body, body), due, left, light(left), bool(supervised)))
    return out


def overdue_count(session: Session, *, today: date | None = None) -> int:
    today = today or date.today()
    return int(session.scalar(select(func.count()).select_from(PetCase).where(
        PetCase.state.in_(sorted(OPEN_STATES)), PetCase.deleted.is_(False), PetCase.due_on < today)) or 0)


__all__ = ["InboxItem", "SearchHit", "days_left", "inbox", "light", "overdue_count", "search",
           "text_search"]
