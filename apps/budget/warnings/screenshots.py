"""Screenshots of the warning pages over the demo year: the inbox after a run with a warning sent to its
department, the inbox filtered to red, and the rules page."""

from __future__ import annotations

from collections.abc import Iterator

from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.budget.warnings.page import WarningInboxPage, WarningRulesPage
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.tasks import wait_for_tasks
from core.budget.warnings import run_rules


@screenshot("budget-warnings")
def budget_warning_pages(env: ShotEnv) -> Iterator[Shot]:
    engine, _manifest = demo_engine(env.folder / "budget-warnings")
    ctx = standalone(engine)
    run_rules(engine, ctx.year, session_factory=ctx.session)
    inbox = WarningInboxPage(ctx)
    inbox.resize(1600, 1000)
    wait_for_tasks()
    env.settle()
    if inbox.rows:
        inbox.table.selectRow(0)
        inbox.take_action("发函", "沪人大预工委函〔2024〕12号：请说明原因并于十个工作日内书面答复")
        wait_for_tasks()
        env.settle()
        inbox.select_warning(inbox.rows[0].warning_key)
    yield "budget-warnings-inbox", inbox

    inbox.chips["red"].setChecked(True)
    wait_for_tasks()
    env.settle()
    yield "budget-warnings-red", inbox

    rules = WarningRulesPage(ctx)
    rules.resize(1400, 1000)
    yield "budget-warnings-rules", rules

    member = standalone(engine, user_id="member-1", user_name="教科文卫委员", roles=("committee_member",),
                        domains=("教科文卫",))
    readonly = WarningRulesPage(member)
    readonly.resize(1400, 800)
    yield "budget-warnings-rules-readonly", readonly
