"""What the warning inbox shows: warnings filtered by level, rule, status, department, active or retired and
text, and the counts by level. Plain queries, so the Qt page stays a thin view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from core.budget.work import BudgetWarning
from core.models.registry import Department


@dataclass
class WarningFilter:
    year: int
    levels: frozenset[str] = frozenset()
    """Empty: every level."""
    rule: str = ""
    status: str = ""
    department_code: str = ""
    active: bool | None = True
    """True: in force; False: retired; None: both."""
    text: str = ""


@dataclass
class WarningRow:
    warning_key: str
    rule: str
    level: str
    department_code: str
    department: str
    subject: str
    reason: str
    amount_fen: int
    status: str
    raised_at: datetime | None
    active: bool
    as_of_month: int
    measure: float
    threshold: float
    trail: list[dict[str, Any]] = field(default_factory=list)
    domain: str = ""
    indicator_no: str = ""
    project_code: str = ""


_LEVEL_ORDER = {"red": 0, "yellow": 1, "blue": 2}


def _conditions(f: WarningFilter, with_levels: bool = True) -> list[Any]:
    cond: list[Any] = [BudgetWarning.year == f.year, BudgetWarning.deleted.is_(False)]
    if with_levels and f.levels:
        cond.append(BudgetWarning.level.in_(sorted(f.levels)))
    if f.rule:
        cond.append(BudgetWarning.rule == f.rule)
    if f.status:
        cond.append(BudgetWarning.status == f.status)
    if f.department_code:
        cond.append(BudgetWarning.department_code == f.department_code)
    if f.active is not None:
        cond.append(BudgetWarning.active.is_(f.active))
    if f.text.strip():
        like = f"%{f.text.strip()}%"
        cond.append(or_(BudgetWarning.reason.like(like), BudgetWarning.subject.like(like),
                        BudgetWarning.department_code.like(like)))
    return cond


def list_warnings(session: Session, f: WarningFilter, limit: int = 5000) -> list[WarningRow]:
    """Warnings matching the filter: red first, then by amount."""
    names = select(Department.code, func.min(Department.name).label("name")).where(
        Department.deleted.is_(False)).group_by(Department.code).subquery()
    rows = session.execute(
        select(BudgetWarning, names.c.name).outerjoin(names, names.c.code == BudgetWarning.department_code)
        .where(*_conditions(f)).order_by(BudgetWarning.amount_fen.desc()).limit(limit)).all()
    out = []
    for w, department in rows:
        out.append(_row(w, department))
    out.sort(key=lambda w: (_LEVEL_ORDER.get(w.level, 9), not w.active, -w.amount_fen))
    return out


def _row(w: BudgetWarning, department: str | None) -> WarningRow:
    return WarningRow(w.warning_key, w.rule, w.level, w.department_code, department or w.department_code, w.subject,
                      w.reason, int(w.amount_fen or 0), w.status, w.raised_at, bool(w.active), w.as_of_month,
                      float(w.measure or 0), float(w.threshold or 0), list(w.trail or []), w.domain, w.indicator_no,
                      w.project_code)


def level_counts(conn: Connection | Session, f: WarningFilter) -> dict[str, int]:
    """Warnings per level under every filter but the level one (the chips show what each would give)."""
    rows = conn.execute(select(BudgetWarning.level, func.count()).where(*_conditions(f, with_levels=False))
                        .group_by(BudgetWarning.level)).all()
    counts = {"red": 0, "yellow": 0, "blue": 0}
    counts.update({str(level): int(n) for level, n in rows})
    return counts


def departments_with_warnings(conn: Connection | Session, year: int) -> list[tuple[str, str]]:
    """(code, name) of the departments that have warnings in the year, by code."""
    names = dict(conn.execute(select(Department.code, Department.name).where(Department.deleted.is_(False))).all())
    codes = conn.execute(select(BudgetWarning.department_code).where(
        BudgetWarning.year == year, BudgetWarning.deleted.is_(False)).distinct()).scalars()
    return sorted((c, names.get(c, c)) for c in codes if c)
