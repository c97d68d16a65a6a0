"""The analysis figures, each one ``GROUP BY`` query over the budget tables (no row-by-row Python loops).

Execution is always read against the adjusted budget (调整预算 = issued amount ± adjustments + last year's
carry-over, from ``bgt_indicator``; for a whole book, ``bgt_book.adjusted_fen``) and against time progress
(序时进度, month m of 12). Deleted rows (tombstones) never count.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, and_, func, inspect, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from core.budget.analysis.figures import ExecutionRow, GrowthRow, MonthPoint, Share, shares
from core.budget.models import (
    BOOKS,
    AuditFinding,
    BudgetBook,
    ClassCode,
    FinalAccount,
    Indicator,
    Payment,
    Project,
)
from core.budget.query.rollup import PaymentRollup, ensure_rollup, uses_rollup
from core.budget.work import BudgetWarning
from core.models.registry import Department

DIMENSIONS = ("book", "class", "department", "project")
LEVEL_NAMES = {"red": "红色", "yellow": "黄色", "blue": "蓝色"}
LEVEL_ORDER = {"red": 0, "yellow": 1, "blue": 2}
PAID_COLUMNS = ("year", "month", "book", "department_code", "project_code", "functional_code", "economic_code",
                "indicator_no", "amount_fen")


def _live(model: Any) -> ColumnElement[bool]:
    return model.deleted.is_(False)  # type: ignore[no-any-return]


def _key(model: Any, kind: str) -> Any:
    """The grouping column of a dimension on ``bgt_indicator`` or ``bgt_payment``."""
    if kind == "class":
        return func.substr(model.functional_code, 1, 3)
    if kind == "department":
        return model.department_code
    if kind == "project":
        return model.project_code
    if kind == "book":
        return model.book
    raise ValueError(f"未知的分析维度：{kind}")


def _names(engine: Engine, kind: str, year: int) -> dict[str, str]:
    with engine.connect() as conn:
        if kind == "department":
            rows = conn.execute(select(Department.code, Department.name).where(_live(Department)))
        elif kind == "project":
            rows = conn.execute(select(Project.code, Project.name).where(Project.year == year, _live(Project)))
        elif kind in ("class", "functional", "economic"):
            table = "economic" if kind == "economic" else "functional"
            rows = conn.execute(select(ClassCode.code, ClassCode.name).where(
                ClassCode.kind == table, ClassCode.year == year, _live(ClassCode)))
        else:
            return dict(BOOKS)
        return {code: name for code, name in rows}


_rollup_present: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _has_rollup(engine: Engine) -> bool:
    """SQLite with the query layer's roll-up tables (migration 0005); an older local database reads payments."""
    if not uses_rollup(engine):
        return False
    if engine not in _rollup_present:
        _rollup_present[engine] = inspect(engine).has_table("bgt_query_state")
    return _rollup_present[engine]


def paid_source(engine: Engine) -> Subquery:
    """The live payments to sum, as a subquery with the columns the figures group by.

    On the laptop's SQLite this is the query layer's local roll-up (``bgt_query_payment_rollup``, one row per
    indicator, month and method, rebuilt first when payments changed), so a figure scans a few percent of the
    rows; elsewhere (the server's PostgreSQL) it is ``bgt_payment`` itself. Both give the same sums.
    """
    if _has_rollup(engine):
        ensure_rollup(engine)
        r: Any = PaymentRollup.__table__
        return select(*(r.c[name] for name in PAID_COLUMNS)).where(r.c.kind == "pay").subquery("paid")
    p: Any = Payment.__table__
    return select(*(p.c[name] for name in PAID_COLUMNS)).where(p.c.deleted.is_(False)).subquery("paid")


def latest_month(engine: Engine, year: int) -> int:
    """The last month with payments in ``year`` (0 when there are none): the natural "as of" month."""
    pay = paid_source(engine).c
    with engine.connect() as conn:
        value = conn.scalar(select(func.max(pay.month)).where(pay.year == year))
    return int(value or 0)


