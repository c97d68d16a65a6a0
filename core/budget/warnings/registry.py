"""The registry of early-warning rules: what each rule is called, its default level and thresholds, the law or
practice it rests on, and the set-based query that finds its anomalies.

A rule module registers a :class:`RuleSpec` with :func:`register`; the engine (:mod:`.engine`) runs every
enabled rule with the thresholds stored in ``bgt_warning_rule`` and turns the :class:`Finding` rows into
warnings. Rules never loop over payments in Python: each is one or a few aggregate SQL statements.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

LEVELS = ("red", "yellow", "blue")
LEVEL_NAMES = {"red": "红色", "yellow": "黄色", "blue": "蓝色"}

PARAM_KINDS = ("percent", "amount", "days", "keywords", "number", "choice")
"""``percent`` (0–100, a percentage or percentage points), ``amount`` (万元 in the editor, stored in 元 as a
string so no float touches money), ``days``, ``keywords`` (a list of words), ``number`` (a plain ratio or
count) and ``choice`` (one of ``choices``)."""

TRAIL_CAP = 50
"""At most this many records are listed in a warning's trail; the rest are counted."""


@dataclass(frozen=True)
class Param:
    """One threshold of a rule, with its editor kind, bounds and default."""

    key: str
    label: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass
class Finding:
    """One anomaly a rule found: the subject (its key part is stable across runs) and the figures behind it."""

    subject_key: str
    subject: str
    reason: str
    measure: float
    threshold: float
    amount_fen: int = 0
    department_code: str = ""
    project_code: str = ""
    indicator_no: str = ""
    trail: list[dict[str, Any]] = field(default_factory=list)
    trail_total: int = 0
    level: str = ""
    """Empty: the rule's configured level."""


@dataclass
class RuleContext:
    """What a rule's query works with: a connection, the year and month of the run, and the thresholds."""

    conn: Connection
    year: int
    as_of_month: int
    params: dict[str, Any]
    departments: dict[str, tuple[str, str]]
    """department code → (name, domain)."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Aggregates several rules share (paid per indicator …), computed once per run."""

    @property
    def as_of_date(self) -> date:
        """The last day of the month the run looks at."""
        return date(self.year, self.as_of_month, calendar.monthrange(self.year, self.as_of_month)[1])

    @property
    def time_progress(self) -> float:
        """序时进度: the share of the year gone, in percent (month m of 12)."""
        return self.as_of_month * 100 / 12

    def department_name(self, code: str) -> str:
        return self.departments.get(code, (code, ""))[0] or code

    def domain_of(self, code: str) -> str:
        return self.departments.get(code, ("", ""))[1]


Evaluate = Callable[[RuleContext], list[Finding]]
Screen = Callable[[RuleContext, str], tuple[str, dict[str, Any]]]
"""``screen(ctx, prefix)`` → (SQL condition on ``bgt_payment``, its bound values named with ``prefix``)."""


@dataclass(frozen=True)
class RuleSpec:
    """A rule: key, Chinese name, default level, thresholds, basis in words, and its query."""

    rule: str
    name: str
    level: str
    basis: str
    params: tuple[Param, ...]
    evaluate: Evaluate
    family: str = ""
    description: str = ""
    screen: Screen | None = None
    """Rules over single payments give a condition instead of scanning themselves: the engine ORs the
    conditions of every such rule into one scan and hands the rows to each (``ctx.cache["screened"]``);
    the rule then keeps the rows its own test accepts."""

    def defaults(self) -> dict[str, Any]:
        return {p.key: p.default for p in self.params}

    def param(self, key: str) -> Param:
        return next(p for p in self.params if p.key == key)


RULES: dict[str, RuleSpec] = {}
"""Every registered rule, in registration order."""


def register(spec: RuleSpec) -> RuleSpec:
    RULES[spec.rule] = spec
    return spec


def trail_of(rows: list[tuple[Any, ...]], table: str, label: Callable[[tuple[Any, ...]], str],
             cap: int = TRAIL_CAP) -> list[dict[str, Any]]:
    """The first ``cap`` rows as trail entries ``{"table", "key", "label"}`` (the key is the row's first value)."""
    return [{"table": table, "key": str(r[0]), "label": label(r)} for r in rows[:cap]]


def pct(value: float) -> str:
    return f"{value:.1f}%"
