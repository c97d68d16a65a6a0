"""Speaking: the request queue, open microphones, chair priority and speech time limits.

Modes follow the Taiden / Bosch seat systems:

- ``open``: requests are served first-in-first-out while fewer than ``max_open`` (1–4) delegate
  microphones are on; later requests wait in the queue and get the floor as microphones free up;
- ``override``: a new request always gets a microphone; when all are on, the longest-running speaker
  is switched off;
- ``apply``: requests wait until the chair approves them;
- ``voice``: a microphone opens when there is room, otherwise the request is refused (no queue).

Chair seats are never queued, never counted against ``max_open`` and have no time limit.  The chair's
priority key (or the operator's mute-all) switches every delegate microphone off; the queue stays.
Each speech has a limit (first speech of a member, then later ones), a warning before the end and a
cut-off, all driven by :class:`~core.conference.events.Tick`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.conference.events import ACCEPTED, Outcome, refused
from core.conference.meeting import MeetingSetup, MicMode


@dataclass
class Speech:
    """A microphone that is on."""

    seat: int
    started: float
    limit_s: float | None
    warned: bool = False


@dataclass(frozen=True)
class FinishedSpeech:
    """A speech that ended, and why (``self``, ``chair``, ``time``, ``override``, ``muted``)."""

    seat: int
    started: float
    ended: float
    reason: str


class Speaking:
    """State machine of the floor."""

    def __init__(self, setup: MeetingSetup) -> None:
        self.setup = setup
        self.mode: MicMode = setup.speaking.mode
        self.max_open: int = setup.speaking.max_open
        self.queue: list[int] = []
        self.speakers: dict[int, Speech] = {}
        self.speech_counts: dict[int, int] = {}
        self.finished: list[FinishedSpeech] = []

    def _is_chair(self, seat: int) -> bool:
        return seat in self.setup.chair_seats

    def _delegates_on(self) -> int:
        return sum(1 for s in self.speakers if not self._is_chair(s))

    def _start(self, seat: int, t: float) -> None:
        if self._is_chair(seat):
            limit: float | None = None
        elif self.speech_counts.get(seat, 0) == 0:
            limit = self.setup.speaking.first_limit_s
        else:
            limit = self.setup.speaking.later_limit_s
        self.speech_counts[seat] = self.speech_counts.get(seat, 0) + 1
        self.speakers[seat] = Speech(seat, t, limit)

    def _stop(self, seat: int, t: float, reason: str) -> None:
        speech = self.speakers.pop(seat)
        self.finished.append(FinishedSpeech(seat, speech.started, t, reason))

    def _advance(self, t: float) -> None:
        if self.mode is not MicMode.OPEN:
            return
        while self.queue and self._delegates_on() < self.max_open:
            self._start(self.queue.pop(0), t)

    # --- events and commands -----------------------------------------------------------------

    def request(self, seat: int, t: float) -> Outcome:
        """A seat asks for the floor."""
        if seat in self.speakers:
            return refused(f"席位 {seat} 正在发言")
        if seat in self.queue:
            return refused(f"席位 {seat} 已在发言排队中")
        if self._is_chair(seat):
            self._start(seat, t)
            return ACCEPTED
        if self.mode is MicMode.OPEN:
            self.queue.append(seat)
            self._advance(t)
        elif self.mode is MicMode.OVERRIDE:
            if self._delegates_on() >= self.max_open:
                oldest = min(
                    (s for s in self.speakers.values() if not self._is_chair(s.seat)), key=lambda s: s.started
                )
                self._stop(oldest.seat, t, "override")
            self._start(seat, t)
        elif self.mode is MicMode.APPLY:
            self.queue.append(seat)
        else:
            if self._delegates_on() >= self.max_open:
                return refused("开启的话筒已达上限")
            self._start(seat, t)
        return ACCEPTED

    def cancel(self, seat: int, t: float) -> Outcome:
        """The seat withdraws its request, or switches its microphone off."""
        if seat in self.queue:
            self.queue.remove(seat)
            return ACCEPTED
        if seat in self.speakers:
            self._stop(seat, t, "self")
            self._advance(t)
            return ACCEPTED
        return refused(f"席位 {seat} 没有发言申请")

    def approve(self, seat: int, t: float) -> Outcome:
        """The chair gives the floor to a queued seat."""
        if seat not in self.queue:
            return refused(f"席位 {seat} 不在发言排队中")
        if self._delegates_on() >= self.max_open:
            return refused("开启的话筒已达上限，请先关闭一个话筒")
        self.queue.remove(seat)
        self._start(seat, t)
        return ACCEPTED

    def reject(self, seat: int) -> Outcome:
        """The chair removes a request."""
        if seat not in self.queue:
            return refused(f"席位 {seat} 不在发言排队中")
        self.queue.remove(seat)
        return ACCEPTED

    def stop(self, seat: int, t: float) -> Outcome:
        """The chair switches a speaker off."""
        if seat not in self.speakers:
            return refused(f"席位 {seat} 未在发言")
        self._stop(seat, t, "chair")
        self._advance(t)
        return ACCEPTED

    def mute_all(self, t: float) -> Outcome:
        """Chair priority / mute all: every delegate microphone off; the queue is kept."""
        for seat in sorted(self.speakers):
            if not self._is_chair(seat):
                self._stop(seat, t, "muted")
        return ACCEPTED

    def set_mode(self, mode: MicMode, max_open: int, t: float) -> Outcome:
        """Change the mode; microphones already on stay on."""
        if not 1 <= max_open <= 4:
            return refused("同时开启的话筒数须在 1 至 4 之间")
        self.mode = mode
        self.max_open = max_open
        if mode in (MicMode.OVERRIDE, MicMode.VOICE):
            self.queue.clear()
        self._advance(t)
        return ACCEPTED

    def drop_seat(self, seat: int, t: float) -> None:
        """A member left or the terminal failed: request dropped, microphone off."""
        if seat in self.queue:
            self.queue.remove(seat)
        if seat in self.speakers:
            self._stop(seat, t, "self")
            self._advance(t)

    def tick(self, t: float) -> None:
        """Warn speakers near their limit, cut off those past it, then serve the queue."""
        warn = self.setup.speaking.warn_before_s
        for seat in sorted(self.speakers):
            speech = self.speakers[seat]
            if speech.limit_s is None:
                continue
            if t >= speech.started + speech.limit_s:
                self._stop(seat, t, "time")
            elif t >= speech.started + speech.limit_s - warn:
                speech.warned = True
        self._advance(t)

    def snapshot(self, now: float) -> dict[str, Any]:
        """The floor for the kiosk: mode, queue, speakers with their remaining time."""
        return {
            "mode": str(self.mode),
            "max_open": self.max_open,
            "queue": list(self.queue),
            "speakers": [
                {
                    "seat": s.seat,
                    "started": s.started,
                    "limit_s": s.limit_s,
                    "remaining_s": None if s.limit_s is None else max(0.0, s.started + s.limit_s - now),
                    "warned": s.warned,
                }
                for s in sorted(self.speakers.values(), key=lambda s: (s.started, s.seat))
            ],
            "finished": [[f.seat, f.started, f.ended, f.reason] for f in self.finished],
        }
