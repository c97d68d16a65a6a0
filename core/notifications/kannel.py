"""The Kannel driver: smsbox's ``sendsms`` HTTP interface, with delivery reports back to the server.

Each send is ``GET /cgi-bin/sendsms?username&password&from&to&text&charset=UTF-8&coding=2&dlr-mask&dlr-url``.
``coding=2`` sends UCS-2 (Chinese); Kannel splits a long text into concatenated parts of 67 characters.
Kannel fetches ``dlr-url`` with ``%d`` replaced by the report type (1 delivered, 2 failed, 4 buffered,
8 accepted by the SMSC, 16 rejected by the SMSC).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import requests

from core.notifications.gateway import GatewayRejected, GatewayUnavailable, SendResult
from core.notifications.sms import is_gsm7

DLR_DELIVERED, DLR_FAILED, DLR_BUFFERED, DLR_SUBMITTED, DLR_REJECTED = 1, 2, 4, 8, 16
DLR_MASK = DLR_DELIVERED | DLR_FAILED | DLR_SUBMITTED | DLR_REJECTED


@dataclass
class KannelGateway:
    """``url``: smsbox's sendsms address, e.g. ``http://127.0.0.1:13013/cgi-bin/sendsms``."""

    url: str
    username: str
    password: str
    sender: str = ""
    timeout: float = 10.0
    smsc: str = ""

    @classmethod
    def from_url(cls, url: str, sender: str = "") -> KannelGateway:
        """``kannel://user:password@host:port[/path]?from=10690`` (path defaults to /cgi-bin/sendsms)."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("kannel", "kannels") or not parts.hostname:
            raise ValueError("短信网关地址应为 kannel://用户名:密码@主机:端口?from=发送号码")
        query = urllib.parse.parse_qs(parts.query)
        scheme = "https" if parts.scheme == "kannels" else "http"
        port = f":{parts.port}" if parts.port else ""
        path = parts.path or "/cgi-bin/sendsms"
        return cls(url=f"{scheme}://{parts.hostname}{port}{path}",
                   username=urllib.parse.unquote(parts.username or ""),
                   password=urllib.parse.unquote(parts.password or ""),
                   sender=sender or query.get("from", [""])[0], smsc=query.get("smsc", [""])[0])

    def send(self, *, to: str, text: str, message_id: str, report_url: str) -> SendResult:
        params = {"username": self.username, "password": self.password, "to": to, "text": text,
                  "charset": "UTF-8", "coding": "0" if is_gsm7(text) else "2"}
        if self.sender:
            params["from"] = self.sender
        if self.smsc:
            params["smsc"] = self.smsc
        if report_url:
            params["dlr-mask"] = str(DLR_MASK)
            params["dlr-url"] = report_url
        try:
            reply = requests.get(self.url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise GatewayUnavailable(f"短信网关无法连接：{type(exc).__name__}") from None
        body = reply.text.strip()[:300]
        if reply.status_code in (200, 202) and body[:1] in ("0", "3"):
            return SendResult(gateway_id=message_id, detail=body)  # Kannel gives no id: ours is in dlr-url
        if reply.status_code >= 500 or reply.status_code in (408, 429):
            raise GatewayUnavailable(f"短信网关暂不可用（{reply.status_code}）：{body}")
        raise GatewayRejected(f"短信网关拒绝发送（{reply.status_code}）：{body}")
