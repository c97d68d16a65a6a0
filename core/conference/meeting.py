"""Meeting set-up for the presidium e-conference: members, seats, IC cards, agenda and vote settings.

Everything here is plain data prepared by the operator before the meeting.  :func:`MeetingSetup.validate`
returns the problems in Chinese, one message each, so the set-up screen can show them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

from core.conference.law import QUORUM_LAW, Body, default_majority, misfit

MAX_SEATS = 4096
GATE_SEAT = 0
"""Seat number used by the entrance gate card reader (sign-in at the door, GB 50799-2012)."""


class PressRule(StrEnum):
    """Which key press counts when a seat presses more than once during a vote."""

    FIRST = "first"
    LAST = "last"


class Reveal(StrEnum):
    """Whether the result is shown as soon as the vote closes or only when the chair releases it."""

    IMMEDIATE = "immediate"
    DELAYED = "delayed"


class ItemKind(StrEnum):
    """What an agenda item is voted on."""

    BILL = "bill"
    AMENDMENT = "amendment"
    APPOINTMENT = "appointment"
    PROCEDURAL = "procedural"


class MicMode(StrEnum):
    """Microphone modes as offered by the Taiden / Bosch seat systems."""

    OPEN = "open"
    OVERRIDE = "override"
    APPLY = "apply"
    VOICE = "voice"


@dataclass(frozen=True)
class QuorumRule:
    """How many of ALL members must be present: ``present > n/d`` (strict) or ``present >= n/d``."""

    numerator: int
    denominator: int
    strict: bool
    label: str
    body: str = ""
    """The body whose meetings this rule governs (a :class:`core.conference.law.Body` value); empty for a
    rule set by hand, which then allows every body's majorities."""
    citation: str = ""

    def required(self, total: int) -> int:
        """Smallest number present that satisfies the rule for ``total`` members."""
        return threshold(total, self.numerator, self.denominator, self.strict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"numerator": self.numerator, "denominator": self.denominator, "strict": self.strict,
                "label": self.label, "body": self.body, "citation": self.citation}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuorumRule:
        """Inverse of :meth:`to_dict`; a rule stored before bodies were recorded is matched to its body."""
        rule = cls(int(data["numerator"]), int(data["denominator"]), bool(data["strict"]), str(data["label"]),
                   str(data.get("body", "")), str(data.get("citation", "")))
        if "body" in data:
            return rule
        for body, prefix in (("presidium", "主席团"), ("session", "代表大会"), ("council", "主任会议"),
                             ("standing", "常委会")):
            if rule.label.startswith(prefix):
                return QUORUMS[body]
        return rule


def threshold(total: int, numerator: int, denominator: int, strict: bool) -> int:
    """Smallest count ``k`` with ``k > total*n/d`` (strict) or ``k >= total*n/d``, computed exactly."""
    exact = Fraction(total * numerator, denominator)
    floor = exact.numerator // exact.denominator
    if strict:
        return floor + 1
    return floor if exact.denominator == 1 else floor + 1


def _quorum(body: Body) -> QuorumRule:
    law = QUORUM_LAW[body]
    return QuorumRule(law.numerator, law.denominator, law.strict, law.label, str(body), law.citation)


QUORUMS: dict[str, QuorumRule] = {str(body): _quorum(body) for body in Body}
"""The quorum of each body's meetings, by body, with the article it rests on."""
QUORUM_STANDING_COMMITTEE = QUORUMS["standing"]
QUORUM_CONGRESS_SESSION = QUORUMS["session"]
QUORUM_PRESIDIUM = QUORUMS["presidium"]
QUORUM_COUNCIL = QUORUMS["council"]


