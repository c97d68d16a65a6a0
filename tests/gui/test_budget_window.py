"""The budget app's window: which pages each role gets, items opened from one page in another, the data note."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.budget.window import BudgetWorkspace
from apps.common.settings import ClientSettings
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS

EXPECTED = {
    "budget_staff": {"home", "query", "warnings", "rules", "analysis", "timeline", "report", "plan", "tasks",
                     "comments", "registries", "imports", "documents"},
    "committee_member": {"home", "query", "warnings", "analysis", "timeline", "report", "comments",
                         "registries", "documents"},
    "deputy": {"home", "query", "analysis", "comments", "registries", "documents"},
    "expert": {"home", "query", "analysis", "tasks", "documents"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_gets_its_pages_and_every_page_opens(qtbot: QtBot, gui: ClientSettings, tmp_path: Path,
                                                        role: str) -> None:
    engine, _ = demo_engine(tmp_path / "budget", payments=3_000)
    workspace = BudgetWorkspace(standalone(engine, roles=(role,), domains=("教科文卫",)))
    qtbot.addWidget(workspace)
    workspace.resize(1500, 950)
    workspace.show()
    assert set(workspace.page_keys()) == EXPECTED[role]
    for key in workspace.page_keys():
        page = workspace.show_page(key)
        assert workspace.stack.currentWidget() is page
        assert page.title()  # type: ignore[attr-defined]
    assert "演示生成" in workspace.note.text() and workspace.note.isVisible()


def test_an_item_a_page_points_at_opens_in_the_query_page_or_the_timeline(qtbot: QtBot, gui: ClientSettings,
                                                                          tmp_path: Path) -> None:
    engine, manifest = demo_engine(tmp_path / "budget", payments=3_000)
    workspace = BudgetWorkspace(standalone(engine))
    qtbot.addWidget(workspace)
    workspace.show()
    planted = manifest.of_rule("idle_funds")[0]
    workspace.open_item("indicator", planted["indicator_no"])
    assert workspace.nav.currentItem().text() == "指标管理"
    department = planted["department_code"]
    workspace.open_item("department", department)
    query = workspace.pages["query"]
    assert workspace.stack.currentWidget() is query
    qtbot.waitUntil(lambda: department in getattr(query.spec, "selected", ()), timeout=WAIT)  # type: ignore[attr-defined]
