"""The background-task helper: results, errors, progress and cancellation come back by signal."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import pytest
from pytestqt.qtbot import QtBot

from apps.common.qt import QApplication, QObject, Qt, QTableWidget, QThread, QThreadPool
from apps.common.tasks import BackgroundTask, Progress, TaskCancelled, TaskContext
from core.sync.transport import Cancelled
from tests.helpers.waits import WAIT_MS


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    worker_threads: list[object] = []
    callback_threads: list[object] = []

    def work(ctx: TaskContext) -> int:
        worker_threads.append(QThread.currentThread())
        return 6 * 7

    task = BackgroundTask(work).on_success(lambda value: callback_threads.append(QThread.currentThread()))
    with qtbot.waitSignal(task.succeeded) as blocker:
        task.start()
    assert blocker.args == [42]
    assert callback_threads == [QApplication.instance().thread()]  # type: ignore[union-attr]
    assert worker_threads and worker_threads[0] is not callback_threads[0]
    assert not task.is_running


def test_error_arrives_as_failed(qtbot: QtBot) -> None:
    seen: list[BaseException] = []

    def work(ctx: TaskContext) -> None:
        raise ValueError("坏数据")

    task = BackgroundTask(work).on_failure(seen.append)
    with qtbot.waitSignal(task.failed) as blocker:
        task.start()
    assert isinstance(blocker.args[0], ValueError)
    assert str(seen[0]) == "坏数据"


def test_progress_arrives_in_order_before_the_result(qtbot: QtBot) -> None:
    received: list[Progress] = []

    def work(ctx: TaskContext) -> str:
        for i in range(1, 4):
            ctx.progress("push", i, 3)
        return "done"

    task = BackgroundTask(work).on_progress(received.append)
    with qtbot.waitSignals([task.succeeded, task.finished], order="strict"):
        task.start()
    assert received == [Progress("push", 1, 3), Progress("push", 2, 3), Progress("push", 3, 3)]


def test_cancel_sets_the_event_and_reports_cancelled(qtbot: QtBot) -> None:
    started = threading.Event()

    def work(ctx: TaskContext) -> None:
        ctx.progress("wait", 0)
        started.set()
        assert ctx.cancel.wait(10), "cancel never came"
        ctx.check_cancelled()

    task: BackgroundTask[None] = BackgroundTask(work)
    with qtbot.waitSignal(task.progressed):
        task.start()
    with qtbot.waitSignal(task.cancelled) as blocker:
        task.cancel()
    assert isinstance(blocker.args[0], TaskCancelled)
    assert started.is_set()


def test_sync_cancelled_error_counts_as_cancellation(qtbot: QtBot) -> None:
    def work(ctx: TaskContext) -> None:
        raise Cancelled("同步已取消")

    task: BackgroundTask[None] = BackgroundTask(work)
    with qtbot.waitSignal(task.cancelled):
        task.start()


def test_callbacks_skip_an_owner_that_is_gone(qtbot: QtBot) -> None:
    owner = QObject()
    gate = threading.Event()
    called: list[int] = []
    task = BackgroundTask(lambda ctx: gate.wait(10) and 1, owner=owner).on_success(called.append)
    task.start()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    with qtbot.waitSignal(task.succeeded):
        gate.set()
    assert called == []


def test_start_twice_is_refused(qtbot: QtBot) -> None:
    gate = threading.Event()
    task = BackgroundTask(lambda ctx: gate.wait(10))
    task.start()
    with pytest.raises(RuntimeError):
        task.start()
    with qtbot.waitSignal(task.finished):
        gate.set()


class _Page(QTableWidget):
    """A page the way the suite writes them: it keeps its task, and the task's callbacks point back at it."""

    deaths: ClassVar[list[bool]] = []

    def __init__(self) -> None:
        super().__init__(20, 4)
        self.tag = _Tag(self)
        self.task: BackgroundTask[None] = BackgroundTask(lambda ctx: None, owner=self).on_success(self._show)

    def _show(self, _result: None) -> None:
        self.setRowCount(1)