def departments(engine: Engine, year: int) -> list[tuple[str, str]]:
    """Departments with indicators or payments in ``year``, as ``(code, name)`` sorted by code."""
    pay = paid_source(engine).c
    with engine.connect() as conn:
        codes = set(conn.scalars(select(Indicator.department_code).where(
            Indicator.year == year, _live(Indicator)).distinct()))
        codes |= set(conn.scalars(select(pay.department_code).where(
            pay.year == year).distinct()))
    names = _names(engine, "department", year)
    return sorted((c, names.get(c, c)) for c in codes if c)


def execution(engine: Engine, year: int, month: int, by: str, *, department_code: str | None = None,
              book: str | None = None, scoped: bool = False) -> list[ExecutionRow]:
    """Execution as of the end of ``month`` by ``by`` (book / class / department / project), sorted by code.

    A code with payments but no indicator (spending without a budget) appears with a zero budget.
    ``scoped``: the database holds only some departments (a special committee's laptop), so a book's budget
    is the sum of the indicators held, not the city's published book total (see :func:`_books`).
    """
    if by not in DIMENSIONS:
        raise ValueError(f"未知的分析维度：{by}")
    if by == "book":
        return _books(engine, year, month, scoped)
    pay = paid_source(engine).c
    ind_key = _key(Indicator, by)
    pay_key = _key(pay, by)
    ind_where = [Indicator.year == year, _live(Indicator)]
    pay_where = [pay.year == year, pay.month <= month]
    if department_code is not None:
        ind_where.append(Indicator.department_code == department_code)
        pay_where.append(pay.department_code == department_code)
    if book is not None:
        ind_where.append(Indicator.book == book)
        pay_where.append(pay.book == book)
    with engine.connect() as conn:
        budgets = {k: (int(b or 0), int(a or 0)) for k, b, a in conn.execute(
            select(ind_key, func.sum(Indicator.amount_fen),
                   func.sum(Indicator.amount_fen + Indicator.adjusted_fen + Indicator.carried_over_fen))
            .where(*ind_where).group_by(ind_key))}
        paid = {k: int(p or 0) for k, p in conn.execute(
            select(pay_key, func.sum(pay.amount_fen)).where(*pay_where).group_by(pay_key))}
    names = _names(engine, by, year)
    rows = []
    for code in sorted(set(budgets) | set(paid), key=lambda c: c or ""):
        budget, adjusted = budgets.get(code, (0, 0))
        label = names.get(code or "", "") or (code or "（无）")
        rows.append(ExecutionRow(by, code or "", label, budget, adjusted, paid.get(code, 0), month))
    return rows


def _books(engine: Engine, year: int, month: int, scoped: bool) -> list[ExecutionRow]:
    """The four books: the published book totals (``bgt_book``) against all payments; on a scoped database
    the payments are only some departments', so the budget is the sum of the indicators held instead."""
    pay = paid_source(engine).c
    with engine.connect() as conn:
        if scoped:
            books = {k: (int(b or 0), int(a or 0)) for k, b, a in conn.execute(
                select(Indicator.book, func.sum(Indicator.amount_fen),
                       func.sum(Indicator.amount_fen + Indicator.adjusted_fen + Indicator.carried_over_fen))
                .where(Indicator.year == year, _live(Indicator)).group_by(Indicator.book))}
        else:
            books = {k: (int(b), int(a)) for k, b, a in conn.execute(
                select(BudgetBook.book, BudgetBook.budget_fen, BudgetBook.adjusted_fen)
                .where(BudgetBook.year == year, _live(BudgetBook)))}
        paid = {k: int(p or 0) for k, p in conn.execute(
            select(pay.book, func.sum(pay.amount_fen))
            .where(pay.year == year, pay.month <= month).group_by(pay.book))}
        detail = set(conn.scalars(select(pay.book).where(pay.year == year).distinct()))
    order = list(BOOKS)
    keys = sorted(set(books) | set(paid), key=lambda k: (order.index(k) if k in order else 99, k))
    return [ExecutionRow("book", k, BOOKS.get(k, k), books.get(k, (0, 0))[0], books.get(k, (0, 0))[1],
                         paid.get(k, 0), month, has_detail=k in detail) for k in keys]


