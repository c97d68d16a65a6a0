"""The conflict inbox window: a thin Qt view over :class:`apps.common.conflict_state.ConflictInbox`."""

from __future__ import annotations

import json
import logging
from typing import Any

from apps.common.conflict_state import (
    DELETE,
    FIELD,
    REJECTED,
    UPDATE_DELETED,
    ConflictInbox,
    ConflictItem,
    ConflictNotOpen,
    ConflictUnresolvable,
)
from apps.common.context import ClientContext
from apps.common.errors import user_message
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QCoreApplication,
    QDialog,
    QEvent,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.shell import format_moment
from apps.common.tasks import BackgroundTask
from apps.common.theme import set_role

log = logging.getLogger(__name__)

KIND_LABELS = {
    FIELD: QT_TRANSLATE_NOOP("ConflictKind", "同时修改"),
    DELETE: QT_TRANSLATE_NOOP("ConflictKind", "删除与修改冲突"),
    UPDATE_DELETED: QT_TRANSLATE_NOOP("ConflictKind", "修改已删除的记录"),
    REJECTED: QT_TRANSLATE_NOOP("ConflictKind", "服务器拒绝"),
}


# Names of common fields, for tables whose columns carry no ``info["label"]`` of their own.
FIELD_LABELS = {
    "title": QT_TRANSLATE_NOOP("FieldLabel", "标题"),
    "body": QT_TRANSLATE_NOOP("FieldLabel", "正文"),
    "name": QT_TRANSLATE_NOOP("FieldLabel", "名称"),
    "reg_deputy.name": QT_TRANSLATE_NOOP("FieldLabel", "姓名"),
    "code": QT_TRANSLATE_NOOP("FieldLabel", "编码"),
    "parent_code": QT_TRANSLATE_NOOP("FieldLabel", "上级编码"),
    "doc_no": QT_TRANSLATE_NOOP("FieldLabel", "文号"),
    "kind": QT_TRANSLATE_NOOP("FieldLabel", "类别"),
    "classification": QT_TRANSLATE_NOOP("FieldLabel", "公开范围"),
    "domain": QT_TRANSLATE_NOOP("FieldLabel", "所属领域"),
    "year": QT_TRANSLATE_NOOP("FieldLabel", "年度"),
    "amount_fen": QT_TRANSLATE_NOOP("FieldLabel", "金额（分）"),
    "gender": QT_TRANSLATE_NOOP("FieldLabel", "性别"),
    "delegation": QT_TRANSLATE_NOOP("FieldLabel", "代表团"),
    "organisation": QT_TRANSLATE_NOOP("FieldLabel", "工作单位"),
    "expertise": QT_TRANSLATE_NOOP("FieldLabel", "专业特长"),
    "phone": QT_TRANSLATE_NOOP("FieldLabel", "电话"),
    "id_number": QT_TRANSLATE_NOOP("FieldLabel", "身份证号"),
    "filename": QT_TRANSLATE_NOOP("FieldLabel", "文件名"),
}


def kind_label(kind: str) -> str:
    source = KIND_LABELS.get(kind)
    return QCoreApplication.translate("ConflictKind", source) if source else kind


def field_text(item: ConflictItem) -> str:
    if item.field == "deleted":
        return QCoreApplication.translate("ConflictInbox", "（删除）")
    if not item.field:
        return QCoreApplication.translate("ConflictInbox", "（整条记录）")
    if item.field_label != item.field:  # the model names its own column
        return item.field_label
    source = FIELD_LABELS.get(f"{item.table_name}.{item.field}") or FIELD_LABELS.get(item.field)
    return QCoreApplication.translate("FieldLabel", source) if source else item.field


def value_text(value: Any) -> str:
    """A stored JSON value as a clerk reads it."""
    if value is None:
        return QCoreApplication.translate("ConflictInbox", "（空）")
    if isinstance(value, bool):
        return QCoreApplication.translate("ConflictInbox", "是") if value else \
            QCoreApplication.translate("ConflictInbox", "否")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value)


