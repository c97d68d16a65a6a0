"""Entry points the budget window loads: :class:`WarningInboxPage` and :class:`WarningRulesPage`."""

from __future__ import annotations

from apps.budget.warnings.inbox_page import WarningInboxPage
from apps.budget.warnings.rules_page import WarningRulesPage

__all__ = ["WarningInboxPage", "WarningRulesPage"]