@dataclass(frozen=True)
class YearOnYear:
    """Year-on-year growth by department, on a stated basis.

    ``basis``: ``"payments"`` (last year's payments in the same months), ``"final_account"`` (last year's
    final accounts, only the departments and economic codes they cover) or ``"none"`` (no last-year data).
    """

    year: int
    month: int
    basis: str
    basis_text: str
    rows: list[GrowthRow]
    total: GrowthRow | None


def year_on_year(engine: Engine, year: int, month: int) -> YearOnYear:
    """This year's payments to the end of ``month`` against last year's, by department."""
    paid_rows = paid_source(engine)
    pay = paid_rows.c
    names = _names(engine, "department", year)
    with engine.connect() as conn:
        has_prev_payments = bool(conn.scalar(select(func.count()).select_from(paid_rows).where(
            pay.year == year - 1)))
        has_finals = bool(conn.scalar(select(func.count()).select_from(FinalAccount).where(
            FinalAccount.year == year - 1, _live(FinalAccount))))
        if has_prev_payments:
            def by_dept(y: int) -> dict[str, int]:
                return {d: int(a or 0) for d, a in conn.execute(
                    select(pay.department_code, func.sum(pay.amount_fen))
                    .where(pay.year == y, pay.month <= month)
                    .group_by(pay.department_code))}
            current, previous = by_dept(year), by_dept(year - 1)
            basis = "payments"
            text = f"与{year - 1}年同期（1—{month}月）支付相比"
        elif has_finals:
            finals = conn.execute(
                select(FinalAccount.department_code, FinalAccount.economic_code, func.sum(FinalAccount.final_fen))
                .where(FinalAccount.year == year - 1, _live(FinalAccount))
                .group_by(FinalAccount.department_code, FinalAccount.economic_code)).all()
            paid = {(d, e): int(a or 0) for d, e, a in conn.execute(
                select(pay.department_code, pay.economic_code, func.sum(pay.amount_fen))
                .where(pay.year == year, pay.month <= month)
                .group_by(pay.department_code, pay.economic_code))}
            current, previous = {}, {}
            for dept, econ, amount in finals:
                previous[dept] = previous.get(dept, 0) + int(amount or 0)
                mine = sum(v for (d, e), v in paid.items() if d == dept and (not econ or e == econ))
                current[dept] = current.get(dept, 0) + mine
            basis = "final_account"
            text = (f"与{year - 1}年决算相比，只比较上年决算覆盖的部门和经济科目"
                    + ("" if month == 12 else f"；本年只有1—{month}月，上年为全年，增幅偏低"))
        else:
            return YearOnYear(year, month, "none", f"没有{year - 1}年的支付明细或决算数据，无法计算同比", [], None)
    rows = [GrowthRow(d, names.get(d, d), current.get(d, 0), previous.get(d, 0))
            for d in sorted(set(current) | set(previous))]
    total = GrowthRow("", "合计", sum(r.current_fen for r in rows), sum(r.previous_fen for r in rows))
    return YearOnYear(year, month, basis, text, rows, total)


STRUCTURES = ("functional", "economic", "book")


