"""The execution report: sentences right for ahead / behind / level / no previous year / no data; the PDF's
text (pdftotext) and pages (pdftoppm); the Word file read back with python-docx, with the same figures."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.budget.analysis import (
    DataNotes,
    ExecutionRow,
    GrowthRow,
    MonthPoint,
    Share,
    WarningItem,
    YearOnYear,
)
from core.budget.demo import Manifest, generate
from core.budget.report import ReportPeriod, collect, generate_report, report_name
from core.budget.report.content import Heading, Para, blocks
from core.budget.report.figures import ReportData
from core.budget.report.sentences import summary
from core.budget.work import BudgetWarning
from core.db import make_engine, migrate

YEAR = 2024
NOW = datetime(2024, 10, 8, 9, 30)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Manifest]]:
    path = tmp_path_factory.mktemp("report") / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    manifest = generate(engine, year=YEAR, payments=5000)
    with Session(engine) as s, s.begin():
        for i, (level, subject) in enumerate((("red", "无预算支付三笔"), ("yellow", "现金提取四笔"),
                                              ("yellow", "单笔大额支付"), ("blue", "预备费动用"))):
            s.add(BudgetWarning(warning_key=f"w|{i}", rule="payment_without_budget", level=level, year=YEAR,
                                subject=subject, reason=f"{subject}的原因说明", amount_fen=(i + 1) * 1_000_000,
                                raised_at=datetime.now(UTC)))
    yield engine, manifest
    engine.dispose()


# sentences on hand-made figures ------------------------------------------------------------------------
def data(rate_paid: int, *, month: int = 9, kind: str = "month", yoy: YearOnYear | None = None,
         warnings: list[WarningItem] | None = None, data_month: int | None = None,
         departments: list[ExecutionRow] | None = None) -> ReportData:
    """Adjusted budget 1,000 亿元 (10**13 fen), ``rate_paid`` fen paid by the end of ``month``."""
    adjusted = 10**13
    months = [MonthPoint(m, rate_paid // month, rate_paid // month * m, adjusted) for m in range(1, month + 1)]
    general = ExecutionRow("book", "general", "一般公共预算", adjusted, adjusted, rate_paid, month)
    number = month if kind == "month" else month // 3
    return ReportData(
        period=ReportPeriod(YEAR, kind, number), books=[general], classes=[], months=months,
        departments=departments or [], structure=[Share("201", "一般公共服务支出", rate_paid, Decimal(100))],
        year_on_year=yoy or YearOnYear(YEAR, month, "none", "没有2023年的支付明细或决算数据，无法计算同比", [], None),
        payees=[], warnings=warnings or [], notes=DataNotes(False, False), made_at=NOW,
        data_month=month if data_month is None else data_month)


def test_behind_progress_sentence() -> None:
    text = summary(data(6 * 10**12))  # 60% at the end of September (75%)
    assert text[0] == ("截至2024年9月底，一般公共预算支出完成600.00亿元，为调整预算1,000.00亿元的60.00%，"
                       "低于序时进度（75.00%）15.00个百分点。")


def test_ahead_and_level_sentences() -> None:
    assert "高于序时进度（75.00%）5.00个百分点" in summary(data(8 * 10**12))[0]
    assert "与序时进度（75.00%）持平" in summary(data(75 * 10**11))[0]


def test_no_previous_year_is_said_plainly_and_warnings_counted() -> None:
    text = summary(data(6 * 10**12, warnings=[
        WarningItem("red", "r", "甲", "", "", 1, "待处理"), WarningItem("blue", "r", "乙", "", "", 1, "待处理")]))
    assert "没有2023年的支付明细或决算数据，无法计算同比。" in text
    assert "目前有效预警2条，其中红色1条、蓝色1条。" in text
    assert "目前没有有效的预警。" in summary(data(6 * 10**12))


def test_year_on_year_sentences() -> None:
    grown = YearOnYear(YEAR, 9, "payments", "与2023年同期（1—9月）支付相比",
                       [GrowthRow("D1", "市教委", 120, 100), GrowthRow("D2", "市财政局", 90, 100)],
                       GrowthRow("", "合计", 210, 200))
    text = summary(data(6 * 10**12, yoy=grown))
    assert any(s.startswith("与2023年同期相比，支出增长5.00%") for s in text)
    assert "增幅最大的部门是市教委，增长20.00%。" in text
    fell = YearOnYear(YEAR, 9, "payments", "…", [], GrowthRow("", "合计", 150, 200))
    assert any("支出下降25.00%" in s for s in summary(data(6 * 10**12, yoy=fell)))


def test_quarter_compares_with_the_previous_quarter() -> None:
    text = summary(data(9 * 10**12, month=9, kind="quarter"))  # the same amount every month
    assert text[1] == "本季度支出300.00亿元，占调整预算的30.00%，比上季度持平。"
    first = summary(data(3 * 10**12, month=3, kind="quarter"))
    assert first[1] == "本季度支出300.00亿元，占调整预算的30.00%。"  # no quarter before the first


def test_departments_all_behind_and_missing_data() -> None:
    behind = [ExecutionRow("department", f"D{i}", f"部门{i}", 100, 100, 10 * i, 9) for i in range(1, 4)]
    text = summary(data(6 * 10**12, departments=behind))
    assert "3个部门的执行率均低于序时进度，其中3个低10个百分点以上；差距最大的是部门1（10.00%）、部门2（20.00%）和部门3（30.00%）。" in text
    short = summary(data(6 * 10**12, month=12, data_month=9))
    assert short[0].startswith("数据库中的支付明细只到9月，10月至12月尚无支付数据")
    assert summary(data(0, data_month=0)) == ["数据库中没有2024年的支付明细，无法计算执行进度。",
                                              "没有2023年的支付明细或决算数据，无法计算同比。",
                                              "目前没有有效的预警。"]


def test_period_validation() -> None:
    assert ReportPeriod.parse("2024-Q3") == ReportPeriod(2024, "quarter", 3)
    assert ReportPeriod.parse("2024-09").label == "2024年9月"
    assert ReportPeriod(2024, "quarter", 4).label == "2024年第四季度"
    for bad in ("2024-13", "2024-Q5", "九月"):
        with pytest.raises(ValueError, match=r"报告期|月份|季度"):
            ReportPeriod.parse(bad)


# the files --------------------------------------------------------------------------------------------
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@needs_poppler
def test_pdf_and_word_carry_the_same_report(demo: tuple[Engine, Manifest], tmp_path: Path) -> None:
    engine, _ = demo
    period = ReportPeriod(YEAR, "quarter", 3)
    steps: list[str] = []
    result = generate_report(engine, period, tmp_path, now=NOW, progress=lambda s, d, t: steps.append(s))
    pdf, word = result.files
    assert pdf.name == "预算执行报告-2024-Q3.pdf" and word.suffix == ".docx" and steps[-1] == "完成"
    data = result.data
    general = data.general
    assert general is not None and general.rate is not None
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "2024年第三季度预算执行情况报告" in flat and "报告期：2024年第三季度" in flat
    assert f"{general.rate:.2f}%" in flat
    assert "".join(data.sentences[0].split()) in flat
    for heading in ("一、总体情况", "二、四本预算执行情况", "五、低于序时进度的部门", "八、预警情况", "九、数据说明"):
        assert heading in flat
    counts = data.warning_counts
    assert (f"截至9月底的数据，有效预警红色{counts.get('red', 0)}条，黄色{counts.get('yellow', 0)}条，"
            f"蓝色{counts.get('blue', 0)}条，合计{len(data.warnings)}条") in flat
    assert "无预算支付三笔" not in flat  # stored on December's data, not September's

    assert "演示数据" in flat and "尚不完整" in flat
    # the pages render
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4 and all(p.stat().st_size > 5000 for p in pages)

    document = docx.Document(str(word))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == [b.text for b in blocks(data) if isinstance(b, Heading)]
    assert "2024年第三季度预算执行情况报告" in paragraphs and data.sentences[0] in paragraphs
    assert len(document.inline_shapes) == 3
    book_table = document.tables[0]
    assert [c.text for c in book_table.rows[0].cells][:4] == ["预算", "年初预算", "调整预算", "累计支出"]
    general_cells = [c.text for c in book_table.rows[1].cells]
    assert general_cells[4] == f"{general.rate:.2f}%"
    for cell in general_cells[1:]:
        assert cell in flat  # the same figures in the PDF
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_cancel_leaves_no_file(demo: tuple[Engine, Manifest], tmp_path: Path) -> None:
    engine, _ = demo
    calls = 0

    class Stop(Exception):
        pass

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls > 14:  # past the figures, inside the PDF
            raise Stop

    with pytest.raises(Stop):
        generate_report(engine, ReportPeriod(YEAR, "month", 6), tmp_path, ["pdf"], check=check)
    assert list(tmp_path.iterdir()) == []


def test_bad_choices_are_refused(demo: tuple[Engine, Manifest], tmp_path: Path) -> None:
    engine, _ = demo
    with pytest.raises(ValueError, match="报告格式"):
        generate_report(engine, ReportPeriod(YEAR, "month", 6), tmp_path, ["xls"])
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ValueError, match="不是文件夹"):
        generate_report(engine, ReportPeriod(YEAR, "month", 6), blocker, ["pdf"])
    assert report_name(ReportPeriod(YEAR, "month", 6), "pdf") == "预算执行报告-2024-06.pdf"


def test_report_figures_equal_the_analysis_figures(demo: tuple[Engine, Manifest]) -> None:
    from core.budget import analysis

    engine, _ = demo
    d = collect(engine, ReportPeriod(YEAR, "month", 6), now=NOW)
    assert d.departments == analysis.execution(engine, YEAR, 6, "department")
    assert d.classes == analysis.execution(engine, YEAR, 6, "class", book="general")
    assert d.period_paid_fen == analysis.trend(engine, YEAR)[5].paid_fen


def test_the_latest_period_reports_the_inbox_warnings(demo: tuple[Engine, Manifest]) -> None:
    """Data runs to December: the December report counts exactly the warnings of the inbox."""
    from core.budget import analysis

    engine, _ = demo
    d = collect(engine, ReportPeriod(YEAR, "month", 12), now=NOW)
    assert d.warnings == analysis.active_warnings(engine, YEAR)
    assert [w.level for w in d.warnings] == ["red", "yellow", "yellow", "blue"]


def test_an_earlier_period_reports_the_warnings_as_of_its_end(demo: tuple[Engine, Manifest]) -> None:
    """A June report is judged on the data to the end of June: no warning raised on later payments."""
    from core.budget.warnings.engine import evaluate

    engine, _ = demo
    d = collect(engine, ReportPeriod(YEAR, "month", 6), now=NOW)
    june = evaluate(engine, YEAR, 6)
    assert sorted((w.rule, w.subject) for w in d.warnings) == sorted(
        (rule, f.subject) for rule, (_, found) in june.items() for f in found)
    assert "payment_without_budget" not in {w.rule for w in d.warnings}  # its planted payments are after June
    assert all(w.subject != "无预算支付三笔" for w in d.warnings)


def test_committee_laptop_report_reads_its_own_departments(demo: tuple[Engine, Manifest]) -> None:
    """A special committee's laptop holds only its departments: the books are read against the indicators
    held, not the city's totals, and the report says whose data it is."""
    from sqlalchemy import text

    engine, _ = demo
    d = collect(engine, ReportPeriod(YEAR, "month", 6), now=NOW, domains=("教科文卫",))
    with engine.connect() as conn:
        held = conn.execute(text(
            f"SELECT SUM(amount_fen + adjusted_fen + carried_over_fen) FROM bgt_indicator "
            f"WHERE year = {YEAR} AND book = 'general'")).scalar_one()
    assert d.general is not None and d.general.adjusted_fen == held
    assert d.months[0].base_fen == held
    assert d.sentences[0].startswith("截至2024年6月底，教科文卫专委会归口部门的一般公共预算支出完成")
    notes = [b.text for b in blocks(d) if isinstance(b, Para) and b.note]
    assert any("不是全市总数" in n for n in notes)
    whole = collect(engine, ReportPeriod(YEAR, "month", 6), now=NOW)
    assert whole.general is not None and whole.general.adjusted_fen != held
    assert not any("不是全市总数" in b.text for b in blocks(whole) if isinstance(b, Para))


