"""The reception queue of visits (来访接待), ``pet_reception``.

A visitor takes a ticket at the window (name and how many came: five or more make a 集体访); the
receptionist calls the next ticket in order, registers a case for the visitor (channel 来访) and finishes
the visit; a visitor who left before being called is marked so. Tickets count from 1 each day.

Every change is checked here and refused with :class:`ReceptionRefused` (a Chinese message); nothing is
written then. Times are UTC; waiting times are whole minutes from arrival to being called (or to now).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.petition.models import COLLECTIVE_THRESHOLD, PetCase, PetReception

STATUS_LABELS = {"waiting": "等候", "called": "接待中", "done": "已接待", "left": "未接待离开"}
MAX_PERSONS = 10_000


class ReceptionRefused(ValueError):
    """A queue step refused, with the reason in Chinese; nothing was written."""


@dataclass(frozen=True)
class QueueRow:
    reception_id: str
    ticket: int
    visitor_name: str
    persons: int
    status: str
    arrived_at: datetime | None
    called_at: datetime | None
    finished_at: datetime | None
    waited_minutes: int
    """From arrival to being called; for a visitor still waiting, to now."""
    receptionist: str
    case_id: str | None
    case_code: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def collective(self) -> bool:
        return self.persons >= COLLECTIVE_THRESHOLD


def _permitted(permissions: Collection[str]) -> None:
    from core.auth.roles import P_PETITION_CASE

    if P_PETITION_CASE not in permissions:
        raise ReceptionRefused(f"来访接待需要权限“{P_PETITION_CASE}”")


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _get(session: Session, reception_id: str) -> PetReception:
    row = session.get(PetReception, reception_id)
    if row is None or row.deleted:
        raise ReceptionRefused("这位来访人不在今天的队列中，请刷新后再试")
    return row


def take_ticket(session: Session, username: str, permissions: Collection[str], visitor_name: str, persons: int,
                *, day: date, now: datetime | None = None) -> PetReception:
    """A new ticket for ``day``: the next number, status 等候."""
    _permitted(permissions)
    name = visitor_name.strip()
    problems = []
    if not name:
        problems.append("须填写来访人姓名")
    elif len(name) > 60:
        problems.append(f"来访人姓名最多 60 字，现在是 {len(name)} 字")
    if not 1 <= persons <= MAX_PERSONS:
        problems.append(f"来访人数应为 1 至 {MAX_PERSONS}，填写的是 {persons}")
    if problems:
        raise ReceptionRefused("；".join(problems))
    last = session.scalar(select(func.max(PetReception.ticket)).where(PetReception.visit_date == day)) or 0
    row = PetReception(visit_date=day, ticket=int(last) + 1, visitor_name=name, persons=persons,
                       arrived_at=now or datetime.now(UTC), status="waiting", receptionist="")
    session.add(row)
    session.flush()
    audit.append(session, username, "petition.reception.ticket", f"{day:%Y-%m-%d}#{row.ticket}",
                 {"persons": persons})
    return row


def call_next(session: Session, username: str, permissions: Collection[str], *, day: date,
              now: datetime | None = None) -> PetReception | None:
    """Call the waiting visitor with the lowest ticket of ``day`` (None: nobody is waiting)."""
    _permitted(permissions)
    row = session.scalars(select(PetReception).where(
        PetReception.visit_date == day, PetReception.status == "waiting", PetReception.deleted.is_(False))
        .order_by(PetReception.ticket).limit(1)).first()
    if row is None:
        return None
    row.status, row.called_at, row.receptionist = "called", now or datetime.now(UTC), username[:64]
    audit.append(session, username, "petition.reception.call", f"{day:%Y-%m-%d}#{row.ticket}")
    return row


def attach_case(session: Session, username: str, permissions: Collection[str], reception_id: str,
                case_id: str) -> PetReception:
    """The case registered for the visitor."""
    _permitted(permissions)
    row = _get(session, reception_id)
    if row.status != "called":
        raise ReceptionRefused(f"第 {row.ticket} 号还没有叫号接待，不能为其登记信访件")
    if session.get(PetCase, case_id) is None:
        raise ReceptionRefused("所登记的信访件不在本机")
    row.case_id = case_id
    return row


def finish(session: Session, username: str, permissions: Collection[str], reception_id: str, *,
           now: datetime | None = None) -> PetReception:
    """The visit is over (接待完毕)."""
    _permitted(permissions)
    row = _get(session, reception_id)
    if row.status != "called":
        raise ReceptionRefused(f"第 {row.ticket} 号的状态是“{STATUS_LABELS.get(row.status, row.status)}”，"
                               "只有接待中的来访才能接待完毕")
    row.status, row.finished_at = "done", now or datetime.now(UTC)
    audit.append(session, username, "petition.reception.finish", f"{row.visit_date:%Y-%m-%d}#{row.ticket}",
                 {"case": row.case_id or ""})
    return row


def mark_left(session: Session, username: str, permissions: Collection[str], reception_id: str, *,
              now: datetime | None = None) -> PetReception:
    """The visitor left before being received."""
    _permitted(permissions)
    row = _get(session, reception_id)
    if row.status not in ("waiting", "called"):
        raise ReceptionRefused(f"第 {row.ticket} 号已经{STATUS_LABELS.get(row.status, row.status)}")
    row.status, row.finished_at = "left", now or datetime.now(UTC)
    audit.append(session, username, "petition.reception.left", f"{row.visit_date:%Y-%m-%d}#{row.ticket}")
    return row


def queue(session: Session, day: date, *, now: datetime | None = None) -> list[QueueRow]:
    """The day's queue in ticket order, with each visitor's waiting time."""
    now = now or datetime.now(UTC)
    rows = session.execute(select(PetReception, PetCase.code)
                           .outerjoin(PetCase, PetCase.id == PetReception.case_id)
                           .where(PetReception.visit_date == day, PetReception.deleted.is_(False))
                           .order_by(PetReception.ticket, PetReception.arrived_at)).all()
    out = []
    for row, code in rows:
        arrived, called = _aware(row.arrived_at), _aware(row.called_at)
        until = called or (now if row.status == "waiting" else _aware(row.finished_at) or now)
        waited = max(0, int((until - arrived).total_seconds() // 60)) if arrived is not None else 0
        out.append(QueueRow(row.id, row.ticket, row.visitor_name, row.persons, row.status, arrived, called,
                            _aware(row.finished_at), waited, row.receptionist, row.case_id, code or ""))
    return out


__all__ = ["STATUS_LABELS", "QueueRow", "ReceptionRefused", "attach_case", "call_next", "finish", "mark_left",
           "queue", "take_ticket"]
