"""The HTTP client: sign-in kept in the keyring, error mapping, HTTPS, and sync between two clients."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import requests
from sqlalchemy import Engine, select

from core.auth.service import BAD_CREDENTIALS
from core.db import make_engine, migrate
from core.ids import uuid7
from core.models.registry import Deputy, Document
from core.remote import KEYRING_SERVICE, HttpTransport, LoginFailed, RemoteSession, keyring_key
from core.sync.client import LocalStore, SyncClient
from core.sync.transport import AuthExpired, Forbidden, NetworkError, SyncError
from tests.helpers.live_server import LiveServer, start_live_server

PDF = "%PDF-1.4\n2025 年部门预算草案扫描件\n".encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ sessions and the keyring
def test_login_keeps_the_token_in_the_keyring(live_server: LiveServer) -> None:
    session = RemoteSession.login(live_server.url + "/", "committee", live_server.password, device_id=uuid7())
    assert session.server_url == live_server.url
    assert session.me.username == "committee" and session.me.roles == ("committee_member",)
    assert session.me.apps == ("budget",) and session.me.can("pii.contact")
    stored = keyring.get_password(KEYRING_SERVICE, keyring_key(live_server.url, "committee"))
    assert stored == session.transport.token and stored
    session.logout()


def test_resume_and_logout(live_server: LiveServer) -> None:
    assert RemoteSession.resume(live_server.url, "staff") is None  # never signed in
    first = RemoteSession.login(live_server.url, "staff", live_server.password)
    resumed = RemoteSession.resume(live_server.url, "staff")
    assert resumed is not None and resumed.me == first.me
    assert resumed.transport.checksums() is not None
    token = first.transport.token
    resumed.logout()
    assert keyring.get_password(KEYRING_SERVICE, keyring_key(live_server.url, "staff")) is None
    assert RemoteSession.resume(live_server.url, "staff") is None
    stale = HttpTransport(live_server.url, token)
    with pytest.raises(AuthExpired, match="退出登录"):
        stale.checksums()
    stale.close()
    first.transport.close()


def test_resume_after_the_administrator_revoked_the_sign_in(live_server: LiveServer) -> None:
    RemoteSession.login(live_server.url, "expert", live_server.password).transport.close()
    live_server.services.identity.revoke_tokens("admin", live_server.users["expert"])
    assert RemoteSession.resume(live_server.url, "expert") is None
    assert keyring.get_password(KEYRING_SERVICE, keyring_key(live_server.url, "expert")) is None


def test_login_failures_carry_the_servers_message(live_server: LiveServer) -> None:
    for username in ("staff", "nobody"):
        with pytest.raises(LoginFailed) as caught:
            RemoteSession.login(live_server.url, username, "Wrong#Pass2026")
        assert str(caught.value) == BAD_CREDENTIALS
    with pytest.raises(LoginFailed, match=r"缺少|过短"):
        RemoteSession.login(live_server.url, "staff", "")
    with pytest.raises(LoginFailed, match="无法连接服务器"):
        RemoteSession.login(f"http://127.0.0.1:{_free_port()}", "staff", live_server.password)


def test_resume_offline_raises_network_error(tmp_path: Path) -> None:
    with start_live_server(tmp_path) as live:
        url = live.url
        RemoteSession.login(url, "deputy", live.password).transport.close()
    with pytest.raises(NetworkError, match="离线"):
        RemoteSession.resume(url, "deputy")
    assert keyring.get_password(KEYRING_SERVICE, keyring_key(url, "deputy"))  # kept for later


def test_transport_maps_errors(live_server: LiveServer) -> None:
    session = RemoteSession.login(live_server.url, "staff", live_server.password)
    transport = session.transport
    with pytest.raises(Forbidden, match="权限"):
        transport.request("POST", "/api/sync/compact")
    with pytest.raises(SyncError, match="游标") as bad_cursor:
        transport.pull({"v": 1, "mask": "", "scopes": {"public": -1}}, 10)
    assert type(bad_cursor.value) is SyncError
    with pytest.raises(SyncError, match="UUID"):
        transport.push("dev", [{"mutation_id": "x"}])
    session.logout()
    with pytest.raises(AuthExpired):
        transport.pull({}, 10)


def test_device_registration(live_server: LiveServer) -> None:
    staff = RemoteSession.login(live_server.url, "staff", live_server.password)
    deputy = RemoteSession.login(live_server.url, "deputy", live_server.password)
    device_id = uuid7()
    record = staff.register_device(device_id, "预工委笔记本", "p" * 43 + "=")
    assert record["id"] == device_id and record["user_id"] == staff.me.user_id
    with pytest.raises(SyncError, match="其他用户"):
        deputy.register_device(device_id, "别人的", "p" * 43 + "=")
    staff.logout()
    deputy.logout()


def test_change_password_through_the_session(live_server: LiveServer) -> None:
    session = RemoteSession.login(live_server.url, "chair", live_server.password)
    assert "已修改" in session.change_password(live_server.password, "Gavel#Order2026")
    assert session.refresh().username == "chair"
    with pytest.raises(LoginFailed):
        RemoteSession.login(live_server.url, "chair", live_server.password)
    RemoteSession.login(live_server.url, "chair", "Gavel#Order2026").logout()
    session.logout()


# ------------------------------------------------------------------ two clients, one server
class Client:
    def __init__(self, tmp_path: Path, name: str, session: RemoteSession) -> None:
        self.engine: Engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        migrate(self.engine)
        self.store = LocalStore(self.engine, tmp_path / f"{name}-blobs")
        self.store.set_permissions(session.me.permissions)
        self.session = session
        self.sync = SyncClient(self.store, session.transport, page_limit=2)

    def close(self) -> None:
        self.session.transport.close()
        self.engine.dispose()


@pytest.fixture
def clients(tmp_path: Path, server: LiveServer) -> Iterator[tuple[Client, Client]]:
    staff = Client(tmp_path, "staff", RemoteSession.login(server.url, "staff", server.password))
    deputy = Client(tmp_path, "deputy", RemoteSession.login(server.url, "deputy", server.password))
    yield staff, deputy
    staff.close()
    deputy.close()


def test_sync_round_trip_between_two_clients(server: LiveServer, clients: tuple[Client, Client]) -> None:
    staff, deputy = clients
    staff.session.register_device(staff.store.device_id(), "预工委工作站", "s" * 43 + "=")
    with staff.store.session() as s, s.begin():
        doc = Document(title="2025年部门预算草案", classification="public", year=2025, amount_fen=123_456_700)
        s.add(doc)
        s.flush()
        staff.store.attach(s, doc, PDF, "预算草案.pdf")
        s.add(Document(title="内部审查底稿", classification="internal", year=2025))
        s.add(Deputy(name="张三", delegation="浦东新区", phone="13812345678", id_number="310101199001011234"))
        doc_id = doc.id
    report = staff.sync.sync()
    assert report.pushed == 4 and report.applied == 4 and report.rejected == 0

    report = deputy.sync.sync(verify=True)
    assert report.pulled_rows == 3 and report.pages >= 2 and not report.repaired_scopes
    with deputy.store.session() as s:
        titles = sorted(s.scalars(select(Document.title)))
        assert titles == ["2025年部门预算草案"]  # the internal paper stays with the budget committee
        person = s.scalars(select(Deputy)).one()
        assert person.phone == "138****5678" and person.id_number.startswith("3101") and "*" in person.id_number
    assert deputy.sync.open_attachment(_sha(PDF)) == PDF

    # Both edit the public document: the deputy may read it but only the office that publishes it writes it.
    with deputy.store.session() as s, s.begin():
        s.get_one(Document, doc_id).body = "代表意见：教育支出增幅偏低"
    with staff.store.session() as s, s.begin():
        s.get_one(Document, doc_id).doc_no = "沪人大预〔2025〕1号"
    assert deputy.sync.sync().rejected == 1
    assert staff.sync.sync().applied == 1
    deputy.sync.sync()
    for client in (staff, deputy):
        with client.store.session() as s:
            row = s.get_one(Document, doc_id)
            assert (row.body, row.doc_no) == ("", "沪人大预〔2025〕1号")
        assert client.sync.sync(verify=True).repaired_scopes == []

    entries = server.services.audit_page(0, 1000)
    actions = {e["action"] for e in entries}
    assert {"sync.push", "read.sensitive", "read.attachment", "device.register"} <= actions


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ HTTPS
@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("没有 openssl 命令，无法生成测试用的自签名证书")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def test_https_with_a_self_signed_certificate(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    with start_live_server(tmp_path, certfile=cert, keyfile=key) as live:
        assert live.url.startswith("https://127.0.0.1:")
        # The transport closes its connections; an idle TLS connection left open would hold up shutdown.
        anonymous = HttpTransport(live.url, verify=str(cert))
        assert anonymous.call("GET", "/api/health")["status"] == "ok"
        anonymous.close()
        session = RemoteSession.login(live.url, "admin", live.password, verify=str(cert))
        assert session.me.username == "admin" and session.transport.checksums() is not None
        session.logout()
        with pytest.raises(LoginFailed, match="证书"):
            RemoteSession.login(live.url, "admin", live.password)  # the system CAs do not know this certificate
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(live.url.replace("https://", "http://") + "/api/health", timeout=30)