def structure(engine: Engine, year: int, month: int, by: str) -> list[Share]:
    """Shares of the paid amount to the end of ``month`` by functional class, economic class or book."""
    pay = paid_source(engine).c
    if by not in STRUCTURES:
        raise ValueError(f"未知的结构维度：{by}")
    key: Any = {"functional": func.substr(pay.functional_code, 1, 3),
                "economic": func.substr(pay.economic_code, 1, 3), "book": pay.book}[by]
    with engine.connect() as conn:
        rows = conn.execute(select(key, func.sum(pay.amount_fen))
                            .where(pay.year == year, pay.month <= month)
                            .group_by(key).order_by(func.sum(pay.amount_fen).desc())).all()
    names = _names(engine, by, year)
    return shares([(k or "", names.get(k or "", "") or (k or "（未分类）"), int(a or 0)) for k, a in rows])


def trend(engine: Engine, year: int, *, department_code: str | None = None, book: str = "general",
          scoped: bool = False) -> list[MonthPoint]:
    """Paid per month 1…12, paid to date, and the base the cumulative rate is read against.

    For a department the base is its indicators' adjusted budget; for the whole book it is the book's
    adjusted budget (``bgt_book``), or the indicators' when the book row is missing or the database is
    ``scoped`` to some departments.
    """
    pay = paid_source(engine).c
    where = [pay.year == year]
    ind_where = [Indicator.year == year, _live(Indicator)]
    if department_code is not None:
        where.append(pay.department_code == department_code)
        ind_where.append(Indicator.department_code == department_code)
    else:
        where.append(pay.book == book)
        ind_where.append(Indicator.book == book)
    with engine.connect() as conn:
        monthly = {int(m): int(a or 0) for m, a in conn.execute(
            select(pay.month, func.sum(pay.amount_fen)).where(*where).group_by(pay.month))}
        base = None
        if department_code is None and not scoped:
            base = conn.scalar(select(BudgetBook.adjusted_fen).where(
                BudgetBook.year == year, BudgetBook.book == book, _live(BudgetBook)))
        if base is None:
            base = conn.scalar(select(func.sum(Indicator.amount_fen + Indicator.adjusted_fen
                                               + Indicator.carried_over_fen)).where(*ind_where))
    points, running = [], 0
    for m in range(1, 13):
        running += monthly.get(m, 0)
        points.append(MonthPoint(m, monthly.get(m, 0), running, int(base or 0)))
    return points


RANK_KEYS = ("rate", "paid", "adjusted", "gap")


def ranking(rows: Sequence[ExecutionRow], by: str = "rate", *, descending: bool = True,
            limit: int | None = None) -> list[ExecutionRow]:
    """Rows ordered by execution rate, paid amount, adjusted budget or gap to progress; unknown rates last."""
    if by not in RANK_KEYS:
        raise ValueError(f"未知的排名方式：{by}")

    def value(row: ExecutionRow) -> Decimal | int | None:
        return {"rate": row.rate, "paid": row.paid_fen, "adjusted": row.adjusted_fen, "gap": row.gap}[by]

    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    known.sort(key=lambda r: (value(r), r.code), reverse=descending)  # type: ignore[arg-type, return-value]
    out = known + unknown
    return out[:limit] if limit is not None else out


@dataclass(frozen=True)
class WarningItem:
    level: str
    rule: str
    subject: str
    reason: str
    department_code: str
    amount_fen: int
    status: str

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


def active_warnings(engine: Engine, year: int, *, department_code: str | None = None) -> list[WarningItem]:
    """Active warnings of ``year``, red first, then by amount."""
    where = [BudgetWarning.year == year, BudgetWarning.active.is_(True), _live(BudgetWarning)]
    if department_code is not None:
        where.append(BudgetWarning.department_code == department_code)
    with engine.connect() as conn:
        rows = conn.execute(select(BudgetWarning.level, BudgetWarning.rule, BudgetWarning.subject,
                                   BudgetWarning.reason, BudgetWarning.department_code, BudgetWarning.amount_fen,
                                   BudgetWarning.status).where(*where)).all()
    items = [WarningItem(*r) for r in rows]
    items.sort(key=lambda w: (LEVEL_ORDER.get(w.level, 9), -w.amount_fen, w.subject))
    return items


