"""Request dependencies as annotated types: the services, the caller's identity and permission checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from apps.server.services import ServerServices
from core.auth.roles import P_ADMIN_ROLES, P_ADMIN_USERS, P_AUDIT_READ, P_SYNC, P_SYNC_ADMIN, Principal

_bearer = HTTPBearer(auto_error=False, description="登录后得到的令牌：Authorization: Bearer <token>")


def get_services(request: Request) -> ServerServices:
    services: ServerServices = request.app.state.services
    return services


ServicesDep = Annotated[ServerServices, Depends(get_services)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


ClientIP = Annotated[str, Depends(client_ip)]


def current_principal(services: ServicesDep,
                      credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    """The caller, from the bearer token; 401 when it is missing, unknown, expired, idle or revoked."""
    if credentials is None:
        raise HTTPException(401, "请先登录")
    return services.identity.principal_for_token(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


AUTHORISE_MARKER = "require.<locals>.check"


def require(*permissions: str) -> Callable[[Principal], Principal]:
    """A dependency admitting callers holding any one of ``permissions``; others get 403."""

    def check(principal: CurrentPrincipal) -> Principal:  # its name is AUTHORISE_MARKER
        if not any(principal.can(p) for p in permissions):
            raise HTTPException(403, "您没有执行此操作的权限")
        return principal

    return check


UserAdmin = Annotated[Principal, Depends(require(P_ADMIN_USERS))]
RoleAdmin = Annotated[Principal, Depends(require(P_ADMIN_ROLES))]
RoleReader = Annotated[Principal, Depends(require(P_ADMIN_ROLES, P_ADMIN_USERS))]
AuditReader = Annotated[Principal, Depends(require(P_AUDIT_READ))]
SyncUser = Annotated[Principal, Depends(require(P_SYNC))]
SyncAdmin = Annotated[Principal, Depends(require(P_SYNC_ADMIN))]
