"""Budget tables never hide their text: a cut cell ends in "…" with its full text on hover, the header's menu
shows and hides columns, the warning detail names payments by date, payee and amount, the query filters use
the grid's unit, and the warnings list and the analysis tables export to Excel workbooks read back here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apps.budget.analysis.page import AnalysisPage
from apps.budget.analysis.widgets import FigureTable
from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.budget.query.page import QueryPage
from apps.budget.warnings.page import WarningInboxPage
from apps.common.qt import QEvent, Qt, QtGui, QtWidgets
from apps.common.tables import COLUMN_CAP, column_menu, full_text, is_elided
from core.budget.warnings import run_rules
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS
LONG = "上海市某某区某某街道社区卫生服务中心基本公共卫生服务项目（家庭医生签约服务、慢性病管理、老年人健康管理）" * 2
PAYMENT_NO = re.compile(r"ZF\d{6,}")

pytestmark = pytest.mark.usefixtures("gui")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> BudgetContext:
    engine, _manifest = demo_engine(tmp_path_factory.mktemp("tables") / "budget", payments=3_000)
    run_rules(engine, 2024, 12)
    return standalone(engine)


def _table(qtbot: QtBot) -> FigureTable:
    table = FigureTable()
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.fill(["代码", "名称", "预算（万元）", "执行率"],
               [[("201", 201), (LONG, LONG), ("1,234.56", 1234.56), ("88.1%", 88.1)],
                [("205", 205), ("教育支出", "教育支出"), ("12.00", 12.0), ("50.0%", 50.0)]], numeric=(2, 3))
    table.setProperty("stretch_column", -1)  # no stretching: the long column is held at the cap
    from apps.common.tables import fit

    fit(table)
    table.show()
    return table


def test_a_long_cell_is_elided_and_its_tooltip_holds_the_full_text(qtbot: QtBot) -> None:
    table = _table(qtbot)
    assert table.columnWidth(1) <= COLUMN_CAP
    assert is_elided(table, 0, 1) and not is_elided(table, 1, 1)
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    index = table.model().index(0, 1)
    assert full_text(index) == LONG
    # hovering shows the whole text through the table's delegate
    rect = table.visualRect(index)
    event = QtGui.QHelpEvent(QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center()))
    option = QtWidgets.QStyleOptionViewItem()
    assert table.itemDelegate().helpEvent(event, table, option, index)
    qtbot.waitUntil(lambda: QtWidgets.QToolTip.text() == LONG)
    QtWidgets.QToolTip.hideText()


def test_the_column_chooser_hides_and_shows_a_column(qtbot: QtBot) -> None:
    table = _table(qtbot)
    assert table.horizontalHeader().contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = column_menu(table)
    actions = [a for a in menu.actions() if a.isCheckable()]
    assert [a.text() for a in actions] == ["代码", "名称", "预算（万元）", "执行率"]
    actions[2].trigger()
    assert table.isColumnHidden(2)
    column_menu(table).actions()  # a fresh menu knows the hidden column
    again = [a for a in column_menu(table).actions() if a.isCheckable()]
    assert not again[2].isChecked()
    again[2].trigger()
    assert not table.isColumnHidden(2) and table.columnWidth(2) > 0
    for c in (0, 1, 2):
        table.setColumnHidden(c, True)
    last = [a for a in column_menu(table).actions() if a.isCheckable()][3]
    assert not last.isEnabled()  # the last visible column stays


def _inbox(qtbot: QtBot, ctx: BudgetContext) -> WarningInboxPage:
    page = WarningInboxPage(ctx)
    qtbot.addWidget(page)
    page.resize(1500, 950)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.show()
    return page


def test_the_warning_detail_names_payments_by_date_payee_and_amount(qtbot: QtBot, ctx: BudgetContext) -> None:
    page = _inbox(qtbot, ctx)
    payments = [i for i, w in enumerate(page.rows) if any(e.get("table") == "bgt_payment" for e in w.trail)]
    assert payments, "the demo year raises warnings on payments"
    seen = 0
    for i in payments[:6]:
        page.table.selectRow(i)
        w = page.rows[i]
        assert page.current is w
        assert not PAYMENT_NO.search(page.detail_title.text()), page.detail_title.text()
        assert not PAYMENT_NO.search(page.table.item(i, 3).text())
        for r in range(page.trail.rowCount()):
            cells = [item.text() if (item := page.trail.item(r, c)) else "" for c in range(4)]
            assert not any(PAYMENT_NO.search(text) for text in cells), cells
            day, who, amount, _what = cells
            if PAYMENT_NO.search(page.trail.item(r, 0).toolTip()):  # a payment: its number only on hover
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and who and re.fullmatch(r"-?[\d,]+\.\d{2,6}", amount)  # 万元, to the fen
                seen += 1
    assert seen > 0


def test_the_warnings_list_exports_to_excel(qtbot: QtBot, ctx: BudgetContext, tmp_path: Path) -> None:
    page = _inbox(qtbot, ctx)
    page.table.setColumnHidden(7, True)  # a hidden column is left out, as the user chose
    target = tmp_path / "warnings.xlsx"
    with qtbot.waitSignal(page.exported, timeout=WAIT) as got:
        page.export_to(target)
    assert got.args == [str(target)]
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert "金额单位：万元" in rows[0][0]
    assert rows[1] == ("等级", "规则", "部门", "对象", "原因", "金额（万元）", "状态")
    assert len(rows) - 2 == page.table.rowCount() > 0
    assert rows[2][4] == page.table.item(0, 4).text()  # the full reason, not the elided one


def test_the_analysis_tables_export_to_excel(qtbot: QtBot, ctx: BudgetContext, tmp_path: Path) -> None:
    page = AnalysisPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.show()
    target = tmp_path / "analysis.xlsx"
    with qtbot.waitSignal(page.exported, timeout=WAIT) as got:
        page.export_to(target)
    assert got.args == [str(target)]
    book = load_workbook(target)
    assert {"执行进度", "同比", "趋势"} <= set(book.sheetnames)
    progress = list(book["执行进度"].iter_rows(values_only=True))
    assert progress[1][:2] == ("代码", "名称"), progress[:3]
    shown = [page.progress_table.item(r, 1).text() for r in range(page.progress_table.rowCount())]
    assert [row[1] for row in progress[2:]] == shown
    assert isinstance(progress[2][2], (int, float))  # amounts go to Excel as numbers


def test_query_filters_use_the_grids_unit(qtbot: QtBot, ctx: BudgetContext) -> None:
    page = QueryPage(ctx)
    qtbot.addWidget(page)
    page.resize(1500, 950)
    page.show()
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT)
    model = page.table.model()
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(1, model.columnCount())]
    assert any("万元" in h for h in headers) and not any("（元）" in h for h in headers)
    panel = page.filter_panel
    labels = [w.text() for w in panel.findChildren(QtWidgets.QLabel)]
    assert "单笔金额不少于（万元）" in labels and "单笔金额不超过（万元）" in labels
    assert not any("（元）" in text for text in labels)
    assert "万元" in panel.unit_note.text()
    panel.amount_min.setText("5")
    panel.amount_max.setText("0.05")
    panel.amount_max.clear()
    assert panel.filters().amount_min_fen == 5_000_000  # 5 万元
    panel.amount_min.setText("0.000001")
    assert panel.filters().amount_min_fen == 1  # one fen
    filters = panel.filters()
    panel.set_filters(filters)
    assert panel.amount_min.text() == "0.000001"
    # beside the single payments (in 元) the fields speak 元, and an entered amount keeps its value
    panel.amount_min.setText("5")
    page.show_payments(True)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.payment_table, timeout=WAIT)
    assert "单笔金额不少于（元）" in [w.text() for w in panel.findChildren(QtWidgets.QLabel)]
    assert "元" in panel.unit_note.text() and "万元" not in panel.unit_note.text()
    assert panel.amount_min.text() == "50000" and panel.filters().amount_min_fen == 5_000_000
    headers = [str(page.payment_table.model().headerData(c, Qt.Orientation.Horizontal))
               for c in range(page.payment_table.model().columnCount())]
    assert "金额（元）" in headers
    page.show_payments(False)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is not page.payment_table, timeout=WAIT)
    assert panel.amount_min.text() == "5" and "万元" in panel.unit_note.text()


def test_in_a_narrow_table_figures_stay_whole_and_text_gives_way(qtbot: QtBot) -> None:
    table = FigureTable()
    qtbot.addWidget(table)
    table.resize(420, 300)
    table.show()
    table.fill(["编号", "名称", "说明", "金额（元）", "日期"],
               [[("ZB202400216", "ZB202400216"), (LONG, LONG), ("支付专家劳务费和设备款" * 3, ""),
                 ("8,014,247,938.40", 8014247938.40), ("2024-10-20", "2024-10-20")],
                [("ZB202400001", "ZB202400001"), ("教育支出", "教育支出"), ("", ""), ("5.00", 5.0),
                 ("2024-01-03", "2024-01-03")]], numeric=(3,))
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    for column in (0, 3, 4):  # a code, an amount, a date
        assert not is_elided(table, 0, column), table.item(0, column).text()
    assert is_elided(table, 0, 1) and full_text(table.model().index(0, 1)) == LONG


def test_the_staff_home_names_payments_by_date_and_payee(qtbot: QtBot, ctx: BudgetContext) -> None:
    from apps.budget.platform.home import HomePage

    page = HomePage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitUntil(lambda: page.busy == 0, timeout=WAIT)
    table, _note = page.tables["warnings"]
    subjects = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert subjects and not any(PAYMENT_NO.search(s) for s in subjects), subjects
    assert any(re.match(r"\d{4}-\d{2}-\d{2} 付 ", s) for s in subjects), subjects
