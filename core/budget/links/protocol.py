"""The pull protocol's file list (manifest): what a bureau offers since a cursor.

A bureau answers ``GET <base>/files?since=<cursor>`` with JSON::

    {"protocol": "renda-budget-pull/1",
     "bureau": "finance",
     "files": [{"cursor": "000124", "kind": "payments", "year": 2024, "period": "2024-03",
                "name": "payments-2024-03.csv", "sha256": "<64 hex>", "size": 48213,
                "url": "files/payments-2024-03.csv"}],
     "more": false}

``files`` come in the order they must be imported; each ``cursor`` is an opaque text the bureau gives back
the files after. The parser is strict: anything unexpected is refused with a message naming the field,
because a wrong list must never advance the cursor.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from core.budget.links.errors import LinkError

PROTOCOL = "renda-budget-pull/1"
MAX_MANIFEST_BYTES = 1_000_000
MAX_FILES = 1000
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SAFE_NAME = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff.\-（）()]{0,119}")
_CURSOR = re.compile(r"[\w.:\-+]{1,64}")


@dataclass(frozen=True)
class ManifestEntry:
    """One file a bureau offers."""

    cursor: str
    kind: str
    year: int
    period: str
    name: str
    sha256: str
    size: int
    url: str


@dataclass(frozen=True)
class Manifest:
    bureau: str
    files: tuple[ManifestEntry, ...]
    more: bool = False


class ManifestError(LinkError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"对方返回的文件清单格式不正确（{detail}），本次没有导入任何文件，接收位置也没有前移。"
                         "请把这条信息转告对方单位的信息中心。", "manifest")


def _field(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise ManifestError(f"{where}缺少“{key}”")
    value = raw[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ManifestError(f"{where}的“{key}”应为整数")
    if kind is not int and not isinstance(value, kind):
        raise ManifestError(f"{where}的“{key}”类型不对")
    return value


def _entry(raw: Any, index: int) -> ManifestEntry:
    where = f"第 {index + 1} 个文件"
    if not isinstance(raw, dict):
        raise ManifestError(f"{where}不是对象")
    cursor = _field(raw, "cursor", str, where)
    if not _CURSOR.fullmatch(cursor):
        raise ManifestError(f"{where}的“cursor”含有不允许的字符")
    kind = _field(raw, "kind", str, where)
    if not re.fullmatch(r"[a-z_]{1,40}", kind):
        raise ManifestError(f"{where}的“kind”无效")
    year = _field(raw, "year", int, where)
    if not 2000 <= year <= 2100:
        raise ManifestError(f"{where}的年度 {year} 不在 2000–2100 之间")
    period = _field(raw, "period", str, where)
    if len(period) > 20:
        raise ManifestError(f"{where}的“period”过长")
    name = _field(raw, "name", str, where)
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise ManifestError(f"{where}的文件名“{name[:40]}”不合规")
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ManifestError(f"{where}的文件“{name}”不是 CSV 或 Excel（.xlsx）文件")
    sha256 = _field(raw, "sha256", str, where).lower()
    if not _SHA256.fullmatch(sha256):
        raise ManifestError(f"{where}的“sha256”不是 64 位十六进制校验值")
    size = _field(raw, "size", int, where)
    if size < 0:
        raise ManifestError(f"{where}的“size”为负数")
    url = _field(raw, "url", str, where)
    if not url or len(url) > 2000 or any(c.isspace() for c in url):
        raise ManifestError(f"{where}的“url”无效")
    return ManifestEntry(cursor, kind, year, period, name, sha256, size, url)


def parse_manifest(body: bytes | str) -> Manifest:
    """Parse and check a manifest; raises :class:`ManifestError` (a :class:`LinkError`) with the reason."""
    if isinstance(body, bytes):
        if len(body) > MAX_MANIFEST_BYTES:
            raise ManifestError(f"清单超过 {MAX_MANIFEST_BYTES // 1000} KB")
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ManifestError("不是 UTF-8 文本") from None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ManifestError("不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise ManifestError("最外层不是对象")
    if data.get("protocol") != PROTOCOL:
        raise ManifestError(f"协议版本应为“{PROTOCOL}”")
    bureau = data.get("bureau", "")
    if not isinstance(bureau, str):
        raise ManifestError("“bureau”类型不对")
    files = data.get("files")
    if not isinstance(files, list):
        raise ManifestError("缺少文件列表“files”")
    if len(files) > MAX_FILES:
        raise ManifestError(f"一次列出的文件超过 {MAX_FILES} 个")
    more = data.get("more", False)
    if not isinstance(more, bool):
        raise ManifestError("“more”应为 true 或 false")
    entries = tuple(_entry(raw, i) for i, raw in enumerate(files))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise ManifestError("同一文件名出现了两次")
    return Manifest(bureau, entries, more)


def manifest_json(bureau: str, entries: list[ManifestEntry], more: bool = False) -> str:
    """The JSON a bureau would serve for ``entries`` (for test servers and the protocol document)."""
    return json.dumps({"protocol": PROTOCOL, "bureau": bureau, "more": more,
                       "files": [e.__dict__ for e in entries]}, ensure_ascii=False)
