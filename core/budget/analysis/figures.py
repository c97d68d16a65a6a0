"""Plain figures and the arithmetic on them: rates against time progress, growth, shares that add up.

Rates are ``Decimal`` percentages with two decimals, rounded half up, computed from integer fen, so the
same figure prints the same everywhere. Shares are rounded by the largest-remainder method so that a
structure table always adds up to exactly 100.00%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def pct(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with two decimals; ``None`` when there is no base to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def progress_pct(month: int) -> Decimal:
    """Time progress (序时进度) at the end of ``month``: month m of 12, as a percentage."""
    if not 0 <= month <= 12:
        raise ValueError(f"月份应在 0 到 12 之间，收到 {month}")
    return (Decimal(month) * HUNDRED / 12).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ExecutionRow:
    """Execution of one book, functional class, department or project as of a month.

    ``budget_fen`` is the budget as issued (年初预算: indicator amounts, or the book's budget);
    ``adjusted_fen`` the budget to execute against (调整预算: issued ± adjustments + last year's carry-over);
    ``paid_fen`` what was paid in months 1…``month``. ``has_detail`` is False for a book without payment
    detail in the database: its rate is then unknown rather than zero.
    """

    kind: str
    code: str
    name: str
    budget_fen: int
    adjusted_fen: int
    paid_fen: int
    month: int
    has_detail: bool = True

    @property
    def rate(self) -> Decimal | None:
        """Execution rate (执行率): paid as a percentage of the adjusted budget."""
        return pct(self.paid_fen, self.adjusted_fen) if self.has_detail else None

    @property
    def progress(self) -> Decimal:
        return progress_pct(self.month)

    @property
    def gap(self) -> Decimal | None:
        """Rate minus time progress, in percentage points (negative: behind progress)."""
        rate = self.rate
        return None if rate is None else rate - self.progress


@dataclass(frozen=True)
class GrowthRow:
    """This year's amount against last year's on the same basis; growth in percent (``None`` without a base)."""

    code: str
    name: str
    current_fen: int
    previous_fen: int

    @property
    def growth(self) -> Decimal | None:
        if self.previous_fen <= 0:
            return None
        return pct(self.current_fen - self.previous_fen, self.previous_fen)


@dataclass(frozen=True)
class Share:
    """One part of a structure: its amount and its share of the whole (``share`` in percent)."""

    code: str
    name: str
    amount_fen: int
    share: Decimal


def shares(parts: list[tuple[str, str, int]]) -> list[Share]:
    """Shares of ``(code, name, amount_fen)`` parts, rounded so they add up to exactly 100.00%.

    Largest remainder on hundredths of a percent: each part gets the floor of its exact share, and the
    hundredths left over go to the parts with the largest remainders. Negative parts count as zero.
    """
    total = sum(max(a, 0) for _, _, a in parts)
    if total <= 0:
        return [Share(c, n, a, Decimal(0)) for c, n, a in parts]
    units = 10_000  # hundredths of a percent
    floors = [max(a, 0) * units // total for _, _, a in parts]
    remainders = [max(a, 0) * units % total for _, _, a in parts]
    left = units - sum(floors)
    for i in sorted(range(len(parts)), key=lambda j: (-remainders[j], j))[:left]:
        floors[i] += 1
    return [Share(c, n, a, Decimal(f) / 100) for (c, n, a), f in zip(parts, floors, strict=True)]


@dataclass(frozen=True)
class MonthPoint:
    """One month of a trend: paid in the month, paid to date, rate to date and time progress."""

    month: int
    paid_fen: int
    cumulative_fen: int
    base_fen: int

    @property
    def rate(self) -> Decimal | None:
        return pct(self.cumulative_fen, self.base_fen)

    @property
    def progress(self) -> Decimal:
        return progress_pct(self.month)
