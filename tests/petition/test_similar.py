"""Repeat and similar petitions: the same person, similar text, links counted once; search and the inbox."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.petition import similar, textindex
from core.petition.models import PetCase, PetCaseLink, PetPetitioner
from core.petition.search import inbox, search
from core.petition.similar import LinkRefused, link_repeat, same_person_cases, similar_cases
from core.petition.stats import period_stats
from tests.petition.cases import add_case, database, database_at


def _more(s, n: int = 6) -> None:  # type: ignore[no-untyped-def]
    subjects = ["道路夜间施工噪声扰民", "公交线路撤销出行不便", "低保申请被拒请求复核", "学区划分调整影响入学",
                "餐饮油烟直排影响居民", "退休金计算有误申请复核"]
    for i in range(n):
        case = add_case(s, code=f"XF20261101-T{i:04d}", subject=subjects[i % len(subjects)], name=f"李{i}",
                        received=date(2026, 11, 1 + i))
        case.content = f"{subjects[i % len(subjects)]}，已多次反映。"
        person = s.get(PetPetitioner, case.petitioner_id)
        assert person is not None
        person.id_number, person.phone = f"31010419800101{i:03d}X", f"1380000{i:04d}"


def test_similar_text_finds_the_case_and_the_index_follows_changes(migrated_sqlite: Path, tmp_path: Path) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        _more(s)
        lift = add_case(s, code="XF20261201-LIFT", subject="小区加装电梯补贴发放问题")
    with factory.begin() as s:
        found = similar_cases(s, "小区加装电梯补贴发放问题\n本人所在小区于2025年完成加装电梯，补贴至今未发放。")
        assert found[0].code == "XF20261201-LIFT" and found[0].score == 1.0
        assert all(f.code != "XF20261201-LIFT" for f in similar_cases(s, "加装电梯补贴", exclude_id=lift.id))
        assert similar_cases(s, "完全无关的内容火星探测") == []
        # the text changes: the index follows (the old words no longer find it, the new ones do)
        case = s.get(PetCase, lift.id)
        assert case is not None
        case.subject, case.content, case.version = "菜场搬迁后买菜不便", "菜场搬迁到两公里外。", 2
    with factory.begin() as s:
        assert all(f.code != "XF20261201-LIFT" for f in similar_cases(s, "加装电梯补贴发放"))
        assert similar_cases(s, "菜场搬迁买菜不便")[0].code == "XF20261201-LIFT"
        assert s.scalar(select(func.count()).select_from(textindex.PetTextDoc)) == 7
        # a deleted case is not offered
        case = s.get(PetCase, lift.id)
        assert case is not None
        case.deleted, case.version = True, 3
    with factory.begin() as s:
        assert all(f.code != "XF20261201-LIFT" for f in similar_cases(s, "菜场搬迁买菜不便"))


def test_same_person_by_id_phone_masked_values_and_name_with_address(migrated_sqlite: Path, tmp_path: Path) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        first = add_case(s, code="XF20261201-AAAA", name="张三")
        _more(s, 2)
        masked = PetPetitioner(name="王五", id_number="3101**********5678", phone="139****0000", address="******")
        s.add(masked)
        s.flush()
        s.add(PetCase(code="XF20261202-MASK", channel="来信", received_on=date(2026, 12, 2), subject="某事",
                      petitioner_id=masked.id))
    with factory() as s:
        assert [c.code for c in same_person_cases(s, id_number="310101199001011234")] == [first.code]
        assert same_person_cases(s, phone="138 0013 8000")[0].reason == "手机号相同"
        # the clerk's copy holds masked values: typing the full number still finds the person
        assert [c.code for c in same_person_cases(s, id_number="310101190001015678")] == ["XF20261202-MASK"]
        assert [c.code for c in same_person_cases(s, phone="13912340000")] == ["XF20261202-MASK"]
        near = same_person_cases(s, name="张三", address="上海市黄浦区人民大道200号1室")
        assert [c.code for c in near] == [first.code] and near[0].reason == "姓名相同、地址相近"
        assert same_person_cases(s, name="张三", address="浦东新区张江镇") == []
        assert same_person_cases(s, name="王五", address="黄浦区") == []  # a masked address proves nothing


def test_a_linked_repeat_counts_once(migrated_sqlite: Path, tmp_path: Path) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        first = add_case(s, code="XF20261201-AAAA", received=date(2026, 12, 1))
        again = add_case(s, code="XF20261203-BBBB", received=date(2026, 12, 3))
        third = add_case(s, code="XF20261204-CCCC", received=date(2026, 12, 4))
        before = period_stats(s, date(2026, 12, 1), date(2026, 12, 31))
        link_repeat(s, again, first)
        link_repeat(s, again, first)  # twice: one link
        link_repeat(s, third, again)  # a repeat of a repeat counts against the first case
        assert again.repeat_of == first.id and third.repeat_of == first.id
        with pytest.raises(LinkRefused, match="自身"):
            link_repeat(s, first, first)
        with pytest.raises(LinkRefused, match="反向"):
            link_repeat(s, first, again)
        with pytest.raises(LinkRefused, match="关联类型"):
            link_repeat(s, first, third, kind="same")
        similar.link_repeat(s, first, third, kind="similar")
    with factory() as s:
        after = period_stats(s, date(2026, 12, 1), date(2026, 12, 31))
        assert (before.total, before.repeats) == (3, 0)
        assert (after.total, after.repeats) == (1, 2)
        assert sum(c.count for c in after.by_category) == after.total
        assert s.scalar(select(func.count()).select_from(PetCaseLink)) == 3
        assert len(similar.links_of(s, again.id)) == 2


def test_search_by_code_tracking_person_and_text(migrated_sqlite: Path, tmp_path: Path) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        _more(s)
        add_case(s, code="XF20261201-LIFT", name="赵六")
    with factory.begin() as s:
        assert [h.matched for h in search(s, "xf20261201-lift")] == ["案件编号"]
        assert {h.matched for h in search(s, "T7Q2K9")} == {"查询码"}
        assert [(h.code, h.matched) for h in search(s, "13800138000")] == [("XF20261201-LIFT", "手机号")]
        assert search(s, "310101199001011234")[0].matched == "身份证号"
        assert [h.code for h in search(s, "赵六")] == ["XF20261201-LIFT"]
        assert [h.code for h in search(s, "电梯 补贴")] == ["XF20261201-LIFT"]
        assert [h.code for h in search(s, "申请复核")] == ["XF20261101-T0005"]
        assert [h.code for h in search(s, "复核")] == ["XF20261101-T0005", "XF20261101-T0002"]
        assert search(s, "梯电") == [] and search(s, "   ") == []


def test_inbox_overdue_first_then_nearest_deadline(migrated_sqlite: Path, tmp_path: Path) -> None:
    _engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        for i, due in enumerate((date(2026, 12, 20), None, date(2026, 11, 30), date(2026, 12, 8))):
            case = add_case(s, code=f"XF20261201-I{i}")
            case.due_on = due
        add_case(s, code="XF20261201-DONE", state="closed")
    with factory() as s:
        rows = inbox(s, today=date(2026, 12, 5))
        assert [r.code for r in rows] == ["XF20261201-I2", "XF20261201-I3", "XF20261201-I0", "XF20261201-I1"]
        assert rows[0].light == "red" and rows[0].days_left is not None and rows[0].days_left < 0
        assert rows[-1].days_left is None and rows[-1].light == ""
        assert [r.code for r in inbox(s, today=date(2026, 12, 5), limit=2, offset=2)] == \
            ["XF20261201-I0", "XF20261201-I1"]


def test_on_postgresql_too(server_db_url: str) -> None:
    """The same index, search and statistics on the server's PostgreSQL."""
    engine, factory = database_at(server_db_url)
    with factory.begin() as s:
        _more(s)
        first = add_case(s, code="XF20261201-LIFT")
        again = add_case(s, code="XF20261202-LIFT", received=date(2026, 12, 2))
        link_repeat(s, again, first)
    with factory.begin() as s:
        assert similar_cases(s, "小区加装电梯补贴发放问题")[0].code in {"XF20261201-LIFT", "XF20261202-LIFT"}
        assert {h.code for h in search(s, "电梯 补贴")} == {"XF20261201-LIFT", "XF20261202-LIFT"}
        st = period_stats(s, date(2026, 11, 1), date(2026, 12, 31))
        assert (st.total, st.repeats) == (7, 1)
        assert {c.key for c in st.by_month} == {"2026-11", "2026-12"}
        assert sum(c.count for c in st.by_month) == st.total
    engine.dispose()


def test_refresh_database_commits_the_index(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine, factory = database(migrated_sqlite, tmp_path / "p.sqlite3")
    with factory.begin() as s:
        _more(s, 3)
    assert textindex.refresh_database(engine) == 3
    assert textindex.refresh_database(engine) == 0
    with factory() as s:  # a read-only session: the index is already there
        assert similar_cases(s, "公交线路撤销出行不便", refresh=False)[0].code == "XF20261101-T0001"
    engine.dispose()
