"""Sync from the desktop: one controller per signed-in context, and the progress dialog of a run.

The controller runs ``SyncClient.sync`` through the background-task helper, keeps the status the
status bar shows (online or not, last sync, pending edits, open conflicts) and tells views through
the context's change notice when a sync brought new data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from apps.common.conflict_state import ConflictInbox
from apps.common.context import ClientContext
from apps.common.errors import is_network_error, user_message
from apps.common.i18n import join_list
from apps.common.qt import (
    QCoreApplication,
    QDialog,
    QEvent,
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, Progress, TaskContext, is_cancellation
from apps.common.theme import set_role
from core.sync.client import LocalStore, SyncReport

log = logging.getLogger(__name__)
LAST_SYNC_KEY = "last_sync_at"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows; ``online`` is None until the server was tried."""

    online: bool | None = None
    last_sync: datetime | None = None
    pending: int = 0
    open_conflicts: int = 0
    running: bool = False


@dataclass(frozen=True)
class SyncOutcome:
    """How a run ended, for the window that started it."""

    report: SyncReport | None
    error: BaseException | None = None

    @property
    def cancelled(self) -> bool:
        return self.error is not None and is_cancellation(self.error)

    @property
    def ok(self) -> bool:
        return self.error is None


def read_status(store: LocalStore) -> tuple[datetime | None, int, int]:
    """Last sync time, pending outbox entries and open conflicts (worker thread: reads the database)."""
    raw = store.get_state(LAST_SYNC_KEY)
    last = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    return last, store.pending_count(), ConflictInbox(store).count_open()


def report_summary(report: SyncReport) -> str:
    """A translated one-line summary of a run (``SyncReport.summary`` is Chinese only)."""
    parts = [QCoreApplication.translate("SyncStatus", "上传 {n} 条").format(n=report.pushed),
             QCoreApplication.translate("SyncStatus", "下载 {n} 条").format(n=report.pulled_rows)]
    if report.conflicts:
        parts.append(QCoreApplication.translate("SyncStatus", "新冲突 {n} 条").format(n=report.conflicts))
    if report.rejected:
        parts.append(QCoreApplication.translate("SyncStatus", "被服务器拒绝 {n} 条").format(n=report.rejected))
    if report.full_resync:
        parts.append(QCoreApplication.translate("SyncStatus", "已完整重新同步"))
    return join_list(parts)


class SyncController(QObject):
    """Runs sync for one context and keeps its status; shared by every window of that context."""

    status_changed = Signal(object)  # SyncStatus
    started = Signal(object)  # BackgroundTask
    finished = Signal(object)  # SyncOutcome

    def __init__(self, context: ClientContext) -> None:
        super().__init__()
        self.context = context
        self.status = SyncStatus()
        self.task: BackgroundTask[SyncReport] | None = None
        self.last_outcome: SyncOutcome | None = None
        context.notice.changed.connect(self._data_changed)

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.status_changed.emit(self.status)

    def set_online(self, online: bool | None) -> None:
        """Record that the server answered (True) or could not be reached (False) outside a sync."""
        self._set(online=online)

    def _data_changed(self, reason: str) -> None:
        if reason != "sync":
            self.refresh()

    def refresh(self) -> BackgroundTask[tuple[datetime | None, int, int]]:
        """Re-read the counts from the local store in the background."""
        store = self.context.store
        return (BackgroundTask(lambda ctx: read_status(store), owner=self, name="sync-status")
                .on_success(self._counts)
                .on_failure(lambda exc: log.error("could not read the sync status: %s", exc))
                .start())

    def _counts(self, values: tuple[datetime | None, int, int]) -> None:
        last, pending, conflicts = values
        self._set(last_sync=last, pending=pending, open_conflicts=conflicts)

    @property
    def running(self) -> bool:
        return self.task is not None

    def sync_now(self) -> BackgroundTask[SyncReport] | None:
        """Start a run unless one is going; returns its task (progress and cancel go through it)."""
        if self.task is not None:
            return None
        client = self.context.sync_client
        store = self.context.store

        def work(ctx: TaskContext) -> SyncReport:
            report = client.sync(progress=ctx.progress, cancel=ctx.cancel)
            with store.session() as s, s.begin():
                LocalStore.put_state(s, LAST_SYNC_KEY, datetime.now(UTC).isoformat())
            return report

        task: BackgroundTask[SyncReport] = BackgroundTask(work, owner=self, name="sync")
        task.on_success(lambda report: self._done(SyncOutcome(report)))
        task.on_failure(lambda exc: self._done(SyncOutcome(None, exc)))
        task.on_cancelled(lambda exc: self._done(SyncOutcome(None, exc)))
        self.task = task
        self._set(running=True)
        task.start()
        self.started.emit(task)
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self, outcome: SyncOutcome) -> None:
        self.task = None
        self.last_outcome = outcome
        online = self.status.online
        if outcome.ok:
            online = True
        elif outcome.error is not None and is_network_error(outcome.error):
            online = False
        elif outcome.error is not None and not outcome.cancelled:
            log.info("sync failed: %s", outcome.error)
        self._set(running=False, online=online)
        self.refresh()
        if outcome.ok or outcome.cancelled:
            self.context.notice.changed.emit("sync")  # a cancelled run may have applied some pages
        self.finished.emit(outcome)


