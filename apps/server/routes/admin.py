"""User and role administration (permissions admin.users and admin.roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from apps.server.deps import ClientIP, RoleAdmin, RoleReader, ServicesDep, UserAdmin
from apps.server.errors import errors
from apps.server.schemas import (
    Done,
    PasswordReset,
    RevokedOut,
    RoleOut,
    RolesBody,
    RoleUpdate,
    ScopesBody,
    UserCreate,
    UserOut,
    UserPatch,
)

router = APIRouter(prefix="/admin", tags=["admin"])

UserId = Annotated[str, Path(min_length=1, max_length=36, description="用户编号（UUID）")]
RoleName = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="角色名，例如 deputy")]


@router.get("/users", response_model=list[UserOut], summary="用户列表")
def list_users(_admin: UserAdmin, services: ServicesDep) -> list[UserOut]:
    return [UserOut.of(u) for u in services.identity.list_users()]


@router.post("/users", response_model=UserOut, status_code=201, responses=errors(409), summary="新建用户")
def create_user(body: UserCreate, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> UserOut:
    record = services.identity.create_user(body.username, body.display_name, body.password, body.roles,
                                           actor=admin.username, ip=ip, scopes=body.scopes,
                                           must_change_password=body.must_change_password)
    return UserOut.of(record)


@router.patch("/users/{user_id}", response_model=UserOut, responses=errors(404), summary="修改姓名或停用、启用用户")
def update_user(user_id: UserId, body: UserPatch, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> UserOut:
    record = services.identity.update_user(admin.username, user_id, display_name=body.display_name,
                                           is_active=body.is_active, ip=ip, actor_id=admin.user_id)
    return UserOut.of(record)


@router.put("/users/{user_id}/roles", response_model=UserOut, responses=errors(404), summary="设置用户的角色")
def set_roles(user_id: UserId, body: RolesBody, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> UserOut:
    return UserOut.of(services.identity.set_roles(admin.username, user_id, body.roles, ip, actor_id=admin.user_id))


@router.put("/users/{user_id}/scopes", response_model=UserOut, responses=errors(404), summary="设置用户额外的数据范围")
def set_scopes(user_id: UserId, body: ScopesBody, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> UserOut:
    return UserOut.of(services.identity.set_scopes(admin.username, user_id, body.scopes, ip))


@router.post("/users/{user_id}/unlock", response_model=UserOut, responses=errors(404), summary="解除登录锁定")
def unlock(user_id: UserId, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> UserOut:
    return UserOut.of(services.identity.unlock(admin.username, user_id, ip))


@router.post("/users/{user_id}/revoke-tokens", response_model=RevokedOut, responses=errors(404),
             summary="让用户在所有设备上退出登录")
def revoke_tokens(user_id: UserId, admin: UserAdmin, services: ServicesDep, ip: ClientIP) -> RevokedOut:
    return RevokedOut(revoked=services.identity.revoke_tokens(admin.username, user_id, ip))


@router.post("/users/{user_id}/password", response_model=Done, responses=errors(404), summary="重设用户密码")
def reset_password(user_id: UserId, body: PasswordReset, admin: UserAdmin, services: ServicesDep,
                   ip: ClientIP) -> Done:
    services.identity.set_password(admin.username, user_id, body.password, ip=ip,
                                   must_change=body.must_change_password)
    return Done(message="密码已重设，该用户在所有设备上的登录已退出")


@router.get("/roles", response_model=list[RoleOut], summary="角色及其权限、数据范围")
def list_roles(_reader: RoleReader, services: ServicesDep) -> list[RoleOut]:
    return [RoleOut.of(r) for r in services.identity.list_roles()]


@router.put("/roles/{name}", response_model=RoleOut, responses=errors(404), summary="修改角色的权限和数据范围")
def update_role(name: RoleName, body: RoleUpdate, admin: RoleAdmin, services: ServicesDep, ip: ClientIP) -> RoleOut:
    return RoleOut.of(services.identity.update_role(admin.username, name, body.permissions, body.scopes, ip))
