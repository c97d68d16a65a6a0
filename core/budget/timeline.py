"""An indicator's life (动态指标管理): issued, adjusted, allocated, applied for, spent, carried over.

:func:`indicator_timeline` gathers everything that happened to one budget indicator (预算指标) into one
ordered list of events with running figures. The balance that matters is what the department may still
spend::

    available = issued amount + carried over from last year ± adjustments − paid

Spending plans (用款计划) and payment applications (支付申请) are shown by month with running totals but do
not change what is available; payments do. Payments and plans are summed per month, so an indicator with
thousands of payments still reads as at most a few dozen events.

Consistency checks flag what a reviewer must look at: paid beyond what was available (超指标支付), paid
before the indicator was issued, an indicator whose adjustment total disagrees with its adjustment records,
and a year-end carry-forward larger than what was left.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, func, or_, select

from core.budget.models import Indicator, IndicatorChange, Payment, PaymentApplication, Project, SpendingPlan
from core.models.registry import Department

ISSUED, CARRIED_IN, ADJUSTED, PLANNED, APPLIED, PAID, CARRIED_FORWARD = (
    "issued", "carried_in", "adjusted", "planned", "applied", "paid", "carried_forward")
EVENT_NAMES = {ISSUED: "指标下达", CARRIED_IN: "上年结转", ADJUSTED: "指标调整", PLANNED: "用款计划",
               APPLIED: "支付申请", PAID: "资金支付", CARRIED_FORWARD: "年末结转"}
_ORDER = {CARRIED_IN: 0, ISSUED: 1, ADJUSTED: 2, PLANNED: 3, APPLIED: 4, PAID: 5, CARRIED_FORWARD: 6}
_SIGNS = {"调增": 1, "调减": -1, "结转": 1, "收回": -1}
"""Direction of each kind of change record; amounts count by kind, whatever sign they were stored with."""


@dataclass(frozen=True)
class TimelineEvent:
    """One event, with the running figures after it (fen)."""

    on: date
    kind: str
    label: str
    amount_fen: int
    """Signed change for issued / carried-in / adjusted / paid (paid is negative); the amount otherwise."""
    count: int
    doc_no: str
    available_fen: int
    """Still available after this event: issued + carried in ± adjustments − paid."""
    planned_fen: int
    applied_fen: int
    paid_fen: int
    flag: str = ""

    @property
    def name(self) -> str:
        return EVENT_NAMES[self.kind]


@dataclass(frozen=True)
class IndicatorTimeline:
    indicator_no: str
    doc_no: str
    year: int
    department_code: str
    department_name: str
    project_code: str
    project_name: str
    issued_on: date | None
    amount_fen: int
    adjusted_fen: int
    carried_over_fen: int
    carry_forward_fen: int
    events: list[TimelineEvent]
    issues: list[str] = field(default_factory=list)

    @property
    def budget_fen(self) -> int:
        """What may be spent in the year: issued + carried in ± adjustments (from the events)."""
        return sum(e.amount_fen for e in self.events if e.kind in (ISSUED, CARRIED_IN, ADJUSTED))

    @property
    def paid_fen(self) -> int:
        return self.events[-1].paid_fen if self.events else 0

    @property
    def balance_fen(self) -> int:
        return self.budget_fen - self.paid_fen


@dataclass(frozen=True)
class IndicatorHit:
    indicator_no: str
    year: int
    department_name: str
    project_name: str
    amount_fen: int


def search_indicators(engine: Engine, text: str, *, year: int | None = None, limit: int = 50) -> list[IndicatorHit]:
    """Indicators whose number, document, project (code or name) or department (code or name) contains ``text``."""
    needle = f"%{text.strip()}%"
    dept = Department.__table__.alias("d")
    proj = Project.__table__.alias("p")
    query = (select(Indicator.indicator_no, Indicator.year, func.coalesce(dept.c.name, Indicator.department_code),
                    func.coalesce(proj.c.name, Indicator.project_code), Indicator.amount_fen)
             .select_from(Indicator)
             .outerjoin(dept, (dept.c.code == Indicator.department_code) & dept.c.deleted.is_(False))
             .outerjoin(proj, (proj.c.code == Indicator.project_code) & (proj.c.year == Indicator.year)
                        & proj.c.deleted.is_(False))
             .where(Indicator.deleted.is_(False),
                    or_(Indicator.indicator_no.like(needle), Indicator.doc_no.like(needle),
                        Indicator.project_code.like(needle), Indicator.department_code.like(needle),
                        dept.c.name.like(needle), proj.c.name.like(needle)))
             .order_by(Indicator.year.desc(), Indicator.indicator_no).limit(limit))
    if year is not None:
        query = query.where(Indicator.year == year)
    with engine.connect() as conn:
        return [IndicatorHit(*row) for row in conn.execute(query)]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def indicator_timeline(engine: Engine, indicator_no: str, year: int | None = None) -> IndicatorTimeline:
    """The life of indicator ``indicator_no`` (the latest year holding it unless ``year`` is given).

    Raises ``LookupError`` with a message for the user when there is no such indicator.
    """
    where = [Indicator.indicator_no == indicator_no, Indicator.deleted.is_(False)]
    if year is not None:
        where.append(Indicator.year == year)
    with engine.connect() as conn:
        ind = conn.execute(select(Indicator).where(*where).order_by(Indicator.year.desc())).first()
        if ind is None:
            raise LookupError(f"找不到指标 {indicator_no}")
        y = ind.year
        dept_name = conn.scalar(select(Department.name).where(
            Department.code == ind.department_code, Department.deleted.is_(False))) or ind.department_code
        proj_name = conn.scalar(select(Project.name).where(
            Project.code == ind.project_code, Project.year == y, Project.deleted.is_(False))) or ind.project_code
        changes = conn.execute(select(IndicatorChange.kind, IndicatorChange.changed_on, IndicatorChange.amount_fen,
                                      IndicatorChange.doc_no, IndicatorChange.reason)
                               .where(IndicatorChange.indicator_no == indicator_no, IndicatorChange.year == y,
                                      IndicatorChange.deleted.is_(False))).all()
        # the year is filtered after grouping: a year condition in SQL makes SQLite choose the (year, month)
        # index and scan the whole year instead of the indicator's few rows
        plans = [r[1:] for r in conn.execute(
            select(SpendingPlan.year, SpendingPlan.month, func.sum(SpendingPlan.amount_fen), func.count())
            .where(SpendingPlan.indicator_no == indicator_no, SpendingPlan.deleted.is_(False))
            .group_by(SpendingPlan.year, SpendingPlan.month)) if r[0] == y]
        apps = [r[1:] for r in conn.execute(
            select(PaymentApplication.year, PaymentApplication.applied_on, func.sum(PaymentApplication.amount_fen),
                   func.count())
            .where(PaymentApplication.indicator_no == indicator_no, PaymentApplication.deleted.is_(False))
            .group_by(PaymentApplication.year, PaymentApplication.applied_on)) if r[0] == y]
        pays = [r[1:] for r in conn.execute(
            select(Payment.year, Payment.month, func.max(Payment.paid_on), func.sum(Payment.amount_fen), func.count())
            .where(Payment.indicator_no == indicator_no, Payment.deleted.is_(False))
            .group_by(Payment.year, Payment.month)) if r[0] == y]

    raw: list[tuple[date, str, str, int, int, str]] = []  # (on, kind, label, amount, count, doc)
    start = date(y, 1, 1)
    carried_changes = [c for c in changes if c.kind == "结转"]
    if ind.carried_over_fen and not carried_changes:
        raw.append((start, CARRIED_IN, "上年结转资金", ind.carried_over_fen, 1, ""))
    raw.append((ind.issued_on or start, ISSUED, "指标文件下达", ind.amount_fen, 1, ind.doc_no))
    for c in changes:
        sign = _SIGNS.get(c.kind, 1)
        kind = CARRIED_IN if c.kind == "结转" else ADJUSTED
        raw.append((c.changed_on or start, kind, f"{c.kind}：{c.reason}" if c.reason else c.kind,
                    sign * abs(int(c.amount_fen)), 1, c.doc_no))
    for month, amount, n in plans:
        raw.append((date(y, int(month), 1) if 1 <= int(month) <= 12 else start, PLANNED, f"{int(month)}月用款计划",
                    int(amount or 0), int(n), ""))
    for applied_on, amount, n in apps:
        label = f"{applied_on.month}月支付申请" if applied_on else "支付申请（未填日期）"
        raw.append((applied_on or start, APPLIED, label, int(amount or 0), int(n), ""))
    for month, last, amount, n in pays:
        raw.append((last or _month_end(y, int(month)), PAID, f"{int(month)}月支付 {int(n)} 笔",
                    -int(amount or 0), int(n), ""))
    if ind.carry_forward_fen:
        raw.append((date(y, 12, 31), CARRIED_FORWARD, "年末结转结余", ind.carry_forward_fen, 1, ""))
    raw.sort(key=lambda e: (e[0], _ORDER[e[1]]))

    events: list[TimelineEvent] = []
    available = planned = applied = paid = 0
    issues: list[str] = []
    over_flagged = early_flagged = issued = False
    for on, kind, label, amount, n, doc in raw:
        flag = ""
        if kind in (ISSUED, CARRIED_IN, ADJUSTED):
            available += amount
            issued = issued or kind == ISSUED
        elif kind == PLANNED:
            planned += amount
        elif kind == APPLIED:
            applied += amount
        elif kind == PAID:
            available += amount
            paid -= amount
            if not issued:
                flag = "支付早于指标下达"
                if not early_flagged:
                    issues.append(f"{on.isoformat()} 的支付早于指标下达日期")
                    early_flagged = True
            elif available < 0:
                flag = f"累计支付超出可用指标 {-available} 分"
                if not over_flagged:
                    issues.append(f"{on.isoformat()} 起累计支付超出可用指标（超指标支付）")
                    over_flagged = True
        elif kind == CARRIED_FORWARD and amount > max(available, 0):
            flag = "年末结转大于剩余可用数"
            issues.append("年末结转金额大于年末剩余可用数")
        events.append(TimelineEvent(on, kind, label, amount, n, doc, available, planned, applied, paid, flag))
    recorded = sum(e.amount_fen for e in events if e.kind == ADJUSTED)
    if recorded != ind.adjusted_fen:
        issues.append(f"指标调整合计 {ind.adjusted_fen} 分与调整记录合计 {recorded} 分不符")
    return IndicatorTimeline(indicator_no=ind.indicator_no, doc_no=ind.doc_no, year=y,
                             department_code=ind.department_code, department_name=dept_name,
                             project_code=ind.project_code, project_name=proj_name, issued_on=ind.issued_on,
                             amount_fen=ind.amount_fen, adjusted_fen=ind.adjusted_fen,
                             carried_over_fen=ind.carried_over_fen, carry_forward_fen=ind.carry_forward_fen,
                             events=events, issues=issues)