def test_growth_table_lists_only_growth_and_declines_have_their_own() -> None:
    from core.budget.analysis.figures import GrowthRow
    from core.budget.report.content import TableBlock

    rows = [GrowthRow("d1", "甲局", 130, 100), GrowthRow("d2", "乙局", 75, 100), GrowthRow("d3", "丙局", 110, 100),
            GrowthRow("d4", "丁局", 90, 100)]
    yoy = YearOnYear(YEAR, 9, "payments", "与2023年同期（1—9月）支付相比", rows, None)
    found = [b for b in blocks(data(6 * 10**12, yoy=yoy)) if isinstance(b, TableBlock)]
    assert [b.caption.split("　")[0] for b in found] == [f"表{i}" for i in range(1, len(found) + 1)]
    tables = {b.caption.split("　")[1].split("（")[0]: b for b in found}
    assert [r[0] for r in tables["同比增幅居前的部门"].rows] == ["甲局", "丙局"]
    assert all(not r[3].startswith("-") for r in tables["同比增幅居前的部门"].rows)
    assert [r[0] for r in tables["同比降幅居前的部门"].rows] == ["乙局", "丁局"]
    assert "单位：万元" in tables["同比降幅居前的部门"].caption
    only_declines = YearOnYear(YEAR, 9, "payments", "同期", [GrowthRow("d2", "乙局", 75, 100)], None)
    out = blocks(data(6 * 10**12, yoy=only_declines))
    assert any(isinstance(b, Para) and b.text == "没有支出同比增长的部门。" for b in out)
    assert not any(isinstance(b, TableBlock) and "同比增幅" in b.caption for b in out)
