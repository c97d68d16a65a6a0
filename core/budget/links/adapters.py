"""One adapter per bureau behind one interface, found by name in a registry.

An adapter knows how to ask a bureau what it offers since a cursor (:meth:`BureauAdapter.list_files`) and how
to fetch one offered file (:meth:`BureauAdapter.fetch`). The import, the checks and the cursor are the pull's
job (:mod:`core.budget.links.pull`), the same for every bureau. :class:`HttpPullAdapter` speaks the suite's
pull protocol (``docs/budget-links.md``); a bureau whose vendor speaks something else gets its own subclass
that overrides those two methods and is registered with :func:`register`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import requests

from core.budget.links.errors import LinkCancelled, LinkError
from core.budget.links.protocol import (
    MAX_MANIFEST_BYTES,
    Manifest,
    ManifestEntry,
    ManifestError,
    parse_manifest,
)
from core.budget.links.settings import LinkSettings, load_token

Progress = Callable[[int, int, str], None]
"""``progress(done, total, stage)``."""

MAX_FILE_BYTES = 200_000_000
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Network limits of a pull: seconds to connect, seconds between received bytes, largest file."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_file_bytes: int = MAX_FILE_BYTES


class BureauAdapter(ABC):
    """What the pull needs from a bureau, whatever its interface."""

    name: ClassVar[str]
    title: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]
    """Every kind of file this bureau sends. Those with an import format (keys of
    ``core.budget.importers.SPECS``) are imported; the others are kept as received and reported, and are
    imported as soon as the importer learns their format."""

    def __init__(self, settings: LinkSettings, limits: Limits | None = None) -> None:
        self.settings = settings
        self.limits = limits or Limits()

    @abstractmethod
    def list_files(self, since: str) -> Manifest:
        """The files offered after cursor ``since`` (empty: from the beginning), in import order."""

    @abstractmethod
    def fetch(self, entry: ManifestEntry, target: Path, cancel: threading.Event | None = None,
              progress: Progress | None = None) -> None:
        """Download ``entry`` into ``target``, checking its size limit and its SHA-256."""


ADAPTERS: dict[str, type[BureauAdapter]] = {}


def register(cls: type[BureauAdapter]) -> type[BureauAdapter]:
    """Class decorator: make an adapter available under its ``name``."""
    ADAPTERS[cls.name] = cls
    return cls


def adapter_for(settings: LinkSettings, limits: Limits | None = None) -> BureauAdapter:
    try:
        cls = ADAPTERS[settings.bureau]
    except KeyError:
        raise LinkError(f"没有名为“{settings.bureau}”的数据接口。可用的有：" + "、".join(ADAPTERS), "unknown") from None
    return cls(settings, limits)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HttpPullAdapter(BureauAdapter):
    """The suite's pull protocol over HTTPS, with a bearer token from the keyring or a client certificate.

    Plain HTTP is accepted only for this machine (127.0.0.1, for tests and a local relay). File addresses must
    be on the same server as the list, so a token is never sent elsewhere.
    """

    name = "http"
    title = "数据接口"
    kinds: ClassVar[tuple[str, ...]] = ()

    def _base(self) -> str:
        url = self.settings.url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise LinkError(f"{self.title}的接口地址“{url}”无效，应以 https:// 开头。请在“数据接口”设置中改正。", "settings")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise LinkError(f"{self.title}的接口地址必须使用 https://（加密传输），不能用 http://。请改正接口地址。", "settings")
        return url if url.endswith("/") else url + "/"

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        token = load_token(self.settings.bureau)
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        if self.settings.cert_file:
            session.cert = ((self.settings.cert_file, self.settings.key_file) if self.settings.key_file
                            else self.settings.cert_file)
        if self.settings.ca_file:
            session.verify = self.settings.ca_file
        return session

    def _get(self, url: str, what: str) -> requests.Response:
        timeout = (self.limits.connect_timeout, self.limits.read_timeout)
        try:
            response = self._session().get(url, timeout=timeout, stream=True, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise LinkError(f"{self.title}接口的证书校验失败，没有下载{what}（{_short(exc)}）。请确认接口地址正确，"
                            "并请管理员检查本机的根证书和客户端证书是否为该单位签发、是否过期。", "certificate") from exc
        except requests.exceptions.RequestException as exc:
            raise self._network_error(exc, what) from exc
        except OSError as exc:
            raise LinkError(f"{self.title}的证书文件无法使用（{_short(exc)}）。请管理员检查客户端证书、私钥和根证书文件。",
                            "certificate") from exc
        if response.status_code in (401, 403):
            response.close()
            raise LinkError(f"{self.title}接口拒绝了本机的身份（HTTP {response.status_code}），没有下载{what}。"
                            "请确认接口口令或客户端证书有效，必要时向该单位重新申请。", "auth")
        if response.status_code >= 500:
            response.close()
            raise LinkError(f"{self.title}的服务器出错（HTTP {response.status_code}），没有下载{what}。"
                            "这是对方服务器的问题，请稍后再试；如持续出现请联系该单位信息中心。", "server")
        if response.status_code != 200:
            response.close()
            raise LinkError(f"{self.title}接口没有提供{what}（HTTP {response.status_code}）。请核对接口地址是否正确。",
                            "http")
        return response

    def _timeout(self, what: str) -> LinkError:
        return LinkError(f"{self.title}接口在 {self.limits.read_timeout:g} 秒内没有应答，{what}没有下载完成，没有导入任何数据。"
                         "请稍后再试；如经常超时请联系该单位信息中心。", "timeout")

    def _network_error(self, exc: BaseException, what: str) -> LinkError:
        if isinstance(exc, requests.exceptions.Timeout) or "timed out" in str(exc).lower():
            return self._timeout(what)
        return LinkError(f"无法连接{self.title}接口（{self.settings.url}），没有下载{what}。可能是网络不通或对方服务器未开启："
                         "请检查本机网络，稍后再试；如持续失败请联系该单位信息中心。", "connection")

    def list_files(self, since: str) -> Manifest:
        base = self._base()
        url = urljoin(base, "files") + "?" + requests.compat.urlencode({"since": since})
        response = self._get(url, "文件清单")
        try:
            body = _read_limited(response, MAX_MANIFEST_BYTES, None, None, 0)
        except _TooLarge:
            raise ManifestError("清单过大") from None
        except requests.exceptions.RequestException as exc:
            raise self._network_error(exc, "文件清单") from exc
        finally:
            response.close()
        manifest = parse_manifest(body)
        if manifest.bureau and manifest.bureau != self.settings.bureau:
            raise ManifestError(f"清单来自“{manifest.bureau}”，不是本接口“{self.settings.bureau}”")
        return manifest

    def file_url(self, entry: ManifestEntry) -> str:
        base = self._base()
        url = urljoin(base, entry.url)
        if urlsplit(url)[:2] != urlsplit(base)[:2]:
            raise ManifestError(f"文件“{entry.name}”的地址不在本接口的服务器上")
        return url

    def fetch(self, entry: ManifestEntry, target: Path, cancel: threading.Event | None = None,
              progress: Progress | None = None) -> None:
        if entry.size > self.limits.max_file_bytes:
            raise LinkError(f"文件“{entry.name}”有 {_mb(entry.size)}，超过单个文件上限 {_mb(self.limits.max_file_bytes)}，"
                            "没有下载。请请对方按月份拆分后重新提供，或请管理员调高上限。", "oversize")
        response = self._get(self.file_url(entry), f"文件“{entry.name}”")
        try:
            body = _read_limited(response, min(entry.size, self.limits.max_file_bytes), cancel, progress, entry.size)
        except _TooLarge:
            raise LinkError(f"文件“{entry.name}”的实际大小超过清单所列的 {entry.size:,} 字节（或超过上限），已停止下载，"
                            "没有导入。请联系该单位核对。", "oversize") from None
        except requests.exceptions.RequestException as exc:
            raise self._network_error(exc, f"文件“{entry.name}”") from exc
        finally:
            response.close()
        digest = hashlib.sha256(body).hexdigest()
        if digest != entry.sha256 or len(body) != entry.size:
            raise LinkError(f"文件“{entry.name}”下载后的校验值与清单不符（可能在传输中损坏或被改动），没有导入。"
                            "请稍后重新拉取；如反复出现请联系该单位信息中心。", "checksum")
        target.write_bytes(body)


class _TooLarge(Exception):
    pass


def _read_limited(response: requests.Response, limit: int, cancel: threading.Event | None,
                  progress: Progress | None, total: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    for chunk in response.iter_content(CHUNK_BYTES):
        if cancel is not None and cancel.is_set():
            raise LinkCancelled("已取消下载，没有导入任何数据，接收位置没有前移。")
        got += len(chunk)
        if got > limit:
            raise _TooLarge
        chunks.append(chunk)
        if progress is not None:
            progress(got, total, "下载")
    return b"".join(chunks)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "…"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@register
class FinanceAdapter(HttpPullAdapter):
    name = "finance"
    title = "市财政局"
    kinds = ("codes", "code_map", "projects", "indicators", "indicator_changes", "plans", "applications", "payments",
             "final_accounts")


@register
class TaxAdapter(HttpPullAdapter):
    name = "tax"
    title = "市税务局"
    kinds = ("tax",)


@register
class SocialAdapter(HttpPullAdapter):
    name = "social"
    title = "市人力资源和社会保障局"
    kinds = ("social",)


@register
class AssetsAdapter(HttpPullAdapter):
    name = "assets"
    title = "市国资委"
    kinds = ("assets",)


@register
class AuditAdapter(HttpPullAdapter):
    name = "audit"
    title = "市审计局"
    kinds = ("audit",)
