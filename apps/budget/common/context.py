"""What a budget page works with: the client's database, a way to write through the outbox, who is signed in.

Pages never reach for globals. In the app the context comes from the signed-in client
(:func:`from_client`); in tests and screenshots it wraps any migrated database (:func:`standalone`).
Reads go straight to ``engine`` (the laptop's SQLite, holding only the rows of the user's scopes);
writes go through ``session()``, whose commits land in the sync outbox when the store is a client store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import ROLES_BY_NAME


@dataclass
class BudgetContext:
    engine: Engine
    session: Callable[[], Session]
    user_id: str
    user_name: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    year: int = 2024
    domains: frozenset[str] = field(default_factory=frozenset)
    """Special-committee domains the user works for (from ``committee:<domain>`` scopes)."""
    client: Any = None
    """The :class:`apps.common.context.ClientContext` when signed in, else None."""

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def standalone(engine: Engine, *, user_id: str = "staff-1", user_name: str = "预工委工作人员",
               roles: tuple[str, ...] = ("budget_staff",), year: int = 2024,
               domains: tuple[str, ...] = ()) -> BudgetContext:
    """A context over a plain migrated database, acting with the permissions of ``roles``."""
    permissions: set[str] = set()
    for name in roles:
        permissions.update(ROLES_BY_NAME[name].permissions)
    factory = sessionmaker(engine, expire_on_commit=False)
    return BudgetContext(engine=engine, session=factory, user_id=user_id, user_name=user_name,
                         permissions=frozenset(permissions), roles=frozenset(roles), year=year,
                         domains=frozenset(domains))


def from_client(client: Any, year: int = 2024) -> BudgetContext:
    """The context of a signed-in client (:class:`apps.common.context.ClientContext`)."""
    me = client.user
    scopes = getattr(me, "scopes", ()) or ()
    domains = frozenset(s.split(":", 1)[1] for s in scopes if s.startswith("committee:") and s != "committee:*")
    return BudgetContext(engine=client.store.engine, session=client.store.session, user_id=me.user_id,
                         user_name=me.display_name or me.username, permissions=frozenset(me.permissions),
                         roles=frozenset(me.roles), year=year, domains=domains, client=client)