@dataclass(frozen=True)
class VoteSettings:
    """Settings of one vote (GB 50799-2012: named/anonymous, first/last press, fixed/chair-ended, reveal)."""

    anonymous: bool = True
    press: PressRule = PressRule.FIRST
    duration_s: float | None = None
    """Fixed duration in seconds; ``None`` means the chair ends the vote."""
    reveal: Reveal = Reveal.IMMEDIATE
    majority: str = ""
    """Key of a majority preset in :data:`core.conference.voting.MAJORITY_PRESETS`; empty: the rule the
    meeting's body uses for the item's kind (see :func:`MeetingSetup.majority_of`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "press", PressRule(self.press))
        object.__setattr__(self, "reveal", Reveal(self.reveal))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "anonymous": self.anonymous,
            "press": str(self.press),
            "duration_s": self.duration_s,
            "reveal": str(self.reveal),
            "majority": self.majority,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoteSettings:
        """Inverse of :meth:`to_dict`."""
        duration = data.get("duration_s")
        return cls(
            anonymous=bool(data["anonymous"]),
            press=PressRule(data["press"]),
            duration_s=None if duration is None else float(duration),
            reveal=Reveal(data["reveal"]),
            majority=str(data["majority"]),
        )


@dataclass(frozen=True)
class Member:
    """A member of the body that meets (deputy, committee member or presidium member)."""

    member_id: str
    name: str


@dataclass(frozen=True)
class AgendaItem:
    """One item of the agenda and how it is voted on."""

    item_id: str
    title: str
    kind: ItemKind = ItemKind.BILL
    settings: VoteSettings = field(default_factory=VoteSettings)
    amends: str | None = None
    """For an amendment: the item it amends (which may only be voted after all its amendments)."""
    candidates: tuple[str, ...] = ()
    """For an appointment: the candidates, voted on person by person."""

    def questions(self) -> tuple[str, ...]:
        """The questions of the ballot: one per candidate for an appointment, else the item itself."""
        return self.candidates if self.kind is ItemKind.APPOINTMENT else (self.title,)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "item_id": self.item_id,
            "title": self.title,
            "kind": str(self.kind),
            "settings": self.settings.to_dict(),
            "amends": self.amends,
            "candidates": list(self.candidates),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgendaItem:
        """Inverse of :meth:`to_dict`."""
        return cls(
            item_id=str(data["item_id"]),
            title=str(data["title"]),
            kind=ItemKind(data["kind"]),
            settings=VoteSettings.from_dict(data["settings"]),
            amends=data.get("amends"),
            candidates=tuple(data.get("candidates", ())),
        )


@dataclass(frozen=True)
class SpeakingSettings:
    """Microphone mode and speech time limits (presidium practice: 15 minutes, then 10 — 请核对)."""

    mode: MicMode = MicMode.OPEN
    max_open: int = 4
    first_limit_s: float = 15 * 60
    later_limit_s: float = 10 * 60
    warn_before_s: float = 60

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "mode": str(self.mode),
            "max_open": self.max_open,
            "first_limit_s": self.first_limit_s,
            "later_limit_s": self.later_limit_s,
            "warn_before_s": self.warn_before_s,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpeakingSettings:
        """Inverse of :meth:`to_dict`."""
        return cls(
            mode=MicMode(data["mode"]),
            max_open=int(data["max_open"]),
            first_limit_s=float(data["first_limit_s"]),
            later_limit_s=float(data["later_limit_s"]),
            warn_before_s=float(data["warn_before_s"]),
        )


@dataclass(frozen=True)
class MeetingSetup:
    """Everything the operator prepares before a meeting opens."""

    meeting_id: str
    title: str
    members: tuple[Member, ...]
    seats: dict[int, str]
    """Seat number → member id."""
    cards: dict[str, str] = field(default_factory=dict)
    """IC card id → member id."""
    agenda: tuple[AgendaItem, ...] = ()
    quorum: QuorumRule = QUORUM_STANDING_COMMITTEE
    speaking: SpeakingSettings = field(default_factory=SpeakingSettings)
    chair_seats: frozenset[int] = frozenset()
    citations: dict[str, str] = field(default_factory=dict)
    """Overrides of the law citation shown with a result, by majority preset key."""

    @property
    def total_members(self) -> int:
        """Number of ALL members: the base of quorum and majority."""
        return len(self.members)

    def member_ids(self) -> set[str]:
        """Ids of all members."""
        return {m.member_id for m in self.members}

    def seat_of(self, member_id: str) -> int | None:
        """The seat assigned to a member, if any."""
        for seat, mid in self.seats.items():
            if mid == member_id:
                return seat
        return None

    def majority_of(self, item: AgendaItem, settings: VoteSettings | None = None) -> str:
        """The majority key an item is voted under: its own, or its body's rule for its kind."""
        return (settings or item.settings).majority or default_majority(self.quorum.body, str(item.kind))

    def item(self, item_id: str) -> AgendaItem | None:
        """Agenda item by id."""
        return next((i for i in self.agenda if i.item_id == item_id), None)

    def validate(self) -> list[str]:
        """All problems of the set-up, in Chinese; empty when the meeting can open."""
        errors: list[str] = []
        ids = [m.member_id for m in self.members]
        if not self.members:
            errors.append("未设置与会人员")
        for mid in sorted({i for i in ids if ids.count(i) > 1}):
            errors.append(f"人员编号重复：{mid}")
        for m in self.members:
            if not m.name.strip():
                errors.append(f"人员 {m.member_id} 未填写姓名")
        known = set(ids)
        seen: dict[str, int] = {}
        for seat, mid in sorted(self.seats.items()):
            if not 1 <= seat <= MAX_SEATS:
                errors.append(f"席位号 {seat} 超出范围（1–{MAX_SEATS}）")
            if mid not in known:
                errors.append(f"席位 {seat} 分配给了不存在的人员 {mid}")
            if mid in seen:
                errors.append(f"人员 {mid} 同时分配在席位 {seen[mid]} 和 {seat}")
            seen.setdefault(mid, seat)
        for seat in sorted(self.chair_seats):
            if seat not in self.seats:
                errors.append(f"主席席位 {seat} 未分配人员")
        for card, mid in sorted(self.cards.items()):
            if mid not in known:
                errors.append(f"IC 卡 {card} 绑定了不存在的人员 {mid}")
        item_ids = [i.item_id for i in self.agenda]
        for iid in sorted({i for i in item_ids if item_ids.count(i) > 1}):
            errors.append(f"议程编号重复：{iid}")
        position = {iid: n for n, iid in enumerate(item_ids)}
        for n, item in enumerate(self.agenda):
            key = self.majority_of(item)
            wrong = misfit(self.quorum.body, key, bool(self.citations.get(key)))
            if wrong:
                errors.append(f"议程 {item.title}：{wrong}")
            if item.settings.duration_s is not None and item.settings.duration_s <= 0:
                errors.append(f"议程 {item.title} 的表决时长必须大于零")
            if item.kind is ItemKind.AMENDMENT:
                if item.amends is None or item.amends not in position:
                    errors.append(f"修正案 {item.title} 未指明所修正的议程")
                elif position[item.amends] < n:
                    errors.append(f"修正案 {item.title} 须排在所修正的议程之前（先表决修正案，再表决全案）")
            elif item.amends is not None:
                errors.append(f"议程 {item.title} 不是修正案，不能指定所修正的议程")
            if item.kind is ItemKind.APPOINTMENT and not item.candidates:
                errors.append(f"任免事项 {item.title} 没有候选人")
            if len(set(item.candidates)) != len(item.candidates):
                errors.append(f"任免事项 {item.title} 的候选人重复")
        if not 1 <= self.speaking.max_open <= 4:
            errors.append("同时开启的话筒数须在 1 至 4 之间")
        if self.speaking.first_limit_s <= 0 or self.speaking.later_limit_s <= 0:
            errors.append("发言时限必须大于零")
        return errors

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (stored as the first journal entry)."""
        return {
            "meeting_id": self.meeting_id,
            "title": self.title,
            "members": [[m.member_id, m.name] for m in self.members],
            "seats": {str(k): v for k, v in sorted(self.seats.items())},
            "cards": dict(sorted(self.cards.items())),
            "agenda": [i.to_dict() for i in self.agenda],
            "quorum": self.quorum.to_dict(),
            "speaking": self.speaking.to_dict(),
            "chair_seats": sorted(self.chair_seats),
            "citations": dict(sorted(self.citations.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingSetup:
        """Inverse of :meth:`to_dict`."""
        return cls(
            meeting_id=str(data["meeting_id"]),
            title=str(data["title"]),
            members=tuple(Member(str(a), str(b)) for a, b in data["members"]),
            seats={int(k): str(v) for k, v in data["seats"].items()},
            cards={str(k): str(v) for k, v in data["cards"].items()},
            agenda=tuple(AgendaItem.from_dict(i) for i in data["agenda"]),
            quorum=QuorumRule.from_dict(data["quorum"]),
            speaking=SpeakingSettings.from_dict(data["speaking"]),
            chair_seats=frozenset(int(s) for s in data["chair_seats"]),
            citations={str(k): str(v) for k, v in data["citations"].items()},
        )


@dataclass(frozen=True)
class Roster:
    """Members, seat plan and IC cards read from an imported table, with the problems found."""

    members: tuple[Member, ...]
    seats: dict[int, str]
    cards: dict[str, str]
    errors: tuple[str, ...]


def import_roster(text: str) -> Roster:
    """Read a roster table (CSV text with the header ``编号,姓名,席位,IC卡``; seat and card optional).

    Rows with problems are reported (line numbers as in the file) and left out; the rest is kept so
    the operator can fix the file or finish the plan in the seat-plan editor.
    """
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [h for h in ("编号", "姓名") if h not in (reader.fieldnames or [])]
    if missing:
        return Roster((), {}, {}, (f"表头缺少：{'、'.join(missing)}",))
    members: list[Member] = []
    seats: dict[int, str] = {}
    cards: dict[str, str] = {}
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        mid = (row.get("编号") or "").strip()
        name = (row.get("姓名") or "").strip()
        seat_text = (row.get("席位") or "").strip()
        card = (row.get("IC卡") or "").strip()
        if not mid or not name:
            errors.append(f"第 {line} 行：编号和姓名不能为空")
            continue
        if any(m.member_id == mid for m in members):
            errors.append(f"第 {line} 行：人员编号 {mid} 重复")
            continue
        seat: int | None = None
        if seat_text:
            if not seat_text.isdigit() or not 1 <= int(seat_text) <= MAX_SEATS:
                errors.append(f"第 {line} 行：席位号“{seat_text}”无效")
                continue
            seat = int(seat_text)
            if seat in seats:
                errors.append(f"第 {line} 行：席位 {seat} 已分配给 {seats[seat]}")
                continue
        if card and card in cards:
            errors.append(f"第 {line} 行：IC 卡 {card} 已绑定 {cards[card]}")
            continue
        members.append(Member(mid, name))
        if seat is not None:
            seats[seat] = mid
        if card:
            cards[card] = mid
    return Roster(tuple(members), seats, cards, tuple(errors))
