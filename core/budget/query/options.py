"""What the filter panel offers: the year's books, codes (类 and 款, named), departments, funding sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from core.budget.models import BOOKS, PAYMENT_METHODS, ClassCode, Indicator, Project
from core.models.registry import Department


@dataclass(frozen=True)
class FilterOptions:
    """``(value, label)`` pairs for each combo of the filter panel."""

    books: list[tuple[str, str]] = field(default_factory=list)
    functional: list[tuple[str, str]] = field(default_factory=list)
    economic: list[tuple[str, str]] = field(default_factory=list)
    departments: list[tuple[str, str]] = field(default_factory=list)
    funding_sources: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=lambda: list(PAYMENT_METHODS))


def filter_options(engine: Engine, year: int) -> FilterOptions:
    """Options that exist in the year's data: codes at 类 and 款 level, departments that have projects."""
    with engine.connect() as conn:
        codes: dict[str, list[tuple[str, str]]] = {"functional": [], "economic": []}
        for kind, code, name in conn.execute(
                select(ClassCode.kind, ClassCode.code, ClassCode.name).where(
                    ClassCode.year == year, ClassCode.deleted.is_(False), ClassCode.kind.in_(codes),
                    func.length(ClassCode.code) <= 5).order_by(ClassCode.code)):
            indent = "" if len(code) == 3 else "　"
            codes[kind].append((code, f"{indent}{code} {name}"))
        used = select(Project.department_code).where(Project.year == year, Project.deleted.is_(False)).distinct()
        departments = [(code, f"{name}（{code}）") for code, name in conn.execute(
            select(Department.code, Department.name).where(Department.deleted.is_(False),
                                                            Department.code.in_(used)).order_by(Department.code))]
        sources = [s for (s,) in conn.execute(select(Indicator.funding_source).where(
            Indicator.year == year, Indicator.deleted.is_(False), Indicator.funding_source != "")
            .distinct().order_by(Indicator.funding_source))]
    return FilterOptions(books=list(BOOKS.items()), functional=codes["functional"], economic=codes["economic"],
                         departments=departments, funding_sources=sources)
