"""The WeChat official-account channel of the outbox: template messages (模板消息) to followers' openids.

A feature registers a WeChat template (which of its parameters fill which data keys of the template the
office chose in the official account's back end) and queues a message with :func:`queue_wechat`; the row
is an ordinary ``ntf_message`` with ``channel = 'wechat'`` and the recipient column holding an openid. The
server's :class:`WechatDispatcher` sends due rows through :class:`WechatGateway`, which follows WeChat's
documented HTTP API:

- ``GET {base}/cgi-bin/token?grant_type=client_credential&appid=APPID&secret=SECRET`` →
  ``{"access_token": "...", "expires_in": 7200}`` or ``{"errcode": 40013, "errmsg": "invalid appid"}``.
  The token is cached until shortly before ``expires_in`` runs out, and fetched again when a call answers
  40001 (invalid credential), 40014 (invalid access_token) or 42001 (access_token expired).
- ``POST {base}/cgi-bin/message/template/send?access_token=TOKEN`` with
  ``{"touser": openid, "template_id": ..., "url": ..., "data": {"key": {"value": "..."}}}`` →
  ``{"errcode": 0, "errmsg": "ok", "msgid": 200228332}``.
  ``-1`` (system busy), 45009 (API limit) and HTTP/network failures are retried with the outbox's backoff;
  43004 (the user does not follow the account), 40003 (invalid openid), 40037 (invalid template_id) and any
  other error code fail the message permanently.

The credentials come from the environment (:func:`gateway_from_environment`): ``RENDA_WECHAT_APPID``, the
AppSecret in ``RENDA_WECHAT_SECRET`` or else in the OS keyring (service ``renda-wechat``, user the AppID),
``RENDA_WECHAT_TEMPLATE_NOTICE`` (the template ID the official account gave ``cadre.notice``) and optionally
``RENDA_WECHAT_LINK_BASE`` (the portal's public address). ``renda cadre notice wechat-send`` runs the dispatcher.

WeChat cannot be reached from the test machines: ``tests/notifications/test_wechat.py`` runs the gateway
against a local HTTP server implementing those endpoints and error codes (``docs/cadre-notices.md``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests
from sqlalchemy.orm import Session

from core.models.base import utcnow
from core.notifications.dispatch import Dispatcher, RecipientError, recipient_value
from core.notifications.gateway import GatewayRejected, GatewayUnavailable, SendResult
from core.notifications.models import QUEUED, NtfMessage
from core.notifications.outbox import message_id
from core.notifications.templates import TemplateError

WECHAT = "wechat"
DEFAULT_BASE_URL = "https://api.weixin.qq.com"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
BUSY_ERRORS = frozenset({-1, 45009})
ERRORS = {
    -1: "微信系统繁忙", 40001: "access_token 无效", 40003: "openid 无效", 40013: "AppID 无效",
    40014: "access_token 不合法", 40037: "模板 ID 无效", 40125: "AppSecret 无效", 40164: "调用接口的 IP 不在白名单",
    41028: "form_id 无效", 42001: "access_token 已过期", 43004: "用户未关注公众号", 45009: "接口调用超过限额",
    47003: "模板参数不准确",
}
OPENID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class WechatTemplate:
    key: str
    fields: tuple[str, ...]
    """The parameters a message gives (besides ``path``, the page the message opens)."""
    data: Mapping[str, str]
    """Template data key → text with ``{parameter}`` placeholders, e.g. ``{"first": "{kind}：{title}"}``."""
    description: str

    def check(self, params: Mapping[str, Any]) -> None:
        names = set(params) - {"path"}
        missing = [f for f in self.fields if f not in names]
        if missing:
            raise TemplateError(f"微信模板“{self.key}”缺少参数：{'、'.join(missing)}")
        unknown = sorted(names - set(self.fields))
        if unknown:
            raise TemplateError(f"微信模板“{self.key}”没有参数：{'、'.join(unknown)}")
        for name, value in params.items():
            if not isinstance(value, str) or len(value) > 200 or "\n" in value:
                raise TemplateError(f"微信模板“{self.key}”的参数“{name}”必须是不含换行、不超过 200 字的文字")

    def render(self, params: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        self.check(params)
        values = {k: str(params[k]) for k in self.fields}
        return {key: {"value": text.format_map(values)} for key, text in self.data.items()}


_TEMPLATES: dict[str, WechatTemplate] = {}


def register_wechat_template(key: str, fields: tuple[str, ...], data: Mapping[str, str],
                             description: str) -> WechatTemplate:
    template = WechatTemplate(key, tuple(fields), dict(data), description)
    old = _TEMPLATES.get(key)
    if old is not None and (old.fields, dict(old.data)) != (template.fields, dict(template.data)):
        raise TemplateError(f"微信模板“{key}”已以不同的内容登记")
    _TEMPLATES[key] = template
    return template


def wechat_template(key: str) -> WechatTemplate:
    try:
        return _TEMPLATES[key]
    except KeyError:
        raise TemplateError(f"没有登记微信模板“{key}”") from None


def queue_wechat(session: Session, *, template_key: str, params: Mapping[str, Any],
                 recipient: tuple[str, str, str], scope: str, dedup_key: str,
                 queued_at: datetime | None = None) -> NtfMessage:
    """Queue a WeChat template message in ``session``'s transaction (like :func:`queue_sms`): the recipient
    column holds the openid; ``params`` may carry ``path``, the portal page the message opens."""
    if not dedup_key or len(dedup_key) > 200:
        raise TemplateError("消息的去重键必须是 1 至 200 个字符")
    table, row_id, column = recipient
    if not (table and row_id and column and scope):
        raise TemplateError("消息必须指明收件人所在的表、记录、字段和范围")
    clean = dict(params)
    wechat_template(template_key).check(clean)
    mid = message_id(dedup_key)
    existing = session.get(NtfMessage, mid)
    if existing is not None:
        return existing
    msg = NtfMessage(id=mid, channel=WECHAT, template_key=template_key, params=clean, recipient_table=table,
                     recipient_id=row_id, recipient_column=column, target_scope=scope, dedup_key=dedup_key,
                     queued_at=queued_at or utcnow(), status=QUEUED, attempts=0, last_error="", gateway_id="",
                     parts=0)
    session.add(msg)
    return msg


ENV_APPID, ENV_SECRET = "RENDA_WECHAT_APPID", "RENDA_WECHAT_SECRET"
ENV_TEMPLATE_NOTICE, ENV_LINK_BASE = "RENDA_WECHAT_TEMPLATE_NOTICE", "RENDA_WECHAT_LINK_BASE"
KEYRING_SERVICE = "renda-wechat"


class WechatConfigError(ValueError):
    """The official account's settings are missing or wrong (the message says which, in Chinese)."""


