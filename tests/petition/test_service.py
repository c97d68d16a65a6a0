"""The petition service: registration and every step through the workflow, with clocks, history, SMS and audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.audit import AuditEntry
from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE
from core.notifications.models import NtfMessage
from core.petition import clocks
from core.petition.models import PetCase, PetCaseLink, PetHolidayOverride, PetPetitioner, PetTransition
from core.petition.service import (
    Actor,
    CaseInput,
    PetitionerInput,
    PetitionRefused,
    clock_of,
    refresh_clocks,
    register_case,
    transition,
)
from core.petition.workflow import ACTIONS, STATES
from core.sync.stamping import install_server_hooks
from tests.petition.cases import database

OFFICE = Actor.of("clerk", {P_PETITION_CASE})
HEAD = Actor.of("head", {P_PETITION_CASE, P_PETITION_APPROVE, P_PETITION_HANDLE})
LIAISON = Actor.of("liaison", {P_PETITION_HANDLE})
ALL = Actor.of("all", {P_PETITION_CASE, P_PETITION_APPROVE, P_PETITION_HANDLE})


@pytest.fixture
def factory(migrated_sqlite: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, made = database(migrated_sqlite, tmp_path / "service.sqlite3")
    install_server_hooks(made)
    yield made
    engine.dispose()


def _letter(**over: object) -> CaseInput:
    values: dict[str, object] = dict(
        channel="来信", subject="小区加装电梯补贴迟迟未发放", content="补贴申请已过半年仍未发放。",
        received_on=date(2026, 9, 21), category_code="0401", district_code="310104",
        petitioner=PetitionerInput(name="李四", phone="13812345678", id_number="11010519491231002X",
                                   address="上海市徐汇区漕溪北路 1 号"))
    values.update(over)
    return CaseInput(**values)  # type: ignore[arg-type]


def test_registration_starts_the_routing_clock_writes_history_queues_the_receipt_and_audits(
        factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        case = register_case(s, OFFICE, _letter(), today=date(2026, 9, 21))
        case_id = case.id
    with factory() as s:
        case = s.get(PetCase, case_id)
        assert case is not None and case.state == "registered" and case.code.startswith("XF20260921-")
        # 15 日 from 21 September: day 15 is 6 October, inside the National Day holiday → the next working day.
        assert case.due_on == clocks.due_date(date(2026, 9, 21), clocks.DEADLINE_BY_KEY["route"]).on
        assert case.due_on > date(2026, 10, 6)
        steps = s.scalars(select(PetTransition).where(PetTransition.case_id == case_id)).all()
        assert [(t.action, t.to_state, t.article) for t in steps] == [("register", "registered", "《信访工作条例》第二十二条")]
        sms = s.scalars(select(NtfMessage)).all()
        assert [m.template_key for m in sms] == ["petition.receipt"]
        assert sms[0].recipient_table == "pet_petitioner" and sms[0].params["code"] == case.code
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "petition.case.register", AuditEntry.target == case.code)) == 1


def test_a_refused_registration_names_every_problem_and_writes_nothing(factory: sessionmaker[Session]) -> None:
    bad = _letter(channel="传真", subject=" ", received_on=date(2030, 1, 1), district_code="999999",
                  category_code="ZZ", petitioner=PetitionerInput(name="王五", phone="1381234", id_number="110105194912310021"))
    with factory.begin() as s, pytest.raises(PetitionRefused) as refused:
        register_case(s, OFFICE, bad, today=date(2026, 9, 21))
    text = str(refused.value)
    for part in ("来源渠道“传真”", "须填写信访事项", "晚于今天", "不是本市的区", "信访分类“ZZ”", "手机号码“1381234”", "校验位"):
        assert part in text
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(PetCase)) == 0
        assert s.scalar(select(func.count()).select_from(PetPetitioner)) == 0
    with factory.begin() as s, pytest.raises(PetitionRefused, match="需要权限"):
        register_case(s, LIAISON, _letter(), today=date(2026, 9, 21))


def test_five_or_more_persons_make_a_collective_petition_and_a_repeat_is_linked(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        first = register_case(s, OFFICE, _letter(channel="来访", persons_involved=5), today=date(2026, 9, 21))
        second = register_case(s, OFFICE, _letter(petitioner=None, petitioner_id=first.petitioner_id,
                                                  repeat_of=first.id), today=date(2026, 9, 21))
        assert first.collective and not second.collective
        assert second.repeat_of == first.id
        assert s.scalar(select(func.count()).select_from(PetCaseLink)) == 1


def test_the_whole_way_from_letter_to_final_with_clocks_sms_and_articles(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        case = register_case(s, OFFICE, _letter(), today=date(2026, 9, 21))
        transition(s, OFFICE, case, "route_transfer", {"body": "szf"}, today=date(2026, 9, 22))
        assert case.state == "routed" and case.route == "转送" and case.committee is None
        transition(s, HEAD, case, "accept", today=date(2026, 9, 25))
        handling = clocks.due_date(date(2026, 9, 25), clocks.DEADLINE_BY_KEY["handling"]).on
        assert case.due_on == handling
        transition(s, HEAD, case, "extend", {"days": 20, "reason": "需现场核查"}, today=date(2026, 11, 1))
        assert case.extended and case.due_on == clocks.due_date(
            date(2026, 9, 25), clocks.extended(clocks.DEADLINE_BY_KEY["handling"], 20)).on
        with pytest.raises(PetitionRefused, match="只能延长一次"):
            transition(s, HEAD, case, "extend", {"days": 5, "reason": "再延"}, today=date(2026, 11, 2))
        with pytest.raises(PetitionRefused, match="须填写答复意见"):
            transition(s, HEAD, case, "answer", {}, today=date(2026, 11, 20))
        transition(s, HEAD, case, "answer", {"answer": "补贴已于 11 月发放。"}, today=date(2026, 11, 20))
        assert case.state == "answered" and case.answered_on == date(2026, 11, 20) and case.due_on is None
        transition(s, OFFICE, case, "request_review", {"received_on": "2026-12-10"}, today=date(2026, 12, 11))
        assert case.state == "review"
        assert case.due_on == clocks.due_date(date(2026, 12, 10), clocks.DEADLINE_BY_KEY["review"]).on
        transition(s, OFFICE, case, "review_answer", {"answer": "维持原答复。"}, today=date(2026, 12, 30))
        with pytest.raises(PetitionRefused, match="只能申请复核"):
            transition(s, OFFICE, case, "request_review", today=date(2026, 12, 31))
        transition(s, OFFICE, case, "request_rereview", today=date(2027, 1, 5))
        transition(s, HEAD, case, "rereview_answer", {"answer": "复核维持。"}, today=date(2027, 1, 20))
        assert case.state == "final" and case.closed_on == date(2027, 1, 20)
        steps = s.scalars(select(PetTransition).where(PetTransition.case_id == case.id)
                          .order_by(PetTransition.on_date, PetTransition.at)).all()
        assert [t.action for t in steps] == ["register", "route_transfer", "accept", "extend", "answer",
                                             "request_review", "review_answer", "request_rereview", "rereview_answer"]
        assert all(t.article for t in steps)
        assert all(t.version == 1 for t in steps)  # the history is append-only: a step is never rewritten
        keys = sorted(m.template_key for m in s.scalars(select(NtfMessage)))
        assert keys == ["petition.accepted", "petition.answered", "petition.answered", "petition.answered",
                        "petition.extended", "petition.receipt"]


def test_a_review_request_after_its_thirty_days_is_refused(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        case = register_case(s, OFFICE, _letter(), today=date(2026, 9, 21))
        transition(s, OFFICE, case, "route_transfer", {"body": "szf"}, today=date(2026, 9, 22))
        transition(s, HEAD, case, "accept", today=date(2026, 9, 25))
        transition(s, HEAD, case, "answer", {"answer": "已处理。"}, today=date(2026, 11, 2))
        with pytest.raises(PetitionRefused, match=r"申请复查的期限为 30 日.*已于 2026-12-02 届满"):
            transition(s, OFFICE, case, "request_review", {"received_on": "2026-12-03"}, today=date(2026, 12, 3))
        assert case.state == "answered"


def test_assigning_to_a_committee_moves_the_case_and_its_history_into_the_committees_scope(
        factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        case = register_case(s, OFFICE, _letter(), today=date(2026, 9, 21))
        transition(s, OFFICE, case, "route_assign", {"body": "jkww"}, today=date(2026, 9, 22))
        case_id = case.id
    with factory() as s:
        case = s.get(PetCase, case_id)
        assert case is not None and case.committee == "jkww" and case.scope == "petition.committee:jkww"
        scopes = set(s.scalars(select(PetTransition.scope).where(PetTransition.case_id == case_id)))
        assert scopes == {"petition.committee:jkww"}
    with factory.begin() as s:
        case = s.get(PetCase, case_id)
        assert case is not None
        with pytest.raises(PetitionRefused, match="需要权限"):
            transition(s, OFFICE, case, "accept", today=date(2026, 9, 23))
        transition(s, LIAISON, case, "accept", today=date(2026, 9, 23))
        assert case.state == "accepted"


def test_an_override_of_the_calendar_moves_open_deadlines(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        case = register_case(s, OFFICE, _letter(received_on=date(2026, 11, 2)), today=date(2026, 11, 2))
        assert case.due_on == date(2026, 11, 17)
        s.add(PetHolidayOverride(day=date(2026, 11, 17), is_workday=False, note="临时休息日"))
        s.flush()
        assert refresh_clocks(s, today=date(2026, 11, 3)) == 1
        assert case.due_on == date(2026, 11, 18)
        clock = clock_of(s, case, today=date(2026, 11, 16))
        assert clock is not None and clock.days_left == 2 and clock.light == "amber"
        assert "登记分流" in clock.text and "剩 2 日" in clock.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([a.key for a in ACTIONS]), st.sampled_from(["", "jkww", "szf", "x"])),
                max_size=12))
def test_any_sequence_of_steps_keeps_a_known_state_and_a_refused_step_changes_nothing(
        factory: sessionmaker[Session], steps: list[tuple[str, str]]) -> None:
    inputs = {"reason": "理由", "days": 10, "answer": "答复意见", "rating": "满意"}
    with factory() as s, s.begin():
        case = register_case(s, ALL, _letter(), today=date(2026, 9, 21))
        for action, body in steps:
            before = (case.state, case.due_on, case.extended, case.committee)
            count = s.scalar(select(func.count()).select_from(PetTransition).where(PetTransition.case_id == case.id))
            try:
                with s.begin_nested():
                    transition(s, ALL, case, action, {**inputs, "body": body}, today=date(2026, 9, 25))
            except PetitionRefused as refused:
                s.refresh(case)
                assert str(refused)
                assert (case.state, case.due_on, case.extended, case.committee) == before
                assert s.scalar(select(func.count()).select_from(PetTransition).where(
                    PetTransition.case_id == case.id)) == count
            assert case.state in STATES
        s.rollback()
