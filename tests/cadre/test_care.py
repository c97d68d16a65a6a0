"""The care work's rules by example (core/cadre/care.py), and that a refused action changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import P_CADRE_RECORD, P_CADRE_SENSITIVE, ROLES_BY_NAME
from core.cadre import care
from core.cadre.care import CareRefused
from core.cadre.models import (
    CARE_MODELS,
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchOffice,
    CadCheckup,
    CadContact,
    CadPerson,
)
from core.db import make_engine, migrate
from core.models.registry import Attachment

CLERK = frozenset(ROLES_BY_NAME["cadre_clerk"].permissions)
READER = frozenset(ROLES_BY_NAME["cadre_reader"].permissions)
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("care") / "care.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = sessionmaker(engine)
    with factory() as s, s.begin():
        s.add_all([CadPerson(id="p1", name="王文华", gender="男", birth_date=date(1940, 1, 2)),
                   CadPerson(id="p2", name="李秀英", gender="女", birth_date=date(1945, 3, 4)),
                   CadPerson(id="p3", name="赵建国", gender="男", birth_date=date(1936, 5, 6), alive=False),
                   CadBranch(id="b1", name="第一党支部"),
                   CadBranchOffice(id="o1", person_id="p1", branch_id="b1", office="书记",
                                   term_start=date(2023, 1, 1)),
                   CadAid(id="a1", person_id="p1", applied_on=date(2026, 3, 1), reason="大病医疗困难",
                          requested_fen=300000),
                   CadActivity(id="act1", title="重阳登高", held_on=date(2026, 10, 29), place="佘山", capacity=1,
                               state="open"),
                   CadActivity(id="act2", title="迎春茶话会", held_on=date(2027, 1, 20), place="机关礼堂",
                               state="open"),
                   CadCheckup(id="c1", person_id="p1", year=2026, arranged_on=date(2026, 10, 1))])
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose changes are rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    s = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield s
    s.close()
    outer.rollback()
    connection.close()


@pytest.mark.parametrize(("text", "fen"), [("2000", 200000), ("2,000.5", 200050), ("0.01", 1), ("1500元", 150000),
                                           ("2000.500", 200050), ("1000000", 100_000_000)])
def test_amounts_in_yuan_become_fen(text: str, fen: int) -> None:
    assert care.parse_amount(text) == fen


@pytest.mark.parametrize(("text", "message"), [("", "请填写“金额”"), ("两千", "“金额”应为数字"), ("0", "“金额”应大于 0"),
                                               ("-5", "“金额”应大于 0"), ("12.345", "最多保留两位小数"),
                                               ("1000000.01", "超过 100 万元"), ("NaN", "“金额”应大于 0")])
def test_bad_amounts_are_refused_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(CareRefused, match=message) as refused:
        care.parse_amount(text)
    assert refused.value.field == "金额"


def test_aid_goes_applied_approved_paid_and_the_yearly_total_follows(session: Session) -> None:
    row = care.apply_aid(session, CLERK, "p1", date(2026, 11, 2), "住院自付费用高", "1500.50")
    assert (row.state, row.requested_fen) == ("applied", 150050)
    care.approve_aid(session, CLERK, "a1", "2000", date(2026, 3, 10), "张处长")
    totals = {(t.person_id, t.year): t for t in care.aid_totals(care.aid_rows(session))}
    assert (totals[("p1", 2026)].applications, totals[("p1", 2026)].approved_fen) == (2, 200000)
    with pytest.raises(CareRefused, match="已批准，不能再审批"):
        care.refuse_aid(session, CLERK, "a1", "重复", date(2026, 3, 11), "张处长")
    with pytest.raises(CareRefused, match="“发放日期”不能早于审批日期"):
        care.pay_aid(session, CLERK, "a1", date(2026, 3, 9))
    care.pay_aid(session, CLERK, "a1", date(2026, 3, 20))
    assert care.aid_totals(care.aid_rows(session))[0].paid_fen == 200000
    with pytest.raises(CareRefused, match="只有已批准的申请才能发放"):
        care.pay_aid(session, CLERK, row.id, TODAY)
    with pytest.raises(CareRefused, match="请填写“不予批准理由”"):
        care.refuse_aid(session, CLERK, row.id, "  ", TODAY, "张处长")
    with pytest.raises(CareRefused, match="“审批日期”不能早于申请日期"):
        care.refuse_aid(session, CLERK, row.id, "不符合条件", date(2026, 1, 1), "张处长")
    care.refuse_aid(session, CLERK, row.id, "不符合条件", TODAY, "张处长")
    assert session.get(CadAid, row.id).note == "不符合条件"  # type: ignore[union-attr]


def test_an_office_change_ends_the_current_secretary_and_terms_end_after_they_start(session: Session) -> None:
    with pytest.raises(CareRefused, match="“任期结束”应晚于“任期开始”") as refused:
        care.record_office(session, CLERK, "b1", "p2", "委员", date(2026, 1, 1), date(2025, 12, 31))
    assert refused.value.field == "任期结束"
    with pytest.raises(CareRefused, match="应晚于现任书记的任期开始"):
        care.record_office(session, CLERK, "b1", "p2", "书记", date(2022, 1, 1))
    care.record_office(session, CLERK, "b1", "p2", "书记", date(2026, 1, 1))
    terms = care.terms(session, "b1")
    assert [(t.name, t.office, t.end) for t in terms] == [("李秀英", "书记", None),
                                                          ("王文华", "书记", date(2025, 12, 31))]
    with pytest.raises(CareRefused, match="已去世"):
        care.record_office(session, CLERK, "b1", "p3", "委员", date(2026, 1, 1))
    with pytest.raises(CareRefused, match="请从“职务”中选择"):
        care.record_office(session, CLERK, "b1", "p1", "主席", date(2026, 1, 1))
    care.add_member(session, CLERK, "b1", "p2", date(2026, 1, 1))
    with pytest.raises(CareRefused, match="已是第一党支部党员"):
        care.add_member(session, CLERK, "b1", "p2", date(2026, 2, 1))


def test_sign_up_beyond_the_capacity_is_refused_and_attendance_waits_for_the_day(session: Session) -> None:
    entry = care.sign_up(session, CLERK, "act1", "p1", date(2026, 10, 1))
    with pytest.raises(CareRefused, match="名额已满（1 人）"):
        care.sign_up(session, CLERK, "act1", "p2", date(2026, 10, 1))
    care.sign_up(session, CLERK, "act2", "p1", TODAY)
    with pytest.raises(CareRefused, match="王文华已报名“迎春茶话会”"):
        care.sign_up(session, CLERK, "act2", "p1", TODAY)
    care.mark_attendance(session, CLERK, entry.id, True, TODAY)
    later = session.scalar(select(CadActivityEntry).where(CadActivityEntry.activity_id == "act2"))
    assert later is not None
    with pytest.raises(CareRefused, match="届时再登记出席"):
        care.mark_attendance(session, CLERK, later.id, True, TODAY)
    [held] = [a for a in care.activities(session) if a.activity_id == "act1"]
    assert (held.signed_up, held.attended) == (1, 1)
    with pytest.raises(CareRefused, match="“名额”应为正整数"):
        care.plan_activity(session, CLERK, "书画展", date(2027, 3, 1), "老干部活动室", "0")
    with pytest.raises(CareRefused, match="“报名截止”不能晚于活动日期"):
        care.plan_activity(session, CLERK, "书画展", date(2027, 3, 1), "老干部活动室", "30", date(2027, 3, 2))


def test_contacts_and_check_up_results(session: Session) -> None:
    with pytest.raises(CareRefused, match="“日期”不能晚于今天"):
        care.add_contact(session, CLERK, "p1", date(2026, 12, 6), "走访", "张处长", "看望", TODAY)
    with pytest.raises(CareRefused, match="请填写“情况记录”"):
        care.add_contact(session, CLERK, "p1", TODAY, "电话", "张处长", "", TODAY)
    care.add_contact(session, CLERK, "p1", TODAY, "走访", "张处长", "上门看望，身体尚好", TODAY)
    assert [c.summary for c in care.contacts(session)] == ["上门看望，身体尚好"]
    with pytest.raises(CareRefused, match="“体检日期”不能早于安排日期"):
        care.record_checkup_result(session, CLERK, "c1", date(2026, 9, 1), "未见明显异常")
    care.record_checkup_result(session, CLERK, "c1", date(2026, 10, 8), "未见明显异常", "血压正常")
    with pytest.raises(CareRefused, match="王文华2026 年的体检已经安排") as refused:
        care.arrange_checkup(session, CLERK, "p1", date(2026, 11, 1), "华东医院")
    assert refused.value.field == "姓名"
    with pytest.raises(CareRefused, match="请填写“体检医院”"):
        care.arrange_checkup(session, CLERK, "p2", date(2026, 11, 1), " ")
    with pytest.raises(CareRefused, match="体检安排和结果属于敏感信息"):
        care.arrange_checkup(session, frozenset({P_CADRE_RECORD}), "p2", date(2026, 11, 1), "华东医院")
    care.arrange_checkup(session, CLERK, "p2", date(2026, 11, 1), "华东医院")
    assert sorted(c.name for c in care.checkups(session)) == ["李秀英", "王文华"]
    assert care.checkups(session)[0].conclusion == "未见明显异常"


def test_the_reader_may_not_write_and_only_the_sensitive_permission_records_results(session: Session) -> None:
    assert not care.may_write(READER) and care.may_write(CLERK)
    with pytest.raises(CareRefused, match="只能查阅"):
        care.apply_aid(session, READER, "p1", TODAY, "困难", "100")
    with pytest.raises(CareRefused, match="体检安排和结果属于敏感信息"):
        care.record_checkup_result(session, frozenset({P_CADRE_RECORD}), "c1", TODAY, "未见明显异常")
    assert P_CADRE_SENSITIVE in CLERK


def _counts(session: Session) -> dict[str, Any]:
    out: dict[str, Any] = {m.__tablename__: session.scalar(select(func.count()).select_from(m))
                           for m in (*CARE_MODELS, CadCheckup)}
    out["aid"] = [(a.state, a.approved_fen, a.note) for a in session.scalars(select(CadAid).order_by(CadAid.id))]
    out["offices"] = [(o.person_id, o.term_end) for o in session.scalars(select(CadBranchOffice)
                                                                            .order_by(CadBranchOffice.id))]
    out["checkup"] = [(c.done_on, c.conclusion) for c in session.scalars(select(CadCheckup))]
    out["contacts"] = session.scalar(select(func.count()).select_from(CadContact))
    out["attachments"] = session.scalar(select(func.count()).select_from(Attachment))
    return out


BAD_TEXT = st.sampled_from(["", "  ", "abc", "-1", "0", "1.001", "99999999", "x" * 300])
ACTIONS: list[Callable[[Session, frozenset[str], str, date], object]] = [
    lambda s, p, t, d: care.apply_aid(s, p, "p1", d, "困难", t),
    lambda s, p, t, d: care.approve_aid(s, p, "a1", t, d, "张处长"),
    lambda s, p, t, d: care.refuse_aid(s, p, "a1", t.strip() if len(t) < 250 else t, date(2020, 1, 1), "张处长"),
    lambda s, p, t, d: care.record_office(s, p, "b1", "p2", "书记", d, date(2000, 1, 1), t),
    lambda s, p, t, d: care.plan_activity(s, p, "讲座", d, "礼堂", t),
    lambda s, p, t, d: care.sign_up(s, p, "act1", "p3", d),
    lambda s, p, t, d: care.add_contact(s, p, "p1", date(2030, 1, 1), "走访", "张处长", t, TODAY),
    lambda s, p, t, d: care.record_checkup_result(s, p, "c1", date(2000, 1, 1), t or "结论"),
    lambda s, p, t, d: care.add_photo(s, p, "act1", "合影.txt", t.encode(), _attach),
    lambda s, p, t, d: care.arrange_checkup(s, p, "p1" if t.strip() else "p2", date(2026, 5, 1), t),
]


def _attach(session: Session, owner: Any, data: bytes, filename: str) -> None:
    session.add(Attachment(sha256="0" * 64, size=len(data), mime="image/png", filename=filename,
                           owner_table=owner.__tablename__, owner_id=owner.id, owner_scope="cadre"))


def test_activity_photos_are_pictures_owned_by_the_activity(session: Session) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    with pytest.raises(CareRefused, match="不是照片") as refused:
        care.add_photo(session, CLERK, "act1", "名单.txt", "名单".encode(), _attach)
    assert refused.value.field == "照片"
    with pytest.raises(CareRefused, match="是空的"):
        care.add_photo(session, CLERK, "act1", "合影.png", b"", _attach)
    care.add_photo(session, CLERK, "act1", "合影.png", png, _attach)
    assert care.photo_counts(session) == {"act1": 1}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(range(len(ACTIONS))), text=BAD_TEXT,
       day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       permissions=st.sampled_from([CLERK, READER, frozenset()]))
def test_a_refused_action_changes_nothing(engine: Engine, action: int, text: str, day: date,
                                          permissions: frozenset[str]) -> None:
    """Whatever the bad input and whoever asks, a refusal leaves the session clean and the tables as they were."""
    factory = sessionmaker(engine)
    with factory() as s:
        before = _counts(s)
    with factory() as s:
        try:
            with s.begin():
                ACTIONS[action](s, permissions, text, day)
                refused = False
                s.rollback()  # an accepted action is not kept: the next example starts from the same tables
        except CareRefused as refusal:
            refused = True
            assert str(refusal)
        if refused:
            assert not s.new and not s.dirty
    with factory() as s:
        assert _counts(s) == before
