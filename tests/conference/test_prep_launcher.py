"""The launcher's "conference" tile opens meeting preparation for a signed-in operator, on a real server;
a meeting saved there reaches the server at the next sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.common.context import ClientContext, sign_in
from apps.common.demo import DEMO_PASSWORD, DemoServer
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.common.tasks import wait_for_tasks
from apps.conference.demo import demo_draft
from apps.conference.window import PrepWorkspace
from apps.launcher.catalogue import APPS_BY_KEY
from tests.helpers.waits import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support .*")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    demo = DemoServer(tmp_path_factory.mktemp("conference-server"), fast_hashing=True).start()
    yield demo
    demo.stop()


def test_the_conference_tile_opens_preparation_and_a_saved_meeting_syncs(
        qtbot: QtBot, qapp: object, server: DemoServer, tmp_path: Path) -> None:
    context = ClientContext(sign_in(server.url, "operator", DEMO_PASSWORD, tmp_path), ClientSettings())
    context.sync.set_online(True)
    factory = APPS_BY_KEY["conference"].window_factory()
    assert factory is not None
    window = factory(context)
    qtbot.addWidget(window)
    assert isinstance(window, AppShell)
    workspace = window.page()
    assert isinstance(workspace, PrepWorkspace) and workspace.services.can_edit
    qtbot.waitUntil(lambda: not workspace.busy)

    context.sync_client.sync()  # the deputy registry reaches the operator's computer
    deputies = workspace.services.deputies()
    assert len(deputies) >= 10
    draft = demo_draft(deputies, seated=10)
    with qtbot.waitSignal(workspace.saved):
        workspace.save(draft, "ready")
    report = context.sync_client.sync()
    assert report.rejected == 0 and report.pushed > 0
    assert wait_for_tasks(WAIT_MS)
    window.close()
    context.close()
