"""老干部名册: everyone in the record, narrowed as the clerk types a name, its pinyin or its initials.
A double-click or Enter on a row opens the person (``opened``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from apps.cadre import data
from apps.common.qt import (
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import Sheet, ask_xlsx_path, fit, sheet_of, tidy, write_xlsx


class PeoplePage(QWidget):
    opened = Signal(str)

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadrePeople")
        self._session_factory = session_factory
        self.everyone: list[data.PersonRow] = []
        self.rows: list[data.PersonRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、拼音或首字母，例如 zhangsan 或 zs"))
        font = self.search.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.search.setFont(font)
        self.export_button = QPushButton(self.tr("导出 Excel"))
        self.count = QLabel()
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("性别"), self.tr("出生日期"),
                                              self.tr("状态"), self.tr("原单位"), self.tr("原职务")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=5)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("查找：")))
        bar.addWidget(self.search)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self.search.textChanged.connect(self.show_matches)
        self.search.returnPressed.connect(lambda: self.open_row(0 if self.table.currentRow() < 0
                                                                else self.table.currentRow()))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.export_button.clicked.connect(self._ask_export)
        self.table.installEventFilter(self)
        self.reload()

    def title(self) -> str:
        return self.tr("名册")

    def reload(self) -> None:
        with self._session_factory() as session:
            self.everyone = data.people(session)
        self.show_matches()

    def show_matches(self, *_: object) -> None:
        self.rows = data.filtered(self.everyone, self.search.text())
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            name = row.name if row.alive else self.tr("{name}（已故）").format(name=row.name)
            cells = [name, row.gender, row.birth_date.isoformat() if row.birth_date else "",
                     row.stage_label, row.former_unit, row.former_post]
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
        fit(self.table)
        self.count.setText(self.tr("共 {n} 人").format(n=len(self.rows)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            self.open_row(self.table.currentRow())
            return True
        return super().eventFilter(watched, event)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.opened.emit(self.rows[row].person_id)

    def sheet(self) -> Sheet:
        return sheet_of(self.table, self.tr("老干部名册"))

    def export_to(self, path: Path) -> Path:
        """The people shown (after the search) as an Excel workbook."""
        return write_xlsx(path, [self.sheet()])

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.tr("老干部名册.xlsx"))
        if path is not None:
            self.export_to(path)
