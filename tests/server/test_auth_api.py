"""Sign-in over HTTP: lockout and unlock, expired, idle and revoked tokens, password change, admin actions."""

from __future__ import annotations

from datetime import timedelta

import requests
from sqlalchemy import update

from core.auth.roles import ROLE_CATALOGUE
from core.auth.service import BAD_CREDENTIALS
from core.ids import uuid7
from core.models.base import utcnow
from core.models.identity import AuthToken
from core.sync.blobs import sha256_hex
from tests.helpers.live_server import LiveServer


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _audit_actions(server: LiveServer, http: requests.Session) -> list[dict[str, object]]:
    response = http.get(f"{server.url}/api/audit", params={"limit": 1000}, headers=server.headers("admin"))
    assert response.status_code == 200
    return list(response.json()["entries"])


def test_login_answers_token_and_user(server: LiveServer, http: requests.Session) -> None:
    response = http.post(f"{server.url}/api/auth/login",
                         json={"username": "committee", "password": server.password, "device_id": uuid7()})
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) >= 40 and body["expires_at"]
    user = body["user"]
    assert user["username"] == "committee" and user["roles"] == ["committee_member"]
    assert user["apps"] == ["budget"] and "pii.contact" in user["permissions"]
    me = http.get(f"{server.url}/api/auth/me", headers=_bearer(body["token"])).json()
    assert me == user


def test_lockout_and_unlock_over_http(server: LiveServer, http: requests.Session) -> None:
    url = f"{server.url}/api/auth/login"
    unknown = http.post(url, json={"username": "no-such-user", "password": "Wrong#Pass2026"})
    for _ in range(4):
        wrong = http.post(url, json={"username": "deputy", "password": "Wrong#Pass2026"})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json() == {"detail": BAD_CREDENTIALS}
    locked = http.post(url, json={"username": "deputy", "password": "Wrong#Pass2026"})
    assert locked.status_code == 401 and locked.json() == unknown.json()
    right_but_locked = http.post(url, json={"username": "deputy", "password": server.password})
    assert right_but_locked.status_code == 401 and right_but_locked.json() == unknown.json()
    admin = server.headers("admin")
    unlock = http.post(f"{server.url}/api/admin/users/{server.users['deputy']}/unlock", headers=admin)
    assert unlock.status_code == 200 and unlock.json()["locked_until"] is None
    assert http.post(url, json={"username": "deputy", "password": server.password}).status_code == 200
    entries = _audit_actions(server, http)
    failed = [e for e in entries if e["action"] == "login.failed" and e["actor"] == "deputy"]
    assert len(failed) == 5 and all(e["ip"] == "127.0.0.1" for e in failed)
    assert {"login.locked", "login.refused", "user.unlock", "login.ok"} <= {e["action"] for e in entries}
    verify = http.get(f"{server.url}/api/audit/verify", headers=admin).json()
    assert verify["ok"] and "完整" in verify["message"]