def keyring_secret(appid: str) -> str | None:
    """The AppSecret kept in the OS keyring for ``appid``; None when there is none or the keyring is not safe."""
    import keyring
    from keyring.errors import KeyringError

    from core.keystore import keyring_is_secure

    try:
        return keyring.get_password(KEYRING_SERVICE, appid) if keyring_is_secure() else None
    except KeyringError:
        return None


def gateway_from_environment(environ: Mapping[str, str], base_url: str = DEFAULT_BASE_URL, link_base: str = "",
                             secret_lookup: Callable[[str], str | None] = keyring_secret) -> WechatGateway:
    """A gateway with the credentials of ``environ`` (the AppSecret from the keyring when not set there)."""
    appid = environ.get(ENV_APPID, "").strip()
    if not appid:
        raise WechatConfigError(f"没有公众号的 AppID：请设置环境变量 {ENV_APPID}")
    secret = environ.get(ENV_SECRET, "").strip() or (secret_lookup(appid) or "").strip()
    if not secret:
        raise WechatConfigError(f"没有公众号的 AppSecret：请设置环境变量 {ENV_SECRET}，或存入系统钥匙串"
                                f"（服务名 {KEYRING_SERVICE}，用户名为 AppID）")
    template = environ.get(ENV_TEMPLATE_NOTICE, "").strip()
    if not template:
        raise WechatConfigError(f"没有通知公告的模板 ID：请设置环境变量 {ENV_TEMPLATE_NOTICE}（公众号后台“模板消息”中的模板 ID）")
    base = base_url.strip().rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise WechatConfigError(f"微信接口地址“{base_url}”应以 https:// 开头")
    return WechatGateway(appid=appid, secret=secret, template_ids={"cadre.notice": template}, base_url=base,
                         link_base=(link_base or environ.get(ENV_LINK_BASE, "")).strip())


