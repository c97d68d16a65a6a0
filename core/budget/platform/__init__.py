"""Services of the budget work platforms (pure, no Qt): expert and deputy registries, review management,
deputies' comments (建言), documents and archives, and each role's work-platform figures.

Every write goes through a session the caller gives, so on a laptop it lands in the sync outbox and the
server checks it again (``core.sync.permissions``); the checks here give the user a clear Chinese message
first and change nothing when the input is bad.
"""

from __future__ import annotations

from typing import Protocol

from core.db import read_connection

reading = read_connection
"""A read-only connection (:func:`core.db.read_connection`): pages and rankings read while a write is open elsewhere."""


class PlatformError(ValueError):
    """A request the platform refuses; the message is shown to the user as is."""


class Actor(Protocol):
    """Who acts: the page context (:class:`apps.budget.common.context.BudgetContext`) fits."""

    user_id: str
    user_name: str

    def can(self, permission: str) -> bool: ...


def require(actor: Actor, permission: str, what: str) -> None:
    if not actor.can(permission):
        raise PlatformError(f"您的角色无权{what}")


def clean(text: str | None, label: str, limit: int, required: bool = True) -> str:
    """Trimmed text, refused when empty (if required) or too long."""
    value = (text or "").strip()
    if required and not value:
        raise PlatformError(f"请填写{label}")
    if len(value) > limit:
        raise PlatformError(f"{label}不能超过 {limit} 个字")
    return value


