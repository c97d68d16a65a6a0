"""Editing a person's record: the fields of each form, their validation and saving through the local store.

The desk's forms give text as typed (dates as ``YYYY-MM-DD``); :func:`clean` turns it into column values or
refuses with one Chinese message per problem, each naming its field. :func:`save_person`, :func:`save_row`,
:func:`remove_row` and :func:`save_field_value` write in the caller's transaction only when nothing is
refused — a refusal (:class:`RecordRefused`) changes nothing. Rows are changed through the ORM, so the local
store's outbox records them and they sync; the sync server checks the write rules again
(``core.sync.permissions``). :func:`writable` says whether a role's permissions may write a table, so the
screens offer editing only where the rules allow it.

No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import (
    AWARD_LEVELS,
    DOCUMENT_KINDS,
    GENDERS,
    INTEREST_KINDS,
    RELATIONS,
    RETIREMENT_KINDS,
    STAGE_LABELS,
    CadAward,
    CadCategory,
    CadDocument,
    CadFamily,
    CadFieldDef,
    CadFieldValue,
    CadHospitalStay,
    CadInterest,
    CadLifeEvent,
    CadPerson,
    CadPersonCategory,
)
from core.models.base import SyncedMixin
from core.sync.permissions import INSERT, RULES, UPDATE

__all__ = ["FORMS", "PERSON_FIELDS", "Field", "RecordRefused", "clean", "id_number_problem", "remove_row",
           "save_field_value", "save_person", "save_row", "writable"]

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PHONE = re.compile(r"^[0-9][0-9\-]{6,19}$")


class RecordRefused(ValueError):
    """An edit refused: ``problems`` holds one Chinese message per problem, each naming its field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Field:
    """One input of a form: ``kind`` is text, long (several lines), date, choice, bool or int."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 0
    past: bool = True
    """A date may not lie after today."""


PERSON_FIELDS: tuple[Field, ...] = (
    Field("name", "姓名", required=True, max_length=60),
    Field("gender", "性别", "choice", choices=("", *GENDERS)),
    Field("ethnicity", "民族", max_length=20),
    Field("birth_date", "出生日期", "date", required=True),
    Field("birthday_lunar", "按农历过生日", "bool"),
    Field("native_place", "籍贯", max_length=60),
    Field("id_number", "身份证号", max_length=18),
    Field("party", "政治面貌", max_length=20),
    Field("party_date", "入党时间", "date"),
    Field("work_start_date", "参加工作时间", "date"),
    Field("stage", "状态", "choice", required=True, choices=tuple(STAGE_LABELS)),
    Field("retirement_kind", "离退休类别", "choice", choices=("", *RETIREMENT_KINDS)),
    Field("retired_on", "离退休时间", "date"),
    Field("treatment_level", "待遇级别", max_length=20),
    Field("former_unit", "原单位", max_length=100),
    Field("former_post", "原职务", max_length=100),
    Field("address", "住址", max_length=200),
    Field("postcode", "邮政编码", max_length=6),
    Field("phone_mobile", "手机", max_length=20),
    Field("phone_home", "住宅电话", max_length=20),
    Field("alive", "健在", "bool"),
    Field("died_on", "去世日期", "date"),
    Field("note", "备注", "long", max_length=2000),
)

FORMS: dict[str, tuple[Field, ...]] = {
    "cad_interest": (Field("kind", "类别", "choice", required=True, choices=INTEREST_KINDS),
                     Field("name", "名称", required=True, max_length=60),
                     Field("note", "说明", max_length=200)),
    "cad_life_event": (Field("start_on", "起始日期", "date", required=True),
                       Field("end_on", "截止日期", "date"),
                       Field("unit", "单位", max_length=100),
                       Field("post", "职务", max_length=100),
                       Field("text", "经历", "long", max_length=2000)),
    "cad_family": (Field("relation", "关系", "choice", required=True, choices=RELATIONS),
                   Field("name", "姓名", required=True, max_length=60),
                   Field("gender", "性别", "choice", choices=("", *GENDERS)),
                   Field("birth_year", "出生年份", "int"),
                   Field("work_unit", "工作单位", max_length=100),
                   Field("phone", "电话", max_length=20),
                   Field("address", "住址", max_length=200),
                   Field("emergency_contact", "紧急联系人", "bool"),
                   Field("note", "备注", max_length=200)),
    "cad_hospital_stay": (Field("hospital", "医院", required=True, max_length=100),
                          Field("ward", "病区", max_length=60),
                          Field("admitted_on", "入院日期", "date", required=True),
                          Field("discharged_on", "出院日期", "date"),
                          Field("diagnosis", "诊断", max_length=200),
                          Field("note", "备注", "long", max_length=500)),
    "cad_person_category": (Field("category_code", "人员类别", "choice", required=True),),
    "cad_award": (Field("awarded_on", "获奖日期", "date"),
                  Field("title", "奖项名称", required=True, max_length=120),
                  Field("level", "级别", "choice", choices=("", *AWARD_LEVELS)),
                  Field("issuer", "授予单位", max_length=100),
                  Field("document_no", "文号", max_length=60),
                  Field("note", "备注", max_length=200)),
    "cad_document": (Field("title", "标题", required=True, max_length=120),
                     Field("kind", "类别", "choice", required=True, choices=DOCUMENT_KINDS),
                     Field("dated_on", "日期", "date"),
                     Field("sensitive", "敏感资料（仅有敏感信息权限者可见）", "bool"),
                     Field("note", "备注", max_length=200)),
}
"""The form of each sub-table of a person's page (``cad_person_category``'s choices are the categories)."""

MODELS: dict[str, type[Any]] = {
    "cad_person": CadPerson, "cad_interest": CadInterest, "cad_life_event": CadLifeEvent, "cad_family": CadFamily,
    "cad_hospital_stay": CadHospitalStay, "cad_person_category": CadPersonCategory, "cad_award": CadAward,
    "cad_document": CadDocument, "cad_field_value": CadFieldValue,
}


# ------------------------------------------------------------------------------------------ permissions
def writable(table: str, permissions: Iterable[str], op: str = UPDATE) -> bool:
    """Whether holders of ``permissions`` may ``op`` (insert / update / delete) rows of ``table`` under the
    sync server's write rules (the scope part is the server's; the record's scopes follow the permissions)."""
    rule = RULES.get(table)
    held = set(permissions)
    return rule is not None and any(op in g.ops and held.intersection(g.permissions) for g in rule.grants)


