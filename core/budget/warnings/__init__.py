"""Early-warning rules of budget review (预算联网监督预警): the rule registry, stored thresholds, the engine that
raises, updates and retires warnings, and the follow-up of each warning.

``run_rules(engine, year, as_of_month)`` is the one entry point for the app, the CLI and the benchmark.
"""

from __future__ import annotations

from core.budget.warnings import (  # noqa: F401  (register the rules)
    adjustments,
    budget,
    payments,
    progress,
    three_public,
)
from core.budget.warnings.engine import (
    RulesCancelled,
    RulesRun,
    evaluate,
    latest_month,
    run_rules,
    warning_key,
)
from core.budget.warnings.registry import LEVEL_NAMES, LEVELS, RULES, Finding, Param, RuleContext, RuleSpec
from core.budget.warnings.settings import (
    RuleSetting,
    RuleSettingError,
    load_settings,
    save_rule,
    seed_rules,
    validate,
)

ORDER = ("execution_below_progress", "year_end_spike", "payment_without_budget", "payment_above_budget",
         "large_single_payment", "cash_withdrawal", "suspicious_payee_or_purpose", "idle_funds", "large_carry_over",
         "three_public_growth", "reserve_fund_use", "large_budget_adjustment")
"""The order of DOMAIN.md; rules added later follow."""
for _key in [k for k in ORDER if k in RULES] + [k for k in RULES if k not in ORDER]:
    RULES[_key] = RULES.pop(_key)

__all__ = [
    "LEVELS", "LEVEL_NAMES", "RULES", "Finding", "Param", "RuleContext", "RuleSetting", "RuleSettingError",
    "RuleSpec", "RulesCancelled", "RulesRun", "evaluate", "latest_month", "load_settings", "run_rules",
    "save_rule", "seed_rules", "validate", "warning_key",
]
