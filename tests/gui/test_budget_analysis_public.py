"""The analysis page on a laptop without payments (a deputy's, an expert's) shows the public-data tabs."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from apps.budget.analysis.page import AnalysisPage
from apps.budget.analysis.screenshots import keep_public_only
from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.common.settings import ClientSettings
from core.budget.analysis.figures import pct
from core.db import make_engine, migrate

PAYMENTS = 6000


def _deputy_engine(tmp_path: Path) -> Engine:
    engine, _ = demo_engine(tmp_path / "budget", payments=PAYMENTS)
    keep_public_only(engine)
    return engine


def _page(qtbot: QtBot, ctx: BudgetContext) -> AnalysisPage:
    page = AnalysisPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


def test_a_deputy_sees_the_public_tabs_with_data(gui: ClientSettings, qtbot: QtBot, tmp_path: Path) -> None:
    ctx = standalone(_deputy_engine(tmp_path), user_id="deputy-1", user_name="代表", roles=("deputy",))
    page = _page(qtbot, ctx)
    f = page.figures
    assert f is not None and f.data_month == 0
    panel = page.public
    assert page.stack.currentWidget() is panel and page.tabs.indexOf(panel) < 0
    assert page.heading.text() == "公开预算分析" and not page.month_box.isVisibleTo(page)
    names = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert names == ["公开预算概览", "支出结构", "三公经费", "税收收入", "社保基金", "国有资产", "部门排名"]
    assert "不含指标、用款计划和支付明细" in panel.source.text()

    general = f.public.books[0]
    assert panel.book_table.rowCount() == 4 and panel.book_table.item(0, 0).text() == "一般公共预算"  # type: ignore[union-attr]
    assert panel.book_chart.values[0] == general.adjusted_fen / 10_000_000_000
    assert f"{pct(general.executed_fen, general.adjusted_fen):.2f}%" in panel.overview_note.text()

    assert panel.structure_table.rowCount() == len(f.public.structure["class"]) > 3
    panel.structure_box.setCurrentIndex(panel.structure_box.findData("department"))
    assert panel.structure_table.rowCount() == len(f.public.ranking)

    t = f.public.three_public
    assert panel.three_table.rowCount() == len(t.departments) + 1 and "上年决算" in panel.three_note.text()
    panel.three_box.setCurrentIndex(panel.three_box.findData("item"))
    assert panel.three_table.rowCount() == 4 and panel.three_table.item(3, 0).text() == "合计"  # type: ignore[union-attr]

    assert panel.tax_table.rowCount() == 12 and "无法计算同比" in panel.tax_note.text()
    panel.tax_box.setCurrentIndex(panel.tax_box.findData("category"))
    assert panel.tax_table.rowCount() == len(f.public.tax.categories)

    assert panel.fund_table.rowCount() == 6 and panel.fund_items.rowCount() == 5
    assert panel.asset_table.rowCount() == 5 and panel.entity_table.rowCount() == 20

    top = f.public.ranking[0]
    assert panel.rank_table.item(0, 2).text() == top.name  # type: ignore[union-attr]
    assert len(panel.rank_chart.values) == min(len(f.public.ranking), 25)
    with qtbot.waitSignal(page.open_item) as opened:
        panel._open(panel.rank_table, 0)
    assert opened.args == ["department", top.code]
    for i in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(i)
        assert not panel.tabs.currentWidget().grab().isNull()


def test_staff_keep_execution_tabs_and_see_public_data_as_a_tab(gui: ClientSettings, qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    engine, _ = demo_engine(tmp_path / "budget", payments=PAYMENTS)
    page = _page(qtbot, standalone(engine))
    assert page.stack.currentWidget() is page.tabs and page.heading.text() == "预算执行分析"
    index = page.tabs.indexOf(page.public)
    assert index == page.tabs.count() - 1 and page.tabs.tabText(index) == "公开数据"
    assert page.public.rank_table.rowCount() > 0 and page.month_box.isVisibleTo(page)


def test_a_laptop_with_no_budget_data_says_what_to_do(gui: ClientSettings, qtbot: QtBot, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    migrate(engine)
    page = _page(qtbot, standalone(engine, roles=("deputy",)))
    assert page.stack.currentWidget() is page.empty and "同步后" in page.empty.text()
    engine.dispose()
