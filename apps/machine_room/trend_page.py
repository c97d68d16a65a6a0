"""Trends: several points overlaid over a span from a year down to ten minutes, thresholds drawn as lines.

The mouse wheel zooms inside the span; choosing a span asks the history again at the resolution that fits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pyqtgraph as pg

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import CHART_POINTS, chart_font
from apps.machine_room.data import MonitorData, PointInfo, shown_unit

SPANS = ((QT_TRANSLATE_NOOP("TrendPage", "一年"), timedelta(days=365)),
         (QT_TRANSLATE_NOOP("TrendPage", "一个月"), timedelta(days=30)),
         (QT_TRANSLATE_NOOP("TrendPage", "一周"), timedelta(days=7)),
         (QT_TRANSLATE_NOOP("TrendPage", "一天"), timedelta(days=1)),
         (QT_TRANSLATE_NOOP("TrendPage", "一小时"), timedelta(hours=1)),
         (QT_TRANSLATE_NOOP("TrendPage", "十分钟"), timedelta(minutes=10)))
LIMIT_NAMES = {"下限严重": QT_TRANSLATE_NOOP("TrendPage", "下限严重"), "下限告警": QT_TRANSLATE_NOOP("TrendPage", "下限告警"),
               "上限告警": QT_TRANSLATE_NOOP("TrendPage", "上限告警"), "上限严重": QT_TRANSLATE_NOOP("TrendPage", "上限严重")}
PENS = ("#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457")
LIMIT_PENS = {"上限严重": "#c62828", "下限严重": "#c62828", "上限告警": "#f0a30a", "下限告警": "#f0a30a"}


class TrendPage(QWidget):
    def __init__(self, data: MonitorData, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._now = now
        layout = QHBoxLayout(self)
        side = QVBoxLayout()
        self.span = QComboBox()
        for text, span in SPANS:
            self.span.addItem(QCoreApplication.translate("TrendPage", text), span)
        self.span.setCurrentIndex(3)
        self.list = QListWidget()
        self.list.setStyleSheet("font-size: 13pt;")
        self.points: list[PointInfo] = data.points()
        for n, p in enumerate(self.points):
            item = QListWidgetItem(f"{p.device} {p.label}")
            item.setData(Qt.ItemDataRole.UserRole, n)
            item.setCheckState(Qt.CheckState.Checked if n == 0 else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        side.addWidget(self.span)
        side.addWidget(self.list, 1)
        layout.addLayout(side)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend(labelTextSize=f"{CHART_POINTS}pt", labelTextColor="#222222")
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTextPen(pg.mkPen("#222222"))
            axis.setStyle(tickFont=chart_font())
        layout.addWidget(self.plot, 1)
        self.curves: dict[str, int] = {}  # point id → buckets drawn
        self.limits: list[float] = []
        self.span.currentIndexChanged.connect(self.reload)
        self.list.itemChanged.connect(self.reload)
        self.reload()

    def chosen(self) -> list[PointInfo]:
        return [self.points[self.list.item(i).data(Qt.ItemDataRole.UserRole)] for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def reload(self, *_: object) -> None:
        self.plot.clear()
        self.curves, self.limits = {}, []
        end = self._now()
        start = end - self.span.currentData()
        for n, p in enumerate(self.chosen()):
            t = self._data.trend(p.id, start, end)
            xs = [b.at.timestamp() for b in t.buckets]
            self.plot.plot(xs, [b.vavg for b in t.buckets], pen=pg.mkPen(PENS[n % len(PENS)], width=2),
                           name=f"{p.device} {p.label}（{shown_unit(p.unit)}）")
            self.curves[p.id] = len(xs)
            for name, value in p.limits:
                line = pg.InfiniteLine(value, angle=0, label=f"{p.device} {QCoreApplication.translate('TrendPage', name)} {value:g}",
                                       labelOpts={"position": 0.85, "color": LIMIT_PENS[name],
                                                  "fill": (255, 255, 255, 200)},
                                       pen=pg.mkPen(LIMIT_PENS[name], width=1, style=Qt.PenStyle.DashLine))
                line.label.setFont(chart_font())
                self.plot.addItem(line)
                self.limits.append(value)
        self.plot.setXRange(start.timestamp(), end.timestamp(), padding=0)
