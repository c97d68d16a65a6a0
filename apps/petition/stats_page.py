"""统计: the figures of the cases received in a period (``core.petition.stats``) — counts by channel,
category, district and receiving body, the on-time rate, satisfaction, the hot topics — a bar chart of the
chosen dimension, and the monthly report (``core.petition.report``) in print preview or saved as PDF."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from sqlalchemy.orm import Session

from apps.common.printing import PdfPrintJob, preview_dialog
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QColor,
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.theme import FONT_FAMILIES
from core.petition import report, stats

BAR_COLOUR = "#1f5fa8"
CHART_TOP = 12
"""The chart shows this many of the largest groups."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class CountChart(QWidget):
    """Horizontal bars of counts with their numbers, the largest on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(260)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.tick_font = QFont()
        self.tick_font.setFamilies(FONT_FAMILIES)
        self.tick_font.setPointSize(12)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTextPen(pg.mkPen("#222222"))
            axis.setStyle(tickFont=self.tick_font)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold; background: white; padding: 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        self.labels: list[str] = []
        self.values: list[int] = []

    def show_counts(self, title: str, counts: list[stats.Count]) -> None:
        shown = counts[:CHART_TOP]
        self.labels, self.values = [c.label for c in shown], [c.count for c in shown]
        self.title.setText(title)
        plot = self.plot
        plot.clear()
        positions = list(range(len(shown)))
        if shown:
            plot.addItem(pg.BarGraphItem(x0=0, y=positions, height=0.6, width=self.values,
                                         brush=pg.mkBrush(QColor(BAR_COLOUR)), pen=None))
        left = plot.getAxis("left")
        left.setTicks([[(i, label) for i, label in enumerate(self.labels)]])
        widest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in label) for label in self.labels), default=4)
        left.setWidth(min(widest * 9 + 24, 340))
        for i, value in enumerate(self.values):
            text = pg.TextItem(str(value), color="#222222", anchor=(0, 0.5))
            text.setFont(self.tick_font)
            text.setPos(value, i)
            plot.addItem(text)
        top = max(self.values, default=1) or 1
        step = max(1, math.ceil(top / 5))  # counts: whole-number ticks
        plot.getAxis("bottom").setTickSpacing(step, step)
        plot.setXRange(0, top * 1.18, padding=0)
        plot.setYRange(-0.6, max(len(shown), 1) - 0.4, padding=0)
        plot.getPlotItem().invertY(True)


class StatsPage(QWidget):
    DIMENSIONS = (("by_channel", QT_TRANSLATE_NOOP("StatsPage", "来源渠道")),
                  ("by_category", QT_TRANSLATE_NOOP("StatsPage", "信访分类")),
                  ("by_district", QT_TRANSLATE_NOOP("StatsPage", "区")),
                  ("by_body", QT_TRANSLATE_NOOP("StatsPage", "承办单位")),
                  ("by_state", QT_TRANSLATE_NOOP("StatsPage", "办理状态")))

    def __init__(self, session_factory: Callable[[], Session], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionStats")
        self._session_factory = session_factory
        self._today = today
        self.result: stats.PeriodStats | None = None
        self.topics: stats.HotTopics | None = None
        self.message_box: QMessageBox | None = None
        self.preview: Any = None
        now = today()
        self.start = QDateEdit(_qdate(date(now.year, 1, 1)))
        self.end = QDateEdit(_qdate(now))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self.reload)
        self.dimension = QComboBox()
        for key, name in self.DIMENSIONS:
            self.dimension.addItem(self.tr(name), key)
        self.dimension.currentIndexChanged.connect(self._draw)
        self.month = QDateEdit(_qdate(now))
        self.month.setDisplayFormat("yyyy-MM")
        self.report_button = QPushButton(self.tr("月度报告预览…"))
        self.report_button.clicked.connect(self.preview_report)
        self.save_button = QPushButton(self.tr("月度报告另存为 PDF…"))
        self.save_button.clicked.connect(self._ask_save)
        bar = QHBoxLayout()
        widget: QWidget
        for widget in (QLabel(self.tr("收到日期")), self.start, QLabel(self.tr("至")), self.end,
                       QLabel(self.tr("图表")), self.dimension):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (QLabel(self.tr("月份")), self.month, self.report_button, self.save_button):
            bar.addWidget(widget)
        self.summary = QLabel()
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.chart = CountChart()
        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        for key, name in self.DIMENSIONS:
            self.tables[key] = self._table([self.tr(name), self.tr("件数"), self.tr("占比")])
            self.tabs.addTab(self.tables[key], self.tr(name))
        self.tables["on_time"] = self._table([self.tr("承办单位"), self.tr("已答复"), self.tr("按期答复"),
                                              self.tr("按期率")])
        self.tabs.addTab(self.tables["on_time"], self.tr("按期办结"))
        self.tables["topics"] = self._table([self.tr("热点"), self.tr("本期"), self.tr("上期"), self.tr("增减")])
        self.tabs.addTab(self.tables["topics"], self.tr("热点问题"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.chart)
        split.addWidget(self.tabs)
        split.setSizes([700, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.reload()

    def title(self) -> str:
        return self.tr("统计")

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        tidy(table, stretch=0)
        return table

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def reload(self, *_: object) -> None:
        start, end = self.period()
        if end < start:
            self.summary.setText(self.tr("结束日期早于开始日期，请重新选择。"))
            return
        with self._session_factory() as session, session.begin():  # the hot topics refresh the text index
            self.result = stats.period_stats(session, start, end)
            self.topics = stats.hot_topics(session, start, end, top=15)
        r = self.result
        self.summary.setText(self.tr(
            "共收到信访件 {total} 件（另有重复件 {repeats} 件），集体访 {collective} 件、涉及 {persons} 人；"
            "已答复 {answered} 件，按期答复率 {on_time}；满意率 {satisfied}。").format(
            total=r.total, repeats=r.repeats, collective=r.collective, persons=r.persons, answered=r.answered,
            on_time=_rate(r.on_time_rate), satisfied=_rate(r.satisfaction.rate)))
        whole = sum(c.count for c in r.by_channel) or 1
        for key, _name in self.DIMENSIONS:
            counts: list[stats.Count] = getattr(r, key)
            self._fill(self.tables[key], [(c.label, str(c.count), f"{c.count / whole:.1%}") for c in counts])
        self._fill(self.tables["on_time"], [(o.body, str(o.answered), str(o.on_time), _rate(o.rate))
                                            for o in r.on_time])
        self._fill(self.tables["topics"], [(t.term, str(t.count), str(t.previous), f"{t.change:+d}")
                                           for t in self.topics.top])
        self._draw()

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for column, text in enumerate(row):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(n, column, item)
        fit(table)

    def _draw(self, *_: object) -> None:
        if self.result is None:
            return
        key = self.dimension.currentData() or "by_channel"
        name = self.dimension.currentText()
        start, end = self.period()
        self.chart.show_counts(self.tr("按{name}统计（{start} 至 {end}）").format(
            name=name, start=start.isoformat(), end=end.isoformat()), getattr(self.result, key))

    # -- the monthly report -------------------------------------------------------------------------------

    def report_pdf(self) -> tuple[str, bytes]:
        month = self.month.date()
        with self._session_factory() as session, session.begin():
            r = report.collect(session, month.year(), month.month(), made_on=self._today())
        return r.title, report.report_pdf(r)

    def preview_report(self) -> None:
        title, pdf = self.report_pdf()
        self.preview = preview_dialog(PdfPrintJob(pdf, title), self)
        self.preview.open()

    def save_report_to(self, path: Path) -> Path:
        _title, pdf = self.report_pdf()
        path.write_bytes(pdf)
        return path

    def _ask_save(self) -> None:
        month = self.month.date()
        name, _ = QFileDialog.getSaveFileName(self, self.tr("月度报告另存为 PDF"),
                                              self.tr("{year}年{month}月信访情况分析.pdf").format(
                                                  year=month.year(), month=month.month()), "PDF (*.pdf)")
        if name:
            try:
                self.save_report_to(Path(name))
            except OSError as error:
                box = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能保存"),
                                  self.tr("无法写入文件：{error}").format(error=error),
                                  QMessageBox.StandardButton.Ok, self)
                self.message_box = box
                box.open()
