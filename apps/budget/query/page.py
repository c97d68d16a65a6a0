"""预算查询: drill from the books down to single payments, with filters, Excel export and saved queries.

The page holds a :class:`QuerySpec`; every click makes a new spec and the query layer answers it in the
background. The breadcrumb shows the choices made (click one to go back up); double-click or Enter on a row
goes one level down; “明细” lists every single payment behind the current view, a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from apps.budget.common.context import BudgetContext
from apps.budget.query.filters import FilterPanel
from apps.budget.query.models import KEY_ROLE, SORT_ROLE, PaymentListModel, ResultModel, wan
from apps.budget.query.names import level_name, path_name
from apps.common.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QModelIndex,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSortFilterProxyModel,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableView,
    QtGui,
    QThreadPool,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import full_text_cells
from apps.common.tasks import BackgroundTask, Progress, TaskContext
from core.budget.export import ExportError, export_payments, export_result, is_demo
from core.budget.query.labels import labels_for
from core.budget.query.locate import locate
from core.budget.query.options import FilterOptions, filter_options
from core.budget.query.run import QueryResult, run_query
from core.budget.query.saved import SavedSpec, delete_query, list_saved, rename_query, save_query
from core.budget.query.spec import PATHS, Filters, QuerySpec, SpecError
from core.money import MoneyUnit

PAGE_STYLE = ("QWidget { font-size: 12pt; } QLabel#page_title { font-size: 17pt; font-weight: bold; }"
              "QPushButton#crumb { border: none; color: #0d47a1; text-decoration: underline; padding: 2px 4px; }"
              "QLabel#crumb_here { font-weight: bold; padding: 2px 4px; }"
              "QLabel#totals { background: #f3f6fa; border: 1px solid #d0d7e2; padding: 6px; }"
              "QTableView { gridline-color: #ddd; } QHeaderView::section { font-weight: bold; padding: 4px; }")


class DrillTable(QTableView):
    """A table whose Enter key asks to go one level down (double-click does the same)."""

    drill_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.drill_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class QueryPage(QWidget):
    """预算查询 over the budget context's database."""

    open_item = Signal(str, str)
    loaded = Signal()
    """A result (or the payment list) is on screen."""
    exported = Signal(str)
    saved_changed = Signal()
    """The saved queries' list is on screen again (after loading, saving, renaming or deleting)."""
    saved_failed = Signal(str)
    item_missing = Signal(str)
    """``show_item`` found no such item in the year's data."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = QuerySpec(ctx.year)
        self.result: QueryResult | None = None
        self.trail: list[str] = []
        self.saved: list[SavedSpec] = []
        self._task: BackgroundTask[Any] | None = None
        self._export_task: BackgroundTask[Any] | None = None
        self._pending_payment = ""
        self.progress_dialog: QProgressDialog | None = None
        self.setStyleSheet(PAGE_STYLE)

        # ---------------------------------------------------------------- top bar
        title = QLabel(self.title())
        title.setObjectName("page_title")
        self.path_combo = QComboBox()
        for key in PATHS:
            self.path_combo.addItem(path_name(key), key)
        self.path_combo.activated.connect(lambda _i: self.set_path(str(self.path_combo.currentData())))
        self.payments_button = QPushButton(self.tr("明细"))
        self.payments_button.setCheckable(True)
        self.payments_button.setToolTip(self.tr("列出当前范围内的每一笔支付"))
        self.payments_button.toggled.connect(self.show_payments)
        self.export_button = QPushButton(self.tr("导出 Excel"))
        self.export_button.clicked.connect(self._ask_export)
        self.save_button = QPushButton(self.tr("保存查询"))
        self.save_button.clicked.connect(self._ask_save)
        self.saved_combo = QComboBox()
        self.saved_combo.setMinimumContentsLength(10)
        self.saved_combo.activated.connect(self._saved_chosen)
        self.rename_button = QPushButton(self.tr("重命名"))
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self._ask_delete)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("钻取路径")))
        top.addWidget(self.path_combo)
        top.addStretch(1)
        tools: list[QWidget] = [self.payments_button, self.export_button, self.save_button,
                                QLabel(self.tr("已保存的查询")), self.saved_combo, self.rename_button, self.delete_button]
        for w in tools:
            top.addWidget(w)

        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(2)
        crumb_box = QWidget()
        crumb_box.setLayout(self.crumbs)

        # ---------------------------------------------------------------- tables
        self.result_model = ResultModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.result_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = DrillTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._setup_table(self.table)
        self.table.doubleClicked.connect(self._drill_index)
        self.table.drill_requested.connect(self._drill_index)

        self.payment_model = PaymentListModel(ctx.engine, self)
        self.payment_model.counted.connect(lambda _n: self._update_status())
        self.payment_model.page_loaded.connect(self._payments_arrived)
        self.payment_model.failed.connect(lambda e: self._say(self.tr("读取支付明细失败：%1").replace("%1", e), True))
        self.payment_table = QTableView()
        self.payment_table.setModel(self.payment_model)
        self._setup_table(self.payment_table)
        for col, width in enumerate((110, 150, 300, 140, 120, 150, 90, 90, 120, 120, 140, 90, 90)):
            self.payment_table.setColumnWidth(col, width)
        self.payment_table.doubleClicked.connect(self._payment_opened)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 14pt; padding: 40px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.payment_table)
        self.stack.addWidget(self.empty)

        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        # ---------------------------------------------------------------- filters
        self.filter_panel = FilterPanel()
        # one unit per view: the amount filters speak the unit of the table shown beside them
        self.stack.currentChanged.connect(lambda _i: self.filter_panel.set_unit(
            MoneyUnit.YUAN if self.stack.currentWidget() is self.payment_table else MoneyUnit.WAN))
        self.filter_panel.applied.connect(self.set_filters)
        scroll = QScrollArea()
        scroll.setWidget(self.filter_panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(420)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(crumb_box)
        rl.addWidget(self.message)
        rl.addWidget(self.stack, 1)
        rl.addWidget(self.totals)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 1180])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self._load_options()
        self._reload_saved()
        self.refresh()

    def title(self) -> str:
        return self.tr("预算查询")

    @staticmethod
    def _setup_table(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(34)
        table.horizontalHeader().setMinimumSectionSize(90)
        full_text_cells(table)

    # ------------------------------------------------------------------ spec changes
    def set_spec(self, spec: QuerySpec, trail: list[str] | None = None) -> None:
        """Show ``spec`` (the breadcrumb labels are looked up when not given)."""
        self.spec = spec
        self.trail = list(trail) if trail is not None and len(trail) == len(spec.selected) else []
        index = self.path_combo.findData(spec.path)
        self.path_combo.setCurrentIndex(index)
        self.refresh()

    def set_path(self, path: str) -> None:
        self.set_spec(self.spec.with_path(path), [])

    def set_filters(self, filters: Filters) -> None:
        self.set_spec(self.spec.with_filters(filters), self.trail)

    def drill(self, key: str, label: str = "") -> None:
        """One level down into ``key`` of the current level (below the last level: the single payments)."""
        if self.spec.at_bottom():
            return
        spec = self.spec.drill(key)
        trail = [*self.trail, label or key] if len(self.trail) == len(self.spec.selected) else None
        if spec.at_bottom():
            self.spec, self.trail = spec, trail or []
            self.payments_button.setChecked(True)
            self.refresh()
            return
        self.set_spec(spec, trail)

    def go_up(self, depth: int) -> None:
        """Back to the first ``depth`` choices (0 = the top of the path)."""
        self.payments_button.setChecked(False)
        self.set_spec(self.spec.up(depth), self.trail[:depth])

    def _drill_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        source = self.proxy.mapToSource(index)
        row = self.result_model.rows[source.row()]
        self.drill(row.key, row.label)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Answer the current spec in the background; ``loaded`` fires when it is on screen."""
        spec = self.spec
        engine = self.ctx.engine
        need_trail = len(self.trail) != len(spec.selected)

        def load(_c: TaskContext) -> tuple[QueryResult | None, list[str]]:
            trail = [labels_for(engine, spec.year, level, [key]).get(key, key) for level, key in spec.chosen()] \
                if need_trail else []
            return (None if spec.at_bottom() else run_query(engine, spec)), trail

        self._task = (BackgroundTask(load, owner=self, name="budget-query").on_success(
            lambda r: self._show(spec, *r)).on_failure(self._load_failed).start())
        if self.payments_button.isChecked() or spec.at_bottom():
            self.payment_model.load(spec)

    def _load_failed(self, error: BaseException) -> None:
        self._say(str(error) if isinstance(error, SpecError) else
                  self.tr("查询失败：%1").replace("%1", str(error)), True)
        self.loaded.emit()

    def _show(self, spec: QuerySpec, result: QueryResult | None, trail: list[str]) -> None:
        if spec != self.spec:
            return  # an older answer
        if trail:
            self.trail = trail
        self.result = result
        self.result_model.set_result(result)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._build_crumbs()
        self._say("")
        showing_payments = self.payments_button.isChecked() or spec.at_bottom()
        if showing_payments:
            self.stack.setCurrentWidget(self.payment_table)
        elif result is not None and result.rows:
            self.stack.setCurrentWidget(self.table)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for col in range(1, self.result_model.columnCount()):
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                self.table.resizeColumnToContents(col)  # amounts of 10⁸ 万元 must show whole, never “100,150,10…”
                self.table.setColumnWidth(col, max(90, self.table.columnWidth(col) + 8))
            self.table.selectRow(0)
        else:
            self.empty.setText(self._empty_text())
            self.stack.setCurrentWidget(self.empty)
        self._update_status()
        self.loaded.emit()

    def _empty_text(self) -> str:
        if self.spec.filters.active() or self.spec.selected:
            return self.tr("没有符合条件的预算数据。\n请放宽筛选条件，或点上方路径返回上一层。")
        return self.tr("%1 年度还没有预算数据。\n导入财政局的指标和支付明细，或同步后再来查询。"
                       ).replace("%1", str(self.spec.year))

    def _build_crumbs(self) -> None:
        while self.crumbs.count():
            item = self.crumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        home = QPushButton(self.tr("全部（%1）").replace("%1", path_name(self.spec.path)))
        home.setObjectName("crumb")
        home.setCursor(Qt.CursorShape.PointingHandCursor)
        home.clicked.connect(lambda: self.go_up(0))
        self.crumbs.addWidget(home)
        for depth, label in enumerate(self.trail, start=1):
            self.crumbs.addWidget(QLabel("›"))
            button = QPushButton(label)
            button.setObjectName("crumb")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, d=depth: self.go_up(d))
            self.crumbs.addWidget(button)
        self.crumbs.addWidget(QLabel("›"))
        here = QLabel(self.tr("支付明细") if self.payments_button.isChecked() or self.spec.at_bottom()
                      else self.tr("按%1列示").replace("%1", level_name(self.spec.level or "")))
        here.setObjectName("crumb_here")
        self.crumbs.addWidget(here)
        self.crumbs.addStretch(1)

    def crumb_texts(self) -> list[str]:
        texts = []
        for i in range(self.crumbs.count()):
            item = self.crumbs.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton | QLabel) and widget.text() != "›":
                texts.append(widget.text())
        return texts

    def _update_status(self) -> None:
        parts: list[str] = []
        if self.payments_button.isChecked() or self.spec.at_bottom():
            total = self.payment_model.total
            held = len(self.payment_model.records)
            if self.payment_model.exhausted and total is not None:
                parts.append(self.tr("共 %1 笔支付，已全部显示").replace("%1", f"{total:,}"))
            else:
                parts.append(self.tr("共 %1 笔支付，已读取 %2 笔（向下滚动读取更多）")
                             .replace("%1", "…" if total is None else f"{total:,}").replace("%2", f"{held:,}"))
        elif self.result is not None:
            t = self.result.total.values
            parts.append(self.tr("合计：年初预算 %1 万元，调整后预算 %2 万元，已支付 %3 万元，执行率 %4，%5 笔支付")
                         .replace("%1", wan(t.get("budget"))).replace("%2", wan(t.get("adjusted")))
                         .replace("%3", wan(t.get("paid")))
                         .replace("%4", f"{self.result.total.rate}%" if self.result.total.rate is not None else "—")
                         .replace("%5", f"{t.get('count') or 0:,}"))
            parts.extend(self.result.notes)
        if self.spec.filters.active():
            from core.budget.query.describe import describe_filters
            parts.append(self.tr("条件：%1").replace("%1", "；".join(describe_filters(self.spec))))
        self.totals.setText("\n".join(parts))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b71c1c; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))

    def _load_options(self) -> None:
        engine, year = self.ctx.engine, self.ctx.year

        def load(_c: TaskContext) -> FilterOptions:
            return filter_options(engine, year)

        self._options_task = BackgroundTask(load, owner=self, name="query-options").on_success(
            self.filter_panel.set_options).on_failure(lambda e: None).start()

    # ------------------------------------------------------------------ single payments
    def show_payments(self, on: bool = True) -> None:
        """Switch between the grouped result and the single payments of the current view."""
        if self.payments_button.isChecked() != on:
            self.payments_button.setChecked(on)  # toggled calls back here
            return
        if on:
            self.payment_model.load(self.spec)
            self.stack.setCurrentWidget(self.payment_table)
        elif self.spec.at_bottom():
            self.go_up(len(self.spec.selected) - 1)
            return
        else:
            self.stack.setCurrentWidget(self.table if self.result and self.result.rows else self.empty)
        self._build_crumbs()
        self._update_status()

    def _payments_arrived(self, _count: int) -> None:
        if self._pending_payment:
            row = self.payment_model.row_of(self._pending_payment)
            if row >= 0:
                self.payment_table.selectRow(row)
                self.payment_table.scrollTo(self.payment_model.index(row, 0))
                self._pending_payment = ""
        self._update_status()
        self.loaded.emit()

    def _payment_opened(self, index: QModelIndex) -> None:
        if index.isValid():
            record = self.payment_model.records[index.row()]
            if record.indicator_no:
                self.open_item.emit("indicator", record.indicator_no)

    # ------------------------------------------------------------------ jumping to an item
    def show_item(self, kind: str, code: str) -> None:
        """Show a department, project or indicator in the department path, or a payment among its siblings.

        The item is looked up in the background; ``loaded`` fires once it is on screen, and a message says so
        when the year has no such item."""
        engine, year = self.ctx.engine, self.ctx.year

        def find(_c: TaskContext) -> list[str]:
            return locate(engine, year, kind, code)

        self._locate_task = BackgroundTask(find, owner=self, name="query-locate").on_success(
            lambda chosen: self._show_located(kind, code, chosen)).on_failure(self._load_failed).start()

    def _show_located(self, kind: str, code: str, chosen: list[str]) -> None:
        if not chosen:
            self._say(self.tr("在 %1 年度的数据中找不到 %2").replace("%1", str(self.ctx.year)).replace("%2", code),
                      True)
            self.item_missing.emit(code)
            return
        spec = QuerySpec(self.ctx.year, path="department", selected=tuple(chosen), filters=Filters())
        self.filter_panel.set_filters(Filters())
        if kind == "payment":
            self._pending_payment = code
            self.spec, self.trail = spec, []
            self.path_combo.setCurrentIndex(self.path_combo.findData("department"))
            if self.payments_button.isChecked():
                self.refresh()
            else:
                self.payments_button.setChecked(True)
                self.refresh()
            return
        self.payments_button.setChecked(False)
        self.set_spec(spec)

    # ------------------------------------------------------------------ export
    def _ask_export(self) -> None:
        default = str(Path.home() / f"预算查询-{self.spec.year}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出 Excel"), default, self.tr("Excel 文件 (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Export what is on screen (the grouped result, or every single payment of the view) in the background,
        with a progress dialog that can cancel; ``exported`` fires with the path when the file is written."""
        payments = self.payments_button.isChecked() or self.spec.at_bottom()
        spec, result, engine, trail = self.spec, self.result, self.ctx.engine, list(self.trail)
        if not payments and result is None:
            self._say(self.tr("没有可导出的结果"), True)
            return

        def run(c: TaskContext) -> Path:
            def progress(done: int, total: int) -> None:
                c.progress("export", done, total)

            demo = is_demo(engine, spec.year)
            if payments:
                return export_payments(engine, spec, path, demo=demo, trail=trail, progress=progress, cancel=c.cancel)
            assert result is not None
            return export_result(result, path, demo=demo, trail=trail, progress=progress, cancel=c.cancel)

        dialog = QProgressDialog(self.tr("正在导出 Excel…"), self.tr("取消"), 0, 0, self)
        dialog.setWindowTitle(self.tr("导出 Excel"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        task: BackgroundTask[Path] = BackgroundTask(run, owner=self, name="query-export")
        dialog.canceled.connect(task.cancel)
        task.on_progress(self._export_progress).on_success(self._export_done).on_failure(
            self._export_failed).on_cancelled(lambda _e: self._say(self.tr("导出已取消，没有保存文件"))).on_finished(
            self._export_finished)
        self._export_task = task.start()
        self.export_button.setEnabled(False)
        dialog.show()

    def _export_progress(self, progress: Progress) -> None:
        if self.progress_dialog is not None and progress.total:
            self.progress_dialog.setMaximum(progress.total)
            self.progress_dialog.setValue(progress.done)

    def _export_done(self, path: Path) -> None:
        self._say(self.tr("已导出到 %1").replace("%1", str(path)))
        self.exported.emit(str(path))

    def _export_failed(self, error: BaseException) -> None:
        text = str(error) if isinstance(error, ExportError) else self.tr("导出失败：%1").replace("%1", str(error))
        self._say(text, True)

    def _export_finished(self) -> None:
        self.export_button.setEnabled(True)
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def cancel_export(self) -> None:
        if self._export_task is not None:
            self._export_task.cancel()

    # ------------------------------------------------------------------ saved queries
    def _reload_saved(self) -> None:
        self._saved_task(lambda: None)

    def _saved_task(self, change: Callable[[], object], done: Callable[[], None] | None = None,
                    taken: Callable[[], None] | None = None) -> None:
        """Run ``change`` on the saved queries in the background, then show the owner's list again.

        ``saved_changed`` fires once the list is on screen; a refusal is said in Chinese, changes nothing and
        fires ``saved_failed`` (``taken`` is offered the chance to ask before replacing a same-named query)."""
        session, owner = self.ctx.session, self.ctx.user_id

        def work(_c: TaskContext) -> list[SavedSpec]:
            change()
            return list_saved(session, owner)

        def refused(error: BaseException) -> None:
            self._say(str(error) if isinstance(error, SpecError) else
                      self.tr("保存的查询读写失败：%1").replace("%1", str(error)), True)
            self.saved_failed.emit(str(error))
            if taken is not None and isinstance(error, SpecError) and "已有名为" in str(error):
                taken()

        def arrived(saved: list[SavedSpec]) -> None:
            self._set_saved(saved)
            if done is not None:
                done()
            self.saved_changed.emit()

        self._saved_worker = BackgroundTask(work, owner=self, name="query-saved").on_success(arrived).on_failure(
            refused).start(self._saved_queue())

    def _saved_queue(self) -> QThreadPool:
        """Saved-query reads and writes run one at a time in the order asked, so a slow earlier read (the
        list fetched when the page opened) never lands after a newer one and shows an older list."""
        pool: QThreadPool | None = getattr(self, "_saved_pool", None)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            self._saved_pool = pool
        return pool

    def _set_saved(self, saved: list[SavedSpec]) -> None:
        self.saved = saved
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("（选择后运行）") if self.saved else self.tr("（还没有）"), "")
        for q in self.saved:
            self.saved_combo.addItem(q.name, q.id)
        self.saved_combo.blockSignals(False)
        for w in (self.rename_button, self.delete_button):
            w.setEnabled(bool(self.saved))

    def save_current(self, name: str, replace: bool = False, taken: Callable[[], None] | None = None) -> None:
        """Save the current spec as ``name`` in the background; a clear message (and nothing saved) when it
        cannot be. ``taken`` runs when the name is already used and ``replace`` was not asked for."""
        session, owner, spec = self.ctx.session, self.ctx.user_id, self.spec
        self._saved_task(lambda: save_query(session, owner, name, spec, replace=replace),
                         done=lambda: self._say(self.tr("已保存查询“%1”").replace("%1", " ".join(name.split()))),
                         taken=taken)

    def run_saved(self, query_id: str) -> None:
        found = next((q for q in self.saved if q.id == query_id), None)
        if found is None:
            self._say(self.tr("找不到这条保存的查询"), True)
            return
        self.payments_button.setChecked(False)
        spec = QuerySpec(self.ctx.year, path=found.spec.path, selected=found.spec.selected,
                         filters=found.spec.filters, measures=found.spec.measures) \
            if found.spec.year != self.ctx.year else found.spec
        self.filter_panel.set_filters(spec.filters)
        self.set_spec(spec)

    def rename_saved(self, query_id: str, name: str) -> None:
        session, owner = self.ctx.session, self.ctx.user_id
        self._saved_task(lambda: rename_query(session, owner, query_id, name))

    def delete_saved(self, query_id: str) -> None:
        session, owner = self.ctx.session, self.ctx.user_id
        self._saved_task(lambda: delete_query(session, owner, query_id))

    def _saved_chosen(self, index: int) -> None:
        query_id = str(self.saved_combo.itemData(index) or "")
        if query_id:
            self.run_saved(query_id)

    def _current_saved(self) -> str:
        return str(self.saved_combo.currentData() or "")

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("保存查询"), self.tr("查询名称："))
        if ok:
            self.save_current(name, taken=lambda: self._offer_replace(name))

    def _offer_replace(self, name: str) -> None:
        if QMessageBox.question(self, self.tr("保存查询"), self.tr("已有同名查询，要覆盖它吗？")) == \
                QMessageBox.StandardButton.Yes:
            self.save_current(name, replace=True)

    def _ask_rename(self) -> None:
        query_id = self._current_saved()
        if not query_id:
            self._say(self.tr("请先在“已保存的查询”中选一条"), True)
            return
        name, ok = QInputDialog.getText(self, self.tr("重命名查询"), self.tr("新名称："))
        if ok:
            self.rename_saved(query_id, name)

    def _ask_delete(self) -> None:
        query_id = self._current_saved()
        if not query_id:
            self._say(self.tr("请先在“已保存的查询”中选一条"), True)
            return
        if QMessageBox.question(self, self.tr("删除查询"), self.tr("确定删除“%1”吗？").replace(
                "%1", self.saved_combo.currentText())) == QMessageBox.StandardButton.Yes:
            self.delete_saved(query_id)

    def _key_of_row(self, row: int) -> str:
        return str(self.proxy.index(row, 0).data(KEY_ROLE))
