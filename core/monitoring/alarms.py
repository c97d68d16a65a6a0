"""Alarm rules: when a point's values raise, hold and clear an alarm. Pure: no database, no clock of its own.

A :class:`Rule` comes from a ``mon_point`` row. :class:`PointJudge` is fed the point's readings in time order
and answers with :class:`AlarmEvent` values; the collector turns them into ``mon_alarm`` rows
(:mod:`core.monitoring.store`). Each condition — high warning, high critical, low warning, low critical, rate
of change, bool state — is judged on its own:

- **threshold**: high raises when the value is above the limit (low: below);
- **on-delay**: the condition must hold without a break for ``on_delay_s`` before the alarm is raised, so a
  spike shorter than that raises nothing;
- **hysteresis**: a raised high alarm clears only when the value falls to ``limit − hysteresis`` or below
  (low: rises to ``limit + hysteresis``), so a value hovering at the limit raises it once;
- **rate of change**: the change over the last ``rate_window_s`` (at least half of it seen), scaled to an
  hour, above ``rate_limit_per_h`` in magnitude; it clears below 80 % of the limit;
- **flapping**: when a condition has been raised :attr:`Policy.flap_count` times within
  :attr:`Policy.flap_window_s`, its alarm is not cleared but held open and marked flapping; further returns
  count as repeats of it; it clears only after the condition stayed away for a whole ``flap_window_s``;
- **escalation** (:func:`escalations_due`): an alarm not acknowledged within ``escalate_after_s`` of its
  severity is escalated (level 1, then 2 … up to ``max_escalation``), again after each further period.

Stale and bad readings (the device stopped answering) judge nothing: the communication alarm covers them.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from core.monitoring.models import CRITICAL, HIGH, LOW, RATE, STATE, WARNING, MonPoint

RATE_CLEAR_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class Rule:
    """A point's alarm rule (the thresholds of a ``mon_point`` row)."""

    low_critical: float | None = None
    low_warning: float | None = None
    high_warning: float | None = None
    high_critical: float | None = None
    hysteresis: float = 0.0
    on_delay_s: float = 0.0
    rate_limit_per_h: float | None = None
    rate_window_s: float = 600.0
    alarm_when: str = ""  # bool points: "true" / "false"
    state_severity: str = CRITICAL

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("；".join(problems))

    def problems(self) -> list[str]:
        """What is wrong with the rule, in Chinese (empty when it is usable)."""
        out = []
        order = [("低限严重", self.low_critical), ("低限告警", self.low_warning), ("高限告警", self.high_warning),
                 ("高限严重", self.high_critical)]
        given = [(n, v) for n, v in order if v is not None]
        for (n1, v1), (n2, v2) in itertools.pairwise(given):
            if not v1 < v2:  # type: ignore[operator]
                out.append(f"{n1}（{v1:g}）必须小于{n2}（{v2:g}）")
        if any(v is not None and not math.isfinite(v) for _, v in order):
            out.append("阈值必须是有限的数")
        if self.hysteresis < 0 or self.on_delay_s < 0:
            out.append("回差和延时不能为负")
        if self.rate_limit_per_h is not None and self.rate_limit_per_h <= 0:
            out.append("变化率限值必须大于 0")
        if self.rate_window_s <= 0:
            out.append("变化率窗口必须大于 0 秒")
        if self.alarm_when not in ("", "true", "false"):
            out.append(f"状态告警条件只能是 true 或 false：{self.alarm_when}")
        if self.state_severity not in (WARNING, CRITICAL):
            out.append(f"告警级别只能是 warning 或 critical：{self.state_severity}")
        return out

    @classmethod
    def of(cls, point: MonPoint) -> Rule:
        return cls(point.low_critical, point.low_warning, point.high_warning, point.high_critical,
                   point.hysteresis or 0.0, point.on_delay_s or 0.0, point.rate_limit_per_h,
                   point.rate_window_s or 600.0, point.alarm_when or "", point.state_severity or CRITICAL)


@dataclass(frozen=True, slots=True)
class Policy:
    """Flapping and escalation, the same for every point of a room."""

    flap_count: int = 5
    flap_window_s: float = 600.0
    escalate_after_s: dict[str, float] = field(default_factory=lambda: {CRITICAL: 300.0, WARNING: 1800.0})
    max_escalation: int = 2


EventKind = Literal["raise", "clear", "repeat", "flapping", "peak"]


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """What a judge decided: raise / clear an alarm, a repeat or a flapping mark of a held one, a new peak."""

    event: EventKind
    kind: str  # high / low / rate / state
    severity: str
    at: datetime
    value: float | None
    threshold: float | None = None

    @property
    def condition(self) -> tuple[str, str]:
        return self.kind, self.severity


@dataclass(slots=True)
class _Condition:
    kind: str
    severity: str
    threshold: float | None
    pending_since: datetime | None = None
    active: bool = False
    peak: float | None = None
    raises: deque[datetime] = field(default_factory=deque)
    flapping: bool = False
    quiet_since: datetime | None = None


