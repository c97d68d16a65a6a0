"""The one way the desktop apps run slow work (database, network, sync, files) off the GUI thread.

A :class:`BackgroundTask` runs a callable in a ``QThreadPool`` worker. The callable receives a
:class:`TaskContext` with a ``threading.Event`` to poll for cancellation and a ``progress`` function.
Results, errors and progress come back as signals delivered on the GUI thread, so callbacks may touch
widgets; the worker never does::

    BackgroundTask(lambda ctx: store.pending_count(), owner=self) \\
        .on_success(self._show_count) \\
        .on_failure(self._show_error) \\
        .start()

Qt objects must be destroyed on the GUI thread. Python's cyclic garbage collector runs in whichever
thread happens to allocate when a threshold is reached, and the worker threads (SQLAlchemy, HTTP) allocate
a lot: left alone, it collects unreachable windows, pages and dialogs held in reference cycles (a page and
the task it keeps, a lambda connected to a child's signal) inside a worker, and the widget destructors
then race the GUI thread's painting — a segmentation fault under load. :func:`collect_garbage_on_gui_thread`
(called by ``apps.common.application.application`` for every entry point) turns automatic collection off
and runs it from a timer on the GUI thread instead, with the interpreter's own thresholds.
"""

from __future__ import annotations

import functools
import gc
import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import shiboken6

from apps.common.qt import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from core.sync.transport import Cancelled

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskCancelled(Exception):
    """Raised by :meth:`TaskContext.check_cancelled` when the user asked to stop."""


@dataclass(frozen=True)
class Progress:
    """One progress report: a stage name chosen by the callable, work done, and the total if known."""

    stage: str
    done: int
    total: int | None = None


class TaskContext:
    """Handed to the callable in the worker: cancellation flag and progress reporting."""

    def __init__(self, cancel: threading.Event, report: Callable[[Progress], None]) -> None:
        self.cancel = cancel
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise TaskCancelled()

    def progress(self, stage: str, done: int, total: int | None = None) -> None:
        """Report progress; same signature as ``core.sync.client.Progress`` so it can be passed on."""
        self._report(Progress(stage, done, total))


