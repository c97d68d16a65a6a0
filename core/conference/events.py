"""Rule-level events from the seat terminals and commands from the operator and the chair.

Every message carries a monotonic timestamp ``t`` in seconds supplied by the caller; the rules never
read a clock.  Device events also carry the seat number.  Messages serialize to plain JSON
(:func:`to_dict` / :func:`from_dict`) for the journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from core.conference.meeting import MicMode, VoteSettings


class Message:
    """Base of all events and commands."""

    t: float
    kind: ClassVar[str] = "message"


# --- device events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceEvent(Message):
    """An event reported by a seat terminal.

    ``wire_seq`` is the terminal's frame sequence number (-1 when the event did not come off a wire). It
    is journaled with the event so a console restarted after a crash knows which retransmission it has
    already counted (see ``docs/seat-protocol.md``, acknowledgement after journaling).
    """

    seat: int
    t: float
    wire_seq: int = field(default=-1, kw_only=True)
    kind: ClassVar[str] = "event"


@dataclass(frozen=True)
class SeatKeyPressed(DeviceEvent):
    """The sign-in key was pressed (报到)."""


@dataclass(frozen=True)
class CardSwiped(DeviceEvent):
    """An IC card was read at a seat, or at the entrance gate (seat 0)."""

    card_id: str = ""


@dataclass(frozen=True)
class SeatLeft(DeviceEvent):
    """The member at the seat signed out (left the hall; returns by signing in again)."""


@dataclass(frozen=True)
class SpeakRequested(DeviceEvent):
    """The request-to-speak key was pressed."""


@dataclass(frozen=True)
class SpeakCancelled(DeviceEvent):
    """The request was withdrawn, or a speaker switched the microphone off."""


@dataclass(frozen=True)
class VoteCast(DeviceEvent):
    """A vote key was pressed: ``choice`` is yes/no/abstain; ``question`` selects a candidate."""

    choice: str = "yes"
    question: int = 0


@dataclass(frozen=True)
class ChairPriority(DeviceEvent):
    """The chair's priority key: all delegate microphones go off."""


@dataclass(frozen=True)
class SeatFault(DeviceEvent):
    """The terminal reported a fault."""

    reason: str = ""


@dataclass(frozen=True)
class SeatSilent(DeviceEvent):
    """The terminal stopped answering polls."""


@dataclass(frozen=True)
class SeatBack(DeviceEvent):
    """The terminal answers again after a fault or silence."""


@dataclass(frozen=True)
class Tick(Message):
    """The passage of time: drives countdowns and speech limits."""

    t: float
    kind: ClassVar[str] = "tick"


# --- operator and chair commands ---------------------------------------------------------------


@dataclass(frozen=True)
class Command(Message):
    """A command from the operator or the chair console."""

    t: float
    kind: ClassVar[str] = "command"


@dataclass(frozen=True)
class OpenMeeting(Command):
    """Open the meeting (votes may only open in an open meeting)."""


@dataclass(frozen=True)
class CloseMeeting(Command):
    """Close the meeting; no further sign-in, speech or vote."""


@dataclass(frozen=True)
class OpenVote(Command):
    """Open the vote on an agenda item, optionally overriding its settings."""

    item_id: str = ""
    settings: VoteSettings | None = None


@dataclass(frozen=True)
class CloseVote(Command):
    """End the running vote (chair-ended votes, or early end of a fixed one)."""


@dataclass(frozen=True)
class CancelVote(Command):
    """Abandon the running vote without a result (e.g. the terminals failed)."""


@dataclass(frozen=True)
class PutQuestion(Command):
    """Person-by-person vote on seat terminals: put question (candidate) ``question`` to the keys now.

    The question put before is closed: a late press for it is refused, so it can never count for the
    next candidate (protocol version 2 carries the question number in VOTE_OPEN and VOTE).
    """

    question: int = 0


@dataclass(frozen=True)
class RevealResult(Command):
    """Release a result held back by delayed reveal."""

    item_id: str = ""


@dataclass(frozen=True)
class EnterShowOfHands(Command):
    """Counts from a show of hands, entered by the operator: one (yes, no, abstain) per question."""

    item_id: str = ""
    counts: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class ApproveSpeaker(Command):
    """The chair gives the floor to a seat (apply mode, or out of turn)."""

    seat: int = 0


@dataclass(frozen=True)
class RejectSpeaker(Command):
    """The chair removes a request from the queue."""

    seat: int = 0


@dataclass(frozen=True)
class StopSpeaker(Command):
    """The chair switches a speaker's microphone off."""

    seat: int = 0


@dataclass(frozen=True)
class MuteAll(Command):
    """All delegate microphones off."""


@dataclass(frozen=True)
class SetMicMode(Command):
    """Change the microphone mode and the number of open microphones (1–4)."""

    mode: MicMode = MicMode.OPEN
    max_open: int = 4


@dataclass(frozen=True)
class ManualSignIn(Command):
    """The operator signs a member in by hand (terminal broken, card forgotten)."""

    member_id: str = ""


MESSAGE_TYPES: dict[str, type[Message]] = {
    cls.__name__: cls
    for cls in (
        SeatKeyPressed,
        CardSwiped,
        SeatLeft,
        SpeakRequested,
        SpeakCancelled,
        VoteCast,
        ChairPriority,
        SeatFault,
        SeatSilent,
        SeatBack,
        Tick,
        OpenMeeting,
        CloseMeeting,
        OpenVote,
        CloseVote,
        CancelVote,
        PutQuestion,
        RevealResult,
        EnterShowOfHands,
        ApproveSpeaker,
        RejectSpeaker,
        StopSpeaker,
        MuteAll,
        SetMicMode,
        ManualSignIn,
    )
}


def to_dict(message: Message) -> dict[str, Any]:
    """Plain-JSON form of a message, with its type name under ``"type"``."""
    out: dict[str, Any] = {"type": type(message).__name__}
    for f in fields(message):  # type: ignore[arg-type]
        value = getattr(message, f.name)
        if isinstance(value, VoteSettings):
            value = value.to_dict()
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        elif isinstance(value, MicMode):
            value = str(value)
        if f.name == "wire_seq" and value < 0:
            continue  # events not from a wire journal exactly as before
        out[f.name] = value
    return out


def from_dict(data: dict[str, Any]) -> Message:
    """Inverse of :func:`to_dict`."""
    cls = MESSAGE_TYPES[data["type"]]
    kwargs = {k: v for k, v in data.items() if k != "type"}
    if cls is OpenVote and kwargs.get("settings") is not None:
        kwargs["settings"] = VoteSettings.from_dict(kwargs["settings"])
    if cls is EnterShowOfHands:
        kwargs["counts"] = tuple(tuple(int(x) for x in c) for c in kwargs.get("counts", ()))
    if cls is SetMicMode:
        kwargs["mode"] = MicMode(kwargs["mode"])
    return cls(**kwargs)


@dataclass(frozen=True)
class Outcome:
    """What the rules made of a message: accepted or refused, with a message in Chinese."""

    ok: bool
    message: str = ""


ACCEPTED = Outcome(True)


def refused(message: str) -> Outcome:
    """A refusal with its reason."""
    return Outcome(False, message)
