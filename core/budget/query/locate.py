"""Where an item sits on the department path: the keys to drill through to show it."""

from __future__ import annotations

from sqlalchemy import Engine, select

from core.budget.models import Indicator, Payment, Project


def locate(engine: Engine, year: int, kind: str, code: str) -> list[str]:
    """The department path's keys down to a department, project, indicator or payment (its application);
    empty when the year's data has no such item."""
    with engine.connect() as conn:
        if kind == "department":
            return [code]
        if kind == "project":
            drow = conn.execute(select(Project.department_code).where(
                Project.year == year, Project.code == code, Project.deleted.is_(False))).first()
            return [drow[0], code] if drow else []
        if kind == "indicator":
            row = conn.execute(select(Indicator.department_code, Indicator.project_code).where(
                Indicator.year == year, Indicator.indicator_no == code, Indicator.deleted.is_(False))).first()
            return [row[0], row[1], code] if row else []
        if kind == "payment":
            prow = conn.execute(select(Payment.department_code, Payment.project_code, Payment.indicator_no,
                                       Payment.application_no).where(
                Payment.year == year, Payment.payment_no == code, Payment.deleted.is_(False))).first()
            chosen = [str(v) for v in prow] if prow else []
            while chosen and not chosen[-1]:
                chosen.pop()
            return chosen
    return []
