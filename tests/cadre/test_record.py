"""Editing a person's record (core/cadre/record.py): validation by example, and a refused edit changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.cadre import record
from core.cadre.models import CadCategory, CadFamily, CadFieldDef, CadFieldValue, CadInterest, CadPerson
from core.db import make_engine
from core.sync.client import LocalStore
from core.sync.outbox import OutboxEntry
from tests.helpers.sqlite import migrated_copy

TODAY = date(2026, 5, 20)
GOOD_ID = "11010519491231002X"  # the standard's example: check digit X
PERSON = {"name": "张三", "gender": "男", "birth_date": "1949-12-31", "id_number": GOOD_ID, "stage": "retired",
          "retirement_kind": "退休", "work_start_date": "1968-09-01", "retired_on": "2009-12-31", "alive": True,
          "phone_mobile": "13900001111", "postcode": "200003"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    """A local store of its own for each test (a copy of the migrated blank database): the tests add and change
    rows of the same person, and one test's rows must not be in another's, whatever the order."""
    engine = make_engine(f"sqlite:///{migrated_copy(tmp_path / 'local.sqlite3')}")
    store = LocalStore(engine, tmp_path / "blobs")
    store.set_permissions({"cadre.record", "cadre.sensitive", "pii.contact", "pii.identity"})
    with store.session() as s, s.begin():
        s.add(CadPerson(id="p1", name="张三", gender="男", birth_date=date(1949, 12, 31), stage="retired",
                        retirement_kind="退休", id_number=GOOD_ID))
        s.add(CadCategory(code="TX", name="退休干部"))
        s.add(CadFieldDef(key="blood", label="血型", field_type="choice", choices="A、B、AB、O"))
        s.add(CadFieldDef(key="height", label="身高", field_type="number"))
    yield store
    engine.dispose()


def _snapshot(store: LocalStore) -> dict[str, Any]:
    with store.session() as s:
        person = s.get(CadPerson, "p1")
        assert person is not None
        columns = {c.key: getattr(person, c.key) for c in CadPerson.__table__.columns}
        return {"person": columns, "outbox": s.scalar(select(func.count()).select_from(OutboxEntry)),
                "family": s.scalar(select(func.count()).select_from(CadFamily)),
                "values": s.scalar(select(func.count()).select_from(CadFieldValue))}


@pytest.mark.parametrize(("text", "problem"), [
    (GOOD_ID, None),
    ("11010519491231002x", None),  # a lower-case x is the same
    ("110105194912310021", "校验码不对（最后一位应为 X）"),
    ("11010519491331002X", "出生日期 19491331 不是有效日期"),
    ("1101051949123100", "应为 18 位"),
    ("11010519491231002Y", "应为 18 位"),
])
def test_id_number_checksum_per_gb_11643(text: str, problem: str | None) -> None:
    found = record.id_number_problem(text)
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(("change", "message"), [
    ({"name": ""}, "姓名：必须填写"),
    ({"birth_date": "1949-02-30"}, "出生日期：“1949-02-30”不是有效日期"),
    ({"birth_date": "2027-01-01"}, "出生日期：2027-01-01 晚于今天"),
    ({"work_start_date": "1940-01-01"}, "参加工作时间：1940-01-01 早于出生日期 1949-12-31"),
    ({"retired_on": "1945-01-01"}, "离退休时间：1945-01-01 早于出生日期"),
    ({"id_number": "110105194912310021"}, "身份证号：校验码不对"),
    ({"id_number": "110105195001010012"}, "与出生日期 19491231 不一致"),
    ({"retirement_kind": ""}, "离退休类别：已离退休的人员须选择离休或退休"),
    ({"alive": False}, "去世日期：不再健在的人员须填写去世日期"),
    ({"died_on": "2020-01-01"}, "去世日期：健在的人员不能有去世日期"),
    ({"postcode": "2000"}, "邮政编码：“2000”应为 6 位数字"),
    ({"phone_mobile": "139abc"}, "手机：“139abc”不是有效的电话号码"),
    ({"gender": "未知"}, "性别：“未知”不在可选项中"),
    ({"name": "张" * 61}, "姓名：最多 60 个字，现有 61 个"),
])
def test_a_bad_person_form_is_refused_naming_the_field_and_saves_nothing(store: LocalStore, change: dict[str, Any],
                                                                         message: str) -> None:
    before = _snapshot(store)
    with pytest.raises(record.RecordRefused) as refused, store.session() as s, s.begin():
        record.save_person(s, "p1", {**PERSON, **change}, TODAY)
    assert any(message in p for p in refused.value.problems), refused.value.problems
    assert _snapshot(store) == before


def test_a_good_person_form_is_saved_and_queued_for_sync(store: LocalStore) -> None:
    with store.session() as s, s.begin():
        record.save_person(s, "p1", {**PERSON, "former_unit": "办公厅", "id_number": GOOD_ID.lower()}, TODAY)
    with store.session() as s:
        person = s.get(CadPerson, "p1")
        assert person is not None and person.former_unit == "办公厅" and person.id_number == GOOD_ID
        assert person.work_start_date == date(1968, 9, 1) and person.postcode == "200003"
        queued = s.scalars(select(OutboxEntry).where(OutboxEntry.row_id == "p1")).all()
        assert any(e.changes.get("former_unit") == "办公厅" for e in queued)


def test_sub_rows_are_added_changed_and_removed(store: LocalStore) -> None:
    with store.session() as s, s.begin():
        first = record.save_row(s, "cad_family", "p1", None, {"relation": "配偶", "name": "王芳", "birth_year": "1951",
                                                              "phone": "13900002222", "emergency_contact": True},
                                TODAY)
        second = record.save_row(s, "cad_family", "p1", None, {"relation": "女儿", "name": "张丽",
                                                               "emergency_contact": True}, TODAY)
        first_id, second_id = first.id, second.id
    with store.session() as s:  # one emergency contact per person: the latest one marked
        rows = record.person_rows(s, "cad_family", "p1")
        assert (rows[0].name, rows[0].emergency_contact) == ("张丽", True)
        assert s.get(CadFamily, first_id).emergency_contact is False  # type: ignore[union-attr]
    with store.session() as s, s.begin():
        record.save_row(s, "cad_family", "p1", first_id, {"relation": "配偶", "name": "王芳", "birth_year": "1952"},
                        TODAY)
        record.remove_row(s, "cad_family", second_id)
    with store.session() as s:
        rows = record.person_rows(s, "cad_family", "p1")
        assert [(r.name, r.birth_year) for r in rows] == [("王芳", 1952)]


@pytest.mark.parametrize(("table", "values", "message"), [
    ("cad_life_event", {"start_on": "1980-01-01", "end_on": "1979-12-31"}, "截止日期：1979-12-31 早于起始日期"),
    ("cad_life_event", {"start_on": ""}, "起始日期：必须填写"),
    ("cad_hospital_stay", {"hospital": "华东医院", "admitted_on": "2026-05-21"}, "入院日期：2026-05-21 晚于今天"),
    ("cad_hospital_stay", {"hospital": "华东医院", "admitted_on": "2025-03-02", "discharged_on": "2025-03-01"},
     "出院日期：2025-03-01 早于入院日期"),
    ("cad_family", {"relation": "配偶", "name": "王芳", "birth_year": "1850"}, "出生年份：1850 不在 1900 至 2026 之间"),
    ("cad_family", {"relation": "朋友", "name": "王芳"}, "关系：“朋友”不在可选项中"),
    ("cad_person_category", {"category_code": "XX"}, "人员类别：“XX”不在可选项中"),
    ("cad_award", {"title": "", "awarded_on": "2001-13-01"}, "获奖日期：“2001-13-01”不是有效日期"),
    ("cad_interest", {"kind": "兴趣", "name": ""}, "名称：必须填写"),
])
def test_bad_sub_rows_are_refused_and_nothing_is_added(store: LocalStore, table: str, values: dict[str, Any],
                                                       message: str) -> None:
    model = record.MODELS[table]
    with store.session() as s:
        before = s.scalar(select(func.count()).select_from(model))
    with pytest.raises(record.RecordRefused) as refused, store.session() as s, s.begin():
        record.save_row(s, table, "p1", None, values, TODAY)
    assert any(message in p for p in refused.value.problems), refused.value.problems
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(model)) == before


def test_a_category_is_held_once(store: LocalStore) -> None:
    with store.session() as s, s.begin():
        record.save_row(s, "cad_person_category", "p1", None, {"category_code": "TX"}, TODAY)
    with pytest.raises(record.RecordRefused, match="已属于"), store.session() as s, s.begin():
        record.save_row(s, "cad_person_category", "p1", None, {"category_code": "TX"}, TODAY)


def test_extra_field_values_follow_their_definition(store: LocalStore) -> None:
    with store.session() as s:
        defs = {d.key: d for d in record.field_definitions(s)}
    with pytest.raises(record.RecordRefused, match="血型：“C”不在可选项中"), store.session() as s, s.begin():
        record.save_field_value(s, "p1", defs["blood"], "C", TODAY)
    with pytest.raises(record.RecordRefused, match="身高：“高”不是数字"), store.session() as s, s.begin():
        record.save_field_value(s, "p1", defs["height"], "高", TODAY)
    with store.session() as s, s.begin():
        record.save_field_value(s, "p1", defs["blood"], "AB", TODAY)
        record.save_field_value(s, "p1", defs["height"], "172", TODAY)
    with store.session() as s:
        assert record.field_values(s, "p1") == {"blood": "AB", "height": "172"}
    with store.session() as s, s.begin():
        record.save_field_value(s, "p1", defs["height"], "", TODAY)  # emptied: removed
    with store.session() as s:
        assert record.field_values(s, "p1") == {"blood": "AB"}


def test_writable_follows_the_sync_write_rules() -> None:
    clerk = {"cadre.record", "cadre.sensitive", "pii.contact"}
    reader = {"pii.contact", "sync.use"}
    assert record.writable("cad_person", clerk) and record.writable("cad_family", clerk, "insert")
    assert not record.writable("cad_person", reader) and not record.writable("cad_document", reader, "insert")
    assert not record.writable("cad_family", {"cadre.record"})  # the sensitive part needs cadre.sensitive
    assert not record.writable("cad_field_def", clerk)  # the administrator's configuration


_text = st.text(alphabet=st.sampled_from("张三0123456789-X*abc 年"), max_size=20)
_day = st.one_of(st.just(""), st.dates(date(1890, 1, 1), date(2035, 12, 31)).map(date.isoformat), _text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.fixed_dictionaries({
    "name": st.one_of(st.just(""), _text, st.text(min_size=61, max_size=70)),
    "gender": st.sampled_from(["", "男", "女", "未知"]),
    "birth_date": _day, "work_start_date": _day, "party_date": _day, "retired_on": _day, "died_on": _day,
    "id_number": st.one_of(st.just(GOOD_ID), st.just(""), _text),
    "stage": st.sampled_from(["retired", "upcoming", "other"]),
    "retirement_kind": st.sampled_from(["", "离休", "退休", "停休"]),
    "alive": st.booleans(), "postcode": st.one_of(st.just(""), _text), "phone_mobile": _text,
}))
def test_a_refused_edit_changes_nothing(store: LocalStore, form: dict[str, Any]) -> None:
    with store.session() as s, s.begin():  # a known state before each example
        person = s.get(CadPerson, "p1")
        assert person is not None
        person.name, person.former_post = "张三", "巡视员"
    before = _snapshot(store)
    try:
        with store.session() as s, s.begin():
            record.save_person(s, "p1", {**form, "former_post": "已改"}, TODAY)
    except record.RecordRefused as refused:
        assert refused.problems and all("：" in p for p in refused.problems)  # each names its field
        assert _snapshot(store) == before
    else:
        after = _snapshot(store)
        assert after["person"]["former_post"] == "已改"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({"relation": st.sampled_from(["配偶", "朋友", ""]), "name": _text,
                                     "birth_year": st.one_of(st.just(""), _text, st.integers(1800, 2100).map(str)),
                                     "phone": _text, "emergency_contact": st.booleans()}))
def test_a_refused_family_row_adds_nothing(store: LocalStore, values: dict[str, Any]) -> None:
    before = _snapshot(store)
    try:
        with store.session() as s, s.begin():
            record.save_row(s, "cad_family", "p1", None, values, TODAY)
    except record.RecordRefused:
        assert _snapshot(store) == before
    else:
        assert _snapshot(store)["family"] == before["family"] + 1


def test_interest_kinds(store: LocalStore) -> None:
    with store.session() as s, s.begin():
        record.save_row(s, "cad_interest", "p1", None, {"kind": "特长", "name": "书法"}, TODAY)
    with store.session() as s:
        assert [r.name for r in s.scalars(select(CadInterest).where(CadInterest.person_id == "p1"))] == ["书法"]
