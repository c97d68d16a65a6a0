"""督办: the overdue cases of each receiving body."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from apps.common.qt import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget
from apps.common.tables import fit, tidy
from apps.petition import data


class SupervisionPage(QWidget):
    def __init__(self, session_factory: Callable[[], Session], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionSupervision")
        self._session_factory = session_factory
        self._today = today
        self.groups: list[data.OverdueBody] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("承办单位"), self.tr("超期件数"), self.tr("最长超期天数"),
                                              self.tr("超期信访件")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=3)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self.reload()

    def title(self) -> str:
        return self.tr("督办")

    def reload(self) -> None:
        with self._session_factory() as session:
            self.groups = data.overdue_by_body(session, today=self._today())
        self.table.setRowCount(len(self.groups))
        for n, group in enumerate(self.groups):
            cells = [group.body or self.tr("（未转办）"), str(group.overdue), str(group.most_days),
                     "、".join(group.codes)]
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
        fit(self.table)
        self.count.setText(self.tr("共 {n} 个单位有超期件").format(n=len(self.groups)))
