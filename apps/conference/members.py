"""Members of a meeting (与会人员): taken from the deputy registry or imported, with their IC cards.

The deputy registry (``reg_deputy``) is the one synced to this computer; the picker lists it with a
search box. A roster file (CSV or Excel with the columns 编号, 姓名, 席位, IC卡) can be imported too.
An IC card is entered by hand or read by a desk card reader (which types the card number into the
field); a card already bound to somebody else is refused with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from apps.common.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
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
    Signal,
)
from apps.common.theme import set_role
from apps.conference.services import DeputyEntry
from core.conference.meeting import Member
from core.conference.preparation import MeetingDraft, roster_text_from_xlsx


class DeputyPicker(QDialog):
    """Pick deputies from the registry: a search box and a checkable list."""

    def __init__(self, deputies: list[DeputyEntry], already: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("从代表库选择与会人员"))
        self.setObjectName("deputyPicker")
        self.resize(720, 760)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入姓名、代表团或单位查找"))
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        for d in deputies:
            text = " · ".join(part for part in (d.name, d.delegation, d.organisation) if part)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d)
            if d.deputy_id in already:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(text + self.tr("（已在会议中）"))
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.count_label = QLabel(self.tr("代表库共 %1 人").replace("%1", str(len(deputies))))
        select_all = QPushButton(self.tr("全选显示的代表"))
        select_all.clicked.connect(self.check_visible)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("加入会议"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        row.addWidget(select_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _filter(self, text: str) -> None:
        needle = text.strip()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in item.text())

    def check_visible(self) -> None:
        for item in self._items():
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked)

    def check(self, deputy_id: str) -> None:
        """Tick one deputy (keyboard users and tests)."""
        for item in self._items():
            entry: DeputyEntry = item.data(Qt.ItemDataRole.UserRole)
            if entry.deputy_id == deputy_id and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[DeputyEntry]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                if item.checkState() == Qt.CheckState.Checked]


class MembersTab(QWidget):
    """The members table, adding from the registry or a roster file, and IC card binding."""

    changed = Signal()
    message = Signal(str, bool)
    deputies_wanted = Signal()
    """The editor loads the registry in the background and calls :meth:`pick_deputies`."""

    def __init__(self, draft: MeetingDraft, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.can_edit = can_edit
        self.picker: DeputyPicker | None = None
        self.open_file: Callable[[], str] = self._ask_file
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("membersTable")
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("编号"), self.tr("席位"), self.tr("IC 卡")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selected)
        self.count_label = QLabel()
        self.add_button = set_role(QPushButton(self.tr("从代表库添加…")), "primary")
        self.add_button.clicked.connect(self.deputies_wanted.emit)
        self.import_button = QPushButton(self.tr("导入名单（CSV / Excel）…"))
        self.import_button.clicked.connect(self.import_file)
        self.remove_button = QPushButton(self.tr("移出所选人员"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.card_edit = QLineEdit()
        self.card_edit.setObjectName("cardEdit")
        self.card_edit.setPlaceholderText(self.tr("刷卡或输入 IC 卡号"))
        self.card_edit.returnPressed.connect(self.bind_card)
        self.bind_button = QPushButton(self.tr("绑定到所选人员"))
        self.bind_button.clicked.connect(self.bind_card)
        self.unbind_button = QPushButton(self.tr("解除绑定"))
        self.unbind_button.clicked.connect(self.unbind_card)
        for w in (self.add_button, self.import_button, self.remove_button, self.card_edit, self.bind_button,
                  self.unbind_button):
            w.setEnabled(can_edit)

        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.import_button)
        side.addWidget(self.remove_button)
        side.addSpacing(24)
        side.addWidget(set_role(QLabel(self.tr("IC 卡")), "subtitle"))
        side.addWidget(set_role(QLabel(self.tr("选中人员后刷卡（读卡器会填入卡号）或手工输入卡号，再点“绑定”。")), "hint"))
        side.addWidget(self.card_edit)
        side.addWidget(self.bind_button)
        side.addWidget(self.unbind_button)
        side.addStretch(1)
        for i in range(side.count()):
            item = side.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                widget.setWordWrap(True)
        main = QVBoxLayout()
        main.addWidget(self.count_label)
        main.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(main, 3)
        layout.addLayout(side, 1)
        self.refresh()

    def set_draft(self, draft: MeetingDraft) -> None:
        self.draft = draft
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_member()
        draft = self.draft
        self.table.setRowCount(len(draft.members))
        for row, m in enumerate(draft.members):
            seat = draft.seat_of(m.member_id)
            shown_id = "" if m.member_id in draft.deputies else m.member_id
            values = [m.name, shown_id, "" if seat is None else str(seat), draft.card_of(m.member_id) or ""]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, m.member_id)
                self.table.setItem(row, column, item)
        self.count_label.setText(self.tr("与会人员 %1 人").replace("%1", str(len(draft.members))))
        if selected is not None:
            self.select_member(selected)

    def select_member(self, member_id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == member_id:
                self.table.selectRow(row)
                return

    def selected_member(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _selected(self) -> None:
        member = self.selected_member()
        self.card_edit.setText("" if member is None else self.draft.card_of(member) or "")

    def _changed(self, problems: list[str], done: str) -> None:
        self.refresh()
        self.changed.emit()
        if problems:
            self.message.emit("；".join(problems[:6]) + ("……" if len(problems) > 6 else ""), True)
        else:
            self.message.emit(done, False)

    # --- adding ----------------------------------------------------------------------------------

    def pick_deputies(self, deputies: list[DeputyEntry], exec_dialog: bool = True) -> DeputyPicker:
        """Show the registry picker; chosen deputies join the meeting when it is accepted."""
        picker = DeputyPicker(deputies, set(self.draft.deputies.values()), self)
        self.picker = picker
        picker.accepted.connect(lambda: self.add_deputies(picker.chosen()))
        if exec_dialog:
            picker.open()
        return picker

    def add_deputies(self, chosen: list[DeputyEntry]) -> None:
        members = [Member(d.deputy_id, d.name) for d in chosen]
        problems = self.draft.add_members(members, {d.deputy_id: d.deputy_id for d in chosen})
        self._changed(problems, self.tr("已加入 %1 人").replace("%1", str(len(members) - len(problems))))

    def _ask_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("导入与会人员名单"), "",
                                              self.tr("名单 (*.csv *.xlsx)"))
        return path

    def import_file(self) -> None:
        path = self.open_file()
        if not path:
            return
        try:
            data = Path(path).read_bytes()
            text = roster_text_from_xlsx(data) if path.lower().endswith(".xlsx") else data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
            self.message.emit(self.tr("无法读取名单文件：%1").replace("%1", str(exc)), True)
            return
        before = len(self.draft.members)
        problems = self.draft.import_roster(text)
        self._changed(problems, self.tr("已导入 %1 人").replace("%1", str(len(self.draft.members) - before)))

    def remove_selected(self) -> None:
        member = self.selected_member()
        if member is None:
            self.message.emit(self.tr("请先选中一位人员"), True)
            return
        self.draft.remove_member(member)
        self._changed([], self.tr("已移出"))

    # --- cards -----------------------------------------------------------------------------------

    def bind_card(self) -> None:
        member = self.selected_member()
        if member is None:
            self.message.emit(self.tr("请先选中要绑定 IC 卡的人员"), True)
            return
        if not self.card_edit.text().strip():
            self.message.emit(self.tr("请刷卡或输入 IC 卡号"), True)
            return
        error = self.draft.bind_card(member, self.card_edit.text())
        if error:
            self.message.emit(error, True)
            return
        self._changed([], self.tr("IC 卡已绑定"))

    def unbind_card(self) -> None:
        member = self.selected_member()
        if member is None:
            self.message.emit(self.tr("请先选中一位人员"), True)
            return
        self.draft.bind_card(member, "")
        self.card_edit.clear()
        self._changed([], self.tr("已解除 IC 卡绑定"))
