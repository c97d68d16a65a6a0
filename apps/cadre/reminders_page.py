"""提醒: what the office has to do soon — birthdays (solar or lunar, round birthdays marked), retirements,
hospital visits and anniversaries — shown first when the desk opens. Double-click or Enter opens the person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QEvent,
    QHBoxLayout,
    QLabel,
    QObject,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from core.cadre.reminders import Reminder, lunar_text, reminders

WINDOWS = (7, 30, 90)


KIND_LABELS = (QT_TRANSLATE_NOOP("CadreReminders", "生日"), QT_TRANSLATE_NOOP("CadreReminders", "退休"),
               QT_TRANSLATE_NOOP("CadreReminders", "住院探望"), QT_TRANSLATE_NOOP("CadreReminders", "纪念日"))
"""The labels of ``core.cadre.reminders.KIND_LABELS``, for the translation files."""


class RemindersPage(QWidget):
    opened = Signal(str)

    def __init__(self, session_factory: Callable[[], Session], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreReminders")
        self._session_factory = session_factory
        self._today = today
        self.rows: list[Reminder] = []
        self.span = QComboBox()
        for days in WINDOWS:
            self.span.addItem(self.tr("今后 {n} 天").format(n=days), days)
        self.span.setCurrentIndex(1)
        self.count = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("还有"), self.tr("类别"),
                                              self.tr("姓名"), self.tr("事项")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("提醒范围：")))
        bar.addWidget(self.span)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.span.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.installEventFilter(self)
        self.reload()

    def title(self) -> str:
        return self.tr("提醒")

    def reload(self, *_: object) -> None:
        with self._session_factory() as session:
            self.rows = reminders(session, self._today(), int(self.span.currentData()))
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            if row.days_left < 0:
                left = self.tr("已过 {n} 天").format(n=-row.days_left)
            elif row.days_left == 0:
                left = self.tr("今天")
            else:
                left = self.tr("{n} 天").format(n=row.days_left)
            text = self.sentence(row) + (self.tr("（整寿）") if row.round and row.kind == "birthday" else "")
            cells = [row.on.isoformat(), left, QCoreApplication.translate("CadreReminders", row.kind_label),
                     row.person_name, text]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if row.round:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(n, column, item)
        fit(self.table)
        self.count.setText(self.tr("共 {n} 条").format(n=len(self.rows)))

    def sentence(self, row: Reminder) -> str:
        """The reminder in a sentence of the current language, from the core's structured data."""
        name, on = row.person_name, row.on.isoformat()
        if row.kind == "birthday":
            if row.lunar:  # the Chinese names the lunar day (正月初三); a translation may use the numbers
                note = self.tr("农历{lunar}").format(lunar=lunar_text(row.month, row.day), month=row.month,
                                                    day=row.day)
            else:
                note = self.tr("公历{month}月{day}日").format(month=row.month, day=row.day)
            text = self.tr("{name} {age} 岁生日（{note}）").format(name=name, age=row.years, note=note)
            return text + (self.tr("，逢十大寿") if row.round else "")
        if row.kind == "retirement":
            if row.overdue:
                return self.tr("{name} 已于 {date} 到法定退休时间，尚未办理退休").format(name=name, date=on)
            return self.tr("{name} 将于 {date} 到法定退休时间").format(name=name, date=on)
        if row.kind == "hospital":
            if row.place:
                return self.tr("{name} 自 {date} 起在{place}住院，宜探望").format(name=name, date=on, place=row.place)
            return self.tr("{name} 自 {date} 起住院，宜探望").format(name=name, date=on)
        if row.event == "party":
            text = self.tr("{name} 入党 {years} 周年").format(name=name, years=row.years)
            return text + (self.tr("（光荣在党 50 年）") if row.round else "")
        return self.tr("{name} 参加工作 {years} 周年").format(name=name, years=row.years)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            self.open_row(self.table.currentRow())
            return True
        return super().eventFilter(watched, event)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.opened.emit(self.rows[row].person_id)
