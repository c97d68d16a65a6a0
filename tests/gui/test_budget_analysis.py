"""The analysis, indicator-timeline and execution-report pages under pytest-qt, over a generated year."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from apps.budget.analysis.page import AnalysisPage
from apps.budget.analysis.report_page import ExecutionReportPage
from apps.budget.analysis.timeline_page import IndicatorTimelinePage
from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.common.printing import PdfPrintJob, print_to_pdf_file
from apps.common.qt import QImage
from apps.common.settings import ClientSettings
from core.budget import analysis
from core.budget.report import ReportPeriod
from core.db import make_engine, migrate

PAYMENTS = 6000


def _dark(image: QImage) -> int:
    """Dark sample points of an image (every 7th pixel each way): how much ink a page carries."""
    return sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
               if image.pixelColor(x, y).lightness() < 128)


@pytest.fixture
def ctx(tmp_path: Path) -> BudgetContext:
    engine, _ = demo_engine(tmp_path / "budget", payments=PAYMENTS)
    return standalone(engine)


def loaded_page(qtbot: QtBot, ctx: BudgetContext) -> AnalysisPage:
    page = AnalysisPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


def test_tabs_show_the_figures_in_tables(gui: ClientSettings, qtbot: QtBot, ctx: BudgetContext) -> None:
    page = loaded_page(qtbot, ctx)
    f = page.figures
    assert f is not None and f.month == 12 and page.title() == "预算执行分析"
    assert page.progress_table.rowCount() == len(f.classes)
    page.dimension_box.setCurrentIndex(page.dimension_box.findData("department"))
    assert page.progress_table.rowCount() == len(f.departments)
    assert len(page.progress_chart.values) == min(len(f.departments), 25)
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        assert page.tabs.tabText(i)
    assert page.structure_table.rowCount() == len(f.structure["functional"])
    assert page.trend_table.rowCount() == 12
    assert "决算" in page.yoy_basis.text()
    page.rank_key_box.setCurrentIndex(page.rank_key_box.findData("paid"))
    top = max(f.departments, key=lambda r: r.paid_fen)
    assert page.rank_table.item(0, 2).text() == top.name  # type: ignore[union-attr]
    with qtbot.waitSignal(page.open_item) as opened:
        page._open_row(page.rank_table, 0)
    assert opened.args == ["department", top.code]


def test_month_change_and_department_profile(gui: ClientSettings, qtbot: QtBot, ctx: BudgetContext) -> None:
    page = loaded_page(qtbot, ctx)
    page.month_box.setCurrentIndex(5)
    with qtbot.waitSignal(page.loaded):
        page.reload()
    assert page.figures is not None and page.figures.month == 6
    code, name = page.figures.department_names[3]
    with qtbot.waitSignal(page.profile_loaded):
        page.department_box.setCurrentIndex(page.department_box.findData(code))
        page.department_box.activated.emit(page.department_box.currentIndex())
    assert page.tabs.currentWidget() is page.profile_tab
    profile = analysis.department_profile(ctx.engine, ctx.year, 6, code)
    assert name in page.profile_summary.text()
    assert f"{profile.execution.rate:.2f}%" in page.profile_summary.text()
    assert page.profile_projects.rowCount() == len(profile.top_projects)
    assert page.profile_audit.rowCount() == len(profile.audit)


def test_empty_database_says_why(gui: ClientSettings, qtbot: QtBot, tmp_path: Path) -> None:
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    migrate(engine)
    page = loaded_page(qtbot, standalone(engine, roles=("deputy",)))
    assert page.stack.currentWidget() is page.empty
    assert "本机还没有2024年的预算数据" in page.empty.text()


def test_indicator_timeline_page(gui: ClientSettings, qtbot: QtBot, ctx: BudgetContext) -> None:
    page = IndicatorTimelinePage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.search_edit.setText("教育")
    with qtbot.waitSignal(page.searched):
        page.search()
    assert page.hit_table.rowCount() == len(page.hits) > 0
    with qtbot.waitSignal(page.timeline_loaded):
        page.hit_table.selectRow(0)
    t = page.timeline
    assert t is not None and t.indicator_no == page.hits[0].indicator_no
    assert page.events.rowCount() == len(t.events)
    assert t.indicator_no in page.info.text()
    with qtbot.waitSignal(page.timeline_loaded):
        page.show_indicator("ZB-NONE")
    assert page.detail_stack.currentWidget() is page.empty and "找不到指标" in page.empty.text()


def test_report_cancel_then_complete(gui: ClientSettings, qtbot: QtBot, ctx: BudgetContext, tmp_path: Path) -> None:
    page = ExecutionReportPage(ctx)
    qtbot.addWidget(page)
    page.show()
    out = tmp_path / "reports"
    page.folder_edit.setText(str(out))
    page.set_period(ReportPeriod(2024, "quarter", 3))
    assert page.period() == ReportPeriod(2024, "quarter", 3)

    page.pdf_box.setChecked(False)
    page.word_box.setChecked(False)
    page.generate()
    assert not page.is_running() and "请至少选择一种格式" in page.status.text()
    page.pdf_box.setChecked(True)
    page.word_box.setChecked(True)

    with qtbot.waitSignal(page.report_stopped) as stopped:
        page.generate()
        page.cancel()
    assert stopped.args == ["cancelled"]
    assert not out.exists() or list(out.iterdir()) == []
    assert "已取消" in page.status.text()

    with qtbot.waitSignal(page.report_done, timeout=120_000):
        page.generate()
    files = sorted(p.name for p in out.iterdir())
    assert files == ["预算执行报告-2024-Q3.docx", "预算执行报告-2024-Q3.pdf"]
    assert page.files.count() == 2 and page.open_button.isEnabled()
    assert page.summary.text().startswith("截至2024年9月底")

    # the report inside the page, as it prints: every page of the PDF, rendered, not blank
    pdf = out / "预算执行报告-2024-Q3.pdf"
    job = PdfPrintJob(pdf.read_bytes(), "check")
    pages = job.page_count
    job.close()
    assert page.tabs.currentWidget() is page.preview and pages >= 3
    assert page.preview.page_count == pages and not page.preview.message.isVisible()
    first = page.preview.page_labels[0].pixmap().toImage()
    assert first.width() > 700 and first.height() > first.width()
    assert _dark(first) > 100  # text on the page, not an empty sheet

    # printing goes through the print preview; what reaches the printer is the report
    assert page.print_button.isEnabled()
    page.print_button.click()
    qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible())
    assert "预算执行报告" in page.preview_dialog.windowTitle() and "2024" in page.preview_dialog.windowTitle()
    page.preview_dialog.reject()
    printed_job = page.print_job()
    assert printed_job is not None
    printed = print_to_pdf_file(printed_job, tmp_path / "printed.pdf")
    printed_job.close()
    paper = PdfPrintJob(printed.read_bytes(), "printed")
    try:
        assert paper.page_count == pages
        sheet = paper.page_image(0, 100)
        assert abs(sheet.width() - first.width()) <= 2  # the same A4 page, no printer margins added
        assert _dark(sheet) > 0.8 * _dark(first)  # the report's ink is on the paper
    finally:
        paper.close()


def test_a_word_only_report_says_how_to_preview(gui: ClientSettings, qtbot: QtBot, ctx: BudgetContext,
                                                 tmp_path: Path) -> None:
    page = ExecutionReportPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert "生成报告后" in page.preview.message.text() and not page.print_button.isEnabled()
    page.folder_edit.setText(str(tmp_path / "word"))
    page.set_period(ReportPeriod(2024, "month", 9))
    page.pdf_box.setChecked(False)
    with qtbot.waitSignal(page.report_done, timeout=120_000):
        page.generate()
    assert [p.suffix for p in (tmp_path / "word").iterdir()] == [".docx"]
    assert page.preview.page_count == 0 and "勾选“PDF”" in page.preview.message.text()
    assert not page.print_button.isEnabled() and page.print_job() is None


def test_committee_member_sees_the_scope_said(gui: ClientSettings, qtbot: QtBot, tmp_path: Path) -> None:
    engine, _ = demo_engine(tmp_path / "budget", payments=PAYMENTS)
    ctx = standalone(engine, roles=("committee_member",), domains=("教科文卫",))
    page = loaded_page(qtbot, ctx)
    assert "教科文卫专委会归口部门" in page.status.text()
    assert page.figures is not None
    general = next(b for b in page.figures.books if b.code == "general")
    assert general.adjusted_fen == sum(r.adjusted_fen for r in page.figures.departments)
