"""Meeting preparation (会前准备): the operator's editable draft of a meeting, with its rules.

:class:`MeetingDraft` is what the preparation screens edit: members (from the deputy registry or an
imported roster), the seat plan, IC cards, the agenda with each item's vote settings, the quorum rule.
Every edit that breaks a rule is refused with one Chinese message and changes nothing; :meth:`validate`
lists what still stops the meeting from being sent to the hall; :meth:`to_setup` makes the
:class:`~core.conference.meeting.MeetingSetup` the kiosk runs. Pure: no database, no Qt.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from core.conference.meeting import (
    MAX_SEATS,
    QUORUM_CONGRESS_SESSION,
    QUORUM_COUNCIL,
    QUORUM_PRESIDIUM,
    QUORUM_STANDING_COMMITTEE,
    AgendaItem,
    MeetingSetup,
    Member,
    QuorumRule,
    SpeakingSettings,
    import_roster,
)
from core.ids import uuid7

QUORUM_PRESETS: dict[str, QuorumRule] = {
    "standing": QUORUM_STANDING_COMMITTEE,
    "presidium": QUORUM_PRESIDIUM,
    "session": QUORUM_CONGRESS_SESSION,
    "council": QUORUM_COUNCIL,
}
"""The quorum rules an operator picks from, by key."""

CARD_PATTERN = re.compile(r"^(?:[0-9a-f]{2}){1,16}$")
"""An IC card id as the seat terminals report it: the card's UID, 1–16 bytes, as lower-case hex."""


def normalize_card(text: str) -> str:
    """A card id typed or read in any common form (``04:A1:B2:C3``, ``04 a1 b2 c3``) as lower-case hex."""
    return re.sub(r"[\s:\-]", "", text).lower()


def quorum_key(rule: QuorumRule) -> str:
    """The preset key of a quorum rule (``standing`` for an unknown one)."""
    return next((k for k, v in QUORUM_PRESETS.items() if v == rule), "standing")


