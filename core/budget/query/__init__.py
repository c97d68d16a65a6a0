"""The query layer of budget review: specs, one-statement aggregates, drill-through, single payments, saved
queries. Pure Python over SQLAlchemy Core; every screen and report of the budget app reads through it."""

from core.budget.query.rollup import PaymentRollup, QueryState, ensure_rollup
from core.budget.query.run import QueryResult, QueryRow, execution_rate, run_query
from core.budget.query.spec import ALL_MEASURES, LEVELS, MEASURES, PATHS, Filters, QuerySpec, SpecError

__all__ = ["ALL_MEASURES", "LEVELS", "MEASURES", "PATHS", "Filters", "PaymentRollup", "QueryResult", "QueryRow",
           "QuerySpec", "QueryState", "SpecError", "ensure_rollup", "execution_rate", "run_query"]
