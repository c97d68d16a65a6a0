"""The reception queue of visits: tickets, calling in order, the case registered, finishing, waiting times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import P_PETITION_CASE
from core.petition import reception
from core.petition.models import PetReception
from core.petition.reception import ReceptionRefused
from core.petition.service import Actor, CaseInput, PetitionerInput, register_case
from tests.petition.cases import database, database_at

DAY = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
OFFICE = {P_PETITION_CASE}


@pytest.fixture
def factory(server_db_url: str) -> Iterator[sessionmaker[Session]]:
    engine, made = database_at(server_db_url)
    yield made
    engine.dispose()


def test_the_queue_from_ticket_to_finish(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        first = reception.take_ticket(s, "clerk", OFFICE, " 王秀英 ", 1, day=DAY, now=NINE)
        second = reception.take_ticket(s, "clerk", OFFICE, "李建国", 6, day=DAY, now=NINE + timedelta(minutes=5))
        reception.take_ticket(s, "clerk", OFFICE, "昨天的人", 1, day=DAY - timedelta(days=1), now=NINE)
        ids = first.id, second.id
        assert (first.ticket, second.ticket, first.visitor_name) == (1, 2, "王秀英")
    with factory.begin() as s:
        called = reception.call_next(s, "clerk", OFFICE, day=DAY, now=NINE + timedelta(minutes=20))
        assert called is not None and called.id == ids[0] and called.receptionist == "clerk"
    with factory.begin() as s:
        case = register_case(s, Actor.of("clerk", OFFICE),
                             CaseInput(channel="来访", subject="加装电梯补贴", received_on=DAY,
                                       petitioner=PetitionerInput(name="王秀英")), today=DAY)
        reception.attach_case(s, "clerk", OFFICE, ids[0], case.id)
        code = case.code
    with factory.begin() as s:
        with pytest.raises(ReceptionRefused, match="第 2 号还没有叫号接待"):
            reception.attach_case(s, "clerk", OFFICE, ids[1], "nope")
        reception.finish(s, "clerk", OFFICE, ids[0], now=NINE + timedelta(minutes=50))
    with factory() as s:
        rows = reception.queue(s, DAY, now=NINE + timedelta(minutes=60))
    assert [(r.ticket, r.status_label, r.waited_minutes, r.case_code) for r in rows] == [
        (1, "已接待", 20, code), (2, "等候", 55, "")]
    assert rows[1].collective and not rows[0].collective
    with factory.begin() as s:
        with pytest.raises(ReceptionRefused, match="只有接待中的来访才能接待完毕"):
            reception.finish(s, "clerk", OFFICE, ids[1])
        reception.mark_left(s, "clerk", OFFICE, ids[1], now=NINE + timedelta(minutes=70))
    with factory.begin() as s:
        assert reception.call_next(s, "clerk", OFFICE, day=DAY) is None
        with pytest.raises(ReceptionRefused, match="已经未接待离开"):
            reception.mark_left(s, "clerk", OFFICE, ids[1])
    with factory() as s:
        assert [r.status for r in reception.queue(s, DAY)] == ["done", "left"]


def test_without_the_permission_nothing_is_written(factory: sessionmaker[Session]) -> None:
    with factory() as s, pytest.raises(ReceptionRefused, match=r"petition\.case"):
        reception.take_ticket(s, "liaison", set(), "王秀英", 1, day=DAY)


@pytest.fixture(scope="module")
def small_factory(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    return database(migrated_sqlite, tmp_path_factory.mktemp("reception") / "r.sqlite3")[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(alphabet=" 王a\t", max_size=62), persons=st.integers(-3, 10_003))
def test_a_ticket_is_taken_or_refused_with_reasons(small_factory: sessionmaker[Session], name: str,
                                                   persons: int) -> None:
    with small_factory() as s:
        before = s.scalar(select(func.count()).select_from(PetReception))
    ok = bool(name.strip()) and len(name.strip()) <= 60 and 1 <= persons <= reception.MAX_PERSONS
    try:
        with small_factory.begin() as s:
            row = reception.take_ticket(s, "clerk", OFFICE, name, persons, day=DAY, now=NINE)
            assert row.ticket == (before or 0) + 1
    except ReceptionRefused as refusal:
        assert not ok
        reasons = str(refusal).split("；")
        assert len(reasons) == (not name.strip() or len(name.strip()) > 60) + (not 1 <= persons <= 10_000)
    else:
        assert ok
    with small_factory() as s:
        assert s.scalar(select(func.count()).select_from(PetReception)) == (before or 0) + ok
