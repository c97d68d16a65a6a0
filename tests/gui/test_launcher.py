"""The launcher shows exactly the apps the signed-in user's roles allow, and opens them honestly."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.common.context import ClientContext, sign_in
from apps.common.demo import DEMO_PASSWORD, DemoServer
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.launcher.catalogue import APPS, APPS_BY_KEY, AppEntry
from apps.launcher.window import LauncherWindow, UnderConstructionPage
from core.auth.roles import ROLES_BY_NAME
from core.auth.service import DEMO_USERS


def _context(server: DemoServer, username: str, folder: Path, settings: ClientSettings) -> ClientContext:
    context = ClientContext(sign_in(server.url, username, DEMO_PASSWORD, folder), settings)
    context.sync.set_online(True)
    return context


@pytest.mark.parametrize(("username", "role"), DEMO_USERS)
def test_launcher_shows_only_permitted_apps(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                            tmp_path: Path, username: str, role: str) -> None:
    context = _context(demo_server, username, tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    expected = [a.key for a in APPS if a.permission in ROLES_BY_NAME[role].permissions]
    assert [tile.entry.key for tile in window.launcher.tiles] == expected
    assert window.launcher.none_label.isVisible() == (not expected)
    assert context.display_name in window.launcher.greeting.text()
    assert ROLES_BY_NAME[role].label_zh in window.launcher.roles_label.text()
    context.close()


def test_unbuilt_app_opens_the_under_construction_page(qtbot: QtBot, gui: ClientSettings,
                                                        demo_server: DemoServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every system has its window now; a system added to the catalogue before its window exists
    # (here machine_room with its window hidden) opens the under-construction page.
    built = AppEntry.window_factory
    monkeypatch.setattr(AppEntry, "window_factory",
                        lambda self: None if self.key == "machine_room" else built(self))
    context = _context(demo_server, "admin", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    tile = next(t for t in window.launcher.tiles if t.entry.key == "machine_room")
    assert APPS_BY_KEY["machine_room"].window_factory() is None
    # an unbuilt system's tile says so before it is opened, and looks unlike the working ones
    assert not tile.built and tile.badge.isVisible() and tile.badge.text() == "建设中"
    assert tile.property("role") == "tile-pending" and "建设中" in tile.accessibleName()
    budget = next(t for t in window.launcher.tiles if t.entry.key == "budget")
    assert budget.built and not budget.badge.isVisible() and budget.property("role") == "tile"
    tile.click()
    opened = window.app_windows["machine_room"]
    qtbot.addWidget(opened)
    assert isinstance(opened, AppShell)
    page = opened.page()
    assert isinstance(page, UnderConstructionPage)
    assert "该系统正在建设中" in page.notice.text()
    assert "UPS 运行状态和电池监测" in page.features_text()
    assert opened.windowTitle() == "机房监控"
    # A second click brings the same window forward instead of opening another.
    tile.click()
    assert window.app_windows["machine_room"] is opened
    window.close()
    context.close()


def test_tiles_are_reachable_by_keyboard(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                         tmp_path: Path) -> None:
    context = _context(demo_server, "admin", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    from apps.common.qt import Qt

    assert all(t.focusPolicy() & Qt.FocusPolicy.TabFocus for t in window.launcher.tiles)
    first = window.launcher.tiles[0]
    first.setFocus()
    with qtbot.waitSignal(window.launcher.app_requested) as blocker:
        qtbot.keyClick(first, Qt.Key.Key_Space)
    assert blocker.args[0].key == first.entry.key
    window.close()
    context.close()


def test_the_launcher_offers_sync_once(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                       tmp_path: Path) -> None:
    from apps.common.qt import QtWidgets

    context = _context(demo_server, "staff", tmp_path, gui)
    window = LauncherWindow(context)
    qtbot.addWidget(window)
    window.show()
    sync_buttons = [b for b in window.findChildren(QtWidgets.QAbstractButton) if "立即同步" in b.text()]
    assert len(sync_buttons) == 1 and sync_buttons[0] is window.sync_button
    window.close()
    context.close()
