"""The identity service without HTTP: lockout, tokens over time, revocation, roles, audit, demo users."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from core.audit import verify_chain
from core.auth.passwords import HashParameters, PasswordHashing, PolicyViolation
from core.auth.roles import ROLES_BY_NAME
from core.auth.service import (
    BAD_CREDENTIALS,
    DEMO_PASSWORD,
    DEMO_USERS,
    AlreadyExists,
    DeviceTaken,
    IdentityService,
    IdentitySettings,
    InvalidChange,
    LoginFailed,
    NotFound,
    TokenRejected,
)
from core.db import make_engine, make_session_factory, migrate
from core.ids import uuid7
from core.models.base import utcnow
from core.models.identity import AuditEntry, AuthToken, Role, User

FAST = HashParameters(time_cost=1, memory_kib=1024, parallelism=1)
PASSWORD = "Clerk#Pass2026"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def engine(server_db_url: str) -> Iterator[Engine]:
    engine = make_engine(server_db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(utcnow())


@pytest.fixture
def identity(engine: Engine, clock: Clock) -> IdentityService:
    service = IdentityService(make_session_factory(engine), IdentitySettings(hashing=FAST), clock=clock)
    service.ensure_roles()
    service.create_user("admin", "管理员", PASSWORD, ["admin"])
    service.create_user("zhang", "张三", PASSWORD, ["deputy"])
    return service


def _actions(identity: IdentityService) -> list[str]:
    with identity.factory() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _user_id(identity: IdentityService, username: str) -> str:
    user = identity.find_user(username)
    assert user is not None
    return user.id


# ------------------------------------------------------------------ login and lockout
def test_unknown_user_and_wrong_password_get_the_same_answer(identity: IdentityService) -> None:
    with pytest.raises(LoginFailed) as unknown:
        identity.authenticate("nobody", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        identity.authenticate("zhang", "Wrong#Pass2026")
    assert type(unknown.value) is type(wrong.value) is LoginFailed
    assert str(unknown.value) == str(wrong.value) == BAD_CREDENTIALS


def _locked_until(identity: IdentityService, username: str) -> datetime | None:
    record = identity.find_user(username)
    assert record is not None
    return record.locked_until


def test_lockout_after_repeated_failures_then_expiry(identity: IdentityService, clock: Clock) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed, match="用户名或密码错误"):
            identity.authenticate("zhang", "Wrong#Pass2026", ip="10.0.0.8")
        assert _locked_until(identity, "zhang") is None
    with pytest.raises(LoginFailed) as locked:
        identity.authenticate("zhang", "Wrong#Pass2026", ip="10.0.0.8")
    assert str(locked.value) == BAD_CREDENTIALS
    assert _locked_until(identity, "zhang") == clock.now + timedelta(minutes=15)
    # Even the right password is refused while locked, with the same answer as a wrong one.
    clock.advance(minutes=6)
    with pytest.raises(LoginFailed) as still:
        identity.authenticate("zhang", PASSWORD)
    assert str(still.value) == BAD_CREDENTIALS
    clock.advance(minutes=9, seconds=1)
    token, principal = identity.authenticate("zhang", PASSWORD)
    assert principal.username == "zhang" and token
    record = identity.find_user("zhang")
    assert record is not None and record.failed_logins == 0 and record.locked_until is None
    actions = _actions(identity)
    assert actions.count("login.failed") == 5
    assert "login.locked" in actions and "login.refused" in actions and actions[-1] == "login.ok"


def test_unlock_by_an_administrator(identity: IdentityService) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            identity.authenticate("zhang", "Wrong#Pass2026")
    with pytest.raises(LoginFailed):
        identity.authenticate("zhang", PASSWORD)
    identity.unlock("admin", _user_id(identity, "zhang"))
    assert identity.authenticate("zhang", PASSWORD)[1].username == "zhang"
    assert "user.unlock" in _actions(identity)


def test_success_resets_the_failure_count(identity: IdentityService) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            identity.authenticate("zhang", "Wrong#Pass2026")
    identity.authenticate("zhang", PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            identity.authenticate("zhang", "Wrong#Pass2026")
    identity.authenticate("zhang", PASSWORD)  # not locked: the count started again


def test_login_rehashes_a_password_stored_with_an_older_cost(engine: Engine, identity: IdentityService) -> None:
    stronger = IdentityService(identity.factory, IdentitySettings(
        hashing=HashParameters(time_cost=2, memory_kib=2048, parallelism=1)))
    stronger.authenticate("zhang", PASSWORD)
    with identity.factory() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "zhang"))
    assert stored is not None and "m=2048,t=2,p=1" in stored
    assert not stronger.passwords.needs_rehash(stored)


# ------------------------------------------------------------------ tokens
def test_token_is_stored_only_as_a_hash(identity: IdentityService) -> None:
    token, principal = identity.authenticate("zhang", PASSWORD, device_id="dev-1")
    with identity.factory() as s:
        row = s.get(AuthToken, principal.token_id)
        assert row is not None
        assert row.token_hash != token and len(row.token_hash) == 64 and row.device_id == "dev-1"
    assert identity.principal_for_token(token).user_id == principal.user_id


def test_token_expires_after_its_lifetime_even_when_used(identity: IdentityService, clock: Clock) -> None:
    token, _ = identity.authenticate("zhang", PASSWORD)
    issued = clock.now
    while clock.now - issued + timedelta(minutes=29) < timedelta(hours=12):
        clock.advance(minutes=29)  # used regularly, so never idle
        identity.principal_for_token(token)
    clock.advance(minutes=29)
    with pytest.raises(TokenRejected, match="12 小时"):
        identity.principal_for_token(token)


def test_idle_token_lapses_and_activity_keeps_it_alive(identity: IdentityService, clock: Clock) -> None:
    token, _ = identity.authenticate("zhang", PASSWORD)
    clock.advance(minutes=20)
    identity.principal_for_token(token)
    clock.advance(minutes=20)
    identity.principal_for_token(token)  # 40 minutes after login, 20 after the last use
    clock.advance(minutes=30)
    with pytest.raises(TokenRejected, match="30 分钟未操作"):
        identity.principal_for_token(token)


def test_a_token_check_reads_past_a_write_under_way(tmp_path: Path, clock: Clock) -> None:
    """On SQLite a token check and a device check take no write lock: a request's check used to wait,
    polling, for a push of another batch to commit, and woke up to tens of milliseconds after it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate(engine)
    identity = IdentityService(make_session_factory(engine), IdentitySettings(hashing=FAST), clock=clock)
    identity.ensure_roles()
    identity.create_user("zhang", "张三", PASSWORD, ["deputy"])
    token, principal = identity.authenticate("zhang", PASSWORD, device_id=str(uuid7()))
    writer = sqlite3.connect(tmp_path / "server.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a write under way elsewhere, held while the checks run
    checked = threading.Event()

    def check() -> None:
        assert identity.principal_for_token(token).user_id == principal.user_id
        identity.check_device(principal, str(uuid7()))
        checked.set()

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    try:
        assert checked.wait(10), "the token check waited for the write lock"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        worker.join()
        engine.dispose()
    clock.advance(minutes=20)  # due to be touched: the touch is a write of its own, after the check
    identity.principal_for_token(token)
    with identity.factory() as s:
        row = s.get(AuthToken, principal.token_id)
        assert row is not None and row.last_seen_at == clock.now


def test_garbage_tokens_are_refused(identity: IdentityService) -> None:
    for bad in ("", None, "x" * 500, "not-a-token"):
        with pytest.raises(TokenRejected):
            identity.principal_for_token(bad)


def test_logout_revokes_only_that_token(identity: IdentityService) -> None:
    first, principal = identity.authenticate("zhang", PASSWORD)
    second, _ = identity.authenticate("zhang", PASSWORD)
    identity.logout(principal)
    with pytest.raises(TokenRejected, match="退出登录"):
        identity.principal_for_token(first)
    assert identity.principal_for_token(second).username == "zhang"


def test_revoke_all_and_deactivate(identity: IdentityService) -> None:
    tokens = [identity.authenticate("zhang", PASSWORD)[0] for _ in range(3)]
    user_id = _user_id(identity, "zhang")
    assert identity.revoke_tokens("admin", user_id) == 3
    for token in tokens:
        with pytest.raises(TokenRejected):
            identity.principal_for_token(token)
    token, _ = identity.authenticate("zhang", PASSWORD)
    identity.deactivate("admin", user_id)
    with pytest.raises(TokenRejected):
        identity.principal_for_token(token)
    with pytest.raises(LoginFailed) as right:
        identity.authenticate("zhang", PASSWORD)
    assert str(right.value) == BAD_CREDENTIALS
    # A wrong password on a deactivated account says nothing more about the account.
    with pytest.raises(LoginFailed) as caught:
        identity.authenticate("zhang", "Wrong#Pass2026")
    assert str(caught.value) == BAD_CREDENTIALS


def test_password_change_keeps_the_current_sign_in_only(identity: IdentityService) -> None:
    current, principal = identity.authenticate("zhang", PASSWORD)
    other, _ = identity.authenticate("zhang", PASSWORD)
    with pytest.raises(InvalidChange, match="原密码不正确"):
        identity.change_own_password(principal, "Wrong#Pass2026", "Newer#Pass2026")
    with pytest.raises(PolicyViolation):
        identity.change_own_password(principal, PASSWORD, "short")
    identity.change_own_password(principal, PASSWORD, "Newer#Pass2026")
    assert identity.principal_for_token(current).username == "zhang"
    with pytest.raises(TokenRejected):
        identity.principal_for_token(other)
    with pytest.raises(LoginFailed):
        identity.authenticate("zhang", PASSWORD)
    identity.authenticate("zhang", "Newer#Pass2026")


# ------------------------------------------------------------------ users and roles
def test_role_changes_take_effect_on_the_next_request(identity: IdentityService) -> None:
    token, principal = identity.authenticate("zhang", PASSWORD)
    assert principal.can("sync.use") and principal.roles == {"deputy"}
    identity.set_roles("admin", principal.user_id, ["cadre_clerk"])
    again = identity.principal_for_token(token)
    assert again.roles == {"cadre_clerk"} and again.can("pii.health")
    identity.set_roles("admin", principal.user_id, [])
    assert identity.principal_for_token(token).permissions == frozenset()


def test_scope_grants(identity: IdentityService) -> None:
    user_id = _user_id(identity, "zhang")
    identity.grant_scope("admin", user_id, "committee:财经")
    identity.grant_scope("admin", user_id, "committee:教科文卫")
    assert identity.get_user(user_id).scopes == ["committee:教科文卫", "committee:财经"]
    token, principal = identity.authenticate("zhang", PASSWORD)
    assert principal.sees_scope("committee:财经") and not principal.sees_scope("committee:农业")
    identity.revoke_scope("admin", user_id, "committee:财经")
    assert not identity.principal_for_token(token).sees_scope("committee:财经")
    with pytest.raises(InvalidChange, match="数据范围格式不正确"):
        identity.set_scopes("admin", user_id, ["has space"])


def test_user_creation_rules(identity: IdentityService) -> None:
    with pytest.raises(AlreadyExists):
        identity.create_user("ZHANG", "重名", PASSWORD, ["deputy"])
    with pytest.raises(InvalidChange, match="未知角色"):
        identity.create_user("li", "李四", PASSWORD, ["emperor"])
    with pytest.raises(InvalidChange, match="用户名"):
        identity.create_user("李四", "李四", PASSWORD)
    with pytest.raises(PolicyViolation):
        identity.create_user("lisi", "李四", "lisi12345")
    with pytest.raises(NotFound):
        identity.unlock("admin", uuid7())
    with pytest.raises(NotFound):
        identity.unlock("admin", "not-an-id")
    assert [u.username for u in identity.list_users()] == ["admin", "zhang"]


def test_the_last_administrator_stays(identity: IdentityService) -> None:
    admin_id = _user_id(identity, "admin")
    with pytest.raises(InvalidChange, match="自己"):
        identity.set_roles("admin", admin_id, ["deputy"], actor_id=admin_id)
    with pytest.raises(InvalidChange, match="至少要保留一位"):
        identity.set_roles("console", admin_id, ["deputy"])
    with pytest.raises(InvalidChange, match="至少要保留一位"):
        identity.deactivate("console", admin_id)
    with pytest.raises(InvalidChange, match="自己"):
        identity.deactivate("admin", admin_id, actor_id=admin_id)
    identity.create_user("admin2", "第二位管理员", PASSWORD, ["admin"])
    identity.set_roles("admin2", admin_id, ["deputy"])  # now allowed
    identity.deactivate("console", _user_id(identity, "zhang"))  # a non-administrator may always go


def test_role_edits_and_ensure_roles_keeps_them(identity: IdentityService) -> None:
    identity.update_role("admin", "expert", ["sync.use"], ["public"])
    with identity.factory() as s, s.begin():
        row = s.get(Role, "chair")
        assert row is not None
        s.delete(row)
    assert identity.ensure_roles() == ["chair"]
    roles = {r.name: r for r in identity.list_roles()}
    assert roles["expert"].permissions == ["sync.use"] and roles["expert"].scopes == ["public"]
    assert roles["chair"].permissions == sorted(ROLES_BY_NAME["chair"].permissions)
    with pytest.raises(InvalidChange, match="未知权限"):
        identity.update_role("admin", "expert", ["rule.world"], [])
    with pytest.raises(InvalidChange, match="必须保留"):
        identity.update_role("admin", "admin", ["sync.use"], [])
    with pytest.raises(NotFound):
        identity.update_role("admin", "emperor", [], [])


def test_devices_belong_to_one_user(identity: IdentityService) -> None:
    _, zhang = identity.authenticate("zhang", PASSWORD)
    _, admin = identity.authenticate("admin", PASSWORD)
    device_id = uuid7()
    record = identity.register_device(zhang, device_id, "张三的笔记本", "k" * 43 + "=")
    assert record.user_id == zhang.user_id
    identity.register_device(zhang, device_id, "张三的新笔记本", "k" * 43 + "=")  # rename is fine
    identity.check_device(zhang, device_id)
    identity.check_device(admin, uuid7())  # not registered: allowed
    with pytest.raises(DeviceTaken):
        identity.register_device(admin, device_id, "抢注", "k" * 43 + "=")
    with pytest.raises(DeviceTaken):
        identity.check_device(admin, device_id)
    with pytest.raises(InvalidChange):
        identity.register_device(zhang, "not-a-uuid", "x", "k" * 43 + "=")
    with pytest.raises(InvalidChange):
        identity.register_device(zhang, uuid7(), "x", "bad key!")


# ------------------------------------------------------------------ audit and demo users
def test_every_identity_event_is_audited_in_an_unbroken_chain(identity: IdentityService) -> None:
    user_id = _user_id(identity, "zhang")
    with pytest.raises(LoginFailed):
        identity.authenticate("ghost", "x", ip="10.1.1.1")
    _, principal = identity.authenticate("zhang", PASSWORD, ip="10.1.1.2")
    identity.set_roles("admin", user_id, ["expert"], ip="10.1.1.3")
    identity.set_scopes("admin", user_id, ["committee:财经"])
    identity.update_user("admin", user_id, display_name="张三丰")
    identity.set_password("admin", user_id, "Reset#Pass2026", must_change=True)
    identity.logout(principal)
    identity.update_role("admin", "expert", ["sync.use"], ["public"])
    identity.deactivate("admin", user_id)
    actions = _actions(identity)
    for action in ("role.seed", "user.create", "login.failed", "login.ok", "user.roles", "user.scopes",
                   "user.update", "user.password", "logout", "role.update", "user.deactivate"):
        assert action in actions, action
    with identity.factory() as s:
        failed = s.scalar(select(AuditEntry).where(AuditEntry.action == "login.failed"))
        assert failed is not None and failed.ip == "10.1.1.1" and failed.detail["reason"] == "unknown_user"
        assert verify_chain(s).ok


def test_demo_users_one_per_role(identity: IdentityService) -> None:
    created = identity.ensure_demo_users()
    assert created == [u for u, _ in DEMO_USERS if u != "admin"]  # "admin" existed already
    assert identity.ensure_demo_users() == []
    users = {u.username: u for u in identity.list_users()}
    for username, role in DEMO_USERS:
        if username != "admin":
            assert users[username].roles == [role]
            identity.authenticate(username, DEMO_PASSWORD)
    assert users["committee"].scopes == ["committee:教科文卫"]
    assert {r for _, r in DEMO_USERS} == set(ROLES_BY_NAME)


def test_timing_decoy_is_a_real_verification() -> None:
    hashing = PasswordHashing(FAST)
    hashing.spend_equal_time("anything")  # must not raise
