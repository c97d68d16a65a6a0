"""Screenshots of every window, rendered offscreen against a demo server and real local stores.

Producers register with :func:`screenshot`; each app adds its own in ``apps/<app>/screenshots.py``,
which :func:`load_producers` imports. A producer receives a :class:`ShotEnv` and returns the widgets
to capture as ``(file stem, widget)`` pairs; a generator may change state after each ``yield``, since
the capture happens before it resumes::

    @screenshot("budget")
    def budget_window(env: ShotEnv) -> list[tuple[str, QWidget]]:
        context = env.connect("staff")
        return [("budget-overview", create_window(context))]
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import apps
from apps.common.application import apply_settings
from apps.common.context import ClientContext, Connection, sign_in
from apps.common.qt import QApplication, QCoreApplication, QEvent, QWidget
from apps.common.screentext import placeholders_on
from apps.common.settings import ClientSettings
from apps.common.tasks import BackgroundTask, TaskContext, wait_for_tasks
from core.auth.service import DEMO_PASSWORD

log = logging.getLogger(__name__)
T = TypeVar("T")

Shot = tuple[str, "QWidget | bytes"]
"""A widget to capture, or a page already rendered to PNG outside Qt (the web portal's pages)."""
Producer = Callable[["ShotEnv"], Iterable[Shot]]
PRODUCERS: dict[str, Producer] = {}


def screenshot(name: str) -> Callable[[Producer], Producer]:
    """Register a screenshot producer under ``name`` (re-registering a name replaces it)."""

    def register(fn: Producer) -> Producer:
        PRODUCERS[name] = fn
        return fn

    return register


def load_producers() -> dict[str, Producer]:
    """Import the screenshot modules of the common parts and of every app package."""
    importlib.import_module("apps.common.common_shots")
    for info in pkgutil.iter_modules(apps.__path__):
        if not info.ispkg or info.name in ("common", "server"):
            continue
        name = f"apps.{info.name}.screenshots"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    return PRODUCERS


@dataclass
class ShotEnv:
    """What producers work with: a running server, a settings file, and sign-in to real local stores."""

    server_url: str
    folder: Path
    settings: ClientSettings
    contexts: dict[str, ClientContext] = field(default_factory=dict)
    held: set[BackgroundTask[Any]] = field(default_factory=set)  # tasks kept running on purpose

    def run(self, fn: Callable[[TaskContext], T], timeout_ms: int = 120_000) -> T:
        """Run ``fn`` through the background-task helper and wait for it (no user is waiting here)."""
        outcome: dict[str, Any] = {}
        task = BackgroundTask(fn, name="screenshot-step")
        task.on_success(lambda result: outcome.setdefault("result", result))
        task.on_failure(lambda exc: outcome.setdefault("error", exc))
        task.on_cancelled(lambda exc: outcome.setdefault("error", exc))
        task.start()
        if not wait_for_tasks(timeout_ms):
            raise TimeoutError("a screenshot step took too long")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]  # type: ignore[no-any-return]

    def connect(self, username: str, store: str = "") -> ClientContext:
        """Sign ``username`` in with the demo password; ``store`` names a separate local store
        (a second computer of the same user)."""
        key = f"{username}/{store}"
        if key not in self.contexts:
            folder = self.folder / "clients" / (store or "main")
            url = self.server_url
            connection: Connection = self.run(lambda ctx: sign_in(url, username, DEMO_PASSWORD, folder))
            context = ClientContext(connection, self.settings)
            context.sync.set_online(True)
            self.contexts[key] = context
        return self.contexts[key]

    def sync(self, context: ClientContext) -> None:
        """A sync through the context's controller, as 立即同步 runs it (records the time too)."""
        task = context.sync.sync_now()
        if task is None:
            raise RuntimeError("a sync is already running")
        self.settle()
        outcome = context.sync.last_outcome
        if outcome is not None and outcome.error is not None:
            raise outcome.error

    def settle(self) -> None:
        if not wait_for_tasks(ignore=self.held):
            raise TimeoutError("background work did not finish")
        QCoreApplication.processEvents()

    def set_language(self, language: str) -> None:
        self.settings.language = language
        self._reapply()

    def set_font_size(self, key: str) -> None:
        self.settings.font_size = key
        self._reapply()

    def _reapply(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_settings(app, self.settings)
        QCoreApplication.processEvents()

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()


def capture(env: ShotEnv, widget: QWidget, path: Path) -> Path:
    """Show ``widget`` offscreen, let its background loads finish, and save it as PNG."""
    if not widget.isVisible():
        widget.show()
    env.settle()
    widget.repaint()
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


class UnfinishedScreen(RuntimeError):
    """A rendered window shows a placeholder (（请核对）, （条款待核）, TODO …) that must never reach a user."""


def render_all(env: ShotEnv, outdir: Path, only: Iterable[str] = (),
               report: Callable[[Path], None] | None = None) -> list[Path]:
    """Run every producer (or those named in ``only``) and write one PNG per widget.

    Raises :class:`UnfinishedScreen` when a window shows a placeholder mark (see
    :mod:`core.placeholders`)."""
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = set(only)
    written: list[Path] = []
    for name, producer in load_producers().items():
        if wanted and name not in wanted:
            continue
        shown: list[QWidget] = []
        for stem, widget in producer(env):  # a generator producer resumes after each capture
            if isinstance(widget, bytes):
                path = outdir / f"{stem}.png"
                path.write_bytes(widget)
                written.append(path)
                if report is not None:
                    report(path)
                continue
            unfinished = placeholders_on(widget.window())
            if unfinished:
                mark, text = unfinished[0]
                raise UnfinishedScreen(f"截图 {stem} 显示了未完成的文字“{mark}”：{text[:80]}")
            path = capture(env, widget, outdir / f"{stem}.png")
            shown.append(widget)
            written.append(path)
            if report is not None:
                report(path)
        close_windows(shown)
        env.settle()
    return written


def close_windows(widgets: Iterable[QWidget]) -> None:
    """Close the windows of ``widgets`` and destroy them now.

    ``deleteLater`` alone waits for the event loop, which a rendering run never returns to: every producer's
    windows (and their menus and pages) stayed alive to the end, and each language or font-size switch then
    re-styled all of them (20,000 widgets and 8 s a switch by the end of a full run)."""
    for widget in widgets:
        top = widget.window()
        top.close()
        top.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
