"""The administrator's threshold editor: every numeric point with its four limits, saved all at once."""

from __future__ import annotations

from collections.abc import Callable

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.machine_room.data import LIMIT_COLUMNS, AlarmError, MonitorData, PointInfo

FIXED = (QT_TRANSLATE_NOOP("ConfigPage", "设备"), QT_TRANSLATE_NOOP("ConfigPage", "测点"))
LIMIT_HEADERS = (QT_TRANSLATE_NOOP("ConfigPage", "下限严重"), QT_TRANSLATE_NOOP("ConfigPage", "下限告警"),
                 QT_TRANSLATE_NOOP("ConfigPage", "上限告警"), QT_TRANSLATE_NOOP("ConfigPage", "上限严重"))


class ConfigPage(QWidget):
    def __init__(self, data: MonitorData, user: Callable[[], str] = lambda: "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._user = user
        self.points: list[PointInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("告警阈值（留空为不设）；改好后点保存，全部检查无误才会生效。")))
        self.table = QTableWidget(0, len(FIXED) + len(LIMIT_COLUMNS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("ConfigPage", h)
                                              for h in (*FIXED, *LIMIT_HEADERS)])
        self.table.setStyleSheet("font-size: 13pt;")
        layout.addWidget(self.table, 1)
        self.save_button = QPushButton(self.tr("保存阈值"))
        self.message = QLabel()
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        self.save_button.clicked.connect(self.save)
        self.reload()

    def reload(self) -> None:
        self.points = self._data.points()
        self.table.setRowCount(len(self.points))
        for r, p in enumerate(self.points):
            limits = dict(p.limits)
            for c, text in enumerate((p.device, p.label, *(f"{limits[n]:g}" if n in limits else ""
                                                          for n in LIMIT_COLUMNS))):
                item = QTableWidgetItem(text)
                if c < len(FIXED):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _text(self, r: int, c: int) -> str:
        item = self.table.item(r, c)
        return item.text() if item is not None else ""

    def save(self) -> None:
        rows = [(p.id, [self._text(r, len(FIXED) + c) for c in range(len(LIMIT_COLUMNS))])
                for r, p in enumerate(self.points)]
        try:
            self._data.save_limits(rows, self._user())
        except AlarmError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr("阈值已保存"))
        self.reload()
