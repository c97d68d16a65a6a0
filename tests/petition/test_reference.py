"""The reference data of letters and visits: seeded once, never overwriting an administrator's change."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.db import make_engine, make_session_factory
from core.petition.districts import DISTRICTS, district_name
from core.petition.models import PetBody, PetCategory, PetRoutingRule
from core.petition.reference import BODIES, CATEGORIES, category_names, propose_body, seed_reference
from tests.helpers.sqlite import copy_of


def test_seed_adds_missing_rows_only(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'p.sqlite3')}")
    factory = make_session_factory(engine)
    with factory.begin() as s:
        added = seed_reference(s)
    with factory.begin() as s:
        assert s.scalar(select(func.count()).select_from(PetBody)) == len(BODIES)
        body = s.scalars(select(PetBody).where(PetBody.code == "jkww")).one()
        body.name = "教科文卫委（改名）"
        assert seed_reference(s) == 0
    with factory() as s:
        assert s.scalars(select(PetBody.name).where(PetBody.code == "jkww")).one() == "教科文卫委（改名）"
        total = sum(1 + len(children) for _c, _n, children in CATEGORIES)
        assert s.scalar(select(func.count()).select_from(PetCategory)) == total
        assert added == total + len(BODIES) + s.scalar(select(func.count()).select_from(PetRoutingRule))
        assert category_names(s)["0401"] == "城乡建设与住房 / 旧区改造与征收补偿"
    engine.dispose()


def _rules() -> list[PetRoutingRule]:
    return [PetRoutingRule(category_code="04", district_code="", body_code="szf", route="转送", priority=0,
                           deleted=False),
            PetRoutingRule(category_code="04", district_code="310115", body_code="qrd310115", route="转送",
                           priority=10, deleted=False),
            PetRoutingRule(category_code="0402", district_code="", body_code="cjhb", route="交办", priority=0,
                           deleted=False)]


def test_the_most_specific_rule_is_proposed() -> None:
    rules = _rules()
    assert (chosen := propose_body(rules, "0401", "310115")) is not None and chosen.body_code == "qrd310115"
    assert (chosen := propose_body(rules, "0401", "310101")) is not None and chosen.body_code == "szf"
    assert (chosen := propose_body(rules, "0402", "310115")) is not None and chosen.body_code == "cjhb"
    assert propose_body(rules, "0601", "310115") is None


@given(st.text(alphabet="0123456789", min_size=2, max_size=4), st.sampled_from([c for c, _ in DISTRICTS] + [""]))
def test_a_proposal_always_fits_the_case(category: str, district: str) -> None:
    chosen = propose_body(_rules(), category, district)
    if chosen is not None:
        assert chosen.category_code in (category, category[:2])
        assert chosen.district_code in ("", district)


def test_district_names() -> None:
    assert len(DISTRICTS) == 16 and district_name("310115") == "浦东新区" and district_name("000000") == "外省市"
    assert district_name("") == "" and district_name("999999") == "999999"
