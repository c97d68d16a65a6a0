"""From the journaled conference state to the synced records, and prepared meetings to and from them.

Two steps, so the hall never waits for the database:

1. :func:`build_records` reads a :class:`~core.conference.state.ConferenceState` (under the kiosk's lock)
   and returns plain values: the meeting, attendance per member, finished speeches, vote results and —
   for named electronic votes only — who chose what.
2. :class:`RecordWriter` writes them through a session factory (the kiosk's local store, whose outbox
   carries them to the server). Each row has a deterministic id and only changed fields are written, so
   writing the same records again changes nothing and queues nothing for sync.

:func:`save_setup` / :func:`load_setup` store and read a prepared :class:`MeetingSetup` in the same
tables: the operator's app saves it, the kiosk loads it and runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.conference.journal import read_entries
from core.conference.meeting import (
    QUORUM_STANDING_COMMITTEE,
    AgendaItem,
    ItemKind,
    MeetingSetup,
    Member,
    QuorumRule,
    SpeakingSettings,
    VoteSettings,
)
from core.conference.records import (
    ConfAgendaItem,
    ConfAttendance,
    ConferenceRow,
    ConfMeeting,
    ConfMember,
    ConfSpeech,
    ConfVoteChoice,
    ConfVoteResult,
    record_id,
)
from core.conference.state import ConferenceState

Row = TypeVar("Row", bound=ConferenceRow)


@dataclass(frozen=True)
class VoteSeal:
    """Where a vote ends in the journal: the entry's number and hash (the result sheet's head)."""

    number: int
    entry: int
    hash: str


def vote_seal(journal: Path, number: int) -> VoteSeal:
    """The seal of vote ``number`` read back from a journal file (after a restart, when none was kept)."""
    from core.conference.report import vote_entry_range

    _, last = vote_entry_range(journal, number)
    entries = read_entries(journal)
    return VoteSeal(number, last, entries[last].hash)


@dataclass
class ConferenceRecords:
    """Plain values of every record of one meeting, ready to be written."""

    meeting_key: str
    meeting: dict[str, Any]
    attendance: list[dict[str, Any]] = field(default_factory=list)
    speeches: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    choices: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """Vote number → per seat and question choices; present for named electronic votes only."""


def build_records(
    state: ConferenceState,
    seals: dict[int, VoteSeal],
    *,
    journal_head: str = "",
    clock_origin: datetime | None = None,
) -> ConferenceRecords:
    """The records of the meeting as it stands (pure: reads ``state``, touches nothing)."""
    setup = state.setup
    names = {m.member_id: m.name for m in setup.members}
    member_at = setup.seats
    status = "closed" if state.meeting_closed else "open" if state.meeting_open else "ready"
    meeting: dict[str, Any] = {
        "status": status,
        "present": state.attendance.present_count,
        "total_members": setup.total_members,
        "journal_head": journal_head,
    }
    if clock_origin is not None:
        meeting["clock_origin"] = clock_origin
    records = ConferenceRecords(setup.meeting_id, meeting)
    attendance = state.attendance
    for m in setup.members:
        moves = attendance.movements.get(m.member_id, [])
        records.attendance.append({
            "member_key": m.member_id,
            "name": m.name,
            "seat": setup.seat_of(m.member_id),
            "signed_in_s": attendance.first_sign_in.get(m.member_id),
            "present": m.member_id in attendance.present,
            "movements": [[kind, t] for kind, t in moves],
        })
    for number, speech in enumerate(state.speaking.finished):
        member = member_at.get(speech.seat, "")
        records.speeches.append({
            "number": number,
            "seat": speech.seat,
            "member_key": member,
            "name": names.get(member, ""),
            "started_s": speech.started,
            "ended_s": speech.ended,
            "duration_s": max(0.0, speech.ended - speech.started),
            "reason": speech.reason,
        })
    for record in state.voting.records:
        seal = seals.get(record.number)
        questions = [{k: v for k, v in q.to_dict().items() if k != "named"} for q in record.questions]
        records.votes.append({
            "number": record.number,
            "item_key": record.item_id,
            "title": record.title,
            "anonymous": record.anonymous,
            "show_of_hands": record.show_of_hands,
            "total_members": record.total_members,
            "present": record.present,
            "majority": record.majority,
            "majority_label": record.majority_label,
            "citation": record.citation,
            "questions": questions,
            "passed": all(q.passed for q in record.questions),
            "revealed": record.revealed,
            "opened_s": record.opened_at,
            "closed_s": record.closed_at,
            "journal_hash": seal.hash if seal is not None else "",
            "journal_entry": seal.entry if seal is not None else 0,
        })
        if record.anonymous or record.show_of_hands:
            continue  # totals only: nothing that links a seat or a member to a choice
        choices = []
        for n, q in enumerate(record.questions):
            for seat, choice in sorted((q.named or {}).items()):
                choices.append({"question": n, "seat": seat, "member_key": member_at.get(seat, ""),
                                "choice": choice})
        records.choices[record.number] = choices
    return records


def _assign(row: ConferenceRow, values: dict[str, Any]) -> bool:
    """Set the fields that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if row.deleted:
        row.deleted = False
        changed = True
    return changed


