"""Screenshots of the launcher for several roles, the sync status bar, and the under-construction pages."""

from __future__ import annotations

from collections.abc import Iterator

from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.launcher.catalogue import APPS
from apps.launcher.window import LauncherWindow

ROLES_SHOWN = ("staff", "cadre", "petition", "operator", "machineroom", "provider", "admin")


@screenshot("launcher")
def launchers(env: ShotEnv) -> Iterator[Shot]:
    for username in ROLES_SHOWN:
        window = LauncherWindow(env.connect(username))
        window.resize(1100, 720)
        yield f"launcher-{username}", window
    admin = env.connect("admin")
    env.set_language("en")
    english = LauncherWindow(admin)
    english.resize(1100, 720)
    yield "launcher-admin-en", english
    env.set_language("zh_CN")
    env.set_font_size("xlarge")
    large = LauncherWindow(admin)
    large.resize(1100, 720)
    yield "launcher-admin-xlarge", large
    env.set_font_size("standard")


@screenshot("shell-status")
def shell_with_sync_status(env: ShotEnv) -> Iterator[Shot]:
    # After the conflict screenshots pc-b has open conflicts; sync it so the status bar has a time.
    context = env.connect("staff", store="pc-b")
    env.sync(context)
    window = LauncherWindow(context)
    window.resize(1100, 720)
    yield "shell-sync-status", window


@screenshot("under-construction")
def under_construction(env: ShotEnv) -> Iterator[Shot]:
    launcher = LauncherWindow(env.connect("admin"))
    for entry in APPS:
        if entry.window_factory() is not None:
            continue
        window = launcher.open_app(entry)
        window.resize(1000, 640)
        yield f"app-{entry.key}-under-construction", window
    launcher.close()
