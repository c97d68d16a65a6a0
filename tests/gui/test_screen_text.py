"""The screen reader behind the placeholder check: what a window shows, and the marks found in it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from apps.common.qt import (
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from apps.common.screentext import placeholders_on, visible_texts


def _window(qtbot: QtBot, cell: str, hidden: str = "") -> QWidget:
    root = QWidget()
    root.setWindowTitle("信访件")
    layout = QVBoxLayout(root)
    layout.addWidget(QLabel("<b>办理</b>期限"))
    layout.addWidget(QPushButton("督办"))
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "统计")
    layout.addWidget(tabs)
    table = QTableWidget(1, 2)
    table.setHorizontalHeaderLabels(["日期", "依据"])
    table.setItem(0, 0, QTableWidgetItem("2026-12-03"))
    table.setItem(0, 1, QTableWidgetItem(cell))
    layout.addWidget(table)
    items = QListWidget()
    items.addItems(["XF2026-0001 小区加装电梯"])
    layout.addWidget(items)
    secret = QLabel(hidden)
    layout.addWidget(secret)
    secret.hide()
    qtbot.addWidget(root)
    root.show()
    return root


def test_the_reader_sees_labels_buttons_tabs_headers_and_cells(qtbot: QtBot) -> None:
    texts = set(visible_texts(_window(qtbot, "《信访工作条例》第二十二条")))
    assert {"信访件", "办理期限", "督办", "统计", "日期", "依据", "2026-12-03", "《信访工作条例》第二十二条",
            "XF2026-0001 小区加装电梯"} <= texts


def test_a_placeholder_in_a_cell_is_found_with_its_text(qtbot: QtBot) -> None:
    assert placeholders_on(_window(qtbot, "督办（条款待核）")) == [("待核）", "督办（条款待核）")]
    assert placeholders_on(_window(qtbot, "全体代表的过半数（请 核对）")) == [("（请核对）", "全体代表的过半数（请 核对）")]


def test_a_finished_screen_and_hidden_widgets_pass(qtbot: QtBot) -> None:
    assert placeholders_on(_window(qtbot, "本机关内部工作程序", hidden="TODO")) == []