def _upsert(session: Session, model: type[Row], existing: Row | None, row_id: str,
            values: dict[str, Any]) -> tuple[Row, bool]:
    row = existing if existing is not None else session.get(model, row_id)
    if row is None:
        row = model()
        row.id = row_id
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        return row, True
    return row, _assign(row, values)


def _meeting_row(session: Session, meeting_key: str) -> ConfMeeting | None:
    return session.scalars(
        select(ConfMeeting).where(ConfMeeting.meeting_key == meeting_key).order_by(ConfMeeting.deleted)
    ).first()


def _children(session: Session, model: type[Row], meeting_id: str, key: str) -> dict[Any, Row]:
    column = model.__table__.c.meeting_id  # type: ignore[attr-defined]
    return {getattr(r, key): r for r in session.scalars(select(model).where(column == meeting_id))}


def _retire(rows: Iterable[ConferenceRow]) -> int:
    n = 0
    for row in rows:
        if not row.deleted:
            row.deleted = True
            n += 1
    return n


def save_setup(
    session: Session,
    setup: MeetingSetup,
    *,
    meeting_date: date | None = None,
    place: str | None = None,
    status: str | None = None,
    deputies: dict[str, str] | None = None,
) -> tuple[ConfMeeting, int]:
    """Store a meeting set-up in the conference tables; returns the meeting row and the rows changed.

    Members and agenda items no longer in the set-up are marked deleted. ``None`` keeps a stored
    date, place or status (a new meeting gets none, none and ``draft``).
    """
    existing = _meeting_row(session, setup.meeting_id)
    values: dict[str, Any] = {
        "meeting_key": setup.meeting_id,
        "title": setup.title,
        "quorum": setup.quorum.to_dict(),
        "speaking": setup.speaking.to_dict(),
        "citations": dict(sorted(setup.citations.items())),
        "total_members": setup.total_members,
    }
    if meeting_date is not None or existing is None:
        values["meeting_date"] = meeting_date
    if place is not None or existing is None:
        values["place"] = place or ""
    if status is not None or existing is None:
        values["status"] = status or "draft"
    meeting, changed = _upsert(session, ConfMeeting, existing, record_id("conf_meeting", setup.meeting_id), values)
    count = int(changed)
    session.flush()
    cards = {mid: card for card, mid in setup.cards.items()}
    members = _children(session, ConfMember, meeting.id, "member_key")
    for position, m in enumerate(setup.members):
        row_values = {
            "meeting_id": meeting.id,
            "member_key": m.member_id,
            "name": m.name,
            "position": position,
            "seat": setup.seat_of(m.member_id),
            "card": cards.get(m.member_id),
            "chair": (setup.seat_of(m.member_id) or -1) in setup.chair_seats,
        }
        if deputies is not None:
            row_values["deputy_id"] = deputies.get(m.member_id)
        _, changed = _upsert(session, ConfMember, members.pop(m.member_id, None),
                             record_id("conf_member", meeting.id, m.member_id), row_values)
        count += changed
    count += _retire(members.values())
    items = _children(session, ConfAgendaItem, meeting.id, "item_key")
    for position, item in enumerate(setup.agenda):
        _, changed = _upsert(session, ConfAgendaItem, items.pop(item.item_id, None),
                             record_id("conf_agenda_item", meeting.id, item.item_id), {
                                 "meeting_id": meeting.id,
                                 "item_key": item.item_id,
                                 "position": position,
                                 "title": item.title,
                                 "kind": str(item.kind),
                                 "settings": item.settings.to_dict(),
                                 "amends": item.amends,
                                 "candidates": list(item.candidates),
                             })
        count += changed
    count += _retire(items.values())
    return meeting, count


@dataclass(frozen=True)
class PreparedMeeting:
    """A meeting as stored: its row id, date, place, status, and the set-up the kiosk runs."""

    row_id: str
    meeting_date: date | None
    place: str
    status: str
    setup: MeetingSetup
    deputies: dict[str, str]
    """Member id → deputy registry id, for members taken from the registry."""