class SyncProgressDialog(QDialog):
    """Shows the stage and progress of a run; 取消同步 asks the worker to stop at the next step."""

    def __init__(self, controller: SyncController, task: BackgroundTask[Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncProgressDialog")
        self.setModal(True)
        self.setMinimumWidth(520)
        self.controller = controller
        self.task = task
        self.last_progress: Progress | None = None
        self.heading = set_role(QLabel(), "subtitle")
        self.stage_label = QLabel()
        self.stage_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.hint = set_role(QLabel(), "hint")
        self.hint.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        task.progressed.connect(self.show_progress)
        task.finished.connect(self.accept)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("同步"))
        self.heading.setText(self.tr("正在与服务器同步数据"))
        self.hint.setText(self.tr("可以随时取消：已完成的部分会保存，下次同步从中断处继续。"))
        if self.task.cancel_requested:
            self.cancel_button.setText(self.tr("正在取消…"))
        else:
            self.cancel_button.setText(self.tr("取消同步(&C)"))
        self._show_stage()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_progress(self, progress: Progress) -> None:
        self.last_progress = progress
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(min(progress.done, progress.total))
        else:
            self.bar.setRange(0, 0)
        self._show_stage()

    def _show_stage(self) -> None:
        p = self.last_progress
        if p is None:
            text = self.tr("正在连接服务器…")
        elif p.stage == "push":
            text = self.tr("正在上传本机的修改：{done} / {total} 条").format(done=p.done, total=p.total or p.done)
        elif p.stage == "pull":
            text = self.tr("正在下载服务器的数据：已收到 {done} 条").format(done=p.done)
        else:
            text = self.tr("正在核对数据…")
        self.stage_label.setText(text)

    def request_cancel(self) -> None:
        self.controller.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("正在取消…"))

    def reject(self) -> None:
        # Esc or the close box cancels; the dialog closes when the worker has stopped.
        if self.task.is_running:
            self.request_cancel()
        else:
            super().reject()


def outcome_message(outcome: SyncOutcome, server_url: str) -> str:
    if outcome.ok and outcome.report is not None:
        return QCoreApplication.translate("SyncStatus", "同步完成：{summary}").format(
            summary=report_summary(outcome.report))
    assert outcome.error is not None
    if is_network_error(outcome.error):
        return QCoreApplication.translate(
            "SyncStatus", "现在连不上服务器，您可以继续离线工作；修改保存在本机，联网后再同步。"
        ) + "\n" + user_message(outcome.error, server_url)
    return user_message(outcome.error, server_url)
