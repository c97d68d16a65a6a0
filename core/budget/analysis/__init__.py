"""Analysis of budget execution (预算执行分析): the figures behind the analysis page and the execution report.

Every figure is computed with set-based SQL (``GROUP BY`` over the indexed ``bgt_*`` tables) and returned as
frozen dataclasses with amounts in integer fen and rates as ``Decimal`` percentages, so the Qt page, the PDF
and the Word report show the very same numbers. Definitions are in ``docs/budget-analysis.md``.
"""

from core.budget.analysis.figures import (
    ExecutionRow,
    GrowthRow,
    MonthPoint,
    Share,
    pct,
    progress_pct,
    shares,
)
from core.budget.analysis.queries import (
    LEVEL_NAMES,
    AuditItem,
    DataNotes,
    DepartmentProfile,
    PayeeRow,
    WarningItem,
    YearOnYear,
    active_warnings,
    data_notes,
    department_profile,
    departments,
    execution,
    latest_month,
    ranking,
    structure,
    top_payees,
    trend,
    year_on_year,
)

__all__ = [
    "LEVEL_NAMES", "AuditItem", "DataNotes", "DepartmentProfile", "ExecutionRow", "GrowthRow", "MonthPoint",
    "PayeeRow", "Share", "WarningItem", "YearOnYear", "active_warnings", "data_notes", "department_profile",
    "departments", "execution", "latest_month", "pct", "progress_pct", "ranking", "shares", "structure",
    "top_payees", "trend", "year_on_year",
]
