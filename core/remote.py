"""The client side of the central server over HTTP(S).

:class:`RemoteSession` signs in and keeps the token in the operating system's keyring (service
``renda-suite``), never in a file; :class:`HttpTransport` is the sync transport over ``requests``.
Errors come back as the sync exceptions, carrying the server's own Chinese explanation.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import keyring
import orjson
import requests
from keyring.errors import KeyringError

from core.keystore import keyring_is_secure
from core.sync.protocol import PUSH_IN_FLIGHT
from core.sync.transport import AuthExpired, Forbidden, NetworkError, PushOutOfTurn, SyncError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "renda-suite"
# (connect, read) seconds; a pull page of 20,000 rows can take a while on a slow line.
DEFAULT_TIMEOUT = (10.0, 300.0)
Verify = bool | str  # True, False, or the path of a CA bundle for a self-signed server certificate


class LoginFailed(Exception):
    """Sign-in was refused or the server could not be reached; the message is for the user."""


def normalize_url(server_url: str) -> str:
    return server_url.strip().rstrip("/")


def keyring_key(server_url: str, username: str) -> str:
    return f"{normalize_url(server_url)}|{username}"


def _server_detail(response: requests.Response) -> str:
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and detail:
        return detail
    return f"服务器返回错误（HTTP {response.status_code}），请稍后再试或联系系统管理员"


class HttpTransport:
    """:class:`core.sync.transport.SyncTransport` over HTTP with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None, verify: Verify = True,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, http: requests.Session | None = None) -> None:
        self.base_url = normalize_url(base_url)
        self.token = token
        self.verify = verify
        self.timeout = timeout
        self.http = http or requests.Session()

    # ------------------------------------------------------------------ plumbing
    def request(self, method: str, path: str, *, json: Any = None, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> requests.Response:
        """Send one request; maps failures to NetworkError, AuthExpired (401), Forbidden (403), SyncError."""
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            data = orjson.dumps(json)
            all_headers["Content-Type"] = "application/json"
        try:
            response = self.http.request(method, self.base_url + path, data=data, headers=all_headers,
                                         timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            raise NetworkError(f"无法与服务器 {self.base_url} 建立安全连接（证书校验未通过）：{exc.__class__.__name__}") from exc
        except requests.exceptions.Timeout as exc:
            raise NetworkError(f"服务器 {self.base_url} 响应超时，将继续离线工作，稍后再同步") from exc
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"无法连接服务器 {self.base_url}，将继续离线工作，稍后再同步") from exc
        if response.status_code == 401:
            raise AuthExpired(_server_detail(response))
        if response.status_code == 403:
            raise Forbidden(_server_detail(response))
        if response.status_code == 425:
            raise PushOutOfTurn(_server_detail(response))
        if response.status_code >= 400:
            raise SyncError(_server_detail(response))
        return response

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """A JSON request answered with JSON."""
        response = self.request(method, path, json=body)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise SyncError("服务器的答复无法识别（不是 JSON），请检查服务器地址是否正确") from exc

    # ------------------------------------------------------------------ SyncTransport
    pushes_in_flight = PUSH_IN_FLIGHT
    """Over a network the next batch leaves while the last one is worked on (the server keeps their order)."""

    def push(self, device_id: str, mutations: list[dict[str, Any]], after: str | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"device_id": device_id, "mutations": mutations}
        if after is not None:
            body["after"] = after
        results = self.call("POST", "/api/sync/push", body)["results"]
        return list(results)

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        page: dict[str, Any] = self.call("POST", "/api/sync/pull", {"cursor": cursor or None, "limit": limit})
        return page

    def checksums(self) -> dict[str, dict[str, int]]:
        sums: dict[str, dict[str, int]] = self.call("GET", "/api/sync/checksums")
        return sums

    def upload_blob(self, sha256: str, data: bytes, filename: str) -> None:
        self.request("PUT", f"/api/sync/blobs/{sha256}", data=data,
                     headers={"Content-Type": "application/octet-stream", "X-Filename": quote(filename)})

    def fetch_blob(self, sha256: str) -> bytes:
        return self.request("GET", f"/api/sync/blobs/{sha256}").content

    def close(self) -> None:
        self.http.close()


@dataclass(frozen=True)
class UserInfo:
    """The signed-in user as the server sees them."""

    user_id: str
    username: str
    display_name: str
    roles: tuple[str, ...]
    permissions: frozenset[str]
    apps: tuple[str, ...]
    scopes: tuple[str, ...] = ()
    """Row scopes the user sees, e.g. ``committee:教科文卫`` for a special committee's domain."""

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UserInfo:
        return cls(user_id=str(data["id"]), username=str(data["username"]),
                   display_name=str(data.get("display_name", "")), roles=tuple(data.get("roles", ())),
                   permissions=frozenset(data.get("permissions", ())), apps=tuple(data.get("apps", ())),
                   scopes=tuple(data.get("scopes", ())))


def _store_token(server_url: str, username: str, token: str) -> None:
    if not keyring_is_secure():
        log.warning("系统钥匙串不可用（当前后端会把凭据写入明文文件），登录凭据不保存；下次启动需要重新登录")
        return
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_key(server_url, username), token)
    except KeyringError as exc:
        log.warning("无法把登录凭据保存到系统钥匙串（%s）；下次启动需要重新登录", exc)


