"""The alarm list: active alarms, filters, acknowledging with a comment, and a bell for each new alarm.

QtMultimedia is not part of PySide6-Essentials, so the sound is the system bell (``QApplication.beep``).
"""

from __future__ import annotations

from collections.abc import Callable

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QApplication,
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.machine_room.data import AlarmError, AlarmRow, MonitorData
from apps.machine_room.room_plan import state_word

HEADERS = (QT_TRANSLATE_NOOP("AlarmsPage", "发生时间"), QT_TRANSLATE_NOOP("AlarmsPage", "设备"),
           QT_TRANSLATE_NOOP("AlarmsPage", "测点"), QT_TRANSLATE_NOOP("AlarmsPage", "告警内容"),
           QT_TRANSLATE_NOOP("AlarmsPage", "级别"), QT_TRANSLATE_NOOP("AlarmsPage", "数值"),
           QT_TRANSLATE_NOOP("AlarmsPage", "确认人"), QT_TRANSLATE_NOOP("AlarmsPage", "状态"))
ROW_COLOURS = {"critical": "#ffcdd2", "warning": "#ffe0b2"}


class AlarmsPage(QWidget):
    def __init__(self, data: MonitorData, user: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._user = user
        self._known: set[str] | None = None
        self.rows: list[AlarmRow] = []
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.severity = QComboBox()
        for text, value in ((self.tr("全部级别"), ""), (self.tr("严重"), "critical"), (self.tr("告警"), "warning")):
            self.severity.addItem(text, value)
        self.unacked = QCheckBox(self.tr("只看未确认"))
        filters.addWidget(self.severity)
        filters.addWidget(self.unacked)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("AlarmsPage", h) for h in HEADERS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setStyleSheet("font-size: 14pt;")
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        ack = QHBoxLayout()
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("确认说明（如：已通知空调厂家）"))
        self.ack_button = QPushButton(self.tr("确认告警"))
        self.message = QLabel()
        ack.addWidget(self.comment, 1)
        ack.addWidget(self.ack_button)
        layout.addLayout(ack)
        layout.addWidget(self.message)
        self.severity.currentIndexChanged.connect(self.reload)
        self.unacked.toggled.connect(self.reload)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.bells = 0
        self.reload()

    def reload(self, *_: object) -> None:
        self.rows = self._data.alarms(self.severity.currentData() or "", self.unacked.isChecked())
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            state = (self.tr("已确认") if row.acked_by else self.tr("未确认")) + (self.tr("，已恢复") if row.cleared else "")
            point = self.tr("通信") if row.point == "通信" else row.point
            cells = (row.raised, row.device, point, row.what, state_word(row.severity), row.value, row.acked_by, state)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.severity in ROW_COLOURS and not row.acked_by:
                    item.setBackground(QBrush(QColor(ROW_COLOURS[row.severity])))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        ids = {row.id for row in self.rows if not row.acked_by}
        if self._known is not None and ids - self._known:
            self.bells += 1
            QApplication.beep()
        self._known = ids if self._known is None else self._known | ids

    def acknowledge_selected(self) -> None:
        r = self.table.currentRow()
        if r < 0 or r >= len(self.rows):
            self.message.setText(self.tr("请先选中一条告警"))
            return
        try:
            self._data.acknowledge(self.rows[r].id, self._user(), self.comment.text())
        except AlarmError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr("已确认：{device} {what}").format(device=self.rows[r].device, what=self.rows[r].what))
        self.comment.clear()
        self.reload()
