"""Which fields of a working table a role may set: the rule the sync server should apply per field.

A table-wide permission is not enough for two tables that two roles share:

- ``bgt_comment``: deputies write comments (``budget.comment``), but only staff (``budget.plan``) answer them,
  so a deputy may not set ``answer``, ``answered_by``, ``answered_at`` or move ``status`` to 已答复;
- ``bgt_review_task``: experts write opinions (``budget.opinion``), but only staff create tasks, choose the
  expert, write the brief and the due date, and accept (已完成) or return (已退回) an opinion.

:func:`refusal` answers, for one pushed mutation, whether a principal may make it and, if not, why in
Chinese. The services of this package follow the same rules on the client; the server is the place where
they must hold (see ``docs/budget-platforms.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.auth.roles import P_BUDGET_PLAN

STAFF = (P_BUDGET_PLAN,)

INSERT_PERMISSIONS: dict[str, tuple[str, ...]] = {"bgt_review_task": STAFF}
"""Tables where creating a row needs more than the table's write permission."""

FIELD_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "bgt_comment": {"answer": STAFF, "answered_by": STAFF, "answered_at": STAFF},
    "bgt_review_task": {name: STAFF for name in ("task_no", "plan_no", "target_kind", "target_code", "target_name",
                                                  "expert_id", "expert_user_id", "committee", "brief", "due_on")},
}
"""Fields only these permissions may change (to a value other than the row's current one)."""

VALUE_PERMISSIONS: dict[tuple[str, str], dict[Any, tuple[str, ...]]] = {
    ("bgt_comment", "status"): {"已答复": STAFF},
    ("bgt_review_task", "status"): {"已分派": STAFF, "已完成": STAFF, "已退回": STAFF},
}
"""Values of a field only these permissions may set."""


def refusal(table: str, can: Callable[[str], bool], op: str, changes: Mapping[str, Any],
            current: Mapping[str, Any]) -> str | None:
    """Why the principal may not push ``changes`` to a row of ``table`` whose values are ``current``
    (the column defaults for an insert), or None when the mutation is allowed."""
    if op == "insert":
        needed = INSERT_PERMISSIONS.get(table)
        if needed and not any(can(p) for p in needed):
            return "您的角色无权新建这条记录"
    fields = FIELD_PERMISSIONS.get(table, {})
    for name, value in changes.items():
        if current.get(name) == value:
            continue
        needed = fields.get(name)
        if needed and not any(can(p) for p in needed):
            return f"您的角色无权修改字段“{name}”"
        by_value = VALUE_PERMISSIONS.get((table, name), {})
        needed = by_value.get(value)
        if needed and not any(can(p) for p in needed):
            return f"您的角色无权把“{name}”改为“{value}”"
    return None
