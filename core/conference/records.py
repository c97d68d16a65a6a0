"""The conference's synced records: prepared meetings, attendance, speeches and vote results.

These tables travel through the core sync like every other synced table, so what the operator prepares
on a workstation reaches the hall's kiosk, and what happened in the hall reaches the central server:

- ``conf_meeting``, ``conf_agenda_item``, ``conf_member``: the meeting set-up (one row per meeting, per
  agenda item, per member with their seat, IC card and whether they chair);
- ``conf_attendance``: per member, first sign-in, every leave and return, present at the last record;
- ``conf_speech``: every speech that ended (seat, member, start, end, length, why it ended);
- ``conf_vote_result``: per vote, the totals of each question, the majority rule and the law's article,
  passed or not, and the journal hash that seals it (the one printed on the result sheet);
- ``conf_vote_choice``: who chose what — written for NAMED electronic votes only. An anonymous vote has
  no row here and its result row holds totals only, so no stored data links a seat or member to a choice.

Times in the records are seconds on the meeting clock (``*_s``) with the meeting's ``clock_origin``
(UTC wall time of meeting-clock zero) to turn them into dates. Every table is in the ``conference``
scope and is written by holders of the conference app permission; the sync server checks it per row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_CONFERENCE_RECORDS, S_CONFERENCE
from core.models.base import Base, SyncedMixin, UTCDateTime

MEETING_STATUSES = ("draft", "ready", "open", "closed")
"""A prepared meeting is a draft until it is sent to the hall (ready); the kiosk marks it open, then closed."""

_ID_NAMESPACE = uuid.UUID("6f1c7d0e-5b8a-4c36-9a57-1d2e3f405162")


def record_id(table: str, *key: object) -> str:
    """A deterministic row id from a table and a natural key.

    Rewriting the same record from any device (the kiosk after a restart, a second console) updates the
    row instead of inserting a twin, which keeps recording idempotent across machines.
    """
    return str(uuid.uuid5(_ID_NAMESPACE, table + "|" + "|".join(str(k) for k in key)))


class ConferenceRow(SyncedMixin):
    """Scope, write permission and indexes shared by the conference tables."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_CONFERENCE_RECORDS,)
    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return S_CONFERENCE


class ConfMeeting(ConferenceRow, Base):
    """A meeting: prepared by the operator, then opened and closed in the hall."""

    __tablename__ = "conf_meeting"
    sync_label = "会议"
    extra_indexes = (("meeting_key",),)

    meeting_key: Mapped[str] = mapped_column(String(64))
    """:attr:`MeetingSetup.meeting_id`: the name the journal and the kiosk know the meeting by."""
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    quorum: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    speaking: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    citations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    clock_origin: Mapped[datetime | None] = mapped_column(UTCDateTime())
    total_members: Mapped[int] = mapped_column(Integer, default=0)
    present: Mapped[int] = mapped_column(Integer, default=0)
    journal_head: Mapped[str] = mapped_column(String(64), default="")


class ConfAgendaItem(ConferenceRow, Base):
    """One agenda item of a meeting and its vote settings."""

    __tablename__ = "conf_agenda_item"
    sync_label = "会议议程"
    extra_indexes = (("meeting_id",),)

    meeting_id: Mapped[str] = mapped_column(String(36))
    item_key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="bill")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amends: Mapped[str | None] = mapped_column(String(64))
    candidates: Mapped[list[str]] = mapped_column(JSON, default=list)


class ConfMember(ConferenceRow, Base):
    """A member of a meeting with their seat, IC card and whether the seat is a chair's."""

    __tablename__ = "conf_member"
    sync_label = "与会人员及席位"
    extra_indexes = (("meeting_id",),)

    meeting_id: Mapped[str] = mapped_column(String(36))
    member_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    seat: Mapped[int | None] = mapped_column(Integer)
    card: Mapped[str | None] = mapped_column(String(64))
    chair: Mapped[bool] = mapped_column(Boolean, default=False)
    deputy_id: Mapped[str | None] = mapped_column(String(36))
    """The deputy registry row (``reg_deputy``) the member was taken from, if any."""


class ConfAttendance(ConferenceRow, Base):
    """A member's attendance: first sign-in, every leave and return, and whether present now."""

    __tablename__ = "conf_attendance"
    sync_label = "会议出席"
    extra_indexes = (("meeting_id",),)

    meeting_id: Mapped[str] = mapped_column(String(36))
    member_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80), default="")
    seat: Mapped[int | None] = mapped_column(Integer)
    signed_in_s: Mapped[float | None] = mapped_column(Float)
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    movements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """``[["in", t], ["out", t], ["in", t], …]`` in meeting-clock seconds."""


class ConfSpeech(ConferenceRow, Base):
    """One speech that ended: who, when, how long, and why it ended."""

    __tablename__ = "conf_speech"
    sync_label = "会议发言"
    extra_indexes = (("meeting_id",),)

    meeting_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int] = mapped_column(Integer)
    seat: Mapped[int] = mapped_column(Integer)
    member_key: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(80), default="")
    started_s: Mapped[float] = mapped_column(Float)
    ended_s: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(16), default="")


class ConfVoteResult(ConferenceRow, Base):
    """The result of one vote: totals per question, rule and article, verdict, and the journal seal."""

    __tablename__ = "conf_vote_result"
    sync_label = "表决结果"
    extra_indexes = (("meeting_id",),)

    meeting_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int] = mapped_column(Integer)
    item_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    show_of_hands: Mapped[bool] = mapped_column(Boolean, default=False)
    total_members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    majority: Mapped[str] = mapped_column(String(40))
    majority_label: Mapped[str] = mapped_column(String(80))
    citation: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """Per question: label, yes, no, abstain, not voted, required, passed — totals only."""
    passed: Mapped[bool] = mapped_column(Boolean)
    """The item passed (for person-by-person votes: every candidate passed)."""
    revealed: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_s: Mapped[float] = mapped_column(Float)
    closed_s: Mapped[float] = mapped_column(Float)
    journal_hash: Mapped[str] = mapped_column(String(64), default="")
    """Hash of the journal entry that ends the vote: the head printed on the result sheet."""
    journal_entry: Mapped[int] = mapped_column(Integer, default=0)


class ConfVoteChoice(ConferenceRow, Base):
    """One seat's choice on one question of a NAMED vote (never written for anonymous votes)."""

    __tablename__ = "conf_vote_choice"
    sync_label = "记名表决明细"
    extra_indexes = (("vote_id",),)

    vote_id: Mapped[str] = mapped_column(String(36))
    meeting_id: Mapped[str] = mapped_column(String(36))
    question: Mapped[int] = mapped_column(Integer, default=0)
    seat: Mapped[int] = mapped_column(Integer)
    member_key: Mapped[str] = mapped_column(String(64), default="")
    choice: Mapped[str] = mapped_column(String(8))


CONFERENCE_MODELS: tuple[type[ConferenceRow], ...] = (
    ConfMeeting,
    ConfAgendaItem,
    ConfMember,
    ConfAttendance,
    ConfSpeech,
    ConfVoteResult,
    ConfVoteChoice,
)
