"""The portal's defences: per-address rate limits, signed tokens (CSRF and the tracking pass), the
request size limit, security headers, and no traceback ever reaching a visitor."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class RateLimiter:
    """Token buckets per (kind, address), in this process's memory: each kind has a burst (capacity) and
    a refill rate. Several portal processes each keep their own buckets (the limit is then per process)."""

    MAX_KEYS = 100_000

    def __init__(self, limits: dict[str, tuple[float, float]], enabled: bool = True) -> None:
        self.limits = limits  # kind -> (capacity, seconds per token)
        self.enabled = enabled
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, kind: str, address: str, now: float | None = None) -> bool:
        if not self.enabled:
            return True
        capacity, per_token = self.limits[kind]
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._buckets) > self.MAX_KEYS:  # bounded memory: full buckets are forgotten first
                self._prune(now)
            tokens, last = self._buckets.get((kind, address), (capacity, now))
            tokens = min(capacity, tokens + (now - last) / per_token)
            if tokens < 1:
                self._buckets[(kind, address)] = (tokens, now)
                return False
            self._buckets[(kind, address)] = (tokens - 1, now)
            return True

    def _prune(self, now: float) -> None:
        for key, (tokens, last) in list(self._buckets.items()):
            capacity, per_token = self.limits[key[0]]
            if tokens + (now - last) / per_token >= capacity:
                del self._buckets[key]
        if len(self._buckets) > self.MAX_KEYS:
            self._buckets.clear()


class Signer:
    """HMAC-SHA256 tokens ``payload.timestamp.mac`` (payload: base64url), checked with a maximum age."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._key = hashlib.sha256(key + b"|" + purpose.encode()).digest()

    def _mac(self, body: str) -> str:
        return base64.urlsafe_b64encode(hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:24]).decode()

    def sign(self, payload: str, now: float | None = None) -> str:
        p = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        body = f"{p}.{int(now if now is not None else time.time())}"
        return f"{body}.{self._mac(body)}"

    def unsign(self, token: str | None, max_age: float, now: float | None = None) -> str | None:
        if not token or len(token) > 400 or token.count(".") != 2:
            return None
        p, ts, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(f"{p}.{ts}")):
            return None
        try:
            age = (now if now is not None else time.time()) - int(ts)
            payload = base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        return payload if 0 <= age <= max_age else None


def new_csrf_token(signer: Signer) -> str:
    return signer.sign(secrets.token_urlsafe(16))


def csrf_ok(signer: Signer, cookie: str | None, field: str | None, max_age: float = 4 * 3600) -> bool:
    """Double submit with a signed value: the form's field equals the cookie, and the cookie is ours."""
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        return False
    return signer.unsign(cookie, max_age) is not None


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class TooLarge(Exception):
    pass


class GuardMiddleware:
    """Outermost layer: security headers on every answer, the request size limit (413), and any error
    turned into a Chinese page (503) instead of a 500 and a traceback."""

    def __init__(self, app: ASGIApp, *, max_bytes: int,
                 error_page: Callable[[int], tuple[int, bytes]]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = dict(message, headers=[*message.get("headers", []),
                                                 *[(k, v) for k, v in SECURITY_HEADERS if k not in names]])
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        received = 0
        finished = False

        async def counted_receive() -> Message:
            nonlocal received, finished
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                finished = not message.get("more_body", False)
                if received > self.max_bytes:
                    raise TooLarge
            elif message["type"] == "http.disconnect":
                finished = True
            return message

        try:
            if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
                raise TooLarge
            await self.app(scope, counted_receive, send_with_headers)
        except TooLarge:
            if not started:
                # Read (and drop) the rest of a moderately large body first: a browser still sending
                # would otherwise see a reset connection instead of the page that says what was wrong.
                if length is None or (length.isdigit() and int(length) <= 4 * self.max_bytes):
                    while not finished and received <= 4 * self.max_bytes:
                        message = await receive()
                        received += len(message.get("body", b""))
                        finished = message["type"] != "http.request" or not message.get("more_body", False)
                await self._page(send_with_headers, 413)
        except Exception:
            import logging

            logging.getLogger(__name__).exception("门户处理请求出错：%s %s", scope.get("method"), scope.get("path"))
            if not started:
                await self._page(send_with_headers, 503)

    async def _page(self, send: Send, status: int) -> None:
        code, body = self.error_page(status)
        await send({"type": "http.response.start", "status": code,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"no-store"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
