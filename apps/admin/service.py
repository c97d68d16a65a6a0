"""The server's user-administration API as plain calls (no Qt): what the 用户管理 window does, over HTTPS.

Every call is checked and audited by the server (``/api/admin``); this client only shapes requests and answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol


class JsonCaller(Protocol):
    def call(self, method: str, path: str, body: Any = None) -> Any: ...


@dataclass(frozen=True)
class Account:
    user_id: str
    username: str
    display_name: str
    active: bool
    roles: tuple[str, ...]
    scopes: tuple[str, ...]
    failed_logins: int
    locked_until: datetime | None
    must_change_password: bool

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > datetime.now(UTC)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        locked = data.get("locked_until")
        until = datetime.fromisoformat(locked) if locked else None
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        return cls(str(data["id"]), str(data["username"]), str(data["display_name"]), bool(data["is_active"]),
                   tuple(data.get("roles", ())), tuple(data.get("scopes", ())), int(data.get("failed_logins", 0)),
                   until, bool(data.get("must_change_password", False)))


@dataclass(frozen=True)
class RoleChoice:
    name: str
    label_zh: str
    label_en: str


ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def temporary_password(length: int = 12) -> str:
    """A first password to hand over in person: letters, digits and a sign, no look-alikes (0/O, 1/l)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length - 2))
    return body + secrets.choice("23456789") + secrets.choice("@#%+=")


class UserAdmin:
    """``/api/admin`` for one signed-in administrator."""

    def __init__(self, transport: JsonCaller) -> None:
        self.transport = transport

    def accounts(self) -> list[Account]:
        return sorted((Account.from_json(u) for u in self.transport.call("GET", "/api/admin/users")),
                      key=lambda a: a.username)

    def roles(self) -> list[RoleChoice]:
        return [RoleChoice(r["name"], r["label_zh"], r["label_en"]) for r in self.transport.call("GET", "/api/admin/roles")]

    def create(self, username: str, display_name: str, password: str, roles: list[str],
               scopes: list[str]) -> Account:
        body = {"username": username, "display_name": display_name, "password": password, "roles": roles,
                "scopes": scopes, "must_change_password": True}
        return Account.from_json(self.transport.call("POST", "/api/admin/users", body))

    def set_roles(self, user_id: str, roles: list[str]) -> Account:
        return Account.from_json(self.transport.call("PUT", f"/api/admin/users/{user_id}/roles", {"roles": roles}))

    def set_scopes(self, user_id: str, scopes: list[str]) -> Account:
        return Account.from_json(self.transport.call("PUT", f"/api/admin/users/{user_id}/scopes", {"scopes": scopes}))

    def set_active(self, user_id: str, active: bool) -> Account:
        return Account.from_json(self.transport.call("PATCH", f"/api/admin/users/{user_id}", {"is_active": active}))

    def unlock(self, user_id: str) -> Account:
        return Account.from_json(self.transport.call("POST", f"/api/admin/users/{user_id}/unlock"))

    def reset_password(self, user_id: str, password: str) -> None:
        self.transport.call("POST", f"/api/admin/users/{user_id}/password",
                            {"password": password, "must_change_password": True})

    def revoke_tokens(self, user_id: str) -> int:
        return int(self.transport.call("POST", f"/api/admin/users/{user_id}/revoke-tokens")["revoked"])
