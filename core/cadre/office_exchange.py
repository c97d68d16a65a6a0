"""Document exchange with the office system (办公系统公文交换): one document per package, in and out.

A package is a ZIP file or a folder holding ``manifest.json`` and the document's files side by side::

    manifest.json
    正文.pdf
    附件1-名单.xlsx

``manifest.json`` (format ``renda-office-exchange``, version 1; ``docs/cadre.md`` has the table)::

    {"format": "renda-office-exchange", "version": 1,
     "document_no": "沪人大办〔2026〕12号", "title": "关于做好离退休干部冬季走访慰问工作的通知",
     "issuer": "上海市人大常委会办公厅", "date": "2026-12-01", "secrecy": "内部", "channel": "邮寄",
     "recipients": [{"person_id": "0193a…"}, {"category": "LX"}, {"all": true}],
     "attachments": [{"name": "正文.pdf", "sha256": "<64 hex>", "size": 48213}],
     "deliveries": [{"person_id": "0193a…", "sent_on": "2026-12-02", "channel": "专人送达", "received_on": null}]}

Import (:func:`import_package`) reads and checks the whole package before it writes anything — the manifest
field by field, the secrecy level (公开 or 内部 only: a classified document never enters this system), every
file's name (a plain name: no folder, no ``..``), size, SHA-256 and type, nothing missing or unlisted, every
recipient known — and refuses with :class:`ExchangeRefused` naming the field or entry. Then, in the caller's
transaction, it gives each recipient one ``cad_dispatch`` row (文件送阅) owning the document's files in the
attachment store. It is idempotent: a recipient's row id is derived from the 文号, the document's content
digest and the person, so the same package again (or the same document with more recipients) adds only what
is new; a person who already has a live record of the same 文号 and title sent the same day is not given a
second.

Export (:func:`export_packages`) writes one package per document produced here since a day: each published
notice (通知 / 文件 / 活动 / 讣告; its text as ``正文.txt``) and each document sent to retirees with its delivery
records (the ``cad_dispatch`` rows of one 文号 and title, with their files).

No Qt. Errors are :class:`ExchangeRefused` with a Chinese message; nothing is written when one is raised.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cadre.models import DISPATCH_CHANNELS, CadCategory, CadDispatch, CadPerson, CadPersonCategory
from core.cadre.notice_models import CadNotice
from core.cadre.scopes import RECORD_SCOPE
from core.models.registry import Attachment
from core.sync.blobs import MAX_ATTACHMENT_BYTES, AttachmentRefused, BlobStore, check_attachment, sha256_hex

FORMAT = "renda-office-exchange"
VERSION = 1
MANIFEST = "manifest.json"
SECRECY_LEVELS = ("公开", "内部")
CLASSIFIED = ("秘密", "机密", "绝密")
"""The three levels of state secrets under 《中华人民共和国保守国家秘密法》: never handled by this system, which is
not a classified information system (涉密信息系统)."""
PRODUCER = "上海市人大常委会办公厅老干部处"
MAX_MANIFEST_BYTES = 1_000_000
MAX_PACKAGE_BYTES = 300_000_000
MAX_ATTACHMENTS = 50
MAX_RECIPIENTS = 10_000
NAMESPACE = uuid.UUID("8f0b8c4e-2d4a-4a55-9a53-0c6f4b1e7a21")
"""Row ids of imported deliveries: uuid5(namespace, "文号\\ndigest\\nperson") — the same package twice adds nothing."""
SHANGHAI = timedelta(hours=8)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PERSON_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CATEGORY = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,16}")
_BAD_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")
_IGNORED_IN_FOLDER = {"thumbs.db", "desktop.ini"}


class ExchangeRefused(ValueError):
    """A package refused, or an export that cannot be made; ``field`` names the field or entry (or is empty).
    Nothing was written."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _refuse(what: str, field: str = "") -> ExchangeRefused:
    return ExchangeRefused(f"公文交换包{what}，整个交换包没有导入，未做任何改动。", field)


# ------------------------------------------------------------------------------------------ the manifest
@dataclass(frozen=True)
class FileEntry:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Recipient:
    person_id: str = ""
    category: str = ""
    everyone: bool = False


@dataclass(frozen=True)
class Delivery:
    person_id: str
    sent_on: date
    channel: str
    received_on: date | None


