"""What the analysis page loads in the background: every figure of one year and month, in one object."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from core.budget import analysis
from core.budget.analysis import ExecutionRow, MonthPoint, Share, YearOnYear
from core.budget.analysis.public import PublicFigures, public_figures


@dataclass(frozen=True)
class PageFigures:
    year: int
    month: int
    data_month: int
    books: list[ExecutionRow]
    classes: list[ExecutionRow]
    departments: list[ExecutionRow]
    projects: list[ExecutionRow]
    year_on_year: YearOnYear
    structure: dict[str, list[Share]]
    months: list[MonthPoint]
    department_names: list[tuple[str, str]]
    public: PublicFigures
    """The published budget's figures: all a deputy's or an expert's laptop can show."""


def load_figures(engine: Engine, year: int, month: int | None, scoped: bool = False) -> PageFigures:
    """All figures of the page; ``month`` None means the last month with payments; ``scoped`` when the
    database holds only some departments (a special committee's), so books are read against their indicators."""
    data_month = analysis.latest_month(engine, year)
    m = month if month is not None else (data_month or 12)
    return PageFigures(
        year=year, month=m, data_month=data_month,
        books=analysis.execution(engine, year, m, "book", scoped=scoped),
        classes=analysis.execution(engine, year, m, "class", book="general"),
        departments=analysis.execution(engine, year, m, "department"),
        projects=analysis.execution(engine, year, m, "project"),
        year_on_year=analysis.year_on_year(engine, year, m),
        structure={k: analysis.structure(engine, year, m, k) for k in ("functional", "economic", "book")},
        months=analysis.trend(engine, year, scoped=scoped),
        department_names=analysis.departments(engine, year),
        public=public_figures(engine, year),
    )
