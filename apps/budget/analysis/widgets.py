"""Chart and table widgets the analysis pages share: pyqtgraph bars and lines with Chinese labels, and a
sortable table that sorts numbers as numbers.

Colours come from :data:`core.budget.report.charts.PALETTE`, so the page and the printed report use the
same colour for execution, time progress, amounts and "behind progress".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pyqtgraph as pg

from apps.common.qt import (
    QColor,
    QLabel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.theme import chart_font
from core.budget.report.charts import PALETTE
from core.budget.report.content import rate_text, wan2, yi2

# The page shows the report's figures, formatted the same way (亿元 / 万元 / %, no unit: headers carry it).
yi = yi2
wan = wan2
percent = rate_text


def points(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


class SortItem(QTableWidgetItem):
    """A cell that sorts by a key (a number) instead of its text."""

    def __init__(self, text: str, key: Any = None) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.key, getattr(other, "key", None)
        if mine is None or theirs is None:
            if mine is None and theirs is None:
                return self.text() < other.text()
            return mine is None  # unknown values sort first ascending, last descending
        return bool(mine < theirs)


class FigureTable(QTableWidget):
    """A read-only, sortable table of figures; numeric columns right-aligned. Columns fit their contents up to
    a cap, the main text column (the widest non-numeric one) takes the spare width, a cut cell ends in "…"
    and shows its full text on hover, and the header's context menu shows or hides columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        tidy(self)

    def fill(self, header: Sequence[str], rows: Sequence[Sequence[tuple[str, Any]]], numeric: Sequence[int] = (),
             data: Sequence[Any] | None = None) -> None:
        """Rows of ``(text, sort key)`` cells; ``data`` (one per row) is kept on the first cell."""
        self.setSortingEnabled(False)
        self.clear()
        self.setColumnCount(len(header))
        self.setHorizontalHeaderLabels(list(header))
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (text, key) in enumerate(row):
                item = SortItem(text, key)
                if c in numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 0 and data is not None:
                    item.setData(Qt.ItemDataRole.UserRole, data[r])
                self.setItem(r, c, item)
        self.setSortingEnabled(True)
        self.setProperty("stretch_column", _main_text_column(rows, numeric))
        fit(self)


def _main_text_column(rows: Sequence[Sequence[tuple[str, Any]]], numeric: Sequence[int]) -> int:
    """The non-numeric column with the longest text (names, reasons): it takes the table's spare width."""
    if not rows:
        return -1
    widths: dict[int, int] = {}
    for row in rows:
        for c, (text, _key) in enumerate(row):
            if c not in numeric:
                widths[c] = max(widths.get(c, 0), len(str(text)))
    return max(widths, key=lambda c: widths[c]) if widths else -1


def empty_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666; font-size: 14pt; padding: 30px;")
    return label


class BarChart(QWidget):
    """Bars with value labels, an optional line over the categories or a constant reference line, a legend
    under the plot (never over the bars) and the title above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(240)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTextPen(pg.mkPen("#222222"))
            axis.setPen(pg.mkPen(PALETTE["axis"]))
            axis.setStyle(tickFont=chart_font())
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)  # a long (translated) title wraps instead of widening the chart
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold; background: white; padding: 4px;")
        self.legend = QLabel()
        self.legend.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setStyleSheet("font-size: 12pt; background: white; padding: 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        self.values: list[float] = []
        self.categories: list[str] = []

    def show_bars(self, title: str, categories: Sequence[str], values: Sequence[float], *, unit: str = "%",
                  horizontal: bool = False, colours: Sequence[str] | None = None, line: Sequence[float] | None = None,
                  line_name: str = "", reference: float | None = None, bar_name: str = "",
                  colour_names: dict[str, str] | None = None) -> None:
        """Draw the bars; ``colour_names`` names the bar colours in the legend (else ``bar_name``)."""
        plot = self.plot
        plot.clear()
        self.title.setText(title)
        self.categories, self.values = list(categories), [float(v) for v in values]
        n = len(self.values)
        default = PALETTE["rate"] if unit == "%" else PALETTE["paid"]
        fills = list(colours or [default] * n)
        brushes = [pg.mkBrush(QColor(c)) for c in fills]
        positions = list(range(n))
        font = chart_font(10 if n > 14 else 11)
        if horizontal:
            bars = pg.BarGraphItem(x0=0, y=positions, height=0.6, width=self.values, brushes=brushes, pen=None)
            left = plot.getAxis("left")
            left.setTicks([[(i, c) for i, c in enumerate(self.categories)]])
            # room for the longest name, set rather than measured: a chart drawn while hidden measures nothing
            widest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in c) for c in self.categories), default=4)
            left.setWidth(min(widest * 9 + 24, 340))
            plot.getAxis("bottom").setTicks(None)
            plot.getPlotItem().invertY(True)
        else:
            bars = pg.BarGraphItem(x=positions, height=self.values, width=0.6, brushes=brushes, pen=None)
            plot.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(self.categories)]])
            plot.getAxis("left").setTicks(None)
            plot.getAxis("left").setWidth(70)
            plot.getPlotItem().invertY(False)
        plot.addItem(bars)
        for i, v in enumerate(self.values):
            text = f"{v:.1f}%" if unit == "%" else f"{v:,.1f}"
            label = pg.TextItem(text, color="#222222", anchor=(0, 0.5) if horizontal else (0.5, 1),
                                fill=pg.mkBrush(255, 255, 255, 210))
            label.setFont(font)
            if horizontal:
                label.setPos(v, i)
            else:
                label.setPos(i, v)
            plot.addItem(label)
        top = max([*self.values, *(line or []), reference or 0, 0.0]) or 1.0
        if line is not None:
            plot.plot(positions, list(line), pen=pg.mkPen(PALETTE["progress"], width=3), symbol="o",
                      symbolBrush=PALETTE["progress"], symbolPen=None, symbolSize=8)
        if reference is not None:
            plot.addItem(pg.InfiniteLine(pos=reference, angle=90 if horizontal else 0,
                                         pen=pg.mkPen(PALETTE["progress"], width=3)))
        if horizontal:
            plot.setXRange(0, top * 1.15, padding=0)
            plot.setYRange(-0.6, max(n - 0.4, 0.6), padding=0)
        else:
            plot.setYRange(0, top * 1.15, padding=0)
            plot.setXRange(-0.6, max(n - 0.4, 0.6), padding=0)
        entries = []
        names = colour_names or {}
        for colour in dict.fromkeys(fills):
            name = names.get(colour, bar_name)
            if name:
                entries.append(f"<span style='color:{colour}; font-size:16pt'>■</span> {name}")
        if line_name:
            entries.append(f"<span style='color:{PALETTE['progress']}; font-size:16pt'>━</span> {line_name}")
        self.legend.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(dict.fromkeys(entries)))
        self.legend.setVisible(bool(entries))
