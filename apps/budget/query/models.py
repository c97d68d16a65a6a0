"""Thin Qt models over the query layer: the grouped result, and the lazily paged single payments."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from apps.budget.query.names import level_name, measure_name, payment_column_name
from apps.common.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from apps.common.tasks import BackgroundTask, TaskContext
from core.budget.query.payments import PAYMENT_COLUMNS, PaymentRecord, count_payments, payment_page
from core.budget.query.run import QueryResult, QueryRow
from core.budget.query.spec import QuerySpec
from core.money import MoneyUnit, format_fen

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Raw numbers for sorting (amounts in fen, rates as Decimal); display text is formatted."""
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
Index = QModelIndex | QPersistentModelIndex


def wan(fen: int | None) -> str:
    """Fen as 万元 with thousands separators and two decimals; “—” when not applicable."""
    return "—" if fen is None else format_fen(fen, MoneyUnit.WAN).removesuffix(" 万元")


def yuan(fen: int) -> str:
    return format_fen(fen, MoneyUnit.YUAN).removesuffix(" 元")


class ResultModel(QAbstractTableModel):
    """One row per group; the first column is the label, then the measures in 万元, the rate in %."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: QueryResult | None = None
        self.measures: list[str] = []

    def set_result(self, result: QueryResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self.measures = list(result.spec.measures) if result else []
        self.endResetModel()

    @property
    def rows(self) -> list[QueryRow]:
        return self.result.rows if self.result else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.result is None else 1 + len(self.measures)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole or self.result is None:
            return None
        if section == 0:
            return level_name(self.result.spec.level or "")
        m = self.measures[section - 1]
        if m == "rate":
            return measure_name(m) + "\n（%）"
        if m == "count":
            return measure_name(m) + self.tr("\n（笔）")
        return measure_name(m) + self.tr("\n（万元）")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == KEY_ROLE:
            return row.key
        if col == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
                return row.label
            return None
        m = self.measures[col - 1]
        value = row.value(m)
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "—"
            if m == "rate":
                return f"{value}%"
            if m == "count":
                return f"{value:,}"
            return wan(int(value))
        if role == SORT_ROLE:
            return float(value) if value is not None else float("-inf")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT)
        return None


class PaymentListModel(QAbstractTableModel):
    """Every single payment of a spec, newest first, read a page at a time in the background (keyset paging).

    ``canFetchMore``/``fetchMore`` let the view ask for the next page when it scrolls near the end; the total
    is counted separately and never needs the rows."""

    page_loaded = Signal(int)
    """Rows now held, after a page arrived."""
    counted = Signal(int)
    failed = Signal(str)

    PAGE = 200

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.spec: QuerySpec | None = None
        self.records: list[PaymentRecord] = []
        self.total: int | None = None
        self.exhausted = True
        self._loading = False
        self._generation = 0
        self._tasks: list[BackgroundTask[Any]] = []

    def load(self, spec: QuerySpec) -> None:
        """Forget the rows held and start reading ``spec``'s first page and total."""
        self._generation += 1
        self.beginResetModel()
        self.spec = spec
        self.records = []
        self.total = None
        self.exhausted = False
        self._loading = False
        self.endResetModel()
        generation = self._generation
        engine = self.engine

        def count(_c: TaskContext) -> int:
            return count_payments(engine, spec)

        self._keep(BackgroundTask(count, owner=self, name="payment-count")
                   .on_success(lambda n: self._counted(generation, n))
                   .on_failure(lambda e: self.failed.emit(str(e))).start())
        self.fetchMore(QModelIndex())

    def _keep(self, task: BackgroundTask[Any]) -> None:
        self._tasks = [t for t in self._tasks if t.is_running] + [task]

    def _counted(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self.total = n
            self.counted.emit(n)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self.spec is not None and not self.exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self.spec is None:
            return
        self._loading = True
        spec, engine, generation = self.spec, self.engine, self._generation
        after = self.records[-1].cursor if self.records else None

        def read(_c: TaskContext) -> list[PaymentRecord]:
            return payment_page(engine, spec, after, self.PAGE)

        self._keep(BackgroundTask(read, owner=self, name="payment-page")
                   .on_success(lambda rows: self._arrived(generation, rows))
                   .on_failure(lambda e: self._failed(generation, e)).start())

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.exhausted = True
            self.failed.emit(str(error))

    def _arrived(self, generation: int, rows: list[PaymentRecord]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(rows) < self.PAGE:
            self.exhausted = True
        if rows:
            first = len(self.records)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.records.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(self.records))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PAYMENT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return payment_column_name(PAYMENT_COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        name = PAYMENT_COLUMNS[index.column()][0]
        value = getattr(record, name)
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "amount_fen":
                return yuan(value)
            if isinstance(value, date):
                return value.isoformat()
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "amount_fen":
            return int(RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole and name in ("payee", "purpose"):
            return value
        if role == KEY_ROLE:
            return record.payment_no
        return None

    def row_of(self, payment_no: str) -> int:
        return next((i for i, r in enumerate(self.records) if r.payment_no == payment_no), -1)