@dataclass
class WechatGateway:
    """WeChat's access-token and template-message endpoints (``base_url`` points tests at a local server)."""

    appid: str
    secret: str
    template_ids: Mapping[str, str]
    """Our template key → the template_id the official account gave it."""
    base_url: str = DEFAULT_BASE_URL
    link_base: str = ""
    """The portal's public address; a message's ``path`` is appended to it ('' sends no link)."""
    timeout: float = 10.0
    refresh_margin: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _token: str = field(default="", repr=False)
    _token_until: float = field(default=0.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    token_fetches: int = 0

    @classmethod
    def from_url(cls, url: str, template_ids: Mapping[str, str], link_base: str = "") -> WechatGateway:
        """``wechat://APPID:SECRET@api.weixin.qq.com`` (``wechat+http://`` for a plain-HTTP test server)."""
        import urllib.parse

        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("wechat", "wechat+http") or not parts.hostname or not parts.username:
            raise ValueError("微信接口地址应为 wechat://AppID:AppSecret@api.weixin.qq.com")
        scheme = "http" if parts.scheme == "wechat+http" else "https"
        port = f":{parts.port}" if parts.port else ""
        return cls(appid=urllib.parse.unquote(parts.username), secret=urllib.parse.unquote(parts.password or ""),
                   template_ids=template_ids, base_url=f"{scheme}://{parts.hostname}{port}", link_base=link_base)

    def _json(self, reply: requests.Response) -> dict[str, Any]:
        if reply.status_code >= 500 or reply.status_code in (408, 429):
            raise GatewayUnavailable(f"微信接口暂不可用（HTTP {reply.status_code}）")
        try:
            body = reply.json()
        except ValueError:
            raise GatewayUnavailable(f"微信接口的答复不是 JSON（HTTP {reply.status_code}）") from None
        if not isinstance(body, dict):
            raise GatewayUnavailable("微信接口的答复格式不对")
        return body

    @staticmethod
    def _error(body: Mapping[str, Any]) -> str:
        code = body.get("errcode")
        label = ERRORS.get(code, "") if isinstance(code, int) else ""
        return f"微信接口错误 {code}{'（' + label + '）' if label else ''}：{str(body.get('errmsg', ''))[:200]}"

    def access_token(self, force: bool = False) -> str:
        with self._lock:
            if not force and self._token and self.clock() < self._token_until:
                return self._token
            try:
                reply = requests.get(f"{self.base_url}/cgi-bin/token", timeout=self.timeout, params={
                    "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            except requests.RequestException as exc:
                raise GatewayUnavailable(f"微信接口无法连接：{type(exc).__name__}") from None
            body = self._json(reply)
            self.token_fetches += 1
            token, expires = body.get("access_token"), body.get("expires_in")
            if not isinstance(token, str) or not token or not isinstance(expires, int):
                # a wrong AppID / AppSecret or IP whitelist is the office's to fix: retried with backoff
                raise GatewayUnavailable(f"取 access_token 失败，{self._error(body)}")
            self._token = token
            self._token_until = self.clock() + max(0.0, expires - self.refresh_margin)
            return token

    def send(self, *, to: str, text: str, message_id: str, report_url: str) -> SendResult:
        request = json.loads(text)
        template = wechat_template(request["template_key"])
        template_id = self.template_ids.get(template.key)
        if not template_id:
            raise GatewayRejected(f"没有为微信模板“{template.key}”设置公众号的模板 ID")
        payload: dict[str, Any] = {"touser": to, "template_id": template_id,
                                   "data": template.render(request["params"])}
        path = request["params"].get("path")
        if self.link_base and isinstance(path, str) and path.startswith("/"):
            payload["url"] = self.link_base.rstrip("/") + path
        for attempt in (1, 2):
            token = self.access_token(force=attempt == 2)
            try:
                reply = requests.post(f"{self.base_url}/cgi-bin/message/template/send",
                                      params={"access_token": token}, timeout=self.timeout,
                                      data=json.dumps(payload, ensure_ascii=False).encode(),
                                      headers={"content-type": "application/json; charset=utf-8"})
            except requests.RequestException as exc:
                raise GatewayUnavailable(f"微信接口无法连接：{type(exc).__name__}") from None
            body = self._json(reply)
            code = body.get("errcode", 0)
            if code == 0:
                return SendResult(gateway_id=str(body.get("msgid", "")), detail="ok")
            if code in TOKEN_ERRORS and attempt == 1:
                continue  # the token expired or was replaced elsewhere: fetch a new one and send again once
            if code in BUSY_ERRORS or code in TOKEN_ERRORS:
                raise GatewayUnavailable(self._error(body))
            raise GatewayRejected(self._error(body))
        raise GatewayUnavailable("微信接口没有答复")  # pragma: no cover (the loop always returns or raises)


@dataclass
class WechatDispatcher(Dispatcher):
    """The outbox's dispatcher for ``channel = 'wechat'`` rows: same claiming, retries and states as SMS."""

    channel: str = WECHAT

    @staticmethod
    def _recipient(session: Session, msg: NtfMessage) -> str:
        openid = str(recipient_value(session, msg, "消息") or "").strip()
        if not openid:
            raise RecipientError("收件人没有绑定微信")
        if len(openid) > 64 or not set(openid) <= OPENID_CHARS:
            raise RecipientError("收件人的微信 openid 格式不对")
        return openid

    def _content(self, msg: NtfMessage) -> str:
        wechat_template(msg.template_key).check(msg.params or {})
        return json.dumps({"template_key": msg.template_key, "params": msg.params or {}}, ensure_ascii=False)

    def _parts(self, text: str) -> int:
        return 1
