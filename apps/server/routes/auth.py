"""Sign in, sign out, who am I, change my password."""

from __future__ import annotations

from fastapi import APIRouter

from apps.server.deps import ClientIP, CurrentPrincipal, ServicesDep
from apps.server.errors import errors
from apps.server.schemas import Done, LoginRequest, LoginResponse, Me, PasswordChange

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginResponse, responses=errors(401), summary="登录，得到令牌")
def login(body: LoginRequest, services: ServicesDep, ip: ClientIP) -> LoginResponse:
    token, principal = services.identity.authenticate(body.username, body.password, ip, body.device_id)
    expires_at = services.identity.token_expiry(principal.token_id or "")
    assert expires_at is not None
    return LoginResponse(token=token, expires_at=expires_at, user=Me.of(principal))


@router.post("/logout", response_model=Done, summary="退出登录（令牌作废）")
def logout(principal: CurrentPrincipal, services: ServicesDep, ip: ClientIP) -> Done:
    services.identity.logout(principal, ip)
    return Done(message="已退出登录")


@router.get("/me", response_model=Me, summary="当前用户、角色与权限")
def me(principal: CurrentPrincipal) -> Me:
    return Me.of(principal)


@router.post("/password", response_model=Done, summary="修改自己的密码")
def change_password(body: PasswordChange, principal: CurrentPrincipal, services: ServicesDep,
                    ip: ClientIP) -> Done:
    services.identity.change_own_password(principal, body.old_password, body.new_password, ip)
    return Done(message="密码已修改；其他设备上的登录已退出")
