"""Names for the keys of a result: codes from the year's code table, departments from the registry, projects,
indicators and payment applications from their tables.

The shipped code tables are partial, so a code without a name is labelled honestly
(“2050299（代码表缺名称）”) instead of being hidden or guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, select

from core.budget.models import BOOKS, ClassCode, Indicator, PaymentApplication, Project
from core.models.registry import Department

MISSING_NAME = "（代码表缺名称）"
NONE_LABELS = {"unit": "（部门本级）", "project": "（无项目）", "indicator": "（无指标）",
               "application": "（无支付申请）", "department": "（无部门）", "book": "（未标账本）",
               "method": "（未标支付方式）"}


def _chunks(keys: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(keys), size):
        yield keys[i:i + size]


Bind = Engine | Connection


@contextmanager
def _connected(bind: Bind) -> Iterator[Connection]:
    """The caller's connection as it is, or a new one from an engine."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


def code_names(engine: Bind, year: int, kind: str, codes: Iterable[str]) -> dict[str, str]:
    """Names of ``codes`` in the ``kind`` code table of ``year`` (only those the table has)."""
    wanted = sorted({c for c in codes if c})
    names: dict[str, str] = {}
    with _connected(engine) as conn:
        for part in _chunks(wanted):
            rows = conn.execute(select(ClassCode.code, ClassCode.name).where(
                ClassCode.kind == kind, ClassCode.year == year, ClassCode.deleted.is_(False),
                ClassCode.code.in_(part)))
            names.update({code: name for code, name in rows})
    return names


def labels_for(engine: Bind, year: int, level: str, keys: Iterable[str]) -> dict[str, str]:
    """A readable label for every key of ``level``."""
    keys = list(keys)
    found: dict[str, str] = {}
    if level == "book":
        found = {k: BOOKS.get(k, k) for k in keys if k}
    elif level in ("func_class", "func_item", "func_sub", "econ_class", "economic"):
        kind = "functional" if level.startswith("func") else "economic"
        names = code_names(engine, year, kind, keys)
        found = {k: f"{k} {names[k]}" if k in names else f"{k}{MISSING_NAME}" for k in keys if k}
    elif level in ("department", "unit"):
        with _connected(engine) as conn:
            for part in _chunks([k for k in keys if k]):
                for code, name in conn.execute(select(Department.code, Department.name).where(
                        Department.code.in_(part), Department.deleted.is_(False))):
                    found[code] = f"{name}（{code}）"
        found.update({k: f"{k}（部门库缺名称）" for k in keys if k and k not in found})
    elif level == "project":
        with _connected(engine) as conn:
            for part in _chunks([k for k in keys if k]):
                for code, name in conn.execute(select(Project.code, Project.name).where(
                        Project.year == year, Project.code.in_(part), Project.deleted.is_(False))):
                    found[code] = f"{name}（{code}）"
        found.update({k: f"{k}（项目库中没有）" for k in keys if k and k not in found})
    elif level == "indicator":
        with _connected(engine) as conn:
            for part in _chunks([k for k in keys if k]):
                for no, doc in conn.execute(select(Indicator.indicator_no, Indicator.doc_no).where(
                        Indicator.year == year, Indicator.indicator_no.in_(part), Indicator.deleted.is_(False))):
                    found[no] = f"{no} {doc}".strip()
        found.update({k: f"{k}（指标库中没有）" for k in keys if k and k not in found})
    elif level == "application":
        with _connected(engine) as conn:
            for part in _chunks([k for k in keys if k]):
                for no, day in conn.execute(select(PaymentApplication.application_no, PaymentApplication.applied_on)
                                            .where(PaymentApplication.year == year, PaymentApplication.deleted.is_(False),
                                                   PaymentApplication.application_no.in_(part))):
                    found[no] = f"{no}（{day.isoformat()} 申请）" if day else no
        found.update({k: k for k in keys if k and k not in found})
    elif level == "month":
        found = {k: f"{int(k)}月" for k in keys if k}
    else:
        found = {k: k for k in keys if k}
    for k in keys:
        if not k:
            found[k] = NONE_LABELS.get(level, "（空）")
    return found