# ------------------------------------------------------------------------------------------ validation
def with_check_digit(first17: str) -> str:
    """The 18-digit ID number whose first 17 digits are ``first17``, with its GB 11643 check digit."""
    return first17 + ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(text: str) -> str | None:
    """Why ``text`` is not an 18-digit resident ID number under GB 11643 (None: it is one); the caller puts
    the field's name before it."""
    value = text.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "应为 18 位，前 17 位是数字，最后一位是数字或 X"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"其中的出生日期 {value[6:14]} 不是有效日期"
    check = with_check_digit(value[:17])[17]
    if value[17] != check:
        return f"校验码不对（最后一位应为 {check}），请核对是否输错"
    return None


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        raise ValueError(text)
    year, month, day = (int(p) for p in text.split("-"))
    return date(year, month, day)


def clean(fields: Iterable[Field], raw: Mapping[str, Any], today: date,
          choices: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    """Column values from what a form holds; raises :class:`RecordRefused` naming each field at fault.

    ``raw`` holds text for text, date, choice and int fields and a bool for bool fields; a missing key is
    empty. ``choices`` replaces a field's choices (e.g. the categories the office defined)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields:
        given = raw.get(f.key)
        if f.kind == "bool":
            values[f.key] = bool(given)
            continue
        text = "" if given is None else str(given).strip()
        if not text:
            if f.required:
                problems.append(f"{f.label}：必须填写")
            values[f.key] = None if f.kind in ("date", "int") else ""
            continue
        if f.max_length and len(text) > f.max_length:
            problems.append(f"{f.label}：最多 {f.max_length} 个字，现有 {len(text)} 个")
            continue
        if f.kind == "date":
            try:
                day = _parse_date(text)
            except ValueError:
                problems.append(f"{f.label}：“{text}”不是有效日期，请按 2024-05-01 的格式填写")
                continue
            if f.past and day is not None and day > today:
                problems.append(f"{f.label}：{text} 晚于今天")
                continue
            values[f.key] = day
        elif f.kind == "int":
            if not re.fullmatch(r"\d{1,6}", text):
                problems.append(f"{f.label}：“{text}”不是整数")
                continue
            values[f.key] = int(text)
        elif f.kind == "choice":
            allowed = tuple(choices[f.key]) if choices and f.key in choices else f.choices
            if allowed and text not in allowed:
                problems.append(f"{f.label}：“{text}”不在可选项中")
                continue
            values[f.key] = text
        else:
            values[f.key] = text
    if problems:
        raise RecordRefused(problems)
    return values


def _order(problems: list[str], earlier: tuple[str, date | None], later: tuple[str, date | None],
           verb: str = "早于") -> None:
    (a_label, a), (b_label, b) = earlier, later
    if a is not None and b is not None and b < a:
        problems.append(f"{b_label}：{b.isoformat()} {verb}{a_label} {a.isoformat()}")


def _phone(problems: list[str], label: str, value: Any) -> None:
    if value and "*" not in str(value) and not PHONE.fullmatch(str(value)):
        problems.append(f"{label}：“{value}”不是有效的电话号码（只用数字和连字符）")


def person_problems(values: Mapping[str, Any], today: date) -> list[str]:
    """What is wrong across the fields of a person's basic information (each field already clean)."""
    problems: list[str] = []
    ident = str(values.get("id_number") or "")
    birth = values.get("birth_date")
    if ident and "*" not in ident:
        problem = id_number_problem(ident)
        if problem:
            problems.append(f"身份证号：{problem}")
        elif birth is not None and ident[6:14] != f"{birth:%Y%m%d}":
            problems.append(f"身份证号：其中的出生日期 {ident[6:14]} 与出生日期 {birth:%Y%m%d} 不一致")
    born = ("出生日期", birth)
    _order(problems, born, ("参加工作时间", values.get("work_start_date")))
    _order(problems, born, ("入党时间", values.get("party_date")))
    _order(problems, born, ("离退休时间", values.get("retired_on")))
    _order(problems, born, ("去世日期", values.get("died_on")))
    _order(problems, ("参加工作时间", values.get("work_start_date")), ("离退休时间", values.get("retired_on")))
    if values.get("stage") == "retired" and not values.get("retirement_kind"):
        problems.append("离退休类别：已离退休的人员须选择离休或退休")
    if values.get("alive") is False and values.get("died_on") is None:
        problems.append("去世日期：不再健在的人员须填写去世日期")
    if values.get("alive") is not False and values.get("died_on") is not None:
        problems.append("去世日期：健在的人员不能有去世日期（请取消“健在”或清空去世日期）")
    postcode = str(values.get("postcode") or "")
    if postcode and not re.fullmatch(r"\d{6}", postcode):
        problems.append(f"邮政编码：“{postcode}”应为 6 位数字")
    _phone(problems, "手机", values.get("phone_mobile"))
    _phone(problems, "住宅电话", values.get("phone_home"))
    return problems


def row_problems(table: str, values: Mapping[str, Any], today: date) -> list[str]:
    """What is wrong across the fields of one sub-table row (each field already clean)."""
    problems: list[str] = []
    if table == "cad_life_event":
        _order(problems, ("起始日期", values.get("start_on")), ("截止日期", values.get("end_on")))
    elif table == "cad_hospital_stay":
        _order(problems, ("入院日期", values.get("admitted_on")), ("出院日期", values.get("discharged_on")))
    elif table == "cad_family":
        year = values.get("birth_year")
        if year is not None and not 1900 <= year <= today.year:
            problems.append(f"出生年份：{year} 不在 1900 至 {today.year} 之间")
        _phone(problems, "电话", values.get("phone"))
    return problems


# ------------------------------------------------------------------------------------------ saving
def _masked_unchanged(row: SyncedMixin, values: dict[str, Any]) -> dict[str, Any]:
    """Leave out masked values the form gave back unchanged (a masked value is never written)."""
    return {k: v for k, v in values.items() if not (isinstance(v, str) and "*" in v and getattr(row, k, None) == v)}


def save_person(session: Session, person_id: str, raw: Mapping[str, Any], today: date) -> CadPerson:
    """Save a person's basic information; refuses (changing nothing) what :func:`clean` or
    :func:`person_problems` find wrong."""
    row = session.get(CadPerson, person_id)
    if row is None or row.deleted:
        raise RecordRefused(["这位人员已不在名册中（可能已被删除），没有保存"])
    values = clean(PERSON_FIELDS, raw, today)
    problems = person_problems(values, today)
    if problems:
        raise RecordRefused(problems)
    values["id_number"] = str(values["id_number"]).upper() or None
    for key in ("address", "phone_mobile", "phone_home"):
        values[key] = values[key] or None
    for key, value in _masked_unchanged(row, values).items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    return row


def category_codes(session: Session) -> list[tuple[str, str]]:
    """The office's active person categories: (code, name), in their order."""
    rows = session.scalars(select(CadCategory).where(CadCategory.deleted.is_(False), CadCategory.active.is_(True))
                           .order_by(CadCategory.position, CadCategory.code)).all()
    return [(c.code, c.name) for c in rows]


def save_row(session: Session, table: str, person_id: str, row_id: str | None, raw: Mapping[str, Any],
             today: date) -> Any:
    """Add (``row_id`` None) or change a row of a person's sub-table; refuses, changing nothing, what is
    wrong. Returns the row."""
    fields = FORMS[table]
    choices = {"category_code": [c for c, _ in category_codes(session)]} if table == "cad_person_category" else None
    values = clean(fields, raw, today, choices)
    problems = row_problems(table, values, today)
    model = MODELS[table]
    if table == "cad_person_category":
        taken = session.scalar(select(model.id).where(model.person_id == person_id, model.deleted.is_(False),
                                                      model.category_code == values["category_code"],
                                                      model.id != (row_id or "")))
        if taken is not None:
            problems.append(f"人员类别：已属于“{values['category_code']}”类别")
    if problems:
        raise RecordRefused(problems)
    if row_id is None:
        row = model(person_id=person_id, **values)
        session.add(row)
    else:
        row = session.get(model, row_id)
        if row is None or row.deleted or row.person_id != person_id:
            raise RecordRefused(["这一条已不存在（可能已被删除），没有保存"])
        for key, value in _masked_unchanged(row, values).items():
            if getattr(row, key) != value:
                setattr(row, key, value)
    if table == "cad_family" and values.get("emergency_contact"):  # one emergency contact per person
        for other in session.scalars(select(CadFamily).where(CadFamily.person_id == person_id,
                                                             CadFamily.deleted.is_(False),
                                                             CadFamily.emergency_contact.is_(True))):
            if other is not row:
                other.emergency_contact = False
    session.flush()
    return row


def remove_row(session: Session, table: str, row_id: str) -> None:
    """Remove a row of a person's sub-table (a tombstone that syncs)."""
    row = session.get(MODELS[table], row_id)
    if row is not None and not row.deleted:
        row.deleted = True
        session.flush()


def field_form(definition: CadFieldDef) -> Field:
    """The input of an administrator-defined field."""
    kind = {"text": "text", "number": "text", "date": "date", "choice": "choice", "yesno": "choice"}.get(
        definition.field_type, "text")
    choices: tuple[str, ...] = ()
    if definition.field_type == "choice":
        choices = ("", *(c.strip() for c in re.split(r"[、\n]", definition.choices) if c.strip()))
    elif definition.field_type == "yesno":
        choices = ("", "是", "否")
    return Field(definition.key, definition.label, kind, definition.required, choices, 500)


def save_field_value(session: Session, person_id: str, definition: CadFieldDef, text: str,
                     today: date) -> CadFieldValue | None:
    """Set a person's value of an extra field (empty text removes it); refuses what the field's type or
    choices do not allow, changing nothing."""
    form = field_form(definition)
    values = clean((form,), {form.key: text}, today)
    value = values[form.key]
    if definition.field_type == "number" and value and not re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        raise RecordRefused([f"{definition.label}：“{value}”不是数字"])
    shown = value.isoformat() if isinstance(value, date) else str(value or "")
    row = session.scalar(select(CadFieldValue).where(CadFieldValue.person_id == person_id,
                                                     CadFieldValue.field_key == definition.key,
                                                     CadFieldValue.deleted.is_(False)))
    if row is None:
        if not shown:
            return None
        row = CadFieldValue(person_id=person_id, field_key=definition.key, value=shown,
                            sensitive=definition.sensitive)
        session.add(row)
    elif not shown:
        row.deleted = True
    elif row.value != shown:
        row.value = shown
    session.flush()
    return row


def writes_needed(table: str) -> tuple[str, ...]:
    """The permissions that may add rows to ``table`` (for the read-only note)."""
    rule = RULES.get(table)
    return tuple(p for g in (rule.grants if rule else ()) if INSERT in g.ops for p in g.permissions)


ORDER: dict[str, tuple[str, ...]] = {
    "cad_interest": ("kind", "name"), "cad_life_event": ("start_on",), "cad_family": ("relation", "birth_year"),
    "cad_hospital_stay": ("admitted_on",), "cad_person_category": ("category_code",), "cad_award": ("awarded_on",),
    "cad_document": ("dated_on", "title"),
}


def person_rows(session: Session, table: str, person_id: str) -> list[Any]:
    """The live rows of one of a person's sub-tables, in the order the page lists them (detached)."""
    model = MODELS[table]
    query = select(model).where(model.person_id == person_id, model.deleted.is_(False))
    rows = list(session.scalars(query.order_by(*(getattr(model, c) for c in ORDER.get(table, ())), model.id)))
    if table == "cad_family":  # the emergency contact first
        rows.sort(key=lambda r: not r.emergency_contact)
    elif table == "cad_hospital_stay":
        rows.reverse()  # the latest stay first
    for row in rows:
        session.expunge(row)
    return rows


def field_definitions(session: Session) -> list[CadFieldDef]:
    """The active extra fields the administrator defined, in their order (detached)."""
    rows = list(session.scalars(select(CadFieldDef).where(CadFieldDef.deleted.is_(False),
                                                          CadFieldDef.active.is_(True))
                                .order_by(CadFieldDef.position, CadFieldDef.key)))
    for row in rows:
        session.expunge(row)
    return rows


def field_values(session: Session, person_id: str) -> dict[str, str]:
    """A person's values of the extra fields, by field key."""
    rows = session.scalars(select(CadFieldValue).where(CadFieldValue.person_id == person_id,
                                                       CadFieldValue.deleted.is_(False)))
    return {r.field_key: r.value for r in rows}