class ConflictTableModel(QAbstractTableModel):
    """Rows are :class:`ConflictItem`; the model only formats them."""

    HEADERS = (
        QT_TRANSLATE_NOOP("ConflictTableModel", "数据"),
        QT_TRANSLATE_NOOP("ConflictTableModel", "记录"),
        QT_TRANSLATE_NOOP("ConflictTableModel", "字段"),
        QT_TRANSLATE_NOOP("ConflictTableModel", "类型"),
        QT_TRANSLATE_NOOP("ConflictTableModel", "原因"),
        QT_TRANSLATE_NOOP("ConflictTableModel", "时间"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ConflictItem] = []

    def set_items(self, items: list[ConflictItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("ConflictTableModel", self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.items[index.row()]
        column = index.column()
        if column == 0:
            return item.table_label
        if column == 1:
            return item.record_label
        if column == 2:
            return field_text(item)
        if column == 3:
            return kind_label(item.kind)
        if column == 4:
            return item.reason
        return format_moment(item.at)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, len(self.HEADERS) - 1))


class ConflictInboxWindow(QDialog):
    """Open conflicts, their values side by side, and the two ways to resolve one."""

    loaded = Signal(int)  # number of open conflicts shown
    resolved = Signal(str)  # conflict id

    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictInboxWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(1000, 680)
        self.context = context
        self.inbox = ConflictInbox(context.store)
        self.model = ConflictTableModel(self)
        self._busy = False
        self.message_box: QMessageBox | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.empty_label = set_role(QLabel(), "notice")
        self.empty_label.hide()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())

        self.detail_box = QGroupBox()
        self.detail_heading = QLabel()
        self.detail_heading.setWordWrap(True)
        self.reason_label = set_role(QLabel(), "hint")
        self.reason_label.setWordWrap(True)
        self.base_title, self.server_title, self.mine_title = QLabel(), QLabel(), QLabel()
        self.base_view, self.server_view, self.mine_view = QTextEdit(), QTextEdit(), QTextEdit()
        values = QGridLayout()
        for column, (title, view) in enumerate(((self.base_title, self.base_view),
                                                (self.server_title, self.server_view),
                                                (self.mine_title, self.mine_view))):
            view.setReadOnly(True)
            view.setMinimumHeight(80)
            view.setMaximumHeight(220)
            title.setBuddy(view)
            values.addWidget(title, 0, column)
            values.addWidget(view, 1, column)
        self.current_note = set_role(QLabel(), "hint")
        self.current_note.setWordWrap(True)
        detail = QVBoxLayout(self.detail_box)
        detail.addWidget(self.detail_heading)
        detail.addWidget(self.reason_label)
        detail.addLayout(values)
        detail.addWidget(self.current_note)

        self.keep_server_button = QPushButton()
        self.keep_server_button.clicked.connect(self.keep_server)
        self.use_mine_button = QPushButton()
        self.use_mine_button.clicked.connect(self.use_mine)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_server_button)
        buttons.addWidget(self.use_mine_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        context.notice.changed.connect(self._data_changed)
        self.retranslate()
        self._show_detail()
        self.reload()

    # texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("冲突记录"))
        self.intro.setText(self.tr(
            "下面这些修改与他人的修改冲突。服务器上的值目前有效，您的值没有丢失。"
            "请逐条选择：保留服务器的值，或改用您的值。"))
        self.empty_label.setText(self.tr("没有待处理的冲突。"))
        self.detail_box.setTitle(self.tr("详细情况"))
        self.base_title.setText(self.tr("修改前的值"))
        self.server_title.setText(self.tr("服务器上的值（他人修改）"))
        self.mine_title.setText(self.tr("您的值"))
        self.keep_server_button.setText(self.tr("保留服务器的值(&K)"))
        self.use_mine_button.setText(self.tr("改用我的值(&M)"))
        self.refresh_button.setText(self.tr("刷新(&R)"))
        self.close_button.setText(self.tr("关闭"))
        self.model.retranslate()
        self._show_detail()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # loading ---------------------------------------------------------------------------------
    def _data_changed(self, reason: str) -> None:
        if reason != "conflicts":  # our own resolutions reload directly
            self.reload()

    def reload(self) -> None:
        inbox = self.inbox
        BackgroundTask(lambda ctx: inbox.open_items(), owner=self, name="conflicts") \
            .on_success(self._show_items) \
            .on_failure(self._failed) \
            .start()

    def _show_items(self, items: list[ConflictItem]) -> None:
        selected = self.selected()
        self.model.set_items(items)
        row = next((i for i, item in enumerate(items) if selected and item.id == selected.id), 0)
        if items:
            self.table.selectRow(row)
        self.empty_label.setVisible(not items)
        self._show_detail()
        self.loaded.emit(len(items))

    def selected(self) -> ConflictItem | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= len(self.model.items):
            return None
        return self.model.items[index.row()]

    def _show_detail(self) -> None:
        item = self.selected()
        self.detail_box.setEnabled(item is not None)
        self.keep_server_button.setEnabled(item is not None and not self._busy)
        self.use_mine_button.setEnabled(item is not None and item.can_use_mine and not self._busy)
        if item is None:
            self.detail_heading.setText(self.tr("请在上表中选择一条冲突。"))
            self.reason_label.clear()
            for view in (self.base_view, self.server_view, self.mine_view):
                view.clear()
            self.current_note.clear()
            return
        self.detail_heading.setText(self.tr("{table}“{record}”的{field}：{kind}").format(
            table=item.table_label, record=item.record_label, field=field_text(item),
            kind=kind_label(item.kind)))
        self.reason_label.setText(item.reason)
        self.base_view.setPlainText(value_text(item.base_value))
        self.server_view.setPlainText(value_text(item.server_value))
        self.mine_view.setPlainText(value_text(item.client_value))
        if item.kind == FIELD and item.record_present and item.current_value != item.server_value:
            self.current_note.setText(self.tr("注意：这个字段后来又被修改，现在的值是：{value}").format(
                value=value_text(item.current_value)))
        elif not item.record_present and item.kind != REJECTED:
            self.current_note.setText(self.tr("这条记录不在本机上，只能保留服务器的值。"))
        else:
            self.current_note.clear()

    # resolving -------------------------------------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        """Ask before a change that cannot be undone here; tests replace this method."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def keep_server(self) -> None:
        item = self.selected()
        if item is None or self._busy:
            return
        if not self.confirm(self.tr("保留服务器的值"), self.tr(
                "将保留服务器上的值，您的值“{mine}”将被放弃。确定吗？").format(mine=_short(item.client_value))):
            return
        self._resolve(item, keep_server=True)

    def use_mine(self) -> None:
        item = self.selected()
        if item is None or self._busy or not item.can_use_mine:
            return
        if not self.confirm(self.tr("改用我的值"), self.tr(
                "将用您的值“{mine}”替换服务器上的值“{server}”，同步后他人也会看到。确定吗？").format(
                mine=_short(item.client_value), server=_short(item.server_value))):
            return
        self._resolve(item, keep_server=False)

    def _resolve(self, item: ConflictItem, keep_server: bool) -> None:
        inbox = self.inbox
        self._busy = True
        self._show_detail()

        def work(ctx: object) -> str:
            if keep_server:
                inbox.keep_server(item.id)
            else:
                inbox.use_mine(item.id)
            return item.id

        BackgroundTask(work, owner=self, name="resolve-conflict") \
            .on_success(self._resolved) \
            .on_failure(self._failed) \
            .on_finished(self._not_busy) \
            .start()

    def _not_busy(self) -> None:
        self._busy = False
        self._show_detail()

    def _resolved(self, conflict_id: str) -> None:
        self.context.notice.changed.emit("conflicts")
        self.resolved.emit(conflict_id)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        log.info("conflict inbox: %s", error)
        known = isinstance(error, ConflictNotOpen | ConflictUnresolvable)
        text = str(error) if known else user_message(error, self.context.server_url)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("冲突记录"), text, QMessageBox.StandardButton.Ok, self)
        self.message_box = box
        box.open()
        self.reload()


def _short(value: Any, limit: int = 40) -> str:
    text = value_text(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
