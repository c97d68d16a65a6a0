"""The figures of each role's work platform (工作平台): what the home page shows first.

- staff: warnings to follow up, comments to answer, review tasks by status, the latest imports;
- a special committee: its domains' budget, execution and warnings;
- a deputy: the public budget by book and their own comments with the answers;
- an expert: their review tasks with due dates (:func:`core.budget.platform.tasks.list_tasks`).

Each reads only the client's database, which holds only the rows of the user's scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from core.budget.models import BOOKS, BudgetBook, ImportLog, Project
from core.budget.platform import reading
from core.budget.review import paid_by
from core.budget.work import REVIEW_TASK_STATUSES, WARNING_LEVELS, BudgetWarning, Comment, ReviewTask
from core.models.registry import Department

OPEN_WARNING = ("待处理", "已发函", "已答复")


@dataclass(frozen=True)
class WarningLine:
    level: str
    subject: str
    reason: str
    status: str
    department_code: str
    domain: str
    trail: tuple[dict[str, Any], ...] = ()
    """The records behind the warning (``{"table", "key", "label"}``), so a payment can be named readably."""


@dataclass(frozen=True)
class ImportLine:
    kind: str
    filename: str
    rows: int
    inserted: int
    updated: int
    at: datetime | None


@dataclass
class StaffFigures:
    warnings_by_level: dict[str, int] = field(default_factory=dict)
    warnings: list[WarningLine] = field(default_factory=list)
    comments_waiting: int = 0
    tasks_by_status: dict[str, int] = field(default_factory=dict)
    imports: list[ImportLine] = field(default_factory=list)


def _open_warnings(engine: Engine, year: int, domains: frozenset[str] | None, limit: int) -> tuple[
        dict[str, int], list[WarningLine]]:
    cond = [BudgetWarning.deleted.is_(False), BudgetWarning.year == year, BudgetWarning.active.is_(True),
            BudgetWarning.status.in_(OPEN_WARNING)]
    if domains is not None:
        cond.append(BudgetWarning.domain.in_(sorted(domains)))
    order = {lv: i for i, lv in enumerate(WARNING_LEVELS)}
    with reading(engine) as conn:
        counts = {lv: int(n) for lv, n in conn.execute(
            select(BudgetWarning.level, func.count()).where(*cond).group_by(BudgetWarning.level))}
        rows = list(conn.execute(select(BudgetWarning.level, BudgetWarning.subject, BudgetWarning.reason,
                                        BudgetWarning.status, BudgetWarning.department_code, BudgetWarning.domain,
                                        BudgetWarning.amount_fen, BudgetWarning.trail).where(*cond)))
    rows.sort(key=lambda r: (order.get(r[0], 9), -int(r[6] or 0), r[1]))
    return counts, [WarningLine(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[7] or ())) for r in rows[:limit]]


def staff_figures(engine: Engine, year: int, limit: int = 8) -> StaffFigures:
    out = StaffFigures()
    out.warnings_by_level, out.warnings = _open_warnings(engine, year, None, limit)
    with reading(engine) as conn:
        out.comments_waiting = int(conn.scalar(select(func.count()).select_from(Comment).where(
            Comment.deleted.is_(False), Comment.status == "待答复")) or 0)
        counts = {st: int(n) for st, n in conn.execute(
            select(ReviewTask.status, func.count()).where(ReviewTask.deleted.is_(False)).group_by(ReviewTask.status))}
        out.tasks_by_status = {s: int(counts.get(s, 0)) for s in REVIEW_TASK_STATUSES}
        out.imports = [ImportLine(*r) for r in conn.execute(
            select(ImportLog.kind, ImportLog.filename, ImportLog.rows, ImportLog.inserted, ImportLog.updated,
                   ImportLog.changed_at).where(ImportLog.deleted.is_(False))
            .order_by(ImportLog.seq.desc(), ImportLog.id.desc()).limit(5))]
    return out


@dataclass(frozen=True)
class DomainLine:
    domain: str
    departments: int
    budget_fen: int
    paid_fen: int
    warnings: int


@dataclass
class CommitteeFigures:
    domains: list[DomainLine] = field(default_factory=list)
    warnings_by_level: dict[str, int] = field(default_factory=dict)
    warnings: list[WarningLine] = field(default_factory=list)


def committee_figures(engine: Engine, year: int, domains: frozenset[str], limit: int = 8) -> CommitteeFigures:
    """Per domain: departments, budget (published projects), paid (its departments' payments), open warnings."""
    out = CommitteeFigures()
    out.warnings_by_level, out.warnings = _open_warnings(engine, year, domains, limit)
    by_department = paid_by(engine, year, "department_code")
    with reading(engine) as conn:
        dept_domain = {c: d for c, d in conn.execute(select(Department.code, Department.domain)
                                                     .where(Department.deleted.is_(False),
                                                            Department.domain.in_(sorted(domains))))}
        budget: dict[str, int] = {}
        for dept, amount in conn.execute(select(Project.department_code, func.sum(Project.budget_fen))
                                         .where(Project.year == year, Project.deleted.is_(False))
                                         .group_by(Project.department_code)):
            if dept in dept_domain:
                budget[dept_domain[dept]] = budget.get(dept_domain[dept], 0) + int(amount or 0)
        paid: dict[str, int] = {}
        for dept, amount in by_department.items():
            if dept in dept_domain:
                paid[dept_domain[dept]] = paid.get(dept_domain[dept], 0) + amount
        warn = {d: int(n) for d, n in conn.execute(
            select(BudgetWarning.domain, func.count()).where(
                BudgetWarning.year == year, BudgetWarning.deleted.is_(False), BudgetWarning.active.is_(True),
                BudgetWarning.status.in_(OPEN_WARNING), BudgetWarning.domain.in_(sorted(domains)))
            .group_by(BudgetWarning.domain))}
    for d in sorted(domains):
        n = sum(1 for v in dept_domain.values() if v == d)
        out.domains.append(DomainLine(d, n, budget.get(d, 0), paid.get(d, 0), warn.get(d, 0)))
    return out


@dataclass(frozen=True)
class BookLine:
    book: str
    name: str
    budget_fen: int
    adjusted_fen: int
    executed_fen: int

    @property
    def rate(self) -> float:
        base = self.adjusted_fen or self.budget_fen
        return 100.0 * self.executed_fen / base if base else 0.0


def books(engine: Engine, year: int) -> list[BookLine]:
    """The four published books of the year (public data every role holds)."""
    order = list(BOOKS)
    with reading(engine) as conn:
        rows = [BookLine(b, n, int(bu or 0), int(ad or 0), int(ex or 0)) for b, n, bu, ad, ex in conn.execute(
            select(BudgetBook.book, BudgetBook.name, BudgetBook.budget_fen, BudgetBook.adjusted_fen,
                   BudgetBook.executed_fen).where(BudgetBook.year == year, BudgetBook.deleted.is_(False)))]
    rows.sort(key=lambda r: order.index(r.book) if r.book in order else 99)
    return rows
