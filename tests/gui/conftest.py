"""Fixtures of the desktop tests: a demo server per module, fresh client settings, appearance reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from tests.helpers.waits import WAIT_MS

# The offscreen platform notes that it cannot propagate size hints or raise windows; not our bug.
OFFSCREEN_NOTES = r"This plugin does not support .*"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOTES))


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A real embedded server with the demo users (cheap password hashing), shared by a module."""
    server = DemoServer(tmp_path_factory.mktemp("demo-server"), fast_hashing=True).start()
    yield server
    server.stop()


@pytest.fixture
def settings() -> ClientSettings:
    return ClientSettings()


@pytest.fixture
def gui(qapp: object, settings: ClientSettings) -> Iterator[ClientSettings]:
    """The application with this test's settings applied; language, font and tasks reset afterwards."""
    from apps.common.application import apply_settings
    from apps.common.qt import QApplication
    from apps.common.tasks import wait_for_tasks

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_settings(app, settings)
    yield settings
    assert wait_for_tasks(WAIT_MS), "background tasks still running at the end of the test"
    apply_settings(app, ClientSettings(settings.path.with_name("defaults.ini")))
