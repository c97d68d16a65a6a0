"""Shared parts of the platform pages: a page base that runs database work off the GUI thread and shows
refusals in plain words, read-only tables, and the names of statuses and kinds in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from apps.budget.common.context import BudgetContext
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from apps.common.tasks import BackgroundTask
from apps.common.theme import set_role
from core.budget.platform import PlatformError
from core.budget.review import PlanError

T = TypeVar("T")
CTX = "BudgetPlatform"

NAMES = {
    # task, comment, plan and warning statuses
    "已分派": QT_TRANSLATE_NOOP("BudgetPlatform", "已分派"), "已接受": QT_TRANSLATE_NOOP("BudgetPlatform", "已接受"),
    "已提交": QT_TRANSLATE_NOOP("BudgetPlatform", "已提交"), "已完成": QT_TRANSLATE_NOOP("BudgetPlatform", "已完成"),
    "已退回": QT_TRANSLATE_NOOP("BudgetPlatform", "已退回"), "待答复": QT_TRANSLATE_NOOP("BudgetPlatform", "待答复"),
    "已答复": QT_TRANSLATE_NOOP("BudgetPlatform", "已答复"), "草稿": QT_TRANSLATE_NOOP("BudgetPlatform", "草稿"),
    "已印发": QT_TRANSLATE_NOOP("BudgetPlatform", "已印发"), "待审查": QT_TRANSLATE_NOOP("BudgetPlatform", "待审查"),
    "待处理": QT_TRANSLATE_NOOP("BudgetPlatform", "待处理"), "已发函": QT_TRANSLATE_NOOP("BudgetPlatform", "已发函"),
    "已关闭": QT_TRANSLATE_NOOP("BudgetPlatform", "已关闭"),
    # conclusions
    "同意": QT_TRANSLATE_NOOP("BudgetPlatform", "同意"), "修改后同意": QT_TRANSLATE_NOOP("BudgetPlatform", "修改后同意"),
    "不同意": QT_TRANSLATE_NOOP("BudgetPlatform", "不同意"),
    # target kinds
    "book": QT_TRANSLATE_NOOP("BudgetPlatform", "预算账本"), "class": QT_TRANSLATE_NOOP("BudgetPlatform", "功能分类"),
    "department": QT_TRANSLATE_NOOP("BudgetPlatform", "部门"), "project": QT_TRANSLATE_NOOP("BudgetPlatform", "项目"),
    "indicator": QT_TRANSLATE_NOOP("BudgetPlatform", "预算指标"), "plan": QT_TRANSLATE_NOOP("BudgetPlatform", "审查计划"),
    # warning levels
    "red": QT_TRANSLATE_NOOP("BudgetPlatform", "红色"), "yellow": QT_TRANSLATE_NOOP("BudgetPlatform", "黄色"),
    "blue": QT_TRANSLATE_NOOP("BudgetPlatform", "蓝色"),
}
LEVEL_COLOURS = {"red": "#c62828", "yellow": "#b26a00", "blue": "#1565c0"}


def name_of(value: str) -> str:
    """A status, conclusion, kind or level as the user's language says it."""
    return QCoreApplication.translate(CTX, NAMES.get(value, value)) if value in NAMES else value


def day_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


def make_table(headers: Sequence[str], name: str = "", stretch: int = -1) -> QTableWidget:
    """A read-only, row-selecting table of a few rows: column ``stretch`` (default the last) takes the
    remaining width and wraps, the others fit their contents up to a cap; a cut cell ends in "…" and shows
    its full text on hover; the header's context menu shows or hides columns."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    tidy(table, stretch=stretch % len(headers), wrap=True)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[Any]], data: Sequence[Any] | None = None) -> None:
    """Replace the rows; ``data[i]`` is kept on the first cell of row ``i`` (see :func:`row_data`)."""
    table.setSortingEnabled(False)
    table.clearContents()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    fit(table)


def row_data(table: QTableWidget, row: int) -> Any:
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def selected_data(table: QTableWidget) -> list[Any]:
    rows = sorted({i.row() for i in table.selectedIndexes()})
    return [row_data(table, r) for r in rows]


class PlatformPage(QWidget):
    """A page over a :class:`BudgetContext` with a title, a message line and background database work.

    ``loaded`` fires after each refresh has filled the page; ``done`` after each write; ``refused(message)``
    when a write is refused (the message is shown on the page, nothing changed).
    """

    loaded = Signal()
    done = Signal()
    refused = Signal(str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = 0
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(18, 14, 18, 14)
        self.outer.setSpacing(10)
        top = QHBoxLayout()
        self.heading = set_role(QLabel(self.title()), "title")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.outer.addLayout(top)
        self.top_bar = top
        self.message = QLabel("")
        self.message.setObjectName("page_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.outer.addWidget(self.message)

    def title(self) -> str:
        return ""

    # ------------------------------------------------------------------ background work
    def run(self, work: Callable[[], T], then: Callable[[T], None], *, write: bool = False) -> None:
        """Run ``work`` in a worker thread and hand its result to ``then`` on the GUI thread."""
        self.busy += 1
        task: BackgroundTask[T] = BackgroundTask(lambda _tc: work(), owner=self, name=type(self).__name__)

        def ok(result: T) -> None:
            then(result)
            if write:
                self.done.emit()

        task.on_success(ok).on_failure(self._failed).on_finished(self._idle).start()

    def write(self, work: Callable[[Any], T], then: Callable[[T], None], success: str = "") -> None:
        """Run ``work(session)`` in one transaction through the context's session (the outbox on a laptop)."""

        def in_session() -> T:
            with self.ctx.session() as s, s.begin():
                return work(s)

        def after(result: T) -> None:
            self.say(success) if success else self.message.hide()
            then(result)

        self.run(in_session, after, write=True)

    def _idle(self) -> None:
        self.busy -= 1

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, (PlatformError, PlanError)):
            text = str(error)
        else:
            text = self.tr("操作没有完成，数据未改动：%1").replace("%1", str(error) or type(error).__name__)
        self.say(text, error=True)
        self.refused.emit(text)

    def say(self, text: str, error: bool = False) -> None:
        set_role(self.message, "error" if error else "notice")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()


def section(text: str) -> QLabel:
    return set_role(QLabel(text), "subtitle")


def hint(text: str) -> QLabel:
    label = set_role(QLabel(text), "hint")
    label.setWordWrap(True)
    return label
