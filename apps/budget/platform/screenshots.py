"""Screenshots of the work-platform pages for each role, over the demo year with demo working records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.common.qt import QWidget
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.tasks import wait_for_tasks
from core.budget.platform import demo

SIZE = (1500, 950)


def platform_contexts(folder: Path) -> dict[str, BudgetContext]:
    """The demo year with the platform's working records, seen as staff, a committee member, a deputy and an
    expert (the standalone demo users of :mod:`core.budget.platform.demo`)."""
    engine, _manifest = demo_engine(folder)
    demo.seed(engine, 2024)
    return {
        "staff": standalone(engine, user_id="staff-1", user_name="预工委工作人员", roles=("budget_staff",)),
        "committee": standalone(engine, user_id="committee-1", user_name="教科文卫委委员",
                                roles=("committee_member",), domains=("教科文卫",)),
        "deputy": standalone(engine, user_id="deputy-1", user_name="王建国", roles=("deputy",)),
        "expert": standalone(engine, user_id="expert-1", user_name="赵文华", roles=("expert",)),
    }


def _shown(stem: str, page: QWidget) -> Shot:
    page.resize(*SIZE)
    wait_for_tasks()
    return stem, page


@screenshot("budget-platform")
def platform_pages(env: ShotEnv) -> Iterator[Shot]:
    from apps.budget.platform.comments import CommentsPage
    from apps.budget.platform.documents import DocumentsPage
    from apps.budget.platform.home import HomePage
    from apps.budget.platform.registries import RegistriesPage
    from apps.budget.platform.review_plan import ReviewPlanPage
    from apps.budget.platform.review_tasks import ReviewTasksPage

    ctx = platform_contexts(env.folder / "budget-platform")
    for role in ("staff", "committee", "deputy", "expert"):
        yield _shown(f"budget-home-{role}", HomePage(ctx[role]))
    yield _shown("budget-review-plan", ReviewPlanPage(ctx["staff"]))
    yield _shown("budget-review-tasks-staff", ReviewTasksPage(ctx["staff"]))
    yield _shown("budget-review-tasks-expert", ReviewTasksPage(ctx["expert"]))
    yield _shown("budget-comments-deputy", CommentsPage(ctx["deputy"]))
    yield _shown("budget-comments-staff", CommentsPage(ctx["staff"]))
    yield _shown("budget-registries", RegistriesPage(ctx["staff"]))
    yield _shown("budget-documents", DocumentsPage(ctx["staff"]))