def _load_token(server_url: str, username: str) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_key(server_url, username))
    except KeyringError:
        return None


def _forget_token(server_url: str, username: str) -> None:
    with contextlib.suppress(KeyringError):
        keyring.delete_password(KEYRING_SERVICE, keyring_key(server_url, username))


class RemoteSession:
    """A signed-in connection to the central server: who the user is, and a transport for sync."""

    def __init__(self, server_url: str, username: str, me: UserInfo, transport: HttpTransport) -> None:
        self.server_url = normalize_url(server_url)
        self.username = username
        self.me = me
        self.transport = transport

    @classmethod
    def login(cls, server_url: str, username: str, password: str, device_id: str | None = None,
              verify: Verify = True) -> RemoteSession:
        """Sign in; the token goes to the keyring. Raises :class:`LoginFailed` with the reason."""
        transport = HttpTransport(server_url, None, verify)
        try:
            data = transport.call("POST", "/api/auth/login",
                                  {"username": username, "password": password, "device_id": device_id})
            token, me = str(data["token"]), UserInfo.from_json(data["user"])
        except SyncError as exc:
            transport.close()
            raise LoginFailed(str(exc)) from exc
        except (KeyError, TypeError) as exc:
            transport.close()
            raise LoginFailed("服务器的答复无法识别，请检查服务器地址是否正确") from exc
        transport.token = token
        _store_token(transport.base_url, me.username, token)
        return cls(transport.base_url, me.username, me, transport)

    @classmethod
    def resume(cls, server_url: str, username: str, verify: Verify = True) -> RemoteSession | None:
        """The session kept in the keyring, if the server still accepts it; None means sign in again.

        Raises :class:`NetworkError` when the server cannot be reached (the caller may work offline).
        """
        token = _load_token(server_url, username)
        if not token:
            return None
        transport = HttpTransport(server_url, token, verify)
        try:
            me = UserInfo.from_json(transport.call("GET", "/api/auth/me"))
        except (AuthExpired, Forbidden):
            transport.close()
            _forget_token(server_url, username)
            return None
        except NetworkError:
            transport.close()
            raise
        if me.username != username:
            transport.close()
            _forget_token(server_url, username)
            return None
        return cls(transport.base_url, username, me, transport)

    def refresh(self) -> UserInfo:
        """Re-read who the user is (roles may have changed on the server)."""
        self.me = UserInfo.from_json(self.transport.call("GET", "/api/auth/me"))
        return self.me

    def register_device(self, device_id: str, name: str, public_key: str) -> dict[str, Any]:
        """Register this installation under the user; refused when another user owns the id."""
        result: dict[str, Any] = self.transport.call(
            "POST", "/api/sync/devices", {"device_id": device_id, "name": name, "public_key": public_key})
        return result

    def change_password(self, old_password: str, new_password: str) -> str:
        """Change the user's password; other sign-ins of the user end. Returns the server's message."""
        return str(self.transport.call("POST", "/api/auth/password",
                                       {"old_password": old_password, "new_password": new_password})["message"])

    def logout(self) -> None:
        """End the sign-in on the server (when reachable) and remove the token from the keyring."""
        try:
            self.transport.call("POST", "/api/auth/logout")
        except SyncError as exc:
            log.info("退出登录时未能通知服务器：%s", exc)
        finally:
            _forget_token(self.server_url, self.username)
            self.transport.token = None
            self.transport.close()
