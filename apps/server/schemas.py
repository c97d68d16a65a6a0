"""Request and response bodies of the REST API. Requests refuse unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.auth.roles import APP_PERMISSIONS, Principal
from core.auth.service import DeviceRecord, RoleRecord, UserRecord
from core.sync.protocol import MAX_PULL_LIMIT, MAX_PUSH_BATCH


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# ----------------------------------------------------------------- auth
class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str | None = Field(default=None, max_length=36)


class Me(BaseModel):
    id: str
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]
    apps: list[str] = Field(description="可打开的应用：budget、cadre、petition、conference、machine_room")
    scopes: list[str] = Field(default_factory=list,
                              description="可见的数据范围，如 committee:教科文卫（联系的专门委员会领域）")

    @classmethod
    def of(cls, p: Principal) -> Me:
        return cls(id=p.user_id, username=p.username, display_name=p.display_name, roles=sorted(p.roles),
                   permissions=sorted(p.permissions),
                   apps=[a.removeprefix("app.") for a in APP_PERMISSIONS if p.can(a)],
                   scopes=sorted(p.scope_patterns))


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime
    user: Me


class PasswordChange(Strict):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class Done(BaseModel):
    ok: bool = True
    message: str = ""


# ----------------------------------------------------------------- admin
class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    is_active: bool
    roles: list[str]
    scopes: list[str]
    failed_logins: int
    locked_until: datetime | None
    must_change_password: bool
    created_at: datetime

    @classmethod
    def of(cls, r: UserRecord) -> UserOut:
        return cls(**r.__dict__)


class UserCreate(Strict):
    username: str = Field(min_length=2, max_length=64)
    display_name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=256)
    roles: list[str] = Field(default_factory=list, max_length=20)
    scopes: list[str] = Field(default_factory=list, max_length=50)
    must_change_password: bool = True


class UserPatch(Strict):
    display_name: str | None = Field(default=None, min_length=1, max_length=80)
    is_active: bool | None = None


class RolesBody(Strict):
    roles: list[str] = Field(max_length=20)


class ScopesBody(Strict):
    scopes: list[str] = Field(max_length=50)


class PasswordReset(Strict):
    password: str = Field(min_length=1, max_length=256)
    must_change_password: bool = True


class RevokedOut(BaseModel):
    revoked: int


class RoleOut(BaseModel):
    name: str
    label_zh: str
    label_en: str
    permissions: list[str]
    scopes: list[str]

    @classmethod
    def of(cls, r: RoleRecord) -> RoleOut:
        return cls(**r.__dict__)


class RoleUpdate(Strict):
    permissions: list[str] = Field(max_length=100)
    scopes: list[str] = Field(max_length=100)


# ----------------------------------------------------------------- audit
class AuditEntryOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    ip: str
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_after_seq: int = Field(description="下一页的 after_seq；没有更多时等于请求的 after_seq")


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int
    first_bad_seq: int | None
    problem: str
    head_hash: str
    message: str


# ----------------------------------------------------------------- sync
class PushRequest(Strict):
    device_id: str = Field(min_length=1, max_length=36)
    mutations: list[dict[str, Any]] = Field(max_length=MAX_PUSH_BATCH)


class PullRequest(Strict):
    cursor: dict[str, Any] | None = None
    limit: int | None = Field(default=None, ge=1, le=MAX_PULL_LIMIT)


class DeviceRequest(Strict):
    device_id: str = Field(min_length=1, max_length=36)
    name: str = Field(default="", max_length=120)
    public_key: str = Field(min_length=1, max_length=64)


class DeviceOut(BaseModel):
    id: str
    user_id: str
    name: str
    public_key: str
    registered_at: datetime

    @classmethod
    def of(cls, r: DeviceRecord) -> DeviceOut:
        return cls(**r.__dict__)


class CompactRequest(Strict):
    upto_seq: int | None = Field(default=None, ge=0)


class Health(BaseModel):
    status: str
    version: str
    db: str
    sync_head: int
    time: datetime
