"""Exchange of cases with other petition systems (一府两院一委, the district congresses): signed zip packages.

A package (format ``renda-petition-exchange/1``, specified in ``docs/petition.md`` "与其他信访系统交换数据")::

    manifest.json        format, sender, receiver, created at, counts, SHA-256 and size of every member
    cases.jsonl          one case a line: the sender's case number, channel, kind, dates, subject, content,
                         category, district, persons involved, petitioner, attachments
    transitions.jsonl    one step a line: its id, the case it belongs to (whose number: ``case.system``),
                         action, dates, article, note, details
    attachments/<sha256> the bytes of each attachment
    signature.json       Ed25519 signature of the manifest (:mod:`core.sync.package_signing`)

Export (:func:`export_package`) writes the cases routed (转送 / 交办) to one body since a date with their
history, plus the steps taken here since that date on cases the body sent us (status updates back).
Import (:func:`import_package`) checks the whole package before it writes anything — signature of a trusted
sender, manifest, every member's size and SHA-256, no member missing or unlisted, every line well formed — and
then writes in the caller's transaction: new cases keep the sender's number (``source_system``,
``source_code``); steps on cases we sent out are applied to our case (accepted, answered …). Importing the
same package again changes nothing: a case is known by (sender, number), a step by its id.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.models.registry import Attachment
from core.petition import clocks
from core.petition.models import CHANNELS, KINDS, PetBody, PetCase, PetPetitioner, PetTransition
from core.sync.blobs import AttachmentRefused, BlobStore, sha256_hex
from core.sync.package_signing import (
    MANIFEST_ENTRY,
    SIGNATURE_ENTRY,
    ZIP_ERRORS,
    SignatureError,
    SigningScheme,
    TrustedProducers,
    read_signature,
    sign_package,
)

FORMAT = "renda-petition-exchange/1"
SCHEME = SigningScheme("renda-petition-exchange-signature/1", "renda petition exchange trust", bind_metadata=True)
OUR_SYSTEM = "SH-RD-XF"
"""This system's name in packages (上海市人大常委会信访办公室)."""
OUR_NAME = "上海市人大常委会信访办公室"
CASES = "cases.jsonl"
TRANSITIONS = "transitions.jsonl"
ATTACHMENTS = "attachments/"
MAX_PACKAGE_BYTES = 1_000_000_000
MAX_MEMBER_BYTES = 200_000_000
MAX_LINE_BYTES = 1_000_000
MAX_MEMBERS = 100_000
STEP_NAMESPACE = uuid.UUID("5b0e7c2a-3f4d-4e6a-9c1b-2d8f6a7e9b10")
"""Our id of a step that came by exchange: uuid5(namespace, "<sender system>:<step id>") — idempotent."""

STATUS_ACTIONS: dict[str, str] = {
    "received": "签收", "accepted": "受理", "objected": "异议", "extended": "延期", "answered": "答复",
    "rated": "评价", "closed": "办结", "reviewed": "复查", "rechecked": "复核", "terminated": "终结",
    "returned": "退回重办", "supervised": "督办", "note": "办理情况",
}
"""The actions a step may carry in a package (other values are kept as history only)."""
STATE_AFTER: dict[str, str] = {
    "accepted": "accepted", "objected": "objected", "answered": "answered", "closed": "closed",
    "reviewed": "answered", "rechecked": "final", "terminated": "final", "rated": "rated",
}
"""Our case's state (``core.petition.workflow.STATES``) after a receiving body's step on it (steps not listed
leave the state): a 复查 opinion is an answer again, a 复核 opinion or 终结 ends the case."""
EXCHANGE_ACTION: dict[str, str] = {
    "register": "received", "accept": "accepted", "object": "objected", "extend": "extended", "answer": "answered",
    "rate": "rated", "close": "closed", "review_answer": "reviewed", "rereview_answer": "rechecked",
    "send_back": "returned", "supervise": "supervised",
}
"""Our workflow's actions as the exchange format names them (others travel as history under their own key)."""


class ExchangeError(ValueError):
    """A package refused as a whole, or an export that cannot be made; nothing was written (Chinese text)."""


