"""Voting (表决): named or anonymous ballots, legal majorities measured against ALL members.

- A vote opens only in an open meeting with the quorum present, one at a time; the amendments of an
  item are voted before the item itself; an appointment is one ballot with a question per candidate
  (person by person).
- Only a seat whose member is signed in and present may vote; each seat counts at most once per
  question.  First-press-valid keeps the first key; last-press-valid lets the seat change its mind
  until the vote closes.
- A fixed-duration vote closes itself on the first :class:`Tick` at or after its deadline; a
  chair-ended vote runs until :class:`CloseVote`.
- The result compares the yes votes with a threshold over ALL members (not those present or voting)
  and carries the law's article; a delayed result stays hidden until :class:`RevealResult`.

Anonymous ballots keep only the set of seats that have voted and the per-choice counts.  For
last-press-valid anonymous ballots each seat additionally has an opaque HMAC commitment under a random
key that exists only in memory while the vote is open; a change of mind is undone by testing which of
the three choices opens the commitment.  Key and commitments are dropped at close, and neither ever
appears in a snapshot or the journal (see docs/conference-rules.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from core.conference.events import ACCEPTED, Outcome, refused
from core.conference.law import ALL, MAJORITY_LAW, PRESENT, misfit
from core.conference.meeting import (
    AgendaItem,
    ItemKind,
    MeetingSetup,
    PressRule,
    Reveal,
    VoteSettings,
    threshold,
)
from core.conference.sign_in import Attendance


class Choice(StrEnum):
    """The three vote keys."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


CHOICE_LABELS = {Choice.YES: "赞成", Choice.NO: "反对", Choice.ABSTAIN: "弃权"}


@dataclass(frozen=True)
class MajorityRule:
    """``yes > n/d * all`` (strict) or ``yes >= n/d * all``, with the law it comes from."""

    key: str
    label: str
    numerator: int
    denominator: int
    strict: bool
    citation: str
    base: str = ALL
    """``all``: measured against all members; ``present``: against those present when the vote opened."""

    def required(self, total_members: int) -> int:
        """Yes votes needed with ``total_members`` members in all (or present, for a ``present`` rule)."""
        return threshold(total_members, self.numerator, self.denominator, self.strict)


MAJORITY_PRESETS: dict[str, MajorityRule] = {
    law.key: MajorityRule(law.key, law.label, law.numerator, law.denominator, law.strict, law.citation, law.base)
    for law in MAJORITY_LAW
}
"""Every majority a vote can be measured against, with its article (see :mod:`core.conference.law`)."""


class Ballot:
    """One question of a vote: who has voted and the counts (and, if named, who chose what)."""

    def __init__(self, label: str, anonymous: bool, press: PressRule) -> None:
        self.label = label
        self.anonymous = anonymous
        self.press = press
        self.counts: dict[Choice, int] = {c: 0 for c in Choice}
        self.voted: set[int] = set()
        self.named: dict[int, Choice] = {}
        self._key = secrets.token_bytes(32) if anonymous and press is PressRule.LAST else b""
        self._commitments: dict[int, bytes] = {}

    def _commit(self, seat: int, choice: Choice) -> bytes:
        return hmac.new(self._key, f"{seat}:{choice}".encode(), hashlib.sha256).digest()

    def cast(self, seat: int, choice: Choice) -> Outcome:
        """Count a key press from ``seat``."""
        if seat in self.voted:
            if self.press is PressRule.FIRST:
                return refused(f"席位 {seat} 已表决（首次按键有效）")
            if self.anonymous:
                old = next(c for c in Choice if hmac.compare_digest(self._commitments[seat], self._commit(seat, c)))
                self._commitments[seat] = self._commit(seat, choice)
            else:
                old = self.named[seat]
                self.named[seat] = choice
            self.counts[old] -= 1
            self.counts[choice] += 1
            return ACCEPTED
        self.voted.add(seat)
        self.counts[choice] += 1
        if self.anonymous:
            if self.press is PressRule.LAST:
                self._commitments[seat] = self._commit(seat, choice)
        else:
            self.named[seat] = choice
        return ACCEPTED

    def seal(self) -> None:
        """Drop everything that could link a seat to a choice in an anonymous ballot."""
        self._commitments.clear()
        self._key = b""

    def public(self) -> dict[str, Any]:
        """Counts and the voted set (no seat→choice data for anonymous ballots)."""
        return {"counts": {str(c): n for c, n in self.counts.items()}, "voted": sorted(self.voted)}


