"""Running the rules: evaluate every enabled rule with its stored thresholds, then write the warnings in one
transaction — new ones raised, found-again ones updated, vanished ones retired (kept, with their follow-up).

Keys are deterministic (``rule|year|subject``), so a rerun updates instead of duplicating. Writes go through
the caller's session factory, so on a client they land in the sync outbox and on the server they are stamped
with change numbers; a failure or a cancel before the commit leaves the previous warnings untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from core.budget.warnings.registry import RULES, TRAIL_CAP, Finding, RuleContext
from core.budget.warnings.settings import load_settings, seed_rules
from core.budget.warnings.shared import flagged_payments
from core.budget.work import BudgetWarning
from core.db import read_connection as reading  # rules read while the sync or the pages write
from core.models.base import utcnow

Progress = Callable[[str, int, int], None]


class RulesCancelled(RuntimeError):
    """The run was cancelled before anything was written."""


@dataclass
class RulesRun:
    """What a run did. ``raised`` counts the year's active warnings after the run."""

    year: int
    as_of_month: int
    raised: int = 0
    new: int = 0
    updated: int = 0
    retired: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    """Active warnings per rule that ran."""
    seconds: float = 0.0
    rule_seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{self.year} 年截至 {self.as_of_month} 月：在办预警 {self.raised} 条（新增 {self.new}，更新 "
                f"{self.updated}，解除 {self.retired}），用时 {self.seconds:.1f} 秒")


def warning_key(rule: str, year: int, subject_key: str) -> str:
    return f"{rule}|{year}|{subject_key}"[:160]


def latest_month(engine: Engine, year: int) -> int:
    """The last month of the year that has payments (12 when there are none); read from the (year, month)
    index alone, so it costs nothing even at a million payments."""
    with reading(engine) as conn:
        month = conn.execute(text("SELECT MAX(month) FROM bgt_payment WHERE year = :y"), {"y": year}).scalar()
    return int(month) if month else 12


def _departments(engine: Engine) -> dict[str, tuple[str, str]]:
    with reading(engine) as conn:
        rows = conn.execute(text("SELECT code, name, domain FROM reg_department WHERE deleted = :f"),
                            {"f": False}).all()
    return {str(c): (str(n or c), str(d or "")) for c, n, d in rows}


def _file_backed(engine: Engine) -> bool:
    return engine.dialect.name != "sqlite" or (engine.url.database or ":memory:") != ":memory:"


def default_session_factory(engine: Engine) -> Callable[[], Session]:
    """Sessions that stamp synced rows as the server does (the CLI on the server)."""
    from core.sync.stamping import install_server_hooks

    factory = sessionmaker(engine, expire_on_commit=False)
    install_server_hooks(factory)
    return factory


def evaluate(engine: Engine, year: int, as_of_month: int, rules: Iterable[str] | None = None, *,
             progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
             timings: dict[str, float] | None = None) -> dict[str, tuple[str, list[Finding]]]:
    """Run the enabled rules (or those named) read-only; rule → (level, findings)."""
    departments = _departments(engine)
    with reading(engine) as conn, ThreadPoolExecutor(max_workers=1) as pool:
        settings = load_settings(conn)
        wanted = list(RULES) if rules is None else [r for r in rules if r in RULES]
        unknown = [r for r in (rules or ()) if r not in RULES]
        if unknown:
            raise ValueError(f"没有这些预警规则：{'、'.join(unknown)}")
        chosen = [r for r in wanted if settings[r].enabled]
        shared: dict[str, Any] = {}
        out: dict[str, tuple[str, list[Finding]]] = {}
        screens: list[str] = []
        binds: dict[str, Any] = {}
        for i, rule in enumerate(chosen):
            screen = RULES[rule].screen
            if screen is not None:
                ctx = RuleContext(conn=conn, year=year, as_of_month=as_of_month, params=settings[rule].params,
                                  departments=departments, cache=shared)
                where, values = screen(ctx, f"s{i}_")
                screens.append(f"({where})")
                binds.update(values)
        if screens:
            where = " OR ".join(screens)

            def scan() -> list[Any]:
                t0 = time.perf_counter()
                with reading(engine) as own:
                    rows = flagged_payments(RuleContext(conn=own, year=year, as_of_month=as_of_month, params={},
                                                        departments=departments), where, binds)
                if timings is not None:
                    timings["screen"] = round(time.perf_counter() - t0, 3)
                return rows

            # the screening scan runs beside the shared grouped scan (one core each); an in-memory database
            # cannot be opened twice, so it is scanned in turn there
            shared["screened"] = pool.submit(scan) if _file_backed(engine) else scan()
        for i, rule in enumerate(chosen):
            if cancel is not None and cancel():
                raise RulesCancelled("已取消，预警未更新")
            spec = RULES[rule]
            if progress is not None:
                progress(spec.name, i, len(chosen))
            t0 = time.perf_counter()
            ctx = RuleContext(conn=conn, year=year, as_of_month=as_of_month, params=settings[rule].params,
                              departments=departments, cache=shared)
            out[rule] = (settings[rule].level, spec.evaluate(ctx))
            if timings is not None:
                timings[rule] = round(time.perf_counter() - t0, 3)
    if cancel is not None and cancel():
        raise RulesCancelled("已取消，预警未更新")
    return out