class _Tag:
    """Records on which thread the cycle it belongs to was collected (the widget dies in the same pass)."""

    def __init__(self, page: _Page) -> None:
        self.page = page

    def __del__(self) -> None:
        _Page.deaths.append(threading.current_thread() is threading.main_thread())


def test_widgets_in_reference_cycles_are_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    """A worker that allocates must never run the cyclic collector over unreachable widgets.

    Closed pages that keep their task (page → task → bound method → page) are garbage only the cyclic
    collector frees. Before the fix it ran in whichever thread allocated, often a worker, and the widget
    destructors raced the GUI thread's painting: ``Fatal Python error: Segmentation fault`` in
    ``qtbot.waitUntil``. Now collection is off in every thread and runs on the GUI thread's timer.
    """
    assert not gc.isenabled()
    _Page.deaths.clear()
    shown = QTableWidget(50, 5)
    qtbot.addWidget(shown)
    shown.show()
    for _ in range(40):
        page = _Page()
        page.show()
        page.close()
        del page
    done: list[int] = []

    def allocate(ctx: TaskContext) -> int:
        junk = [[i] for i in range(200_000)]  # far past the collector's allocation threshold
        return len(junk)

    BackgroundTask(allocate).on_success(done.append).start()
    qtbot.waitUntil(lambda: bool(done))  # the GUI thread allocates little meanwhile
    gc.collect()  # on the GUI thread: whatever the worker did not collect goes now
    assert len(_Page.deaths) == 40
    assert all(_Page.deaths), f"{_Page.deaths.count(False)} of 40 pages were destroyed in a worker thread"


def test_a_page_closed_and_deleted_while_its_task_runs_gets_no_callbacks(qtbot: QtBot) -> None:
    gate = threading.Event()
    shown: list[int] = []

    class Page(QTableWidget):
        def __init__(self) -> None:
            super().__init__(3, 3)
            self.task: BackgroundTask[int] = BackgroundTask(lambda ctx: int(gate.wait(30)), owner=self)
            self.task.on_success(self._show)

        def _show(self, n: int) -> None:
            shown.append(n)
            self.setRowCount(n)

    page = Page()
    page.show()
    task = page.task.start()
    page.close()
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page))
    with qtbot.waitSignal(task.finished):
        gate.set()
    assert shown == [] and not task.is_running


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_every_qt_object_of_a_task_is_destroyed_on_the_gui_thread(qtbot: QtBot) -> None:
    """A worker must never release the last reference to a ``QObject``: Qt forbids destroying one outside
    the thread it lives in, and the GUI thread may be delivering its queued calls at that moment.

    The task used to make a ``QObject`` per run for its worker to signal through, and the worker's runnable
    kept a reference to it. When the GUI thread had taken the result before the thread pool released the
    runnable, that object was destroyed in the worker (about one run in a hundred): ``Fatal Python error:
    Segmentation fault`` inside ``qtbot.waitSignal``, in the event loop, with no Python frame under it.
    """
    on_gui: list[bool] = []
    tasks_gone: list[int] = []

    def watch(obj: QObject, is_task: bool) -> None:
        def gone(*_: object) -> None:
            on_gui.append(threading.current_thread() is threading.main_thread())
            if is_task:
                tasks_gone.append(1)

        obj.destroyed.connect(gone, Qt.ConnectionType.DirectConnection)

    runs = 0
    for _round in range(100):
        for _ in range(10):
            task: BackgroundTask[int] = BackgroundTask(lambda ctx: sum(range(2_000)))
            task.start()
            watch(task, True)
            for part in vars(task).values():
                if isinstance(part, QObject):
                    watch(part, False)
            runs += 1
            del task
        qtbot.waitUntil(lambda: BackgroundTask.active_count() == 0)
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)
    gc.collect()  # on the GUI thread, as the application's collector does
    qtbot.waitUntil(lambda: len(tasks_gone) == runs)
    assert all(on_gui), f"{on_gui.count(False)} Qt objects of {runs} tasks were destroyed in a worker thread"
