"""The identity service: users, roles and scope grants, login with lockout, and bearer tokens.

Every login, lockout and change to a user or role is written to the audit log in the same
transaction as the change itself. Only the SHA-256 of a token is stored; tokens expire after
``token_ttl``, lapse after ``idle_timeout`` without use, and can be revoked.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.auth.passwords import HashParameters, PasswordHashing, check_password_policy
from core.auth.principals import UnknownUser, principal_for_user
from core.auth.roles import ALL_PERMISSIONS, P_ADMIN_ROLES, P_ADMIN_USERS, ROLE_CATALOGUE, Principal
from core.db import read_session, transaction
from core.ids import is_uuid
from core.models.base import utcnow
from core.models.identity import AuthToken, Device, Role, User, UserRole, UserScopeGrant

ADMIN_ROLE = "admin"
DEMO_PASSWORD = "Renda@2026demo"
DEMO_COMMITTEE_SCOPE = "committee:教科文卫"
DEMO_LIAISON_SCOPE = "petition.committee:jkww"
"""The demo petition liaison's cases: those assigned (交办) to the 教育科学文化卫生委员会 (body code jkww)."""
# One demo user per role: user name → role.
DEMO_USERS: tuple[tuple[str, str], ...] = (
    ("staff", "budget_staff"),
    ("committee", "committee_member"),
    ("deputy", "deputy"),
    ("expert", "expert"),
    ("provider", "data_provider"),
    ("cadre", "cadre_clerk"),
    ("cadrereader", "cadre_reader"),
    ("petition", "petition_clerk"),
    ("petitionhead", "petition_head"),
    ("liaison", "petition_committee"),
    ("chair", "chair"),
    ("presidium", "presidium_member"),
    ("operator", "conference_operator"),
    ("machineroom", "machine_room_operator"),
    ("admin", "admin"),
)

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{1,63}$")
_SCOPE = re.compile(r"^[a-z][a-z_.]{0,39}(:(\*|[^\s:*]{1,60}))?$")
_PUBLIC_KEY = re.compile(r"^[A-Za-z0-9+/=_\-]{16,64}$")
_MAX_TOKEN_CHARS = 200


class IdentityError(Exception):
    """A refused identity operation; the message is for the user, in Chinese."""


class LoginFailed(IdentityError):
    """Wrong user name or password, a locked or deactivated account: one answer for all of them."""


class TokenRejected(IdentityError):
    """The bearer token is missing, unknown, expired, idle too long or revoked: sign in again."""


class NotFound(IdentityError):
    pass


class AlreadyExists(IdentityError):
    pass


class InvalidChange(IdentityError):
    """The requested change is not allowed or names something that does not exist."""


class DeviceTaken(IdentityError):
    """The device id is registered to another user."""


BAD_CREDENTIALS = "用户名或密码错误，或账户已被锁定、停用；多次尝试仍无法登录时，请联系系统管理员"
INACTIVE = "账户已停用，请联系系统管理员"


@dataclass(frozen=True)
class IdentitySettings:
    token_ttl: timedelta = timedelta(hours=12)
    idle_timeout: timedelta = timedelta(minutes=30)
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    hashing: HashParameters = field(default_factory=HashParameters)
    # last_seen_at is written at most this often (and never less often than a tenth of the idle time-out).
    touch_interval: timedelta = timedelta(seconds=60)


@dataclass(frozen=True)
class UserRecord:
    """A user as administrators see it."""

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


@dataclass(frozen=True)
class RoleRecord:
    name: str
    label_zh: str
    label_en: str
    permissions: list[str]
    scopes: list[str]


