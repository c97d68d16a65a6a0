"""Import of the people about to retire (即将离退休) from the personnel appointments system (人事任免).

The file is the documented template (:data:`COLUMNS`, :func:`write_template`), as ``.xlsx`` or ``.csv``
(read like the budget files: UTF-8, UTF-16 or GB18030 text; content checked, not the name). Like the budget
importers it is all or nothing: every row is checked first, every problem is reported with its row and
column, and a file with any problem changes nothing. Each person's statutory retirement date is computed
under the 2024 decision (:mod:`core.cadre.retirement`).

A person is found again by the ID number (or, without one, by name and birth date): the same values
imported again change nothing (``source_hash``); changed values update the person while still about to
retire; a person already retired is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.budget.importers.engine import Problem
from core.budget.importers.reading import ValueProblem, parse_date, read_rows
from core.cadre.models import CadPerson
from core.cadre.retirement import category_for, retirement

SOURCE = "人事任免"
TITLE = "即将离退休人员（人事任免）"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    note: str


COLUMNS = (
    Column("姓名", "name", True, "2 至 20 个字"),
    Column("性别", "gender", True, "男 或 女"),
    Column("出生日期", "birth_date", True, "年-月-日，例如 1966-05-12"),
    Column("身份证号", "id_number", False, "18 位；填写时须与出生日期、性别一致"),
    Column("原法定退休年龄", "original_retirement_age", False, "女性填 55（干部，默认）或 50（工人）；男性不填"),
    Column("民族", "ethnicity", False, "默认 汉族"),
    Column("籍贯", "native_place", False, ""),
    Column("原单位", "former_unit", True, ""),
    Column("原职务", "former_post", False, ""),
    Column("职级", "treatment_level", False, "例如 正处级"),
    Column("参加工作时间", "work_start_date", False, "年-月-日"),
    Column("入党时间", "party_date", False, "年-月-日"),
    Column("任免文号", "source_ref", True, "例如 沪人任〔2026〕12号"),
    Column("手机", "phone_mobile", False, "11 位手机号"),
)
_BY_HEADER = {c.header: c for c in COLUMNS}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass
class RetiringImport:
    """What an import did, or every reason it did nothing."""

    filename: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        if self.problems:
            lines = [f"“{self.filename}”（{TITLE}）有 {len(self.problems)} 处问题，整个文件没有导入，请改正后重新导入："]
            lines += [f"  {p}" for p in self.problems]
            return "\n".join(lines)
        return (f"“{self.filename}”（{TITLE}）导入完成：共 {self.rows} 人，新增 {self.inserted} 人，"
                f"更新 {self.updated} 人，{self.unchanged} 人与已导入的内容相同未作改动。")


def write_template(path: Path) -> Path:
    """The template as an Excel workbook: the header row, one example row, and a sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "即将离退休人员"
    sheet.append([c.header for c in COLUMNS])
    sheet.append(["张建国", "男", "1966-05-12", "", "", "汉族", "上海", "市人大常委会办公厅", "处长", "正处级",
                  "1988-07-01", "1990-06-15", "沪人任〔2026〕12号", "13800138000"])
    notes = book.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "否", c.note])
    book.save(path)
    return path


def id_number_problem(text: str, birth: date | None, gender: str) -> str | None:
    """Why an ID number is wrong (format, check digit, or not matching the birth date or gender)."""
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return "身份证号应为 18 位数字（最后一位可为 X）"
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != text[17]:
        return "身份证号的校验位不正确，可能有数字抄错"
    if birth is not None and text[6:14] != f"{birth:%Y%m%d}":
        return "身份证号中的出生日期与“出生日期”列不一致"
    if gender in ("男", "女") and (int(text[16]) % 2 == 1) != (gender == "男"):
        return "身份证号的性别位与“性别”列不一致"
    return None


