"""Signed sync bundles: the messages of HTTP sync written to a file, for a USB stick between a laptop
(or an air-gapped network) and the central server.

Two kinds of bundle travel:

- ``client-push`` — made on a client: every unacknowledged outbox entry (with its ``local_seq``), the
  client's pull cursor, and the bytes of attachments it added. Imported on the server.
- ``server-reply`` — made on the server for one device: the answers to that device's mutations and all
  pull pages from the cursor the device last sent, as the device's user sees them (same scopes and
  masking as HTTP), with the from-cursor and to-cursor. Imported on the client.

File layout (all integers big-endian)::

    magic      10 bytes  89 52 53 59 4E 43 0D 0A 1A 0A   ("\\x89RSYNC\\r\\n\\x1a\\n")
    version     1 byte   1
    header_len  4 bytes  length of the header (at most 64 KiB)
    header      UTF-8 JSON: protocol, kind, device_id, user_id, bundle_no, created_at, signer, body_size
    body_len    8 bytes  length of the compressed body
    body        one zstd frame (with content size and checksum) holding the JSON body
    signature  64 bytes  Ed25519 over every byte before it (magic .. body)

Reading is strict and bounded: the header is parsed first (small, size-capped), the signature is checked
with the key the importing side already trusts (the enrolled device key on the server, the server key on
the client), and only then is the body decompressed — never beyond the size the signed header declares,
never beyond :data:`MAX_BODY_BYTES`. Anything wrong raises :class:`BundleError` with a message a clerk
can act on. An import runs in one database transaction on each side: it applies everything or nothing.
Importing the same bundle twice changes nothing (mutation ids are remembered on the server; a reply the
client already has is skipped).

See ``docs/bundles.md`` for the step-by-step procedure.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import zstandard
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.auth.principals import UnknownUser, principal_for_user
from core.auth.roles import P_SYNC, Principal
from core.ids import is_uuid
from core.models.identity import Device
from core.models.registry import Attachment
from core.models.syncstate import AppliedMutation, ClientState, OutboxEntry, SyncMeta
from core.sync.blobs import MAX_ATTACHMENT_BYTES, AttachmentRefused, BlobStore, check_attachment, sha256_hex
from core.sync.client import LocalStore, PushTally, SyncClient, settle_outbox, wipe_for_resync
from core.sync.keys import (
    SERVER_KEY_STATE,
    KeyFormatError,
    KeyStoreError,
    decode_public_key,
    fingerprint,
    load_device_key,
)
from core.sync.protocol import MAX_PULL_LIMIT, PROTOCOL_VERSION, Mutation, ProtocolError, parse_cursor
from core.sync.schema import SchemaError, SyncRegistry
from core.sync.server import SyncService
from core.sync.transport import SyncError

MAGIC = b"\x89RSYNC\r\n\x1a\n"
FORMAT_VERSION = 1
KIND_PUSH = "client-push"
KIND_REPLY = "server-reply"
KINDS = (KIND_PUSH, KIND_REPLY)
BUNDLE_SUFFIX = ".rsb"

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024 * 1024  # uncompressed JSON body
MAX_FILE_BYTES = MAX_BODY_BYTES + MAX_HEADER_BYTES + 1024
SIGNATURE_BYTES = 64
MAX_MUTATIONS = 2_000_000
PUSH_CHUNK = 500

_HEADER_KEYS = frozenset({"protocol", "kind", "device_id", "user_id", "bundle_no", "created_at", "signer",
                          "body_size"})
_STATUSES = frozenset({"applied", "merged", "conflict", "rejected"})
_BUNDLE_NO_STATE = "bundle_no"  # ClientState: number of the last bundle this client exported
_LAST_REPLY_STATE = "last_reply"  # ClientState: SHA-256 of the signature of the last reply applied
_ACK_PREFIX = "ack:"  # SyncMeta key on the server: mutation ids of a device's newest imported bundle

Progress = Callable[[str, int, int | None], None]


class BundleError(Exception):
    """A bundle that cannot be written or accepted. ``str(error)`` is a plain-language Chinese message.

    ``code`` classifies the refusal: ``format`` (not a bundle, damaged, truncated), ``size``,
    ``signature`` (tampered or signed by another key), ``device`` (unknown or wrong device),
    ``kind`` (a reply on the server or a push on a client), ``gap``, ``key``, ``content``.
    """

    def __init__(self, message: str, code: str = "format") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# ============================================================================================ format
@dataclass(frozen=True)
class BundleHeader:
    """The plaintext header; covered by the signature, readable without the key (for messages)."""

    kind: str
    device_id: str
    user_id: str
    bundle_no: int
    created_at: str
    signer: str
    body_size: int
    protocol: int = PROTOCOL_VERSION

    def to_json(self) -> dict[str, Any]:
        return {"protocol": self.protocol, "kind": self.kind, "device_id": self.device_id,
                "user_id": self.user_id, "bundle_no": self.bundle_no, "created_at": self.created_at,
                "signer": self.signer, "body_size": self.body_size}


@dataclass(frozen=True)
class RawBundle:
    """A bundle split into its parts, not yet verified."""

    header: BundleHeader
    signed: bytes
    body: bytes
    signature: bytes


_DAMAGED = "同步包文件已损坏或不完整（可能复制时中断）。请在原电脑上重新导出，再复制一次"


def _too_big(size: int, limit: int) -> BundleError:
    return BundleError(f"同步包过大（约 {size / 1048576:.0f} MB），超过上限 {limit / 1048576:.0f} MB，已拒绝", "size")


def encode_bundle(header: BundleHeader, body: dict[str, Any], key: SigningKey,
                  max_body_bytes: int = MAX_BODY_BYTES) -> bytes:
    """Serialise, compress and sign a bundle. ``header.body_size`` is filled in here."""
    raw_body = orjson.dumps(body)
    if len(raw_body) > max_body_bytes:
        raise _too_big(len(raw_body), max_body_bytes)
    compressed = zstandard.ZstdCompressor(level=6, write_checksum=True, write_content_size=True).compress(raw_body)
    header = BundleHeader(header.kind, header.device_id, header.user_id, header.bundle_no, header.created_at,
                          header.signer, len(raw_body), header.protocol)
    head = orjson.dumps(header.to_json(), option=orjson.OPT_SORT_KEYS)
    if len(head) > MAX_HEADER_BYTES:
        raise BundleError("同步包文件头过长", "size")
    signed = b"".join((MAGIC, bytes([FORMAT_VERSION]), struct.pack(">I", len(head)), head,
                       struct.pack(">Q", len(compressed)), compressed))
    return signed + key.sign(signed).signature


def _parse_header(raw: bytes) -> BundleHeader:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BundleError("同步包的文件头已损坏，无法读取。请在原电脑上重新导出") from None
    if not isinstance(obj, dict) or set(obj) != _HEADER_KEYS:
        raise BundleError("同步包的文件头内容不完整或有多余项，无法读取。请在原电脑上重新导出")
    protocol, kind, device_id, user_id = obj["protocol"], obj["kind"], obj["device_id"], obj["user_id"]
    bundle_no, created_at, signer, body_size = obj["bundle_no"], obj["created_at"], obj["signer"], obj["body_size"]
    if not _is_int(protocol) or protocol < 1:
        raise BundleError("同步包的文件头已损坏（协议版本）")
    if protocol > PROTOCOL_VERSION:
        raise BundleError(f"同步包使用的同步协议版本 {protocol} 比本软件新。请先升级本软件再导入")
    if kind not in KINDS:
        raise BundleError("同步包的种类无法识别（文件头已损坏）")
    if not isinstance(device_id, str) or not is_uuid(device_id):
        raise BundleError("同步包的文件头已损坏（设备号）")
    if not isinstance(user_id, str) or (user_id and not is_uuid(user_id)):
        raise BundleError("同步包的文件头已损坏（用户号）")
    if not _is_int(bundle_no) or not 0 <= bundle_no < 2**53:
        raise BundleError("同步包的文件头已损坏（包序号）")
    if not isinstance(created_at, str) or not _is_aware_time(created_at):
        raise BundleError("同步包的文件头已损坏（导出时间）")
    if not isinstance(signer, str) or len(signer) > 64:
        raise BundleError("同步包的文件头已损坏（签名者）")
    if not _is_int(body_size) or body_size < 0:
        raise BundleError("同步包的文件头已损坏（内容大小）")
    return BundleHeader(kind, device_id, user_id, bundle_no, created_at, signer, body_size, protocol)


def parse_bundle(data: bytes) -> RawBundle:
    """Split ``data`` into header, body and signature, checking the frame strictly (nothing verified yet)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BundleError("同步包内容必须是文件字节")
    data = bytes(data)
    if len(data) < len(MAGIC) or data[:len(MAGIC)] != MAGIC:
        raise BundleError("这不是人大业务套件的同步包文件（文件开头不对）。请确认选的是 .rsb 同步包")
    pos = len(MAGIC)
    if len(data) < pos + 5:
        raise BundleError(_DAMAGED)
    version = data[pos]
    if version != FORMAT_VERSION:
        if version > FORMAT_VERSION:
            raise BundleError(f"同步包的格式版本 {version} 比本软件新。请先升级本软件再导入")
        raise BundleError(_DAMAGED)
    (head_len,) = struct.unpack(">I", data[pos + 1:pos + 5])
    pos += 5
    if head_len > MAX_HEADER_BYTES:
        raise BundleError(_DAMAGED)
    if len(data) < pos + head_len + 8:
        raise BundleError(_DAMAGED)
    header = _parse_header(data[pos:pos + head_len])
    pos += head_len
    (body_len,) = struct.unpack(">Q", data[pos:pos + 8])
    pos += 8
    if body_len > MAX_FILE_BYTES:
        raise BundleError(_DAMAGED)
    end = pos + body_len
    if len(data) != end + SIGNATURE_BYTES:
        raise BundleError(_DAMAGED)
    return RawBundle(header, data[:end], data[pos:end], data[end:])