class _Reporter(QObject):
    """The one object every worker reports through, by task number (queued to the GUI thread).

    It is made once, on the GUI thread, and never destroyed, so a worker never holds the last reference to
    a ``QObject``: Qt forbids destroying one outside the thread it lives in. (A ``QObject`` per run, kept
    by the worker's runnable, was destroyed in the worker whenever the GUI thread had already taken the
    result when the thread pool let go of the runnable: a segmentation fault in the GUI thread's event loop,
    about once in a hundred runs.)
    """

    progressed = Signal(object, object)
    done = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.done.connect(self._done, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _progressed(self, number: int, progress: Progress) -> None:
        task = BackgroundTask._active.get(number)
        if task is not None:
            task._deliver_progress(progress)

    @Slot(object)
    def _done(self, number: int) -> None:
        task = BackgroundTask._active.get(number)
        if task is not None:
            task._deliver_done()


@functools.cache
def _the_reporter() -> _Reporter:
    """The reporter, made on first use (always on the GUI thread: only ``start`` asks for it)."""
    return _Reporter()


class _Runner(QRunnable):
    """Runs the callable, puts ``(result, error)`` in the task's outbox, then says so (``report_done``).

    The runnable holds no Qt object, only the callable, its context, the outbox and the report; the worker lets
    go of the callable and its context *before* it reports: the task (held on the GUI thread until delivery)
    keeps them, so the last reference to anything the callable closed over (a page, a dialog) or its
    error's traceback reached is always dropped on the GUI thread.
    """

    def __init__(self, fn: Callable[[TaskContext], Any], context: TaskContext, report_done: Callable[[], None],
                 outbox: list[tuple[Any, BaseException | None]]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn: Callable[[TaskContext], Any] | None = fn
        self._context: TaskContext | None = context
        self._report_done = report_done
        self._outbox = outbox

    def run(self) -> None:
        fn, context = self._fn, self._context
        self._fn = self._context = None
        assert fn is not None and context is not None
        try:
            self._outbox.append((fn(context), None))
        except BaseException as exc:
            self._outbox.append((None, exc))
        del fn, context
        self._report_done()


def is_cancellation(error: BaseException) -> bool:
    """True for errors that mean "the user stopped it" rather than "it went wrong"."""
    return isinstance(error, TaskCancelled | Cancelled)


class BackgroundTask(QObject, Generic[T]):
    """Runs ``fn(context)`` in a worker thread and reports back on the GUI thread.

    Signals (all on the GUI thread): ``progressed(Progress)``, then exactly one of
    ``succeeded(result)``, ``failed(exception)`` or ``cancelled(exception)``, then ``finished()``.
    Callbacks given with ``on_*`` run only while ``owner`` (if any) still exists.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal(object)
    finished = Signal()

    _active: ClassVar[dict[int, BackgroundTask[Any]]] = {}
    _numbers: ClassVar[Iterator[int]] = itertools.count(1)

    def __init__(self, fn: Callable[[TaskContext], T], owner: QObject | None = None, name: str = "") -> None:
        super().__init__()
        self._fn = fn
        self._owner = owner
        self.name = name or getattr(fn, "__name__", "task")
        self._cancel = threading.Event()
        self._number = 0
        self._outbox: list[tuple[Any, BaseException | None]] = []
        self._running = False
        self._success: list[Callable[[T], None]] = []
        self._failure: list[Callable[[BaseException], None]] = []
        self._cancelled: list[Callable[[BaseException], None]] = []
        self._progress: list[Callable[[Progress], None]] = []
        self._finished: list[Callable[[], None]] = []

    # fluent set-up --------------------------------------------------------------------------
    def on_success(self, callback: Callable[[T], None]) -> BackgroundTask[T]:
        self._success.append(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> BackgroundTask[T]:
        self._failure.append(callback)
        return self

    def on_cancelled(self, callback: Callable[[BaseException], None]) -> BackgroundTask[T]:
        self._cancelled.append(callback)
        return self

    def on_progress(self, callback: Callable[[Progress], None]) -> BackgroundTask[T]:
        self._progress.append(callback)
        return self

    def on_finished(self, callback: Callable[[], None]) -> BackgroundTask[T]:
        self._finished.append(callback)
        return self

    # running ---------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> BackgroundTask[T]:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("BackgroundTask.start() must be called on the GUI thread")
        if self._running:
            raise RuntimeError(f"task {self.name} is already running")
        self._running = True
        self._number = number = next(BackgroundTask._numbers)
        BackgroundTask._active[number] = self
        reporter = _the_reporter()
        context = TaskContext(self._cancel, functools.partial(reporter.progressed.emit, number))
        self._outbox = []
        runner = _Runner(self._fn, context, functools.partial(reporter.done.emit, number), self._outbox)
        (pool or QThreadPool.globalInstance()).start(runner)
        return self

    def cancel(self) -> None:
        """Ask the callable to stop; it decides when (it polls ``context.cancel``)."""
        self._cancel.set()

    # delivery on the GUI thread ---------------------------------------------------------------
    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def _deliver_progress(self, progress: Progress) -> None:
        if not self._running:
            return
        self.progressed.emit(progress)
        if self._owner_alive():
            for callback in self._progress:
                callback(progress)

    def _deliver_done(self) -> None:
        outcome: tuple[Any, BaseException | None] = (
            self._outbox.pop() if self._outbox else (None, RuntimeError("task reported no outcome")))
        result, error = outcome
        self._running = False
        BackgroundTask._active.pop(self._number, None)
        alive = self._owner_alive()
        try:
            if error is None:
                self.succeeded.emit(result)
                if alive:
                    for ok in self._success:
                        ok(result)
            elif is_cancellation(error) or (self._cancel.is_set() and isinstance(error, Exception)):
                self.cancelled.emit(error)
                if alive:
                    for stopped in self._cancelled:
                        stopped(error)
            else:
                self.failed.emit(error)
                if not self._failure:
                    log.error("后台任务 %s 出错", self.name, exc_info=error)
                elif alive:
                    for bad in self._failure:
                        bad(error)
        finally:
            self.finished.emit()
            if alive:
                for done in self._finished:
                    done()

    @classmethod
    def active_count(cls) -> int:
        """How many tasks have started and not yet reported back (for shutdown and screenshots)."""
        return len(cls._active)


def wait_for_tasks(timeout_ms: int = 120_000, ignore: Iterable[BackgroundTask[Any]] = ()) -> bool:
    """Process events until every started task (but those in ``ignore``) has reported back.

    For command-line flows (screenshots, demo) that have no user to wait for; windows never call it.
    Returns False on time-out: a guard against hung work, long enough for a machine under heavy load.
    """
    skip = set(ignore)
    waited = 0
    while any(task not in skip for task in BackgroundTask._active.values()):
        QCoreApplication.processEvents()
        if waited >= timeout_ms:
            return False
        QThread.msleep(10)
        waited += 10
    QCoreApplication.processEvents()
    return True


class _GuiThreadCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread, with the interpreter's thresholds."""

    INTERVAL_MS = 200

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)  # a child of the application: Qt owns it, it lives on the GUI thread
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (what automatic collection does)."""
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)


_collector: _GuiThreadCollector | None = None


def collect_garbage_on_gui_thread(app: QCoreApplication) -> None:
    """Collect reference cycles only on the GUI thread from now on (see the module's note).

    Idempotent. Must be called on the GUI thread, once the application exists.
    """
    global _collector
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("collect_garbage_on_gui_thread() must be called on the GUI thread")
    if _collector is not None and shiboken6.isValid(_collector) and _collector.parent() is app:
        gc.disable()
        return
    _collector = _GuiThreadCollector(app)


def collect_garbage() -> None:
    """Run a due collection now, on the GUI thread, for code that holds the GUI thread for long."""
    if (_collector is not None and shiboken6.isValid(_collector)
            and QThread.currentThread() is _collector.thread()):
        _collector.check()
