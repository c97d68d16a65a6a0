"""The public-data tabs of the analysis page (公开预算分析): what a deputy or an expert can analyse on a laptop
that holds the published budget but no execution detail.

Seven tabs — 公开预算概览 / 支出结构 / 三公经费 / 税收收入 / 社保基金 / 国有资产 / 部门排名 — each a chart with
the same figures in a table beside it, and under them the line that says where the figures come from
(the published budget, not payments). Figures come from :mod:`core.budget.analysis.public`.
"""

from __future__ import annotations

from apps.budget.analysis.widgets import BarChart, FigureTable, percent, wan, yi
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from core.budget.analysis.public import PublicFigures
from core.budget.report.charts import PALETTE

CHART_ROWS = 25
"""Bars drawn at most; the table beside the chart holds every row."""

BOOK_NAMES = {
    "general": QT_TRANSLATE_NOOP("PublicAnalysisPanel", "一般公共预算"),
    "fund": QT_TRANSLATE_NOOP("PublicAnalysisPanel", "政府性基金预算"),
    "soe": QT_TRANSLATE_NOOP("PublicAnalysisPanel", "国有资本经营预算"),
    "social": QT_TRANSLATE_NOOP("PublicAnalysisPanel", "社会保险基金预算"),
}
"""The four books' names, translated on the page (the data carries the Chinese names)."""

YI = 10_000_000_000
WAN = 1_000_000


def _short(name: str) -> str:
    return name.removesuffix("支出") or name


def _pair(chart: QWidget, table: QWidget) -> QSplitter:
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(chart)
    split.addWidget(table)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    split.setSizes([850, 750])
    return split


def _growth_colour(value: float) -> str:
    return PALETTE["progress"] if value > 0 else PALETTE["rate"]