@dataclass
class ExportResult:
    path: Path
    cases: int
    transitions: int
    attachments: int
    fingerprint: str

    def summary(self) -> str:
        return (f"已导出数据包 {self.path.name}：信访件 {self.cases} 件，办理记录 {self.transitions} 条，"
                f"附件 {self.attachments} 个。已签名（公钥指纹 {self.fingerprint}）。")


@dataclass
class ImportResult:
    sender: str
    sender_name: str
    signer: str
    cases_added: int = 0
    cases_known: int = 0
    steps_added: int = 0
    steps_known: int = 0
    updated_cases: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.cases_added or self.steps_added)

    def summary(self) -> str:
        if not self.changed:
            return f"“{self.sender_name}”的数据包此前已导入，本次没有新内容。"
        text = (f"已导入“{self.sender_name}”的数据包：新增信访件 {self.cases_added} 件，"
                f"办理记录 {self.steps_added} 条")
        if self.updated_cases:
            text += f"；更新了本办转出的信访件 {len(self.updated_cases)} 件（{'、'.join(self.updated_cases[:5])}）"
        if self.cases_known or self.steps_known:
            text += f"；{self.cases_known} 件、{self.steps_known} 条此前已导入"
        return text + "。"


# export ----------------------------------------------------------------------------------------------------
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _case_line(case: PetCase, person: PetPetitioner | None, files: list[Attachment]) -> dict[str, Any]:
    return {
        "code": case.code, "channel": case.channel, "kind": case.kind, "received_on": _iso(case.received_on),
        "subject": case.subject, "content": case.content, "category_code": case.category_code,
        "district_code": case.district_code, "persons_involved": case.persons_involved, "route": case.route,
        "due_on": _iso(case.due_on), "state": case.state,
        "petitioner": None if person is None else {
            "name": person.name, "gender": person.gender, "id_number": person.id_number, "phone": person.phone,
            "address": person.address, "district_code": person.district_code},
        "attachments": [{"sha256": a.sha256, "filename": a.filename, "mime": a.mime, "size": a.size} for a in files],
    }


def _step_line(step: PetTransition, system: str, code: str) -> dict[str, Any]:
    action = step.action if step.action in STATUS_ACTIONS else EXCHANGE_ACTION.get(step.action, step.action)
    details = {k: v for k, v in (step.details or {}).items() if k != "exchange"}
    return {"id": step.id, "case": {"system": system, "code": code}, "action": action,
            "from_state": step.from_state, "to_state": step.to_state, "on_date": _iso(step.on_date),
            "at": _iso(step.at), "actor": step.actor, "article": step.article, "note": step.note,
            "details": details}


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" for r in rows)


def _echoed(step: PetTransition, system: str) -> bool:
    """A step that came from ``system`` itself: never sent back to it."""
    origin = (step.details or {}).get("exchange")
    return isinstance(origin, dict) and origin.get("system") == system


