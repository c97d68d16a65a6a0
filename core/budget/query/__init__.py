"""The query layer of budget review: specs, one-statement aggregates, drill-through, single payments, saved
queries. Pure Python over SQLAlchemy Core; every screen and report of the budget app reads through it.

The model registry imports this package (for the local roll-up table) while the budget models are still being
defined, so the package itself loads only :mod:`core.budget.query.rollup`; the rest is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.budget.query.rollup import PaymentRollup, QueryState, ensure_rollup

if TYPE_CHECKING:
    from core.budget.query.run import QueryResult, QueryRow, execution_rate, run_query
    from core.budget.query.spec import ALL_MEASURES, LEVELS, MEASURES, PATHS, Filters, QuerySpec, SpecError

_LAZY = {"QueryResult": "run", "QueryRow": "run", "execution_rate": "run", "run_query": "run",
         "ALL_MEASURES": "spec", "LEVELS": "spec", "MEASURES": "spec", "PATHS": "spec", "Filters": "spec",
         "QuerySpec": "spec", "SpecError": "spec"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"core.budget.query.{_LAZY[name]}"), name)
    raise AttributeError(name)


__all__ = ["ALL_MEASURES", "LEVELS", "MEASURES", "PATHS", "Filters", "PaymentRollup", "QueryResult", "QueryRow",
           "QuerySpec", "QueryState", "SpecError", "ensure_rollup", "execution_rate", "run_query"]
