"""Link to the personnel appointments system (人事任免): its file list, its errors and the adapters that speak it.

The appointments system (or a relay in front of it) answers ``GET <base>/files?since=<cursor>`` with JSON::

    {"protocol": "renda-appointments-pull/1",
     "source": "市委组织部人事任免系统",
     "files": [{"cursor": "2026-000124", "name": "即将离退休-2026-12.xlsx",
                "sha256": "<64 lower-case hex>", "size": 48213, "url": "files/2026-000124"}],
     "more": false}

and ``GET <url>`` with the file's bytes: an appointments file in the documented template
(:mod:`core.cadre.appointments`, ``.xlsx`` or ``.csv``). ``files`` come in the order they must be imported;
each ``cursor`` is an opaque text the system gives back the files after. The parser is strict: anything
wrong is refused with :class:`ManifestRefused` naming the field, because a wrong list must never move the
cursor (fields this version does not know are ignored, so the system may add some).

An adapter knows how to ask a system what it offers (:meth:`AppointmentsAdapter.list_files`) and how to fetch
one offered file with its checks (:meth:`AppointmentsAdapter.fetch`); the import and the cursor are the pull's
(:mod:`core.cadre.appointments_link_pull`), the same for every vendor. :class:`HttpPullAdapter` speaks the
protocol above; a vendor with another interface gets a subclass registered with :func:`register`.

Self-contained on purpose (features do not import each other): the budget links follow the same ideas.
No Qt; ``requests`` only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode, urljoin, urlsplit

import requests

PROTOCOL = "renda-appointments-pull/1"
MAX_MANIFEST_BYTES = 1_000_000
MAX_FILES = 500
"""Files in one answer; more are asked for with ``more: true``."""
MAX_FILE_BYTES = 20_000_000
"""An appointments file lists people about to retire: a few hundred rows, far below this."""
CHUNK_BYTES = 64 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CURSOR = re.compile(r"[A-Za-z0-9._:+\-]{1,64}")
_NAME = re.compile(r"[A-Za-z0-9_\u4e00-\u9fff（）()][A-Za-z0-9_\u4e00-\u9fff.\-（）()〔〕]{0,119}")


# ------------------------------------------------------------------------------------------ errors
class AppointmentsLinkError(Exception):
    """A pull that failed; ``str(error)`` is the clerk's Chinese message, ``reason`` a stable key.

    Nothing has been imported and the cursor has not moved when one is raised (a refused file: nothing of
    that file nor of the files after it)."""

    reason: str = "error"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason

    def __str__(self) -> str:
        return self.message


class ManifestRefused(AppointmentsLinkError):
    """The file list is malformed; ``detail`` names the field."""

    reason = "manifest"

    def __init__(self, detail: str) -> None:
        super().__init__(f"人事任免系统返回的文件清单格式不正确（{detail}），本次没有导入任何文件，接收位置也没有前移。"
                         "请把这条信息转告人事任免系统的维护单位。")
        self.detail = detail


class FileRefused(AppointmentsLinkError):
    """A file whose rows the importer refused; ``problems`` are the importer's, each with row and column."""

    reason = "rows"

    def __init__(self, message: str, name: str, problems: list[str]) -> None:
        super().__init__(message)
        self.name = name
        self.problems = problems


# ------------------------------------------------------------------------------------------ the file list
@dataclass(frozen=True)
class ManifestEntry:
    """One file the appointments system offers."""

    cursor: str
    name: str
    sha256: str
    size: int
    url: str


@dataclass(frozen=True)
class Manifest:
    files: tuple[ManifestEntry, ...]
    more: bool = False
    source: str = ""