def export_package(session: Session, *, to: str, since: date, out: Path, key: SigningKey,
                   blobs: BlobStore | None = None, our_system: str = OUR_SYSTEM, our_name: str = OUR_NAME,
                   actor: str = "exchange", now: datetime | None = None) -> ExportResult:
    """Write the package for body ``to`` (its code) with what changed since ``since``, signed with ``key``."""
    body = session.scalars(select(PetBody).where(PetBody.code == to, PetBody.deleted.is_(False))).first()
    if body is None:
        raise ExchangeError(f"没有编码为“{to}”的承办单位")
    system = body.exchange_system
    if not system:
        raise ExchangeError(f"“{body.name}”没有对接的信访系统（承办单位设置中的“交换系统”为空），只能发函")
    recent = select(PetTransition.case_id).where(PetTransition.on_date >= since)
    sent = session.scalars(select(PetCase).where(
        PetCase.body_code == body.code, PetCase.route.in_(("转送", "交办")), PetCase.deleted.is_(False),
        PetCase.source_system != system,
        or_(PetCase.received_on >= since, PetCase.id.in_(recent))).order_by(PetCase.code)).all()
    cases: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    for case in sent:
        person = session.get(PetPetitioner, case.petitioner_id) if case.petitioner_id else None
        attached = session.scalars(select(Attachment).where(
            Attachment.owner_table == PetCase.__tablename__, Attachment.owner_id == case.id,
            Attachment.deleted.is_(False)).order_by(Attachment.id)).all()
        for att in attached:
            if att.sha256 not in files:
                if blobs is None:
                    raise ExchangeError(f"信访件 {case.code} 有附件，但没有指定附件存储位置")
                try:
                    files[att.sha256] = blobs.get(att.sha256)
                except (OSError, AttachmentRefused):
                    raise ExchangeError(f"信访件 {case.code} 的附件“{att.filename}”不在本机或已损坏，请先同步") from None
        cases.append(_case_line(case, person, list(attached)))
        for step in session.scalars(select(PetTransition).where(
                PetTransition.case_id == case.id, PetTransition.deleted.is_(False))
                .order_by(PetTransition.on_date, PetTransition.id)):
            if not _echoed(step, system):
                steps.append(_step_line(step, our_system, case.code))
    theirs = session.scalars(select(PetCase).where(PetCase.source_system == system,
                                                   PetCase.deleted.is_(False)).order_by(PetCase.code)).all()
    for case in theirs:
        for step in session.scalars(select(PetTransition).where(
                PetTransition.case_id == case.id, PetTransition.deleted.is_(False), PetTransition.on_date >= since)
                .order_by(PetTransition.on_date, PetTransition.id)):
            if not _echoed(step, system):
                steps.append(_step_line(step, system, case.source_code))
    members: dict[str, bytes] = {CASES: _jsonl(cases), TRANSITIONS: _jsonl(steps)}
    for sha, data in sorted(files.items()):
        members[f"{ATTACHMENTS}{sha}"] = data
    made = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT, "sender": {"system": our_system, "name": our_name},
        "receiver": {"system": system, "name": body.name}, "created_at": made, "since": since.isoformat(),
        "counts": {"cases": len(cases), "transitions": len(steps), "attachments": len(files)},
        "members": {name: {"sha256": sha256_hex(data), "size": len(data),
                           **({"lines": data.count(b"\n")} if name.endswith(".jsonl") else {})}
                    for name, data in members.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_ENTRY, json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in members.items():
            archive.writestr(name, data)
    try:
        signed = sign_package(tmp, key, our_name, SCHEME)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    if cases:
        audit.append(session, actor, "petition.exchange.export", body.code,
                     {"file": out.name, "cases": len(cases), "pii": ["name", "id_number", "phone", "address"]})
    return ExportResult(out, len(cases), len(steps), len(files), signed.fingerprint)


# reading and checking ----------------------------------------------------------------------------------------
class _Line:
    """One JSON line being checked: field readers that refuse with the member, line and field named."""

    def __init__(self, member: str, number: int, data: dict[str, Any]) -> None:
        self.member, self.number, self.data = member, number, data

    def fail(self, text: str) -> ExchangeError:
        return ExchangeError(f"数据包的 {self.member} 第 {self.number} 行：{text}，已拒绝导入，未做任何改动")

    def text(self, name: str, limit: int, *, required: bool = True, data: dict[str, Any] | None = None,
             label: str = "") -> str:
        source = self.data if data is None else data
        value = source.get(name)
        where = f"“{label or name}”"
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"字段{where}应为文字")
        if required and not value.strip():
            raise self.fail(f"字段{where}不能为空")
        if len(value) > limit:
            raise self.fail(f"字段{where}超过 {limit} 个字")
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise self.fail(f"字段“{name}”应为日期（YYYY-MM-DD）")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"字段“{name}”的日期“{value}”不存在") from None

    def moment(self, name: str) -> datetime | None:
        value = self.data.get(name)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise self.fail(f"字段“{name}”应为 ISO 8601 时间")
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name, 20)
        if value not in allowed:
            raise self.fail(f"字段“{name}”的值“{value}”不在 {'、'.join(allowed)} 之中")
        return value


@dataclass
class _Case:
    line: int
    code: str
    values: dict[str, Any]
    petitioner: dict[str, Any] | None
    attachments: list[dict[str, Any]]


@dataclass
class _Step:
    line: int
    id: str
    system: str
    code: str
    action: str
    values: dict[str, Any]


@dataclass
class _Package:
    sender: str
    sender_name: str
    receiver: str
    cases: list[_Case]
    steps: list[_Step]
    files: dict[str, bytes]


