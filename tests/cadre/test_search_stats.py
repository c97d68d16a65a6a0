"""Finding people by name, pinyin and initials; the analysis figures on a small worked database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from core.cadre.models import (
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadCategory,
    CadPerson,
    CadPersonCategory,
)
from core.cadre.search import SearchIndex, keys
from core.cadre.stats import analysis
from core.db import make_engine, make_session_factory
from tests.helpers.sqlite import copy_of

NAMES = [("1", "张建国"), ("2", "张建华"), ("3", "赵建国"), ("4", "单田芳"), ("5", "吕秀英"), ("6", "王文华")]


def _names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [e.name for e in found]


def test_initials_pinyin_and_name_find_the_person() -> None:
    index = SearchIndex(NAMES)
    assert _names(index.search("zjg")) == ["张建国", "赵建国"]  # both names have the initials zjg
    assert _names(index.search("ZJ")) == ["张建华", "张建国", "赵建国"]
    assert _names(index.search("zhangj")) == ["张建华", "张建国"]
    assert _names(index.search("zhangjianh")) == ["张建华"]
    assert _names(index.search("建国")) == ["张建国", "赵建国"]  # a part of the name
    assert _names(index.search("stf")) == ["单田芳"]  # the surname 单 is read shan
    assert _names(index.search("lvxiu")) == ["吕秀英"]
    assert index.search("  ") == [] and index.search("qqq") == []
    index.update("1", "张建军")
    index.update("6", None)
    assert _names(index.search("zjj")) == ["张建军"] and index.search("wwh") == [] and len(index) == 5


@given(st.lists(st.sampled_from("张王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施建国华英秀文明"), min_size=2, max_size=3))
def test_every_name_is_found_by_its_initials_and_its_pinyin(chars: list[str]) -> None:
    name = "".join(chars)
    spellings, initials = keys(name)
    index = SearchIndex([("x", name), *NAMES])
    assert "x" in [e.person_id for e in index.search(initials[0])]
    assert "x" in [e.person_id for e in index.search(spellings[0])]
    assert "x" in [e.person_id for e in index.search(name)]


def test_the_analysis_of_a_worked_database(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 's.sqlite3')}")
    factory = make_session_factory(engine)
    with factory.begin() as s:
        people = [CadPerson(name="甲", birth_date=date(1936, 1, 1)), CadPerson(name="乙", birth_date=date(1946, 12, 31)),
                  CadPerson(name="丙", birth_date=date(1950, 6, 1)),
                  CadPerson(name="丁", birth_date=date(1930, 1, 1), alive=False, died_on=date(2025, 3, 1)),
                  CadPerson(name="戊", birth_date=date(1931, 1, 1), alive=False, died_on=date(2025, 8, 1))]
        branch = CadBranch(name="第一党支部")
        activity = CadActivity(title="重阳登高", held_on=date(2026, 10, 29), state="done")
        s.add_all([*people, branch, activity, CadCategory(code="LX", name="离休干部")])
        s.flush()
        a, b, c = people[:3]
        s.add_all([
            CadPersonCategory(person_id=a.id, category_code="LX"), CadPersonCategory(person_id=people[3].id, category_code="LX"),
            CadBranchMember(person_id=a.id, branch_id=branch.id), CadBranchMember(person_id=b.id, branch_id=branch.id),
            CadBranchMember(person_id=c.id, branch_id=branch.id, left_on=date(2025, 1, 1)),
            CadAid(person_id=a.id, applied_on=date(2026, 3, 1), state="paid", approved_fen=200000),
            CadAid(person_id=a.id, applied_on=date(2026, 9, 1), state="approved", approved_fen=50000),
            CadAid(person_id=b.id, applied_on=date(2026, 5, 1), state="refused"),
            CadAid(person_id=b.id, applied_on=date(2025, 5, 1), state="paid", approved_fen=100000),
            CadActivityEntry(person_id=a.id, activity_id=activity.id, attended=True),
            CadActivityEntry(person_id=b.id, activity_id=activity.id, attended=False),
            CadActivityEntry(person_id=c.id, activity_id=activity.id, attended=True),
        ])
    with factory() as s:
        result = analysis(s, date(2026, 12, 5))
    engine.dispose()
    assert result.living == 3
    assert result.ages == {"60 岁以下": 0, "60–69 岁": 0, "70–79 岁": 2, "80–89 岁": 0, "90 岁及以上": 1}
    assert result.categories == {"离休干部": 1}  # the deceased member is not counted
    assert result.branches == {"第一党支部": 2}  # the one who left is not counted
    assert [(y.year, y.applications, y.approved, y.approved_fen, y.paid_fen, y.people) for y in result.aid] == [
        (2025, 1, 1, 100000, 100000, 1), (2026, 3, 2, 250000, 200000, 2)]
    [att] = result.attendance
    assert (att.signed_up, att.attended) == (3, 2) and round(att.rate or 0, 3) == 0.667
    assert result.deaths == {2025: 2}
