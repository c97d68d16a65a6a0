"""What the preparation screens need from the local store: meetings, a meeting's draft, the deputies.

Plain functions over a session factory (the signed-in client's local store); the screens call them in
a background task, never on the GUI thread. Saving goes through the store's outbox, so the meeting
reaches the server (and the hall's kiosk) at the next sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.conference.preparation import MeetingDraft
from core.conference.recorder import list_meetings, load_setup, save_setup
from core.conference.records import ConfMeeting, ConfMember
from core.models.registry import Deputy

SessionFactory = Callable[[], Session]
HELD = ("open", "closed")
"""Statuses the hall's kiosk writes: the meeting has been held and its preparation is history."""


@dataclass(frozen=True)
class MeetingSummary:
    """One line of the meeting list."""

    meeting_key: str
    title: str
    meeting_date: date | None
    place: str
    status: str
    members: int


@dataclass(frozen=True)
class DeputyEntry:
    """A deputy of the registry, as offered for a meeting."""

    deputy_id: str
    name: str
    delegation: str
    organisation: str


@dataclass
class PrepServices:
    """The local store, and whether the signed-in user may prepare meetings (as the server checks)."""

    session_factory: SessionFactory
    can_edit: bool = True

    def meetings(self) -> list[MeetingSummary]:
        """Every stored meeting, newest first."""
        with self.session_factory() as s:
            counts: dict[str, int] = {}
            for meeting_id in s.scalars(select(ConfMember.meeting_id).where(ConfMember.deleted.is_(False))):
                counts[meeting_id] = counts.get(meeting_id, 0) + 1
            return [MeetingSummary(m.meeting_key, m.title, m.meeting_date, m.place, m.status, counts.get(m.id, 0))
                    for m in list_meetings(s)]

    def load(self, meeting_key: str) -> MeetingDraft | None:
        """The stored meeting as a draft to edit."""
        with self.session_factory() as s:
            prepared = load_setup(s, meeting_key)
        if prepared is None:
            return None
        return MeetingDraft.from_setup(prepared.setup, meeting_date=prepared.meeting_date, place=prepared.place,
                                       status=prepared.status, deputies=prepared.deputies)

    def save(self, draft: MeetingDraft, status: str | None = None) -> int:
        """Store the draft (``status``: ``ready`` when sent to the hall); returns the rows changed."""
        if not self.can_edit:
            raise PermissionError("没有会务准备权限")
        with self.session_factory() as s, s.begin():
            stored = s.scalars(select(ConfMeeting).where(ConfMeeting.meeting_key == draft.meeting_id)).first()
            if stored is not None and stored.status in HELD:
                raise ValueError("会议已在会场举行，会前准备不能再修改")
            _, changed = save_setup(s, draft.to_setup(), meeting_date=draft.meeting_date, place=draft.place,
                                    status=status or draft.status, deputies=draft.deputies)
        return changed

    def delete(self, meeting_key: str) -> None:
        """Withdraw a meeting that has not been held (a tombstone, synced like any change)."""
        if not self.can_edit:
            raise PermissionError("没有会务准备权限")
        with self.session_factory() as s, s.begin():
            meeting = s.scalars(select(ConfMeeting).where(ConfMeeting.meeting_key == meeting_key)).first()
            if meeting is None:
                return
            if meeting.status in ("open", "closed"):
                raise ValueError("会议已在会场举行，不能删除")
            meeting.deleted = True

    def deputies(self) -> list[DeputyEntry]:
        """The deputy registry as synced to this computer, by delegation and name."""
        with self.session_factory() as s:
            rows = s.scalars(select(Deputy).where(Deputy.deleted.is_(False))).all()
            return sorted((DeputyEntry(d.id, d.name, d.delegation, d.organisation) for d in rows),
                          key=lambda d: (d.delegation, d.name))
