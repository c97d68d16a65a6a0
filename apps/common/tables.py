"""Tables that never hide their text: sensible column widths, elided cells with the full text in a tooltip,
a column chooser on the header, and export of what the table shows to an Excel workbook.

:func:`tidy` sets a table up once; :func:`fit` sizes the columns after each fill (contents up to a cap, the
main text column stretched); every cell whose text is cut ends in "…" and shows its whole text on hover
(:class:`FullTextDelegate`, for ``QTableWidget`` and model views alike). :func:`export_xlsx` writes the rows
of one or more tables in a background task (:mod:`apps.common.tasks`) with progress and cancel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apps.common.qt import (
    QAbstractItemView,
    QCoreApplication,
    QEvent,
    QHeaderView,
    QMenu,
    QModelIndex,
    QObject,
    QPoint,
    QStyledItemDelegate,
    Qt,
    QTableView,
    QtWidgets,
)
from apps.common.tasks import BackgroundTask, TaskContext

COLUMN_CAP = 320
"""No column fitted to its contents grows wider than this (pixels); longer text is elided with a tooltip."""


class FullTextDelegate(QStyledItemDelegate):
    """Elides cut text with "…" and shows the cell's full text (or its own tooltip) on hover."""

    def initStyleOption(self, option: Any, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight

    def helpEvent(self, event: Any, view: Any, option: Any, index: Any) -> bool:
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid():
            tip = full_text(index)
            if tip:
                QtWidgets.QToolTip.showText(event.globalPos(), tip, view)
                return True
            QtWidgets.QToolTip.hideText()
            return True
        return bool(super().helpEvent(event, view, option, index))


def full_text(index: QModelIndex) -> str:
    """What hovering a cell shows: its own tooltip, else its whole text."""
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    if tip:
        return str(tip)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    return "" if text is None else str(text)


def is_elided(view: QTableView, row: int, column: int) -> bool:
    """True when the cell's text is wider than its column (so it shows "…")."""
    index = view.model().index(row, column)
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    margin = 2 * (view.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    return view.fontMetrics().horizontalAdvance(text) + margin > view.columnWidth(column)


def tidy(view: QTableView, *, stretch: int | None = None, cap: int = COLUMN_CAP, wrap: bool = False,
         chooser: bool = True, min_stretch: int | None = None) -> QTableView:
    """Set a table up so its text is never lost: the full-text delegate, elision at the right, columns the
    user can resize, ``stretch`` (a column number) taking the spare width, word wrap when ``wrap`` (for
    tables of a few rows) and, when ``chooser``, a header menu to show and hide columns."""
    full_text_cells(view, chooser=chooser)
    view.setWordWrap(wrap)
    view.setProperty("column_cap", cap)
    view.setProperty("min_stretch", MIN_STRETCH if min_stretch is None else min_stretch)
    view.setProperty("stretch_column", -1 if stretch is None else stretch)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    if wrap:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.viewport().installEventFilter(_Rebalance(view))
    fit(view)
    return view


def full_text_cells(view: QTableView, *, chooser: bool = True) -> QTableView:
    """Only the text part of :func:`tidy`, for tables that size their columns themselves: cut cells end in
    "…" and show their full text on hover; with ``chooser`` the header's context menu shows/hides columns."""
    view.setItemDelegate(FullTextDelegate(view))
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    if chooser:
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: _popup_chooser(view, pos))
        header.setToolTip(QCoreApplication.translate("Tables", "右键单击表头可选择显示哪些列"))
    return view


def fit(view: QTableView) -> None:
    """Size the columns to their contents (header included), none wider than the table's cap; the stretch
    column takes what is left. Call after filling the table."""
    model = view.model()
    if model is None:
        return
    cap = int(view.property("column_cap") or COLUMN_CAP)
    stretch = int(view.property("stretch_column") if view.property("stretch_column") is not None else -1)
    header = view.horizontalHeader()
    columns = model.columnCount()
    for column in range(columns):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    view.resizeColumnsToContents()
    metrics = view.fontMetrics()
    rows = min(model.rowCount(), 2_000)  # Qt measures only the rows in view; figures must fit every row
    for column in range(columns):
        widest = max((metrics.horizontalAdvance(str(model.index(r, column).data() or "")) + 14
                      for r in range(rows) if view.columnSpan(r, column) == 1), default=0)
        width = min(max(view.columnWidth(column), widest), cap)
        if width != view.columnWidth(column):
            view.setColumnWidth(column, width)
    view.setProperty("natural_widths", [view.columnWidth(c) for c in range(columns)])
    if 0 <= stretch < columns:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    balance(view)


MIN_STRETCH = 220
"""The main text column keeps at least this width; the other columns give way (down to :data:`FLOOR`)."""
FLOOR = 72


def balance(view: QTableView) -> None:
    """Keep the stretch column readable in a narrow table: when the other columns leave it less than
    :data:`MIN_STRETCH`, the widest of them give way first (never below :data:`FLOOR`; their text is elided
    with a tooltip). Runs after :func:`fit` and whenever the table is resized."""
    stretch = int(view.property("stretch_column") if view.property("stretch_column") is not None else -1)
    natural = list(view.property("natural_widths") or [])
    model = view.model()
    if model is None or not (0 <= stretch < model.columnCount()) or len(natural) != model.columnCount():
        if view.wordWrap():
            view.resizeRowsToContents()
        return
    others = [c for c in range(model.columnCount()) if c != stretch and not view.isColumnHidden(c)]
    numeric = [c for c in others if _is_figure(model, c)]
    text = [c for c in others if c not in numeric]
    keep = min(int(view.property("min_stretch") or MIN_STRETCH), natural[stretch])  # a short main column
    text_room = view.viewport().width() - keep - sum(natural[c] for c in numeric)   # needs no more
    header = view.horizontalHeader()
    for c in numeric:  # figures are never cut: a number missing its end is a wrong number
        view.setColumnWidth(c, natural[c])
    if sum(natural[c] for c in text) <= text_room:
        widths = {c: natural[c] for c in text}
    elif text_room >= FLOOR * len(text):
        level = _water_level([natural[c] for c in text], text_room)
        widths = {c: min(natural[c], level) for c in text}
    else:  # too narrow for everything: text columns at their floor, the table scrolls sideways
        widths = {c: min(natural[c], FLOOR) for c in text}
    for c, width in widths.items():
        if view.columnWidth(c) != width:
            view.setColumnWidth(c, width)
    used = sum(widths.values()) + sum(natural[c] for c in numeric)
    if view.viewport().width() - used < keep:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(stretch, keep)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if view.wordWrap():
        view.resizeRowsToContents()


_FIGURE = re.compile(r"^[A-Z]{0,4}[-+]?[\d][\d,.:%/+\- ]*$")
"""Numbers, dates, times, percentages and codes such as ZB202400216 or D001: cut, they would say something
else, so such columns keep their full width."""


def _is_figure(model: Any, column: int) -> bool:
    """A column of figures: right-aligned, or every filled cell of the first rows a number, date or code."""
    seen = False
    for row in range(min(model.rowCount(), 50)):
        index = model.index(row, column)
        text = str(index.data() or "")
        if not text:
            continue
        alignment = index.data(Qt.ItemDataRole.TextAlignmentRole)
        try:
            if int(alignment or 0) & int(Qt.AlignmentFlag.AlignRight.value):
                return True
        except (TypeError, ValueError):
            pass
        if not _FIGURE.match(text):
            return False
        seen = True
    return seen


def _water_level(widths: list[int], room: int) -> int:
    """The widest a column may be so that the columns fit ``room``: the widest give way first, narrow ones
    (dates, amounts, statuses) keep their natural width; never below :data:`FLOOR`."""
    ordered = sorted(widths)
    used = 0
    for i, width in enumerate(ordered):
        left = len(ordered) - i
        if used + width * left > room:
            return max(FLOOR, (room - used) // left)
        used += width
    return max(ordered, default=FLOOR)


class _Rebalance(QObject):
    """Re-balances a table's columns when its viewport changes width."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            view = watched.parent()
            if isinstance(view, QTableView):
                balance(view)
        return False


def column_menu(view: QTableView) -> QMenu:
    """The column chooser: one checkable entry per column; the last visible column cannot be hidden."""
    model = view.model()
    menu = QMenu(view)
    menu.setObjectName("column_chooser")
    menu.addSection(QCoreApplication.translate("Tables", "显示的列"))
    visible = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or column + 1)
        action = menu.addAction(title)
        action.setCheckable(True)
        action.setChecked(not view.isColumnHidden(column))
        action.setEnabled(view.isColumnHidden(column) or len(visible) > 1)
        action.toggled.connect(lambda on, c=column: set_column_shown(view, c, on))
    menu.addSeparator()
    everything = menu.addAction(QCoreApplication.translate("Tables", "显示全部列"))
    everything.triggered.connect(lambda: show_all_columns(view))
    return menu


def set_column_shown(view: QTableView, column: int, shown: bool) -> None:
    view.setColumnHidden(column, not shown)
    if shown and view.columnWidth(column) == 0:
        view.resizeColumnToContents(column)


def show_all_columns(view: QTableView) -> None:
    for column in range(view.model().columnCount()):
        set_column_shown(view, column, True)


def _popup_chooser(view: QTableView, pos: QPoint) -> None:
    menu = column_menu(view)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    menu.popup(view.horizontalHeader().mapToGlobal(pos))


# ---------------------------------------------------------------------- export


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (≤ 31 characters in Excel), the header row and the data rows."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    """A line above the header, e.g. the unit of the amounts or the filters in force."""


def sheet_of(view: QAbstractItemView, title: str, note: str = "", visible_only: bool = True) -> Sheet:
    """What a table shows, as a :class:`Sheet` (hidden columns left out when ``visible_only``)."""
    model = view.model()
    assert isinstance(view, QTableView)
    columns = [c for c in range(model.columnCount()) if not (visible_only and view.isColumnHidden(c))]
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
               for c in columns]
    rows = [[_cell(model.index(r, c).data(Qt.ItemDataRole.DisplayRole)) for c in columns]
            for r in range(model.rowCount())]
    return Sheet(title, headers, rows, note)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    plain = text.replace(",", "").strip()
    try:  # numbers shown with thousands separators go to Excel as numbers
        return int(plain) if plain.lstrip("-").isdigit() else float(plain) if _is_decimal(plain) else text
    except ValueError:
        return text


def _is_decimal(text: str) -> bool:
    head, dot, tail = text.lstrip("-").partition(".")
    return bool(dot) and head.isdigit() and tail.isdigit()


def write_xlsx(path: Path, sheets: Sequence[Sheet], context: TaskContext | None = None) -> Path:
    """Write ``sheets`` to ``path`` (an .xlsx workbook); polls ``context`` for cancel and reports progress.
    A cancelled export leaves no file behind."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    total = sum(len(s.rows) for s in sheets) or 1
    done = 0
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_name(sheet.title, used)
        ws = book.create_sheet(name)
        if sheet.note:
            ws.append([sheet.note])
            ws.cell(row=1, column=1).font = Font(italic=True)
        ws.append(sheet.headers)
        head_row = ws.max_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.freeze_panes = f"A{head_row + 1}"  # a coordinate: touching the cell would add an empty row
        widths = [_width(h) for h in sheet.headers]
        for row in sheet.rows:
            ws.append(row)
            for i, value in enumerate(row[:len(widths)]):
                widths[i] = max(widths[i], _width(value))
            done += 1
            if context is not None and done % 500 == 0:
                context.check_cancelled()
                context.progress(QCoreApplication.translate("Tables", "正在导出"), done, total)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    if context is not None:
        context.check_cancelled()
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    book.save(partial)
    partial.replace(path)
    return path


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def export_xlsx(owner: QObject, path: Path, sheets: Sequence[Sheet], *, done: Callable[[Path], None],
                failed: Callable[[BaseException], None], progress: Callable[[Any], None] | None = None
                ) -> BackgroundTask[Path]:
    """Write the workbook in the background; ``done(path)`` or ``failed(error)`` on the GUI thread."""
    frozen = [Sheet(s.title, list(s.headers), [list(r) for r in s.rows], s.note) for s in sheets]
    task: BackgroundTask[Path] = BackgroundTask(lambda c: write_xlsx(path, frozen, c), owner=owner,
                                                name="export-xlsx")
    task.on_success(done).on_failure(failed)
    if progress is not None:
        task.on_progress(progress)
    return task.start()


def ask_xlsx_path(parent: Any, suggested: str) -> Path | None:
    """Ask where to save the workbook; None when the user cancels."""
    caption = QCoreApplication.translate("Tables", "导出为 Excel")
    filters = QCoreApplication.translate("Tables", "Excel 工作簿 (*.xlsx)")
    name, _ = QtWidgets.QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    if not name:
        return None
    return Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")


__all__ = ["COLUMN_CAP", "FullTextDelegate", "Sheet", "ask_xlsx_path", "balance", "column_menu", "export_xlsx", "fit",
           "full_text", "full_text_cells", "is_elided", "set_column_shown", "sheet_of", "tidy", "write_xlsx"]