def _refuse(text: str) -> ExchangeError:
    return ExchangeError(f"{text}，已拒绝导入，未做任何改动")


def _lines(member: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    if data and not data.endswith(b"\n"):
        raise _refuse(f"数据包的 {member} 最后一行不完整（文件被截断）")
    out: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(data.split(b"\n")[:-1] if data else [], start=1):
        if len(raw) > MAX_LINE_BYTES:
            raise _refuse(f"数据包的 {member} 第 {number} 行过长")
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise _refuse(f"数据包的 {member} 第 {number} 行不是 UTF-8 编码") from None
        except json.JSONDecodeError as exc:
            raise _refuse(f"数据包的 {member} 第 {number} 行不是有效的 JSON（第 {exc.colno} 个字符附近）") from None
        if not isinstance(value, dict):
            raise _refuse(f"数据包的 {member} 第 {number} 行应为一个 JSON 对象")
        out.append((number, value))
    return out


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST_ENTRY)
        manifest = json.loads(raw.decode("utf-8"))
    except KeyError:
        raise _refuse("数据包中没有清单 manifest.json") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse("数据包的清单 manifest.json 无法读取（不是有效的 JSON）") from None
    if not isinstance(manifest, dict):
        raise _refuse("数据包的清单 manifest.json 格式不正确")
    version = manifest.get("format")
    if version != FORMAT:
        raise _refuse(f"数据包的格式版本“{version}”不认识，本系统读取 {FORMAT}；请对方按此版本导出")
    return manifest


def _party(manifest: dict[str, Any], name: str) -> tuple[str, str]:
    party = manifest.get(name)
    if not isinstance(party, dict) or not isinstance(party.get("system"), str) or not party["system"]:
        raise _refuse(f"数据包的清单 manifest.json 缺少“{name}.system”")
    return party["system"], str(party.get("name") or party["system"])


def _read_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, bytes]:
    listed = manifest.get("members")
    if not isinstance(listed, dict) or not all(isinstance(v, dict) for v in listed.values()):
        raise _refuse("数据包的清单 manifest.json 缺少成员列表“members”")
    present = [n for n in archive.namelist() if n not in (MANIFEST_ENTRY, SIGNATURE_ENTRY)]
    if len(present) > MAX_MEMBERS:
        raise _refuse("数据包中的文件过多")
    if len(set(archive.namelist())) != len(archive.namelist()):
        raise _refuse("数据包中有重名的文件")
    for name in present:
        if name not in listed:
            raise _refuse(f"数据包中的“{name}”不在清单中")
    for name in (CASES, TRANSITIONS):
        if name not in listed:
            raise _refuse(f"数据包的清单中没有 {name}")
    data: dict[str, bytes] = {}
    for name, entry in listed.items():
        if name != CASES and name != TRANSITIONS and not re.fullmatch(r"attachments/[0-9a-f]{64}", str(name)):
            raise _refuse(f"数据包的清单列出了不认识的成员“{name}”")
        if name not in present:
            raise _refuse(f"数据包缺少清单中列出的“{name}”")
        info = archive.getinfo(name)
        size = entry.get("size")
        if not isinstance(size, int) or info.file_size != size or size > MAX_MEMBER_BYTES:
            raise _refuse(f"数据包的“{name}”大小与清单不符（文件被截断或改动）")
        try:
            content = archive.read(name)
        except ZIP_ERRORS as exc:
            raise _refuse(f"数据包的“{name}”已损坏，无法读取（{exc}）") from None
        if sha256_hex(content) != entry.get("sha256"):
            raise _refuse(f"数据包的“{name}”内容与清单中的 SHA-256 不符（文件被改动）")
        if name.startswith(ATTACHMENTS) and sha256_hex(content) != name[len(ATTACHMENTS):]:
            raise _refuse(f"数据包的“{name}”内容与文件名中的 SHA-256 不符")
        lines = entry.get("lines")
        if name.endswith(".jsonl") and lines is not None and content.count(b"\n") != lines:
            raise _refuse(f"数据包的“{name}”行数与清单不符")
        data[name] = content
    return data


