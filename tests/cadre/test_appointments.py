"""Import of the people about to retire: the template, every refusal with row and column and nothing
changed, the retirement date under the 2024 decision, idempotent re-import, and the command."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.cadre.appointments import COLUMNS, id_number_problem, import_retiring, write_template
from core.cadre.models import CadPerson
from core.db import make_engine, make_session_factory
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)
HEADER = ",".join(c.header for c in COLUMNS)
ROOT = Path(__file__).resolve().parents[2]


def _id(birth: str, seq: str, male: bool) -> str:
    body = f"310101{birth.replace('-', '')}{seq}{'1' if male else '2'}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


ZHANG = f"张建国,男,1966-05-12,{_id('1966-05-12', '12', True)},,汉族,上海,市人大常委会办公厅,处长,正处级,1988-07-01,1990-06-15,沪人任〔2026〕12号,13800138000"
LI = "李秀英,女,1971-03-02,,,汉族,江苏,市人大常委会研究室,副主任,副局级,1993-07-01,,沪人任〔2026〕13号,"
WU = "吴芳,女,1976-08-20,,50,汉族,上海,机关服务中心,,,1995-09-01,,沪人任〔2026〕14号,"


def _csv(tmp_path: Path, *lines: str, name: str = "即将离退休.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def factory(migrated_sqlite: Path, tmp_path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'a.sqlite3')}")
    yield make_session_factory(engine)
    engine.dispose()


def _import(factory: sessionmaker[Session], path: Path) -> tuple[object, list[CadPerson]]:
    with factory() as s:
        result = import_retiring(s, path, TODAY)
        s.commit() if result.ok else s.rollback()
    with factory() as s:
        people = list(s.scalars(select(CadPerson).order_by(CadPerson.name)))
        s.expunge_all()
    return result, people


def test_the_file_is_imported_with_the_statutory_retirement_dates(factory: sessionmaker[Session], tmp_path: Path) -> None:
    result, people = _import(factory, _csv(tmp_path, ZHANG, LI, WU))
    assert result.ok and (result.inserted, result.updated, result.unchanged) == (3, 0, 0), result.report()
    by_name = {p.name: p for p in people}
    # a man born 1966-05: original 2026-05 is month 16 from 2025-01 → 16 // 4 + 1 = 5 months → 2026-10-12
    assert (by_name["张建国"].retirement_due_on, by_name["张建国"].retirement_delay_months) == (date(2026, 10, 12), 5)
    # a woman cadre born 1971-03: original 2026-03 is month 14 → 4 months → 2026-07-02
    assert by_name["李秀英"].retirement_due_on == date(2026, 7, 2)
    # a woman worker born 1976-08: original 2026-08 is month 19 → 19 // 2 + 1 = 10 months → 2027-06-20
    assert by_name["吴芳"].retirement_due_on == date(2027, 6, 20)
    assert all(p.stage == "upcoming" and p.source == "人事任免" for p in people)
    again, _ = _import(factory, _csv(tmp_path, ZHANG, LI, WU))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed, people = _import(factory, _csv(tmp_path, ZHANG.replace("处长", "一级巡视员"), LI, WU))
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 2)
    assert {p.name: p.former_post for p in people}["张建国"] == "一级巡视员"


@pytest.mark.parametrize(("line", "where"), [
    (ZHANG.replace("男", "未知", 1), "第 3 行，“性别”列"),
    (ZHANG.replace("1966-05-12", "1966-13-40", 1), "第 3 行，“出生日期”列"),
    (ZHANG.replace("1966-05-12", "1966-05-13", 1), "第 3 行，“身份证号”列"),
    (LI.replace(",,,汉族", ",,60,汉族"), "第 3 行，“原法定退休年龄”列"),
    (LI.replace("市人大常委会研究室", ""), "第 3 行，“原单位”列"),
    (LI.replace(",,沪人任", ",138,沪人任").rstrip(",") + ",12", "第 3 行，“手机”列"),
    (LI, "第 3 行，“姓名”列"),  # the same person twice
])
def test_a_bad_row_is_refused_with_row_and_column_and_nothing_changes(
        factory: sessionmaker[Session], tmp_path: Path, line: str, where: str) -> None:
    result, people = _import(factory, _csv(tmp_path, LI, line))
    report = result.report()  # type: ignore[attr-defined]
    assert not result.ok and where in report and "整个文件没有导入" in report, report  # type: ignore[attr-defined]
    assert people == []


def test_a_retired_person_is_not_imported_again_as_about_to_retire(factory: sessionmaker[Session],
                                                                   tmp_path: Path) -> None:
    with factory.begin() as s:
        s.add(CadPerson(name="李秀英", gender="女", birth_date=date(1971, 3, 2), stage="retired"))
    result, people = _import(factory, _csv(tmp_path, ZHANG, LI))
    assert not result.ok and "第 3 行" in result.report()  # type: ignore[attr-defined]
    assert [p.name for p in people] == ["李秀英"]


@pytest.mark.parametrize(("content", "words"), [
    (b"", "0 字节"),
    ("姓名,性别\n张三,男\n".encode(), "缺少这一列"),
    ((HEADER + ",爱好\n").encode(), "不是模板中的列"),
    ((HEADER + "\n").encode(), "只有表头"),
    (b"PK\x03\x04broken", "扩展名是 .csv"),
])
def test_a_broken_file_is_refused_in_chinese(factory: sessionmaker[Session], tmp_path: Path, content: bytes,
                                             words: str) -> None:
    path = tmp_path / "坏文件.csv"
    path.write_bytes(content)
    result, people = _import(factory, path)
    assert not result.ok and words in result.report(), result.report()  # type: ignore[attr-defined]
    assert people == []


def test_the_template_reads_back_and_imports(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = write_template(tmp_path / "模板.xlsx")
    book = load_workbook(path)
    assert [c.value for c in book["即将离退休人员"][1]] == [c.header for c in COLUMNS]
    assert book["填写说明"].max_row == len(COLUMNS) + 1
    result, people = _import(factory, path)
    assert result.ok and [p.name for p in people] == ["张建国"], result.report()  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.dates(date(1940, 1, 1), date(2000, 12, 31)), st.integers(0, 99), st.booleans(), st.integers(0, 16))
def test_an_id_number_with_one_digit_changed_is_refused(birth: date, seq: int, male: bool, pos: int) -> None:
    good = _id(f"{birth:%Y-%m-%d}", f"{seq:02d}", male)
    assert id_number_problem(good, birth, "男" if male else "女") is None
    digit = str((int(good[pos]) + 1) % 10)
    assert id_number_problem(good[:pos] + digit + good[pos + 1:], birth, "男" if male else "女") is not None


def test_the_command_refuses_a_bad_file_with_exit_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    bad = _csv(tmp_path, ZHANG.replace("男", "X", 1), name="bad.csv")
    run = subprocess.run([sys.executable, "-m", "apps.cli", "cadre", "import-retiring", str(bad), "--db", db,
                          "--today", "2026-12-05"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2 and "第 2 行，“性别”列" in run.stderr and "Traceback" not in run.stderr
    good = _csv(tmp_path, ZHANG, LI, name="good.csv")
    run = subprocess.run([sys.executable, "-m", "apps.cli", "cadre", "import-retiring", str(good), "--db", db,
                          "--today", "2026-12-05"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0 and "新增 2 人" in run.stdout, run.stderr
