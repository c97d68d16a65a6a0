"""The text a rendered window shows, for checks that read screens as a user would.

:func:`visible_texts` walks a widget tree and yields what is on screen: labels, buttons, tabs, group
titles, line and text edits, combo boxes, window titles, and the cells and headers of item views (the
first rows, as far as a screen shows). :func:`placeholders_on` names the unfinished marks of
:mod:`core.placeholders` found there; the screenshot renderer refuses a screen that shows one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from apps.common.qt import (
    QAbstractItemView,
    QAbstractListModel,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)
from core.placeholders import placeholders_in

ROWS_READ = 300
"""Rows of an item view read per screen: more than any window shows at once."""

_TAG = re.compile(r"<[^>]+>")


def visible_texts(root: QWidget) -> Iterator[str]:
    """Every text ``root`` and its visible descendants show."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if widget.isWindow() and widget.windowTitle():
            yield widget.windowTitle()
        yield from _texts_of(widget)


def _texts_of(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel):
        yield _TAG.sub("", widget.text())
    elif isinstance(widget, (QPushButton, QToolButton, QCheckBox, QRadioButton)):
        yield widget.text()
    elif isinstance(widget, QLineEdit):
        yield widget.text()
        yield widget.placeholderText()
    elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield widget.currentText()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):  # headers: read with the view
        yield from _cells(widget)


def _cells(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())  # private there
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if header is not None:
            yield str(header)
    for row in range(min(model.rowCount(QModelIndex()), ROWS_READ)):
        for column in range(columns):
            value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)


def placeholders_on(root: QWidget) -> list[tuple[str, str]]:
    """(mark, the text it appears in) for every unfinished mark ``root`` shows."""
    found: list[tuple[str, str]] = []
    for text in visible_texts(root):
        found.extend((mark, text) for mark in placeholders_in(text))
    return found