def load_setup(session: Session, meeting_key: str) -> PreparedMeeting | None:
    """Read a stored meeting back as a :class:`MeetingSetup` (None when there is no such meeting)."""
    meeting = _meeting_row(session, meeting_key)
    if meeting is None or meeting.deleted:
        return None
    members = sorted((m for m in _children(session, ConfMember, meeting.id, "member_key").values() if not m.deleted),
                     key=lambda m: (m.position, m.member_key))
    items = sorted((i for i in _children(session, ConfAgendaItem, meeting.id, "item_key").values()
                    if not i.deleted), key=lambda i: (i.position, i.item_key))
    setup = MeetingSetup(
        meeting_id=meeting.meeting_key,
        title=meeting.title,
        members=tuple(Member(m.member_key, m.name) for m in members),
        seats={m.seat: m.member_key for m in members if m.seat is not None},
        cards={m.card: m.member_key for m in members if m.card},
        agenda=tuple(
            AgendaItem(i.item_key, i.title, ItemKind(i.kind), VoteSettings.from_dict(i.settings), i.amends,
                       tuple(i.candidates))
            for i in items
        ),
        quorum=QuorumRule.from_dict(meeting.quorum) if meeting.quorum else QUORUM_STANDING_COMMITTEE,
        speaking=SpeakingSettings.from_dict(meeting.speaking) if meeting.speaking else SpeakingSettings(),
        chair_seats=frozenset(m.seat for m in members if m.chair and m.seat is not None),
        citations={str(k): str(v) for k, v in (meeting.citations or {}).items()},
    )
    deputies = {m.member_key: m.deputy_id for m in members if m.deputy_id}
    return PreparedMeeting(meeting.id, meeting.meeting_date, meeting.place, meeting.status, setup, deputies)


def list_meetings(session: Session) -> list[ConfMeeting]:
    """Every stored meeting, newest date first."""
    rows = session.scalars(select(ConfMeeting).where(ConfMeeting.deleted.is_(False))).all()
    return sorted(rows, key=lambda m: (m.meeting_date or date.min, m.title), reverse=True)


class RecordWriter:
    """Writes :class:`ConferenceRecords` through a session factory, changing only what differs."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self.session_factory = session_factory

    def write(self, setup: MeetingSetup, records: ConferenceRecords) -> int:
        """Write the meeting (its set-up first) and every record; returns how many rows changed."""
        with self.session_factory() as session, session.begin():
            meeting, count = save_setup(session, setup)
            meeting_values = dict(records.meeting)
            if meeting.clock_origin is not None:
                meeting_values.pop("clock_origin", None)  # the first estimate stays
            count += _assign(meeting, meeting_values)
            session.flush()
            count += self._attendance(session, meeting.id, records.attendance)
            count += self._speeches(session, meeting.id, records.speeches)
            count += self._votes(session, meeting.id, records)
        return count

    @staticmethod
    def _attendance(session: Session, meeting_id: str, rows: list[dict[str, Any]]) -> int:
        existing = _children(session, ConfAttendance, meeting_id, "member_key")
        count = 0
        for values in rows:
            key = values["member_key"]
            _, changed = _upsert(session, ConfAttendance, existing.get(key),
                                 record_id("conf_attendance", meeting_id, key), {"meeting_id": meeting_id, **values})
            count += changed
        return count

    @staticmethod
    def _speeches(session: Session, meeting_id: str, rows: list[dict[str, Any]]) -> int:
        existing = _children(session, ConfSpeech, meeting_id, "number")
        count = 0
        for values in rows:
            _, changed = _upsert(session, ConfSpeech, existing.get(values["number"]),
                                 record_id("conf_speech", meeting_id, values["number"]),
                                 {"meeting_id": meeting_id, **values})
            count += changed
        return count

    @staticmethod
    def _votes(session: Session, meeting_id: str, records: ConferenceRecords) -> int:
        existing = _children(session, ConfVoteResult, meeting_id, "number")
        count = 0
        for values in records.votes:
            number = values["number"]
            result, changed = _upsert(session, ConfVoteResult, existing.get(number),
                                      record_id("conf_vote_result", meeting_id, number),
                                      {"meeting_id": meeting_id, **values})
            count += changed
            choices = records.choices.get(number)
            if choices is None:
                continue
            session.flush()
            stored = {(c.question, c.seat): c for c in
                      session.scalars(select(ConfVoteChoice).where(ConfVoteChoice.vote_id == result.id))}
            for choice in choices:
                key = (choice["question"], choice["seat"])
                _, changed = _upsert(session, ConfVoteChoice, stored.get(key),
                                     record_id("conf_vote_choice", result.id, *key),
                                     {"vote_id": result.id, "meeting_id": meeting_id, **choice})
                count += changed
        return count