class PointJudge:
    """Judges one point's readings. Feed them in time order through :meth:`feed`."""

    def __init__(self, rule: Rule, policy: Policy | None = None) -> None:
        self.rule = rule
        self.policy = policy or Policy()
        self._conditions: dict[tuple[str, str], _Condition] = {}
        for kind, severity, limit in ((HIGH, CRITICAL, rule.high_critical), (HIGH, WARNING, rule.high_warning),
                                      (LOW, CRITICAL, rule.low_critical), (LOW, WARNING, rule.low_warning)):
            if limit is not None:
                self._conditions[(kind, severity)] = _Condition(kind, severity, limit)
        if rule.rate_limit_per_h is not None:
            self._conditions[(RATE, WARNING)] = _Condition(RATE, WARNING, rule.rate_limit_per_h)
        if rule.alarm_when:
            self._conditions[(STATE, rule.state_severity)] = _Condition(STATE, rule.state_severity, None)
        self._window: deque[tuple[datetime, float]] = deque()
        self._last_at: datetime | None = None

    def active(self) -> set[tuple[str, str]]:
        """The conditions whose alarm is raised (including held flapping ones)."""
        return {key for key, c in self._conditions.items() if c.active}

    def restore(self, kind: str, severity: str, flapping: bool = False) -> None:
        """Mark a condition raised (an open alarm found in the database at start)."""
        cond = self._conditions.get((kind, severity))
        if cond is not None:
            cond.active, cond.flapping = True, flapping

    def feed(self, at: datetime, value: float | bool | None) -> list[AlarmEvent]:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return []
        if self._last_at is not None and at < self._last_at:
            return []  # the clock stepped back: judge nothing until time is past the last reading again
        self._last_at = at
        events: list[AlarmEvent] = []
        number = float(value)
        rate = self._rate(at, number)
        for cond in self._conditions.values():
            raw, still = self._judge(cond, value, number, rate)
            self._step(cond, at, number if cond.kind != RATE else rate, raw, still, events)
        return events

    def _rate(self, at: datetime, value: float) -> float | None:
        if self.rule.rate_limit_per_h is None:
            return None
        window = self._window
        window.append((at, value))
        horizon = at - timedelta(seconds=self.rule.rate_window_s)
        while len(window) > 2 and window[1][0] <= horizon:
            window.popleft()
        span = (at - window[0][0]).total_seconds()
        if span < self.rule.rate_window_s / 2:
            return None
        return (value - window[0][1]) / span * 3600

    def _judge(self, cond: _Condition, value: float | bool, number: float,
               rate: float | None) -> tuple[bool, bool]:
        """(condition true now, alarm still to be held when already raised) — the second applies hysteresis."""
        h = self.rule.hysteresis
        if cond.kind == HIGH:
            assert cond.threshold is not None
            return number > cond.threshold, number > cond.threshold - h
        if cond.kind == LOW:
            assert cond.threshold is not None
            return number < cond.threshold, number < cond.threshold + h
        if cond.kind == RATE:
            if rate is None or cond.threshold is None:
                return False, cond.active
            return abs(rate) > cond.threshold, abs(rate) > cond.threshold * RATE_CLEAR_SHARE
        on = bool(value) if isinstance(value, bool) else number != 0
        hit = on == (self.rule.alarm_when == "true")
        return hit, hit

    def _step(self, cond: _Condition, at: datetime, value: float | None, raw: bool, still: bool,
              events: list[AlarmEvent]) -> None:
        policy = self.policy
        if not cond.active:
            if not raw:
                cond.pending_since = None
                return
            if cond.pending_since is None:
                cond.pending_since = at
            if (at - cond.pending_since).total_seconds() < self.rule.on_delay_s:
                return
            cond.active, cond.peak, cond.pending_since, cond.quiet_since = True, value, None, None
            self._count_raise(cond, at)
            events.append(AlarmEvent("raise", cond.kind, cond.severity, at, value, cond.threshold))
            return
        if cond.flapping:
            if raw or still:
                if cond.quiet_since is not None and raw:
                    cond.quiet_since = None
                    events.append(AlarmEvent("repeat", cond.kind, cond.severity, at, value, cond.threshold))
                return
            if cond.quiet_since is None:
                cond.quiet_since = at
            elif (at - cond.quiet_since).total_seconds() >= policy.flap_window_s:
                cond.active = cond.flapping = False
                cond.quiet_since = None
                cond.raises.clear()
                events.append(AlarmEvent("clear", cond.kind, cond.severity, at, value, cond.threshold))
            return
        if still:
            if value is not None and cond.peak is not None and _worse(cond, value, cond.peak):
                cond.peak = value
                events.append(AlarmEvent("peak", cond.kind, cond.severity, at, value, cond.threshold))
            return
        recent = [t for t in cond.raises if (at - t).total_seconds() <= policy.flap_window_s]
        if len(recent) >= policy.flap_count:
            cond.flapping = True
            cond.quiet_since = at
            events.append(AlarmEvent("flapping", cond.kind, cond.severity, at, value, cond.threshold))
            return
        cond.active = False
        events.append(AlarmEvent("clear", cond.kind, cond.severity, at, value, cond.threshold))

    def _count_raise(self, cond: _Condition, at: datetime) -> None:
        cond.raises.append(at)
        while cond.raises and (at - cond.raises[0]).total_seconds() > self.policy.flap_window_s:
            cond.raises.popleft()


def _worse(cond: _Condition, value: float, peak: float) -> bool:
    if cond.kind == LOW:
        return value < peak
    if cond.kind == RATE:
        return abs(value) > abs(peak)
    return value > peak


@dataclass(frozen=True, slots=True)
class Escalation:
    alarm_id: str
    level: int
    at: datetime


def escalations_due(alarms: list[tuple[str, str, datetime, int, bool]], now: datetime,
                    policy: Policy | None = None) -> list[Escalation]:
    """Escalations to make now. ``alarms``: (id, severity, raised_at, current level, acknowledged) of the
    alarms that are still raised; level N is due ``N × escalate_after_s`` after the alarm was raised."""
    policy = policy or Policy()
    out = []
    for alarm_id, severity, raised_at, level, acked in alarms:
        after = policy.escalate_after_s.get(severity)
        if acked or after is None or level >= policy.max_escalation:
            continue
        due = int((now - raised_at).total_seconds() // after)
        if due > level:
            target = min(due, policy.max_escalation)
            out.append(Escalation(alarm_id, target, raised_at + timedelta(seconds=after * target)))
    return out
