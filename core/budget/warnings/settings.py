"""Rule settings stored in ``bgt_warning_rule``: defaults seeded when missing, thresholds validated when edited.

Amount thresholds are kept as decimal strings of 万元 (``"50"``), so money never passes through a float;
:func:`amount_fen` turns them into fen for the queries.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from core.budget.warnings.registry import LEVELS, RULES, Param, RuleSpec
from core.budget.work import WarningRule
from core.money import yuan_to_fen


class RuleSettingError(ValueError):
    """A threshold or level a user typed is not acceptable; the message says why, in Chinese."""


@dataclass
class RuleSetting:
    """A rule's effective settings: the stored row merged over the defaults."""

    rule: str
    name: str
    level: str
    enabled: bool
    params: dict[str, Any]
    basis: str


def amount_fen(wan: Any) -> int:
    """An amount threshold in 万元 (string, int or Decimal) as integer fen."""
    return yuan_to_fen(Decimal(str(wan)) * 10_000)


def default_setting(spec: RuleSpec) -> RuleSetting:
    return RuleSetting(spec.rule, spec.name, spec.level, True, spec.defaults(), spec.basis)


def load_settings(conn: Connection | Session) -> dict[str, RuleSetting]:
    """Every registered rule's settings: stored values where present (unknown or broken values fall back to the
    default), defaults elsewhere."""
    stored = {r.rule: r for r in conn.execute(
        select(WarningRule.rule, WarningRule.level, WarningRule.enabled, WarningRule.params, WarningRule.basis)
        .where(WarningRule.deleted.is_(False)).order_by(WarningRule.seq)).all()}
    out: dict[str, RuleSetting] = {}
    for key, spec in RULES.items():
        setting = default_setting(spec)
        row = stored.get(key)
        if row is not None:
            setting.enabled = bool(row.enabled)
            setting.level = row.level if row.level in LEVELS else spec.level
            setting.basis = row.basis or spec.basis
            for p in spec.params:
                if isinstance(row.params, dict) and p.key in row.params:
                    with contextlib.suppress(RuleSettingError):
                        setting.params[p.key] = validate_param(p, row.params[p.key])
        out[key] = setting
    return out


def seed_rules(session: Session) -> int:
    """Add a ``bgt_warning_rule`` row with the defaults for every rule that has none; returns how many."""
    have = set(session.scalars(select(WarningRule.rule).where(WarningRule.deleted.is_(False))))
    added = 0
    for key, spec in RULES.items():
        if key not in have:
            session.add(WarningRule(rule=key, name=spec.name, level=spec.level, enabled=True,
                                    params=spec.defaults(), basis=spec.basis, scope=WarningRule.scope_for({})))
            added += 1
    return added


def validate_param(p: Param, value: Any) -> Any:
    """The value in stored form, or :class:`RuleSettingError` with a Chinese message."""
    if p.kind == "keywords":
        if isinstance(value, str):
            value = [w for part in value.replace("，", ",").replace("、", ",").split(",") if (w := part.strip())]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise RuleSettingError(f"“{p.label}”应为词语列表")
        words = [w.strip() for w in value if w.strip()]
        if not words:
            raise RuleSettingError(f"“{p.label}”至少要有一个词")
        if any(len(w) > 40 or "%" in w or "_" in w for w in words):
            raise RuleSettingError(f"“{p.label}”中的词语过长或含有 % _ 等特殊字符")
        return words
    if p.kind == "choice":
        keys = [c[0] for c in p.choices]
        if value not in keys:
            raise RuleSettingError(f"“{p.label}”只能是：{'、'.join(c[1] for c in p.choices)}")
        return value
    if isinstance(value, bool):
        raise RuleSettingError(f"“{p.label}”应为数字")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise RuleSettingError(f"“{p.label}”应为数字，而不是“{value}”") from None
    if not number.is_finite():
        raise RuleSettingError(f"“{p.label}”应为数字，而不是“{value}”")
    if p.minimum is not None and number < Decimal(str(p.minimum)):
        raise RuleSettingError(f"“{p.label}”不能小于 {_plain(p.minimum)}{_unit(p)}")
    if p.maximum is not None and number > Decimal(str(p.maximum)):
        raise RuleSettingError(f"“{p.label}”不能大于 {_plain(p.maximum)}{_unit(p)}")
    if p.kind == "amount":
        if number.as_tuple().exponent < -6:  # type: ignore[operator]
            raise RuleSettingError(f"“{p.label}”最多精确到 0.000001 万元（1 分）")
        return format(number.normalize(), "f")
    if p.kind == "days":
        if number != number.to_integral_value():
            raise RuleSettingError(f"“{p.label}”应为整数天数")
        return int(number)
    return float(number)


def _plain(x: float) -> str:
    return f"{x:g}"


def _unit(p: Param) -> str:
    return {"percent": "%", "amount": " 万元", "days": " 天"}.get(p.kind, "")


def validate(rule: str, level: str, params: dict[str, Any]) -> dict[str, Any]:
    """All of a rule's thresholds checked and in stored form; raises :class:`RuleSettingError` on the first bad one."""
    spec = RULES.get(rule)
    if spec is None:
        raise RuleSettingError(f"没有名为 {rule} 的预警规则")
    if level not in LEVELS:
        raise RuleSettingError("预警等级只能是红色、黄色或蓝色")
    out: dict[str, Any] = {}
    for p in spec.params:
        out[p.key] = validate_param(p, params.get(p.key, p.default))
    return out


def save_rule(session: Session, rule: str, *, level: str, enabled: bool, params: dict[str, Any],
              basis: str | None = None) -> WarningRule:
    """Validate and store one rule's settings (adds the row when missing). Nothing changes on a bad value."""
    clean = validate(rule, level, params)
    spec = RULES[rule]
    if basis is not None and len(basis) > 400:
        raise RuleSettingError("依据说明不能超过 400 个字")
    row = session.scalars(select(WarningRule).where(WarningRule.rule == rule, WarningRule.deleted.is_(False))
                          .order_by(WarningRule.seq)).first()
    if row is None:
        row = WarningRule(rule=rule, name=spec.name, basis=spec.basis, scope=WarningRule.scope_for({}))
        session.add(row)
    row.level, row.enabled, row.params = level, bool(enabled), clean
    if basis is not None:
        row.basis = basis.strip() or spec.basis
    return row
