"""F1 opens the guide of the window's system, shipped with the program, in Chinese."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from apps.common.demo import DemoServer
from apps.common.help import HelpWindow, available_topics, guide_text
from apps.common.qt import QKeySequence
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from tests.gui.test_launcher import _context


def test_the_shipped_guides_are_found_and_in_chinese() -> None:
    assert available_topics()[:2] == ["desktop", "budget"]
    desktop = guide_text("desktop")
    assert desktop is not None and "## 一、登录" in desktop and "立即同步" in desktop and "F1" in desktop
    assert guide_text("no-such-system") is None


def test_f1_opens_the_guide_of_the_window(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                          tmp_path: Path) -> None:
    context = _context(demo_server, "staff", tmp_path, gui)
    shell = AppShell(context)
    qtbot.addWidget(shell)
    shell.help_topic = "budget"
    shell.show()
    assert shell.help_action.shortcut() == QKeySequence("F1")
    assert shell.help_action in shell.actions()  # a window shortcut, whatever has the focus
    shell.help_action.trigger()
    qtbot.waitUntil(lambda: shell.help_window is not None and shell.help_window.isVisible())
    window = shell.help_window
    assert isinstance(window, HelpWindow) and window.current_topic() == "budget"
    assert "预算查询" in window.text.toPlainText()
    window.show_topic("no_such_system")  # no guide of its own: the general one
    assert window.current_topic() == "desktop" and "处理冲突" in window.text.toPlainText()
    shell.close()
    context.close()