def _check_row(number: int, cells: dict[str, str], today: date) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def bad(column: str, what: str, todo: str) -> None:
        problems.append(Problem(number, column, what, todo))

    for c in COLUMNS:
        if c.required and not cells.get(c.key):
            bad(c.header, "必填项为空", f"请填写（{c.note}）" if c.note else "请填写")
    name = cells.get("name", "")
    if name and not 2 <= len(name) <= 20:
        bad("姓名", f"姓名“{name}”长度不对", "请填写 2 至 20 个字的姓名")
    values["name"] = name
    gender = cells.get("gender", "")
    if gender and gender not in ("男", "女"):
        bad("性别", f"性别“{gender}”无法识别", "请填写“男”或“女”")
    values["gender"] = gender
    for key, header in (("birth_date", "出生日期"), ("work_start_date", "参加工作时间"), ("party_date", "入党时间")):
        values[key] = None
        if cells.get(key):
            try:
                values[key] = parse_date(cells[key])
            except ValueProblem as exc:
                bad(header, exc.what, exc.todo)
    birth = values["birth_date"]
    if birth is not None and not date(1940, 1, 1) <= birth <= today:
        bad("出生日期", f"出生日期 {birth:%Y-%m-%d} 不合理", "请核对出生日期")
    age_text = cells.get("original_retirement_age", "")
    values["original_retirement_age"] = None
    if age_text:
        if gender == "男" and age_text != "60":
            bad("原法定退休年龄", f"男性的原法定退休年龄应为 60，不能是“{age_text}”", "男性请留空")
        elif gender == "女" and age_text not in ("50", "55"):
            bad("原法定退休年龄", f"“{age_text}”不是女性的原法定退休年龄", "请填写 55（干部）或 50（工人），或留空（按 55）")
        elif age_text.isdigit():
            values["original_retirement_age"] = int(age_text)
    id_number = cells.get("id_number", "").upper() or None
    if id_number:
        reason = id_number_problem(id_number, birth, gender)
        if reason:
            bad("身份证号", reason, "请与人事任免文件核对")
    values["id_number"] = id_number
    phone = cells.get("phone_mobile", "")
    if phone and not re.fullmatch(r"1[3-9][0-9]{9}", phone):
        bad("手机", f"手机号“{phone}”格式不对", "请填写 11 位手机号，或留空")
    values["phone_mobile"] = phone or None
    for key in ("ethnicity", "native_place", "former_unit", "former_post", "treatment_level", "source_ref"):
        values[key] = cells.get(key, "")
    values["ethnicity"] = values["ethnicity"] or "汉族"
    for key, limit in (("former_unit", 100), ("former_post", 100), ("treatment_level", 20), ("source_ref", 60),
                       ("native_place", 60), ("ethnicity", 20)):
        if len(values[key]) > limit:
            bad(next(c.header for c in COLUMNS if c.key == key), f"内容超过 {limit} 个字", "请缩短")
    return values, problems


def _key(values: dict[str, Any]) -> tuple[str, str]:
    if values["id_number"]:
        return ("id", values["id_number"])
    return ("name", f"{values['name']}|{values['birth_date']}")


def _hash(values: dict[str, Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_file(path: Path, today: date) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Every row's values, or every problem of the file (with row and column)."""
    try:
        rows = read_rows(path)
    except ValueProblem as exc:
        return [], [Problem(0, "", exc.what, exc.todo)]
    except OSError as exc:
        return [], [Problem(0, "", f"文件无法打开（{exc.strerror or exc}）", "请确认文件存在且未被其他程序占用")]
    if not rows:
        return [], [Problem(0, "", "文件中没有内容", "请使用模板填写后导入")]
    header_row, header = rows[0]
    headers = [h.strip() for h in header]
    problems = [Problem(header_row, c.header, "缺少这一列", "请使用模板的表头（第一行）")
                for c in COLUMNS if c.required and c.header not in headers]
    unknown = [h for h in headers if h and h not in _BY_HEADER]
    problems += [Problem(header_row, h, "不是模板中的列", "请删除这一列或改用模板的列名") for h in unknown]
    if problems:
        return [], problems
    if len(rows) == 1:
        return [], [Problem(0, "", "文件中只有表头，没有人员", "请在表头下方逐行填写人员")]
    positions = {_BY_HEADER[h].key: i for i, h in enumerate(headers) if h}
    found: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows[1:]:
        row = {key: (cells[i].strip() if i < len(cells) and cells[i] is not None else "") for key, i in positions.items()}
        values, row_problems = _check_row(number, row, today)
        problems += row_problems
        if row_problems:
            continue
        key = _key(values)
        if key in seen:
            column = "身份证号" if key[0] == "id" else "姓名"
            problems.append(Problem(number, column, f"与第 {seen[key]} 行是同一人", "请删除重复的行"))
            continue
        seen[key] = number
        values["_row"] = number
        found.append(values)
    return found, problems


def import_retiring(session: Session, path: Path, today: date) -> RetiringImport:
    """Check the whole file, then write every person in the session's transaction (nothing on any problem)."""
    result = RetiringImport(path.name)
    rows, result.problems = check_file(path, today)
    if result.problems:
        return result
    result.rows = len(rows)
    people = session.scalars(select(CadPerson).where(CadPerson.deleted.is_(False))).all()
    by_id = {p.id_number: p for p in people if p.id_number}
    by_name = {f"{p.name}|{p.birth_date}": p for p in people}
    plans: list[tuple[CadPerson | None, dict[str, Any]]] = []
    for values in rows:
        number = values.pop("_row")
        kind, key = _key(values)
        existing = by_id.get(key) if kind == "id" else by_name.get(key)
        if existing is not None and existing.stage != "upcoming":
            result.problems.append(Problem(number, "姓名", f"{values['name']} 已登记为离退休人员，不能作为即将离退休人员导入",
                                           "请删除这一行"))
            continue
        plans.append((existing, values))
    if result.problems:
        return result
    for existing, values in plans:
        digest = _hash(values)
        category = category_for(values["gender"], values["original_retirement_age"])
        due = retirement(category, values["birth_date"])
        fields = {**values, "stage": "upcoming", "retirement_due_on": due.on,
                  "retirement_delay_months": due.delay_months, "source": SOURCE, "source_hash": digest}
        if existing is None:
            session.add(CadPerson(**fields))
            result.inserted += 1
        elif existing.source_hash == digest:
            result.unchanged += 1
        else:
            for key, value in fields.items():
                setattr(existing, key, value)
            result.updated += 1
    session.flush()
    return result
