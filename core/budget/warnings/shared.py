"""Aggregates several rules share, each computed once per run by one grouped query and cached on the context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from core.budget.warnings.registry import RuleContext
from core.money import MoneyUnit, format_fen


@dataclass(frozen=True)
class IndicatorRow:
    indicator_no: str
    department_code: str
    project_code: str
    functional_code: str
    issued_on: date | None
    amount_fen: int
    adjusted_fen: int
    carried_over_fen: int
    carry_forward_fen: int

    @property
    def available_fen(self) -> int:
        """What may be spent this year: the issued amount, its adjustments and last year's carry-over."""
        return self.amount_fen + self.adjusted_fen + self.carried_over_fen


@dataclass(frozen=True)
class Cell:
    """Payments of one department, project, functional and economic code, indicator and month, summed."""

    department_code: str
    project_code: str
    functional_code: str
    economic_code: str
    indicator_no: str
    month: int
    paid_fen: int
    count: int
    max_fen: int


def payment_cells(ctx: RuleContext) -> list[Cell]:
    """The year's payments summed per cell, in ONE grouped scan shared by every rule of the run (a few tens of
    thousands of cells for a million payments); rules then aggregate the cells, never the payments."""
    if "cells" not in ctx.cache:
        rows = ctx.conn.execute(text(
            "SELECT department_code, project_code, functional_code, economic_code, indicator_no, month, "
            "SUM(amount_fen), COUNT(*), MAX(amount_fen) FROM bgt_payment WHERE year = :y AND deleted = :f "
            # indicator and month first: payments arrive in that order, so the sort is nearly done already
            "GROUP BY indicator_no, month, department_code, project_code, functional_code, economic_code"),
            {"y": ctx.year, "f": False}).all()
        ctx.cache["cells"] = [Cell(str(r[0] or ""), str(r[1] or ""), str(r[2] or ""), str(r[3] or ""),
                                   str(r[4] or ""), int(r[5] or 0), int(r[6] or 0), int(r[7] or 0), int(r[8] or 0))
                              for r in rows]
    cells: list[Cell] = ctx.cache["cells"]
    return cells


def cells_to_date(ctx: RuleContext) -> list[Cell]:
    """The cells of the months up to the run's month."""
    return [c for c in payment_cells(ctx) if c.month <= ctx.as_of_month]


def paid_by_indicator(ctx: RuleContext) -> dict[str, tuple[int, int]]:
    """indicator number → (paid fen, payment count) up to the run's month ('' collects payments without one)."""
    if "paid_by_indicator" not in ctx.cache:
        out: dict[str, tuple[int, int]] = {}
        for c in cells_to_date(ctx):
            paid, count = out.get(c.indicator_no, (0, 0))
            out[c.indicator_no] = (paid + c.paid_fen, count + c.count)
        ctx.cache["paid_by_indicator"] = out
    result: dict[str, tuple[int, int]] = ctx.cache["paid_by_indicator"]
    return result


def flagged_payments(ctx: RuleContext, where: str, binds: dict[str, Any]) -> list[Any]:
    """Payments up to the run's month matching ``where``, read in one scan; several rules of the same run
    pass their conditions through :func:`candidate_scan` first, so the table is scanned once for all of them."""
    return list(ctx.conn.execute(text(
        f"SELECT {PAYMENT_COLUMNS}, method FROM bgt_payment WHERE year = :y AND month <= :m AND deleted = :f "
        f"AND ({where}) ORDER BY payment_no"), {"y": ctx.year, "m": ctx.as_of_month, "f": False, **binds}).all())


def indicators(ctx: RuleContext) -> dict[str, IndicatorRow]:
    """The year's indicators by number."""
    if "indicators" not in ctx.cache:
        rows = ctx.conn.execute(text(
            "SELECT indicator_no, department_code, project_code, functional_code, issued_on, amount_fen, "
            "adjusted_fen, carried_over_fen, carry_forward_fen FROM bgt_indicator "
            "WHERE year = :y AND deleted = :f"), {"y": ctx.year, "f": False}).all()
        out: dict[str, IndicatorRow] = {}
        for r in rows:
            issued = r[4]
            if isinstance(issued, str):
                issued = date.fromisoformat(issued[:10])
            out[str(r[0])] = IndicatorRow(str(r[0]), str(r[1] or ""), str(r[2] or ""), str(r[3] or ""), issued,
                                          int(r[5] or 0), int(r[6] or 0), int(r[7] or 0), int(r[8] or 0))
        ctx.cache["indicators"] = out
    result: dict[str, IndicatorRow] = ctx.cache["indicators"]
    return result


# Every amount in a warning's reason and evidence is in 万元, the unit of the inbox's grid, of the thresholds
# and of the reports: a clerk never compares 元 with 万元 inside one sentence. Sums are rounded to 0.01 万元;
# a single payment is written exactly (:func:`wan_exact`), so it can be found by its amount.


def wan(fen: int) -> str:
    """A sum in 万元 for a reason sentence, to 0.01 万元 (100 元): 1,234.56 万元."""
    return format_fen(fen, MoneyUnit.WAN)


def wan_exact(fen: int) -> str:
    """One payment's amount in 万元 to the fen: at least two decimals, more only where the amount needs them
    (123,456.78 元 → 12.345678 万元; 50,000 元 → 5.00 万元)."""
    digits = 2
    while digits < 6 and fen % 10 ** (6 - digits):
        digits += 1
    return format_fen(fen, MoneyUnit.WAN, digits=digits)


def payment_label(no: str, paid_on: object, payee: str, amount: int, purpose: str) -> str:
    day = str(paid_on)[:10]
    return f"{no} {day} {payee} {wan_exact(amount)} {purpose}".strip()


PAYMENT_COLUMNS = "payment_no, paid_on, payee, amount_fen, purpose, department_code, project_code, indicator_no"
