"""Indicator management (动态指标管理): find an indicator and follow its life on a timeline and in a table.

The chart shows what is still available (issued + carried in ± adjustments − paid) as a step line over the
year, with a marker for every event; the table beside it lists the same events with their running figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyqtgraph as pg

from apps.budget.analysis.widgets import FigureTable, chart_font, empty_label, wan
from apps.budget.common.context import BudgetContext
from apps.common.qt import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from core.budget.report.charts import PALETTE
from core.budget.timeline import (
    ADJUSTED,
    APPLIED,
    CARRIED_FORWARD,
    CARRIED_IN,
    ISSUED,
    PAID,
    PLANNED,
    IndicatorHit,
    IndicatorTimeline,
    indicator_timeline,
    search_indicators,
)

MARKERS = {ISSUED: ("s", "#2F6DB5"), CARRIED_IN: ("t", "#6A4FB5"), ADJUSTED: ("d", "#E08A1E"),
           PLANNED: ("o", "#9E9E9E"), APPLIED: ("o", "#607D8B"), PAID: ("o", PALETTE["paid"]),
           CARRIED_FORWARD: ("star", "#D0342C")}


class IndicatorTimelinePage(QWidget):
    """Search indicators by number, project or department; show one indicator's events."""

    searched = Signal()
    timeline_loaded = Signal()

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IndicatorTimelinePage")
        self.ctx = ctx
        self.timeline: IndicatorTimeline | None = None
        self.hits: list[IndicatorHit] = []
        self._task: BackgroundTask[Any] | None = None

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17pt; font-weight: bold;")
        self.search_edit = QLineEdit()
        self.search_edit.setMinimumWidth(360)
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton()
        self.search_button.clicked.connect(self.search)
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addStretch(1)
        bar.addWidget(self.search_edit)
        bar.addWidget(self.search_button)

        self.hit_table = FigureTable()
        self.hit_table.setWordWrap(True)  # a few search hits: department and project names wrap in the narrow list
        self.hit_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.hit_table.itemSelectionChanged.connect(self._hit_chosen)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.issues = QLabel()
        self.issues.setWordWrap(True)
        self.issues.setStyleSheet("color: #c62828; font-size: 13pt; font-weight: bold;")
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMinimumHeight(260)
        self.chart.getPlotItem().setMenuEnabled(False)
        self.chart.getPlotItem().hideButtons()
        self.chart.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            axis = self.chart.getAxis(name)
            axis.setTextPen(pg.mkPen("#222222"))
            axis.setStyle(tickFont=chart_font())
        self.chart.getAxis("left").setWidth(90)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.legend.setStyleSheet("font-size: 12pt;")
        self.events = FigureTable()

        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.info)
        column.addWidget(self.issues)
        column.addWidget(self.chart, 2)
        column.addWidget(self.legend)
        column.addWidget(self.events, 3)
        self.empty = empty_label("")
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.empty)
        self.detail_stack.addWidget(detail)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.hit_table)
        split.addWidget(self.detail_stack)
        split.setSizes([420, 1180])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.setStyleSheet("QWidget#IndicatorTimelinePage { font-size: 12pt; }")
        self.retranslate()

    def title(self) -> str:
        return self.tr("指标管理：指标全过程")

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.search_edit.setPlaceholderText(self.tr("输入指标编号、文号、项目或部门"))
        self.search_button.setText(self.tr("查找"))
        self.empty.setText(self.tr("输入指标编号、项目或部门名称查找指标，选中后查看它从下达、调整、用款计划、支付申请、"
                                   "支付到结转的全过程。"))
        names = {ISSUED: self.tr("下达"), CARRIED_IN: self.tr("上年结转"), ADJUSTED: self.tr("调整"),
                 PLANNED: self.tr("用款计划"), APPLIED: self.tr("支付申请"), PAID: self.tr("支付"),
                 CARRIED_FORWARD: self.tr("年末结转")}
        self.legend.setText("&nbsp;&nbsp;".join(
            [f"<span style='color:{PALETTE['rate']}; font-size:16pt'>━</span> {self.tr('可用余额（万元）')}"]
            + [f"<span style='color:{c}; font-size:16pt'>●</span> {names[k]}" for k, (_s, c) in MARKERS.items()]))
        if self.timeline is not None:
            self._show(self.timeline)

    def refresh(self) -> None:
        if self.timeline is not None:
            self.show_indicator(self.timeline.indicator_no)

    # search ------------------------------------------------------------------------------------------
    def search(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            self.empty.setText(self.tr("请输入要查找的指标编号、项目或部门。"))
            self.detail_stack.setCurrentWidget(self.empty)
            return
        engine, year = self.ctx.engine, self.ctx.year

        def work(_c: TaskContext) -> list[IndicatorHit]:
            return search_indicators(engine, text, year=year, limit=200)

        BackgroundTask(work, owner=self, name="indicator-search").on_success(self._found).start()

    def _found(self, hits: list[IndicatorHit]) -> None:
        self.hits = hits
        self.hit_table.fill(
            (self.tr("指标编号"), self.tr("部门"), self.tr("项目"), self.tr("金额（万元）")),
            [((h.indicator_no, h.indicator_no), (h.department_name, h.department_name),
              (h.project_name, h.project_name), (wan(h.amount_fen), h.amount_fen)) for h in hits],
            numeric=(3,), data=[h.indicator_no for h in hits])
        if not hits:
            self.empty.setText(self.tr("没有找到与“%1”相符的指标。").replace("%1", self.search_edit.text().strip()))
            self.detail_stack.setCurrentWidget(self.empty)
        self.searched.emit()

    def _hit_chosen(self) -> None:
        rows = self.hit_table.selectionModel().selectedRows()
        if rows:
            item = self.hit_table.item(rows[0].row(), 0)
            if item is not None:
                self.show_indicator(str(item.data(Qt.ItemDataRole.UserRole)))

    # one indicator -------------------------------------------------------------------------------------
    def show_indicator(self, indicator_no: str) -> None:
        """Load and show the life of ``indicator_no`` (from another page, or a search result)."""
        engine, year = self.ctx.engine, self.ctx.year

        def work(_c: TaskContext) -> IndicatorTimeline:
            try:
                return indicator_timeline(engine, indicator_no, year)
            except LookupError:
                return indicator_timeline(engine, indicator_no)

        self._task = (BackgroundTask(work, owner=self, name="indicator-timeline")
                      .on_success(self._show).on_failure(self._failed).start())

    def _failed(self, error: BaseException) -> None:
        self.timeline = None
        self.empty.setText(str(error) if isinstance(error, LookupError) else self.tr("读取指标失败：%1")
                           .replace("%1", str(error)))
        self.detail_stack.setCurrentWidget(self.empty)
        self.timeline_loaded.emit()

    def _show(self, t: IndicatorTimeline) -> None:
        self.timeline = t
        if not self.search_edit.text().strip():  # opened from another page: show what is being looked at
            self.search_edit.setText(t.indicator_no)
        self.info.setText(
            f"<b style='font-size:15pt'>{t.indicator_no}</b>　{t.department_name}　{t.project_name}<br>"
            + self.tr("文号 %1，下达 %2 万元，调整 %3 万元，上年结转 %4 万元；已支付 %5 万元，余额 %6 万元")
            .replace("%1", t.doc_no or "—").replace("%2", wan(t.amount_fen)).replace("%3", wan(t.adjusted_fen))
            .replace("%4", wan(t.carried_over_fen)).replace("%5", wan(t.paid_fen)).replace("%6", wan(t.balance_fen)))
        self.issues.setText("；".join(t.issues))
        self.issues.setVisible(bool(t.issues))
        self._draw(t)
        self.events.fill(
            (self.tr("日期"), self.tr("事项"), self.tr("说明"), self.tr("金额（万元）"), self.tr("笔数"), self.tr("文号"),
             self.tr("可用余额（万元）"), self.tr("累计计划（万元）"), self.tr("累计申请（万元）"),
             self.tr("累计支付（万元）"), self.tr("提示")),
            [((e.on.isoformat(), e.on.toordinal() * 10 + i), (self._event_name(e.kind), e.kind), (e.label, e.label),
              (wan(e.amount_fen), e.amount_fen), (str(e.count), e.count), (e.doc_no, e.doc_no),
              (wan(e.available_fen), e.available_fen), (wan(e.planned_fen), e.planned_fen),
              (wan(e.applied_fen), e.applied_fen), (wan(e.paid_fen), e.paid_fen), (e.flag, e.flag))
             for i, e in enumerate(t.events)], numeric=(3, 4, 6, 7, 8, 9))
        self.detail_stack.setCurrentIndex(1)
        self.timeline_loaded.emit()

    def _event_name(self, kind: str) -> str:
        return {ISSUED: self.tr("指标下达"), CARRIED_IN: self.tr("上年结转"), ADJUSTED: self.tr("指标调整"),
                PLANNED: self.tr("用款计划"), APPLIED: self.tr("支付申请"), PAID: self.tr("资金支付"),
                CARRIED_FORWARD: self.tr("年末结转")}.get(kind, kind)

    def _draw(self, t: IndicatorTimeline) -> None:
        plot = self.chart
        plot.clear()
        start = date(t.year, 1, 1).toordinal()
        xs = [e.on.toordinal() - start for e in t.events]
        ys = [e.available_fen / 1_000_000 for e in t.events]
        if xs:
            step_x, step_y, level = [0.0], [0.0], 0.0
            for x, y in zip(xs, ys, strict=True):  # a step line: the balance holds until the next event
                step_x += [x, x]
                step_y += [level, y]
                level = y
            plot.plot([*step_x, 365], [*step_y, level], pen=pg.mkPen(PALETTE["rate"], width=3))
        for kind, (symbol, colour) in MARKERS.items():
            pts = [(x, y) for x, y, e in zip(xs, ys, t.events, strict=True) if e.kind == kind]
            if pts:
                plot.plot([p[0] for p in pts], [p[1] for p in pts], pen=None, symbol=symbol, symbolSize=12,
                          symbolBrush=colour, symbolPen=pg.mkPen("w"))
        ticks = [(date(t.year, m, 1).toordinal() - start, self.tr("%1月").replace("%1", str(m))) for m in range(1, 13)]
        plot.getAxis("bottom").setTicks([ticks])
        plot.setXRange(-5, 370, padding=0)
