"""The QApplication of every desktop app, and the user's appearance settings applied to it."""

from __future__ import annotations

import os
import sys

from apps.common.fonts import load_shipped_fonts
from apps.common.i18n import install_language
from apps.common.pyside_none import keep_none_alive
from apps.common.qt import (
    QApplication,
    QCoreApplication,
    QMessageLogContext,
    QtMsgType,
    qInstallMessageHandler,
)
from apps.common.settings import ClientSettings
from apps.common.tasks import collect_garbage_on_gui_thread
from apps.common.theme import apply_appearance

APPLICATION_NAME = "renda-suite"
ORGANIZATION_NAME = "上海市人大常委会办公厅"


def has_display() -> bool:
    """False when windows cannot be shown (no X11/Wayland display, or Qt is told to draw offscreen)."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def application(settings: ClientSettings, argv: list[str] | None = None) -> QApplication:
    """The running QApplication (created if needed) with the user's font size and language applied.

    Every Qt entry point (launcher, demo, screenshots, kiosk, benchmarks) and the tests' QApplication
    come through here, so the shipped CJK fonts are registered before any window is drawn.
    """
    if not has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    assert isinstance(app, QApplication)
    keep_none_alive()  # guards against a PySide6 build that leaks references to None
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    load_shipped_fonts()
    collect_garbage_on_gui_thread(app)  # Qt objects in reference cycles die on this thread only
    apply_settings(app, settings)
    return app


def apply_settings(app: QApplication, settings: ClientSettings) -> None:
    apply_appearance(app, settings.font_points)
    install_language(app, settings.language)


def set_font_size(settings: ClientSettings, key: str) -> None:
    """Remember the font size and apply it to every open window."""
    settings.font_size = key
    app = QCoreApplication.instance()
    if isinstance(app, QApplication):
        apply_appearance(app, settings.font_points)


def set_language(settings: ClientSettings, language: str) -> None:
    """Remember the language and switch every open window to it."""
    settings.language = language
    app = QCoreApplication.instance()
    if app is not None:
        install_language(app, language)


# The offscreen platform lacks some window-manager features and says so for every window it shows.
_OFFSCREEN_NOISE = ("This plugin does not support",)


def _filtered_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message.startswith(_OFFSCREEN_NOISE):
        return
    sys.stderr.write(message + "\n")


def quiet_offscreen_messages() -> None:
    """Drop the offscreen platform's "does not support" notes from command-line output."""
    qInstallMessageHandler(_filtered_message)
