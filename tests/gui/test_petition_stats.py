"""The statistics tab: the figures of the seeded cases, the chart, and the monthly report."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.common.qt import QDate
from apps.petition.stats_page import StatsPage
from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE
from core.db import make_engine, migrate
from core.petition.reference import seed_reference
from core.petition.service import Actor, CaseInput, PetitionerInput, register_case, transition
from core.sync.client import LocalStore

TODAY = date(2026, 8, 31)
CLERK = Actor.of("petition", {P_PETITION_CASE, P_PETITION_HANDLE, P_PETITION_APPROVE})
CASES = (  # channel, category, subject, persons, answered on time
    ("来信", "06", "学校周边交通安全", 1, True),
    ("来信", "06", "学校食堂收费", 1, False),
    ("来访", "04", "旧区改造补偿", 8, None),
    ("网上", "07", "小区噪声扰民", 1, None),
)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        seed_reference(s)
        for n, (channel, category, subject, persons, on_time) in enumerate(CASES):
            received = date(2026, 5, 4 + n)
            case = register_case(s, CLERK, CaseInput(
                channel=channel, subject=subject, content=subject, category_code=category, district_code="310101",
                persons_involved=persons, received_on=received,
                petitioner=PetitionerInput(name=f"市民{n}", phone=f"1380000{n:04d}")), today=received)
            if on_time is None:
                continue
            transition(s, CLERK, case, "route_assign", {"body": "jkww"}, today=received)
            transition(s, CLERK, case, "accept", {}, today=received + timedelta(days=1))
            answered = received + timedelta(days=20 if on_time else 80)
            transition(s, CLERK, case, "answer", {"answer": "已答复。"}, today=answered)
    return store


def test_the_statistics_of_the_seeded_cases(qtbot: QtBot, store: LocalStore, tmp_path: Path) -> None:
    page = StatsPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1400, 820)
    page.show()
    assert page.result is not None and page.result.total == 4
    assert "共收到信访件 4 件" in page.summary.text() and "集体访 1 件" in page.summary.text()
    assert "按期答复率 50.0%" in page.summary.text()
    channels = page.tables["by_channel"]
    assert [(channels.item(r, 0).text(), channels.item(r, 1).text()) for r in range(channels.rowCount())] == [
        ("来信", "2"), ("来访", "1"), ("网上", "1")]
    assert page.chart.labels == ["来信", "来访", "网上"] and page.chart.values == [2, 1, 1]
    bodies = page.tables["on_time"]
    assert [bodies.item(0, c).text() for c in range(4)] == ["教育科学文化卫生委员会", "2", "1", "50.0%"]
    page.dimension.setCurrentIndex(page.dimension.findData("by_category"))
    assert sum(page.chart.values) == 4 and len(page.chart.values) == 3
    assert page.tables["topics"].rowCount() > 0

    page.start.setDate(QDate(2026, 6, 1))  # a period without cases
    assert page.result.total == 0 and page.chart.values == [] and "共收到信访件 0 件" in page.summary.text()
    page.end.setDate(QDate(2026, 5, 1))
    assert "结束日期早于开始日期" in page.summary.text()


def test_the_monthly_report_previews_and_saves(qtbot: QtBot, store: LocalStore, tmp_path: Path) -> None:
    page = StatsPage(store.session, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.month.setDate(QDate(2026, 5, 1))
    path = page.save_report_to(tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    page.report_button.click()
    assert page.preview is not None and page.preview.isVisible()
    assert "2026年5月信访情况分析" in page.preview.windowTitle()
    page.preview.close()
