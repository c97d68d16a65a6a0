"""The budget query page under pytest-qt over a generated year: drill down and back up, filter, open the single
payments (paged), export with progress and cancel, saved queries, jump to an item."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.budget.query.page import QueryPage
from apps.common.qt import QModelIndex, QPushButton, Qt
from apps.common.settings import ClientSettings
from core.budget.demo import Manifest
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS


@pytest.fixture
def page(qtbot: QtBot, gui: ClientSettings, tmp_path: Path) -> tuple[QueryPage, Manifest]:
    engine, manifest = demo_engine(tmp_path / "budget", payments=5_000)
    widget = QueryPage(standalone(engine))
    qtbot.addWidget(widget)
    widget.resize(1500, 950)
    widget.show()
    qtbot.waitUntil(lambda: widget.result is not None, timeout=WAIT)
    return widget, manifest


def _drill_first(qtbot: QtBot, page: QueryPage, how: str = "double") -> str:
    index = page.table.model().index(0, 0)
    label = str(index.data())
    page.table.setCurrentIndex(index)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        if how == "enter":
            page.table.setFocus()
            qtbot.keyClick(page.table, Qt.Key.Key_Return)
        else:
            rect = page.table.visualRect(index)
            qtbot.mousePress(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return label


def test_drill_down_with_mouse_and_keyboard_and_back_up(qtbot: QtBot, page: tuple[QueryPage, Manifest]) -> None:
    widget, _ = page
    assert widget.title() == "预算查询"
    assert widget.result is not None and widget.result.rows[0].label == "一般公共预算"
    top_paid = widget.result.total.values["paid"]
    book = _drill_first(qtbot, widget)
    assert widget.spec.selected == ("general",) and widget.spec.level == "func_class"
    assert book in widget.crumb_texts()
    assert widget.result.total.values["paid"] == top_paid  # the children add up to the parent
    klass = _drill_first(qtbot, widget, how="enter")
    assert widget.spec.level == "func_item" and klass in widget.crumb_texts()
    amount = widget.table.model().index(0, widget.result.spec.measures.index("paid") + 1).data()
    assert amount.replace(",", "").replace(".", "").isdigit()  # 万元 with separators, right-aligned
    assert widget.table.model().index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    rate = widget.table.model().index(0, widget.result.spec.measures.index("rate") + 1).data()
    assert rate.endswith("%")
    # click the first crumb after “全部” to go back to the book level
    buttons = widget.findChildren(QPushButton, "crumb")
    book_button = next(w for w in buttons if w.text() == book)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        qtbot.mouseClick(book_button, Qt.MouseButton.LeftButton)
    assert widget.spec.selected == ("general",)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.go_up(0)
    assert widget.spec.selected == ()


def test_sorting_by_paid(qtbot: QtBot, page: tuple[QueryPage, Manifest]) -> None:
    widget, _ = page
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.set_path("department")
    assert widget.result is not None
    col = widget.result.spec.measures.index("paid") + 1
    widget.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    model = widget.table.model()
    values = [float(str(model.index(r, col).data()).replace(",", "")) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True) and len(values) > 10


def test_filters_narrow_and_bad_input_changes_nothing(qtbot: QtBot, page: tuple[QueryPage, Manifest]) -> None:
    widget, manifest = page
    panel = widget.filter_panel
    before = widget.spec
    panel.amount_min.setText("一百")
    panel.apply()
    assert panel.error.isVisible() and "不是金额" in panel.error.text()
    assert widget.spec == before
    panel.amount_min.clear()
    panel.month_from.setValue(7)
    panel.month_to.setValue(3)
    panel.apply()
    assert "起始月份" in panel.error.text() and widget.spec == before
    panel.month_from.setValue(1)
    panel.month_to.setValue(12)
    qtbot.waitUntil(lambda: panel.method.findData("现金") >= 0, timeout=WAIT)  # the options load in the background
    panel.method.setCurrentIndex(panel.method.findData("现金"))
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        panel.apply()
    assert widget.spec.filters.method == "现金"
    cash = manifest.of_rule("cash_withdrawal")[0]["payment_nos"]
    assert widget.result is not None and widget.result.total.values["count"] == len(cash)
    assert "现金" in widget.totals.text()
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        panel.clear()
    assert widget.spec.filters.active() == {}
    panel.payee.setText("没有这样的收款人")
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        panel.apply()
    assert widget.stack.currentWidget() is widget.empty and "没有符合条件" in widget.empty.text()


def test_single_payments_are_paged_and_counted(qtbot: QtBot, page: tuple[QueryPage, Manifest]) -> None:
    widget, manifest = page
    model = widget.payment_model
    with qtbot.waitSignal(model.counted, timeout=WAIT):
        widget.payments_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == model.PAGE, timeout=WAIT)
    assert model.total == manifest.payments
    assert widget.stack.currentWidget() is widget.payment_table
    assert f"{manifest.payments:,}" in widget.totals.text()
    first = model.records[0]
    assert all((r.paid_on, r.payment_no) <= (first.paid_on, first.payment_no) for r in model.records)
    assert model.canFetchMore(QModelIndex())
    widget.payment_table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 2 * model.PAGE, timeout=WAIT)
    assert len({r.payment_no for r in model.records}) == model.rowCount()


def test_export_with_progress_and_cancel(qtbot: QtBot, page: tuple[QueryPage, Manifest], tmp_path: Path) -> None:
    widget, _ = page
    target = tmp_path / "out" / "result.xlsx"
    with qtbot.waitSignal(widget.exported, timeout=WAIT) as got:
        widget.export_to(target)
    assert got.args == [str(target)]
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert "演示数据" in rows[0][0] and rows[2][0] == "一般公共预算" and rows[-1][0] == "合计"
    assert widget.export_button.isEnabled()

    widget.payments_button.click()
    cancelled = tmp_path / "out" / "cancelled.xlsx"
    widget.export_to(cancelled)
    widget.cancel_export()
    qtbot.waitUntil(lambda: widget.export_button.isEnabled(), timeout=WAIT)
    assert not cancelled.exists() and "取消" in widget.message.text()
    assert sorted(p.name for p in cancelled.parent.iterdir()) == ["result.xlsx"]


def test_saved_queries_from_the_page(qtbot: QtBot, page: tuple[QueryPage, Manifest]) -> None:
    widget, _ = page
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.set_path("economic")
    widget.save_current("按经济分类看")  # the list asked for when the page opened may still be on its way
    qtbot.waitUntil(lambda: [q.name for q in widget.saved] == ["按经济分类看"], timeout=WAIT)
    asked: list[bool] = []
    with qtbot.waitSignal(widget.saved_failed, timeout=WAIT):
        widget.save_current("按经济分类看", taken=lambda: asked.append(True))
    assert "已有名为" in widget.message.text() and asked == [True]
    assert widget.saved_combo.findText("按经济分类看") > 0
    with qtbot.waitSignal(widget.saved_failed, timeout=WAIT):
        widget.save_current("   ")
    assert "起一个名字" in widget.message.text() and len(widget.saved) == 1
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.set_path("month")
    query_id = widget.saved[0].id
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.run_saved(query_id)
    assert widget.spec.path == "economic" and widget.path_combo.currentData() == "economic"
    widget.rename_saved(query_id, "经济分类")
    qtbot.waitUntil(lambda: [q.name for q in widget.saved] == ["经济分类"], timeout=WAIT)
    widget.delete_saved(query_id)
    qtbot.waitUntil(lambda: widget.saved == [] and not widget.delete_button.isEnabled(), timeout=WAIT)


def test_show_item_jumps_to_a_department_indicator_and_payment(qtbot: QtBot,
                                                               page: tuple[QueryPage, Manifest]) -> None:
    widget, manifest = page
    spike = manifest.of_rule("large_single_payment")[0]["payment_nos"][0]
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.show_item("department", "D010")
    assert widget.spec.path == "department" and widget.spec.selected == ("D010",)
    assert widget.spec.level == "project" and any("D010" in t for t in widget.crumb_texts())
    assert widget.result is not None
    with qtbot.waitSignal(widget.loaded, timeout=WAIT):
        widget.show_item("indicator", widget.result.rows[0].key.replace("P", "ZB"))
    assert widget.spec.level == "application" and len(widget.spec.selected) == 3
    widget.show_item("payment", spike)
    qtbot.waitUntil(lambda: widget.payment_table.currentIndex().isValid(), timeout=WAIT)
    row = widget.payment_table.currentIndex().row()
    assert widget.payment_model.records[row].payment_no == spike
    with qtbot.waitSignal(widget.item_missing, timeout=WAIT):
        widget.show_item("payment", "ZF-NOPE")
    assert "找不到" in widget.message.text()
