"""Importers of the bureaus' files: good and bad files, all-or-nothing, idempotent, progress and cancel."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS, import_file
from core.budget.importers.reading import parse_fen
from core.budget.importers.templates import write_templates
from core.budget.models import ImportLog, Payment, TaxRevenue
from tests.budget.helpers import seed_reference, snapshot, write_csv

PAY_HEADER = SPECS["payments"].headers


def _pay(no: str, amount: str, **over: str) -> list[str]:
    row = {"年度": "2025", "支付编号": no, "支付申请号": "", "支付日期": "2025-03-05", "收款人": "上海某某科技有限公司",
           "收款账号": "6222000011112222", "支付金额（元）": amount, "支付方式": "国库集中支付", "用途": "设备维护",
           "预算类型": "一般公共预算", "功能科目": "2050203", "经济科目": "30213", "部门编码": "D010",
           "单位编码": "", "项目编码": "P001", "指标编号": "ZB001"}
    row.update(over)
    return [row[h] for h in PAY_HEADER]


@pytest.fixture
def seeded(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    seed_reference(factory)
    return factory


def _good_payments(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "payments.csv", PAY_HEADER, [
        _pay("ZF001", "1,234.56"),
        _pay("ZF002", "100", 部门编码="D031", 功能科目="2010101", 支付方式="公务卡"),
        _pay("ZF003", "0.07", 支付日期="2025/12/31"),
        ["合计", *[""] * 5, "1334.63", *[""] * 9],
    ])


def test_good_file_is_imported_exactly_and_syncs(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    result = import_file(seeded, "payments", _good_payments(tmp_path), progress=lambda *a: seen.append(a))
    assert result.ok, result.report()
    assert (result.rows, result.inserted, result.unchanged) == (3, 3, 0)
    assert "新增 3 行" in result.report()
    assert seen and seen[-1][2] == "写入"
    with seeded() as s:
        rows = {p.payment_no: p for p in s.scalars(select(Payment))}
        assert rows["ZF001"].amount_fen == 123_456 and rows["ZF003"].amount_fen == 7
        assert rows["ZF003"].month == 12 and rows["ZF001"].book == "general"
        assert rows["ZF001"].scope == "committee:教科文卫" and rows["ZF002"].scope == "budget.internal"
        assert all(p.seq > 0 and p.version == 1 and not p.generated for p in rows.values())
        assert s.scalar(select(func.count()).select_from(ImportLog)) == 1


def test_reimport_changes_nothing(seeded: sessionmaker[Session], engine: Engine, tmp_path: Path) -> None:
    path = _good_payments(tmp_path)
    assert import_file(seeded, "payments", path).ok
    before = snapshot(engine)
    again = import_file(seeded, "payments", path)
    assert again.ok and (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    after = snapshot(engine)
    before.pop("bgt_import_log"), after.pop("bgt_import_log")
    before.pop("sync_counter"), after.pop("sync_counter")
    assert after == before


def test_bad_file_reports_every_row_and_writes_nothing(seeded: sessionmaker[Session], engine: Engine,
                                                       tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", PAY_HEADER, [
        _pay("ZF001", "12.345"),                           # row 2: three decimals
        _pay("ZF002", "100", 功能科目="2999999"),           # row 3: code not in the year's table
        _pay("ZF003", "100", 收款人=""),                    # row 4: required field empty
        _pay("ZF004", "100", 部门编码="D999"),              # row 5: unknown department
        _pay("ZF005", "100"),                              # row 6: fine
        _pay("ZF005", "100"),                              # row 7: duplicate of row 6
        _pay("ZF007", "1.5e3"),                            # row 8: not an amount a clerk writes
        _pay("ZF008", "100", 支付日期="2024-12-31"),        # row 9: outside the year
        _pay("ZF009", "100", 支付方式="支票"),              # row 10: not a choice
        _pay("ZF010", "100", 支付日期="2025-02-30"),        # row 11: no such date
        ["合计", *[""] * 5, "999", *[""] * 9],             # row 12: wrong total
    ])
    before = snapshot(engine)
    result = import_file(seeded, "payments", path)
    assert not result.ok
    by_row = {p.row: p for p in result.problems}
    assert sorted(by_row) == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    assert by_row[2].column == "支付金额（元）" and "两位小数" in by_row[2].todo
    assert "2999999" in by_row[3].what and "2025 年度" in by_row[3].what
    assert by_row[4].column == "收款人" and by_row[4].what == "必填项为空"
    assert "D999" in by_row[5].what
    assert "与第 6 行重复" in by_row[7].what
    assert "不在 2025 年度内" in by_row[9].what
    assert "国库集中支付" in by_row[10].todo
    assert "合计" in by_row[12].what and "不符" in by_row[12].what
    report = result.report()
    assert "整个文件没有导入" in report and "第 2 行，“支付金额（元）”列" in report
    assert snapshot(engine) == before


def test_same_key_other_content_is_refused_then_allowed_as_correction(seeded: sessionmaker[Session],
                                                                      engine: Engine, tmp_path: Path) -> None:
    assert import_file(seeded, "payments", _good_payments(tmp_path)).ok
    fixed = write_csv(tmp_path / "fixed.csv", PAY_HEADER, [_pay("ZF001", "1,234.57")])
    before = snapshot(engine)
    refused = import_file(seeded, "payments", fixed)
    assert [p.row for p in refused.problems] == [2] and "已经导入过" in refused.problems[0].what
    assert snapshot(engine) == before
    allowed = import_file(seeded, "payments", fixed, allow_updates=True)
    assert allowed.ok and allowed.updated == 1
    with seeded() as s:
        row = s.scalars(select(Payment).where(Payment.payment_no == "ZF001")).one()
        assert row.amount_fen == 123_457 and row.version == 2


def test_missing_column_and_wrong_file_type(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [h for h in PAY_HEADER if h != "收款人"], [["2025"]])
    result = import_file(seeded, "payments", path)
    assert [(p.row, p.column) for p in result.problems] == [(1, "收款人")]
    other = tmp_path / "p.txt"
    other.write_text("x", encoding="utf-8")
    assert "不支持的文件类型" in import_file(seeded, "payments", other).problems[0].what


def test_excel_file_with_numbers_typed_as_numbers(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(PAY_HEADER))
    row = _pay("ZF100", "0")
    amount_at = PAY_HEADER.index("支付金额（元）")
    for amount, no in ((12.345, "ZF100"), (1234.56, "ZF101"), (19.99, "ZF102")):
        cells: list[object] = list(row)
        cells[PAY_HEADER.index("支付编号")] = no
        cells[amount_at] = amount
        cells[0] = 2025
        ws.append(cells)
    path = tmp_path / "payments.xlsx"
    wb.save(path)
    result = import_file(seeded, "payments", path)
    # a number with three decimals is refused rather than rounded silently
    assert [p.row for p in result.problems] == [2]
    ws.delete_rows(2)
    wb.save(path)
    result = import_file(seeded, "payments", path)
    assert result.ok, result.report()
    with seeded() as s:
        amounts = {no: fen for no, fen in s.execute(select(Payment.payment_no, Payment.amount_fen))}
    assert amounts == {"ZF101": 123_456, "ZF102": 1_999}


def test_cancel_before_and_during_writing_leaves_nothing(seeded: sessionmaker[Session], engine: Engine,
                                                         tmp_path: Path) -> None:
    rows = [_pay(f"ZF{i:05d}", "10") for i in range(1300)]
    path = write_csv(tmp_path / "many.csv", PAY_HEADER, rows)
    before = snapshot(engine)
    cancel = threading.Event()
    cancel.set()
    assert import_file(seeded, "payments", path, cancel=cancel).cancelled
    cancel.clear()

    def stop_midway(done: int, total: int, phase: str) -> None:
        if phase == "写入" and done >= 500:
            cancel.set()

    result = import_file(seeded, "payments", path, cancel=cancel, progress=stop_midway)
    assert result.cancelled and not result.ok and "已取消" in result.report()
    assert snapshot(engine) == before
    assert import_file(seeded, "payments", path).inserted == 1300


GOOD_ROWS: dict[str, list[list[str]]] = {
    "code_map": [["2025", "支出功能分类", "2024", "2080505", "2080506", "科目调整"]],
    "codes": [["2025", "支出功能分类", "20101", "人大事务", "款", "201"],
              ["2025", "收入分类", "10101", "增值税", "款", "101"]],
    "indicators": [["2025", "ZB001", "沪财预〔2025〕1号", "一般公共预算", "D010", "", "P001", "2050203", "30213",
                    "一般公共预算拨款", "2025-01-10", "1000000", "-20000.50", "0"],
                   ["合计", "", "", "", "", "", "", "", "", "", "", "1000000", "-20000.50", ""]],
    "payments": [_pay("ZF001", "88.80"), _pay("ZF002", "11.20"), ["合计", *[""] * 5, "100", *[""] * 9]],
    "plans": [["2025", "JH001", "ZB001", "D010", "P001", "3", "250000"]],
    "projects": [["2025", "P001", "义务教育设备更新", "一般公共预算", "D010", "", "2050203", "30213", "项目支出", "1000000"],
                 ["2025", "P002", "人大代表履职", "", "D031", "", "2010101", "", "", "35000.5"],
                 ["合计", "", "", "", "", "", "", "", "", "1035000.50"]],
    "indicator_changes": [["2025", "ZB001", "沪财预〔2025〕9号", "调减", "2025-06-30", "-20000.50", "压减一般性支出"]],
    "applications": [["2025", "SQ001", "JH001", "ZB001", "D010", "2025-03-03", "250000", "已支付"],
                     ["合计", "", "", "", "", "", "250000", ""]],
    "final_accounts": [["2025", "一般公共预算", "D010", "2050203", "30213", "100", "120", "118.5"],
                       ["2025", "一般公共预算", "", "2050203", "", "", "", "5000"]],
    "tax": [["2025", "1", "101010101", "国有企业增值税", "全市", "12345678.90"],
            ["2025", "1", "101020107", "成品油消费税", "全市", "100"],
            ["合计", "", "", "", "", "12345778.90"]],
    "social": [["2025", "0", "企业职工基本养老保险基金", "收入", "保险费收入", "100000000"]],
    "assets": [["2025", "上海某集团有限公司", "企业国有资产", "资产总额", "50000000000"]],
    "audit": [["2025", "SJ2025-01", "D031", "", "预算执行", "超预算支出", "", "15000", "整改中", "5000", "", "2025-12-31"]],
}


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_bureau_file_imports_and_reimports(seeded: sessionmaker[Session], engine: Engine,
                                                  tmp_path: Path, kind: str) -> None:
    if kind == "indicator_changes":  # a change needs its indicator imported first
        indicators = write_csv(tmp_path / "indicators.csv", SPECS["indicators"].headers, GOOD_ROWS["indicators"])
        assert import_file(seeded, "indicators", indicators).ok
    path = write_csv(tmp_path / f"{kind}.csv", SPECS[kind].headers, GOOD_ROWS[kind])
    first = import_file(seeded, kind, path)
    assert first.ok, first.report()
    assert first.inserted == len([r for r in GOOD_ROWS[kind] if r[0] != "合计"])
    before = snapshot(engine)
    second = import_file(seeded, kind, path)
    assert second.ok and second.inserted == 0 and second.unchanged == first.inserted
    after = snapshot(engine)
    for d in (before, after):
        d.pop("bgt_import_log"), d.pop("sync_counter")
    assert after == before


def test_tax_codes_are_checked_against_the_year(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tax.csv", SPECS["tax"].headers, [["2026", "1", "101010101", "增值税", "全市", "1"]])
    result = import_file(seeded, "tax", path)
    assert [p.column for p in result.problems] == ["收入科目"] and "2026 年度" in result.problems[0].what
    with seeded() as s:
        assert s.scalar(select(func.count()).select_from(TaxRevenue)) == 0


@pytest.mark.parametrize(("text", "fen"), [("1", 100), ("1,234.56", 123_456), ("-0.5", -50), ("12元", 1200),
                                           ("￥3.07", 307)])
def test_amounts_parse_exactly(text: str, fen: int) -> None:
    assert parse_fen(text) == fen


@pytest.mark.parametrize("text", ["1.234", "abc", "1.2.3", "", "1e3", "0.30000000000000004"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fen(text)


def test_shipped_templates_match_the_specs(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "resources" / "budget"
    for kind, spec in SPECS.items():
        header = (shipped / f"{kind}.csv").read_text(encoding="utf-8-sig").strip().split(",")
        assert tuple(header) == spec.headers
        assert (shipped / f"{kind}.xlsx").exists()
    written = write_templates(tmp_path)
    assert len(written) == 2 * len(SPECS)


def test_templates_import_as_empty_files(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "resources" / "budget"
    for kind in SPECS:
        for ext in ("csv", "xlsx"):
            result = import_file(seeded, kind, shipped / f"{kind}.{ext}")
            assert result.ok and result.inserted == 0, result.report()


def test_ministry_code_table_replaces_partial_and_generated_rows(seeded: sessionmaker[Session],
                                                                 tmp_path: Path) -> None:
    from core.budget.codes import add_generated_code
    from core.budget.models import ClassCode

    with seeded() as s, s.begin():
        add_generated_code(s, "functional", 2025, "20101", "人大事务", "款", "201")
    path = write_csv(tmp_path / "codes.csv", SPECS["codes"].headers, [
        ["2025", "支出功能分类", "201", "一般公共服务支出", "类", ""],
        ["2025", "支出功能分类", "20101", "人大事务", "款", "201"],
        ["2025", "functional", "2010108", "代表工作", "项", "20101"],
        ["2025", "科目", "9", "x", "", ""],
    ])
    bad = import_file(seeded, "codes", path)
    assert [(p.row, p.column) for p in bad.problems] == [(5, "科目类别")]
    lines = path.read_text(encoding="utf-8-sig").splitlines()[:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(seeded, "codes", path)
    assert result.ok and (result.updated, result.inserted) == (2, 1), result.report()
    with seeded() as s:
        rows = {c.code: c for c in s.scalars(select(ClassCode).where(
            ClassCode.kind == "functional", ClassCode.year == 2025, ClassCode.code.in_(["201", "20101", "2010108"])))}
        assert len(rows) == 3
        assert all(not r.is_partial and not r.generated and "导入" in r.source for r in rows.values())
    assert import_file(seeded, "codes", path).unchanged == 3


def test_all_or_nothing_and_reimport_on_the_server_database(server_db_url: str, tmp_path: Path) -> None:
    from core.db import make_engine, make_session_factory, migrate
    from core.sync.stamping import install_server_hooks

    engine = make_engine(server_db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    seed_reference(factory)
    try:
        bad = write_csv(tmp_path / "bad.csv", PAY_HEADER, [_pay("ZF1", "5"), _pay("ZF2", "5", 部门编码="D999")])
        before = snapshot(engine)
        assert [p.row for p in import_file(factory, "payments", bad).problems] == [3]
        assert snapshot(engine) == before
        good = _good_payments(tmp_path)
        assert import_file(factory, "payments", good).inserted == 3
        again = import_file(factory, "payments", good)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    finally:
        engine.dispose()


def _indexes(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bgt_payment'")}


def test_bulk_insert_rebuilds_every_index_and_a_cancel_keeps_them(seeded: sessionmaker[Session], engine: Engine,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import core.budget.importers.engine as importer

    monkeypatch.setattr(importer, "BULK_ROWS", 100)
    indexes = _indexes(engine)
    assert len(indexes) > 8
    path = write_csv(tmp_path / "many.csv", PAY_HEADER, [_pay(f"ZF{i:05d}", "10") for i in range(1300)])
    cancel = threading.Event()

    def stop_at_the_end(done: int, total: int, phase: str) -> None:
        if phase == "写入" and done >= 1300:
            cancel.set()

    before = snapshot(engine)
    assert import_file(seeded, "payments", path, cancel=cancel, progress=stop_at_the_end).cancelled
    assert _indexes(engine) == indexes and snapshot(engine) == before
    assert import_file(seeded, "payments", path).inserted == 1300
    assert _indexes(engine) == indexes
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM bgt_payment WHERE year = 2025 AND payee = 'x'"))
        assert "ix_bgt_payment_year_payee" in plan


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8),
                       st.one_of(st.none(), st.integers(), st.text(max_size=12), st.dates()), max_size=8))
def test_fast_row_digest_equals_the_row_hash(values: dict[str, object]) -> None:
    from core.budget.importers.engine import _digest, row_hash

    dates = frozenset(k for k, v in values.items() if isinstance(v, date))
    assert _digest(values, sorted(values), dates) == row_hash(values)
