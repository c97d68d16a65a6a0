"""老干部名册: everyone in the record, narrowed as the clerk types a name, its pinyin or its initials
(``core.cadre.search.SearchIndex``) and by the filters (人员类别, 离休/退休, 党支部, 健在/已故, age range).
A double-click or Enter on a row opens the person (``opened``). Roles that keep the record get the batch
actions on the group shown (发送短信, 打印地址标签); administrators keep the greeting templates (短信模板)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from apps.cadre import data
from apps.cadre.batch import LabelsDialog, SmsDialog, TemplatesDialog
from apps.cadre.person_edit import field_text
from apps.common.qt import (
    QComboBox,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QSpinBox,
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

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None, *,
                 may_batch: bool = False, may_templates: bool = False,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("CadrePeople")
        self._session_factory = session_factory
        self._today = today
        self.everyone: list[data.PersonRow] = []
        self.rows: list[data.PersonRow] = []
        self.index = data.search_index([])
        self.dialog: Any = None
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
        self.category = QComboBox()
        self.kind = QComboBox()
        for text, value in ((self.tr("全部"), ""), (self.tr("离休"), "离休"), (self.tr("退休"), "退休"),
                            (self.tr("即将退休"), "upcoming")):
            self.kind.addItem(text, value)
        self.branch = QComboBox()
        self.alive = QComboBox()
        for text, alive in ((self.tr("全部"), None), (self.tr("健在"), True), (self.tr("已故"), False)):
            self.alive.addItem(text, alive)
        self.min_age, self.max_age = QSpinBox(), QSpinBox()
        for spin in (self.min_age, self.max_age):
            spin.setRange(0, 120)
            spin.setSpecialValueText(self.tr("不限"))
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance(spin.specialValueText()) + 60)
        self.sms_button = QPushButton(self.tr("发送短信…"))
        self.labels_button = QPushButton(self.tr("打印地址标签…"))
        self.templates_button = QPushButton(self.tr("短信模板…"))
        self.sms_button.setVisible(may_batch)
        self.labels_button.setVisible(may_batch)
        self.templates_button.setVisible(may_templates)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("查找：")))
        bar.addWidget(self.search, 1)
        bar.addWidget(self.export_button)
        filters = QHBoxLayout()
        widget: QWidget
        for widget in (QLabel(self.tr("人员类别")), self.category, QLabel(self.tr("离退休")), self.kind,
                       QLabel(self.tr("党支部")), self.branch, QLabel(self.tr("状态")), self.alive,
                       QLabel(self.tr("年龄")), self.min_age, QLabel(self.tr("至")), self.max_age):
            filters.addWidget(widget)
        filters.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for widget in (self.sms_button, self.labels_button, self.templates_button):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        for combo in (self.category, self.kind, self.branch, self.alive):
            combo.currentIndexChanged.connect(self.show_matches)
        for spin in (self.min_age, self.max_age):
            spin.valueChanged.connect(self.show_matches)
        self.sms_button.clicked.connect(self.open_sms)
        self.labels_button.clicked.connect(self.open_labels)
        self.templates_button.clicked.connect(self.open_templates)
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
            categories = data.category_choices(session)
            branches = data.branch_choices(session)
        self.index = data.search_index(self.everyone)
        for combo, choices in ((self.category, categories), (self.branch, branches)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("全部"), "")
            for value, name in choices:
                combo.addItem(name, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)
        self.show_matches()

    def group_filter(self) -> data.GroupFilter:
        low, high = self.min_age.value(), self.max_age.value()
        return data.GroupFilter(category=self.category.currentData() or "", kind=self.kind.currentData() or "",
                                branch=self.branch.currentData() or "", alive=self.alive.currentData(),
                                min_age=low or None, max_age=high or None)

    def show_matches(self, *_: object) -> None:
        self.rows = data.narrowed(self.everyone, self.index, self.search.text(), self.group_filter(), self._today())
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            name = row.name if row.alive else self.tr("{name}（已故）").format(name=row.name)
            cells = [name, field_text(row.gender), row.birth_date.isoformat() if row.birth_date else "",
                     field_text(row.stage_label), row.former_unit, row.former_post]
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
        fit(self.table)
        self.count.setText(self.tr("共 {n} 人").format(n=len(self.rows)))
        self.sms_button.setEnabled(bool(self.rows))
        self.labels_button.setEnabled(bool(self.rows))

    def person_ids(self) -> list[str]:
        return [row.person_id for row in self.rows]

    def open_sms(self) -> SmsDialog:
        self.dialog = SmsDialog(self._session_factory, self.person_ids(), today=self._today, parent=self)
        self.dialog.open()
        return self.dialog

    def open_labels(self) -> LabelsDialog:
        self.dialog = LabelsDialog(self._session_factory, self.person_ids(), parent=self)
        self.dialog.open()
        return self.dialog

    def open_templates(self) -> TemplatesDialog:
        self.dialog = TemplatesDialog(self._session_factory, parent=self)
        self.dialog.open()
        return self.dialog

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
