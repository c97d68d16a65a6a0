"""Sign-in (报到) by seat key, IC card or entrance gate, and live attendance against the quorum.

A member is present from sign-in until they sign out (leave the hall); signing in again returns them.
Terminal health (fault, silent) is tracked per seat but does not change attendance: a member whose
terminal fails is still in the hall (the operator may fall back to a show of hands).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from core.conference.events import ACCEPTED, Outcome, refused
from core.conference.meeting import GATE_SEAT, MeetingSetup


class SeatState(StrEnum):
    """State of a seat on the seat map."""

    UNASSIGNED = "unassigned"
    ABSENT = "absent"
    PRESENT = "present"
    LEFT = "left"


class Health(StrEnum):
    """Health of a seat terminal."""

    OK = "ok"
    FAULT = "fault"
    SILENT = "silent"


class Attendance:
    """Who is present, who left, and whether the quorum is met."""

    def __init__(self, setup: MeetingSetup) -> None:
        self.setup = setup
        self.present: set[str] = set()
        self.left: set[str] = set()
        self.first_sign_in: dict[str, float] = {}
        self.movements: dict[str, list[tuple[str, float]]] = {}
        """Per member, every sign-in (``"in"``) and departure (``"out"``) with its time, for the records."""
        self.health: dict[int, Health] = {}
        self.sign_ins = 0
        self.departures = 0

    # --- events ------------------------------------------------------------------------------

    def sign_in_seat(self, seat: int, t: float) -> Outcome:
        """The sign-in key at ``seat``."""
        member = self.setup.seats.get(seat)
        if member is None:
            return refused(f"席位 {seat} 未分配人员，不能报到")
        return self._sign_in(member, t)

    def sign_in_card(self, seat: int, card_id: str, t: float) -> Outcome:
        """An IC card at ``seat`` (or at the gate, seat 0): it must belong to the member of that seat."""
        member = self.setup.cards.get(card_id)
        if member is None:
            return refused(f"IC 卡 {card_id} 未登记")
        if seat != GATE_SEAT and self.setup.seats.get(seat) != member:
            return refused(f"IC 卡 {card_id} 不属于席位 {seat} 的人员")
        return self._sign_in(member, t)

    def sign_in_member(self, member_id: str, t: float) -> Outcome:
        """Manual sign-in by the operator."""
        if member_id not in self.setup.member_ids():
            return refused(f"人员 {member_id} 不存在")
        return self._sign_in(member_id, t)

    def leave(self, seat: int, t: float) -> Outcome:
        """The member at ``seat`` leaves the hall."""
        member = self.setup.seats.get(seat)
        if member is None or member not in self.present:
            return refused(f"席位 {seat} 的人员未报到，无需离席")
        self.present.discard(member)
        self.left.add(member)
        self.departures += 1
        self.movements.setdefault(member, []).append(("out", t))
        return ACCEPTED

    def _sign_in(self, member: str, t: float) -> Outcome:
        if member in self.present:
            return refused("已报到")
        self.present.add(member)
        self.left.discard(member)
        self.first_sign_in.setdefault(member, t)
        self.movements.setdefault(member, []).append(("in", t))
        self.sign_ins += 1
        return ACCEPTED

    def set_health(self, seat: int, health: Health) -> None:
        """Record a terminal fault, silence or recovery."""
        if health is Health.OK:
            self.health.pop(seat, None)
        else:
            self.health[seat] = health

    # --- queries -----------------------------------------------------------------------------

    def is_present_at(self, seat: int) -> bool:
        """Whether the member assigned to ``seat`` is signed in and in the hall."""
        member = self.setup.seats.get(seat)
        return member is not None and member in self.present

    @property
    def present_count(self) -> int:
        """Members present now."""
        return len(self.present)

    @property
    def quorum_required(self) -> int:
        """Members that must be present for the quorum."""
        return self.setup.quorum.required(self.setup.total_members)

    @property
    def quorum_met(self) -> bool:
        """Whether enough of ALL members are present."""
        return self.present_count >= self.quorum_required

    def seat_state(self, seat: int) -> SeatState:
        """State of one seat for the seat map."""
        member = self.setup.seats.get(seat)
        if member is None:
            return SeatState.UNASSIGNED
        if member in self.present:
            return SeatState.PRESENT
        return SeatState.LEFT if member in self.left else SeatState.ABSENT

    def snapshot(self) -> dict[str, Any]:
        """Attendance for the kiosk."""
        total = self.setup.total_members
        return {
            "total": total,
            "present": self.present_count,
            "absent": total - self.present_count,
            "left": len(self.left),
            "quorum_required": self.quorum_required,
            "quorum_met": self.quorum_met,
            "quorum_rule": self.setup.quorum.label,
            "present_members": sorted(self.present),
            "left_members": sorted(self.left),
        }
