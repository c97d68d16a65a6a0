"""Screenshots of the query page over the demo year: the books, a drill into a functional class, a department's
projects filtered to the first half year, and the single payments of a project."""

from __future__ import annotations

from collections.abc import Iterator

from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.budget.query.page import QueryPage
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.tasks import wait_for_tasks
from core.budget.query.spec import Filters, QuerySpec


@screenshot("budget-query")
def budget_query_pages(env: ShotEnv) -> Iterator[Shot]:
    engine, _manifest = demo_engine(env.folder / "budget-query")
    page = QueryPage(standalone(engine))
    page.resize(1600, 1000)
    wait_for_tasks()
    env.settle()
    yield "budget-query-books", page

    page.drill("general", "一般公共预算")
    wait_for_tasks()
    biggest = max(page.result.rows, key=lambda r: r.values["paid"] or 0) if page.result else None
    if biggest is not None:
        page.drill(biggest.key, biggest.label)
        wait_for_tasks()
    env.settle()
    yield "budget-query-functional", page

    page.filter_panel.set_filters(Filters(month_from=1, month_to=6))
    page.set_spec(QuerySpec(page.ctx.year, path="department", selected=("D010",),
                            filters=Filters(month_from=1, month_to=6)))
    wait_for_tasks()
    env.settle()
    yield "budget-query-department-half-year", page

    if page.result and page.result.rows:
        page.show_item("project", page.result.rows[-1].key)
        wait_for_tasks()  # the look-up, then the drill it starts
        wait_for_tasks()
    page.show_payments(True)
    wait_for_tasks()
    env.settle()
    yield "budget-query-payments", page
