"""The row-by-row problems of a refused file, in a table a clerk can read, copy and save."""

from __future__ import annotations

import csv
from pathlib import Path

from apps.common.qt import (
    QAbstractItemView,
    QFileDialog,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from core.budget.importers import Problem

MAX_SHOWN = 5000


class ProblemsTable(QWidget):
    """行 / 列 / 问题 / 怎么改, with 复制 and 另存为 CSV."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("行"), self.tr("列"), self.tr("问题"), self.tr("怎么改")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.copy_button = QPushButton(self.tr("复制全部问题"))
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton(self.tr("问题另存为表格…"))
        self.save_button.clicked.connect(self._ask_save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_SHOWN]
        self.table.setRowCount(len(shown))
        for row, p in enumerate(shown):
            for col, text in enumerate((str(p.row) if p.row else "", p.column, p.what, p.todo)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

    def as_text(self) -> str:
        lines = ["\t".join([self.tr("行"), self.tr("列"), self.tr("问题"), self.tr("怎么改")])]
        lines += ["\t".join([str(p.row), p.column, p.what, p.todo]) for p in self.problems]
        return "\n".join(lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())

    def save(self, path: Path) -> None:
        """A CSV (UTF-8 with BOM, so Excel opens it) of every problem."""
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([self.tr("行"), self.tr("列"), self.tr("问题"), self.tr("怎么改")])
            writer.writerows([p.row, p.column, p.what, p.todo] for p in self.problems)

    def _ask_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("问题另存为"), self.tr("导入问题.csv"),
                                              self.tr("表格 (*.csv)"))
        if name:
            self.save(Path(name))
