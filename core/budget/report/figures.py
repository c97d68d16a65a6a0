"""The figures of one execution report, gathered once from :mod:`core.budget.analysis`.

The PDF and the Word file are both drawn from one :class:`ReportData`, so they can never disagree, and the
analysis page computes the same figures with the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine

from core.budget import analysis
from core.budget.analysis import (
    DataNotes,
    ExecutionRow,
    MonthPoint,
    PayeeRow,
    Share,
    WarningItem,
    YearOnYear,
)
from core.budget.analysis.queries import LEVEL_ORDER

Check = Callable[[], None]
"""Called between steps; raises to stop the work (the app passes its task's ``check_cancelled``)."""
Progress = Callable[[str, int, int], None]

QUARTER_NAMES = ("一", "二", "三", "四")
DEPARTMENT_ROWS = 20
"""At most this many departments below time progress are listed; the rest are counted."""


@dataclass(frozen=True)
class ReportPeriod:
    """A month (``kind = "month"``, number 1…12) or a quarter (``kind = "quarter"``, number 1…4) of a year."""

    year: int
    kind: str
    number: int

    def __post_init__(self) -> None:
        top = {"month": 12, "quarter": 4}.get(self.kind)
        if top is None:
            raise ValueError(f"报告期类型应为月度或季度，收到 {self.kind}")
        if not 1 <= self.number <= top:
            raise ValueError(f"{'月份' if self.kind == 'month' else '季度'}应在 1 到 {top} 之间，收到 {self.number}")

    @classmethod
    def parse(cls, text: str) -> ReportPeriod:
        """``2024-09`` (a month) or ``2024-Q3`` (a quarter)."""
        m = re.fullmatch(r"\s*(\d{4})-(?:(\d{1,2})|[Qq]([1-4]))\s*", text)
        if m is None:
            raise ValueError(f"报告期格式应为 2024-09 或 2024-Q3，收到 {text!r}")
        if m.group(2):
            return cls(int(m.group(1)), "month", int(m.group(2)))
        return cls(int(m.group(1)), "quarter", int(m.group(3)))

    @property
    def end_month(self) -> int:
        return self.number if self.kind == "month" else self.number * 3

    @property
    def first_month(self) -> int:
        return self.number if self.kind == "month" else self.number * 3 - 2

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        return f"{self.year}年第{QUARTER_NAMES[self.number - 1]}季度"

    @property
    def span(self) -> str:
        """The period in a sentence: 本月 / 本季度."""
        return "本月" if self.kind == "month" else "本季度"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}-Q{self.number}"


@dataclass(frozen=True)
class ReportData:
    period: ReportPeriod
    books: list[ExecutionRow]
    classes: list[ExecutionRow]
    departments: list[ExecutionRow]
    months: list[MonthPoint]
    structure: list[Share]
    year_on_year: YearOnYear
    payees: list[PayeeRow]
    warnings: list[WarningItem]
    notes: DataNotes
    made_at: datetime
    data_month: int
    """The last month with payments in the database (the report may be for a month beyond it)."""
    sentences: list[str] = field(default_factory=list)
    domains: tuple[str, ...] = ()
    """Special committees whose departments the database holds (a committee's laptop); empty for the whole city."""

    @property
    def scope_text(self) -> str:
        """Whose spending the figures cover, for the sentences: empty for the whole city."""
        return f"{'、'.join(self.domains)}专委会归口部门的" if self.domains else ""

    @property
    def general(self) -> ExecutionRow | None:
        return next((b for b in self.books if b.code == "general"), None)

    @property
    def period_paid_fen(self) -> int:
        """Paid within the period (the month, or the quarter's three months)."""
        return sum(p.paid_fen for p in self.months if self.period.first_month <= p.month <= self.period.end_month)

    @property
    def behind(self) -> list[ExecutionRow]:
        """Departments below time progress, furthest behind first."""
        rows = [d for d in self.departments if d.gap is not None and d.gap < 0]
        return sorted(rows, key=lambda d: (d.gap, d.code))  # type: ignore[arg-type, return-value]

    @property
    def warning_counts(self) -> dict[str, int]:
        counts = {"red": 0, "yellow": 0, "blue": 0}
        for w in self.warnings:
            counts[w.level] = counts.get(w.level, 0) + 1
        return counts


def period_warnings(engine: Engine, year: int, month: int) -> list[WarningItem]:
    """The warnings as they stand at the end of ``month``.

    When the stored warnings were raised on data that does not go past ``month`` (the usual case: the report
    of the latest period), they are the report's warnings, so the report and the inbox count the same. For an
    earlier period the rules are evaluated read-only on the data up to ``month``, and each finding keeps the
    follow-up status of the stored warning on the same subject.
    """
    from core.budget.warnings.engine import evaluate, latest_month

    stored = analysis.active_warnings(engine, year)
    if latest_month(engine, year) <= month:
        return stored
    status = {(w.rule, w.subject): w.status for w in stored}
    items = [WarningItem(f.level or level, rule, f.subject[:200], f.reason, f.department_code, int(f.amount_fen),
                         status.get((rule, f.subject[:200]), "待处理"))
             for rule, (level, findings) in evaluate(engine, year, month).items() for f in findings]
    items.sort(key=lambda w: (LEVEL_ORDER.get(w.level, 9), -w.amount_fen, w.subject))
    return items


def collect(engine: Engine, period: ReportPeriod, *, check: Check | None = None,
            progress: Progress | None = None, now: datetime | None = None,
            domains: tuple[str, ...] = ()) -> ReportData:
    """Gather every figure of the report; ``check`` is called between queries so a cancel stops it soon.

    ``domains``: the special committees whose departments the database holds (a committee member's laptop);
    the books' budgets are then the indicators held, not the city's totals, and the report says whose data it is.
    """
    scoped = bool(domains)
    from core.budget.report.sentences import summary

    total = 10
    done = 0

    def step(name: str) -> None:
        nonlocal done
        if check is not None:
            check()
        if progress is not None:
            progress(name, done, total)
        done += 1

    year, month = period.year, period.end_month
    step("四本预算")
    books = analysis.execution(engine, year, month, "book", scoped=scoped)
    step("功能分类")
    classes = analysis.execution(engine, year, month, "class", book="general")
    step("部门")
    depts = analysis.execution(engine, year, month, "department")
    step("月度趋势")
    months = [p for p in analysis.trend(engine, year, scoped=scoped) if p.month <= month]
    step("支出结构")
    struct = analysis.structure(engine, year, month, "functional")
    step("同比")
    yoy = analysis.year_on_year(engine, year, month)
    step("收款人")
    payees = analysis.top_payees(engine, year, month)
    step("预警")
    warnings = period_warnings(engine, year, month)
    step("数据说明")
    notes = analysis.data_notes(engine, year)
    data_month = analysis.latest_month(engine, year)
    data = ReportData(period=period, books=books, classes=classes, departments=depts, months=months,
                      structure=struct, year_on_year=yoy, payees=payees, warnings=warnings, notes=notes,
                      made_at=now or datetime.now(), data_month=data_month, domains=tuple(domains))
    return replace(data, sentences=summary(data))