@dataclass(frozen=True)
class PayeeRow:
    payee: str
    payments: int
    amount_fen: int


def top_payees(engine: Engine, year: int, month: int, limit: int = 10) -> list[PayeeRow]:
    """The payees that received the most to the end of ``month``."""
    total = func.sum(Payment.amount_fen)
    with engine.connect() as conn:
        rows = conn.execute(select(Payment.payee, func.count(), total)
                            .where(Payment.year == year, Payment.month <= month, _live(Payment))
                            .group_by(Payment.payee).order_by(total.desc(), Payment.payee).limit(limit)).all()
    return [PayeeRow(p, int(n), int(a or 0)) for p, n, a in rows]


@dataclass(frozen=True)
class AuditItem:
    finding_no: str
    title: str
    category: str
    amount_fen: int
    status: str
    rectified_fen: int
    due_on: date | None


@dataclass(frozen=True)
class DepartmentProfile:
    """Everything the department profile (部门画像) shows."""

    code: str
    name: str
    domain: str
    execution: ExecutionRow
    months: list[MonthPoint]
    top_projects: list[ExecutionRow]
    warnings: dict[str, int] = field(default_factory=dict)
    """Active warnings by level (red / yellow / blue)."""
    audit: list[AuditItem] = field(default_factory=list)

    @property
    def warnings_total(self) -> int:
        return sum(self.warnings.values())

    @property
    def audit_amount_fen(self) -> int:
        return sum(a.amount_fen for a in self.audit)

    @property
    def rectified_fen(self) -> int:
        return sum(a.rectified_fen for a in self.audit)


def department_profile(engine: Engine, year: int, month: int, code: str, top: int = 10) -> DepartmentProfile:
    """The profile of one department as of ``month``; raises ``LookupError`` when it has no budget data."""
    rows = execution(engine, year, month, "department", department_code=code)
    if not rows:
        raise LookupError(f"部门 {code} 在{year}年没有预算或支付数据")
    with engine.connect() as conn:
        dept = conn.execute(select(Department.name, Department.domain).where(
            Department.code == code, _live(Department))).first()
        levels = {lv: int(n) for lv, n in conn.execute(
            select(BudgetWarning.level, func.count()).where(
                BudgetWarning.year == year, BudgetWarning.department_code == code,
                BudgetWarning.active.is_(True), _live(BudgetWarning)).group_by(BudgetWarning.level))}
        audit = [AuditItem(*r) for r in conn.execute(
            select(AuditFinding.finding_no, AuditFinding.title, AuditFinding.category, AuditFinding.amount_fen,
                   AuditFinding.rectification_status, AuditFinding.rectified_fen, AuditFinding.due_on)
            .where(AuditFinding.year == year, AuditFinding.department_code == code, _live(AuditFinding))
            .order_by(AuditFinding.finding_no))]
    projects = execution(engine, year, month, "project", department_code=code)
    return DepartmentProfile(code=code, name=dept[0] if dept else code, domain=dept[1] if dept else "",
                             execution=rows[0], months=trend(engine, year, department_code=code),
                             top_projects=ranking(projects, "adjusted", limit=top), warnings=levels, audit=audit)


@dataclass(frozen=True)
class DataNotes:
    """What the reader must be told about the data: generated demo rows, partial code tables."""

    generated: bool
    partial_codes: bool


def data_notes(engine: Engine, year: int) -> DataNotes:
    with engine.connect() as conn:
        generated = any(conn.scalar(select(func.count()).select_from(m).where(
            and_(m.year == year, m.generated.is_(True), _live(m)))) for m in (Payment, Indicator, BudgetBook))
        partial = bool(conn.scalar(select(func.count()).select_from(ClassCode).where(
            ClassCode.year == year, ClassCode.is_partial.is_(True), _live(ClassCode))))
    return DataNotes(generated=generated, partial_codes=partial)
