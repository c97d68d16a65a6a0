"""Importers and the files clerks really send: damaged, mislabelled or locked Excel files, CSV in every common
Chinese encoding, rows that do not fit the header, amounts with the wrong sign, title rows and merged headers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS, import_file
from core.budget.importers.templates import write_xlsx_template
from core.db import make_engine, make_session_factory, migrate
from core.sync.stamping import install_server_hooks
from tests.budget.helpers import seed_reference, snapshot, write_csv
from tests.budget.test_importers import GOOD_ROWS, PAY_HEADER, _pay

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    """One seeded database for the tests that only read files: a refused file never reaches it."""
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('robust') / 'budget.sqlite3'}")
    migrate(eng)
    f = make_session_factory(eng)
    install_server_hooks(f)
    seed_reference(f)
    yield eng, f
    eng.dispose()


def _xlsx_bytes(kind: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(SPECS[kind].headers))
    for row in GOOD_ROWS[kind]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _damaged(kind: str, damage: str, tmp_path: Path) -> Path:
    good = _xlsx_bytes(kind)
    content = {
        "empty": b"",
        "truncated": good[:len(good) // 2],
        "old_xls": OLE + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1000,
        "encrypted": OLE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000,
        "csv_named_xlsx": (",".join(SPECS[kind].headers) + "\n").encode("utf-8-sig"),
        "random": bytes(range(256)) * 8,
        "zip_not_workbook": b"PK\x03\x04" + b"\x00" * 26 + b"junk" * 100,
    }[damage]
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(content)
    return path


EXPECTED = {"empty": "0 字节", "truncated": "损坏", "old_xls": ".xls", "encrypted": "密码",
            "csv_named_xlsx": "内容却是文本", "random": "不是有效的 Excel", "zip_not_workbook": "损坏"}


@pytest.mark.parametrize("damage", sorted(EXPECTED))
@pytest.mark.parametrize("kind", sorted(SPECS))
def test_damaged_excel_files_end_in_a_clear_message(shared: tuple[Engine, sessionmaker[Session]], tmp_path: Path,
                                                     kind: str, damage: str) -> None:
    engine, factory = shared
    before = snapshot(engine)
    result = import_file(factory, kind, _damaged(kind, damage, tmp_path))
    assert not result.ok and len(result.problems) == 1
    problem = result.problems[0]
    assert EXPECTED[damage] in problem.what, problem
    assert problem.todo and "请" in problem.todo
    assert "Error" not in result.report() and "Traceback" not in result.report()
    assert result.report().splitlines()[1].strip().startswith("文件：")
    assert snapshot(engine) == before


def test_an_excel_workbook_named_csv_is_named_as_such(shared: tuple[Engine, sessionmaker[Session]],
                                                      tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(_xlsx_bytes("payments"))
    problem = import_file(shared[1], "payments", path).problems[0]
    assert "内容却是 Excel 工作簿" in problem.what and ".xlsx" in problem.todo


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_common_chinese_encoding(factory: sessionmaker[Session], tmp_path: Path, encoding: str) -> None:
    seed_reference(factory)
    rows = [",".join(PAY_HEADER)] + [",".join(_pay(f"ZF{i}", "12.5", 收款人="上海浦东某某科技有限公司")) for i in range(3)]
    path = tmp_path / "payments.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    result = import_file(factory, "payments", path)
    assert result.ok, result.report()
    assert result.inserted == 3


def test_undecodable_csv_is_named(shared: tuple[Engine, sessionmaker[Session]], tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(b"\x80\xff\x80\xff" * 100)
    problem = import_file(shared[1], "payments", path).problems[0]
    assert "编码无法识别" in problem.what and "CSV UTF-8" in problem.todo


def test_a_row_with_an_unquoted_comma_is_refused_with_row_and_column(factory: sessionmaker[Session],
                                                                     engine: Engine, tmp_path: Path) -> None:
    seed_reference(factory)
    lines = [",".join(PAY_HEADER), ",".join(_pay("ZF001", "100")),
             ",".join(_pay("ZF002", "1 234,56")),                      # row 3: the amount split in two
             ",".join(_pay("ZF003", "100")[:-2])]                       # row 4: two cells short
    path = tmp_path / "payments.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(engine)
    result = import_file(factory, "payments", path)
    assert [(p.row, p.column) for p in result.problems] == [(3, "第 17 列"), (4, "项目编码")]
    assert "比表头多" in result.problems[0].what and "1 234,56" in result.problems[0].todo
    assert "只有 14 个单元格" in result.problems[1].what
    assert snapshot(engine) == before


def test_empty_cells_after_the_last_column_are_not_a_problem(factory: sessionmaker[Session], tmp_path: Path) -> None:
    seed_reference(factory)
    path = write_csv(tmp_path / "payments.csv", [*PAY_HEADER, "", ""], [[*_pay("ZF001", "100"), "", ""]])
    result = import_file(factory, "payments", path)
    assert result.ok, result.report()


NEGATIVE = {  # kind → (column, row with a negative amount in that column)
    "payments": ("支付金额（元）", _pay("ZF009", "-100")),
    "projects": ("预算金额（元）", ["2025", "P009", "某项目", "一般公共预算", "D010", "", "2050203", "", "", "-1"]),
    "tax": ("收入金额（元）", ["2025", "1", "101010101", "国有企业增值税", "全市", "-5"]),
    "assets": ("金额（元）", ["2025", "上海某集团有限公司", "企业国有资产", "资产总额", "-50"]),
    "plans": ("计划金额（元）", ["2025", "JH009", "ZB001", "D010", "", "3", "-1"]),
    "audit": ("涉及金额（元）", ["2025", "SJ9", "D031", "", "预算执行", "超支", "", "-1", "整改中", "", "", ""]),
}


@pytest.mark.parametrize("kind", sorted(NEGATIVE))
def test_negative_amounts_are_refused_where_the_domain_has_none(factory: sessionmaker[Session], engine: Engine,
                                                                tmp_path: Path, kind: str) -> None:
    seed_reference(factory)
    column, row = NEGATIVE[kind]
    before = snapshot(engine)
    result = import_file(factory, kind, write_csv(tmp_path / f"{kind}.csv", SPECS[kind].headers, [row]))
    assert [(p.row, p.column) for p in result.problems] == [(2, column)]
    assert "负数" in result.problems[0].what
    assert snapshot(engine) == before


def test_adjustments_carry_their_sign_by_type(factory: sessionmaker[Session], tmp_path: Path) -> None:
    seed_reference(factory)
    indicators = write_csv(tmp_path / "indicators.csv", SPECS["indicators"].headers, GOOD_ROWS["indicators"])
    assert import_file(factory, "indicators", indicators).ok  # a negative 调整金额 is an adjustment
    rows = [["2025", "ZB001", "文1", "调增", "2025-06-30", "-5", ""],
            ["2025", "ZB001", "文2", "收回", "2025-06-30", "5", ""],
            ["2025", "ZB001", "文3", "调减", "2025-06-30", "-5", ""],
            ["2025", "ZB001", "文4", "结转", "2025-06-30", "5", ""]]
    path = write_csv(tmp_path / "changes.csv", SPECS["indicator_changes"].headers, rows)
    result = import_file(factory, "indicator_changes", path)
    assert [(p.row, p.column) for p in result.problems] == [(2, "调整金额（元）"), (3, "调整金额（元）")]
    assert "调增" in result.problems[0].what and "负数" in result.problems[0].what
    del rows[:2]
    assert import_file(factory, "indicator_changes",
                       write_csv(tmp_path / "changes.csv", SPECS["indicator_changes"].headers, rows)).ok


def test_title_row_and_two_level_merged_header_are_skipped(factory: sessionmaker[Session], tmp_path: Path) -> None:
    seed_reference(factory)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    width = len(PAY_HEADER)
    ws.append(["2025年1月市级财政支付明细表"])                      # row 1: the title, merged across
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["单位：元"])                                          # row 2: the unit line
    upper = list(PAY_HEADER)
    lower = [""] * width
    money = PAY_HEADER.index("支付金额（元）")
    upper[money], upper[money + 1] = "支付信息", ""                 # row 3: a group over two columns
    lower[money], lower[money + 1] = "支付金额（元）", "支付方式"    # row 4: their own names
    ws.append(upper)
    ws.append(lower)
    ws.merge_cells(start_row=3, start_column=money + 1, end_row=3, end_column=money + 2)
    for c in range(1, width + 1):
        if c not in (money + 1, money + 2):
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.append(_pay("ZF001", "100"))                                  # row 5
    ws.append(_pay("ZF002", "12.345"))                               # row 6: a problem, named by its row
    path = tmp_path / "payments.xlsx"
    wb.save(path)
    result = import_file(factory, "payments", path)
    assert [(p.row, p.column) for p in result.problems] == [(6, "支付金额（元）")]
    ws.delete_rows(6)
    wb.save(path)
    result = import_file(factory, "payments", path)
    assert result.ok and result.inserted == 1, result.report()


def test_a_file_without_the_header_says_so(shared: tuple[Engine, sessionmaker[Session]], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "payments.csv", ["甲", "乙"], [["1", "2"]])
    result = import_file(shared[1], "payments", path)
    assert len(result.problems) == 1 and "找不到《支付明细》的表头" in result.problems[0].what


def test_templates_still_import_empty(shared: tuple[Engine, sessionmaker[Session]], tmp_path: Path) -> None:
    for kind, spec in SPECS.items():
        path = tmp_path / f"{kind}.xlsx"
        write_xlsx_template(spec, path)
        result = import_file(shared[1], kind, path)
        assert result.ok and result.rows == 0, result.report()


AMOUNT = st.one_of(
    st.builds(lambda whole, frac, neg: f"{'-' if neg else ''}{whole}{frac}", st.integers(0, 10**15),
              st.sampled_from(["", ".0", ".5", ".05", ".99", ".10"]), st.booleans()),
    st.sampled_from(["1,234.56", "12元", "1\n2", "0.07", "-0", "99999999999.99", "100000000000.01"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(AMOUNT, min_size=1, max_size=20))
def test_a_column_of_amounts_reads_as_each_amount_alone(texts: list[str]) -> None:
    from core.budget.importers.reading import ValueProblem, parse_fen, parse_fen_column

    try:
        one_by_one = [parse_fen(t) for t in texts]
    except ValueProblem:
        with pytest.raises(ValueProblem):
            parse_fen_column(texts)
        return
    assert parse_fen_column(texts) == one_by_one


def test_bulk_rows_are_stamped_as_the_hooks_stamp_them(server_db_url: str, tmp_path: Path) -> None:
    """New rows written by COPY (PostgreSQL) or executemany (SQLite) read back as rows the ORM wrote would."""
    from datetime import date

    from sqlalchemy import select

    from core.budget.models import Payment
    from core.models.syncstate import SyncCounter

    engine = make_engine(server_db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    seed_reference(factory)
    try:
        rows = [_pay("ZF001", "1,234.56", 收款人="上海\t“引号”\\反斜杠"), _pay("ZF002", "100", 部门编码="D031"),
                _pay("ZF003", "0.07", 支付日期="2025/12/31", 经济科目="")]
        result = import_file(factory, "payments", write_csv(tmp_path / "p.csv", PAY_HEADER, rows), actor="clerk")
        assert result.ok and result.inserted == 3, result.report()
        with factory() as s:
            got = {p.payment_no: p for p in s.scalars(select(Payment))}
            counter = s.scalar(select(SyncCounter.value))
        assert got["ZF001"].payee == "上海\t“引号”\\反斜杠" and got["ZF001"].amount_fen == 123_456
        assert got["ZF003"].paid_on == date(2025, 12, 31) and got["ZF003"].month == 12
        assert got["ZF003"].economic_code == "" and got["ZF002"].book == "general"
        assert got["ZF001"].scope == "committee:教科文卫" and got["ZF002"].scope == "budget.internal"
        seqs = sorted(p.seq for p in got.values())
        assert seqs == list(range(seqs[0], seqs[0] + 3)) and counter is not None and counter >= seqs[-1]
        for p in got.values():
            assert p.version == 1 and not p.deleted and not p.generated and p.changed_by == "clerk"
            assert p.changed_at is not None and p.changed_at.tzinfo is not None
            assert len(p.id) == 36 and p.id[14] == "7" and p.row_hash and p.natural_key.startswith("payments|2025|")
    finally:
        engine.dispose()