def run_rules(engine: Engine, year: int, as_of_month: int | None = None, *, rules: Iterable[str] | None = None,
              progress: Progress | None = None, cancel: Callable[[], bool] | None = None, actor: str = "rules",
              session_factory: Callable[[], Session] | None = None) -> RulesRun:
    """Evaluate the rules for ``year`` up to ``as_of_month`` (default: the last month with payments) and write
    the warnings in one transaction through ``session_factory`` (default: server-stamping sessions on
    ``engine``). Rules not run keep their warnings as they are."""
    started = time.perf_counter()
    if as_of_month is None:
        as_of_month = latest_month(engine, year)
    if not 1 <= as_of_month <= 12:
        raise ValueError("月份应在 1 到 12 之间")
    run = RulesRun(year=year, as_of_month=as_of_month)
    results = evaluate(engine, year, as_of_month, rules, progress=progress, cancel=cancel,
                       timings=run.rule_seconds)
    if progress is not None:
        progress("保存预警", len(results), len(results) + 1)
    t_write = time.perf_counter()
    factory = session_factory or default_session_factory(engine)
    departments = _departments(engine)
    with factory() as session, session.begin():
        session.info["actor"] = actor
        seed_rules(session)
        _write(session, run, results, departments)
        if cancel is not None and cancel():
            raise RulesCancelled("已取消，预警未更新")
        session.flush()
        run.raised = int(session.scalar(select(func.count()).select_from(BudgetWarning).where(
            BudgetWarning.year == year, BudgetWarning.active.is_(True), BudgetWarning.deleted.is_(False))) or 0)
    run.rule_seconds["write"] = round(time.perf_counter() - t_write, 3)
    run.seconds = round(time.perf_counter() - started, 3)
    if progress is not None:
        progress("完成", 1, 1)
    return run


def _write(session: Session, run: RulesRun, results: dict[str, tuple[str, list[Finding]]],
           departments: dict[str, tuple[str, str]]) -> None:
    existing: dict[str, BudgetWarning] = {}
    if results:
        for w in session.scalars(select(BudgetWarning).where(
                BudgetWarning.year == run.year, BudgetWarning.rule.in_(list(results)),
                BudgetWarning.deleted.is_(False))):
            existing.setdefault(w.warning_key, w)
    now = utcnow()
    seen: set[str] = set()
    for rule, (level, findings) in results.items():
        for f in findings:
            key = warning_key(rule, run.year, f.subject_key)
            if key in seen:
                continue
            seen.add(key)
            values = _values(rule, run, level, f, departments)
            row = existing.get(key)
            if row is None:
                row = BudgetWarning(warning_key=key, rule=rule, year=run.year, status="待处理", raised_at=now,
                                    active=True, **values)
                row.scope = BudgetWarning.scope_for(values)
                session.add(row)
                run.new += 1
                continue
            changed = not row.active
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
            if not row.active:
                row.active = True
            if changed:
                row.scope = BudgetWarning.scope_for(values)
                run.updated += 1
        run.by_rule[rule] = len({warning_key(rule, run.year, f.subject_key) for f in findings})
    for key, row in existing.items():
        if key not in seen and row.active:
            row.active = False
            run.retired += 1


def _values(rule: str, run: RulesRun, level: str, f: Finding,
            departments: dict[str, tuple[str, str]]) -> dict[str, Any]:
    trail = list(f.trail[:TRAIL_CAP])
    total = max(f.trail_total, len(f.trail))
    if total > len(trail):
        trail.append({"table": "", "key": "", "label": f"另有 {total - len(trail)} 条记录未列出", "more": total - len(trail)})
    return {"level": f.level or level, "as_of_month": run.as_of_month, "department_code": f.department_code,
            "project_code": f.project_code, "indicator_no": f.indicator_no, "subject": f.subject[:200],
            "reason": f.reason, "measure": float(f.measure), "threshold": float(f.threshold),
            "amount_fen": int(f.amount_fen), "trail": trail,
            "domain": departments.get(f.department_code, ("", ""))[1]}
