"""分析 (情况查询与分析汇总): the figures of ``core.cadre.stats.analysis`` — age structure, categories, party
branches, hardship aid per year, activity attendance and deaths per year — each a bar chart with its table
beside it; 导出 Excel writes every table. The figures are computed in a background task."""

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
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import Sheet, ask_xlsx_path, fit, sheet_of, tidy, write_xlsx
from apps.common.tasks import BackgroundTask
from apps.common.theme import chart_font
from core.cadre import stats
from core.cadre.analysis_report import Section, analysis_pdf

BAR_COLOUR = "#1f5fa8"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class BarChart(QWidget):
    """Horizontal bars with their numbers, in the order given (first on top)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(260)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.tick_font = chart_font()
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
        self.values: list[float] = []

    def show_bars(self, title: str, bars: list[tuple[str, float]], fmt: Callable[[float], str] = lambda v: f"{v:g}"
                  ) -> None:
        self.labels, self.values = [b[0] for b in bars], [b[1] for b in bars]
        self.title.setText(title)
        plot = self.plot
        plot.clear()
        positions = list(range(len(bars)))
        if bars:
            plot.addItem(pg.BarGraphItem(x0=0, y=positions, height=0.6, width=self.values,
                                         brush=pg.mkBrush(QColor(BAR_COLOUR)), pen=None))
        left = plot.getAxis("left")
        left.setTicks([[(i, label) for i, label in enumerate(self.labels)]])
        widest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in label) for label in self.labels), default=4)
        left.setWidth(min(widest * 9 + 24, 340))
        for i, value in enumerate(self.values):
            text = pg.TextItem(fmt(value), color="#222222", anchor=(0, 0.5))
            text.setFont(self.tick_font)
            text.setPos(value, i)
            plot.addItem(text)
        top = max(self.values, default=1) or 1
        step = max(1, math.ceil(top / 5))
        plot.getAxis("bottom").setTickSpacing(step, step)
        plot.setXRange(0, top * 1.3, padding=0)
        plot.setYRange(-0.6, max(len(bars), 1) - 0.4, padding=0)
        plot.getPlotItem().invertY(True)


AGE_BANDS = (QT_TRANSLATE_NOOP("AgeBands", "60 岁以下"), QT_TRANSLATE_NOOP("AgeBands", "60–69 岁"),
             QT_TRANSLATE_NOOP("AgeBands", "70–79 岁"), QT_TRANSLATE_NOOP("AgeBands", "80–89 岁"),
             QT_TRANSLATE_NOOP("AgeBands", "90 岁及以上"))
"""The labels of ``core.cadre.stats.AGE_BANDS``, for the translation files."""


class AnalysisPage(QWidget):
    """The analysis tab; ``loaded`` is emitted when the figures are shown."""

    loaded = Signal()
    SECTIONS = (("ages", QT_TRANSLATE_NOOP("AnalysisPage", "年龄结构")),
                ("categories", QT_TRANSLATE_NOOP("AnalysisPage", "人员类别")),
                ("branches", QT_TRANSLATE_NOOP("AnalysisPage", "党支部")),
                ("aid", QT_TRANSLATE_NOOP("AnalysisPage", "帮困救助")),
                ("attendance", QT_TRANSLATE_NOOP("AnalysisPage", "活动出勤")),
                ("deaths", QT_TRANSLATE_NOOP("AnalysisPage", "去世人数")))

    def __init__(self, session_factory: Callable[[], Session], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreAnalysis")
        self._session_factory = session_factory
        self._today = today
        self.result: stats.Analysis | None = None
        self.task: BackgroundTask[stats.Analysis] | None = None
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.hide()
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.print_button = QPushButton(self.tr("打印预览…"))
        self.preview: Any = None
        self.status = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; padding: 4px;")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.status)
        for button in (self.refresh_button, self.cancel_button, self.export_button, self.print_button):
            bar.addWidget(button)
        self.charts: dict[str, BarChart] = {}
        self.tables: dict[str, QTableWidget] = {}
        headers = {
            "ages": [self.tr("年龄段"), self.tr("人数"), self.tr("占比")],
            "categories": [self.tr("人员类别"), self.tr("人数")],
            "branches": [self.tr("党支部"), self.tr("人数")],
            "aid": [self.tr("年份"), self.tr("申请件数"), self.tr("批准件数"), self.tr("批准金额（元）"),
                    self.tr("已发放（元）"), self.tr("人数")],
            "attendance": [self.tr("活动"), self.tr("日期"), self.tr("报名"), self.tr("出席"), self.tr("出席率")],
            "deaths": [self.tr("年份"), self.tr("去世人数")],
        }
        self.tabs = QTabWidget()
        for key, name in self.SECTIONS:
            chart = BarChart()
            table = QTableWidget(0, len(headers[key]))
            table.setHorizontalHeaderLabels(headers[key])
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            tidy(table, stretch=0)
            split = QSplitter(Qt.Orientation.Horizontal)
            split.addWidget(chart)
            split.addWidget(table)
            split.setSizes([640, 560])
            self.charts[key], self.tables[key] = chart, table
            self.tabs.addTab(split, self.tr(name))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.refresh_button.clicked.connect(self.reload)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self._ask_export)
        self.export_button.setEnabled(False)
        self.print_button.clicked.connect(self.open_preview)
        self.print_button.setEnabled(False)

    def title(self) -> str:
        return self.tr("分析")

    # -- computing -------------------------------------------------------------------------------------

    def reload(self, *_: object) -> None:
        """Compute the figures in the background; the page keeps the last figures until they arrive."""
        if self.task is not None and self.task.is_running:
            return
        factory, today = self._session_factory, self._today()

        def work(_context: Any) -> stats.Analysis:
            with factory() as session:
                return stats.analysis(session, today)

        self.status.setText(self.tr("正在统计…"))
        self.refresh_button.setEnabled(False)
        self.cancel_button.show()
        self.task = BackgroundTask(work, owner=self, name="cadre-analysis")
        self.task.on_success(self.show_result).on_failure(self._failed).on_cancelled(
            lambda _e: self.status.setText(self.tr("已取消统计")))
        self.task.on_finished(self._finished)
        self.task.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _finished(self) -> None:
        self.refresh_button.setEnabled(True)
        self.cancel_button.hide()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("统计失败：{error}").format(error=error))

    def show_result(self, result: stats.Analysis) -> None:
        self.result = result
        r = result
        self.status.setText("")
        self.export_button.setEnabled(True)
        self.print_button.setEnabled(True)
        paid = sum(a.paid_fen for a in r.aid)
        self.summary.setText(self.tr(
            "健在 {living} 人；帮困救助共 {applications} 件，已发放 {paid} 元；活动 {activities} 次；"
            "去世 {deaths} 人（截至 {today}）。").format(
            living=r.living, applications=sum(a.applications for a in r.aid), paid=_yuan(paid),
            activities=len(r.attendance), deaths=sum(r.deaths.values()), today=self._today().isoformat()))
        whole = sum(r.ages.values()) or 1
        ages = [(QCoreApplication.translate("AgeBands", k), v) for k, v in r.ages.items()]
        self._fill("ages", [(k, str(v), f"{v / whole:.1%}") for k, v in ages])
        self.charts["ages"].show_bars(self.tr("健在人员年龄结构（人）"), [(k, float(v)) for k, v in ages])
        categories = sorted(r.categories.items(), key=lambda kv: -kv[1])
        self._fill("categories", [(k, str(v)) for k, v in categories])
        self.charts["categories"].show_bars(self.tr("健在人员按类别（人）"), list(categories))
        branches = sorted(r.branches.items())
        self._fill("branches", [(k, str(v)) for k, v in branches])
        self.charts["branches"].show_bars(self.tr("健在党员按党支部（人）"), list(branches))
        self._fill("aid", [(str(a.year), str(a.applications), str(a.approved), _yuan(a.approved_fen),
                            _yuan(a.paid_fen), str(a.people)) for a in r.aid])
        self.charts["aid"].show_bars(self.tr("帮困救助每年已发放金额（元）"),
                                     [(str(a.year), a.paid_fen / 100) for a in r.aid], fmt=lambda v: f"{v:,.0f}")
        self._fill("attendance", [(a.title, a.held_on.isoformat(), str(a.signed_up), str(a.attended), _rate(a.rate))
                                  for a in r.attendance])
        self.charts["attendance"].show_bars(self.tr("活动出席人数（人）"),
                                            [(a.title, a.attended) for a in r.attendance])
        self._fill("deaths", [(str(y), str(n)) for y, n in r.deaths.items()])
        self.charts["deaths"].show_bars(self.tr("每年去世人数（人）"), [(str(y), n) for y, n in r.deaths.items()])
        self.loaded.emit()

    def _fill(self, key: str, rows: list[tuple[str, ...]]) -> None:
        table = self.tables[key]
        table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for column, text in enumerate(row):
                item = QTableWidgetItem(text)
                if (column and key != "attendance") or column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(n, column, item)
        fit(table)

    # -- export ----------------------------------------------------------------------------------------

    def sheets(self) -> list[Sheet]:
        return [sheet_of(self.tables[key], self.tr(name)) for key, name in self.SECTIONS]

    def export_to(self, path: Path) -> Path:
        """Every table of the page as one Excel workbook, a sheet per table."""
        return write_xlsx(path, self.sheets())

    # -- paper -----------------------------------------------------------------------------------------

    def report_pdf(self) -> bytes:
        """The page on A4: each section's bars and its whole table."""
        sections = []
        for key, _name in self.SECTIONS:
            table, chart = self.tables[key], self.charts[key]
            headers = [head.text() if (head := table.horizontalHeaderItem(c)) is not None else ""
                       for c in range(table.columnCount())]
            rows = [[item.text() if (item := table.item(r, c)) is not None else "" for c in range(table.columnCount())]
                    for r in range(table.rowCount())]
            column = 4 if key == "aid" else (3 if key == "attendance" else 1)
            shown = [row[column] for row in rows]
            sections.append(Section(chart.title.text(), headers, rows,
                                    list(zip(chart.labels, chart.values, shown, strict=False))))
        return analysis_pdf(self.tr("老干部情况分析"), self.summary.text(), sections)

    def open_preview(self) -> None:
        if self.result is None:
            return
        self.preview = preview_dialog(PdfPrintJob(self.report_pdf(), self.tr("老干部情况分析")), self)
        self.preview.open()

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.tr("老干部情况分析.xlsx"))
        if path is not None:
            self.export_to(path)
