"""Statutory retirement age under the gradual raise in force from 2025-01-01.

《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》 (adopted 2024-09-13, in force
2025-01-01, 决定 第五项) and the approved 《国务院关于渐进式延迟法定退休年龄的办法》 (办法 第一条):
over 15 years, men 60 → 63, women whose original age is 55 (cadres: management and technical posts)
55 → 58, women whose original age is 50 (workers) 50 → 55. The delay grows by one month for every four
months of original retirement dates (every two months for women whose original age is 50), counted from
January 2025:

- a person whose original retirement month is the k-th month from January 2025 (k = 0 for January 2025)
  has a delay of ``k // 4 + 1`` months (``k // 2 + 1`` for original age 50), up to 36 months (60 for 50);
- a person whose original retirement month falls before January 2025 keeps the original age.

Flexible retirement (办法 第三条): at most three years earlier than the new age but never before the
original age (and only once the minimum contribution years are met), or at most three years later by
agreement. :func:`retirement` gives the statutory date; :func:`flexible_window` the window around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class Category(Enum):
    """Whose rule applies: men; women whose original age is 55 (cadres); women whose original age is 50."""

    MAN = "man"
    WOMAN_CADRE = "woman_cadre"
    WOMAN_WORKER = "woman_worker"


@dataclass(frozen=True)
class Rule:
    original_years: int
    months_per_step: int
    max_delay_months: int
    label: str


RULES: dict[Category, Rule] = {
    Category.MAN: Rule(60, 4, 36, "男职工（60 周岁 → 63 周岁）"),
    Category.WOMAN_CADRE: Rule(55, 4, 36, "原法定退休年龄 55 周岁的女职工（55 周岁 → 58 周岁）"),
    Category.WOMAN_WORKER: Rule(50, 2, 60, "原法定退休年龄 50 周岁的女职工（50 周岁 → 55 周岁）"),
}
IN_FORCE = date(2025, 1, 1)
FLEX_YEARS = 3
"""At most three years earlier or later (办法 第三条)."""


@dataclass(frozen=True)
class Retirement:
    """The statutory retirement: the age reached and the date it is reached on."""

    category: Category
    birth: date
    original_date: date
    delay_months: int
    age_years: int
    age_months: int
    on: date

    @property
    def age_text(self) -> str:
        return f"{self.age_years} 岁" + (f" {self.age_months} 个月" if self.age_months else "")

    @property
    def month_text(self) -> str:
        return f"{self.on.year} 年 {self.on.month} 月"


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def delay_months(category: Category, birth: date) -> int:
    """Months added to the original age for someone born on ``birth``."""
    rule = RULES[category]
    original = add_months(birth, rule.original_years * 12)
    k = (original.year - IN_FORCE.year) * 12 + (original.month - IN_FORCE.month)
    if k < 0:
        return 0
    return min(rule.max_delay_months, k // rule.months_per_step + 1)


def retirement(category: Category, birth: date) -> Retirement:
    """The statutory retirement age and date of someone born on ``birth``."""
    rule = RULES[category]
    delay = delay_months(category, birth)
    total = rule.original_years * 12 + delay
    return Retirement(category, birth, add_months(birth, rule.original_years * 12), delay, total // 12, total % 12,
                      add_months(birth, total))


def flexible_window(category: Category, birth: date) -> tuple[date, date]:
    """Earliest and latest retirement dates with flexible retirement: up to three years before the
    statutory date but never before the original age, and up to three years after it."""
    statutory = retirement(category, birth)
    earliest = max(add_months(statutory.on, -12 * FLEX_YEARS), statutory.original_date)
    return earliest, add_months(statutory.on, 12 * FLEX_YEARS)


def category_for(gender: str, original_age: int | None = None) -> Category:
    """The rule for a person: ``gender`` 男/女 (or M/F); for women the original age (55 for cadres, the
    default in the congress's offices; 50 for workers)."""
    if gender in ("男", "M", "m", "male"):
        return Category.MAN
    if gender in ("女", "F", "f", "female"):
        return Category.WOMAN_WORKER if original_age == 50 else Category.WOMAN_CADRE
    raise ValueError(f"性别“{gender}”无法识别，应为“男”或“女”")