@dataclass
class QuestionResult:
    """Result of one question."""

    label: str
    yes: int
    no: int
    abstain: int
    not_voted: int
    required: int
    passed: bool
    named: dict[int, str] | None = None
    """Seat → choice, for named votes only."""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        out: dict[str, Any] = {
            "label": self.label,
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "not_voted": self.not_voted,
            "required": self.required,
            "passed": self.passed,
            "verdict": "通过" if self.passed else "未通过",
        }
        if self.named is not None:
            out["named"] = {str(k): v for k, v in sorted(self.named.items())}
        return out


@dataclass
class VoteRecord:
    """The record of a finished vote."""

    number: int
    item_id: str
    title: str
    anonymous: bool
    show_of_hands: bool
    total_members: int
    present: int
    majority: str
    majority_label: str
    citation: str
    questions: list[QuestionResult]
    opened_at: float
    closed_at: float
    revealed: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "number": self.number,
            "item_id": self.item_id,
            "title": self.title,
            "anonymous": self.anonymous,
            "method": "举手表决（电子表决器故障，由工作人员录入）" if self.show_of_hands else "电子表决",
            "show_of_hands": self.show_of_hands,
            "total_members": self.total_members,
            "present": self.present,
            "majority": self.majority,
            "majority_label": self.majority_label,
            "citation": self.citation,
            "questions": [q.to_dict() for q in self.questions],
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "revealed": self.revealed,
            "passed": all(q.passed for q in self.questions) if len(self.questions) == 1 else None,
        }


@dataclass
class VoteSession:
    """A vote that is open."""

    number: int
    item: AgendaItem
    settings: VoteSettings
    opened_at: float
    present_at_open: int
    ballots: list[Ballot]
    deadline: float | None = field(default=None)
    put: int = 0
    """The question seat terminals vote on now (person-by-person votes put them one by one)."""
    closed_questions: set[int] = field(default_factory=set)
    """Questions put before and closed: presses for them are refused."""


