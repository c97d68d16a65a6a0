"""One strip for long work on this page: what is happening, a progress bar and a cancel button.

It runs the work with :class:`apps.common.tasks.BackgroundTask` (never on the GUI thread) and hands the
result to the caller's callbacks on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.common.qt import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget, Signal
from apps.common.tasks import BackgroundTask, Progress, TaskContext


class TaskStrip(QWidget):
    """Progress of the running job with a 取消 button; hidden while idle."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: BackgroundTask[Any] | None = None
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(240)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stage, 1)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.setVisible(False)

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.is_running

    def run(self, fn: Callable[[TaskContext], Any], *, on_success: Callable[[Any], None],
            on_failure: Callable[[BaseException], None], on_cancelled: Callable[[BaseException], None],
            first_stage: str) -> BackgroundTask[Any]:
        self.stage.setText(first_stage)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        task: BackgroundTask[Any] = BackgroundTask(fn, owner=self, name="budget-import")
        task.on_progress(self._progress).on_success(on_success).on_failure(on_failure) \
            .on_cancelled(on_cancelled).on_finished(self._finished)
        self.task = task
        self.busy_changed.emit(True)
        task.start()
        return task

    def cancel(self) -> None:
        if self.task is not None and self.task.is_running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.stage.setText(self.tr("正在取消……"))

    def _progress(self, progress: Progress) -> None:
        if self.task is not None and self.task.cancel_requested:
            return
        self.stage.setText(progress.stage)
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(min(progress.done, progress.total))
        else:
            self.bar.setRange(0, 0)

    def _finished(self) -> None:
        self.setVisible(False)
        self.busy_changed.emit(False)
