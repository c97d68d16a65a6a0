"""The import history from ``bgt_import_log``: what was imported when, from where, and what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from apps.budget.common.context import BudgetContext
from apps.budget.imports.names import kind_name
from apps.common.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from core.budget.models import ImportLog

LIMIT = 500


@dataclass(frozen=True)
class LogLine:
    when: datetime | None
    kind: str
    filename: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    source: str
    actor: str


def read_history(engine: Engine, limit: int = LIMIT) -> list[LogLine]:
    """The latest imports, newest first."""
    with Session(engine) as s:
        logs = s.scalars(select(ImportLog).where(ImportLog.deleted.is_(False))
                         .order_by(ImportLog.changed_at.desc(), ImportLog.id.desc()).limit(limit))
        return [LogLine(g.changed_at, g.kind, g.filename, g.rows, g.inserted, g.updated, g.unchanged, g.source,
                        g.changed_by or "") for g in logs]


class ImportHistoryPanel(QWidget):
    """导入记录."""

    loaded = Signal(int)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lines: list[LogLine] = []
        self.loaded_once = False
        headers = [self.tr("时间"), self.tr("文件类别"), self.tr("文件名"), self.tr("行数"), self.tr("新增"),
                   self.tr("更新"), self.tr("未变"), self.tr("来源"), self.tr("操作人")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty = set_role(QLabel(self.tr("还没有导入记录。导入文件、拉取接口或导入数据包后，每个文件都会在这里留下一条记录。")),
                              "notice")
        self.empty.setWordWrap(True)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(set_role(QLabel(self.tr("最近 %1 次导入（最新的在前）").replace("%1", str(LIMIT))), "hint"), 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.table, 1)
        self.table.setVisible(False)
        self._task: BackgroundTask[list[LogLine]] | None = None

    def title(self) -> str:
        return self.tr("导入记录")

    def refresh(self) -> None:
        if self._task is not None and self._task.is_running:
            return
        engine = self.ctx.engine

        def work(_task: TaskContext) -> list[LogLine]:
            return read_history(engine)

        self._task = BackgroundTask(work, owner=self, name="budget-import-history").on_success(self._show)
        self._task.start()

    def _show(self, lines: list[LogLine]) -> None:
        self.lines = lines
        self.loaded_once = True
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            when = line.when.strftime("%Y-%m-%d %H:%M") if line.when else ""
            cells = [when, kind_name(line.kind), line.filename, line.rows, line.inserted, line.updated,
                     line.unchanged, line.source, line.actor]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                self.table.setItem(row, col, item)
        self.table.setVisible(bool(lines))
        self.empty.setVisible(not lines)
        self.loaded.emit(len(lines))