def _person(line: _Line) -> dict[str, Any] | None:
    raw = line.data.get("petitioner")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise line.fail("字段“petitioner”应为对象")
    return {"name": line.text("name", 60, data=raw, label="petitioner.name"),
            "gender": line.text("gender", 2, required=False, data=raw, label="petitioner.gender"),
            "id_number": line.text("id_number", 18, required=False, data=raw, label="petitioner.id_number") or None,
            "phone": line.text("phone", 20, required=False, data=raw, label="petitioner.phone") or None,
            "address": line.text("address", 200, required=False, data=raw, label="petitioner.address") or None,
            "district_code": line.text("district_code", 8, required=False, data=raw,
                                       label="petitioner.district_code")}


def _case(number: int, data: dict[str, Any], files: dict[str, bytes]) -> _Case:
    line = _Line(CASES, number, data)
    persons = data.get("persons_involved", 1)
    if not isinstance(persons, int) or isinstance(persons, bool) or not 1 <= persons <= 100_000:
        raise line.fail("字段“persons_involved”应为 1 到 100000 的整数")
    attachments = data.get("attachments", [])
    if not isinstance(attachments, list):
        raise line.fail("字段“attachments”应为列表")
    checked: list[dict[str, Any]] = []
    for item in attachments:
        if not isinstance(item, dict) or not isinstance(item.get("sha256"), str):
            raise line.fail("附件应写明 sha256")
        sha = item["sha256"]
        if f"{ATTACHMENTS}{sha}" not in files:
            raise line.fail(f"列出的附件 {sha[:12]}… 不在数据包中")
        checked.append({"sha256": sha, "filename": line.text("filename", 200, data=item, label="attachments.filename"),
                        "mime": line.text("mime", 80, required=False, data=item, label="attachments.mime")
                        or "application/octet-stream"})
    values = {
        "channel": line.choice("channel", CHANNELS), "kind": line.choice("kind", KINDS),
        "received_on": line.day("received_on"), "subject": line.text("subject", 200),
        "content": line.text("content", 100_000, required=False),
        "category_code": line.text("category_code", 16, required=False),
        "district_code": line.text("district_code", 8, required=False), "persons_involved": persons,
        "due_on": line.day("due_on", required=False),
    }
    return _Case(number, line.text("code", 64), values, _person(line), checked)


def _step(number: int, data: dict[str, Any]) -> _Step:
    line = _Line(TRANSITIONS, number, data)
    case = data.get("case")
    if not isinstance(case, dict):
        raise line.fail("字段“case”应为对象，写明 system 和 code")
    details = data.get("details", {})
    if not isinstance(details, dict):
        raise line.fail("字段“details”应为对象")
    values = {"from_state": line.text("from_state", 16, required=False),
              "to_state": line.text("to_state", 16, required=False), "on_date": line.day("on_date"),
              "at": line.moment("at"), "actor": line.text("actor", 64, required=False),
              "article": line.text("article", 80, required=False), "note": line.text("note", 100_000, required=False),
              "details": details}
    if "due_on" in details:
        _Line(TRANSITIONS, number, details).day("due_on")
    return _Step(number, line.text("id", 64), line.text("system", 32, data=case, label="case.system"),
                 line.text("code", 64, data=case, label="case.code"), line.text("action", 20), values)


