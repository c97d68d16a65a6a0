"""The administrator's device editor: the room file's devices (add, edit, remove) and each device's points.

The room file is the one the collector reads (``renda monitor run --config``, ``devices.monitor.config``); the
collector takes a saved change over within seconds. A refused edit names its field in Chinese (or English) and
saves nothing; every saved change is audited (``monitor.device.add`` / ``edit`` / ``remove``).
"""

from __future__ import annotations

from collections.abc import Callable

from apps.common.qt import (
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.machine_room.data import DeviceEntry, DeviceForm, DeviceRefused, MonitorData, model_of

FIELDS = ("id", "name", "model", "address", "interval", "timeout", "row", "column")
ERROR_STYLE = "color: #b71c1c; font-size: 13pt;"
FIELD_ERROR = "QLineEdit, QComboBox { border: 2px solid #c62828; }"


def refusal_text(exc: DeviceRefused) -> str:
    return QCoreApplication.translate("DevicesPage", exc.template).format(**exc.params)


class DevicesPage(QWidget):
    def __init__(self, data: MonitorData, user: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._user = user
        self.entries: list[DeviceEntry] = []
        self.editing: str | None = None  # the device being edited; None: a new one
        self.setStyleSheet("QLabel, QLineEdit, QComboBox, QPushButton, QListWidget { font-size: 14pt; }")
        layout = QHBoxLayout(self)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("设备（采集器读取的机房配置文件）")))
        self.list = QListWidget()
        side.addWidget(self.list, 1)
        self.add_button = QPushButton(self.tr("新增设备"))
        self.remove_button = QPushButton(self.tr("删除设备"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        side.addLayout(buttons)
        layout.addLayout(side, 2)

        right = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        right.addWidget(self.heading)
        form = QFormLayout()
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItem(self.tr("（不用型号：NUT、SNMP）"), "")
        for name in data.models():
            self.model.addItem(name, name)
        labels = {"id": self.tr("编号"), "name": self.tr("名称"), "model": self.tr("型号"),
                  "address": self.tr("地址"), "interval": self.tr("采集周期（秒）"),
                  "timeout": self.tr("超时（秒，可空）"), "row": self.tr("平面图行"), "column": self.tr("平面图列")}
        hints = {"id": self.tr("如 ac-3（小写字母、数字、-、_）"), "name": self.tr("如 3 号精密空调"),
                 "address": "modbus-tcp://192.168.1.20:502?unit=1", "interval": "5",
                 "timeout": self.tr("留空用地址或驱动的默认值"), "row": "1–20", "column": "1–20"}
        for key in FIELDS:
            widget: QLineEdit | QComboBox = self.model if key == "model" else QLineEdit()
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(hints.get(key, ""))
            widget.setObjectName(f"device_{key}")
            error = QLabel()
            error.setObjectName(f"device_{key}_error")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(error)
            form.addRow(labels[key], cell)
            self.inputs[key], self.errors[key] = widget, error
        right.addLayout(form)
        self.save_button = QPushButton(self.tr("保存设备"))
        right.addWidget(self.save_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        right.addWidget(QLabel(self.tr("测点（型号给出的和已采集到的）")))
        self.points = QTableWidget(0, 4)
        self.points.setHorizontalHeaderLabels([self.tr("测点"), self.tr("名称"), self.tr("单位"), self.tr("最新值")])
        self.points.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.points.setStyleSheet("font-size: 13pt;")
        self.points.horizontalHeader().setStretchLastSection(True)
        right.addWidget(self.points, 1)
        layout.addLayout(right, 5)

        self.list.currentRowChanged.connect(self._chosen)
        self.add_button.clicked.connect(self.new_device)
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button.clicked.connect(self.save)
        self.reload()

    # -- list -------------------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        self.entries = self._data.device_entries()
        current = select if select is not None else self.editing
        self.list.blockSignals(True)
        self.list.clear()
        for e in self.entries:
            item = QListWidgetItem(f"{e.name}（{e.id}）")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self._data.config_path is None or (not self.entries and self._data.config_error):
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(self._data.config_error or self.tr("没有设置机房配置文件，无法编辑设备"))
            self.save_button.setEnabled(False)
        ids = [e.id for e in self.entries]
        if current in ids:
            self.list.setCurrentRow(ids.index(current))
        elif ids:
            self.list.setCurrentRow(0)
        else:
            self.new_device()

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.show_entry(self.entries[row])

    def show_entry(self, e: DeviceEntry) -> None:
        self.editing = e.id
        self.heading.setText(self.tr("编辑设备：{name}").format(name=e.name))
        model = model_of(e.address)
        values = {"id": e.id, "name": e.name, "address": e.address, "interval": f"{e.interval:g}",
                  "timeout": "" if e.timeout is None else f"{e.timeout:g}",
                  "row": "" if e.row is None else str(e.row), "column": "" if e.column is None else str(e.column)}
        for key, text in values.items():
            widget = self.inputs[key]
            assert isinstance(widget, QLineEdit)
            widget.setText(text)
        index = self.model.findData(model)
        self.model.setCurrentIndex(index) if index >= 0 else self.model.setEditText(model)
        self.inputs["id"].setEnabled(False)  # points are stored under the id: a new id is a new device
        self._clear_errors()
        self._show_points(e)

    def new_device(self) -> None:
        self.editing = None
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.heading.setText(self.tr("新增设备"))
        for key, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                widget.setText("5" if key == "interval" else "")
        self.model.setCurrentIndex(0)
        self.inputs["id"].setEnabled(True)
        self._clear_errors()
        self.points.setRowCount(0)

    def _show_points(self, e: DeviceEntry) -> None:
        rows = self._data.device_points(e.id, e)
        self.points.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.points.setItem(r, c, QTableWidgetItem(text))
        self.points.resizeColumnsToContents()

    # -- saving -----------------------------------------------------------------------------------------
    def form(self) -> DeviceForm:
        texts = {k: w.text() for k, w in self.inputs.items() if isinstance(w, QLineEdit)}
        model = self.model.currentData() if self.model.currentText() == self.model.itemText(
            self.model.currentIndex()) else self.model.currentText()
        return DeviceForm(model=str(model or "").strip(), **texts)

    def _clear_errors(self) -> None:
        for key, label in self.errors.items():
            label.clear()
            label.hide()
            self.inputs[key].setStyleSheet("")
        self.message.clear()

    def _refused(self, exc: DeviceRefused) -> None:
        text = refusal_text(exc)
        field = exc.field if exc.field in self.errors else ""
        if field:
            self.errors[field].setText(text)
            self.errors[field].show()
            self.inputs[field].setStyleSheet(FIELD_ERROR)
            self.inputs[field].setFocus()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(self.tr("未保存：{reason}").format(reason=text))

    def save(self) -> None:
        self._clear_errors()
        try:
            entry = self._data.save_device(self.editing, self.form(), self._user())
        except DeviceRefused as exc:
            self._refused(exc)
            return
        self.reload(select=entry.id)
        self.message.setStyleSheet("color: #1b5e20; font-size: 13pt;")
        self.message.setText(self.tr("已保存 {name}：采集器几秒内按新配置采集").format(name=entry.name))

    def remove_selected(self) -> None:
        self._clear_errors()
        if self.editing is None:
            self.message.setText(self.tr("请先在左边选中一台设备"))
            return
        device = self.editing
        try:
            self._data.remove_device(device, self._user())
        except DeviceRefused as exc:
            self._refused(exc)
            return
        self.editing = None
        self.reload()
        self.message.setStyleSheet("color: #1b5e20; font-size: 13pt;")
        self.message.setText(self.tr("已删除设备 {id}（其历史数据保留）").format(id=device))
