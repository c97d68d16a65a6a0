"""The payment rules against the cases a clerk would check by hand: a large payment among its economic class,
and people told from organisations by surname and organisation words, not by length; near misses not flagged."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.budget.models import Indicator, Payment
from core.budget.warnings import evaluate
from core.budget.warnings.names import KNOWN_ORGANISATIONS, SINGLE_SURNAMES, looks_like_person
from core.budget.warnings.payments import purpose_hits
from core.models.registry import Department

YEAR = 2024


def _payments(factory: sessionmaker[Session], rows: list[tuple[str, int, str, str]]) -> None:
    """(economic code, amount in yuan, payee, purpose) — each on its own indicator-month of one department."""
    with factory() as s, s.begin():
        s.add(Department(code="D070", name="市文化旅游局", domain="教科文卫"))
        s.add(Indicator(year=YEAR, indicator_no="I-1", department_code="D070", functional_code="2070101",
                        amount_fen=10**12, issued_on=date(YEAR, 1, 5), domain="教科文卫"))
        for i, (economic, yuan, payee, purpose) in enumerate(rows):
            s.add(Payment(year=YEAR, payment_no=f"P-{i:04d}", paid_on=date(YEAR, 1 + i % 12, 1 + i % 28),
                          month=1 + i % 12, payee=payee, amount_fen=yuan * 100, purpose=purpose,
                          department_code="D070", functional_code="2070101", economic_code=economic,
                          indicator_no=f"I-{i}", domain="教科文卫"))


def test_a_large_payment_is_judged_within_its_economic_class(engine: Engine, factory: sessionmaker[Session]) -> None:
    """700,000 yuan on 30202 among 60 payments of 50,000 in class 302: 30202 alone has two payments, but the
    class is the yardstick (docs/budget-warnings.md)."""
    rows = [("30201", 50_000, "上海某某办公用品有限公司", "办公用品") for _ in range(60)]
    rows += [("30202", 40_000, "上海某某印刷厂", "印刷"), ("30202", 700_000, "上海某某印刷厂", "年鉴印刷")]
    _payments(factory, rows)
    found = evaluate(engine, YEAR, 12, ["large_single_payment"])["large_single_payment"][1]
    assert [f.trail[0]["key"] for f in found] == ["P-0061"]
    assert "同一经济分类（类）（302）" in found[0].reason


def test_a_payment_near_the_class_yardstick_is_not_flagged(engine: Engine, factory: sessionmaker[Session]) -> None:
    rows = [("30201", 50_000, "上海某某办公用品有限公司", "办公用品") for _ in range(60)]
    rows.append(("30202", 350_000, "上海某某印刷厂", "印刷"))  # 7 times the reference: below the 8 of the rule
    _payments(factory, rows)
    assert evaluate(engine, YEAR, 12, ["large_single_payment"])["large_single_payment"][1] == []


def test_institutions_and_short_company_names_are_not_people(engine: Engine, factory: sessionmaker[Session]) -> None:
    rows = [("30299", 80_000, "上海市儿童福利院", "儿童福利院运行补助"), ("30207", 3_000, "中国移动", "通信费"),
            ("30206", 5_000, "国家电网", "电费"), ("30299", 2_000, "社会福利彩票发行中心", "社会福利彩票代销"),
            ("30201", 1_200, "王建国", "差旅报销"), ("30216", 9_000, "上海某某贸易有限公司", "职工福利购物卡")]
    _payments(factory, rows)
    found = evaluate(engine, YEAR, 12, ["suspicious_payee_or_purpose"])["suspicious_payee_or_purpose"][1]
    flagged = {f.trail[0]["key"]: f.reason for f in found}
    assert set(flagged) == {"P-0004", "P-0005"}
    assert "收款人为个人" in flagged["P-0004"]
    assert "用途含“购物卡、福利”" in flagged["P-0005"]


@pytest.mark.parametrize("name", ["王建国", "李华", "欧阳明", "司马光明", "张秀英", "诸葛亮"])
def test_people(name: str) -> None:
    assert looks_like_person(name)


@pytest.mark.parametrize("name", ["中国移动", "国家电网", "上海电力", "申能股份", "顺丰速运", "新华书店", "李宁有限",
                                  "王府井店", "市财政局", "Apple", "王", "东方明珠", "欧阳", "一二三四五"])
def test_not_people(name: str) -> None:
    assert not looks_like_person(name)


def test_purpose_exceptions_only_hide_the_phrase_they_name() -> None:
    keywords, exceptions = ["福利", "礼品"], ["福利院", "社会福利"]
    assert purpose_hits("福利院运行经费", keywords, exceptions) == []
    assert purpose_hits("社会福利事业补助", keywords, exceptions) == []
    assert purpose_hits("福利院职工福利", keywords, exceptions) == ["福利"]
    assert purpose_hits("节日礼品", keywords, exceptions) == ["礼品"]


@given(st.text(min_size=0, max_size=8))
def test_a_name_with_an_organisation_word_is_never_a_person(rest: str) -> None:
    for word in ("公司", "局", "中心", "医院"):
        assert not looks_like_person("王" + word + rest)


@given(st.sampled_from(sorted(SINGLE_SURNAMES)), st.text(alphabet="明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超", min_size=1,
                                                         max_size=2))
def test_a_surname_and_a_common_given_name_is_a_person(surname: str, given_name: str) -> None:
    name = surname + given_name
    assert looks_like_person(name) or name in KNOWN_ORGANISATIONS
