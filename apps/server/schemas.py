"""Request and response bodies of the REST API.

Requests refuse unknown fields, and every value in them is bounded: texts by length and by character
(no control characters, no unpaired surrogates), lists by count, integers to what the database holds
(a signed 64-bit integer), and the free-form JSON of sync messages by depth, size and the same rules.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.auth.roles import APP_PERMISSIONS, Principal
from core.auth.service import DeviceRecord, RoleRecord, UserRecord
from core.sync.protocol import MAX_PULL_LIMIT, MAX_PUSH_BATCH

MAX_INT = 2**63 - 1  # the largest integer every supported database stores
MAX_JSON_DEPTH = 16
MAX_JSON_ITEMS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _plain(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("含有不可见的控制字符")
    return value


Text = Annotated[str, AfterValidator(_plain)]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_plain)]


def _bounded_json(value: Any) -> Any:
    """Refuse JSON a database cannot store or that is built to exhaust the server.

    Each container's children are checked where they stand and only containers are walked further: a push
    carries thousands of flat objects, and putting every scalar on the walk's stack took most of the time
    spent reading the request."""
    count = 1
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        below = depth + 1
        children: Any
        if type(item) is dict:
            children = item.values()
            for key in item:
                if not _storable(key):
                    raise ValueError("字段名含有无法保存的字符")
        elif type(item) is list:
            children = item
        else:
            _check_scalar(item)
            continue
        count += len(children)
        if count > MAX_JSON_ITEMS:
            raise ValueError("内容的项数过多")
        if children and below > MAX_JSON_DEPTH:
            raise ValueError("内容嵌套过深")
        for sub in children:
            kind = type(sub)
            if kind is str:
                if not _storable(sub):
                    raise ValueError("含有无法保存的字符")
            elif kind is dict or kind is list:
                stack.append((sub, below))
            else:
                _check_scalar(sub)
    return value


def _storable(text: str) -> bool:
    """No NUL and no unpaired surrogate (an ASCII text needs only the first look)."""
    return "\x00" not in text if text.isascii() else _UNSTORABLE.search(text) is None


def _check_scalar(item: Any) -> None:
    if isinstance(item, bool) or item is None:
        return
    if isinstance(item, int):
        if not -MAX_INT <= item <= MAX_INT:
            raise ValueError("整数超出允许的范围")
    elif isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError("数值不是有限数")
    elif isinstance(item, str):
        if not _storable(item):
            raise ValueError("含有无法保存的字符")
    elif isinstance(item, dict | list):  # a subclass of either: walked as the plain container it stands for
        _bounded_json(dict(item) if isinstance(item, dict) else list(item))


JsonObject = Annotated[dict[str, Any], AfterValidator(_bounded_json)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# ----------------------------------------------------------------- auth
class LoginRequest(Strict):
    username: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=256)
    device_id: Text | None = Field(default=None, max_length=36)


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
    old_password: Text = Field(min_length=1, max_length=256)
    new_password: Text = Field(min_length=1, max_length=256)


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
    username: Text = Field(min_length=2, max_length=64)
    display_name: Text = Field(min_length=1, max_length=80)
    password: Text = Field(min_length=1, max_length=256)
    roles: list[Name] = Field(default_factory=list, max_length=20)
    scopes: list[Name] = Field(default_factory=list, max_length=50)
    must_change_password: bool = True


class UserPatch(Strict):
    display_name: Text | None = Field(default=None, min_length=1, max_length=80)
    is_active: bool | None = None


class RolesBody(Strict):
    roles: list[Name] = Field(max_length=20)


class ScopesBody(Strict):
    scopes: list[Name] = Field(max_length=50)


class PasswordReset(Strict):
    password: Text = Field(min_length=1, max_length=256)
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
    permissions: list[Name] = Field(max_length=100)
    scopes: list[Name] = Field(max_length=100)


# ----------------------------------------------------------------- audit
class AuditEntryOut(BaseModel):
    id: str
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    ip: str
    note: str = ""
    prev_hash: str
    hash: str = Field(description="第 2 版哈希：覆盖上一条的哈希和本条的全部字段（含 id、note）")


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
    device_id: Text = Field(min_length=1, max_length=36)
    mutations: list[JsonObject] = Field(max_length=MAX_PUSH_BATCH, description=(
        "每条修改：mutation_id、table、row_id、op（insert 或 update）、base_version、base、changes、local_seq"))
    after: Text | None = Field(default=None, max_length=36, description=(
        "上一批修改中最后一条的 mutation_id：上一批还在路上时发出这一批，服务器处理完上一批才处理这一批；"
        "上一批尚未处理时答复 425，这一批没有处理"))


class PullRequest(Strict):
    cursor: JsonObject | None = Field(default=None, description="上一页答复中的 cursor，原样交回；首次同步不填")
    limit: int | None = Field(default=None, ge=1, le=MAX_PULL_LIMIT)


class DeviceRequest(Strict):
    device_id: Text = Field(min_length=1, max_length=36)
    name: Text = Field(default="", max_length=120)
    public_key: Text = Field(min_length=1, max_length=64)


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
    upto_seq: int | None = Field(default=None, ge=0, le=MAX_INT)


class PushResult(BaseModel):
    mutation_id: str
    status: str = Field(description="applied、merged、conflict 或 rejected")
    message: str = ""
    conflicts: list[Any] = Field(default_factory=list)
    version: int | None = None
    replayed: bool = Field(default=False, description="这条修改以前已处理过，答复取自当时的结果")
    drop: bool = Field(default=False, description="修改被拒绝且该用户已无权查看这一行：客户端删除本地副本")


class PushResponse(BaseModel):
    results: list[PushResult]


class TableBlock(BaseModel):
    columns: list[str]
    rows: list[list[Any]]


class PullResponse(BaseModel):
    resync: bool = Field(description="为真时客户端须丢弃本地副本，从头同步")
    purge: list[str] = Field(description="客户端不再有权看到的数据范围，应删除其本地副本")
    tables: dict[str, TableBlock]
    exits: list[list[Any]] = Field(description="离开数据范围的记录：[范围, 表, 记录编号]")
    cursor: dict[str, Any] = Field(description="下一次请求时原样交回")
    more: bool
    head: int
    compacted_seq: int | None = None


class ScopeChecksum(BaseModel):
    count: int
    digest: int


class CompactOut(BaseModel):
    compacted_seq: int
    tombstones_removed: int


class BlobStored(BaseModel):
    sha256: str
    size: int


class Health(BaseModel):
    status: str
    version: str
    db: str
    sync_head: int
    time: datetime
