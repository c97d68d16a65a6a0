"""The analysis page (预算执行分析): execution against time progress, year on year, structure, trend,
rankings and a profile per department — each chart with the same figures in a table beside it.

Figures come from :mod:`core.budget.analysis` (the same functions the execution report uses), loaded in the
background when the page opens and whenever the as-of month changes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from apps.budget.analysis.figures import PageFigures, load_figures
from apps.budget.analysis.public_page import PublicAnalysisPanel
from apps.budget.analysis.widgets import BarChart, FigureTable, empty_label, percent, points, wan, yi
from apps.budget.common.context import BudgetContext
from apps.common.qt import (
    QComboBox,
    QCoreApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import Sheet, ask_xlsx_path, export_xlsx, sheet_of
from apps.common.tasks import BackgroundTask, TaskContext
from core.budget import analysis
from core.budget.analysis import DepartmentProfile, ExecutionRow
from core.budget.report.charts import PALETTE

CHART_ROWS = 25
"""Bars drawn at most; the table beside the chart holds every row."""


def _short(name: str) -> str:
    return name.removesuffix("支出") or name


def _behind_names() -> dict[str, str]:
    return {PALETTE["behind"]: QCoreApplication.translate("AnalysisPage", "低于序时进度"),
            PALETTE["rate"]: QCoreApplication.translate("AnalysisPage", "不低于序时进度")}


def _colours(rows: list[ExecutionRow]) -> list[str]:
    return [PALETTE["behind"] if (r.gap or 0) < 0 else PALETTE["rate"] for r in rows]


def _pair(chart: QWidget, table: QWidget) -> QSplitter:
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(chart)
    split.addWidget(table)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    split.setSizes([900, 700])
    return split


class AnalysisPage(QWidget):
    """Tabs 执行进度 / 同比 / 结构 / 趋势 / 排名 / 部门画像 over the figures of one year and as-of month."""

    open_item = Signal(str, str)
    loaded = Signal()
    profile_loaded = Signal()
    exported = Signal(str)
    """The path of a finished export, or "" when it failed."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnalysisPage")
        self.ctx = ctx
        self.figures: PageFigures | None = None
        self.profile: DepartmentProfile | None = None
        self._task: BackgroundTask[Any] | None = None
        self._profile_task: BackgroundTask[Any] | None = None

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17pt; font-weight: bold;")
        self.month_box = QComboBox()
        for m in range(1, 13):
            self.month_box.addItem("", m)
        self.month_box.activated.connect(lambda _i: self.reload())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")
        self.month_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.month_label)
        bar.addWidget(self.month_box)
        bar.addWidget(self.refresh_button)
        self.export_button = QPushButton()
        self.export_button.setObjectName("analysis_export")
        self.export_button.clicked.connect(lambda: self.export_to())
        bar.addWidget(self.export_button)

        self.tabs = QTabWidget()
        self._build_progress()
        self._build_yoy()
        self._build_structure()
        self._build_trend()
        self._build_ranking()
        self._build_profile()
        self.public = PublicAnalysisPanel()
        self.public.open_item.connect(self.open_item)
        self.tabs.addTab(self.public, "")
        self.empty = empty_label("")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.setStyleSheet("QWidget#AnalysisPage { font-size: 12pt; } QTabBar::tab { padding: 8px 18px; }")
        self.retranslate()
        self.reload(initial=True)

    # building ----------------------------------------------------------------------------------
    def _build_progress(self) -> None:
        self.dimension_box = QComboBox()
        for key in ("class", "department", "book"):
            self.dimension_box.addItem("", key)
        self.dimension_box.currentIndexChanged.connect(lambda _i: self._show_progress())
        self.progress_chart = BarChart()
        self.progress_table = FigureTable()
        self.progress_table.itemDoubleClicked.connect(lambda item: self._open_row(self.progress_table, item.row()))
        self.progress_tab, self.progress_label = self._tab(self.dimension_box, _pair(self.progress_chart,
                                                                                     self.progress_table))

    def _build_yoy(self) -> None:
        self.yoy_basis = QLabel()
        self.yoy_basis.setWordWrap(True)
        self.yoy_chart = BarChart()
        self.yoy_table = FigureTable()
        self.yoy_stack = QStackedWidget()
        self.yoy_stack.addWidget(_pair(self.yoy_chart, self.yoy_table))
        self.yoy_empty = empty_label("")
        self.yoy_stack.addWidget(self.yoy_empty)
        self.yoy_tab, _ = self._tab(self.yoy_basis, self.yoy_stack)

    def _build_structure(self) -> None:
        self.structure_box = QComboBox()
        for key in ("functional", "economic", "book"):
            self.structure_box.addItem("", key)
        self.structure_box.currentIndexChanged.connect(lambda _i: self._show_structure())
        self.structure_chart = BarChart()
        self.structure_table = FigureTable()
        self.structure_tab, self.structure_label = self._tab(self.structure_box, _pair(self.structure_chart,
                                                                                       self.structure_table))

    def _build_trend(self) -> None:
        self.trend_paid_chart = BarChart()
        self.trend_rate_chart = BarChart()
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.trend_paid_chart)
        charts.addWidget(self.trend_rate_chart)
        self.trend_table = FigureTable()
        self.trend_note = QLabel()
        self.trend_tab, _ = self._tab(self.trend_note, _pair(charts, self.trend_table))

    def _build_ranking(self) -> None:
        self.rank_object_box = QComboBox()
        for key in ("department", "project"):
            self.rank_object_box.addItem("", key)
        self.rank_key_box = QComboBox()
        for key in ("rate", "paid", "adjusted", "growth"):
            self.rank_key_box.addItem("", key)
        self.rank_order_box = QComboBox()
        self.rank_order_box.addItem("", True)
        self.rank_order_box.addItem("", False)
        for box in (self.rank_object_box, self.rank_key_box, self.rank_order_box):
            box.currentIndexChanged.connect(lambda _i: self._show_ranking())
        self.rank_chart = BarChart()
        self.rank_table = FigureTable()
        self.rank_table.itemDoubleClicked.connect(lambda item: self._open_row(self.rank_table, item.row()))
        controls = QWidget()
        row = QHBoxLayout(controls)
        row.setContentsMargins(0, 0, 0, 0)
        for box in (self.rank_object_box, self.rank_key_box, self.rank_order_box):
            row.addWidget(box)
        self.ranking_tab, self.ranking_label = self._tab(controls, _pair(self.rank_chart, self.rank_table))

    def _build_profile(self) -> None:
        self.department_box = QComboBox()
        self.department_box.setEditable(True)
        self.department_box.setMinimumWidth(320)
        self.department_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.department_box.activated.connect(lambda _i: self.show_department(self.department_box.currentData()))
        self.profile_summary = QLabel()
        self.profile_summary.setWordWrap(True)
        self.profile_summary.setTextFormat(Qt.TextFormat.RichText)
        self.profile_summary.setStyleSheet("font-size: 13pt; padding: 6px;")
        self.profile_chart = BarChart()
        self.profile_projects = FigureTable()
        self.profile_projects.itemDoubleClicked.connect(
            lambda item: self._open_row(self.profile_projects, item.row()))
        self.profile_audit = FigureTable()
        self.profile_projects_label = QLabel()
        self.profile_audit_label = QLabel()
        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.profile_projects_label, 0, 0)
        grid.addWidget(self.profile_projects, 1, 0)
        grid.addWidget(self.profile_audit_label, 2, 0)
        grid.addWidget(self.profile_audit, 3, 0)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.profile_summary)
        column.addWidget(self.profile_chart, 1)
        self.profile_stack = QStackedWidget()
        self.profile_stack.addWidget(_pair(left, right))
        self.profile_empty = empty_label("")
        self.profile_stack.addWidget(self.profile_empty)
        self.profile_stack.setCurrentWidget(self.profile_empty)
        self.profile_tab, self.profile_label = self._tab(self.department_box, self.profile_stack)

    def _tab(self, control: QWidget, body: QWidget) -> tuple[QWidget, QLabel]:
        tab = QWidget()
        label = QLabel()
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(control, 1 if isinstance(control, QLabel) else 0)
        top.addStretch(0 if isinstance(control, QLabel) else 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        self.tabs.addTab(tab, "")
        return tab, label

    # texts ---------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("预算执行分析")

    # export ------------------------------------------------------------------------------------
    def export_sheets(self) -> list[Sheet]:
        """Every analysis table with rows, one sheet each, named by its tab (and a number when a tab holds
        several); the first line says the year, the month and that amounts are in the units of the headers."""
        month = self.month_box.currentData() or 12
        note = self.tr("%1 年截至 %2 月底；金额单位见各列标题").replace("%1", str(self.ctx.year)).replace(
            "%2", str(month))
        sheets: list[Sheet] = []
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            tables = [t for t in tab.findChildren(FigureTable) if t.rowCount() > 0] if tab is not None else []
            for n, table in enumerate(tables, start=1):
                name = self.tabs.tabText(i) + (f"{n}" if len(tables) > 1 else "")
                sheets.append(sheet_of(table, name, note))
        return sheets

    def export_to(self, path: Path | None = None) -> BackgroundTask[Path] | None:
        """Export the analysis tables to an Excel workbook (asking where when ``path`` is None)."""
        sheets = self.export_sheets()
        if not sheets:
            self.status.setText(self.tr("没有可导出的表格"))
            return None
        if path is None:
            path = ask_xlsx_path(self, self.tr("%1年预算执行分析.xlsx").replace("%1", str(self.ctx.year)))
            if path is None:
                return None
        self.export_button.setEnabled(False)

        def done(written: Path) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("已导出 %1 张表到 %2").replace("%1", str(len(sheets))).replace("%2", str(written)))
            self.exported.emit(str(written))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("导出失败，没有写入文件：%1").replace("%1", str(error)))
            self.exported.emit("")

        return export_xlsx(self, path, sheets, done=done, failed=failed)

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.month_label.setText(self.tr("截至"))
        for i in range(12):
            self.month_box.setItemText(i, self.tr("%1月底").replace("%1", str(i + 1)))
        self.refresh_button.setText(self.tr("刷新"))
        self.export_button.setText(self.tr("导出 Excel…"))
        self.export_button.setToolTip(self.tr("把各页的分析表格导出为一个 Excel 工作簿，每张表一页"))
        names = [self.tr("执行进度"), self.tr("同比"), self.tr("结构"), self.tr("趋势"), self.tr("排名"),
                 self.tr("部门画像"), self.tr("公开数据")]
        for i, name in enumerate(names):
            self.tabs.setTabText(i, name)
        self.progress_label.setText(self.tr("按"))
        for i, text in enumerate((self.tr("功能分类（类）"), self.tr("部门"), self.tr("四本预算"))):
            self.dimension_box.setItemText(i, text)
        self.structure_label.setText(self.tr("支出结构按"))
        for i, text in enumerate((self.tr("功能分类（类）"), self.tr("经济分类（类）"), self.tr("预算"))):
            self.structure_box.setItemText(i, text)
        self.ranking_label.setText(self.tr("排名"))
        for i, text in enumerate((self.tr("部门"), self.tr("项目"))):
            self.rank_object_box.setItemText(i, text)
        for i, text in enumerate((self.tr("执行率"), self.tr("支出金额"), self.tr("调整预算"), self.tr("同比增长"))):
            self.rank_key_box.setItemText(i, text)
        self.rank_order_box.setItemText(0, self.tr("从高到低"))
        self.rank_order_box.setItemText(1, self.tr("从低到高"))
        self.profile_label.setText(self.tr("部门"))
        edit = self.department_box.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("输入部门名称或代码"))
        self.profile_empty.setText(self.tr("请选择一个部门，查看它的预算、执行、月度曲线、主要项目、预警和审计整改情况。"))
        self.profile_projects_label.setText(self.tr("主要项目（按调整预算）"))
        self.profile_audit_label.setText(self.tr("审计查出问题及整改"))
        self.public.retranslate()
        if self.figures is not None:
            self._show_all()

    # loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload()

    def reload(self, initial: bool = False) -> None:
        """Load the figures for the chosen month (the last month with payments the first time)."""
        if self._task is not None and self._task.is_running:
            return
        month = None if initial else int(self.month_box.currentData())
        engine, year, scoped = self.ctx.engine, self.ctx.year, bool(self.ctx.domains)
        self.status.setText(self.tr("正在计算…"))

        def work(_c: TaskContext) -> PageFigures:
            return load_figures(engine, year, month, scoped)

        self._task = (BackgroundTask(work, owner=self, name="budget-analysis")
                      .on_success(self._loaded).on_failure(self._failed).start())

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("计算失败：%1").replace("%1", str(error)))

    def _loaded(self, figures: PageFigures) -> None:
        self.figures = figures
        self.month_box.setCurrentIndex(figures.month - 1)
        current = self.department_box.currentData()
        self.department_box.clear()
        for code, name in figures.department_names:
            self.department_box.addItem(f"{name}（{code}）", code)
        if current:
            index = self.department_box.findData(current)
            self.department_box.setCurrentIndex(index)
        else:
            self.department_box.setCurrentIndex(-1)
        self._show_all()
        self.loaded.emit()
        if current:
            self.show_department(current)

    def _show_all(self) -> None:
        f = self.figures
        assert f is not None
        self.public.show_figures(f.public)
        public_only = f.data_month == 0
        self._place_public(alone=public_only)
        for widget in (self.month_label, self.month_box):
            widget.setVisible(not public_only)
        if public_only:
            self.heading.setText(self.tr("公开预算分析"))
            if f.public.empty:
                self.empty.setText(self.tr("本机还没有%1年的预算数据。").replace("%1", str(f.year)) + "\n"
                                   + self.tr("同步后即可查看公开的预算、税收、社保基金和国有资产数据。"))
                self.stack.setCurrentWidget(self.empty)
            else:
                self.stack.setCurrentWidget(self.public)
            self.status.setText(self.tr("本机没有支付明细，显示公开预算数据"))
            return
        self.heading.setText(self.title())
        self.stack.setCurrentWidget(self.tabs)
        notes = []
        if self.ctx.domains:
            notes.append(self.tr("范围：%1专委会归口部门（不是全市总数）").replace("%1", "、".join(sorted(self.ctx.domains))))
        if f.month > f.data_month:
            notes.append(self.tr("支付明细只到%1月").replace("%1", str(f.data_month)))
        self.status.setText("；".join(notes))
        self._show_progress()
        self._show_yoy()
        self._show_structure()
        self._show_trend()
        self._show_ranking()

    def _place_public(self, alone: bool) -> None:
        """Without payments the public tabs are the whole page; with payments they are the last tab."""
        in_tabs = self.tabs.indexOf(self.public) >= 0
        if alone and in_tabs:
            self.tabs.removeTab(self.tabs.indexOf(self.public))
            self.stack.addWidget(self.public)
        elif not alone and not in_tabs:
            self.stack.removeWidget(self.public)
            self.tabs.addTab(self.public, self.tr("公开数据"))

    # tabs ------------------------------------------------------------------------------------------
    def _execution_rows(self, key: str) -> list[ExecutionRow]:
        f = self.figures
        assert f is not None
        return {"class": f.classes, "department": f.departments, "book": f.books, "project": f.projects}[key]

    def _show_progress(self) -> None:
        if self.figures is None:
            return
        key = str(self.dimension_box.currentData())
        rows = self._execution_rows(key)
        progress = float(analysis.progress_pct(self.figures.month))
        known = [r for r in rows if r.rate is not None]
        drawn = sorted(known, key=lambda r: r.rate or Decimal(0))[:CHART_ROWS] if len(known) > CHART_ROWS else known
        title = self.tr("执行率与序时进度（截至%1月底）").replace("%1", str(self.figures.month))
        if len(known) > CHART_ROWS:
            title += self.tr("：执行率最低的 %1 个").replace("%1", str(CHART_ROWS))
        self.progress_chart.show_bars(
            title, [_short(r.name) for r in drawn], [float(r.rate or 0) for r in drawn], horizontal=True,
            colours=_colours(drawn), reference=progress, colour_names=_behind_names(),
            line_name=self.tr("序时进度 %1%").replace("%1", f"{progress:.2f}"), bar_name=self.tr("执行率"))
        self.progress_table.fill(
            (self.tr("代码"), self.tr("名称"), self.tr("年初预算（亿元）"), self.tr("调整预算（亿元）"),
             self.tr("累计支出（亿元）"), self.tr("执行率"), self.tr("序时进度"), self.tr("差异（百分点）")),
            [((r.code, r.code), (r.name, r.name), (yi(r.budget_fen), r.budget_fen), (yi(r.adjusted_fen), r.adjusted_fen),
              (yi(r.paid_fen) if r.has_detail else self.tr("无明细"), r.paid_fen), (percent(r.rate), r.rate),
              (percent(r.progress), r.progress), (points(r.gap), r.gap)) for r in rows],
            numeric=(2, 3, 4, 5, 6, 7), data=[(key, r.code) for r in rows])

    def _show_yoy(self) -> None:
        f = self.figures
        assert f is not None
        yoy = f.year_on_year
        self.yoy_basis.setText(self.tr("口径：%1").replace("%1", yoy.basis_text))
        if yoy.basis == "none":
            self.yoy_empty.setText(yoy.basis_text + "。\n" + self.tr("导入上年支付明细或决算后即可比较。"))
            self.yoy_stack.setCurrentWidget(self.yoy_empty)
            return
        self.yoy_stack.setCurrentIndex(0)
        known = sorted((r for r in yoy.rows if r.growth is not None), key=lambda r: -(r.growth or 0))[:CHART_ROWS]
        self.yoy_chart.show_bars(
            self.tr("同比增幅（%）"), [r.name for r in known], [float(r.growth or 0) for r in known], horizontal=True,
            colours=[PALETTE["progress"] if (r.growth or 0) > 0 else PALETTE["rate"] for r in known],
            bar_name=self.tr("增幅"))
        rows = [*yoy.rows, *([yoy.total] if yoy.total else [])]
        self.yoy_table.fill(
            (self.tr("部门"), self.tr("本年（万元）"), self.tr("上年（万元）"), self.tr("增幅")),
            [((r.name, r.name), (wan(r.current_fen), r.current_fen), (wan(r.previous_fen), r.previous_fen),
              (percent(r.growth), r.growth)) for r in rows], numeric=(1, 2, 3))

    def _show_structure(self) -> None:
        if self.figures is None:
            return
        key = str(self.structure_box.currentData())
        parts = self.figures.structure.get(key, [])
        drawn = parts[:CHART_ROWS]
        self.structure_chart.show_bars(
            self.tr("支出占比（截至%1月底）").replace("%1", str(self.figures.month)),
            [_short(s.name) for s in drawn], [float(s.share) for s in drawn], horizontal=True,
            colours=[PALETTE["paid"]] * len(drawn), bar_name=self.tr("占比"))
        self.structure_table.fill(
            (self.tr("代码"), self.tr("名称"), self.tr("累计支出（亿元）"), self.tr("占比")),
            [((s.code, s.code), (s.name, s.name), (yi(s.amount_fen), s.amount_fen), (percent(s.share), s.share))
             for s in parts], numeric=(2, 3))

    def _show_trend(self) -> None:
        f = self.figures
        assert f is not None
        months = [p for p in f.months if p.month <= max(min(f.month, f.data_month), 1)]
        labels = [self.tr("%1月").replace("%1", str(p.month)) for p in months]
        self.trend_note.setText(self.tr("一般公共预算，按月支出与累计执行率"))
        self.trend_paid_chart.show_bars(self.tr("各月支出（亿元）"), labels,
                                        [p.paid_fen / 10_000_000_000 for p in months], unit="亿元",
                                        bar_name=self.tr("当月支出"))
        self.trend_rate_chart.show_bars(self.tr("累计执行率与序时进度"), labels, [float(p.rate or 0) for p in months],
                                        line=[float(p.progress) for p in months], line_name=self.tr("序时进度"),
                                        bar_name=self.tr("累计执行率"))
        self.trend_table.fill(
            (self.tr("月份"), self.tr("当月支出（亿元）"), self.tr("累计支出（亿元）"), self.tr("累计执行率"),
             self.tr("序时进度")),
            [((label, p.month), (yi(p.paid_fen), p.paid_fen), (yi(p.cumulative_fen), p.cumulative_fen),
              (percent(p.rate), p.rate), (percent(p.progress), p.progress)) for label, p in zip(labels, months,
                                                                                            strict=True)],
            numeric=(1, 2, 3, 4))

    def _show_ranking(self) -> None:
        f = self.figures
        if f is None:
            return
        kind = str(self.rank_object_box.currentData())
        key = str(self.rank_key_box.currentData())
        descending = bool(self.rank_order_box.currentData())
        if key == "growth":
            growth = sorted((r for r in f.year_on_year.rows if r.growth is not None),
                            key=lambda r: (r.growth, r.code), reverse=descending)
            self.rank_chart.show_bars(self.tr("部门同比增幅排名"), [r.name for r in growth[:CHART_ROWS]],
                                      [float(r.growth or 0) for r in growth[:CHART_ROWS]], horizontal=True,
                                      bar_name=self.tr("增幅"))
            self.rank_table.fill(
                (self.tr("名次"), self.tr("部门"), self.tr("本年（万元）"), self.tr("上年（万元）"), self.tr("增幅")),
                [((str(i), i), (r.name, r.name), (wan(r.current_fen), r.current_fen),
                  (wan(r.previous_fen), r.previous_fen), (percent(r.growth), r.growth))
                 for i, r in enumerate(growth, 1)], numeric=(0, 2, 3, 4),
                data=[("department", r.code) for r in growth])
            return
        rows = analysis.ranking(self._execution_rows(kind), key, descending=descending)
        top = rows[:CHART_ROWS]
        money = key in ("paid", "adjusted")
        values = [(r.paid_fen if key == "paid" else r.adjusted_fen) / 10_000_000_000 if money else float(r.rate or 0)
                  for r in top]
        self.rank_chart.show_bars(self.rank_key_box.currentText() + self.tr("排名（前 %1）").replace("%1", str(len(top))),
                                  [_short(r.name) for r in top], values, horizontal=True, unit="亿元" if money else "%",
                                  colours=None if money else _colours(top), bar_name=self.rank_key_box.currentText(),
                                  colour_names=None if money else _behind_names())
        self.rank_table.fill(
            (self.tr("名次"), self.tr("代码"), self.tr("名称"), self.tr("调整预算（万元）"), self.tr("累计支出（万元）"),
             self.tr("执行率"), self.tr("差异（百分点）")),
            [((str(i), i), (r.code, r.code), (r.name, r.name), (wan(r.adjusted_fen), r.adjusted_fen),
              (wan(r.paid_fen), r.paid_fen), (percent(r.rate), r.rate), (points(r.gap), r.gap))
             for i, r in enumerate(rows, 1)], numeric=(0, 3, 4, 5, 6), data=[(kind, r.code) for r in rows])

    def _open_row(self, table: FigureTable, row: int) -> None:
        item = table.item(row, 0)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data and data[0] in ("department", "project") and data[1]:
            self.open_item.emit(data[0], data[1])

    # department profile ----------------------------------------------------------------------------
    def show_department(self, code: str | None) -> None:
        """Show the profile of department ``code`` (switches to the 部门画像 tab)."""
        if not code or self.figures is None:
            return
        self.tabs.setCurrentWidget(self.profile_tab)
        index = self.department_box.findData(code)
        if index >= 0:
            self.department_box.setCurrentIndex(index)
        engine, year, month = self.ctx.engine, self.ctx.year, self.figures.month

        def work(_c: TaskContext) -> DepartmentProfile:
            return analysis.department_profile(engine, year, month, code)

        self._profile_task = (BackgroundTask(work, owner=self, name="budget-department-profile")
                              .on_success(self._show_profile).on_failure(self._profile_failed).start())

    def _profile_failed(self, error: BaseException) -> None:
        self.profile_empty.setText(str(error))
        self.profile_stack.setCurrentWidget(self.profile_empty)
        self.profile_loaded.emit()

    def _show_profile(self, p: DepartmentProfile) -> None:
        self.profile = p
        e = p.execution
        lines = [
            f"<b style='font-size:15pt'>{p.name}</b>（{p.code}）"
            + (self.tr("　归口专委会：%1").replace("%1", p.domain) if p.domain else ""),
            self.tr("年初预算 %1 亿元，调整预算 %2 亿元，截至%3月底支出 %4 亿元")
            .replace("%1", yi(e.budget_fen)).replace("%2", yi(e.adjusted_fen)).replace("%3", str(e.month))
            .replace("%4", yi(e.paid_fen)),
            self.tr("执行率 %1，序时进度 %2，差异 %3 个百分点").replace("%1", percent(e.rate))
            .replace("%2", percent(e.progress)).replace("%3", points(e.gap)),
            self.tr("有效预警：红色 %1 条，黄色 %2 条，蓝色 %3 条").replace("%1", str(p.warnings.get("red", 0)))
            .replace("%2", str(p.warnings.get("yellow", 0))).replace("%3", str(p.warnings.get("blue", 0))),
            self.tr("审计查出问题 %1 个，涉及 %2 万元，已整改 %3 万元").replace("%1", str(len(p.audit)))
            .replace("%2", wan(p.audit_amount_fen)).replace("%3", wan(p.rectified_fen)),
        ]
        colour = PALETTE["behind"] if (e.gap or 0) < 0 else PALETTE["rate"]
        lines[2] = f"<span style='color:{colour}'>{lines[2]}</span>"
        self.profile_summary.setText("<br>".join(lines))
        months = [m for m in p.months if m.month <= max(min(e.month, self.figures.data_month if self.figures else 12), 1)]
        self.profile_chart.show_bars(self.tr("累计执行率与序时进度"), [self.tr("%1月").replace("%1", str(m.month)) for m in months],
                                     [float(m.rate or 0) for m in months], line=[float(m.progress) for m in months],
                                     line_name=self.tr("序时进度"), bar_name=self.tr("累计执行率"))
        self.profile_projects.fill(
            (self.tr("项目"), self.tr("调整预算（万元）"), self.tr("累计支出（万元）"), self.tr("执行率")),
            [((r.name, r.name), (wan(r.adjusted_fen), r.adjusted_fen), (wan(r.paid_fen), r.paid_fen),
              (percent(r.rate), r.rate)) for r in p.top_projects], numeric=(1, 2, 3),
            data=[("project", r.code) for r in p.top_projects])
        self.profile_audit.fill(
            (self.tr("编号"), self.tr("问题"), self.tr("金额（万元）"), self.tr("整改"), self.tr("已整改（万元）")),
            [((a.finding_no, a.finding_no), (a.title, a.title), (wan(a.amount_fen), a.amount_fen),
              (a.status, a.status), (wan(a.rectified_fen), a.rectified_fen)) for a in p.audit], numeric=(2, 4))
        self.profile_stack.setCurrentIndex(0)
        self.profile_loaded.emit()
