"""The follow-up of a warning: 发函 (sent to the department) → 答复 (its answer) → 关闭, and 重新打开.

Each step is a ``bgt_warning_action`` row plus the warning's new ``status``, written in the caller's session
(so on a client both go through the outbox, and the sync server checks ``budget.warning`` on each). A step
the current status does not allow is refused with a message and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from core.auth.roles import P_BUDGET_WARNING
from core.budget.work import BudgetWarning, WarningAction
from core.models.base import utcnow

PENDING, SENT, ANSWERED, CLOSED = "待处理", "已发函", "已答复", "已关闭"
SEND, ANSWER, CLOSE, REOPEN, NOTE = "发函", "答复", "关闭", "重新打开", "备注"

TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    SEND: (frozenset({PENDING, ANSWERED}), SENT),
    ANSWER: (frozenset({SENT}), ANSWERED),
    CLOSE: (frozenset({PENDING, ANSWERED}), CLOSED),
    REOPEN: (frozenset({CLOSED}), PENDING),
    NOTE: (frozenset({PENDING, SENT, ANSWERED, CLOSED}), None),
}
"""action → (statuses it may follow, status it leads to; None keeps the status)."""

NOTE_REQUIRED = frozenset({ANSWER, REOPEN, NOTE})
"""Steps that mean nothing without words: the department's answer, why it is reopened, the note itself."""


class FollowUpError(ValueError):
    """A step that is not allowed now, or lacks what it needs; the message says why, in Chinese."""


@dataclass(frozen=True)
class ActionRecord:
    action: str
    note: str
    actor: str
    acted_at: datetime | None


def allowed_actions(status: str) -> list[str]:
    """The steps a warning in ``status`` may take, in the order the buttons show them."""
    return [a for a, (before, _after) in TRANSITIONS.items() if status in before]


def check(status: str, action: str, note: str, permissions: frozenset[str] | set[str]) -> str:
    """The cleaned note when ``action`` may follow ``status`` for these permissions; else :class:`FollowUpError`.
    Pure, so a page can refuse at once without touching the database."""
    if P_BUDGET_WARNING not in permissions:
        raise FollowUpError("您没有处理预警的权限")
    if action not in TRANSITIONS:
        raise FollowUpError(f"没有“{action}”这一处理步骤")
    note = (note or "").strip()
    before, _after = TRANSITIONS[action]
    if status not in before:
        raise FollowUpError(f"预警当前为“{status}”，不能{action}"
                            f"（可以：{'、'.join(allowed_actions(status)) or '无'}）")
    if action in NOTE_REQUIRED and not note:
        raise FollowUpError(f"{action}需要填写说明")
    if len(note) > 2000:
        raise FollowUpError("说明不能超过 2000 个字")
    return note


def act(session: Session, warning_key: str, action: str, note: str = "", *, actor: str,
        permissions: frozenset[str] | set[str]) -> BudgetWarning:
    """Take one follow-up step on the warning; refuses (:class:`FollowUpError`) without ``budget.warning``,
    for an unknown warning, a step its status does not allow, or a missing note."""
    if P_BUDGET_WARNING not in permissions:
        raise FollowUpError("您没有处理预警的权限")
    warning = session.scalars(select(BudgetWarning).where(
        BudgetWarning.warning_key == warning_key, BudgetWarning.deleted.is_(False))).first()
    if warning is None:
        raise FollowUpError("找不到这条预警，可能尚未同步到本机")
    note = check(warning.status, action, note, permissions)
    after = TRANSITIONS[action][1]
    session.add(WarningAction(warning_key=warning_key, action=action, note=note, actor=actor, acted_at=utcnow(),
                              domain=warning.domain, scope=WarningAction.scope_for({"domain": warning.domain})))
    if after is not None:
        warning.status = after
    return warning


def history(conn: Connection | Session, warning_key: str) -> list[ActionRecord]:
    """The warning's follow-up steps, oldest first."""
    rows = conn.execute(select(WarningAction.action, WarningAction.note, WarningAction.actor, WarningAction.acted_at)
                        .where(WarningAction.warning_key == warning_key, WarningAction.deleted.is_(False))
                        .order_by(WarningAction.acted_at, WarningAction.id)).all()
    return [ActionRecord(r[0], r[1] or "", r[2] or "", r[3]) for r in rows]