def verify_bundle(raw: RawBundle, key: VerifyKey) -> None:
    """Check the Ed25519 signature over header and body; raises :class:`BundleError` when it fails."""
    try:
        key.verify(raw.signed, raw.signature)
    except (CryptoError, ValueError, TypeError):
        raise BundleError("同步包签名校验失败：文件在复制中损坏、被改动过，或不是由登记的密钥签发的。"
                          "请在原电脑上重新导出", "signature") from None


def decode_body(raw: RawBundle, max_body_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """Decompress (bounded by the signed header's size) and parse the JSON body. Call after verifying."""
    size = raw.header.body_size
    if size > max_body_bytes:
        raise _too_big(size, max_body_bytes)
    try:
        declared = zstandard.frame_content_size(raw.body)
    except zstandard.ZstdError:
        raise BundleError(_DAMAGED) from None
    if declared != size:
        raise BundleError(_DAMAGED)
    out = bytearray()
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(raw.body, read_across_frames=False)
        with reader:
            while len(out) <= size:
                chunk = reader.read(min(1 << 20, size + 1 - len(out)))
                if not chunk:
                    break
                out += chunk
    except zstandard.ZstdError:
        raise BundleError(_DAMAGED) from None
    if len(out) != size:
        raise BundleError(_DAMAGED)
    try:
        body = orjson.loads(bytes(out))
    except orjson.JSONDecodeError:
        raise BundleError("同步包的内容无法解析（已损坏）。请在原电脑上重新导出") from None
    if not isinstance(body, dict):
        raise BundleError("同步包的内容格式不正确")
    return body


def read_bundle_file(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a bundle file, refusing a file that is missing, unreadable or absurdly large."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise BundleError(f"“{p}”不是文件。请选择同步包文件（.rsb）")
        if size > max_bytes:
            raise _too_big(size, max_bytes)
        with p.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise BundleError(f"找不到同步包文件“{p}”。请检查 U 盘是否插好、文件名是否正确") from None
    except PermissionError:
        raise BundleError(f"没有权限读取“{p}”") from None
    except OSError as exc:
        raise BundleError(f"读取同步包“{p}”失败：{exc.strerror or exc}") from None


def write_bundle_file(path: Path, data: bytes) -> None:
    """Write atomically: a half-written bundle never carries the final name (e.g. USB stick pulled)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".renda-", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _output_path(out_path: Path | str, kind: str, device_id: str, bundle_no: int) -> Path:
    p = Path(out_path)
    if p.is_dir():
        name = "push" if kind == KIND_PUSH else "reply"
        return p / f"renda-{name}-{device_id[:8]}-{bundle_no:05d}{BUNDLE_SUFFIX}"
    return p


# ============================================================================================ bodies
@dataclass(frozen=True)
class BlobItem:
    """An attachment's bytes carried in a bundle, named by SHA-256."""

    sha256: str
    filename: str
    data: bytes


@dataclass
class PushBody:
    """The parsed body of a client-push bundle."""

    mutations: list[Mutation]
    cursor: dict[str, Any]
    blobs: list[BlobItem]


@dataclass
class ReplyBody:
    """The parsed body of a server-reply bundle."""

    results: list[dict[str, Any]]
    from_cursor: dict[str, Any]
    to_cursor: dict[str, Any]
    resync: bool
    pages: list[dict[str, Any]]
    blobs: list[BlobItem]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_aware_time(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _keys(obj: Any, required: set[str], optional: frozenset[str] = frozenset(), where: str = "") -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise BundleError(f"同步包内容格式不正确（{where}应为对象）")
    missing = required - set(obj)
    unknown = set(obj) - required - optional
    if missing or unknown:
        raise BundleError(f"同步包内容格式不正确（{where}的字段不符）")
    return obj


def _list(obj: Any, where: str, limit: int = MAX_MUTATIONS) -> list[Any]:
    if not isinstance(obj, list):
        raise BundleError(f"同步包内容格式不正确（{where}应为列表）")
    if len(obj) > limit:
        raise BundleError(f"同步包中的{where}条目过多", "size")
    return obj


def _cursor(obj: Any, where: str) -> dict[str, Any]:
    try:
        return parse_cursor(obj)
    except ProtocolError as exc:
        raise BundleError(f"同步包中的{where}格式不正确：{exc}") from None


def _blobs(raw: Any, check_type: bool) -> list[BlobItem]:
    items: list[BlobItem] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(raw, "附件", 100_000)):
        obj = _keys(item, {"sha256", "filename", "data"}, where=f"第 {i + 1} 个附件")
        sha, filename, text = obj["sha256"], obj["filename"], obj["data"]
        if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise BundleError(f"同步包中第 {i + 1} 个附件的编号格式不正确")
        if not isinstance(filename, str) or len(filename) > 200 or not isinstance(text, str):
            raise BundleError(f"同步包中第 {i + 1} 个附件的格式不正确")
        if len(text) > (MAX_ATTACHMENT_BYTES * 4) // 3 + 8:
            raise BundleError(f"同步包中的附件“{filename}”超过大小上限", "size")
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise BundleError(f"同步包中的附件“{filename}”已损坏") from None
        if sha256_hex(data) != sha:
            raise BundleError(f"同步包中的附件“{filename}”已损坏：内容与编号（SHA-256）不符")
        if check_type:
            try:
                check_attachment(data, filename or "附件")
            except AttachmentRefused as exc:
                raise BundleError(f"同步包中的附件被拒绝：{exc}", "content") from None
        elif len(data) > MAX_ATTACHMENT_BYTES:
            raise BundleError(f"同步包中的附件“{filename}”超过大小上限", "size")
        if sha in seen:
            raise BundleError("同步包中有重复的附件")
        seen.add(sha)
        items.append(BlobItem(sha, filename, data))
    return items


def _blob_json(item: BlobItem) -> dict[str, Any]:
    return {"sha256": item.sha256, "filename": item.filename, "data": base64.b64encode(item.data).decode("ascii")}


def parse_push_body(body: dict[str, Any]) -> PushBody:
    """Strictly check a client-push body: mutations as HTTP push takes them, the cursor, the attachments."""
    obj = _keys(body, {"mutations", "cursor", "blobs"}, where="上传包")
    mutations: list[Mutation] = []
    ids: set[str] = set()
    last_seq = 0
    for i, raw in enumerate(_list(obj["mutations"], "修改")):
        try:
            m = Mutation.parse(raw)
        except ProtocolError as exc:
            raise BundleError(f"同步包中第 {i + 1} 条修改格式不正确：{exc}") from None
        if not isinstance(raw, dict) or "local_seq" not in raw or m.local_seq < 1:
            raise BundleError(f"同步包中第 {i + 1} 条修改缺少本机序号")
        if m.local_seq <= last_seq:
            raise BundleError("同步包中的修改顺序不正确（本机序号未递增）")
        if m.mutation_id in ids:
            raise BundleError("同步包中有重复的修改")
        ids.add(m.mutation_id)
        last_seq = m.local_seq
        mutations.append(m)
    cursor = _cursor(obj["cursor"], "游标")
    blobs = _blobs(obj["blobs"], check_type=True)
    named = {m.changes.get("sha256") for m in mutations if m.table == Attachment.__tablename__ and m.op == "insert"}
    for item in blobs:
        if item.sha256 not in named:
            raise BundleError(f"同步包中的附件“{item.filename}”没有对应的附件记录，已拒绝")
    return PushBody(mutations, cursor, blobs)


def _page(raw: Any, i: int, registry: SyncRegistry) -> dict[str, Any]:
    where = f"第 {i + 1} 页"
    if not isinstance(raw, dict):
        raise BundleError(f"同步包内容格式不正确（{where}应为对象）")
    # Fields a newer server may add (e.g. ``head``) are carried through to apply_page untouched.
    page = _keys(raw, {"resync", "purge", "tables", "exits", "cursor", "more"}, frozenset(raw), where=where)
    if page["resync"] is not False or not isinstance(page["more"], bool):
        raise BundleError(f"同步包内容格式不正确（{where}）")
    if "head" in page and (not _is_int(page["head"]) or page["head"] < 0):
        raise BundleError(f"同步包内容格式不正确（{where}的序号）")
    purge = _list(page["purge"], "清除范围")
    if not all(isinstance(p, str) for p in purge):
        raise BundleError(f"同步包内容格式不正确（{where}的清除范围）")
    tables = page["tables"]
    if not isinstance(tables, dict):
        raise BundleError(f"同步包内容格式不正确（{where}的数据表）")
    for name, block in tables.items():
        try:
            spec = registry.get(name)
        except SchemaError as exc:
            raise BundleError(f"同步包中有本软件不认识的数据：{exc}。请先升级本软件", "content") from None
        block = _keys(block, {"columns", "rows"}, where=f"{where}的表 {name}")
        columns = _list(block["columns"], "字段", 1000)
        if not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns):
            raise BundleError(f"同步包内容格式不正确（表 {name} 的字段）")
        missing = set(spec.columns) - set(columns)
        if missing:
            raise BundleError(f"同步包中的表 {name} 缺少字段 {', '.join(sorted(missing))}。请先升级本软件", "content")
        id_at, version_at = columns.index("id"), columns.index("version")
        for row in _list(block["rows"], "记录"):
            if not isinstance(row, list) or len(row) != len(columns):
                raise BundleError(f"同步包内容格式不正确（表 {name} 的记录）")
            if not isinstance(row[id_at], str) or not _is_int(row[version_at]):
                raise BundleError(f"同步包内容格式不正确（表 {name} 的记录编号）")
    for ex in _list(page["exits"], "移出记录"):
        if not (isinstance(ex, list) and len(ex) == 3 and all(isinstance(x, str) for x in ex)):
            raise BundleError(f"同步包内容格式不正确（{where}的移出记录）")
        try:
            registry.get(ex[1])
        except SchemaError as exc:
            raise BundleError(f"同步包中有本软件不认识的数据：{exc}。请先升级本软件", "content") from None
    return dict(page, cursor=_cursor(page["cursor"], f"{where}的游标"))


def parse_reply_body(body: dict[str, Any], registry: SyncRegistry) -> ReplyBody:
    """Strictly check a server-reply body: push results, cursors, pull pages, attachments."""
    obj = _keys(body, {"results", "from_cursor", "to_cursor", "resync", "pages", "blobs"}, where="回执包")
    results: list[dict[str, Any]] = []
    for i, r in enumerate(_list(obj["results"], "答复")):
        if not isinstance(r, dict):
            raise BundleError(f"同步包中第 {i + 1} 条答复格式不正确")
        mid, status, message = r.get("mutation_id"), r.get("status"), r.get("message", "")
        if (not isinstance(mid, str) or not is_uuid(mid) or not isinstance(status, str) or status not in _STATUSES
                or not isinstance(message, str)):
            raise BundleError(f"同步包中第 {i + 1} 条答复格式不正确")
        results.append(r)
    if not isinstance(obj["resync"], bool):
        raise BundleError("同步包内容格式不正确（重新同步标记）")
    pages = [_page(p, i, registry) for i, p in enumerate(_list(obj["pages"], "页"))]
    return ReplyBody(results, _cursor(obj["from_cursor"], "起始游标"), _cursor(obj["to_cursor"], "结束游标"),
                     obj["resync"], pages, _blobs(obj["blobs"], check_type=False))


def open_bundle(data: bytes, key: VerifyKey, kind: str, max_body_bytes: int = MAX_BODY_BYTES
                ) -> tuple[BundleHeader, dict[str, Any]]:
    """Parse, check the kind, verify the signature and decode the body of a bundle."""
    raw = parse_bundle(data)
    _expect_kind(raw.header, kind)
    verify_bundle(raw, key)
    return raw.header, decode_body(raw, max_body_bytes)


def _expect_kind(header: BundleHeader, kind: str) -> None:
    if header.kind == kind:
        return
    if kind == KIND_PUSH:
        raise BundleError("这是服务器发出的回执包，应拿回笔记本（客户端）上导入，不能在服务器上导入", "kind")
    raise BundleError("这是电脑导出的上传包，应拿到服务器上导入，不能在本机导入", "kind")


# ============================================================================================ transactions
@contextmanager
def _one_transaction(factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """A session factory whose sessions all join one outer transaction (each ``begin`` is a savepoint).

    Sessions keep the class of ``factory``, so its event hooks (server stamping, outbox capture) still run.
    The outer transaction commits when the block ends and rolls back on any error.
    """
    with factory() as probe:
        bind = probe.get_bind()
    if isinstance(bind, Connection):
        raise BundleError("内部错误：会话工厂不能绑定在连接上", "content")
    kw = {k: v for k, v in factory.kw.items() if k not in ("bind", "binds", "join_transaction_mode")}
    with bind.connect() as conn, conn.begin():
        yield sessionmaker(bind=conn, class_=factory.class_, join_transaction_mode="create_savepoint", **kw)


class _JoinedStore(LocalStore):
    """The same local store seen through one outer transaction; shares engine, registry and blobs."""

    def __init__(self, base: LocalStore, factory: sessionmaker[Session]) -> None:
        self.engine = base.engine
        self.registry = base.registry
        self.blobs = base.blobs
        self.factory = factory


# ============================================================================================ reports
@dataclass
class BundleInfo:
    """What an export wrote."""

    path: Path
    kind: str
    device_id: str
    bundle_no: int
    mutations: int = 0
    results: int = 0
    pages: int = 0
    rows: int = 0
    blobs: int = 0
    size: int = 0
    resync: bool = False

    def summary(self) -> str:
        if self.kind == KIND_PUSH:
            what = f"修改 {self.mutations} 条，附件 {self.blobs} 个"
        else:
            what = f"答复 {self.results} 条，数据 {self.rows} 条（{self.pages} 页），附件 {self.blobs} 个"
        return f"已写出同步包 {self.path.name}（第 {self.bundle_no} 号，{what}，{self.size / 1024:.0f} KB）"


@dataclass
class ImportReport:
    """What an import did. A replayed bundle reports ``changed == False``."""

    kind: str
    device_id: str
    bundle_no: int
    mutations: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    replayed: int = 0
    acknowledged: int = 0
    pages: int = 0
    rows: int = 0
    blobs: int = 0
    resync: bool = False
    already_applied: bool = False
    changed: bool = False
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.kind == KIND_PUSH:
            parts = [f"收到修改 {self.mutations} 条"]
            if self.replayed:
                parts.append(f"其中 {self.replayed} 条此前已导入")
            if self.conflicts:
                parts.append(f"冲突 {self.conflicts} 条待处理")
            if self.rejected:
                parts.append(f"被拒绝 {self.rejected} 条")
            parts.append(f"附件 {self.blobs} 个")
        else:
            parts = [f"确认上传 {self.acknowledged} 条", f"下载 {self.rows} 条"]
            if self.conflicts:
                parts.append(f"冲突 {self.conflicts} 条待处理")
            if self.rejected:
                parts.append(f"被拒绝 {self.rejected} 条")
            if self.resync:
                parts.append("已完整重新同步")
            if self.already_applied:
                parts.append("这个回执包此前已导入")
        if not self.changed:
            parts.append("没有新的变化")
        return "，".join(parts)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _wire(obj: Any) -> Any:
    return orjson.loads(orjson.dumps(obj))


# ============================================================================================ client side
def export_client_bundle(store: LocalStore, out_path: Path | str, *, user_id: str | None = None,
                         progress: Progress | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> BundleInfo:
    """Write every unacknowledged outbox entry, the pull cursor and new attachments to a signed bundle.

    ``out_path`` may be a folder (a file name is chosen). The outbox is read and the bundle number taken in
    one short local transaction; compressing and writing happen after it, so edits are never held up by a
    slow USB stick. The file is written atomically; a failed export at most skips a bundle number.
    """
    device_id = store.device_id()
    try:
        key = load_device_key(device_id)
    except KeyStoreError as exc:
        raise BundleError(str(exc), "key") from None
    if user_id is None:
        user_id = str(store.get_state("user_id") or "")
    with store.remote_session() as s, s.begin():
        entries = list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.local_seq)))
        cursor = dict(_state(s, "cursor") or {})
        bundle_no = int(_state(s, _BUNDLE_NO_STATE) or 0) + 1
        LocalStore.put_state(s, _BUNDLE_NO_STATE, bundle_no)
        mutations: list[dict[str, Any]] = [
            {"mutation_id": e.mutation_id, "table": e.table_name, "row_id": e.row_id, "op": e.op,
             "base_version": e.base_version, "base": e.base, "changes": e.changes, "local_seq": e.local_seq}
            for e in entries]
    files: dict[str, str] = {}
    for e in entries:
        sha = e.changes.get("sha256")
        if e.table_name == Attachment.__tablename__ and e.op == "insert" and isinstance(sha, str):
            files.setdefault(sha, str(e.changes.get("filename") or ""))
    blobs: list[BlobItem] = []
    for done, (sha, filename) in enumerate(files.items(), start=1):
        if not store.blobs.has(sha):
            continue  # as over HTTP: a file missing here cannot be sent; the row still syncs
        try:
            blobs.append(BlobItem(sha, filename, store.blobs.get(sha)))
        except AttachmentRefused as exc:
            raise BundleError(f"{exc}（{filename}）。请删除后重新添加该附件", "content") from None
        if progress:
            progress("export", done, len(files))
    body = {"mutations": mutations, "cursor": _wire(cursor), "blobs": [_blob_json(b) for b in blobs]}
    header = BundleHeader(KIND_PUSH, device_id, user_id, bundle_no, _now(), fingerprint(key), 0)
    data = encode_bundle(header, body, key, max_body_bytes)
    path = _output_path(out_path, KIND_PUSH, device_id, bundle_no)
    try:
        write_bundle_file(path, data)
    except OSError as exc:
        raise BundleError(f"无法写入“{path}”：{exc.strerror or exc}。请检查 U 盘是否插好、是否已满") from None
    return BundleInfo(path, KIND_PUSH, device_id, bundle_no, mutations=len(mutations), blobs=len(blobs),
                      size=len(data))