def test_expired_idle_and_revoked_tokens_are_refused(server: LiveServer, http: requests.Session) -> None:
    me = f"{server.url}/api/auth/me"
    expired, idle, logged_out, revoked = (server.token_for("expert") for _ in range(4))
    with server.services.factory() as s, s.begin():
        from core.auth.service import token_digest

        s.execute(update(AuthToken).where(AuthToken.token_hash == token_digest(expired))
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
        s.execute(update(AuthToken).where(AuthToken.token_hash == token_digest(idle))
                  .values(last_seen_at=utcnow() - timedelta(minutes=31)))
    answer = http.get(me, headers=_bearer(expired))
    assert answer.status_code == 401 and "12 小时" in answer.json()["detail"]
    answer = http.get(me, headers=_bearer(idle))
    assert answer.status_code == 401 and "30 分钟未操作" in answer.json()["detail"]

    assert http.get(me, headers=_bearer(logged_out)).status_code == 200
    assert http.post(f"{server.url}/api/auth/logout", headers=_bearer(logged_out)).status_code == 200
    answer = http.get(me, headers=_bearer(logged_out))
    assert answer.status_code == 401 and "退出登录" in answer.json()["detail"]

    assert http.get(me, headers=_bearer(revoked)).status_code == 200
    result = http.post(f"{server.url}/api/admin/users/{server.users['expert']}/revoke-tokens",
                       headers=server.headers("admin"))
    assert result.status_code == 200 and result.json()["revoked"] >= 1
    assert http.get(me, headers=_bearer(revoked)).status_code == 401


def test_password_change_over_http(server: LiveServer, http: requests.Session) -> None:
    url = f"{server.url}/api/auth/password"
    token = server.token_for("cadre")
    other = server.token_for("cadre")
    wrong = http.post(url, headers=_bearer(token),
                      json={"old_password": "Wrong#Pass2026", "new_password": "Newer#Pass2026"})
    assert wrong.status_code == 400 and wrong.json()["detail"] == "原密码不正确"
    weak = http.post(url, headers=_bearer(token), json={"old_password": server.password, "new_password": "123456"})
    assert weak.status_code == 422 and "至少需要 10 个字符" in weak.json()["detail"]
    done = http.post(url, headers=_bearer(token), json={"old_password": server.password, "new_password": "Newer#Pass2026"})
    assert done.status_code == 200 and done.json()["ok"]
    assert http.get(f"{server.url}/api/auth/me", headers=_bearer(token)).status_code == 200
    assert http.get(f"{server.url}/api/auth/me", headers=_bearer(other)).status_code == 401
    assert server.login("cadre").status_code == 401
    assert server.login("cadre", "Newer#Pass2026").status_code == 200


def test_admin_manages_users(server: LiveServer, http: requests.Session) -> None:
    admin = server.headers("admin")
    base = f"{server.url}/api/admin/users"
    created = http.post(base, headers=admin, json={
        "username": "wangwu", "display_name": "王五", "password": "Start#Pass2026", "roles": ["petition_clerk"]})
    assert created.status_code == 201
    user = created.json()
    assert user["roles"] == ["petition_clerk"] and user["must_change_password"] is True
    duplicate = http.post(base, headers=admin, json={
        "username": "wangwu", "display_name": "王五", "password": "Start#Pass2026"})
    assert duplicate.status_code == 409 and "已被使用" in duplicate.json()["detail"]
    unknown_role = http.post(base, headers=admin, json={
        "username": "zhaoliu", "display_name": "赵六", "password": "Start#Pass2026", "roles": ["emperor"]})
    assert unknown_role.status_code == 400 and "未知角色" in unknown_role.json()["detail"]

    token = server.token_for("wangwu", "Start#Pass2026")
    pull = f"{server.url}/api/sync/pull"
    assert http.post(pull, headers=_bearer(token), json={}).status_code == 200
    roles = http.put(f"{base}/{user['id']}/roles", headers=admin, json={"roles": []})
    assert roles.status_code == 200 and roles.json()["roles"] == []
    assert http.post(pull, headers=_bearer(token), json={}).status_code == 403  # at once, same token

    scopes = http.put(f"{base}/{user['id']}/scopes", headers=admin, json={"scopes": ["committee:财经"]})
    assert scopes.json()["scopes"] == ["committee:财经"]
    renamed = http.patch(f"{base}/{user['id']}", headers=admin, json={"display_name": "王五（信访）"})
    assert renamed.json()["display_name"] == "王五（信访）"
    reset = http.post(f"{base}/{user['id']}/password", headers=admin, json={"password": "Reset#Pass2026"})
    assert reset.status_code == 200
    assert http.get(f"{server.url}/api/auth/me", headers=_bearer(token)).status_code == 401
    token = server.token_for("wangwu", "Reset#Pass2026")
    off = http.patch(f"{base}/{user['id']}", headers=admin, json={"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert http.get(f"{server.url}/api/auth/me", headers=_bearer(token)).status_code == 401
    refused = server.login("wangwu", "Reset#Pass2026")
    assert refused.status_code == 401 and "停用" in refused.json()["detail"]
    listed = {u["username"]: u for u in http.get(base, headers=admin).json()}
    assert listed["wangwu"]["is_active"] is False and "admin" in listed


def test_admin_cannot_lock_themselves_out(server: LiveServer, http: requests.Session) -> None:
    admin = server.headers("admin")
    me = server.users["admin"]
    own_roles = http.put(f"{server.url}/api/admin/users/{me}/roles", headers=admin, json={"roles": ["deputy"]})
    assert own_roles.status_code == 400 and "自己" in own_roles.json()["detail"]
    own_off = http.patch(f"{server.url}/api/admin/users/{me}", headers=admin, json={"is_active": False})
    assert own_off.status_code == 400
    role = http.put(f"{server.url}/api/admin/roles/admin", headers=admin, json={"permissions": ["sync.use"], "scopes": []})
    assert role.status_code == 400 and "必须保留" in role.json()["detail"]
    missing = http.patch(f"{server.url}/api/admin/users/{uuid7()}", headers=admin, json={"display_name": "x"})
    assert missing.status_code == 404 and missing.json()["detail"] == "用户不存在"


def test_roles_can_be_edited(server: LiveServer, http: requests.Session) -> None:
    admin = server.headers("admin")
    roles = {r["name"]: r for r in http.get(f"{server.url}/api/admin/roles", headers=admin).json()}
    assert len(roles) == len(ROLE_CATALOGUE) and roles["deputy"]["label_zh"] == "人大代表"
    token = server.token_for("deputy")
    changed = http.put(f"{server.url}/api/admin/roles/deputy", headers=admin,
                       json={"permissions": ["app.budget", "sync.use", "pii.contact"], "scopes": ["public", "user:self"]})
    assert changed.status_code == 200
    me = http.get(f"{server.url}/api/auth/me", headers=_bearer(token)).json()
    assert "pii.contact" in me["permissions"]


def test_devices_and_sync_refuse_another_users_device(server: LiveServer, http: requests.Session) -> None:
    device_id = uuid7()
    staff, deputy = server.headers("staff"), server.headers("deputy")
    url = f"{server.url}/api/sync/devices"
    body = {"device_id": device_id, "name": "预工委 3 号机", "public_key": "q" * 43 + "="}
    registered = http.post(url, headers=staff, json=body)
    assert registered.status_code == 200 and registered.json()["user_id"] == server.users["staff"]
    taken = http.post(url, headers=deputy, json=body)
    assert taken.status_code == 409 and "其他用户" in taken.json()["detail"]
    push = http.post(f"{server.url}/api/sync/push", headers=deputy, json={"device_id": device_id, "mutations": []})
    assert push.status_code == 409
    own = http.post(f"{server.url}/api/sync/push", headers=staff, json={"device_id": device_id, "mutations": []})
    assert own.status_code == 200 and own.json() == {"results": []}


def test_blob_upload_and_visibility(server: LiveServer, http: requests.Session) -> None:
    data = b"%PDF-1.7\n2025 budget scan\n"
    sha = sha256_hex(data)
    staff = server.headers("staff")
    url = f"{server.url}/api/sync/blobs/{sha}"
    put = http.put(url, headers={**staff, "X-Filename": "%E9%A2%84%E7%AE%97.pdf"}, data=data)
    assert put.status_code == 201 and put.json() == {"sha256": sha, "size": len(data)}
    # No attachment row names it yet, so nobody may read it.
    hidden = http.get(url, headers=staff)
    assert hidden.status_code == 403 and "无权查看" in hidden.json()["detail"]
    mismatch = http.put(f"{server.url}/api/sync/blobs/{'0' * 64}", headers=staff, data=data)
    assert mismatch.status_code == 400 and "SHA-256" in mismatch.json()["detail"]
    exe = b"MZ\x90\x00 windows program"
    refused = http.put(f"{server.url}/api/sync/blobs/{sha256_hex(exe)}", headers={**staff, "X-Filename": "a.exe"},
                       data=exe)
    assert refused.status_code == 400 and "不支持的文件类型" in refused.json()["detail"]


def test_compact_and_health(server: LiveServer, http: requests.Session) -> None:
    health = http.get(f"{server.url}/api/health").json()
    assert health["status"] == "ok" and health["db"] in ("sqlite", "postgresql") and health["sync_head"] == 0
    compacted = http.post(f"{server.url}/api/sync/compact", headers=server.headers("admin"), json={"upto_seq": 0})
    assert compacted.status_code == 200 and compacted.json()["compacted_seq"] == 0
    no_body = http.post(f"{server.url}/api/sync/compact", headers=server.headers("admin"))
    assert no_body.status_code == 200
    spec = http.get(f"{server.url}/openapi.json").json()
    assert "/api/sync/pull" in spec["paths"] and "/api/admin/users/{user_id}/roles" in spec["paths"]


def test_attachment_row_without_bytes_yet(live_server: LiveServer, http: requests.Session) -> None:
    from core.models.registry import Attachment

    sha = sha256_hex(b"%PDF-1.4 not uploaded yet")
    with live_server.services.factory() as s, s.begin():
        s.info["actor"] = "test"
        s.add(Attachment(sha256=sha, size=25, mime="application/pdf", filename="待上传.pdf",
                         owner_table="reg_document", owner_id=uuid7(), owner_scope="public"))
    answer = http.get(f"{live_server.url}/api/sync/blobs/{sha}", headers=live_server.headers("deputy"))
    assert answer.status_code == 404 and "尚未同步" in answer.json()["detail"]


def test_health_reports_an_unusable_database(live_server: LiveServer, http: requests.Session) -> None:
    from sqlalchemy import text

    with live_server.services.engine.begin() as conn:
        conn.execute(text("DROP TABLE sync_counter"))
    answer = http.get(f"{live_server.url}/api/health")
    assert answer.status_code == 503 and answer.json()["status"] == "database-unavailable"
