"""Every route, tried by every role, by a user without roles, with no token and with a forged token.

Allowed callers get a 2xx answer; the others get 401 (not signed in) or 403 (signed in, not allowed).
One server per database serves the whole matrix; each route is tried with fresh tokens, and the
routes that change the callers themselves (password, logout) put things back afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from core.auth.service import DEMO_USERS
from core.ids import uuid7
from core.models.registry import Attachment
from core.sync.blobs import sha256_hex
from tests.helpers.live_server import LiveServer, start_live_server

ROLE_USERS = frozenset(u for u, _role in DEMO_USERS)
PUBLIC = "public"  # anyone, even without a token
SIGNED_IN = ROLE_USERS | {"noroles"}
ADMIN = frozenset({"admin"})
PDF = b"%PDF-1.4\n% test attachment\n"
PDF_SHA = sha256_hex(PDF)
_counter = itertools.count()


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    allowed: frozenset[str] | str
    body: Callable[[dict[str, str]], Any] | None = None
    raw: bytes | None = None
    headers: dict[str, str] | None = None


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def _push(_ctx: dict[str, str]) -> Any:
    return {"device_id": uuid7(), "mutations": [{
        "mutation_id": uuid7(), "table": "reg_document", "row_id": uuid7(), "op": "insert",
        "base_version": 0, "base": {}, "changes": {"title": "公开预算报告", "classification": "public"},
        "local_seq": 1}]}


ROUTES = [
    Route("health", "GET", "/api/health", PUBLIC),
    Route("openapi", "GET", "/openapi.json", PUBLIC),
    Route("login", "POST", "/api/auth/login", PUBLIC,
          body=lambda ctx: {"username": "staff", "password": ctx["password"]}),
    Route("me", "GET", "/api/auth/me", SIGNED_IN),
    Route("logout", "POST", "/api/auth/logout", SIGNED_IN),
    Route("password", "POST", "/api/auth/password", SIGNED_IN,
          body=lambda ctx: {"old_password": ctx["password"], "new_password": "Changed#Pass2026"}),
    Route("users-list", "GET", "/api/admin/users", ADMIN),
    Route("users-create", "POST", "/api/admin/users", ADMIN,
          body=lambda ctx: {"username": _unique("clerk"), "display_name": "新同事", "password": "Welcome#2026x",
                            "roles": ["deputy"]}),
    Route("users-patch", "PATCH", "/api/admin/users/{victim}", ADMIN, body=lambda ctx: {"display_name": "改名"}),
    Route("users-roles", "PUT", "/api/admin/users/{victim}/roles", ADMIN, body=lambda ctx: {"roles": ["expert"]}),
    Route("users-scopes", "PUT", "/api/admin/users/{victim}/scopes", ADMIN,
          body=lambda ctx: {"scopes": ["committee:财经"]}),
    Route("users-unlock", "POST", "/api/admin/users/{victim}/unlock", ADMIN),
    Route("users-revoke", "POST", "/api/admin/users/{victim}/revoke-tokens", ADMIN),
    Route("users-password", "POST", "/api/admin/users/{victim}/password", ADMIN,
          body=lambda ctx: {"password": "Reset#Pass2026"}),
    Route("roles-list", "GET", "/api/admin/roles", ADMIN),
    Route("roles-update", "PUT", "/api/admin/roles/expert", ADMIN,
          body=lambda ctx: {"permissions": ["sync.use", "app.budget"], "scopes": ["public", "user:self"]}),
    Route("audit-read", "GET", "/api/audit?after_seq=0&limit=5", ADMIN),
    Route("audit-verify", "GET", "/api/audit/verify", ADMIN),
    Route("sync-push", "POST", "/api/sync/push", ROLE_USERS, body=_push),
    Route("sync-pull", "POST", "/api/sync/pull", ROLE_USERS, body=lambda ctx: {"cursor": {}, "limit": 100}),
    Route("sync-checksums", "GET", "/api/sync/checksums", ROLE_USERS),
    Route("sync-device", "POST", "/api/sync/devices", ROLE_USERS,
          body=lambda ctx: {"device_id": uuid7(), "name": "办公室电脑", "public_key": "A" * 43 + "="}),
    Route("blob-upload", "PUT", f"/api/sync/blobs/{PDF_SHA}", ROLE_USERS, raw=PDF,
          headers={"X-Filename": "%E6%8A%A5%E5%91%8A.pdf", "Content-Type": "application/octet-stream"}),
    Route("blob-fetch", "GET", f"/api/sync/blobs/{PDF_SHA}", ROLE_USERS),
    Route("sync-compact", "POST", "/api/sync/compact", ADMIN),
]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def matrix_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp_path = tmp_path_factory.mktemp("matrix")
    with ExitStack() as stack:
        db_url = (stack.enter_context(request.getfixturevalue("pg_cluster").database())
                  if request.param == "postgresql" else None)
        live = stack.enter_context(start_live_server(tmp_path, db_url))
        live.users["victim"] = _prepare(live)["victim"]
        yield live


def _prepare(server: LiveServer) -> dict[str, str]:
    identity = server.services.identity
    victim = identity.create_user("victim", "被管理的用户", "Managed#Pass2026", ["deputy"])
    identity.create_user("noroles", "无角色用户", server.password, [])
    # Every user can see one attachment naming the test file: one row in each user's own scope.
    server.services.blobs.store.put(PDF)
    with server.services.factory() as s, s.begin():
        s.info["actor"] = "test"
        for user in identity.list_users():
            s.add(Attachment(sha256=PDF_SHA, size=len(PDF), mime="application/pdf", filename="报告.pdf",
                             owner_table="auth_user", owner_id=user.id, owner_scope=f"user:{user.id}"))
    return {"victim": victim.id, "password": server.password}


def _call(http: requests.Session, server: LiveServer, route: Route, ctx: dict[str, str],
          headers: dict[str, str]) -> requests.Response:
    all_headers = {**(route.headers or {}), **headers}
    kwargs: dict[str, Any] = {"headers": all_headers, "timeout": 30}
    if route.body is not None:
        kwargs["json"] = route.body(ctx)
    elif route.raw is not None:
        kwargs["data"] = route.raw
    return http.request(route.method, server.url + route.path.format(**ctx), **kwargs)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_permissions(route: Route, matrix_server: LiveServer, http: requests.Session) -> None:
    server = matrix_server
    ctx = {"victim": server.users["victim"], "password": server.password}
    failures: list[str] = []
    for username in sorted(SIGNED_IN):
        token = server.token_for(username)
        response = _call(http, server, route, ctx, {"Authorization": f"Bearer {token}"})
        allowed = route.allowed == PUBLIC or username in route.allowed
        if allowed and not 200 <= response.status_code < 300:
            failures.append(f"{username}: expected success, got {response.status_code} {response.text[:200]}")
        if not allowed:
            if response.status_code != 403:
                failures.append(f"{username}: expected 403, got {response.status_code}")
            elif not response.json()["detail"].startswith("您没有"):
                failures.append(f"{username}: unexpected message {response.json()}")
    for label, headers in (("no token", {}), ("forged token", {"Authorization": "Bearer forged-token"}),
                           ("wrong scheme", {"Authorization": "Basic YWRtaW46YWRtaW4="})):
        response = _call(http, server, route, ctx, headers)
        if route.allowed == PUBLIC:
            if not 200 <= response.status_code < 300:
                failures.append(f"{label}: expected success, got {response.status_code}")
        elif response.status_code != 401 or not response.json().get("detail"):
            failures.append(f"{label}: expected 401 with a message, got {response.status_code} {response.text[:200]}")
        elif response.headers.get("WWW-Authenticate") != "Bearer":
            failures.append(f"{label}: 401 without WWW-Authenticate")
    if route.name == "password":
        for username in SIGNED_IN:
            server.services.identity.set_password("test", _user_id(server, username), server.password)
    assert not failures, "\n".join(failures)


def _user_id(server: LiveServer, username: str) -> str:
    user = server.services.identity.find_user(username)
    assert user is not None
    return user.id


def test_every_api_route_is_in_the_matrix(live_server: LiveServer) -> None:
    from fastapi.routing import APIRoute

    from apps.server.app import create_app

    app = create_app(live_server.server.settings, live_server.services)
    served = {(m, r.path) for r in app.routes if isinstance(r, APIRoute) for m in r.methods}
    tried = {(r.method, r.path.split("?")[0].replace("{victim}", "{user_id}")
              .replace(PDF_SHA, "{sha256}").replace("/roles/expert", "/roles/{name}")) for r in ROUTES}
    assert served - tried == set()