@dataclass(frozen=True)
class DocumentManifest:
    document_no: str
    title: str
    issuer: str
    date: date
    secrecy: str
    channel: str
    recipients: tuple[Recipient, ...]
    attachments: tuple[FileEntry, ...]
    deliveries: tuple[Delivery, ...] = ()

    @property
    def digest(self) -> str:
        """SHA-256 of the document itself (number, title, issuer, date, secrecy, files), not of its recipients:
        the same document sent to more people later is the same document."""
        core = {"document_no": self.document_no, "title": self.title, "issuer": self.issuer,
                "date": self.date.isoformat(), "secrecy": self.secrecy,
                "attachments": sorted([a.name, a.sha256] for a in self.attachments)}
        return sha256_hex(json.dumps(core, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def plain_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain file name (a folder, ``..``, an absolute or drive path, control characters)."""
    if not name or name.strip() != name:
        return "文件名为空或首尾有空格"
    if len(name) > 120:
        return "文件名超过 120 个字"
    if name in (".", "..") or ".." in name or _BAD_NAME.search(name) or name.startswith("."):
        return "不是单纯的文件名（不能含有文件夹、“..”或 / \\ : * ? \" < > | 等符号）"
    return None


class _Reader:
    """Field readers that refuse with the field named."""

    def __init__(self, data: dict[str, Any], where: str = "") -> None:
        self.data, self.where = data, where

    def label(self, key: str) -> str:
        return f"{self.where}“{key}”" if self.where else f"“{key}”"

    def fail(self, key: str, what: str) -> ExchangeRefused:
        return _refuse(f"的 manifest.json 中，{self.label(key)}{what}", f"{self.where}{key}")

    def text(self, key: str, limit: int, *, required: bool = True, empty: bool = False) -> str:
        if key not in self.data:
            if required:
                raise self.fail(key, "缺少")
            return ""
        value = self.data[key]
        if not isinstance(value, str):
            raise self.fail(key, "应为文字")
        value = value.strip()
        if not value and not empty:
            raise self.fail(key, "不能为空")
        if len(value) > limit:
            raise self.fail(key, f"超过 {limit} 个字")
        if any(ord(c) < 32 for c in value):
            raise self.fail(key, "含有控制字符")
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            raise self.fail(key, "应为日期，写成 2026-12-01")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"的日期“{value}”不存在") from None
        if not date(1949, 10, 1) <= day <= date(2100, 12, 31):
            raise self.fail(key, f"的日期“{value}”不合理")
        return day

    def items(self, key: str, limit: int, *, required: bool = True) -> list[Any]:
        value = self.data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "应为列表")
        if len(value) > limit:
            raise self.fail(key, f"超过 {limit} 项")
        return value


def _secrecy(top: _Reader) -> str:
    if "secrecy" not in top.data:
        raise top.fail("secrecy", "（密级）缺少；请写明“公开”或“内部”")
    value = top.data["secrecy"]
    text = value.strip() if isinstance(value, str) else ""
    if text in SECRECY_LEVELS:
        return text
    if any(level in text for level in CLASSIFIED) or "密" in text:
        raise ExchangeRefused(
            f"公文交换包的密级为“{text[:20]}”：涉及国家秘密的公文不能通过本系统交换（本系统不是涉密信息系统），"
            "请按保密规定经机要渠道传递。整个交换包没有导入，未做任何改动。", "secrecy")
    raise top.fail("secrecy", f"（密级）“{str(value)[:20]}”无效，只能是“公开”或“内部”")


def _recipient(raw: Any, number: int) -> Recipient:
    where = f"recipients 第 {number} 项的"
    if not isinstance(raw, dict):
        raise _refuse(f"的 manifest.json 中，recipients 第 {number} 项应为对象", f"recipients[{number}]")
    reader = _Reader(raw, where)
    kinds = [k for k in ("person_id", "category", "all") if k in raw]
    if len(kinds) != 1:
        raise _refuse(f"的 manifest.json 中，recipients 第 {number} 项应只写 person_id、category 或 all 之一",
                      f"recipients[{number}]")
    if kinds[0] == "person_id":
        person = reader.text("person_id", 36)
        if not _PERSON_ID.fullmatch(person):
            raise reader.fail("person_id", "不是本系统的人员编号")
        return Recipient(person_id=person)
    if kinds[0] == "category":
        code = reader.text("category", 16)
        if not _CATEGORY.fullmatch(code):
            raise reader.fail("category", "不是人员类别编码")
        return Recipient(category=code)
    if raw["all"] is not True:
        raise reader.fail("all", "只能是 true（全体离退休人员）")
    return Recipient(everyone=True)


def _attachment(raw: Any, number: int) -> FileEntry:
    where = f"attachments 第 {number} 项的"
    if not isinstance(raw, dict):
        raise _refuse(f"的 manifest.json 中，attachments 第 {number} 项应为对象", f"attachments[{number}]")
    reader = _Reader(raw, where)
    name = raw.get("name")
    if not isinstance(name, str):
        raise reader.fail("name", "（文件名）缺少或不是文字")
    problem = plain_name_problem(name)
    if problem:
        raise reader.fail("name", f"“{name[:60]}”{problem}")
    if name.lower() == MANIFEST:
        raise reader.fail("name", "不能是 manifest.json")
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        raise reader.fail("sha256", "应为 64 位小写十六进制校验值")
    size = raw.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise reader.fail("size", "应为大于 0 的整数（字节数）")
    if size > MAX_ATTACHMENT_BYTES:
        raise reader.fail("size", f"为 {size / 1048576:.1f} MB，超过单个文件上限 {MAX_ATTACHMENT_BYTES // 1048576} MB")
    return FileEntry(name, sha, size)


def _delivery(raw: Any, number: int) -> Delivery:
    where = f"deliveries 第 {number} 项的"
    if not isinstance(raw, dict):
        raise _refuse(f"的 manifest.json 中，deliveries 第 {number} 项应为对象", f"deliveries[{number}]")
    reader = _Reader(raw, where)
    person = reader.text("person_id", 36)
    if not _PERSON_ID.fullmatch(person):
        raise reader.fail("person_id", "不是本系统的人员编号")
    sent = reader.day("sent_on")
    assert sent is not None
    channel = reader.text("channel", 8)
    if channel not in DISPATCH_CHANNELS:
        raise reader.fail("channel", f"“{channel}”不在 {'、'.join(DISPATCH_CHANNELS)} 之中")
    received = reader.day("received_on", required=False)
    if received is not None and received < sent:
        raise reader.fail("received_on", "早于送出日期")
    return Delivery(person, sent, channel, received)


def parse_manifest(body: bytes) -> DocumentManifest:
    """Parse and check ``manifest.json``; raises only :class:`ExchangeRefused`, naming the field or entry."""
    if len(body) > MAX_MANIFEST_BYTES:
        raise _refuse(f"的 manifest.json 超过 {MAX_MANIFEST_BYTES // 1000} KB")
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refuse("的 manifest.json 不是 UTF-8 文本") from None
    except (ValueError, RecursionError):
        raise _refuse("的 manifest.json 不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise _refuse("的 manifest.json 最外层应为对象")
    if data.get("format") != FORMAT:
        raise _refuse(f"的 manifest.json 中，“format”应为“{FORMAT}”（不是本系统的公文交换包）", "format")
    version = data.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise _refuse(f"的 manifest.json 中，“version”应为 {VERSION}（本系统只认识第 {VERSION} 版）", "version")
    top = _Reader(data)
    secrecy = _secrecy(top)
    number = top.text("document_no", 60, empty=True)
    title = top.text("title", 120)
    issuer = top.text("issuer", 100)
    day = top.day("date")
    assert day is not None
    channel = top.text("channel", 8, required=False) or DISPATCH_CHANNELS[0]
    if channel not in DISPATCH_CHANNELS:
        raise top.fail("channel", f"“{channel}”不在 {'、'.join(DISPATCH_CHANNELS)} 之中")
    recipients = tuple(_recipient(r, n) for n, r in enumerate(top.items("recipients", MAX_RECIPIENTS), 1))
    if not recipients:
        raise top.fail("recipients", "（送阅对象）为空")
    attachments = tuple(_attachment(a, n) for n, a in enumerate(top.items("attachments", MAX_ATTACHMENTS), 1))
    names: set[str] = set()
    for n, entry in enumerate(attachments, 1):
        if entry.name.lower() in names:
            raise _refuse(f"的 manifest.json 中，attachments 第 {n} 项的文件名“{entry.name}”重复", f"attachments[{n}]")
        names.add(entry.name.lower())
    deliveries = tuple(_delivery(d, n) for n, d in
                       enumerate(top.items("deliveries", MAX_RECIPIENTS, required=False), 1))
    listed = {r.person_id for r in recipients if r.person_id}
    delivered: set[str] = set()
    for n, item in enumerate(deliveries, 1):
        if item.person_id not in listed:
            raise _refuse(f"的 manifest.json 中，deliveries 第 {n} 项的人员不在 recipients 中", f"deliveries[{n}]")
        if item.person_id in delivered:
            raise _refuse(f"的 manifest.json 中，deliveries 第 {n} 项的人员重复", f"deliveries[{n}]")
        delivered.add(item.person_id)
    return DocumentManifest(number, title, issuer, day, secrecy, channel, recipients, attachments, deliveries)


# ------------------------------------------------------------------------------------------ reading a package
@dataclass(frozen=True)
class Package:
    manifest: DocumentManifest
    files: dict[str, bytes]
    """Attachment name → its checked bytes."""
    mimes: dict[str, str]


def _check_file(entry: FileEntry, data: bytes) -> str:
    if len(data) != entry.size or sha256_hex(data) != entry.sha256:
        raise _refuse(f"中的“{entry.name}”与清单不符（大小或 SHA-256 不同，文件可能被截断或改动）", entry.name)
    try:
        return check_attachment(data, entry.name)
    except AttachmentRefused as exc:
        raise _refuse(f"中的“{entry.name}”不能保存：{exc}", entry.name) from None


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; Chinese names written without the UTF-8 flag (many Windows tools) are GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_zip(path: Path) -> tuple[bytes, dict[str, tuple[int, Any]], zipfile.ZipFile]:
    archive = zipfile.ZipFile(path)
    members: dict[str, tuple[int, Any]] = {}
    for info in archive.infolist():
        name = _member_name(info)
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or re.match(r"^[A-Za-z]:", name):
            archive.close()
            raise _refuse(f"中有越出交换包的路径“{name[:80]}”（可能是恶意构造的压缩包）", name)
        if info.is_dir():
            continue
        if name in members:
            archive.close()
            raise _refuse(f"中有重名的文件“{name[:80]}”", name)
        members[name] = (info.file_size, info)
    if MANIFEST not in members:
        archive.close()
        raise _refuse("中没有 manifest.json")
    size, info = members.pop(MANIFEST)
    if size > MAX_MANIFEST_BYTES:
        archive.close()
        raise _refuse(f"的 manifest.json 超过 {MAX_MANIFEST_BYTES // 1000} KB")
    return archive.read(info), members, archive


def read_package(path: Path) -> Package:
    """The package checked as a whole (nothing is written); raises :class:`ExchangeRefused`."""
    if path.is_dir():
        return _read_folder(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ExchangeRefused(f"找不到公文交换包“{path}”，未做任何改动。") from None
    if size > MAX_PACKAGE_BYTES:
        raise _refuse(f"“{path.name}”有 {size / 1e6:.0f} MB，超过上限 {MAX_PACKAGE_BYTES // 1_000_000} MB")
    try:
        body, members, archive = _read_zip(path)
    except zipfile.BadZipFile:
        raise _refuse(f"“{path.name}”不是 ZIP 文件，也不是文件夹") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(f"“{path.name}”已损坏，无法读取（{exc}）") from None
    with archive:
        manifest = parse_manifest(body)
        listed = {a.name: a for a in manifest.attachments}
        for name in members:
            if name not in listed:
                raise _refuse(f"中的“{name[:80]}”不在 manifest.json 的 attachments 中", name)
        files: dict[str, bytes] = {}
        mimes: dict[str, str] = {}
        for entry in manifest.attachments:
            if entry.name not in members:
                raise _refuse(f"缺少 manifest.json 中列出的文件“{entry.name}”", entry.name)
            declared, info = members[entry.name]
            if declared != entry.size:
                raise _refuse(f"中的“{entry.name}”大小与清单不符（{declared} 字节，清单为 {entry.size} 字节）", entry.name)
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise _refuse(f"中的“{entry.name}”已损坏，无法读取（{exc}）", entry.name) from None
            mimes[entry.name] = _check_file(entry, data)
            files[entry.name] = data
    return Package(manifest, files, mimes)


def _read_folder(folder: Path) -> Package:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file() or manifest_path.is_symlink():
        raise _refuse(f"文件夹“{folder.name}”中没有 manifest.json")
    if manifest_path.stat().st_size > MAX_MANIFEST_BYTES:
        raise _refuse(f"的 manifest.json 超过 {MAX_MANIFEST_BYTES // 1000} KB")
    manifest = parse_manifest(manifest_path.read_bytes())
    listed = {a.name for a in manifest.attachments}
    for item in folder.iterdir():
        if item.name == MANIFEST or item.name.startswith(".") or item.name.lower() in _IGNORED_IN_FOLDER:
            continue
        if item.name not in listed:
            raise _refuse(f"文件夹中的“{item.name}”不在 manifest.json 的 attachments 中", item.name)
    files: dict[str, bytes] = {}
    mimes: dict[str, str] = {}
    for entry in manifest.attachments:
        target = folder / entry.name
        if target.is_symlink() or not target.is_file():
            raise _refuse(f"缺少 manifest.json 中列出的文件“{entry.name}”", entry.name)
        if target.stat().st_size != entry.size:
            raise _refuse(f"中的“{entry.name}”大小与清单不符", entry.name)
        data = target.read_bytes()
        mimes[entry.name] = _check_file(entry, data)
        files[entry.name] = data
    return Package(manifest, files, mimes)


# ------------------------------------------------------------------------------------------ import
@dataclass
class ImportResult:
    document_no: str
    title: str
    added: int = 0
    known: int = 0
    files: int = 0
    people: list[str] = field(default_factory=list)

    def summary(self) -> str:
        label = f"“{self.title}”" + (f"（{self.document_no}）" if self.document_no else "")
        if not self.added:
            return f"公文{label}此前已导入，本次没有新的送阅对象，没有改动。"
        text = f"已导入公文{label}：登记送阅 {self.added} 人，每人附文件 {self.files} 个"
        if self.known:
            text += f"；{self.known} 人此前已登记，未重复"
        return text + "。"


def _recipients(session: Session, manifest: DocumentManifest) -> list[CadPerson]:
    """The people the document goes to, each once, in the order named; refuses an unknown person, and a
    deceased one unless the package records the delivery to them (a delivery record of the past)."""
    delivered = {d.person_id for d in manifest.deliveries}
    chosen: dict[str, CadPerson] = {}
    for number, r in enumerate(manifest.recipients, 1):
        where = f"recipients 第 {number} 项"
        if r.person_id:
            person = session.get(CadPerson, r.person_id)
            if person is None or person.deleted:
                raise _refuse(f"的 {where}：本系统没有编号为 {r.person_id} 的人员", f"recipients[{number}]")
            if not person.alive and person.id not in delivered:
                raise _refuse(f"的 {where}：{person.name}已去世，不能送阅", f"recipients[{number}]")
            chosen.setdefault(person.id, person)
            continue
        query = select(CadPerson).where(CadPerson.deleted.is_(False), CadPerson.alive.is_(True),
                                        CadPerson.stage == "retired")
        if r.category:
            known = session.scalar(select(CadCategory.id).where(CadCategory.code == r.category,
                                                                CadCategory.deleted.is_(False)))
            if known is None:
                raise _refuse(f"的 {where}：本系统没有编码为“{r.category}”的人员类别", f"recipients[{number}]")
            members = select(CadPersonCategory.person_id).where(CadPersonCategory.category_code == r.category,
                                                                CadPersonCategory.deleted.is_(False))
            query = query.where(CadPerson.id.in_(members))
        for person in session.scalars(query.order_by(CadPerson.name, CadPerson.id)):
            chosen.setdefault(person.id, person)
    if not chosen:
        raise _refuse("的送阅对象中没有健在的离退休人员", "recipients")
    return list(chosen.values())


def _delivered(session: Session, person_id: str, m: DocumentManifest, sent_on: date) -> bool:
    """Whether the person already has a live record of this document sent that day with the same files (a
    record made by hand or by another import, e.g. our own export coming back)."""
    if not m.document_no:
        return False
    rows = session.scalars(select(CadDispatch.id).where(
        CadDispatch.person_id == person_id, CadDispatch.deleted.is_(False), CadDispatch.document_no == m.document_no,
        CadDispatch.title == m.title, CadDispatch.sent_on == sent_on)).all()
    wanted = {a.sha256 for a in m.attachments}
    for row_id in rows:
        held = set(session.scalars(select(Attachment.sha256).where(
            Attachment.owner_table == CadDispatch.__tablename__, Attachment.owner_id == row_id,
            Attachment.deleted.is_(False))))
        if held == wanted:
            return True
    return False


def import_package(session: Session, path: Path, *, blobs: BlobStore, today: date,
                   actor: str = "exchange") -> ImportResult:
    """Import a package in the caller's transaction: checked as a whole first, then written. Raises
    :class:`ExchangeRefused` before anything is written. The same package again changes nothing."""
    package = read_package(path)
    m = package.manifest
    people = _recipients(session, m)
    result = ImportResult(m.document_no, m.title, files=len(m.attachments))
    digest = m.digest
    deliveries = {d.person_id: d for d in m.deliveries}
    note = f"公文交换：{m.issuer}，{m.date:%Y-%m-%d}，{m.secrecy}"[:200]
    for person in people:
        row_id = str(uuid.uuid5(NAMESPACE, f"{m.document_no}\n{digest}\n{person.id}"))
        given = deliveries.get(person.id)
        sent_on = given.sent_on if given else today
        if session.get(CadDispatch, row_id) is not None or _delivered(session, person.id, m, sent_on):
            result.known += 1
            continue
        row = CadDispatch(id=row_id, person_id=person.id, title=m.title, document_no=m.document_no, sent_on=sent_on,
                          channel=given.channel if given else m.channel,
                          received_on=given.received_on if given else None, note=note, scope=RECORD_SCOPE)
        session.add(row)
        for entry in m.attachments:
            session.add(Attachment(id=str(uuid.uuid5(NAMESPACE, f"{row_id}\n{entry.sha256}\n{entry.name}")),
                                   sha256=entry.sha256, size=entry.size, mime=package.mimes[entry.name],
                                   filename=entry.name, owner_table=CadDispatch.__tablename__, owner_id=row_id,
                                   owner_scope=RECORD_SCOPE, scope=RECORD_SCOPE))
        result.added += 1
        result.people.append(person.name)
    session.flush()
    if result.added:
        for entry in m.attachments:  # content-addressed: storing twice is harmless
            blobs.put(package.files[entry.name], entry.sha256)
        audit.append(session, actor, "cadre.exchange.import", m.document_no or m.title,
                     {"file": path.name, "digest": digest, "added": result.added, "secrecy": m.secrecy})
    return result


# ------------------------------------------------------------------------------------------ export
@dataclass
class ExportResult:
    folder: Path
    packages: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        if not self.packages:
            return "这段时间没有可导出的公文。"
        return f"已导出 {len(self.packages)} 个公文交换包到“{self.folder}”：" + "、".join(p.name for p in self.packages)


def _local_day(moment: datetime) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware.astimezone(UTC) + SHANGHAI).date()


def _write(folder: Path, stem: str, manifest: dict[str, Any], files: dict[str, bytes]) -> Path:
    manifest["attachments"] = [{"name": n, "sha256": sha256_hex(d), "size": len(d)} for n, d in files.items()]
    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    parse_manifest(body)  # what we write, we would take in
    safe = re.sub(r"[\x00-\x1f/\\:*?\"<>|\s]+", "_", stem).strip("._")[:60] or "公文"
    out = folder / f"{safe}.zip"
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, body)
        for name, data in files.items():
            archive.writestr(name, data)
    tmp.replace(out)
    return out


def _notice_packages(session: Session, since: date, producer: str) -> list[tuple[str, dict[str, Any], dict[str, bytes]]]:
    rows = session.scalars(select(CadNotice).where(CadNotice.deleted.is_(False), CadNotice.withdrawn.is_(False),
                                                   CadNotice.published_at.is_not(None))
                           .order_by(CadNotice.published_at, CadNotice.id)).all()
    out = []
    for notice in rows:
        assert notice.published_at is not None
        day = _local_day(notice.published_at)
        if day < since:
            continue
        recipients: list[dict[str, Any]] = ([{"person_id": notice.addressee_id}] if notice.addressee_id
                                            else [{"all": True}])
        text = f"{notice.title}\n\n{notice.body}\n".encode()
        manifest = {"format": FORMAT, "version": VERSION, "document_no": (notice.document_ref or "")[:60],
                    "title": notice.title[:120], "issuer": producer, "date": day.isoformat(), "secrecy": "公开",
                    "kind": notice.kind, "producer": producer, "recipients": recipients}
        out.append((f"{day:%Y%m%d}-{notice.kind}-{notice.title}-{notice.id[-6:]}", manifest, {"正文.txt": text}))
    return out


def _dispatch_packages(session: Session, since: date, producer: str,
                       blobs: BlobStore) -> list[tuple[str, dict[str, Any], dict[str, bytes]]]:
    rows = session.scalars(select(CadDispatch).where(CadDispatch.deleted.is_(False), CadDispatch.sent_on >= since)
                           .order_by(CadDispatch.sent_on, CadDispatch.id)).all()
    groups: dict[tuple[str, str], list[CadDispatch]] = defaultdict(list)
    for row in rows:
        groups[(row.document_no, row.title)].append(row)
    names = {r[0]: r[1] for r in session.execute(select(CadPerson.id, CadPerson.name))}
    out = []
    for (number, title), group in groups.items():
        files: dict[str, bytes] = {}
        seen: set[str] = set()
        attached = session.scalars(select(Attachment).where(
            Attachment.owner_table == CadDispatch.__tablename__, Attachment.owner_id.in_([r.id for r in group]),
            Attachment.deleted.is_(False)).order_by(Attachment.filename, Attachment.id)).all()
        for att in attached:
            if att.sha256 in seen:
                continue
            seen.add(att.sha256)
            name = att.filename if att.filename not in files else f"{att.sha256[:8]}-{att.filename}"
            try:
                files[name] = blobs.get(att.sha256)
            except (OSError, AttachmentRefused):
                raise ExchangeRefused(f"公文“{title}”的文件“{att.filename}”不在本机或已损坏，请先同步后再导出。",
                                      att.filename) from None
        people = sorted(group, key=lambda r: (names.get(r.person_id, ""), r.person_id))
        first = min(r.sent_on for r in group)
        manifest = {"format": FORMAT, "version": VERSION, "document_no": number, "title": title, "issuer": producer,
                    "date": first.isoformat(), "secrecy": "内部", "producer": producer,
                    "recipients": [{"person_id": r.person_id} for r in people],
                    "deliveries": [{"person_id": r.person_id, "name": names.get(r.person_id, ""),
                                    "sent_on": r.sent_on.isoformat(), "channel": r.channel,
                                    "received_on": r.received_on.isoformat() if r.received_on else None}
                                   for r in people]}
        out.append((f"{first:%Y%m%d}-送阅-{number or title}-{sha256_hex(title.encode())[:6]}", manifest, files))
    return out


def export_packages(session: Session, *, since: date, out: Path, blobs: BlobStore, producer: str = PRODUCER,
                    actor: str = "exchange", now: datetime | None = None) -> ExportResult:
    """Write one package (ZIP) per document produced here since ``since`` into the folder ``out``."""
    if out.exists() and not out.is_dir():
        raise ExchangeRefused(f"“{out}”已存在且不是文件夹；导出位置应为一个文件夹（每份公文一个 .zip）。")
    made = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    items = _notice_packages(session, since, producer) + _dispatch_packages(session, since, producer, blobs)
    result = ExportResult(out)
    if not items:
        return result
    try:
        out.mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        for stem, manifest, files in items:
            manifest["created_at"] = made
            name = stem
            while name in used:
                name += "-1"
            used.add(name)
            result.packages.append(_write(out, name, manifest, files))
    except OSError as exc:
        raise ExchangeRefused(f"无法写入“{out}”：{exc.strerror or exc}") from None
    audit.append(session, actor, "cadre.exchange.export", str(out.name),
                 {"since": since.isoformat(), "packages": len(result.packages)})
    return result
