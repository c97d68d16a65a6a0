"""信访 inbox: the cases ordered by deadline (overdue first) with a days-left light, filters, search and an
Excel export of what is shown. A double-click or Enter on a row opens the case (``opened``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from apps.common.qt import (
    QCheckBox,
    QColor,
    QComboBox,
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
from apps.petition import data

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828"}


class InboxPage(QWidget):
    opened = Signal(str)
    """A case was opened (its id): double-click or Enter on its row."""

    def __init__(self, session_factory: Callable[[], Session], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PetitionInbox")
        self._session_factory = session_factory
        self._today = today
        self.rows: list[data.InboxRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("编号、信访人或内容"))
        self.state = QComboBox()
        self.state.addItem(self.tr("全部状态"), "")
        self.channel = QComboBox()
        self.channel.addItem(self.tr("全部渠道"), "")
        for channel in data.CHANNELS:
            self.channel.addItem(channel, channel)
        self.body = QComboBox()
        self.supervised = QCheckBox(self.tr("只看督办"))
        self.export_button = QPushButton(self.tr("导出 Excel"))
        self.count = QLabel()
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([self.tr("剩余天数"), self.tr("编号"), self.tr("状态"),
                                              self.tr("渠道"), self.tr("收到日期"), self.tr("信访人"),
                                              self.tr("事项"), self.tr("承办单位")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=6)
        bar = QHBoxLayout()
        for widget in (self.search, self.state, self.channel, self.body, self.supervised, self.export_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self.search.returnPressed.connect(self.reload)
        for combo in (self.state, self.channel, self.body):
            combo.currentIndexChanged.connect(self.reload)
        self.supervised.toggled.connect(self.reload)
        self.export_button.clicked.connect(self._ask_export)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.installEventFilter(self)
        self._fill_choices()
        self.reload()

    def title(self) -> str:
        return self.tr("信访件")

    def _fill_choices(self) -> None:
        with self._session_factory() as session:
            names = data.body_names(session)
            states = data.case_states(session)
        self.state.blockSignals(True)
        for state in states:
            self.state.addItem(data.state_label(state), state)
        self.state.blockSignals(False)
        self.body.blockSignals(True)
        self.body.clear()
        self.body.addItem(self.tr("全部承办单位"), "")
        for code, name in sorted(names.items(), key=lambda kv: kv[1]):
            self.body.addItem(name, code)
        self.body.blockSignals(False)

    def current_filter(self) -> data.InboxFilter:
        return data.InboxFilter(state=self.state.currentData() or "", channel=self.channel.currentData() or "",
                                body_code=self.body.currentData() or "",
                                supervised_only=self.supervised.isChecked(), text=self.search.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            self.open_row(self.table.currentRow())
            return True
        return super().eventFilter(watched, event)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.opened.emit(self.rows[row].case_id)

    def reload(self) -> None:
        with self._session_factory() as session, session.begin():  # a search brings the text index up to date
            self.rows = data.inbox(session, self.current_filter(), today=self._today())
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            if row.days_left is None:
                days = ""
            elif row.days_left < 0:
                days = self.tr("超期 {n} 天").format(n=-row.days_left)
            else:
                days = self.tr("{n} 天").format(n=row.days_left)
            cells = [days, row.code, data.state_label(row.state), row.channel,
                     row.received_on.isoformat(), row.petitioner,
                     row.subject + (self.tr("（督办）") if row.supervised else ""), row.body]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0 and row.light:
                    item.setForeground(QColor(LIGHT_COLOURS[row.light]))
                    item.setData(256, row.light)  # Qt.UserRole: the light, for tests and export readers
                self.table.setItem(n, column, item)
        fit(self.table)
        self.count.setText(self.tr("共 {n} 件").format(n=len(self.rows)))

    def sheet(self) -> Sheet:
        return sheet_of(self.table, self.tr("信访件"))

    def export_to(self, path: Path) -> Path:
        return write_xlsx(path, [self.sheet()])

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.tr("信访件.xlsx"))
        if path is not None:
            self.export_to(path)
