"""Demo data, statistics invariants, the monthly report and the commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE
from core.db import make_engine
from core.petition import demo, stats
from core.petition.models import PetCase, PetCaseLink, PetPetitioner, PetTransition
from core.petition.report import ReportRefused, generate, parse_month
from core.petition.workflow import STATES, Outcome, apply
from tests.helpers.sqlite import copy_of
from tests.petition.cases import database

UNTIL = date(2026, 12, 5)
ALL = frozenset({P_PETITION_CASE, P_PETITION_HANDLE, P_PETITION_APPROVE})
INPUTS = {"body": "szf", "reason": "理由", "rating": "满意", "days": 30}


@pytest.fixture(scope="module")
def demo_db(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = copy_of(migrated_sqlite, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    result = demo.generate(engine, cases=1500, until=UNTIL)
    assert result.cases == 1500 and result.links > 0
    engine.dispose()
    return path


def test_every_demo_history_is_legal_under_the_workflow() -> None:
    for state, path in demo.paths():
        current, extended, reviewed = "registered", False, False
        for step in path:
            key = {"route": "route_transfer"}.get(step, step)
            out = apply(current, key, extended=extended, permissions=ALL, inputs=INPUTS, reviewed=reviewed)
            assert isinstance(out, Outcome), (state, step, out)
            current, reviewed = out.to_state, reviewed or out.sets_reviewed
        assert current == state
    assert {s for s, _ in demo.paths()} == set(STATES)


def test_demo_data_covers_every_state_and_marks_the_people(demo_db: Path) -> None:
    engine = make_engine(f"sqlite:///{demo_db}")
    with Session(engine) as s:
        states = set(s.scalars(select(PetCase.state).distinct()))
        assert states == set(STATES)
        assert set(s.scalars(select(PetCase.channel).distinct())) == {"来信", "来访", "网上", "电话", "短信"}
        assert len(set(s.scalars(select(PetCase.district_code).distinct()))) == 16
        assert len(set(s.scalars(select(func.substr(PetCase.category_code, 1, 2)).distinct()))) == 13
        first, last = s.execute(select(func.min(PetCase.received_on), func.max(PetCase.received_on))).one()
        assert (UNTIL - date.fromisoformat(str(first))).days > 600 and str(last) <= UNTIL.isoformat()
        for _name, id_number, phone, note in s.execute(select(PetPetitioner.name, PetPetitioner.id_number,
                                                            PetPetitioner.phone, PetPetitioner.note)):
            assert note == demo.DEMO_MARK and re.fullmatch(r"1380000\d{4}", phone)
            assert demo.id_check_digit(id_number[:17]) == id_number[17] and id_number[14] == "9"
        assert s.scalar(select(func.count()).where(PetCase.content.not_like("%【演示数据】"))) == 0
        assert s.scalar(select(func.count()).where(PetCase.collective.is_(True), PetCase.persons_involved < 5)) == 0
        assert s.scalar(select(func.count()).where(PetCase.collective.is_(True))) > 10
        # every repeat has its link to the earlier case of the same person
        repeats = s.execute(select(PetCase.id, PetCase.repeat_of).where(PetCase.repeat_of.is_not(None))).all()
        links = set(s.execute(select(PetCaseLink.case_id, PetCaseLink.other_case_id)).all())
        assert repeats and set(map(tuple, repeats)) == links
        # each history's last step ends in the case's state; the rows are numbered for sync, once each
        last_state = dict(s.execute(select(PetTransition.case_id, PetTransition.to_state)
                                    .order_by(PetTransition.case_id, PetTransition.on_date, PetTransition.seq)).all())
        for case_id, state in s.execute(select(PetCase.id, PetCase.state)):
            assert last_state.get(case_id, "registered") == state
        seqs = [q for (q,) in s.execute(select(PetCase.seq))] + [q for (q,) in s.execute(select(PetTransition.seq))]
        assert min(seqs) > 0 and len(set(seqs)) == len(seqs)
    engine.dispose()


def test_year_statistics_add_up(demo_db: Path) -> None:
    engine = make_engine(f"sqlite:///{demo_db}")
    with Session(engine) as s:
        start, end = date(2025, 12, 1), date(2026, 11, 30)
        st = stats.period_stats(s, start, end)
        received = s.scalar(select(func.count()).where(PetCase.received_on >= start, PetCase.received_on <= end))
        assert st.total + st.repeats == received and st.repeats > 0
        for dim in (st.by_month, st.by_category, st.by_district, st.by_channel, st.by_body, st.by_state):
            assert sum(c.count for c in dim) == st.total
        assert len(st.by_month) == 12
        assert st.answered > 0 and st.on_time_rate is not None and 0.5 < st.on_time_rate < 1
        assert st.satisfaction.rate is not None and 0.5 < st.satisfaction.rate < 1
        topics = stats.hot_topics(s, date(2026, 11, 1), date(2026, 11, 30))
        assert topics.previous_start == date(2026, 10, 1) and topics.previous_end == date(2026, 10, 31)
        assert topics.top and all(t.term not in stats.STOP_BIGRAMS for t in topics.top)
        assert all(t.change > 0 for t in topics.rising) and all(t.change < 0 for t in topics.falling)
    engine.dispose()


cases_strategy = st.lists(st.tuples(st.sampled_from(["0401", "0402", "0501", "0701", "99"]),
                                    st.sampled_from(["310101", "310115", ""]),
                                    st.sampled_from(["来信", "来访", "网上"]),
                                    st.integers(0, 40), st.booleans()), min_size=1, max_size=25)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases_strategy)
def test_counts_by_each_dimension_sum_to_the_total_and_repeats_count_once(
        migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str, int, bool]]) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path_factory.mktemp("h") / "p.sqlite3")
    start = date(2026, 1, 1)
    with factory.begin() as s:
        made: list[PetCase] = []
        for category, district, channel, day, repeat in rows:
            case = PetCase(code=f"XF-{len(made)}", channel=channel, received_on=start + timedelta(days=day),
                           subject="事", category_code=category, district_code=district,
                           repeat_of=made[0].id if repeat and made else None)
            s.add(case)
            s.flush()
            made.append(case)
    with factory() as s:
        st = stats.period_stats(s, start, date(2026, 12, 31))
        repeats = sum(1 for c in made if c.repeat_of)
        assert (st.total, st.repeats) == (len(made) - repeats, repeats)
        for dim in (st.by_month, st.by_category, st.by_district, st.by_channel, st.by_body, st.by_state):
            assert sum(c.count for c in dim) == st.total
        expected = Counter(c.category_code[:2] for c in made if not c.repeat_of)
        assert {c.key: c.count for c in st.by_category} == dict(expected)
    _engine.dispose()


def test_previous_period() -> None:
    assert stats.previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert stats.previous_period(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert stats.previous_period(date(2026, 3, 5), date(2026, 3, 14)) == (date(2026, 2, 23), date(2026, 3, 4))


def test_monthly_report_pdf_and_word(demo_db: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{demo_db}")
    files = generate(engine, 2026, 11, tmp_path / "报告", made_on=date(2026, 12, 5))
    assert [f.suffix for f in files] == [".pdf", ".docx"]
    pdf = files[0]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for words in ("2026年11月信访情况分析", "一、总体情况", "表1", "按期答复率", "七、工作建议", "2026年12月5日"):
            assert words in text.replace("\n", "")
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts = out.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    from docx import Document

    doc = Document(str(files[1]))
    assert any(p.text == "2026年11月信访情况分析" for p in doc.paragraphs) and len(doc.tables) >= 4
    with pytest.raises(ReportRefused, match="没有登记任何信访件"):
        generate(engine, 2020, 1, tmp_path / "空")
    assert not (tmp_path / "空").exists()
    with pytest.raises(ReportRefused, match="月份"):
        parse_month("2026-13")
    engine.dispose()


def test_commands(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from apps.cli import main

    url = f"sqlite:///{demo_db}"
    assert main(["petition", "stats", "--from", "2026-11-01", "--to", "2026-11-30", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "信访件：" in out and "按期答复率" in out and "热点" in out
    missing = tmp_path / "无.sqlite3"
    assert main(["petition", "report", "--month", "2026-11", "--out", str(tmp_path / "r"), "--db",
                 f"sqlite:///{missing}"]) == 2
    assert "不存在" in capsys.readouterr().err and not missing.exists()
    assert main(["petition", "report", "--month", "2026-11", "--out", str(tmp_path / "r"), "--format", "xls",
                 "--db", url]) == 2
    assert "格式" in capsys.readouterr().err
    assert main(["petition", "report", "--month", "2026-11", "--out", str(tmp_path / "r"), "--format", "pdf",
                 "--db", url]) == 0
    assert (tmp_path / "r" / "2026年11月信访情况分析.pdf").is_file()
    fresh = tmp_path / "demo.sqlite3"
    assert main(["petition", "demo-data", "--cases", "50", "--db", f"sqlite:///{fresh}"]) == 0
    assert "已生成演示信访件 50 件" in capsys.readouterr().out


def test_renda_demo_seeds_petitions_once(migrated_sqlite: Path, tmp_path: Path) -> None:
    from apps.common.demo import seed_petition_demo

    engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    assert seed_petition_demo(factory, 30) is True
    assert seed_petition_demo(factory, 30) is False
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(PetCase)) == 30
    engine.dispose()


def test_demo_data_and_statistics_on_postgresql_too(server_db_url: str) -> None:
    engine = make_engine(server_db_url)
    assert demo.generate(engine, cases=300, until=UNTIL).cases == 300
    with Session(engine) as s:
        st = stats.period_stats(s, UNTIL - timedelta(days=365), UNTIL)
        assert st.total > 0 and sum(c.count for c in st.by_month) == st.total
        assert all(re.fullmatch(r"\d{4}-\d{2}", c.key) for c in st.by_month)
        assert s.scalar(select(func.count()).select_from(PetTransition)) > 300
    engine.dispose()


def test_on_time_follows_the_legal_clock_across_national_day(migrated_sqlite: Path, tmp_path: Path) -> None:
    """Accepted 5 August: day 60 is 4 October, inside the National Day holiday, so the last day is 8 October.
    An answer on 8 October is on time by the legal clock (calendar days alone would call it four days late)."""
    engine, factory = database(migrated_sqlite, tmp_path / "ontime.sqlite3")
    with factory.begin() as s:
        for code, answered in (("XF-ONTIME-1", date(2026, 10, 8)), ("XF-ONTIME-2", date(2026, 10, 9))):
            s.add(PetCase(code=code, channel="来信", received_on=date(2026, 7, 30), subject="加装电梯补贴",
                          state="answered", body_code="szf", accepted_on=date(2026, 8, 5), answered_on=answered))
    with factory() as s:
        rows = stats.on_time(s, date(2026, 10, 1), date(2026, 10, 31))
    engine.dispose()
    assert [(o.body_code, o.answered, o.on_time) for o in rows] == [("szf", 2, 1)]
