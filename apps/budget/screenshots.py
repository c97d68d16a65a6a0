"""Screenshots of the budget app: the whole window per role over synced demo data, and each page's own."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator

from apps.budget.window import create_window
from apps.common.screenshots import Shot, ShotEnv, screenshot

for _package in ("query", "warnings", "analysis", "platform", "imports"):
    if importlib.util.find_spec(f"apps.budget.{_package}") is None:
        continue
    _name = f"apps.budget.{_package}.screenshots"
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name)


@screenshot("budget-window")
def budget_windows(env: ShotEnv) -> Iterator[Shot]:
    """The window as staff, a special committee member, a deputy and an expert see it after a sync."""
    for username in ("staff", "committee", "deputy", "expert"):
        context = env.connect(username, store=f"budget-{username}")
        env.sync(context)
        window = create_window(context)
        window.resize(1600, 1000)
        env.settle()
        yield f"budget-window-{username}", window
