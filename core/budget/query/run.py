"""Run a spec: one aggregate statement, then labels for its keys."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine

from core.budget.query.compile import MEASURE_COLUMNS, compile_spec, payment_source
from core.budget.query.labels import labels_for
from core.budget.query.rollup import ensure_rollup, prepare_connection, uses_rollup
from core.budget.query.spec import QuerySpec


def execution_rate(paid: int | None, adjusted: int | None) -> Decimal | None:
    """Paid ÷ adjusted budget as a percentage with one decimal, or None when it cannot be computed."""
    if paid is None or not adjusted:
        return None
    return (Decimal(paid) * 100 / Decimal(adjusted)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class QueryRow:
    """One group of the result: its key on the current level, a label, and the measures (fen; None = n/a)."""

    key: str
    label: str
    values: dict[str, int | None]

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.values.get("paid"), self.values.get("adjusted"))

    def value(self, measure: str) -> int | Decimal | None:
        return self.rate if measure == "rate" else self.values.get(measure)


@dataclass
class QueryResult:
    spec: QuerySpec
    rows: list[QueryRow]
    total: QueryRow
    source: str
    """Where the payments came from: ``rollup`` or ``payment``."""
    ms: float = 0.0
    notes: list[str] = field(default_factory=list)


def _sort_key(level: str, key: str) -> tuple[int, str]:
    if level == "month" and key.isdigit():
        return (int(key), "")
    return (0, key)


def run_query(engine: Engine, spec: QuerySpec) -> QueryResult:
    """Answer ``spec`` over ``engine`` (brings the local roll-up up to date first)."""
    spec.filters.validate()
    level = spec.level
    if level is None:
        raise ValueError("已到支付明细：请用支付明细列表")
    started = time.perf_counter()
    rollup = uses_rollup(engine)
    if rollup:
        ensure_rollup(engine)
    stmt = compile_spec(spec, rollup=rollup)
    with engine.connect() as conn:  # one connection for the aggregate and its labels
        prepare_connection(conn)
        raw = conn.execute(stmt).all()
        labels = labels_for(conn, spec.year, level, [r.key or "" for r in raw])
    rows = [QueryRow(key=r.key or "", label=labels.get(r.key or "", r.key or ""),
                     values={m: (int(getattr(r, m)) if getattr(r, m) is not None else None)
                             for m in MEASURE_COLUMNS}) for r in raw]
    rows.sort(key=lambda r: _sort_key(level, r.key))
    totals: dict[str, int | None] = {}
    for m in MEASURE_COLUMNS:
        present = [r.values[m] for r in rows if r.values[m] is not None]
        totals[m] = sum(v for v in present if v is not None) if present else None
    notes = []
    if spec.filters.payment_only():
        notes.append("按收款人、用途、支付方式、日期或金额筛选时，只统计支付，不显示预算和计划")
    return QueryResult(spec=spec, rows=rows, total=QueryRow("", "合计", totals),
                       source=payment_source(spec, rollup), ms=(time.perf_counter() - started) * 1000, notes=notes)