def read_package(path: Path, trusted: TrustedProducers, *, our_system: str = OUR_SYSTEM) -> tuple[_Package, str]:
    """The package checked as a whole (nothing is written): (contents, signer). Raises :class:`ExchangeError`."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ExchangeError(f"找不到数据包文件“{path}”") from None
    if size > MAX_PACKAGE_BYTES:
        raise _refuse(f"数据包“{path.name}”过大（{size / 1e6:.0f} MB）")
    try:
        signed = read_signature(path, SCHEME)
    except SignatureError as exc:
        raise ExchangeError(f"{exc}（未做任何改动）") from None
    if trusted.find(signed.public_key) is None:
        raise ExchangeError(
            f"“{path.name}”由“{signed.signer}”签名（公钥指纹 {signed.fingerprint}），但该单位不在受信任名单中。"
            f"请与对方电话核对指纹后，用 {SCHEME.trust_hint} 登记其公钥，再导入（未做任何改动）")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive)
            files = _read_members(archive, manifest)
    except ZIP_ERRORS as exc:
        raise _refuse(f"“{path.name}”不是完整的数据包（{exc}）") from None
    sender, sender_name = _party(manifest, "sender")
    receiver, _receiver_name = _party(manifest, "receiver")
    if receiver != our_system:
        raise _refuse(f"数据包是发给“{receiver}”的，不是发给本系统（{our_system}）的")
    if sender == our_system:
        raise _refuse("数据包是本系统自己导出的")
    cases = [_case(n, d, files) for n, d in _lines(CASES, files[CASES])]
    steps = [_step(n, d) for n, d in _lines(TRANSITIONS, files[TRANSITIONS])]
    counts = manifest.get("counts")
    expected = {"cases": len(cases), "transitions": len(steps),
                "attachments": sum(1 for n in files if n.startswith(ATTACHMENTS))}
    if not isinstance(counts, dict) or any(counts.get(k) != v for k, v in expected.items()):
        raise _refuse("数据包清单中的件数（counts）与内容不符")
    seen: set[str] = set()
    for case in cases:
        if case.code in seen:
            raise _refuse(f"数据包的 {CASES} 第 {case.line} 行：信访件编号 {case.code} 重复")
        seen.add(case.code)
    step_ids: set[str] = set()
    for step in steps:
        if step.id in step_ids:
            raise _refuse(f"数据包的 {TRANSITIONS} 第 {step.line} 行：办理记录编号 {step.id} 重复")
        step_ids.add(step.id)
        if step.system not in (sender, our_system):
            raise _refuse(f"数据包的 {TRANSITIONS} 第 {step.line} 行：case.system“{step.system}”应为"
                          f"“{sender}”（对方的信访件）或“{our_system}”（本办转出的信访件）")
    package = _Package(sender, sender_name, receiver, cases, steps,
                       {n[len(ATTACHMENTS):]: d for n, d in files.items() if n.startswith(ATTACHMENTS)})
    return package, signed.signer


# import ----------------------------------------------------------------------------------------------------
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_case_code(on: date) -> str:
    """A case number for a case registered here: ``XF`` + date + six random letters (no clash offline)."""
    return f"XF{on:%Y%m%d}" + "".join(secrets.choice(_CODE_LETTERS) for _ in range(6))


def _register(session: Session, item: _Case, sender: str, on: date, actor: str) -> PetCase:
    person_id = None
    if item.petitioner is not None:
        person = PetPetitioner(**item.petitioner)
        session.add(person)
        session.flush()
        person_id = person.id
    values = dict(item.values)
    sent_due = values.pop("due_on")
    sent_received = values.pop("received_on")
    case = PetCase(code=new_case_code(on), received_on=on, registered_at=datetime.now(UTC), petitioner_id=person_id,
                   collective=values["persons_involved"] >= 5, state="registered", source_system=sender,
                   due_on=clocks.due_date(on, clocks.DEADLINE_BY_KEY["route"]).on,
                   source_code=item.code, handler=actor, **values)
    session.add(case)
    session.flush()
    session.add(PetTransition(
        case_id=case.id, committee=case.committee, action="register", from_state="", to_state="registered",
        article="《信访工作条例》第二十二条", on_date=on, at=datetime.now(UTC), actor=actor,
        note=f"由“{sender}”经数据交换转来（对方编号 {item.code}）",
        details={"exchange": {"system": sender, "code": item.code},
                 "sender_received_on": _iso(sent_received), "sender_due_on": _iso(sent_due)}))
    return case


def _apply_status(case: PetCase, step: _Step) -> None:
    """A receiving body's step on a case we sent it: the case's fields and state follow."""
    values = step.values
    on = values["on_date"]
    details = values["details"]
    if step.action == "accepted":
        case.accepted_on = on
    if step.action in ("accepted", "extended") and isinstance(details.get("due_on"), str):
        case.due_on = date.fromisoformat(details["due_on"])
    elif step.action == "accepted":  # the sender gave no deadline: 60 日 from acceptance (第三十四条)
        case.due_on = clocks.due_date(on, clocks.DEADLINE_BY_KEY["handling"]).on
    if step.action in ("answered", "reviewed", "rechecked", "terminated", "closed"):
        case.due_on = None
    if step.action == "extended":
        case.extended = True
    if step.action == "answered":
        case.answered_on = on
        answer = details.get("answer")
        case.answer_summary = answer if isinstance(answer, str) and answer else values["note"]
    if step.action == "closed":
        case.closed_on = on
    if step.action in STATE_AFTER:
        case.state = STATE_AFTER[step.action]


def import_package(session: Session, path: Path, *, trusted: TrustedProducers, blobs: BlobStore,
                   our_system: str = OUR_SYSTEM, actor: str = "exchange", on: date | None = None) -> ImportResult:
    """Import a package in the caller's transaction: checked as a whole first, then written; any problem raises
    :class:`ExchangeError` before a row is written. Importing the same package twice changes nothing."""
    package, signer = read_package(path, trusted, our_system=our_system)
    today = on or date.today()
    result = ImportResult(package.sender, package.sender_name, signer)
    ours: dict[str, PetCase] = {}
    for step in package.steps:  # status updates: every case must be one we sent to this sender
        if step.system != our_system or step.code in ours:
            continue
        case = session.scalars(select(PetCase).where(PetCase.code == step.code, PetCase.deleted.is_(False))).first()
        body = session.scalars(select(PetBody).where(PetBody.code == case.body_code)).first() if case else None
        if case is None:
            raise _refuse(f"数据包的 {TRANSITIONS} 第 {step.line} 行：本系统没有信访件 {step.code}")
        if body is None or body.exchange_system != package.sender:
            raise _refuse(f"数据包的 {TRANSITIONS} 第 {step.line} 行：信访件 {step.code} 不是转给“{package.sender_name}”的")
        ours[step.code] = case
    theirs: dict[str, PetCase] = {}
    for item in package.cases:
        known = session.scalars(select(PetCase).where(PetCase.source_system == package.sender,
                                                      PetCase.source_code == item.code)).first()
        if known is None:
            known = _register(session, item, package.sender, today, actor)
            result.cases_added += 1
        else:
            result.cases_known += 1
        theirs[item.code] = known
        have = set(session.scalars(select(Attachment.sha256).where(
            Attachment.owner_table == PetCase.__tablename__, Attachment.owner_id == known.id)))
        for att in item.attachments:
            if att["sha256"] not in have:
                data = package.files[att["sha256"]]
                session.add(Attachment(sha256=att["sha256"], size=len(data), mime=att["mime"],
                                       filename=att["filename"], owner_table=PetCase.__tablename__,
                                       owner_id=known.id, owner_scope=known.scope or "petition"))
                have.add(att["sha256"])
    for step in package.steps:
        row_id = str(uuid.uuid5(STEP_NAMESPACE, f"{package.sender}:{step.id}"))
        if session.get(PetTransition, row_id) is not None:
            result.steps_known += 1
            continue
        if step.system == our_system:
            case = ours[step.code]
        else:
            found = theirs.get(step.code) or session.scalars(select(PetCase).where(
                PetCase.source_system == package.sender, PetCase.source_code == step.code)).first()
            if found is None:
                raise _refuse(f"数据包的 {TRANSITIONS} 第 {step.line} 行：对方信访件 {step.code} 既不在本包中，"
                              "也未曾导入")
            case = found
        values = step.values
        before = case.state
        if step.system == our_system:
            _apply_status(case, step)
            result.updated_cases.append(case.code)
        details = {**values["details"], "exchange": {"system": package.sender, "id": step.id,
                                                     "from_state": values["from_state"], "to_state": values["to_state"]}}
        session.add(PetTransition(
            id=row_id, case_id=case.id, committee=case.committee, action=step.action,
            from_state=before if step.system == our_system else values["from_state"],
            to_state=case.state if step.system == our_system else values["to_state"],
            article=values["article"], on_date=values["on_date"], at=values["at"],
            actor=(values["actor"] or package.sender_name)[:64], note=values["note"], details=details))
        result.steps_added += 1
    result.updated_cases = list(dict.fromkeys(result.updated_cases))
    session.flush()
    for sha, data in package.files.items():  # content-addressed: storing twice is harmless
        blobs.put(data, sha)
    if result.changed:
        audit.append(session, actor, "petition.exchange.import", package.sender,
                     {"file": path.name, "cases": result.cases_added, "steps": result.steps_added})
    return result