class PublicAnalysisPanel(QWidget):
    """The public-data tabs over one :class:`PublicFigures`; :meth:`show_figures` fills them."""

    open_item = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PublicAnalysisPanel")
        self.figures: PublicFigures | None = None
        self.tabs = QTabWidget()
        self.notes: list[QLabel] = []
        self._build_overview()
        self._build_structure()
        self._build_three_public()
        self._build_tax()
        self._build_funds()
        self._build_assets()
        self._build_ranking()
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #555; font-size: 11pt; padding: 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.source)
        self.setStyleSheet("QTableWidget, QHeaderView::section, QComboBox { font-size: 12pt; }"
                           " QTabBar::tab { font-size: 13pt; padding: 8px 18px; }")
        self.retranslate()

    # building ----------------------------------------------------------------------------------------
    def _tab(self, control: QWidget | None, body: QWidget) -> tuple[QWidget, QLabel]:
        """A tab: a line of explanation (and a chooser), then the chart and table."""
        tab = QWidget()
        note = QLabel()
        note.setWordWrap(True)
        note.setStyleSheet("font-size: 13pt;")
        top = QHBoxLayout()
        top.addWidget(note, 1)
        if control is not None:
            top.addWidget(control)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        self.tabs.addTab(tab, "")
        self.notes.append(note)
        return tab, note

    def _build_overview(self) -> None:
        self.book_chart = BarChart()
        self.book_rate_chart = BarChart()
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.book_chart)
        charts.addWidget(self.book_rate_chart)
        self.book_table = FigureTable()
        self.overview_tab, self.overview_note = self._tab(None, _pair(charts, self.book_table))

    def _build_structure(self) -> None:
        self.structure_box = QComboBox()
        for key in ("class", "subclass", "department", "category"):
            self.structure_box.addItem("", key)
        self.structure_box.currentIndexChanged.connect(lambda _i: self._show_structure())
        self.structure_chart = BarChart()
        self.structure_table = FigureTable()
        self.structure_table.itemDoubleClicked.connect(lambda item: self._open(self.structure_table, item.row()))
        self.structure_tab, self.structure_note = self._tab(self.structure_box,
                                                            _pair(self.structure_chart, self.structure_table))

    def _build_three_public(self) -> None:
        self.three_box = QComboBox()
        for key in ("department", "item"):
            self.three_box.addItem("", key)
        self.three_box.currentIndexChanged.connect(lambda _i: self._show_three_public())
        self.three_chart = BarChart()
        self.three_table = FigureTable()
        self.three_table.itemDoubleClicked.connect(lambda item: self._open(self.three_table, item.row()))
        self.three_tab, self.three_note = self._tab(self.three_box, _pair(self.three_chart, self.three_table))

    def _build_tax(self) -> None:
        self.tax_box = QComboBox()
        for key in ("month", "category"):
            self.tax_box.addItem("", key)
        self.tax_box.currentIndexChanged.connect(lambda _i: self._show_tax())
        self.tax_chart = BarChart()
        self.tax_table = FigureTable()
        self.tax_tab, self.tax_note = self._tab(self.tax_box, _pair(self.tax_chart, self.tax_table))

    def _build_funds(self) -> None:
        self.fund_chart = BarChart()
        self.fund_table = FigureTable()
        self.fund_items = FigureTable()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.fund_table)
        right.addWidget(self.fund_items)
        self.fund_table.itemSelectionChanged.connect(self._show_fund_items)
        self.funds_tab, self.funds_note = self._tab(None, _pair(self.fund_chart, right))

    def _build_assets(self) -> None:
        self.asset_chart = BarChart()
        self.asset_table = FigureTable()
        self.entity_table = FigureTable()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.asset_table)
        right.addWidget(self.entity_table)
        self.assets_tab, self.assets_note = self._tab(None, _pair(self.asset_chart, right))

    def _build_ranking(self) -> None:
        self.rank_chart = BarChart()
        self.rank_table = FigureTable()
        self.rank_table.itemDoubleClicked.connect(lambda item: self._open(self.rank_table, item.row()))
        split = _pair(self.rank_chart, self.rank_table)
        split.setSizes([650, 950])  # the table has eight columns
        self.ranking_tab, self.ranking_note = self._tab(None, split)

    # texts -------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        names = (self.tr("公开预算概览"), self.tr("支出结构"), self.tr("三公经费"), self.tr("税收收入"),
                 self.tr("社保基金"), self.tr("国有资产"), self.tr("部门排名"))
        for i, name in enumerate(names):
            self.tabs.setTabText(i, name)
        for i, text in enumerate((self.tr("按功能分类（类）"), self.tr("按功能分类（款）"), self.tr("按部门"),
                                  self.tr("按支出类别"))):
            self.structure_box.setItemText(i, text)
        for i, text in enumerate((self.tr("按部门"), self.tr("按项目（出国、接待、公车）"))):
            self.three_box.setItemText(i, text)
        for i, text in enumerate((self.tr("按月累计"), self.tr("按税种"))):
            self.tax_box.setItemText(i, text)
        self.source.setText(self.tr("数据来源：市人民代表大会批准的预算、上年决算和主管部门公开发布的数据（公开数据），"
                                    "不含指标、用款计划和支付明细。"))
        if self.figures is not None:
            self.show_figures(self.figures)

    # showing -----------------------------------------------------------------------------------------
    def show_figures(self, figures: PublicFigures) -> None:
        self.figures = figures
        self._show_overview()
        self._show_structure()
        self._show_three_public()
        self._show_tax()
        self._show_funds()
        self._show_assets()
        self._show_ranking()

    def _show_overview(self) -> None:
        f = self.figures
        assert f is not None
        books = f.books
        names = [self.tr(BOOK_NAMES[b.book]) if b.book in BOOK_NAMES else b.name for b in books]
        general = next((b for b in books if b.book == "general"), None)
        note = self.tr("%1年四本预算（公开数据）").replace("%1", str(f.year))
        if general is not None:
            note += self.tr("：一般公共预算收入 %1 亿元，支出预算 %2 亿元，执行 %3 亿元，执行率 %4。") \
                .replace("%1", yi(general.revenue_fen)).replace("%2", yi(general.adjusted_fen or general.budget_fen)) \
                .replace("%3", yi(general.executed_fen)).replace("%4", percent(general.rate))
        elif not books:
            note = self.tr("本机还没有%1年四本预算的公开数据。").replace("%1", str(f.year))
        self.overview_note.setText(note)
        self.book_chart.show_bars(
            self.tr("四本预算的调整预算（亿元）"), names,
            [(b.adjusted_fen or b.budget_fen) / YI for b in books], unit="亿元", bar_name=self.tr("调整预算"))
        self.book_rate_chart.show_bars(
            self.tr("四本预算的执行率（%）"), names, [float(b.rate or 0) for b in books],
            bar_name=self.tr("执行率（执行数 ÷ 调整预算）"))
        self.book_table.fill(
            (self.tr("预算"), self.tr("收入（亿元）"), self.tr("年初预算（亿元）"), self.tr("调整预算（亿元）"),
             self.tr("执行数（亿元）"), self.tr("执行率")),
            [((name, b.book), (yi(b.revenue_fen), b.revenue_fen), (yi(b.budget_fen), b.budget_fen),
              (yi(b.adjusted_fen), b.adjusted_fen), (yi(b.executed_fen), b.executed_fen), (percent(b.rate), b.rate))
             for name, b in zip(names, books, strict=True)], numeric=(1, 2, 3, 4, 5))

    def _show_structure(self) -> None:
        f = self.figures
        if f is None:
            return
        key = str(self.structure_box.currentData())
        parts = f.structure.get(key, [])
        total = sum(p.budget_fen for p in parts)
        self.structure_note.setText(self.tr("%1年项目预算合计 %2 亿元，共 %3 个项目（年初预算，不是执行数）")
                                    .replace("%1", str(f.year)).replace("%2", yi(total))
                                    .replace("%3", str(sum(p.projects for p in parts))))
        drawn = parts[:CHART_ROWS]
        title = self.tr("预算占比（%）")
        if len(parts) > CHART_ROWS:
            title += self.tr("：最大的 %1 个").replace("%1", str(CHART_ROWS))
        self.structure_chart.show_bars(title, [_short(p.name) for p in drawn], [float(p.share) for p in drawn],
                                       horizontal=True, colours=[PALETTE["paid"]] * len(drawn),
                                       bar_name=self.tr("占比"))
        self.structure_table.fill(
            (self.tr("代码"), self.tr("名称"), self.tr("预算（亿元）"), self.tr("项目数"), self.tr("占比")),
            [((p.code, p.code), (p.name, p.name), (yi(p.budget_fen), p.budget_fen), (str(p.projects), p.projects),
              (percent(p.share), p.share)) for p in parts], numeric=(2, 3, 4),
            data=[("department" if key == "department" else "", p.code) for p in parts])

    def _show_three_public(self) -> None:
        f = self.figures
        if f is None:
            return
        t = f.three_public
        key = str(self.three_box.currentData())
        rows = t.departments if key == "department" else t.items
        if t.has_previous:
            note = self.tr("三公经费预算合计 %1 万元，上年决算 %2 万元，增幅 %3") \
                .replace("%1", wan(t.total.budget_fen)).replace("%2", wan(t.total.previous_fen or 0)) \
                .replace("%3", percent(t.total.growth))
        else:
            note = self.tr("三公经费预算合计 %1 万元；本机没有上年决算，无法比较").replace("%1", wan(t.total.budget_fen))
        self.three_note.setText(note)
        if t.has_previous:
            known = sorted((r for r in rows if r.growth is not None), key=lambda r: (-(r.growth or 0), r.code))
            drawn = known[:CHART_ROWS]
            title = self.tr("三公经费预算比上年决算增减（%）")
            if len(known) > CHART_ROWS:
                title += self.tr("：增幅最大的 %1 个").replace("%1", str(CHART_ROWS))
            values = [float(r.growth or 0) for r in drawn]
            self.three_chart.show_bars(title, [r.name for r in drawn], values, horizontal=True,
                                       colours=[_growth_colour(v) for v in values],
                                       colour_names={PALETTE["progress"]: self.tr("增长"),
                                                     PALETTE["rate"]: self.tr("持平或下降")})
        else:
            drawn = rows[:CHART_ROWS]
            self.three_chart.show_bars(self.tr("三公经费预算（万元）"), [r.name for r in drawn],
                                       [r.budget_fen / WAN for r in drawn], unit="万元", horizontal=True,
                                       bar_name=self.tr("预算"))
        shown = [*rows, t.total]
        self.three_table.fill(
            (self.tr("部门") if key == "department" else self.tr("项目"), self.tr("本年预算（万元）"),
             self.tr("上年决算（万元）"), self.tr("增减（万元）"), self.tr("增幅")),
            [((r.name, r.name), (wan(r.budget_fen), r.budget_fen),
              ("—" if r.previous_fen is None else wan(r.previous_fen), r.previous_fen),
              ("—" if r.change_fen is None else wan(r.change_fen), r.change_fen), (percent(r.growth), r.growth))
             for r in shown], numeric=(1, 2, 3, 4),
            data=[("department" if key == "department" and r.code else "", r.code) for r in shown])

    def _show_tax(self) -> None:
        f = self.figures
        if f is None:
            return
        tax = f.tax
        key = str(self.tax_box.currentData())
        if tax.month == 0:
            self.tax_note.setText(self.tr("本机没有%1年的税收收入数据。").replace("%1", str(f.year)))
        else:
            last = tax.months[-1]
            note = self.tr("%1年1—%2月税收收入累计 %3 亿元").replace("%1", str(f.year)) \
                .replace("%2", str(tax.month)).replace("%3", yi(tax.total_fen))
            note += (self.tr("，同比 %1").replace("%1", percent(last.growth)) if tax.has_previous
                     else self.tr("；本机没有上年数据，无法计算同比"))
            self.tax_note.setText(note)
        if key == "month":
            labels = [self.tr("%1月").replace("%1", str(m.month)) for m in tax.months]
            previous = [float((m.previous_cumulative_fen or 0) / YI) for m in tax.months]
            self.tax_chart.show_bars(self.tr("税收收入按月累计（亿元）"), labels,
                                     [m.cumulative_fen / YI for m in tax.months], unit="亿元",
                                     line=previous if tax.has_previous else None,
                                     line_name=self.tr("上年同期累计") if tax.has_previous else "",
                                     bar_name=self.tr("本年累计"))
            self.tax_table.fill(
                (self.tr("月份"), self.tr("当月（亿元）"), self.tr("累计（亿元）"), self.tr("上年同期累计（亿元）"),
                 self.tr("累计同比")),
                [((label, m.month), (yi(m.amount_fen), m.amount_fen), (yi(m.cumulative_fen), m.cumulative_fen),
                  ("—" if m.previous_cumulative_fen is None else yi(m.previous_cumulative_fen),
                   m.previous_cumulative_fen), (percent(m.growth), m.growth))
                 for label, m in zip(labels, tax.months, strict=True)], numeric=(1, 2, 3, 4))
            return
        drawn = tax.categories[:CHART_ROWS]
        title = self.tr("各税种占比（%）")
        if len(tax.categories) > CHART_ROWS:
            title += self.tr("：最大的 %1 个").replace("%1", str(CHART_ROWS))
        self.tax_chart.show_bars(title, [c.name for c in drawn], [float(c.share) for c in drawn], horizontal=True,
                                 colours=[PALETTE["paid"]] * len(drawn), bar_name=self.tr("占比"))
        self.tax_table.fill(
            (self.tr("科目代码"), self.tr("税种"), self.tr("累计（亿元）"), self.tr("占比"), self.tr("上年同期（亿元）"),
             self.tr("同比")),
            [((c.code, c.code), (c.name, c.name), (yi(c.amount_fen), c.amount_fen), (percent(c.share), c.share),
              ("—" if c.previous_fen is None else yi(c.previous_fen), c.previous_fen), (percent(c.growth), c.growth))
             for c in tax.categories], numeric=(2, 3, 4, 5))

    def _show_funds(self) -> None:
        f = self.figures
        assert f is not None
        funds = f.funds
        income, spending = sum(x.income_fen for x in funds), sum(x.spending_fen for x in funds)
        if funds:
            self.funds_note.setText(self.tr("社会保险基金收入 %1 亿元，支出 %2 亿元，当年结余 %3 亿元")
                                    .replace("%1", yi(income)).replace("%2", yi(spending))
                                    .replace("%3", yi(income - spending)))
        else:
            self.funds_note.setText(self.tr("本机没有%1年的社会保险基金数据。").replace("%1", str(f.year)))
        covers = [float(x.cover or 0) for x in funds]
        self.fund_chart.show_bars(
            self.tr("各项基金收支比（收入 ÷ 支出，%）"), [x.fund.removesuffix("基金") for x in funds], covers,
            horizontal=True, reference=100.0, line_name=self.tr("收支平衡 100%"),
            colours=[PALETTE["behind"] if v < 100 else PALETTE["paid"] for v in covers],
            colour_names={PALETTE["behind"]: self.tr("收不抵支"), PALETTE["paid"]: self.tr("收入大于支出")})
        self.fund_table.fill(
            (self.tr("基金"), self.tr("收入（亿元）"), self.tr("支出（亿元）"), self.tr("当年结余（亿元）"),
             self.tr("收支比")),
            [((x.fund, x.fund), (yi(x.income_fen), x.income_fen), (yi(x.spending_fen), x.spending_fen),
              (yi(x.balance_fen), x.balance_fen), (percent(x.cover), x.cover)) for x in funds],
            numeric=(1, 2, 3, 4), data=[("fund", x.fund) for x in funds])
        if funds:
            self.fund_table.selectRow(0)
        self._show_fund_items()

    def _show_fund_items(self) -> None:
        f = self.figures
        if f is None:
            return
        rows = self.fund_table.selectionModel().selectedRows() if self.fund_table.selectionModel() else []
        item = self.fund_table.item(rows[0].row(), 0) if rows else None
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        fund = next((x for x in f.funds if data and x.fund == data[1]), None)
        items = fund.items if fund is not None else ()
        self.fund_items.fill(
            (self.tr("收支"), self.tr("项目") + (f"（{fund.fund}）" if fund else ""), self.tr("金额（亿元）")),
            [((d, d), (i, i), (yi(a), a)) for d, i, a in items], numeric=(2,))

    def _show_assets(self) -> None:
        f = self.figures
        assert f is not None
        entities = f.entities
        total = next((a for a in f.assets if a.indicator == "资产总额"), None)
        debts = next((a for a in f.assets if a.indicator == "负债总额"), None)
        if total is not None:
            note = self.tr("国有资产：%1 户，资产总额 %2 亿元").replace("%1", str(total.entities)) \
                .replace("%2", yi(total.value_fen))
            if debts is not None and total.value_fen > 0:
                note += self.tr("，负债总额 %1 亿元").replace("%1", yi(debts.value_fen))
            self.assets_note.setText(note)
        else:
            self.assets_note.setText(self.tr("本机没有%1年的国有资产数据。").replace("%1", str(f.year)))
        drawn = entities[:CHART_ROWS]
        self.asset_chart.show_bars(self.tr("各单位资产总额（亿元）"), [e.entity for e in drawn],
                                   [e.assets_fen / YI for e in drawn], unit="亿元", horizontal=True,
                                   bar_name=self.tr("资产总额"))
        self.asset_table.fill(
            (self.tr("类别"), self.tr("指标"), self.tr("金额（亿元）"), self.tr("单位数")),
            [((a.category, a.category), (a.indicator, a.indicator), (yi(a.value_fen), a.value_fen),
              (str(a.entities), a.entities)) for a in f.assets], numeric=(2, 3))
        self.entity_table.fill(
            (self.tr("单位"), self.tr("资产总额（亿元）"), self.tr("负债总额（亿元）"), self.tr("资产负债率")),
            [((e.entity, e.entity), (yi(e.assets_fen), e.assets_fen), (yi(e.liabilities_fen), e.liabilities_fen),
              (percent(e.debt_ratio), e.debt_ratio)) for e in entities], numeric=(1, 2, 3))

    def _show_ranking(self) -> None:
        f = self.figures
        assert f is not None
        rows = f.ranking
        self.ranking_note.setText(self.tr("%1 个部门按年初项目预算排名（双击查看部门）").replace("%1", str(len(rows))))
        drawn = rows[:CHART_ROWS]
        self.rank_chart.show_bars(self.tr("部门预算排名（前 %1，亿元）").replace("%1", str(len(drawn))),
                                  [r.name for r in drawn], [r.budget_fen / YI for r in drawn], unit="亿元",
                                  horizontal=True, bar_name=self.tr("年初预算"))
        has_previous = any(r.previous_fen is not None for r in rows)
        header = [self.tr("名次"), self.tr("代码"), self.tr("部门"), self.tr("归口专委会"), self.tr("预算（亿元）"),
                  self.tr("占比"), self.tr("项目数"), self.tr("三公经费（万元）")]
        if has_previous:
            header += [self.tr("上年预算（亿元）"), self.tr("增幅")]
        table = []
        for r in rows:
            cells = [(str(r.rank), r.rank), (r.code, r.code), (r.name, r.name), (r.domain, r.domain),
                     (yi(r.budget_fen), r.budget_fen), (percent(r.share), r.share), (str(r.projects), r.projects),
                     (wan(r.three_public_fen), r.three_public_fen)]
            if has_previous:
                cells += [(yi(r.previous_fen or 0), r.previous_fen), (percent(r.growth), r.growth)]
            table.append(cells)
        self.rank_table.fill(header, table, numeric=(0, 4, 5, 6, 7, 8, 9),
                             data=[("department", r.code) for r in rows])

    def _open(self, table: FigureTable, row: int) -> None:
        item = table.item(row, 0)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data and data[0] == "department" and data[1]:
            self.open_item.emit("department", data[1])