def _field(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise ManifestRefused(f"{where}缺少“{key}”")
    value = raw[key]
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ManifestRefused(f"{where}的“{key}”应为整数")
    elif not isinstance(value, kind):
        raise ManifestRefused(f"{where}的“{key}”应为文字")
    return value


def _entry(raw: Any, index: int) -> ManifestEntry:
    where = f"第 {index + 1} 个文件"
    if not isinstance(raw, dict):
        raise ManifestRefused(f"{where}不是对象")
    cursor = _field(raw, "cursor", str, where)
    if not _CURSOR.fullmatch(cursor):
        raise ManifestRefused(f"{where}的“cursor”应为 1 至 64 个字母、数字或 ._:+- 符号")
    name = _field(raw, "name", str, where)
    if not _NAME.fullmatch(name) or ".." in name:
        raise ManifestRefused(f"{where}的文件名“{name[:40]}”不是单纯的文件名")
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ManifestRefused(f"{where}的文件“{name}”不是 CSV 或 Excel（.xlsx）文件")
    sha256 = _field(raw, "sha256", str, where)
    if not _SHA256.fullmatch(sha256):
        raise ManifestRefused(f"{where}的“sha256”不是 64 位小写十六进制校验值")
    size = _field(raw, "size", int, where)
    if size <= 0:
        raise ManifestRefused(f"{where}的“size”应大于 0")
    url = _field(raw, "url", str, where)
    if not url or len(url) > 2000 or any(c.isspace() or ord(c) < 32 for c in url):
        raise ManifestRefused(f"{where}的“url”无效")
    return ManifestEntry(cursor, name, sha256, size, url)


def parse_manifest(body: bytes | str) -> Manifest:
    """Parse and check a file list; raises only :class:`ManifestRefused`, whose detail names the field."""
    if isinstance(body, bytes):
        if len(body) > MAX_MANIFEST_BYTES:
            raise ManifestRefused(f"清单超过 {MAX_MANIFEST_BYTES // 1000} KB")
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ManifestRefused("不是 UTF-8 文本") from None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ManifestRefused("不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise ManifestRefused("最外层不是对象")
    if data.get("protocol") != PROTOCOL:
        raise ManifestRefused(f"“protocol”应为“{PROTOCOL}”")
    source = data.get("source", "")
    if not isinstance(source, str) or len(source) > 60:
        raise ManifestRefused("“source”应为不超过 60 个字的文字")
    files = data.get("files")
    if not isinstance(files, list):
        raise ManifestRefused("缺少文件列表“files”")
    if len(files) > MAX_FILES:
        raise ManifestRefused(f"一次列出的文件超过 {MAX_FILES} 个")
    more = data.get("more", False)
    if not isinstance(more, bool):
        raise ManifestRefused("“more”应为 true 或 false")
    entries = tuple(_entry(raw, i) for i, raw in enumerate(files))
    cursors = [e.cursor for e in entries]
    if len(set(cursors)) != len(cursors):
        raise ManifestRefused("同一个“cursor”出现了两次")
    if more and not entries:
        raise ManifestRefused("“more”为 true，却没有列出文件")
    return Manifest(entries, more, source)


def manifest_json(entries: list[ManifestEntry], more: bool = False, source: str = "") -> str:
    """The JSON the appointments system serves for ``entries`` (for test servers and the documentation)."""
    return json.dumps({"protocol": PROTOCOL, "source": source, "more": more,
                       "files": [e.__dict__ for e in entries]}, ensure_ascii=False)


# ------------------------------------------------------------------------------------------ adapters
@dataclass(frozen=True)
class Limits:
    """Network limits of a pull: seconds to connect, seconds without data, largest file."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_file_bytes: int = MAX_FILE_BYTES


@dataclass(frozen=True)
class LinkConfig:
    """Where the appointments system is and how to identify to it (the token is never stored)."""

    url: str
    token: str | None = None


class AppointmentsAdapter(ABC):
    """What the pull needs from an appointments system, whatever its interface."""

    name: ClassVar[str]
    title: ClassVar[str] = "人事任免系统"

    def __init__(self, config: LinkConfig, limits: Limits | None = None) -> None:
        self.config = config
        self.limits = limits or Limits()

    @abstractmethod
    def list_files(self, since: str) -> Manifest:
        """The files offered after cursor ``since`` (empty: from the beginning), in import order."""

    @abstractmethod
    def fetch(self, entry: ManifestEntry, cancel: threading.Event | None = None) -> bytes:
        """The bytes of ``entry``, checked against its size, the size limit and its SHA-256."""


ADAPTERS: dict[str, type[AppointmentsAdapter]] = {}


def register(cls: type[AppointmentsAdapter]) -> type[AppointmentsAdapter]:
    """Class decorator: make an adapter available under its ``name``."""
    ADAPTERS[cls.name] = cls
    return cls


def adapter_for(name: str, config: LinkConfig, limits: Limits | None = None) -> AppointmentsAdapter:
    try:
        cls = ADAPTERS[name]
    except KeyError:
        raise AppointmentsLinkError(f"没有名为“{name}”的人事任免接口。可用的有：{'、'.join(sorted(ADAPTERS))}",
                                    "settings") from None
    return cls(config, limits)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _TooLarge(Exception):
    pass


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@register
class HttpPullAdapter(AppointmentsAdapter):
    """The pull protocol over HTTPS with an optional bearer token.

    Plain HTTP is accepted only for this machine (127.0.0.1, for tests and a local relay). File addresses must
    be on the same server as the list, so the token is never sent elsewhere; redirects are not followed.
    """

    name = "http"

    def base(self) -> str:
        url = self.config.url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise AppointmentsLinkError(f"{self.title}的接口地址“{url}”无效，应以 https:// 开头。请核对 --url。",
                                        "settings")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise AppointmentsLinkError(f"{self.title}的接口地址必须使用 https://（加密传输），不能用 http://。请核对 --url。",
                                        "settings")
        return url if url.endswith("/") else url + "/"

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        if self.config.token:
            session.headers["Authorization"] = f"Bearer {self.config.token}"
        return session

    def _timeout(self, what: str) -> AppointmentsLinkError:
        return AppointmentsLinkError(
            f"{self.title}在 {self.limits.read_timeout:g} 秒内没有应答，{what}没有下载完成，没有导入任何人员，接收位置没有前移。"
            "请稍后再试；如经常超时请联系人事任免系统的维护单位。", "timeout")

    def _network(self, exc: BaseException, what: str) -> AppointmentsLinkError:
        if isinstance(exc, requests.exceptions.Timeout) or "timed out" in str(exc).lower():
            return self._timeout(what)
        if isinstance(exc, requests.exceptions.SSLError):
            return AppointmentsLinkError(
                f"{self.title}接口的证书校验失败，没有下载{what}，没有导入任何人员。请确认接口地址正确，"
                "并请管理员检查本机是否信任该系统的证书。", "certificate")
        return AppointmentsLinkError(
            f"无法连接{self.title}（{self.config.url}），没有下载{what}，没有导入任何人员，接收位置没有前移。"
            "可能是网络不通或对方服务器未开启：请检查本机网络，稍后再试。", "connection")

    def _get(self, url: str, what: str) -> requests.Response:
        try:
            response = self._session().get(url, timeout=(self.limits.connect_timeout, self.limits.read_timeout),
                                           stream=True, allow_redirects=False)
        except requests.exceptions.RequestException as exc:
            raise self._network(exc, what) from exc
        status = response.status_code
        if status == 200:
            return response
        response.close()
        if status in (401, 403):
            raise AppointmentsLinkError(f"{self.title}拒绝了本机的身份（HTTP {status}），没有下载{what}。"
                                        "请确认接口口令（--token-env 所指的环境变量）有效。", "auth")
        if status >= 500:
            raise AppointmentsLinkError(f"{self.title}的服务器出错（HTTP {status}），没有下载{what}。"
                                        "这是对方服务器的问题，请稍后再试。", "server")
        raise AppointmentsLinkError(f"{self.title}没有提供{what}（HTTP {status}）。请核对接口地址是否正确。", "http")

    def _read(self, response: requests.Response, limit: int, what: str,
              cancel: threading.Event | None = None) -> bytes:
        chunks: list[bytes] = []
        got = 0
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                if cancel is not None and cancel.is_set():
                    raise AppointmentsLinkError("已取消，没有导入任何人员，接收位置没有前移。", "cancelled")
                got += len(chunk)
                if got > limit:
                    raise _TooLarge
                chunks.append(chunk)
        except requests.exceptions.RequestException as exc:
            raise self._network(exc, what) from exc
        finally:
            response.close()
        return b"".join(chunks)

    def list_files(self, since: str) -> Manifest:
        url = urljoin(self.base(), "files") + "?" + urlencode({"since": since})
        response = self._get(url, "文件清单")
        try:
            body = self._read(response, MAX_MANIFEST_BYTES, "文件清单")
        except _TooLarge:
            raise ManifestRefused(f"清单超过 {MAX_MANIFEST_BYTES // 1000} KB") from None
        return parse_manifest(body)

    def file_url(self, entry: ManifestEntry) -> str:
        base = self.base()
        url = urljoin(base, entry.url)
        if urlsplit(url)[:2] != urlsplit(base)[:2]:
            raise ManifestRefused(f"文件“{entry.name}”的地址不在本接口的服务器上")
        return url

    def fetch(self, entry: ManifestEntry, cancel: threading.Event | None = None) -> bytes:
        limit = self.limits.max_file_bytes
        if entry.size > limit:
            raise AppointmentsLinkError(
                f"文件“{entry.name}”有 {_mb(entry.size)}，超过单个文件上限 {_mb(limit)}，没有下载，没有导入任何人员。"
                "人事任免文件通常很小，请与人事任免系统的维护单位核对。", "oversize")
        response = self._get(self.file_url(entry), f"文件“{entry.name}”")
        try:
            body = self._read(response, entry.size, f"文件“{entry.name}”", cancel)
        except _TooLarge:
            raise AppointmentsLinkError(
                f"文件“{entry.name}”的实际大小超过清单所列的 {entry.size:,} 字节，已停止下载，没有导入任何人员。"
                "请与人事任免系统的维护单位核对。", "oversize") from None
        if len(body) != entry.size or hashlib.sha256(body).hexdigest() != entry.sha256:
            raise AppointmentsLinkError(
                f"文件“{entry.name}”下载后的校验值与清单不符（可能在传输中损坏或被改动），没有导入任何人员，接收位置没有前移。"
                "请稍后重新拉取；如反复出现请联系人事任免系统的维护单位。", "checksum")
        return body