@dataclass(frozen=True)
class DeviceRecord:
    id: str
    user_id: str
    name: str
    public_key: str
    registered_at: datetime


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class IdentityService:
    """Users, roles, logins and tokens over one database; pass ``clock`` to control time in tests."""

    def __init__(self, factory: sessionmaker[Session], settings: IdentitySettings | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.factory = factory
        self.settings = settings or IdentitySettings()
        self.clock = clock
        self.passwords = PasswordHashing(self.settings.hashing)

    # ------------------------------------------------------------------ roles
    def ensure_roles(self) -> list[str]:
        """Insert catalogue roles that are missing; existing rows (maybe edited) are left alone."""
        added: list[str] = []
        with transaction(self.factory) as s:
            present = set(s.scalars(select(Role.name)))
            for spec in ROLE_CATALOGUE:
                if spec.name not in present:
                    s.add(Role(name=spec.name, label_zh=spec.label_zh, label_en=spec.label_en,
                               permissions=list(spec.permissions), scopes=list(spec.scopes)))
                    added.append(spec.name)
            if added:
                audit.append(s, "system", "role.seed", ",".join(added)[:200], {"roles": added})
        return added

    def list_roles(self) -> list[RoleRecord]:
        with self.factory() as s:
            return [_role_record(r) for r in s.scalars(select(Role).order_by(Role.name))]

    def update_role(self, actor: str, name: str, permissions: Sequence[str], scopes: Sequence[str],
                    ip: str = "") -> RoleRecord:
        """Replace what a role grants. The administrator role always keeps user and role management."""
        unknown = sorted(set(permissions) - set(ALL_PERMISSIONS))
        if unknown:
            raise InvalidChange(f"未知权限：{', '.join(unknown)}")
        _check_scopes(scopes)
        if name == ADMIN_ROLE and not {P_ADMIN_USERS, P_ADMIN_ROLES} <= set(permissions):
            raise InvalidChange("系统管理员角色必须保留用户管理和角色管理权限，否则将无人能管理系统")
        with transaction(self.factory) as s:
            role = s.get(Role, name, with_for_update=True)
            if role is None:
                raise NotFound(f"角色“{name}”不存在")
            before = {"permissions": list(role.permissions or []), "scopes": list(role.scopes or [])}
            role.permissions = sorted(set(permissions))
            role.scopes = sorted(set(scopes))
            audit.append(s, actor, "role.update", name,
                         {"before": before, "after": {"permissions": role.permissions, "scopes": role.scopes}}, ip)
            return _role_record(role)

    # ------------------------------------------------------------------ users
    def create_user(self, username: str, display_name: str, password: str, roles: Iterable[str] = (),
                    *, actor: str = "system", ip: str = "", scopes: Iterable[str] = (),
                    must_change_password: bool = False) -> UserRecord:
        """A new active user; the password must meet the policy, roles must exist."""
        username = username.strip()
        if not _USERNAME.match(username):
            raise InvalidChange("用户名须为 2 到 64 个字母、数字、点、横线或下划线，并以字母或数字开头")
        display_name = display_name.strip()
        if not display_name or len(display_name) > 80:
            raise InvalidChange("姓名不能为空，且不超过 80 个字")
        check_password_policy(password, username)
        roles, scopes = sorted(set(roles)), sorted(set(scopes))
        _check_scopes(scopes)
        password_hash = self.passwords.hash(password)
        with transaction(self.factory) as s:
            self._check_roles_exist(s, roles)
            if s.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
                raise AlreadyExists(f"用户名“{username}”已被使用")
            user = User(username=username, display_name=display_name, password_hash=password_hash,
                        is_active=True, failed_logins=0, must_change_password=must_change_password,
                        password_changed_at=self.clock(), created_at=self.clock())
            s.add(user)
            s.flush()
            s.add_all(UserRole(user_id=user.id, role=r) for r in roles)
            s.add_all(UserScopeGrant(user_id=user.id, scope=sc) for sc in scopes)
            audit.append(s, actor, "user.create", username,
                         {"user_id": user.id, "display_name": display_name, "roles": roles, "scopes": scopes}, ip)
            s.flush()
            return _user_record(s, user)

    def list_users(self) -> list[UserRecord]:
        with self.factory() as s:
            return [_user_record(s, u) for u in s.scalars(select(User).order_by(User.username))]

    def get_user(self, user_id: str) -> UserRecord:
        with self.factory() as s:
            return _user_record(s, self._user(s, user_id))

    def find_user(self, username: str) -> UserRecord | None:
        with self.factory() as s:
            user = s.scalar(select(User).where(User.username == username))
            return None if user is None else _user_record(s, user)

    def update_user(self, actor: str, user_id: str, *, display_name: str | None = None,
                    is_active: bool | None = None, ip: str = "", actor_id: str = "") -> UserRecord:
        """Rename or (de)activate a user; deactivation revokes every token of the user."""
        with transaction(self.factory) as s:
            user = self._user(s, user_id, lock=True)
            detail: dict[str, Any] = {}
            if display_name is not None:
                display_name = display_name.strip()
                if not display_name or len(display_name) > 80:
                    raise InvalidChange("姓名不能为空，且不超过 80 个字")
                if display_name != user.display_name:
                    detail["display_name"] = [user.display_name, display_name]
                    user.display_name = display_name
            if is_active is not None and is_active != user.is_active:
                if not is_active:
                    if user.id == actor_id:
                        raise InvalidChange("不能停用自己的账户，请由另一位管理员操作")
                    if s.get(UserRole, (user.id, ADMIN_ROLE)) is not None:
                        self._keep_an_admin(s, user.id)
                    self._revoke_all(s, user.id)
                detail["is_active"] = [user.is_active, is_active]
                user.is_active = is_active
            if detail:
                action = "user.deactivate" if detail.get("is_active") == [True, False] else "user.update"
                audit.append(s, actor, action, user.username, dict(detail, user_id=user.id), ip)
            return _user_record(s, user)

    def deactivate(self, actor: str, user_id: str, ip: str = "", actor_id: str = "") -> UserRecord:
        return self.update_user(actor, user_id, is_active=False, ip=ip, actor_id=actor_id)

    def set_roles(self, actor: str, user_id: str, roles: Iterable[str], ip: str = "",
                  actor_id: str = "") -> UserRecord:
        """Replace a user's roles. Takes effect on the user's next request; no re-login needed."""
        wanted = sorted(set(roles))
        with transaction(self.factory) as s:
            user = self._user(s, user_id, lock=True)
            self._check_roles_exist(s, wanted)
            current = sorted(s.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))
            if current == wanted:
                return _user_record(s, user)
            if ADMIN_ROLE in current and ADMIN_ROLE not in wanted:
                if user.id == actor_id:
                    raise InvalidChange("不能撤销自己的系统管理员角色，请由另一位管理员操作")
                self._keep_an_admin(s, user.id)
            s.execute(delete(UserRole).where(UserRole.user_id == user.id))
            s.add_all(UserRole(user_id=user.id, role=r) for r in wanted)
            audit.append(s, actor, "user.roles", user.username,
                         {"user_id": user.id, "before": current, "after": wanted}, ip)
            s.flush()
            return _user_record(s, user)

    def set_scopes(self, actor: str, user_id: str, scopes: Iterable[str], ip: str = "") -> UserRecord:
        """Replace the extra row scopes granted to one user."""
        wanted = sorted(set(scopes))
        _check_scopes(wanted)
        with transaction(self.factory) as s:
            user = self._user(s, user_id, lock=True)
            current = sorted(s.scalars(select(UserScopeGrant.scope).where(UserScopeGrant.user_id == user.id)))
            if current != wanted:
                s.execute(delete(UserScopeGrant).where(UserScopeGrant.user_id == user.id))
                s.add_all(UserScopeGrant(user_id=user.id, scope=sc) for sc in wanted)
                audit.append(s, actor, "user.scopes", user.username,
                             {"user_id": user.id, "before": current, "after": wanted}, ip)
                s.flush()
            return _user_record(s, user)

    def grant_scope(self, actor: str, user_id: str, scope: str, ip: str = "") -> UserRecord:
        current = self.get_user(user_id).scopes
        return self.set_scopes(actor, user_id, [*current, scope], ip)

    def revoke_scope(self, actor: str, user_id: str, scope: str, ip: str = "") -> UserRecord:
        current = self.get_user(user_id).scopes
        return self.set_scopes(actor, user_id, [sc for sc in current if sc != scope], ip)

    def set_password(self, actor: str, user_id: str, new_password: str, *, ip: str = "",
                     must_change: bool = False, keep_token_id: str | None = None) -> None:
        """Set a password (policy checked) and sign the user out everywhere except ``keep_token_id``."""
        with self.factory() as s:
            username = self._user(s, user_id).username
        check_password_policy(new_password, username)
        password_hash = self.passwords.hash(new_password)
        with transaction(self.factory) as s:
            user = self._user(s, user_id, lock=True)
            user.password_hash = password_hash
            user.password_changed_at = self.clock()
            user.must_change_password = must_change
            user.failed_logins = 0
            user.locked_until = None
            revoked = self._revoke_all(s, user.id, except_token_id=keep_token_id)
            audit.append(s, actor, "user.password", user.username,
                         {"user_id": user.id, "tokens_revoked": revoked, "must_change": must_change}, ip)

    def change_own_password(self, principal: Principal, old_password: str, new_password: str,
                            ip: str = "") -> None:
        """The signed-in user changes their password; the old one must be given again."""
        with self.factory() as s:
            user = self._user(s, principal.user_id)
            stored = user.password_hash
        if not self.passwords.verify(stored, old_password):
            with transaction(self.factory) as s:
                audit.append(s, principal.username, "password.refused", principal.username,
                             {"reason": "wrong_old_password"}, ip)
            raise InvalidChange("原密码不正确")
        if old_password == new_password:
            raise InvalidChange("新密码不能与原密码相同")
        self.set_password(principal.username, principal.user_id, new_password, ip=ip,
                          keep_token_id=principal.token_id)

    def unlock(self, actor: str, user_id: str, ip: str = "") -> UserRecord:
        with transaction(self.factory) as s:
            user = self._user(s, user_id, lock=True)
            was = {"failed_logins": user.failed_logins,
                   "locked_until": user.locked_until.isoformat() if user.locked_until else None}
            user.failed_logins = 0
            user.locked_until = None
            audit.append(s, actor, "user.unlock", user.username, dict(was, user_id=user.id), ip)
            return _user_record(s, user)

    # ------------------------------------------------------------------ login and tokens
    def authenticate(self, username: str, password: str, ip: str = "",
                     device_id: str | None = None) -> tuple[str, Principal]:
        """Check a password and hand out a new token. Raises :class:`LoginFailed`.

        Every refusal looks the same: an unknown user name, a wrong password, a locked account and a
        deactivated one get the one answer :data:`BAD_CREDENTIALS`, and each costs exactly one Argon2
        verification (an unknown name is checked against a decoy hash), so neither the message nor the
        time tells them apart. Only the right password of a usable account gets anything else. The
        reason is written to the audit log for administrators. The slow hash check runs outside any
        transaction so it never holds a database lock.
        """
        username = username.strip()
        device_id = device_id if device_id and len(device_id) <= 36 else None
        with self.factory() as s:
            found = s.execute(select(User.id, User.password_hash, User.locked_until, User.is_active)
                              .where(User.username == username)).first()
        if found is None:
            self.passwords.spend_equal_time(password)
            self._record_failure(None, username, ip, device_id, "unknown_user")
            raise LoginFailed(BAD_CREDENTIALS)
        matches = self.passwords.verify(found.password_hash, password)
        now = self.clock()
        if found.locked_until is not None and found.locked_until > now:
            # Failures while locked neither count nor extend the lock; the answer is the same either way.
            self._record_refusal(found.id, username, ip, device_id, "locked" if matches else "locked_bad_password")
            raise LoginFailed(BAD_CREDENTIALS)
        if not matches:
            self._record_failure(found.id, username, ip, device_id, "bad_password")
            raise LoginFailed(BAD_CREDENTIALS)
        if not found.is_active:
            self._record_refusal(found.id, username, ip, device_id, "inactive")
            raise LoginFailed(BAD_CREDENTIALS)
        rehash = self.passwords.hash(password) if self.passwords.needs_rehash(found.password_hash) else None
        token = secrets.token_urlsafe(32)
        with transaction(self.factory) as s:
            user = s.get(User, found.id, with_for_update=True)
            now = self.clock()
            if (user is None or not user.is_active
                    or (user.locked_until is not None and user.locked_until > now)):
                raise LoginFailed(BAD_CREDENTIALS)  # deactivated or locked while the hash was checked
            user.failed_logins = 0
            user.locked_until = None
            if rehash is not None and user.password_hash == found.password_hash:
                user.password_hash = rehash
            row = AuthToken(token_hash=token_digest(token), user_id=user.id, device_id=device_id,
                            created_at=now, expires_at=now + self.settings.token_ttl, last_seen_at=now)
            s.add(row)
            s.flush()
            audit.append(s, user.username, "login.ok", user.username, {"device_id": device_id, "token_id": row.id}, ip)
            principal = principal_for_user(s, user.id, device_id=device_id, token_id=row.id)
        return token, principal

    def _record_failure(self, user_id: str | None, username: str, ip: str, device_id: str | None,
                        reason: str) -> datetime | None:
        """Count a failed login; returns the lock expiry when this failure locked the account."""
        with transaction(self.factory) as s:
            audit.append(s, username[:64], "login.failed", username[:200], {"reason": reason, "device_id": device_id}, ip)
            if user_id is None:
                return None
            user = s.get(User, user_id, with_for_update=True)
            if user is None:
                return None
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins < self.settings.lockout_threshold:
                return None
            user.locked_until = self.clock() + timedelta(minutes=self.settings.lockout_minutes)
            audit.append(s, "system", "login.locked", username,
                         {"user_id": user_id, "failures": user.failed_logins,
                          "minutes": self.settings.lockout_minutes}, ip)
            user.failed_logins = 0
            return user.locked_until

    def _record_refusal(self, user_id: str, username: str, ip: str, device_id: str | None, reason: str) -> None:
        with transaction(self.factory) as s:
            audit.append(s, username, "login.refused", username,
                         {"user_id": user_id, "reason": reason, "device_id": device_id}, ip)

    def token_expiry(self, token_id: str) -> datetime | None:
        with self.factory() as s:
            return s.scalar(select(AuthToken.expires_at).where(AuthToken.id == token_id))

    def principal_for_token(self, token: str | None) -> Principal:
        """The principal a bearer token acts as; raises :class:`TokenRejected` when it is not usable."""
        if not token or len(token) > _MAX_TOKEN_CHARS:
            raise TokenRejected("请先登录")
        now = self.clock()
        with read_session(self.factory) as s:
            row = s.scalar(select(AuthToken).where(AuthToken.token_hash == token_digest(token)))
            if row is None:
                raise TokenRejected("登录凭据无效，请重新登录")
            if row.revoked_at is not None:
                raise TokenRejected("您已退出登录，或登录已被管理员撤销，请重新登录")
            if row.expires_at <= now:
                hours = self.settings.token_ttl.total_seconds() / 3600
                raise TokenRejected(f"登录已超过 {hours:g} 小时，已失效，请重新登录")
            idle = self.settings.idle_timeout
            if row.last_seen_at + idle <= now:
                raise TokenRejected(f"超过 {idle.total_seconds() / 60:g} 分钟未操作，登录已失效，请重新登录")
            try:
                principal = principal_for_user(s, row.user_id, device_id=row.device_id, token_id=row.id)
            except UnknownUser:
                raise TokenRejected(INACTIVE) from None
            touch = now - row.last_seen_at >= min(self.settings.touch_interval, idle / 10)
        if touch:  # a write of its own, now and then: the check itself only reads
            with transaction(self.factory) as s:
                s.execute(update(AuthToken).where(AuthToken.id == row.id).values(last_seen_at=now))
        return principal

    def logout(self, principal: Principal, ip: str = "") -> None:
        """Revoke the token the principal signed in with."""
        with transaction(self.factory) as s:
            if principal.token_id:
                s.execute(update(AuthToken).where(AuthToken.id == principal.token_id,
                                                  AuthToken.revoked_at.is_(None)).values(revoked_at=self.clock()))
            audit.append(s, principal.username, "logout", principal.username, {"token_id": principal.token_id}, ip)

    def revoke_tokens(self, actor: str, user_id: str, ip: str = "") -> int:
        """Sign a user out on every device; returns how many tokens were revoked."""
        with transaction(self.factory) as s:
            user = self._user(s, user_id)
            count = self._revoke_all(s, user.id)
            audit.append(s, actor, "token.revoke_all", user.username, {"user_id": user.id, "tokens": count}, ip)
            return count

    def _revoke_all(self, s: Session, user_id: str, except_token_id: str | None = None) -> int:
        stmt = update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        if except_token_id:
            stmt = stmt.where(AuthToken.id != except_token_id)
        return int(s.execute(stmt.values(revoked_at=self.clock())).rowcount or 0)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ devices
    def register_device(self, principal: Principal, device_id: str, name: str, public_key: str,
                        ip: str = "") -> DeviceRecord:
        """Register (or rename / re-key) the caller's device; a device of another user is refused."""
        if not is_uuid(device_id):
            raise InvalidChange("设备编号格式不正确（应为 UUID）")
        if not _PUBLIC_KEY.match(public_key):
            raise InvalidChange("设备公钥格式不正确")
        name = name.strip()[:120]
        with transaction(self.factory) as s:
            device = s.get(Device, device_id, with_for_update=True)
            if device is not None and device.user_id != principal.user_id:
                raise DeviceTaken("这个设备编号已登记在其他用户名下")
            if device is None:
                device = Device(id=device_id, user_id=principal.user_id, name=name, public_key=public_key,
                                registered_at=self.clock(), last_outbox_seq=0, last_cursor={}, last_bundle_no=0)
                s.add(device)
                audit.append(s, principal.username, "device.register", device_id,
                             {"name": name, "public_key": public_key}, ip)
            elif (device.name, device.public_key) != (name, public_key):
                audit.append(s, principal.username, "device.update", device_id,
                             {"name": [device.name, name], "public_key": [device.public_key, public_key]}, ip)
                device.name, device.public_key = name, public_key
            s.flush()
            return DeviceRecord(device.id, device.user_id, device.name, device.public_key, device.registered_at)

    def check_device(self, principal: Principal, device_id: str) -> None:
        """Refuse a device id that belongs to another user (an unregistered id is allowed)."""
        with read_session(self.factory) as s:
            owner = s.scalar(select(Device.user_id).where(Device.id == device_id))
        if owner is not None and owner != principal.user_id:
            raise DeviceTaken("这个设备编号已登记在其他用户名下")

    # ------------------------------------------------------------------ demo
    def ensure_demo_users(self, password: str = DEMO_PASSWORD) -> list[str]:
        """One demo user per role (e.g. ``staff``, ``admin``) sharing ``password``; creates missing ones only."""
        self.ensure_roles()
        labels = {r.name: r.label_zh for r in ROLE_CATALOGUE}
        created: list[str] = []
        with self.factory() as s:
            present = set(s.scalars(select(User.username)))
        for username, role in DEMO_USERS:
            if username in present:
                continue
            scopes = {"committee": [DEMO_COMMITTEE_SCOPE], "liaison": [DEMO_LIAISON_SCOPE]}.get(username, [])
            self.create_user(username, f"{labels[role]}（演示）", password, [role], actor="system", scopes=scopes)
            created.append(username)
        return created

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _user(s: Session, user_id: str, lock: bool = False) -> User:
        user = s.get(User, user_id, with_for_update=lock) if is_uuid(user_id) else None
        if user is None:
            raise NotFound("用户不存在")
        return user

    @staticmethod
    def _check_roles_exist(s: Session, roles: Sequence[str]) -> None:
        if not roles:
            return
        known = set(s.scalars(select(Role.name).where(Role.name.in_(roles))))
        missing = sorted(set(roles) - known)
        if missing:
            raise InvalidChange(f"未知角色：{', '.join(missing)}")

    @staticmethod
    def _keep_an_admin(s: Session, leaving_user_id: str) -> None:
        others = s.scalar(select(func.count()).select_from(UserRole).join(User, User.id == UserRole.user_id)
                          .where(UserRole.role == ADMIN_ROLE, User.is_active.is_(True),
                                 User.id != leaving_user_id))
        if not others:
            raise InvalidChange("系统中至少要保留一位在用的系统管理员")


def _check_scopes(scopes: Iterable[str]) -> None:
    bad = [sc for sc in scopes if not isinstance(sc, str) or not _SCOPE.match(sc)]
    if bad:
        raise InvalidChange(f"数据范围格式不正确：{', '.join(map(str, bad))}（例如 committee:教科文卫）")


def _role_record(role: Role) -> RoleRecord:
    return RoleRecord(role.name, role.label_zh, role.label_en, sorted(role.permissions or []),
                      sorted(role.scopes or []))


def _user_record(s: Session, user: User) -> UserRecord:
    roles = sorted(s.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))
    scopes = sorted(s.scalars(select(UserScopeGrant.scope).where(UserScopeGrant.user_id == user.id)))
    return UserRecord(user.id, user.username, user.display_name, bool(user.is_active), roles, scopes,
                      int(user.failed_logins or 0), user.locked_until, bool(user.must_change_password),
                      user.created_at)
