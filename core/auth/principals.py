"""Resolve the principal a user acts as, from the roles and scope grants stored on the server."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import ROLES_BY_NAME, Principal
from core.models.identity import Role, User, UserRole, UserScopeGrant


class UnknownUser(LookupError):
    pass


def principal_for_user(session: Session, user_id: str, device_id: str | None = None,
                       token_id: str | None = None) -> Principal:
    """The user's permissions and scope patterns: the union over their roles plus per-user grants.

    Role rows in the database win over the catalogue, so an administrator's edits take effect.
    """
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise UnknownUser(user_id)
    roles = list(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))
    permissions: set[str] = set()
    scopes: set[str] = set()
    for name in roles:
        row = session.get(Role, name)
        if row is not None:
            permissions.update(row.permissions or [])
            scopes.update(row.scopes or [])
        elif name in ROLES_BY_NAME:
            spec = ROLES_BY_NAME[name]
            permissions.update(spec.permissions)
            scopes.update(spec.scopes)
    scopes.update(session.scalars(select(UserScopeGrant.scope).where(UserScopeGrant.user_id == user_id)))
    return Principal(user_id=user.id, username=user.username, display_name=user.display_name,
                     roles=frozenset(roles), permissions=frozenset(permissions),
                     scope_patterns=frozenset(scopes), device_id=device_id, token_id=token_id)