def _state(s: Session, key: str) -> Any:
    row = s.get(ClientState, key)
    return None if row is None else row.value


def _covers(current: dict[str, Any], target: dict[str, Any]) -> bool:
    """True when the client's cursor is at or past ``target`` in every scope (same masking)."""
    if current.get("mask", "") != target.get("mask", ""):
        return False
    have = current.get("scopes", {})
    return all(int(have.get(p, 0)) >= int(v) for p, v in target.get("scopes", {}).items())


def _gap(current: dict[str, Any], start: dict[str, Any], end: dict[str, Any]) -> bool:
    """True when the reply starts past where this client is in some scope it continues.

    Scopes the reply drops (a revoked right: purged, absent from ``end``) need no continuity.
    """
    kept = end.get("scopes", {})
    scopes = {p: int(v) for p, v in start.get("scopes", {}).items() if int(v) > 0 and p in kept}
    if not scopes:
        return False
    if current.get("mask", "") != start.get("mask", ""):
        return True
    have = current.get("scopes", {})
    return any(v > int(have.get(p, 0)) for p, v in scopes.items())


class OfflineTransport:
    """The transport of a client that only syncs through bundles: every network call is refused."""

    def _offline(self) -> SyncError:
        return SyncError("本机处于离线（U 盘同步）方式，不能连接服务器")

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        raise self._offline()

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        raise self._offline()

    def checksums(self) -> dict[str, dict[str, int]]:
        raise self._offline()

    def upload_blob(self, sha256: str, data: bytes, filename: str) -> None:
        raise self._offline()

    def fetch_blob(self, sha256: str) -> bytes:
        raise self._offline()


