"""Meeting preparation (主席团电子会务 · 会前准备): the app the launcher's "conference" tile opens.

:func:`create_window` puts a :class:`PrepWorkspace` in the suite's shell. The workspace shows the list
of meetings and the editor of one; every database step (list, load, save, the deputy registry) runs in a
background task. Who may prepare meetings is what the sync server checks (the conference app
permission); without it everything is shown read-only.
"""

from __future__ import annotations

from typing import Any

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from apps.conference.editor import MeetingEditor
from apps.conference.labels import STATUS_LABELS, tr_label
from apps.conference.services import HELD, DeputyEntry, MeetingSummary, PrepServices
from core.auth.roles import P_CONFERENCE_RECORDS
from core.conference.preparation import MeetingDraft


class MeetingListPage(QWidget):
    """Every prepared meeting, newest first, with new / open / withdraw."""

    open_requested = Signal(str)
    new_requested = Signal()
    delete_requested = Signal(str)

    def __init__(self, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingList")
        self.summaries: list[MeetingSummary] = []
        title = set_role(QLabel(self.tr("会前准备：会议列表")), "title")
        self.hint = set_role(QLabel(self.tr("新建会议，选定与会人员、安排席位、绑定 IC 卡、设置议程和表决规则，然后发送到会场。")), "hint")
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("会议名称"), self.tr("日期"), self.tr("地点"),
                                              self.tr("人数"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda *_: self._open())
        self.empty = set_role(QLabel(self.tr("还没有会议。点“新建会议”开始准备。")), "hint")
        self.new_button = set_role(QPushButton(self.tr("新建会议")), "primary")
        self.new_button.clicked.connect(self.new_requested.emit)
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(self._open)
        self.delete_button = QPushButton(self.tr("撤销会议"))
        self.delete_button.clicked.connect(self._delete)
        self.new_button.setEnabled(can_edit)
        self.delete_button.setEnabled(can_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def show_meetings(self, summaries: list[MeetingSummary]) -> None:
        self.summaries = summaries
        self.table.setRowCount(len(summaries))
        for row, m in enumerate(summaries):
            values = [m.title, m.meeting_date.isoformat() if m.meeting_date else "", m.place, str(m.members),
                      tr_label(STATUS_LABELS, m.status)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, m.meeting_key)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not summaries)
        if summaries:
            self.table.selectRow(0)

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _open(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.open_requested.emit(key)

    def _delete(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        title = next((m.title for m in self.summaries if m.meeting_key == key), "")
        answer = QMessageBox.question(self, self.tr("撤销会议"),
                                      self.tr("确定撤销会议“%1”吗？撤销后各终端同步时一并删除。").replace("%1", title))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(key)


class PrepWorkspace(QStackedWidget):
    """The meeting list and the editor of one meeting, over the local store."""

    busy_changed = Signal(bool)
    saved = Signal(str)
    """The key of a meeting just saved (tests and the status bar listen)."""
    loaded = Signal()

    def __init__(self, services: PrepServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conferencePrep")
        self.services = services
        self.list_page = MeetingListPage(services.can_edit)
        self.list_page.new_requested.connect(self.new_meeting)
        self.list_page.open_requested.connect(self.open_meeting)
        self.list_page.delete_requested.connect(self.delete_meeting)
        self.addWidget(self.list_page)
        self.editor: MeetingEditor | None = None
        self.tasks: set[BackgroundTask[Any]] = set()
        self.error_text = ""
        self.refresh()

    # --- background work -------------------------------------------------------------------------

    def _run(self, fn: Any, done: Any, name: str) -> BackgroundTask[Any]:
        task: BackgroundTask[Any] = BackgroundTask(fn, owner=self, name=name)
        self.tasks.add(task)
        task.on_success(done)
        task.on_failure(self._failed)
        task.on_finished(lambda: self._finished(task))
        self.busy_changed.emit(True)
        return task.start()

    def _finished(self, task: BackgroundTask[Any]) -> None:
        self.tasks.discard(task)
        self.busy_changed.emit(bool(self.tasks))

    def _failed(self, exc: BaseException) -> None:
        self.error_text = str(exc)
        if self.editor is not None and self.currentWidget() is self.editor:
            self.editor.show_message(self.tr("操作未完成：%1").replace("%1", str(exc)), True)
        else:
            self.list_page.hint.setText(self.tr("操作未完成：%1").replace("%1", str(exc)))

    @property
    def busy(self) -> bool:
        return bool(self.tasks)

    # --- list ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.services

        def load(_: TaskContext) -> list[MeetingSummary]:
            return services.meetings()

        def done(summaries: list[MeetingSummary]) -> None:
            self.list_page.show_meetings(summaries)
            self.loaded.emit()

        self._run(load, done, "conference-meetings")

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_page)
        self.refresh()

    # --- editor ----------------------------------------------------------------------------------

    def _edit(self, draft: MeetingDraft) -> MeetingEditor:
        if self.editor is not None:
            self.removeWidget(self.editor)
            self.editor.deleteLater()
        editor = MeetingEditor(draft, self.services.can_edit and draft.status not in HELD)
        editor.save_requested.connect(self.save)
        editor.back_requested.connect(self.show_list)
        editor.members.deputies_wanted.connect(self.pick_deputies)
        self.editor = editor
        self.addWidget(editor)
        self.setCurrentWidget(editor)
        return editor

    def new_meeting(self) -> MeetingEditor:
        from datetime import date

        return self._edit(MeetingDraft.new(meeting_date=date.today()))

    def open_meeting(self, meeting_key: str) -> None:
        services = self.services

        def load(_: TaskContext) -> MeetingDraft | None:
            return services.load(meeting_key)

        def done(draft: MeetingDraft | None) -> None:
            if draft is None:
                self._failed(LookupError(self.tr("会议已不存在（可能已被撤销）")))
                self.refresh()
                return
            self._edit(draft)
            self.loaded.emit()

        self._run(load, done, "conference-open")

    def save(self, draft: MeetingDraft, status: str) -> None:
        services = self.services

        def store(_: TaskContext) -> str:
            services.save(draft, status)
            return status

        def done(saved_status: str) -> None:
            if self.editor is not None and self.editor.draft is draft:
                self.editor.saved(saved_status)
            self.saved.emit(draft.meeting_id)

        self._run(store, done, "conference-save")

    def delete_meeting(self, meeting_key: str) -> None:
        services = self.services

        def withdraw(_: TaskContext) -> None:
            services.delete(meeting_key)

        self._run(withdraw, lambda _: self.refresh(), "conference-delete")

    def pick_deputies(self) -> None:
        services = self.services

        def load(_: TaskContext) -> list[DeputyEntry]:
            return services.deputies()

        def done(deputies: list[DeputyEntry]) -> None:
            if self.editor is not None:
                self.editor.members.pick_deputies(deputies)

        self._run(load, done, "conference-deputies")


def create_window(context: Any) -> QWidget:
    """The preparation app for a signed-in client (``apps.common.context.ClientContext``), in the shell."""
    from apps.common.shell import AppShell

    shell = AppShell(context, title=("ConferencePrep", QT_TRANSLATE_NOOP("ConferencePrep", "主席团电子会务 · 会前准备")))
    shell.setObjectName("AppShell_conference")
    can_edit = P_CONFERENCE_RECORDS in set(context.user.permissions)
    workspace = PrepWorkspace(PrepServices(context.store.session, can_edit=can_edit))
    shell.set_page(workspace)
    context.sync.finished.connect(lambda *_: workspace.refresh() if workspace.currentWidget() is workspace.list_page
                                  else None)
    shell.resize(1500, 960)
    return shell
