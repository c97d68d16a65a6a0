"""`renda screenshots` and a display-less `renda demo` write real PNGs of every window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.cli import build_parser
from apps.common.demo import DemoServer
from apps.common.qt import QLabel
from apps.common.screenshots import PRODUCERS, ShotEnv, load_producers, render_all
from apps.common.settings import ClientSettings

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RENDERING_EVERY_WINDOW = 1800
"""Seconds the command may take to render every window: about 100 s on two idle cores, and four to six times
that on a shared machine under load; past this it has hung."""
EXPECTED = {
    "login", "login-wrong-password", "login-en", "sync-progress", "sync-cancelled", "conflict-inbox",
    "launcher-staff", "launcher-cadre", "launcher-provider", "launcher-admin", "launcher-admin-en",
    "launcher-admin-xlarge", "shell-sync-status",
    "budget-window-staff", "budget-window-committee", "budget-window-deputy", "budget-window-expert",
    "kiosk-console-voting", "kiosk-console-printable", "kiosk-result-sheet-preview", "conference-prep-seats", "admin-users", "admin-new-user",
    "portal-home-phone", "portal-submit-errors-phone", "portal-receipt-desktop", "portal-progress-answered-phone",
    "portal-stats-desktop", "portal-track-typo-desktop",
    "petition-inbox-petition", "petition-inbox-petitionhead", "petition-inbox-liaison",
    "petition-supervision-petitionhead", "petition-register-petition", "petition-reception-petition",
    "petition-case-petition", "petition-stats-petitionhead",
    "machine-room-plan-machineroom", "machine-room-alarms-machineroom", "machine-room-trends-machineroom",
    "machine-room-device-machineroom", "machine-room-thresholds-admin", "machine-room-report-machineroom",
    "cadre-reminders-cadre", "cadre-people-cadre", "cadre-person-cadre",
    "cadre-reminders-cadrereader", "cadre-people-cadrereader", "cadre-person-cadrereader",
    "cadre-person-basic-cadre", "cadre-person-family-cadre", "cadre-person-life-cadre", "cadre-person-documents-cadre",
    "cadre-person-edit-error-cadre", "cadre-person-basic-cadrereader", "cadre-person-family-cadrereader",
    "cadre-person-life-cadrereader", "cadre-person-documents-cadrereader",
    "cadre-care-branches-cadre", "cadre-care-aid-cadre", "cadre-care-aid-refused-cadre",
    "cadre-care-activities-cadre", "cadre-care-checkups-cadre",
    "cadre-care-contacts-cadre", "cadre-care-aid-cadrereader", "cadre-care-checkups-cadrereader",
    "cadre-analysis-cadre", "cadre-analysis-aid-cadre", "cadre-analysis-preview-cadre",
    "cadre-people-filtered-cadre", "cadre-batch-sms-cadre",
    "cadre-labels-cadre", "cadre-labels-preview-cadre", "cadre-templates-admin", "cadre-template-editor-admin",
}


def _cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env.update(QT_QPA_PLATFORM="offscreen", RENDA_DATA_DIR=str(tmp_path / "data"),
               RENDA_CONFIG_DIR=str(tmp_path / "config"), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


def _check_pngs(folder: Path) -> set[str]:
    names = set()
    for png in folder.glob("*.png"):
        data = png.read_bytes()
        assert data.startswith(PNG_MAGIC), png
        assert len(data) > 5_000, f"{png.name} looks empty"
        names.add(png.stem)
    return names


def test_gui_commands_are_registered() -> None:
    parser = build_parser()
    for argv in (["launcher"], ["demo"], ["screenshots", "out"]):
        assert callable(parser.parse_args(argv).func)


def test_screenshot_producers_are_registered() -> None:
    assert {"login", "sync", "conflicts", "launcher", "shell-status", "under-construction"} <= set(load_producers())


def test_render_all_in_process(qtbot: QtBot, demo_server: DemoServer, tmp_path: Path) -> None:
    env = ShotEnv(demo_server.url, tmp_path / "work", ClientSettings(tmp_path / "work" / "desktop.ini"))
    try:
        written = render_all(env, tmp_path / "shots", only=["login", "conflicts"])
    finally:
        env.close()
    assert {p.stem for p in written} == {"login", "login-wrong-password", "login-en", "conflict-inbox"}
    assert _check_pngs(tmp_path / "shots") == {p.stem for p in written}


def test_render_all_destroys_a_producers_windows_before_the_next(qtbot: QtBot, demo_server: DemoServer,
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows left alive pile up over a full run (20,000 widgets by its end), and every language or font-size
    # switch of a later producer then re-styles all of them.
    destroyed: list[str] = []

    def first(env: ShotEnv) -> list[tuple[str, QLabel]]:
        label = QLabel("第一组的窗口")
        label.resize(400, 300)
        label.destroyed.connect(lambda: destroyed.append("first"))
        return [("first", label)]

    def second(env: ShotEnv) -> list[tuple[str, QLabel]]:
        assert destroyed == ["first"], "the first producer's window is still alive"
        label = QLabel("第二组的窗口")
        label.resize(400, 300)
        return [("second", label)]

    monkeypatch.setitem(PRODUCERS, "probe-first", first)
    monkeypatch.setitem(PRODUCERS, "probe-second", second)
    env = ShotEnv(demo_server.url, tmp_path / "work", ClientSettings(tmp_path / "work" / "desktop.ini"))
    try:
        written = render_all(env, tmp_path / "shots", only=["probe-first", "probe-second"])
    finally:
        env.close()
    assert [p.stem for p in written] == ["first", "second"]
    assert destroyed == ["first"]


@pytest.mark.slow
@pytest.mark.timeout(RENDERING_EVERY_WINDOW + 60)
def test_screenshots_command_writes_every_window(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    result = subprocess.run([sys.executable, "-m", "apps.cli", "screenshots", str(out)], env=_cli_env(tmp_path),
                            capture_output=True, text=True, timeout=RENDERING_EVERY_WINDOW)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == str(out.resolve())
    assert _check_pngs(out) >= EXPECTED
    assert "does not support" not in result.stderr


@pytest.mark.slow
def test_demo_without_a_display_renders_screenshots(tmp_path: Path) -> None:
    # The demo renders through the same producers as `renda screenshots`, whose test above checks every
    # window; here two groups prove the demo's own path (its server, its users, the folder it prints).
    result = subprocess.run([sys.executable, "-m", "apps.cli", "demo", "--only", "login", "--only", "launcher"],
                            cwd=tmp_path, env=_cli_env(tmp_path), capture_output=True, text=True, timeout=500)
    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    folder = Path(last)
    assert folder.is_absolute() and folder == (tmp_path / "screenshots").resolve()
    shots = _check_pngs(folder)
    assert {n for n in EXPECTED if n.startswith(("login", "launcher"))} <= shots
    assert all(n.startswith(("login", "launcher")) for n in shots)


def test_launcher_without_a_display_says_so(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "apps.cli"], env=_cli_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "没有可用的显示器" in result.stderr
