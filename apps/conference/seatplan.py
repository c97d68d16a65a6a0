"""The seat-plan editor (席位安排): a grid of numbered seats and the members still without a seat.

Members are placed by dragging a name from the list onto a seat, or by selecting a member and a seat
and pressing the button; auto-fill seats everyone in roster order; seats are cleared one by one or all
at once. The rules (one seat per member, a taken seat is not overwritten) are those of
:class:`~core.conference.preparation.MeetingDraft`; this widget only shows and forwards.
"""

from __future__ import annotations

from apps.common.qt import (
    QAbstractItemView,
    QColor,
    QHBoxLayout,
    QItemSelectionModel,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QtGui,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.theme import set_role
from core.conference.preparation import MeetingDraft

MEMBER_MIME = "application/x-renda-member"
SEAT_SIZE = 118


class MemberList(QListWidget):
    """Members without a seat; each item drags its member id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setObjectName("unseatedMembers")

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        if items:
            data.setData(MEMBER_MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode("utf-8"))
        return data

    def mimeTypes(self) -> list[str]:
        return [MEMBER_MIME]

    def selected_member(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class SeatGrid(QTableWidget):
    """Seats numbered row by row; a member dropped on a seat is placed there."""

    member_dropped = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatGrid")
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.horizontalHeader().setVisible(False)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)
        self.columns = 10

    def seat_at(self, row: int, column: int) -> int:
        return row * self.columns + column + 1

    def cell_of(self, seat: int) -> tuple[int, int]:
        return divmod(seat - 1, self.columns)

    def selected_seats(self) -> list[int]:
        return sorted(self.seat_at(i.row(), i.column()) for i in self.selectedIndexes())

    def select_seat(self, seat: int) -> None:
        """Select exactly ``seat`` (whatever keys happen to be held: a held Ctrl would otherwise add to the
        selection in this extended-selection grid)."""
        row, column = self.cell_of(seat)
        self.setCurrentCell(row, column, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def show_plan(self, draft: MeetingDraft, columns: int, rows: int) -> None:
        """Draw ``rows`` × ``columns`` seats with their members."""
        self.columns = columns
        self.setColumnCount(columns)
        self.setRowCount(rows)
        names = {m.member_id: m.name for m in draft.members}
        for row in range(rows):
            self.setRowHeight(row, SEAT_SIZE * 2 // 3)
            for column in range(columns):
                seat = self.seat_at(row, column)
                member = draft.seats.get(seat)
                text = f"{seat}\n{names.get(member, '')}" if member else str(seat)
                if seat in draft.chair_seats:
                    text += "\n" + self.tr("（主席）")
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(Qt.ItemDataRole.UserRole, seat)
                if member:
                    item.setBackground(QColor("#fde8c8") if seat in draft.chair_seats else QColor("#d8ecd5"))
                self.setItem(row, column, item)
        for column in range(columns):
            self.setColumnWidth(column, SEAT_SIZE)

    # --- drops -----------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MEMBER_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QtGui.QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MEMBER_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        data = event.mimeData()
        if not index.isValid() or not data.hasFormat(MEMBER_MIME):
            event.ignore()
            return
        member = bytes(data.data(MEMBER_MIME).data()).decode("utf-8")
        event.acceptProposedAction()
        self.member_dropped.emit(self.seat_at(index.row(), index.column()), member)


class SeatPlanTab(QWidget):
    """The seat plan of the draft being edited."""

    changed = Signal()
    message = Signal(str, bool)
    """(text, is_error): feedback for the editor's message line."""

    def __init__(self, draft: MeetingDraft, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.can_edit = can_edit
        self.members = MemberList()
        self.grid = SeatGrid()
        self.grid.member_dropped.connect(self.place)
        self.columns = QSpinBox()
        self.columns.setRange(1, 40)
        self.columns.setValue(8)
        self.rows = QSpinBox()
        self.rows.setRange(1, 200)
        self.columns.valueChanged.connect(self.refresh)
        self.rows.valueChanged.connect(self.refresh)
        self.place_button = set_role(QPushButton(self.tr("安排到所选席位")), "primary")
        self.place_button.clicked.connect(self.place_selected)
        self.fill_button = QPushButton(self.tr("自动排座"))
        self.fill_button.clicked.connect(self.auto_fill)
        self.clear_button = QPushButton(self.tr("清空所选席位"))
        self.clear_button.clicked.connect(self.clear_selected)
        self.clear_all_button = QPushButton(self.tr("清空全部席位"))
        self.clear_all_button.clicked.connect(self.clear_all)
        self.chair_button = QPushButton(self.tr("设为 / 取消主席席位"))
        self.chair_button.clicked.connect(self.toggle_chair)
        self.unseated_label = QLabel()

        left = QVBoxLayout()
        left.addWidget(self.unseated_label)
        left.addWidget(self.members, 1)
        left.addWidget(set_role(QLabel(self.tr("把姓名拖到席位上，或选中人员和席位后点“安排到所选席位”。")), "hint"))
        size = QHBoxLayout()
        size.addWidget(QLabel(self.tr("每排席位数")))
        size.addWidget(self.columns)
        size.addWidget(QLabel(self.tr("排数")))
        size.addWidget(self.rows)
        size.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.place_button, self.fill_button, self.chair_button, self.clear_button,
                       self.clear_all_button):
            button.setEnabled(can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(size)
        right.addWidget(self.grid, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 4)
        self.grid.setAcceptDrops(can_edit)
        self.members.setDragEnabled(can_edit)
        self.fit_rows()
        self.refresh()

    def fit_rows(self) -> None:
        """Enough rows for every member and every assigned seat."""
        needed = max(len(self.draft.members), max(self.draft.seats, default=0), 1)
        columns = self.columns.value()
        self.rows.setValue(max(self.rows.value() if self.rows.value() > 1 else 1, -(-needed // columns)))

    def set_draft(self, draft: MeetingDraft) -> None:
        self.draft = draft
        self.fit_rows()
        self.refresh()

    def refresh(self) -> None:
        unseated = self.draft.unseated()
        self.members.clear()
        for m in unseated:
            item = QListWidgetItem(m.name)
            item.setData(Qt.ItemDataRole.UserRole, m.member_id)
            self.members.addItem(item)
        self.unseated_label.setText(self.tr("未安排席位：%1 人").replace("%1", str(len(unseated))))
        self.grid.show_plan(self.draft, self.columns.value(), self.rows.value())

    def _after(self, error: str | None, done: str = "") -> None:
        if error:
            self.message.emit(error, True)
            return
        self.refresh()
        self.changed.emit()
        if done:
            self.message.emit(done, False)

    def place(self, seat: int, member_id: str) -> None:
        """Place a member on a seat (drop or button)."""
        if not self.can_edit:
            return
        self._after(self.draft.assign(seat, member_id))

    def place_selected(self) -> None:
        member = self.members.selected_member()
        seats = self.grid.selected_seats()
        if member is None or len(seats) != 1:
            self.message.emit(self.tr("请先选中一位未安排席位的人员和一个席位"), True)
            return
        self.place(seats[0], member)

    def auto_fill(self) -> None:
        total = self.columns.value() * self.rows.value()
        count = len(self.draft.unseated())
        if count > total - len(self.draft.seats):
            self.rows.setValue(-(-(len(self.draft.seats) + count) // self.columns.value()))
            total = self.columns.value() * self.rows.value()
        placed = self.draft.auto_fill(range(1, total + 1))
        self._after(None, self.tr("已自动安排 %1 人").replace("%1", str(placed)))

    def clear_selected(self) -> None:
        for seat in self.grid.selected_seats():
            self.draft.unassign(seat)
        self._after(None)

    def clear_all(self) -> None:
        self.draft.clear_seats()
        self._after(None, self.tr("已清空全部席位"))

    def toggle_chair(self) -> None:
        seats = self.grid.selected_seats()
        if len(seats) != 1:
            self.message.emit(self.tr("请选中一个席位"), True)
            return
        seat = seats[0]
        self._after(self.draft.set_chair(seat, seat not in self.draft.chair_seats))