@dataclass
class MeetingDraft:
    """A meeting being prepared; edited in place by the preparation screens."""

    meeting_id: str
    title: str = ""
    meeting_date: date | None = None
    place: str = ""
    quorum: QuorumRule = QUORUM_STANDING_COMMITTEE
    members: list[Member] = field(default_factory=list)
    deputies: dict[str, str] = field(default_factory=dict)
    """Member id → deputy registry id, for members taken from the registry."""
    seats: dict[int, str] = field(default_factory=dict)
    cards: dict[str, str] = field(default_factory=dict)
    chair_seats: set[int] = field(default_factory=set)
    agenda: list[AgendaItem] = field(default_factory=list)
    speaking: SpeakingSettings = field(default_factory=SpeakingSettings)
    citations: dict[str, str] = field(default_factory=dict)
    status: str = "draft"

    @classmethod
    def new(cls, title: str = "", meeting_date: date | None = None) -> MeetingDraft:
        """A fresh meeting with a new id."""
        return cls(meeting_id=uuid7(), title=title, meeting_date=meeting_date)

    @classmethod
    def from_setup(cls, setup: MeetingSetup, *, meeting_date: date | None = None, place: str = "",
                   status: str = "draft", deputies: dict[str, str] | None = None) -> MeetingDraft:
        """A draft of a stored meeting, to edit again."""
        return cls(
            meeting_id=setup.meeting_id,
            title=setup.title,
            meeting_date=meeting_date,
            place=place,
            quorum=setup.quorum,
            members=list(setup.members),
            deputies=dict(deputies or {}),
            seats=dict(setup.seats),
            cards=dict(setup.cards),
            chair_seats=set(setup.chair_seats),
            agenda=list(setup.agenda),
            speaking=setup.speaking,
            citations=dict(setup.citations),
            status=status,
        )

    # --- members ---------------------------------------------------------------------------------

    def member(self, member_id: str) -> Member | None:
        """A member by id."""
        return next((m for m in self.members if m.member_id == member_id), None)

    def seat_of(self, member_id: str) -> int | None:
        """The seat of a member, if placed."""
        return next((s for s, m in self.seats.items() if m == member_id), None)

    def card_of(self, member_id: str) -> str | None:
        """The IC card bound to a member, if any."""
        return next((c for c, m in self.cards.items() if m == member_id), None)

    def add_members(self, members: Iterable[Member], deputies: dict[str, str] | None = None) -> list[str]:
        """Add members (e.g. picked from the deputy registry); those already in the meeting are reported."""
        problems = []
        for m in members:
            if self.member(m.member_id) is not None:
                problems.append(f"{m.name} 已在与会人员中")
                continue
            if not m.name.strip():
                problems.append(f"人员 {m.member_id} 没有姓名，未加入")
                continue
            self.members.append(m)
            if deputies and m.member_id in deputies:
                self.deputies[m.member_id] = deputies[m.member_id]
        return problems

    def remove_member(self, member_id: str) -> None:
        """Take a member out of the meeting, with their seat and card."""
        self.members = [m for m in self.members if m.member_id != member_id]
        self.deputies.pop(member_id, None)
        for seat in [s for s, m in self.seats.items() if m == member_id]:
            del self.seats[seat]
            self.chair_seats.discard(seat)
        for card in [c for c, m in self.cards.items() if m == member_id]:
            del self.cards[card]

    def import_roster(self, text: str) -> list[str]:
        """Merge a roster table (CSV text: 编号,姓名[,席位][,IC卡]); returns the problems, row by row.

        New members are added; seats and cards of the roster are applied with the same checks as in the
        seat-plan editor, so nothing already prepared is silently overwritten.
        """
        roster = import_roster(text)
        problems = list(roster.errors)
        problems += self.add_members(roster.members)
        for seat, mid in sorted(roster.seats.items()):
            error = self.assign(seat, mid)
            if error:
                problems.append(error)
        for card, mid in sorted(roster.cards.items()):
            error = self.bind_card(mid, card)
            if error:
                problems.append(error)
        return problems

    # --- seats -----------------------------------------------------------------------------------

    def assign(self, seat: int, member_id: str) -> str | None:
        """Place a member on a seat (moving them from their old seat); an error message, or None.

        A seat already taken by somebody else is refused: clear it first, so nobody is unseated by a
        slip of the mouse.
        """
        if not 1 <= seat <= MAX_SEATS:
            return f"席位号 {seat} 超出范围（1–{MAX_SEATS}）"
        member = self.member(member_id)
        if member is None:
            return f"人员 {member_id} 不在与会人员中"
        occupant = self.seats.get(seat)
        if occupant == member_id:
            return None
        if occupant is not None:
            other = self.member(occupant)
            return f"席位 {seat} 已安排 {other.name if other else occupant}，请先清空该席位"
        old = self.seat_of(member_id)
        if old is not None:
            del self.seats[old]
            if old in self.chair_seats:
                self.chair_seats.discard(old)
                self.chair_seats.add(seat)
        self.seats[seat] = member_id
        return None

    def unassign(self, seat: int) -> None:
        """Clear one seat."""
        self.seats.pop(seat, None)
        self.chair_seats.discard(seat)

    def clear_seats(self) -> None:
        """Clear the whole seat plan."""
        self.seats.clear()
        self.chair_seats.clear()

    def unseated(self) -> list[Member]:
        """Members without a seat, in roster order."""
        seated = set(self.seats.values())
        return [m for m in self.members if m.member_id not in seated]

    def auto_fill(self, seats: Iterable[int]) -> int:
        """Place every unseated member, in roster order, on the free seats given (in that order)."""
        free = [s for s in seats if s not in self.seats and 1 <= s <= MAX_SEATS]
        placed = 0
        for member, seat in zip(self.unseated(), free, strict=False):
            self.seats[seat] = member.member_id
            placed += 1
        return placed

    def set_chair(self, seat: int, chair: bool) -> str | None:
        """Mark a seat as a chair's seat (priority key, no speech limit) or not."""
        if chair and seat not in self.seats:
            return f"席位 {seat} 未安排人员，不能设为主席席位"
        if chair:
            self.chair_seats.add(seat)
        else:
            self.chair_seats.discard(seat)
        return None

    # --- IC cards --------------------------------------------------------------------------------

    def bind_card(self, member_id: str, card_text: str) -> str | None:
        """Bind an IC card to a member (an empty card unbinds); an error message, or None."""
        if self.member(member_id) is None:
            return f"人员 {member_id} 不在与会人员中"
        card = normalize_card(card_text)
        if not card:
            for c in [c for c, m in self.cards.items() if m == member_id]:
                del self.cards[c]
            return None
        if not CARD_PATTERN.match(card):
            return f"IC 卡号“{card_text.strip()}”无效：应为读卡器读出的 2 至 32 位十六进制卡号"
        holder = self.cards.get(card)
        if holder is not None and holder != member_id:
            other = self.member(holder)
            return f"IC 卡 {card} 已绑定 {other.name if other else holder}，一张卡只能绑定一人"
        for c in [c for c, m in self.cards.items() if m == member_id]:
            del self.cards[c]
        self.cards[card] = member_id
        return None

    # --- agenda ----------------------------------------------------------------------------------

    def new_item_id(self) -> str:
        """An agenda item id not used yet in this meeting."""
        used = {i.item_id for i in self.agenda}
        n = len(self.agenda) + 1
        while f"item{n}" in used:
            n += 1
        return f"item{n}"

    def put_item(self, item: AgendaItem) -> str | None:
        """Add an agenda item or replace the one with the same id; an error message, or None."""
        if not item.title.strip():
            return "议程名称不能为空"
        for n, existing in enumerate(self.agenda):
            if existing.item_id == item.item_id:
                self.agenda[n] = item
                return None
        self.agenda.append(item)
        return None

    def remove_item(self, item_id: str) -> None:
        """Remove an agenda item (and the link of amendments that amended it)."""
        self.agenda = [replace(i, amends=None) if i.amends == item_id else i
                       for i in self.agenda if i.item_id != item_id]

    def move_item(self, item_id: str, delta: int) -> None:
        """Move an agenda item up (negative) or down."""
        index = next((n for n, i in enumerate(self.agenda) if i.item_id == item_id), None)
        if index is None:
            return
        target = max(0, min(len(self.agenda) - 1, index + delta))
        item = self.agenda.pop(index)
        self.agenda.insert(target, item)

    # --- result ----------------------------------------------------------------------------------

    def to_setup(self) -> MeetingSetup:
        """The set-up the kiosk runs."""
        return MeetingSetup(
            meeting_id=self.meeting_id,
            title=self.title.strip(),
            members=tuple(self.members),
            seats=dict(sorted(self.seats.items())),
            cards=dict(sorted(self.cards.items())),
            agenda=tuple(self.agenda),
            quorum=self.quorum,
            speaking=self.speaking,
            chair_seats=frozenset(self.chair_seats),
            citations=dict(self.citations),
        )

    def validate(self) -> list[str]:
        """What stops the meeting from being sent to the hall, in Chinese (empty: ready)."""
        problems = []
        if not self.title.strip():
            problems.append("请填写会议名称")
        if self.meeting_date is None:
            problems.append("请填写会议日期")
        problems += self.to_setup().validate()
        unseated = self.unseated()
        if unseated:
            names = "、".join(m.name for m in unseated[:5]) + ("等" if len(unseated) > 5 else "")
            problems.append(f"还有 {len(unseated)} 人未安排席位：{names}")
        if not self.agenda:
            problems.append("请至少设置一项议程")
        return problems


def roster_text_from_xlsx(data: bytes) -> str:
    """The first sheet of an Excel roster as CSV text for :meth:`MeetingDraft.import_roster`."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in sheet.iter_rows(values_only=True):
        writer.writerow(["" if v is None else _cell(v) for v in row])
    book.close()
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