class Voting:
    """The voting state machine."""

    def __init__(self, setup: MeetingSetup) -> None:
        self.setup = setup
        self.current: VoteSession | None = None
        self.records: list[VoteRecord] = []
        self.counter = 0
        self.restored: dict[int, list[dict[str, Any]]] = {}
        """Anonymous tallies read back from the journal, by vote number (see journal.py)."""

    def majority_rule(self, key: str) -> MajorityRule:
        """The preset, with the citation overridden by the set-up if configured."""
        rule = MAJORITY_PRESETS[key]
        citation = self.setup.citations.get(key)
        if not citation:
            return rule
        return replace(rule, citation=citation)

    def decided(self, item_id: str) -> bool:
        """Whether the item has a result."""
        return any(r.item_id == item_id for r in self.records)

    def _can_open(self, item: AgendaItem, attendance: Attendance) -> Outcome:
        if self.current is not None:
            return refused(f"表决“{self.current.item.title}”尚未结束")
        if self.decided(item.item_id):
            return refused(f"“{item.title}”已表决")
        pending = [a.title for a in self.setup.agenda if a.amends == item.item_id and not self.decided(a.item_id)]
        if pending:
            return refused("须先表决修正案：" + "、".join(pending))
        if item.kind is ItemKind.AMENDMENT and item.amends is not None and self.decided(item.amends):
            return refused("全案已表决，不能再表决其修正案")
        if not attendance.quorum_met:
            return refused(
                f"出席 {attendance.present_count} 人，未达到法定人数 {attendance.quorum_required} 人"
                f"（{self.setup.quorum.label}），不能开始表决"
            )
        return ACCEPTED

    def open(self, item_id: str, settings: VoteSettings | None, t: float, attendance: Attendance) -> Outcome:
        """Open the vote on an agenda item."""
        item = self.setup.item(item_id)
        if item is None:
            return refused(f"议程 {item_id} 不存在")
        settings = settings or item.settings
        key = self.setup.majority_of(item, settings)
        settings = replace(settings, majority=key)
        wrong = misfit(self.setup.quorum.body, key, bool(self.setup.citations.get(key)))
        if wrong:
            return refused(wrong)
        check = self._can_open(item, attendance)
        if not check.ok:
            return check
        self.counter += 1
        ballots = [Ballot(label, settings.anonymous, settings.press) for label in item.questions()]
        deadline = None if settings.duration_s is None else t + settings.duration_s
        self.current = VoteSession(self.counter, item, settings, t, attendance.present_count, ballots, deadline)
        return ACCEPTED

    def cast(self, seat: int, choice: str, question: int, attendance: Attendance) -> Outcome:
        """A vote key at ``seat``."""
        if self.current is None:
            return refused("当前没有进行中的表决")
        if not attendance.is_present_at(seat):
            return refused(f"席位 {seat} 未报到，表决器不可用")
        try:
            key = Choice(choice)
        except ValueError:
            return refused(f"无效的表决键：{choice}")
        if not 0 <= question < len(self.current.ballots):
            return refused(f"无效的表决事项序号：{question}")
        if question in self.current.closed_questions:
            return refused(f"“{self.current.ballots[question].label}”的表决已截止")
        return self.current.ballots[question].cast(seat, key)

    def put_question(self, question: int) -> Outcome:
        """Put the next question of a person-by-person vote to the terminals; the one before closes."""
        current = self.current
        if current is None:
            return refused("当前没有进行中的表决")
        if not 0 <= question < len(current.ballots):
            return refused(f"无效的表决事项序号：{question}")
        if question in current.closed_questions:
            return refused(f"“{current.ballots[question].label}”的表决已截止，不能再次表决")
        if question == current.put:
            return refused(f"正在表决“{current.ballots[question].label}”")
        current.closed_questions.add(current.put)
        current.put = question
        return ACCEPTED

    def _finish(self, session: VoteSession, t: float, counts: list[tuple[int, int, int]], hands: bool) -> None:
        rule = self.majority_rule(session.settings.majority)
        total = self.setup.total_members
        required = rule.required(session.present_at_open if rule.base == PRESENT else total)
        questions = []
        for ballot, (yes, no, abstain) in zip(session.ballots, counts, strict=True):
            named = None if session.settings.anonymous or hands else {s: str(c) for s, c in ballot.named.items()}
            questions.append(
                QuestionResult(ballot.label, yes, no, abstain, total - yes - no - abstain, required, yes >= required, named)
            )
        revealed = hands or session.settings.reveal is Reveal.IMMEDIATE
        self.records.append(
            VoteRecord(
                session.number,
                session.item.item_id,
                session.item.title,
                session.settings.anonymous,
                hands,
                total,
                session.present_at_open,
                rule.key,
                rule.label,
                rule.citation,
                questions,
                session.opened_at,
                t,
                revealed,
            )
        )

    def close(self, t: float) -> Outcome:
        """Close the running vote and compute its result."""
        session = self.current
        if session is None:
            return refused("当前没有进行中的表决")
        restored = self.restored.get(session.number)
        if restored is not None and session.settings.anonymous:
            for ballot, data in zip(session.ballots, restored, strict=True):
                ballot.counts = {Choice(c): int(n) for c, n in data["counts"].items()}
                ballot.voted = {int(s) for s in data["voted"]}
        for ballot in session.ballots:
            ballot.seal()
        counts = [(b.counts[Choice.YES], b.counts[Choice.NO], b.counts[Choice.ABSTAIN]) for b in session.ballots]
        self._finish(session, t, counts, hands=False)
        self.current = None
        return ACCEPTED

    def cancel(self) -> Outcome:
        """Abandon the running vote; its ballots are discarded."""
        if self.current is None:
            return refused("当前没有进行中的表决")
        for ballot in self.current.ballots:
            ballot.seal()
        self.current = None
        return ACCEPTED

    def reveal(self, item_id: str) -> Outcome:
        """Release a delayed result."""
        for record in reversed(self.records):
            if record.item_id == item_id:
                record.revealed = True
                return ACCEPTED
        return refused(f"议程 {item_id} 尚无表决结果")

    def show_of_hands(
        self, item_id: str, counts: tuple[tuple[int, int, int], ...], t: float, attendance: Attendance
    ) -> Outcome:
        """Counts of a show of hands entered by the operator; replaces an electronic vote on the item."""
        item = self.setup.item(item_id)
        if item is None:
            return refused(f"议程 {item_id} 不存在")
        if len(counts) != len(item.questions()):
            return refused(f"须录入 {len(item.questions())} 项表决的票数")
        for c in counts:
            if len(c) != 3 or min(c) < 0:
                return refused("票数不能为负数")
            if sum(c) > self.setup.total_members:
                return refused(f"票数合计 {sum(c)} 超过全体人数 {self.setup.total_members}")
        if self.current is not None and self.current.item.item_id == item_id:
            self.cancel()
        check = self._can_open(item, attendance)
        if not check.ok:
            return check
        key = self.setup.majority_of(item)
        wrong = misfit(self.setup.quorum.body, key, bool(self.setup.citations.get(key)))
        if wrong:
            return refused(wrong)
        self.counter += 1
        settings = replace(item.settings, majority=key)
        ballots = [Ballot(label, True, PressRule.FIRST) for label in item.questions()]
        session = VoteSession(self.counter, item, settings, t, attendance.present_count, ballots)
        self._finish(session, t, [(c[0], c[1], c[2]) for c in counts], hands=True)
        return ACCEPTED

    def tick(self, t: float) -> None:
        """Close a fixed-duration vote whose time is up."""
        if self.current is not None and self.current.deadline is not None and t >= self.current.deadline:
            self.close(t)

    # --- views -------------------------------------------------------------------------------

    def anonymous_tally(self) -> list[dict[str, Any]] | None:
        """Per-question counts and voted sets of the running anonymous vote (for the journal at close)."""
        if self.current is None or not self.current.settings.anonymous:
            return None
        return [b.public() for b in self.current.ballots]

    def snapshot(self, now: float) -> dict[str, Any]:
        """Voting for the kiosk.

        While a vote is open every seat that has voted is shown; live counts (and, for a named vote,
        who chose what) only for a named vote with immediate reveal — never for an anonymous one, where
        a count changing as a seat lights up would give the seat's choice away.
        """
        current: dict[str, Any] | None = None
        if self.current is not None:
            s = self.current
            questions = []
            for b in s.ballots:
                q: dict[str, Any] = {"label": b.label, "voted": sorted(b.voted), "voted_count": len(b.voted)}
                if not s.settings.anonymous and s.settings.reveal is Reveal.IMMEDIATE:
                    q["counts"] = {str(c): n for c, n in b.counts.items()}
                    q["named"] = {str(k): str(v) for k, v in sorted(b.named.items())}
                questions.append(q)
            current = {
                "number": s.number,
                "item_id": s.item.item_id,
                "title": s.item.title,
                "settings": s.settings.to_dict(),
                "opened_at": s.opened_at,
                "elapsed_s": max(0.0, now - s.opened_at),
                "remaining_s": None if s.deadline is None else max(0.0, s.deadline - now),
                "questions": questions,
                "put": s.put,
                "closed_questions": sorted(s.closed_questions),
            }
        results = []
        for r in self.records:
            if r.revealed:
                results.append(r.to_dict())
            else:
                results.append({"number": r.number, "item_id": r.item_id, "title": r.title, "revealed": False})
        return {"current": current, "results": results}
