"""Screenshots of the analysis pages over the demo year: execution by department, trend, department profile,
an overspent indicator's timeline, and the report page after generating a quarterly report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from apps.budget.analysis.page import AnalysisPage
from apps.budget.analysis.report_page import ExecutionReportPage
from apps.budget.analysis.timeline_page import IndicatorTimelinePage
from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.tasks import wait_for_tasks
from core.budget.demo import Manifest
from core.budget.models import SYNCED_MODELS
from core.budget.report import ReportPeriod
from core.budget.work import BudgetWarning
from core.models.registry import PUBLIC_SCOPE


def plant_warnings(engine: Engine, manifest: Manifest) -> None:
    """One active warning per planted anomaly, so the profile and the report have warnings to show."""
    with Session(engine) as s, s.begin():
        for i, a in enumerate(manifest.anomalies):
            s.add(BudgetWarning(warning_key=f"demo|{i}", rule=a["rule"], level=a["level"], year=manifest.year,
                                department_code=a.get("department_code", ""), indicator_no=a.get("indicator_no", ""),
                                subject=a["reason"][:60], reason=a["reason"], raised_at=datetime.now(UTC)))


def keep_public_only(engine: Engine) -> None:
    """Delete every budget row that is not public, leaving what a deputy's or an expert's laptop syncs."""
    with Session(engine) as s, s.begin():
        for model in SYNCED_MODELS:
            s.execute(delete(model).where(model.scope != PUBLIC_SCOPE))  # type: ignore[attr-defined]


@screenshot("budget-analysis-public")
def budget_analysis_public(env: ShotEnv) -> Iterator[Shot]:
    """The analysis page on a deputy's laptop: the published budget's tabs, one screenshot per tab."""
    engine, _ = demo_engine(env.folder / "budget-analysis-public")
    keep_public_only(engine)
    page = AnalysisPage(standalone(engine, user_id="deputy-1", user_name="人大代表", roles=("deputy",)))
    page.resize(1600, 1000)
    wait_for_tasks()
    env.settle()
    names = ("overview", "structure", "three-public", "tax", "funds", "assets", "ranking")
    for i, name in enumerate(names):
        page.public.tabs.setCurrentIndex(i)
        yield f"budget-analysis-public-{name}", page


@screenshot("budget-analysis")
def budget_analysis_pages(env: ShotEnv) -> Iterator[Shot]:
    engine, manifest = demo_engine(env.folder / "budget-analysis")
    plant_warnings(engine, manifest)
    ctx = standalone(engine)

    page = AnalysisPage(ctx)
    page.resize(1600, 1000)
    wait_for_tasks()
    page.month_box.setCurrentIndex(8)
    page.reload()
    wait_for_tasks()
    env.settle()
    page.dimension_box.setCurrentIndex(page.dimension_box.findData("department"))
    yield "budget-analysis-progress", page

    page.tabs.setCurrentWidget(page.trend_tab)
    yield "budget-analysis-trend", page

    page.tabs.setCurrentWidget(page.ranking_tab)
    yield "budget-analysis-ranking", page

    slow = next((a for a in manifest.anomalies if a["rule"] == "execution_below_progress"), None)
    if slow is not None:
        page.show_department(slow["department_code"])
        wait_for_tasks()
        env.settle()
    yield "budget-analysis-profile", page

    timeline = IndicatorTimelinePage(ctx)
    timeline.resize(1600, 1000)
    over = next((a for a in manifest.anomalies if a["rule"] == "payment_above_budget"), None)
    timeline.search_edit.setText(over["indicator_no"] if over else "ZB")
    timeline.search()
    wait_for_tasks()
    if timeline.hits:
        timeline.hit_table.selectRow(0)
        wait_for_tasks()
    env.settle()
    yield "budget-indicator-timeline", timeline

    report = ExecutionReportPage(ctx)
    report.resize(1400, 900)
    report.folder_edit.setText(str(env.folder / "budget-reports"))
    report.set_period(ReportPeriod(manifest.year, "quarter", 3))
    report.generate()
    wait_for_tasks()
    env.settle()
    yield "budget-execution-report", report
