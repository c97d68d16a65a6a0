"""A local stand-in for WeChat's official-account API (WeChat cannot be reached from the test machines).

It implements, as documented by WeChat, ``GET /cgi-bin/token`` (grant_type=client_credential, appid, secret →
``{"access_token", "expires_in"}`` or ``{"errcode": 40013|40125, "errmsg"}``) and
``POST /cgi-bin/message/template/send?access_token=`` (JSON touser, template_id, url, data →
``{"errcode": 0, "errmsg": "ok", "msgid"}``; 40001 for an unknown token, 42001 for an expired one,
43004 for an openid that does not follow the account, 40003 for an unknown openid, 40037 for an unknown
template_id, 47003 for malformed data). A test queues further answers (``busy`` → -1, ``expire`` → 42001,
``http500``) to exercise the error paths, and reads back every request it received.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

APPID, SECRET = "wx1234567890abcdef", "s3cr3t-app-secret"


@dataclass
class WechatStub:
    followers: set[str] = field(default_factory=set)
    """openids that follow the account; a known openid not in here answers 43004."""
    unfollowed: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=lambda: {"TPL-NOTICE"})
    expires_in: int = 7200
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    """Answers to give to the next send requests, in order: busy, expire, invalid, http500."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def answer(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                if url.path != "/cgi-bin/token":
                    self.answer({"errcode": 40066, "errmsg": "invalid url"}, 404)
                    return
                with stub.lock:
                    stub.token_requests += 1
                    if q.get("grant_type") != "client_credential":
                        self.answer({"errcode": 40002, "errmsg": "invalid grant_type"})
                    elif q.get("appid") != APPID:
                        self.answer({"errcode": 40013, "errmsg": "invalid appid"})
                    elif q.get("secret") != SECRET:
                        self.answer({"errcode": 40125, "errmsg": "invalid appsecret"})
                    else:
                        token = secrets.token_urlsafe(48)
                        stub.tokens = {token}  # a new token replaces the old one, as WeChat does
                        self.answer({"access_token": token, "expires_in": stub.expires_in})

            def do_POST(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                if url.path != "/cgi-bin/message/template/send":
                    self.answer({"errcode": 40066, "errmsg": "invalid url"}, 404)
                    return
                with stub.lock:
                    step = stub.script.pop(0) if stub.script else ""
                    if step == "http500":
                        self.answer({}, 500)
                        return
                    if step == "busy":
                        self.answer({"errcode": -1, "errmsg": "system error"})
                        return
                    if step == "expire":
                        stub.tokens.clear()
                        self.answer({"errcode": 42001, "errmsg": "access_token expired"})
                        return
                    if q.get("access_token") not in stub.tokens:
                        self.answer({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
                        return
                    try:
                        body = json.loads(raw.decode("utf-8"))
                        data = body["data"]
                        ok = isinstance(data, dict) and all(isinstance(v, dict) and isinstance(v.get("value"), str)
                                                            for v in data.values())
                    except (ValueError, KeyError, TypeError):
                        self.answer({"errcode": 47001, "errmsg": "data format error"})
                        return
                    if not ok:
                        self.answer({"errcode": 47003, "errmsg": "argument invalid! data.value invalid"})
                    elif body.get("template_id") not in stub.templates:
                        self.answer({"errcode": 40037, "errmsg": "invalid template_id"})
                    elif body.get("touser") in stub.unfollowed:
                        self.answer({"errcode": 43004, "errmsg": "require subscribe"})
                    elif body.get("touser") not in stub.followers:
                        self.answer({"errcode": 40003, "errmsg": "invalid openid"})
                    else:
                        stub.sent.append(body)
                        self.answer({"errcode": 0, "errmsg": "ok", "msgid": 200228332 + len(stub.sent)})

        return Handler


@contextmanager
def wechat_stub(**kw: Any) -> Iterator[WechatStub]:
    stub = WechatStub(**kw)
    server = ThreadingHTTPServer(("127.0.0.1", 0), stub.handler())
    thread = threading.Thread(target=server.serve_forever, name="wechat-stub", daemon=True)
    thread.start()
    stub.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
