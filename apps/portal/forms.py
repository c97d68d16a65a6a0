"""Server-side checks of the portal's forms: each field's value as typed, and a Chinese message per field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from core.petition.districts import DISTRICTS
from core.petition.intake import SubmissionFile, SubmissionForm

KINDS = (("建议意见类", "建议意见（对工作提出建议、意见）"),
         ("申诉求决类", "申诉求决（反映自身权益问题，请求解决）"),
         ("检举控告类", "检举控告（检举、控告违法违纪行为）"))
SATISFACTION = ("满意", "基本满意", "不满意")
ALLOWED_TYPES = {  # extension → (MIME, first bytes)
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
PHONE = re.compile(r"1[3-9]\d{9}")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(value: Any, *, multiline: bool = False) -> str:
    """Text as typed, minus control characters and (for one-line fields) line breaks; NFC, trimmed."""
    text = value if isinstance(value, str) else ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def id_number_ok(value: str) -> bool:
    if not ID_NUMBER.fullmatch(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17]


@dataclass
class Checked:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def _length(errors: dict[str, str], key: str, value: str, label: str, low: int, high: int) -> None:
    if len(value) < low:
        errors[key] = f"请填写{label}" if low <= 1 or not value else f"{label}至少 {low} 个字，现在 {len(value)} 个字"
    elif len(value) > high:
        errors[key] = f"{label}最多 {high} 个字，现在 {len(value)} 个字，请删减"


def check_submission(form: Any, uploads: list[Any], *, max_files: int, max_file_bytes: int
                     ) -> tuple[Checked, SubmissionForm | None]:
    """The submit form checked field by field; the form to record when nothing is wrong."""
    v = {k: clean(form.get(k)) for k in ("name", "phone", "id_number", "address", "district", "kind",
                                          "subject", "persons")}
    v["content"] = clean(form.get("content"), multiline=True)
    v["consent"] = "1" if form.get("consent") == "1" else ""
    errors: dict[str, str] = {}
    _length(errors, "name", v["name"], "姓名", 1, 30)
    phone = re.sub(r"[\s-]", "", v["phone"]).removeprefix("+86")
    v["phone"] = phone
    if not phone:
        errors["phone"] = "请填写手机号码，用于接收查询码和办理进展短信"
    elif not PHONE.fullmatch(phone):
        errors["phone"] = "手机号码应为 11 位数字，以 1 开头，例如 13812345678"
    v["id_number"] = v["id_number"].upper().replace(" ", "")
    if v["id_number"] and not id_number_ok(v["id_number"]):
        errors["id_number"] = "身份证号码应为 18 位（最后一位可为 X），且校验位正确；不愿填写可留空"
    _length(errors, "address", v["address"], "通信地址", 0, 100)
    if v["district"] not in dict(DISTRICTS) and v["district"] != "000000":
        errors["district"] = "请选择反映事项所在的区"
    if v["kind"] and v["kind"] not in dict(KINDS):
        errors["kind"] = "请从列表中选择事项类型"
    _length(errors, "subject", v["subject"], "标题", 4, 60)
    _length(errors, "content", v["content"], "反映内容", 20, 5000)
    persons = 1
    if v["persons"]:
        if v["persons"].isdigit() and 1 <= int(v["persons"]) <= 9999:
            persons = int(v["persons"])
        else:
            errors["persons"] = "涉及人数请填 1 到 9999 之间的整数"
    if not v["consent"]:
        errors["consent"] = "请阅读并同意个人信息保护说明后再提交"
    files: list[SubmissionFile] = []
    chosen = [(u, data) for u, data in uploads if getattr(u, "filename", "")]
    if len(chosen) > max_files:
        errors["files"] = f"最多上传 {max_files} 个附件，现在选了 {len(chosen)} 个"
    else:
        problems = []
        for upload, data in chosen:
            name = clean(PurePath(str(upload.filename).replace("\\", "/")).name)[:120] or "附件"
            ext = PurePath(name).suffix.lower()
            if ext not in ALLOWED_TYPES:
                problems.append(f"“{name}”不是允许的类型：只接受 PDF、JPG、PNG 文件")
            elif len(data) > max_file_bytes:
                problems.append(f"“{name}”有 {len(data) / 1048576:.1f} MB，超过每个附件 "
                                f"{max_file_bytes / 1048576:.0f} MB 的上限")
            elif len(data) == 0:
                problems.append(f"“{name}”是空文件")
            elif not data.startswith(ALLOWED_TYPES[ext][1]):
                problems.append(f"“{name}”的内容不是{ext[1:].upper()}文件（文件可能损坏或扩展名不符）")
            else:
                files.append(SubmissionFile(filename=name, mime=ALLOWED_TYPES[ext][0], data=data))
        if problems:
            errors["files"] = "；".join(problems) + "。请重新选择附件"
    checked = Checked(v, errors)
    if errors:
        return checked, None
    return checked, SubmissionForm(
        name=v["name"], phone=phone, subject=v["subject"], content=v["content"], district_code=v["district"],
        kind=v["kind"], id_number=v["id_number"] or None, address=v["address"], persons_involved=persons,
        files=tuple(files))