def import_server_reply(client: SyncClient | LocalStore, path: Path | str, *, server_public_key: str | None = None,
                        progress: Progress | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> ImportReport:
    """Verify and apply a server reply on this client, all in one local transaction.

    ``client`` is the sync client, or just the local store of a laptop that only syncs by bundle.
    Acknowledged outbox entries are removed (a rejected insert drops the local row, as HTTP push does),
    pull pages are applied with :meth:`SyncClient.apply_page` and the cursor advances. A reply that starts
    past this client's cursor is refused ("同步包不连续"); a reply already applied changes nothing.
    """
    if isinstance(client, LocalStore):
        client = SyncClient(client, OfflineTransport())
    store = client.store
    data = read_bundle_file(path)
    raw = parse_bundle(data)
    _expect_kind(raw.header, KIND_REPLY)
    device_id = store.device_id()
    if raw.header.device_id != device_id:
        raise BundleError(f"这个回执包是发给另一台电脑（设备号 {raw.header.device_id[:8]}…）的，"
                          f"本机设备号是 {device_id[:8]}…，不能在本机导入", "device")
    key_text = server_public_key or store.get_state(SERVER_KEY_STATE)
    if not key_text:
        raise BundleError("本机还不知道服务器的公钥，无法核验回执包。请向管理员索取服务器公钥，"
                          "运行 renda sync trust-server --public-key …（或导入时加 --server-key）", "key")
    try:
        key = decode_public_key(str(key_text))
    except KeyFormatError as exc:
        raise BundleError(str(exc), "key") from None
    if raw.header.signer != fingerprint(key):
        raise BundleError(f"回执包不是由本机信任的服务器签发的（签发者指纹 {raw.header.signer}，"
                          f"本机信任的是 {fingerprint(key)}）。请向管理员核实", "signature")
    verify_bundle(raw, key)
    reply = parse_reply_body(decode_body(raw, max_body_bytes), client.registry)
    report = ImportReport(KIND_REPLY, device_id, raw.header.bundle_no, resync=reply.resync)
    try:
        with _one_transaction(store.factory) as joined:
            view = _JoinedStore(store, joined)
            with view.remote_session() as s, s.begin():
                current = dict(_state(s, "cursor") or {})
                if _gap(current, reply.from_cursor, reply.to_cursor):
                    raise BundleError("同步包不连续：本机缺少更早的一个回执包。请先导入更早的回执包；或在本机重新导出"
                                      "同步包交给服务器导入，再把服务器新导出的回执包拿回来导入", "gap")
                # Already applied: this very file, or (short of a full resync, which must wipe first) a reply
                # whose end the cursor has reached, with no revoked scope still to purge.
                fingerprint_ = sha256_hex(raw.signature)
                purged = {p for page in reply.pages for p in page["purge"]}
                report.already_applied = _state(s, _LAST_REPLY_STATE) == fingerprint_ or (
                    bool(reply.pages) and not reply.resync and _covers(current, reply.to_cursor)
                    and not purged & set(current.get("scopes", {})))
                _apply_results(s, client.registry, reply.results, report)
                if not report.already_applied:
                    LocalStore.put_state(s, _LAST_REPLY_STATE, fingerprint_)
            if not report.already_applied:
                if reply.resync:
                    wipe_for_resync(view)
                view_client = SyncClient(view, client.transport, client.page_limit)
                for page in reply.pages:
                    report.rows += view_client.apply_page(page)
                    report.pages += 1
                    if progress:
                        progress("pull", report.rows, None)
                report.changed = report.changed or report.rows > 0 or bool(reply.pages)
            for item in reply.blobs:
                if not store.blobs.has(item.sha256):
                    store.blobs.put(item.data, item.sha256)
                    report.blobs += 1
    except BundleError:
        raise
    except (SQLAlchemyError, SchemaError, ProtocolError, AttachmentRefused, ValueError, TypeError, KeyError,
            IndexError, OSError) as exc:
        raise BundleError(f"回执包的内容无法应用到本机数据库（{exc}）。本机数据未作任何改动；"
                          "请联系管理员", "content") from None
    report.changed = report.changed or report.acknowledged > 0 or report.blobs > 0
    return report


def _apply_results(s: Session, registry: SyncRegistry, results: list[dict[str, Any]], report: ImportReport) -> None:
    by_id = {r["mutation_id"]: r for r in results}
    if not by_id:
        return
    entries = list(s.scalars(select(OutboxEntry).where(OutboxEntry.mutation_id.in_(list(by_id)))
                             .order_by(OutboxEntry.local_seq)))
    report.acknowledged += len(entries)
    settle_outbox(s, registry, entries, by_id).add_to(report)


# ============================================================================================ server side
def _device_principal(session: Session, device: Device) -> Principal:
    try:
        principal = principal_for_user(session, device.user_id, device_id=device.id)
    except UnknownUser:
        raise BundleError("这台电脑登记的用户已停用或不存在，不能同步。请联系管理员", "device") from None
    if not principal.can(P_SYNC):
        raise BundleError(f"用户“{principal.username}”没有同步权限。请联系管理员", "device")
    return principal


def _unknown_device(device_id: str) -> BundleError:
    return BundleError(f"这台电脑（设备号 {device_id}）还没有在服务器上登记。请管理员先用 renda sync enrol "
                       "登记它的公钥，再导入", "device")


def _ack_key(device_id: str) -> str:
    return f"{_ACK_PREFIX}{device_id}"


def import_client_bundle(service: SyncService, factory: sessionmaker[Session], path: Path | str, *,
                         blobs: BlobStore | None = None, progress: Progress | None = None,
                         max_body_bytes: int = MAX_BODY_BYTES) -> ImportReport:
    """Verify a client's bundle with its enrolled key and apply it on the server, in one transaction.

    Mutations go through :meth:`SyncService.push` as the device's user, so scopes, masking, merging and
    exactly-once all hold as over HTTP. A bundle whose first ``local_seq`` is past the device's
    ``last_outbox_seq + 1`` is refused ("缺少之前的同步包"). Attachment bytes are hash- and type-checked
    and stored in ``blobs``. The device's cursor is recorded from the newest bundle (by number).
    """
    data = read_bundle_file(path)
    raw = parse_bundle(data)
    _expect_kind(raw.header, KIND_PUSH)
    header = raw.header
    with factory() as s:
        device = s.get(Device, header.device_id)
        if device is None:
            raise _unknown_device(header.device_id)
        public_key, device_user = device.public_key, device.user_id
    try:
        key = decode_public_key(public_key)
    except KeyFormatError:
        raise BundleError("服务器上登记的设备公钥已损坏。请管理员重新登记这台电脑", "key") from None
    verify_bundle(raw, key)
    if header.user_id and header.user_id != device_user:
        raise BundleError("这个同步包属于另一位用户，与服务器上这台电脑的登记不符。请联系管理员", "device")
    push = parse_push_body(decode_body(raw, max_body_bytes))
    if push.blobs and blobs is None:
        raise BundleError("服务器未配置附件存储，无法接收同步包中的附件", "content")
    report = ImportReport(KIND_PUSH, header.device_id, header.bundle_no, mutations=len(push.mutations))
    try:
        with _one_transaction(factory) as joined:
            with joined() as s, s.begin():
                device = s.execute(select(Device).where(Device.id == header.device_id).with_for_update()).scalar_one()
                principal = _device_principal(s, device)
                if push.mutations and push.mutations[0].local_seq > device.last_outbox_seq + 1:
                    raise BundleError(
                        f"缺少之前的同步包：服务器只收到这台电脑的前 {device.last_outbox_seq} 条修改，"
                        f"而这个同步包从第 {push.mutations[0].local_seq} 条开始。请先导入更早的同步包；"
                        "如服务器数据曾从备份恢复，请联系管理员", "gap")
                newest = header.bundle_no >= device.last_bundle_no
                if newest:
                    if device.last_cursor != push.cursor:
                        device.last_cursor = push.cursor
                        report.changed = True
                    if device.last_bundle_no != header.bundle_no:
                        device.last_bundle_no = header.bundle_no
                        report.changed = True
                ids = [m.mutation_id for m in push.mutations]
                ack = s.get(SyncMeta, _ack_key(header.device_id))
                previous: list[str] = [str(i) for i in (ack.value or [])] if ack is not None else []
                # The newest bundle holds every entry the client has not seen answered; an older one adds to it.
                wanted = ids if newest else previous + [i for i in ids if i not in set(previous)]
                if ack is None:
                    s.add(SyncMeta(key=_ack_key(header.device_id), value=wanted))
                    report.changed = True
                elif wanted != previous:
                    ack.value = wanted
                    report.changed = True
            joined_service = SyncService(joined, service.registry, service.audit)
            done = 0
            for start in range(0, len(push.mutations), PUSH_CHUNK):
                chunk = push.mutations[start:start + PUSH_CHUNK]
                results = joined_service.push(principal, header.device_id, [m.to_json() for m in chunk])
                if {r.get("mutation_id") for r in results} != {m.mutation_id for m in chunk}:
                    raise BundleError("服务器处理修改时答复不完整，已全部撤销", "content")
                tally = PushTally()
                for r in results:
                    if r.get("replayed"):
                        report.replayed += 1
                        continue
                    report.changed = True
                    tally.count(r)
                tally.add_to(report)
                done += len(chunk)
                if progress:
                    progress("push", done, len(push.mutations))
            if blobs is not None:
                for item in push.blobs:
                    if not blobs.has(item.sha256):
                        blobs.put(item.data, item.sha256)
                        report.blobs += 1
                        report.changed = True
            if report.changed:
                with joined() as s, s.begin():
                    service.audit(s, principal, "sync.bundle_import", header.device_id,
                                  {"bundle_no": header.bundle_no, "mutations": len(push.mutations),
                                   "replayed": report.replayed, "blobs": report.blobs})
    except BundleError:
        raise
    except (SQLAlchemyError, SchemaError, ProtocolError, AttachmentRefused, ValueError, TypeError, KeyError,
            OSError) as exc:
        raise BundleError(f"同步包无法导入服务器数据库（{exc}）。服务器数据未作任何改动；请联系管理员",
                          "content") from None
    return report


def export_server_reply(service: SyncService, factory: sessionmaker[Session], device_id: str,
                        out_path: Path | str, *, signing_key: SigningKey, blobs: BlobStore | None = None,
                        include_blobs: bool = True, page_limit: int = MAX_PULL_LIMIT,
                        progress: Progress | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> BundleInfo:
    """Write the reply for one device: answers to its newest bundle's mutations and every pull page from
    the cursor it last sent, pulled as the device's user (same scopes and masking as HTTP).

    When ``blobs`` is given, the bytes of attachments named by rows in the pages are included, since an
    air-gapped client cannot fetch them later.
    """
    with factory() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise _unknown_device(device_id)
        principal = _device_principal(s, device)
        user_id, bundle_no = device.user_id, device.last_bundle_no
        try:
            start = parse_cursor(device.last_cursor or {})
        except ProtocolError:
            start = parse_cursor({})
        ack = s.get(SyncMeta, _ack_key(device_id))
        ids = [str(i) for i in (ack.value or [])] if ack is not None else []
        rows_by_id: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            for am in s.scalars(select(AppliedMutation).where(AppliedMutation.mutation_id.in_(ids[i:i + 500]),
                                                              AppliedMutation.device_id == device_id)):
                rows_by_id[am.mutation_id] = dict(am.result)
    results = [rows_by_id[i] for i in ids if i in rows_by_id]
    pages: list[dict[str, Any]] = []
    cursor, resync, rows = start, False, 0
    while True:
        page = _wire(service.pull(principal, cursor, page_limit))
        if page.get("resync"):
            if resync:
                raise BundleError("这台电脑需要完整重新同步，但服务器未能连续给出全部数据（删除标记清理后数据过多）。"
                                  "请联系管理员", "content")
            resync, pages, rows, cursor = True, [], 0, parse_cursor({})
            continue
        pages.append(page)
        rows += sum(len(b["rows"]) for b in page["tables"].values())
        cursor = page["cursor"]
        if progress:
            progress("pull", rows, None)
        if not page.get("more"):
            break
    start_cursor = parse_cursor({}) if resync else start
    if pages and pages[0]["cursor"].get("mask") != start_cursor["mask"]:
        start_cursor = {"v": PROTOCOL_VERSION, "mask": pages[0]["cursor"]["mask"], "scopes": {}}
    carried: dict[str, BlobItem] = {}
    if blobs is not None and include_blobs:
        table = Attachment.__tablename__
        for page in pages:
            block = page["tables"].get(table)
            if not block:
                continue
            cols = block["columns"]
            sha_at, name_at, del_at = cols.index("sha256"), cols.index("filename"), cols.index("deleted")
            for row in block["rows"]:
                sha = row[sha_at]
                if row[del_at] or sha in carried or not isinstance(sha, str) or not blobs.has(sha):
                    continue
                try:
                    carried[sha] = BlobItem(sha, str(row[name_at] or ""), blobs.get(sha))
                except AttachmentRefused:
                    continue  # a damaged server copy is not sent; the client can fetch it later
    body = {"results": results, "from_cursor": start_cursor, "to_cursor": _wire(parse_cursor(cursor)),
            "resync": resync, "pages": pages, "blobs": [_blob_json(b) for b in carried.values()]}
    header = BundleHeader(KIND_REPLY, device_id, user_id, bundle_no, _now(), fingerprint(signing_key), 0)
    data = encode_bundle(header, body, signing_key, max_body_bytes)
    path = _output_path(out_path, KIND_REPLY, device_id, bundle_no)
    try:
        write_bundle_file(path, data)
    except OSError as exc:
        raise BundleError(f"无法写入“{path}”：{exc.strerror or exc}。请检查 U 盘是否插好、是否已满") from None
    with factory() as s, s.begin():
        service.audit(s, principal, "sync.bundle_export", device_id,
                      {"bundle_no": bundle_no, "results": len(results), "rows": rows, "blobs": len(carried)})
    return BundleInfo(path, KIND_REPLY, device_id, bundle_no, results=len(results), pages=len(pages), rows=rows,
                      blobs=len(carried), size=len(data), resync=resync)


__all__ = [
    "BUNDLE_SUFFIX",
    "KIND_PUSH",
    "KIND_REPLY",
    "MAGIC",
    "MAX_BODY_BYTES",
    "BundleError",
    "BundleHeader",
    "BundleInfo",
    "ImportReport",
    "OfflineTransport",
    "decode_body",
    "encode_bundle",
    "export_client_bundle",
    "export_server_reply",
    "import_client_bundle",
    "import_server_reply",
    "open_bundle",
    "parse_bundle",
    "parse_push_body",
    "parse_reply_body",
    "read_bundle_file",
    "verify_bundle",
]
