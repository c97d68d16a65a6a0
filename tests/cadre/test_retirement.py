"""Statutory retirement age under the 2024 decision: the worked examples of docs/cadre.md, and its rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cadre.retirement import (
    RULES,
    Category,
    add_months,
    category_for,
    delay_months,
    flexible_window,
    retirement,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "cadre.md"
CATEGORY_WORDS = {"男": Category.MAN, "女（原 55 岁）": Category.WOMAN_CADRE, "女（原 50 岁）": Category.WOMAN_WORKER}


def _doc_examples() -> list[tuple[Category, date, str, str]]:
    """The rows of the worked-examples table: category, birth month, new age, retirement month."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- retirement-examples:begin -->")[1].split("<!-- retirement-examples:end -->")[0]
    rows = []
    for line in block.splitlines():
        m = re.match(r"\| (男|女（原 5[05] 岁）) \| (\d{4}) 年 (\d{1,2}) 月 \| ([^|]+) \| (\d{4} 年 \d{1,2} 月) \|", line)
        if m:
            rows.append((CATEGORY_WORDS[m[1]], date(int(m[2]), int(m[3]), 1), m[4].strip(), m[5]))
    return rows


def test_the_doc_has_examples_for_every_category() -> None:
    examples = _doc_examples()
    assert len(examples) >= 12 and {c for c, *_ in examples} == set(Category)


@pytest.mark.parametrize(("category", "birth", "age", "month"), _doc_examples())
def test_each_worked_example_of_the_doc(category: Category, birth: date, age: str, month: str) -> None:
    result = retirement(category, birth)
    assert (result.age_text, result.month_text) == (age, month)


@given(st.sampled_from(list(Category)), st.dates(date(1940, 1, 1), date(2000, 12, 31)))
def test_the_delay_grows_by_steps_up_to_its_cap(category: Category, birth: date) -> None:
    rule = RULES[category]
    delay = delay_months(category, birth)
    assert 0 <= delay <= rule.max_delay_months
    later = delay_months(category, add_months(birth, 1))
    assert delay <= later <= delay + 1  # one more month of birth never adds more than one month
    result = retirement(category, birth)
    assert result.on == add_months(birth, rule.original_years * 12 + delay)
    assert (result.on >= date(2025, 1, 1)) or delay == 0  # nobody retiring before 2025 is affected


@given(st.sampled_from(list(Category)), st.dates(date(1950, 1, 1), date(1995, 12, 31)))
def test_flexible_retirement_stays_within_three_years_and_never_before_the_original_age(
        category: Category, birth: date) -> None:
    earliest, latest = flexible_window(category, birth)
    statutory = retirement(category, birth)
    assert earliest >= statutory.original_date and earliest >= add_months(statutory.on, -36)
    assert latest == add_months(statutory.on, 36) and earliest <= statutory.on <= latest


def test_month_ends_and_genders() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert category_for("男") is Category.MAN and category_for("女") is Category.WOMAN_CADRE
    assert category_for("女", 50) is Category.WOMAN_WORKER
    with pytest.raises(ValueError, match="性别"):
        category_for("未知")
