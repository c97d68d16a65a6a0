"""The demo's committee, expert and deputy accounts see filled work platforms after a sync: the committee
member's domain (教科文卫) reaches the window, and the demo's review tasks and comments belong to the demo accounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from apps.budget.common.context import from_client
from apps.budget.platform.home import HomePage
from apps.common.context import ClientContext, sign_in
from apps.common.demo import DEMO_PASSWORD, DemoServer
from apps.common.settings import ClientSettings


@pytest.fixture(scope="module")
def budget_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path_factory.mktemp("budget-demo"), fast_hashing=True, budget_payments=1_500).start()
    yield server
    server.stop()


def _home(qtbot: QtBot, server: DemoServer, username: str, folder: Path, settings: ClientSettings) -> Any:
    context = ClientContext(sign_in(server.url, username, DEMO_PASSWORD, folder), settings)
    context.sync_client.sync()
    page = HomePage(from_client(context))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.busy == 0)
    return page, context


@pytest.mark.parametrize(("username", "role", "tables"), [
    ("committee", "committee", ("domains", "warnings")),
    ("expert", "expert", ("tasks",)),
    ("deputy", "deputy", ("books", "comments")),
])
def test_demo_users_see_filled_windows(qtbot: QtBot, gui: ClientSettings, budget_server: DemoServer, tmp_path: Path,
                                       username: str, role: str, tables: tuple[str, ...]) -> None:
    page, context = _home(qtbot, budget_server, username, tmp_path, gui)
    assert page.role == role
    for key in tables:
        table, note = page.tables[key]
        assert table.rowCount() > 0, f"{username}: {key} is empty ({note.text()})"
    if role == "committee":
        assert page.tiles["domains"].value.text() == "教科文卫"
    context.store.engine.dispose()
