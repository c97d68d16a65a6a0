"""The conference facade: one object the kiosk feeds with events and commands and reads snapshots from.

:meth:`ConferenceState.apply` is deterministic: the same set-up and the same messages give the same
public state, which is what journal replay relies on.
"""

from __future__ import annotations

from typing import Any

from core.conference import events as ev
from core.conference.events import ACCEPTED, Message, Outcome, refused
from core.conference.meeting import MeetingSetup
from core.conference.sign_in import Attendance, Health
from core.conference.speaking import Speaking
from core.conference.voting import Voting


class ConferenceState:
    """Sign-in, floor and votes of one meeting."""

    def __init__(self, setup: MeetingSetup) -> None:
        self.setup = setup
        self.attendance = Attendance(setup)
        self.speaking = Speaking(setup)
        self.voting = Voting(setup)
        self.meeting_open = False
        self.meeting_closed = False
        self.now = 0.0
        self.applied = 0
        self.refused = 0

    def apply(self, message: Message) -> Outcome:
        """Apply one event or command; a refusal leaves the state unchanged (except the clock)."""
        self.now = max(self.now, message.t)
        outcome = self._dispatch(message)
        self.applied += 1
        if not outcome.ok:
            self.refused += 1
        return outcome

    def _dispatch(self, m: Message) -> Outcome:
        if isinstance(m, ev.Tick):
            self.speaking.tick(m.t)
            self.voting.tick(m.t)
            return ACCEPTED
        if self.meeting_closed:
            return refused("会议已结束")
        if isinstance(m, ev.DeviceEvent):
            return self._device(m)
        return self._command(m)

    def _device(self, m: ev.DeviceEvent) -> Outcome:
        seat = m.seat
        if isinstance(m, ev.SeatKeyPressed):
            return self.attendance.sign_in_seat(seat, m.t)
        if isinstance(m, ev.CardSwiped):
            return self.attendance.sign_in_card(seat, m.card_id, m.t)
        if isinstance(m, ev.SeatLeft):
            outcome = self.attendance.leave(seat, m.t)
            if outcome.ok:
                self.speaking.drop_seat(seat, m.t)
            return outcome
        if isinstance(m, ev.SeatFault | ev.SeatSilent):
            self.attendance.set_health(seat, Health.FAULT if isinstance(m, ev.SeatFault) else Health.SILENT)
            self.speaking.drop_seat(seat, m.t)
            return ACCEPTED
        if isinstance(m, ev.SeatBack):
            self.attendance.set_health(seat, Health.OK)
            return ACCEPTED
        if isinstance(m, ev.VoteCast):
            if not self.meeting_open:
                return refused("会议尚未开始")
            return self.voting.cast(seat, m.choice, m.question, self.attendance)
        if isinstance(m, ev.ChairPriority):
            if seat not in self.setup.chair_seats:
                return refused(f"席位 {seat} 不是主席席位")
            return self.speaking.mute_all(m.t)
        if not self.attendance.is_present_at(seat):
            return refused(f"席位 {seat} 未报到，不能申请发言")
        if isinstance(m, ev.SpeakRequested):
            return self.speaking.request(seat, m.t)
        if isinstance(m, ev.SpeakCancelled):
            return self.speaking.cancel(seat, m.t)
        return refused(f"未知事件 {type(m).__name__}")

    def _command(self, m: Message) -> Outcome:
        if isinstance(m, ev.OpenMeeting):
            if self.meeting_open:
                return refused("会议已开始")
            errors = self.setup.validate()
            if errors:
                return refused("；".join(errors))
            self.meeting_open = True
            return ACCEPTED
        if isinstance(m, ev.CloseMeeting):
            if self.voting.current is not None:
                return refused("表决尚未结束，不能闭会")
            self.meeting_open = False
            self.meeting_closed = True
            self.speaking.mute_all(m.t)
            return ACCEPTED
        if isinstance(m, ev.ManualSignIn):
            return self.attendance.sign_in_member(m.member_id, m.t)
        if isinstance(m, ev.ApproveSpeaker):
            return self.speaking.approve(m.seat, m.t)
        if isinstance(m, ev.RejectSpeaker):
            return self.speaking.reject(m.seat)
        if isinstance(m, ev.StopSpeaker):
            return self.speaking.stop(m.seat, m.t)
        if isinstance(m, ev.MuteAll):
            return self.speaking.mute_all(m.t)
        if isinstance(m, ev.SetMicMode):
            return self.speaking.set_mode(m.mode, m.max_open, m.t)
        if not self.meeting_open:
            return refused("会议尚未开始")
        if isinstance(m, ev.OpenVote):
            return self.voting.open(m.item_id, m.settings, m.t, self.attendance)
        if isinstance(m, ev.CloseVote):
            return self.voting.close(m.t)
        if isinstance(m, ev.CancelVote):
            return self.voting.cancel()
        if isinstance(m, ev.PutQuestion):
            return self.voting.put_question(m.question)
        if isinstance(m, ev.RevealResult):
            return self.voting.reveal(m.item_id)
        if isinstance(m, ev.EnterShowOfHands):
            return self.voting.show_of_hands(m.item_id, m.counts, m.t, self.attendance)
        return refused(f"未知命令 {type(m).__name__}")

    # --- views -------------------------------------------------------------------------------

    def anonymous_vote_open(self) -> int | None:
        """Number of the running vote if it is anonymous."""
        current = self.voting.current
        return current.number if current is not None and current.settings.anonymous else None

    def seat_map(self) -> list[dict[str, Any]]:
        """Every assigned seat: member, attendance, terminal health, floor and whether it has voted."""
        names = {m.member_id: m.name for m in self.setup.members}
        current = self.voting.current
        voted = set().union(*(b.voted for b in current.ballots)) if current is not None else set()
        return [
            {
                "seat": seat,
                "member_id": mid,
                "name": names.get(mid, ""),
                "chair": seat in self.setup.chair_seats,
                "state": str(self.attendance.seat_state(seat)),
                "health": str(self.attendance.health.get(seat, Health.OK)),
                "speaking": seat in self.speaking.speakers,
                "queued": seat in self.speaking.queue,
                "voted": seat in voted,
            }
            for seat, mid in sorted(self.setup.seats.items())
        ]

    def snapshot(self) -> dict[str, Any]:
        """Everything the kiosk shows, as plain JSON-able data."""
        return {
            "meeting_id": self.setup.meeting_id,
            "title": self.setup.title,
            "open": self.meeting_open,
            "closed": self.meeting_closed,
            "now": self.now,
            "attendance": self.attendance.snapshot(),
            "seats": self.seat_map(),
            "speaking": self.speaking.snapshot(self.now),
            "voting": self.voting.snapshot(self.now),
        }
