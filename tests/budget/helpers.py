"""Shared helpers of the budget tests."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from core.budget.codes import load_seed_tables
from core.budget.models import SYNCED_MODELS
from core.models.registry import Department


def seed_reference(factory: sessionmaker[Session], year: int = 2025) -> None:
    """Two departments and the shipped partial code tables of ``year``."""
    with factory() as s, s.begin():
        s.add(Department(code="D010", name="市教育委员会", domain="教科文卫"))
        s.add(Department(code="D031", name="市人大常委会办公厅", domain=""))
        load_seed_tables(s, year)


def write_csv(path: Path, header: list[str] | tuple[str, ...], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every budget row and the sync counter, to prove a failed import changed nothing."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for model in SYNCED_MODELS:
            name = model.__tablename__  # type: ignore[attr-defined]
            out[name] = sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}")))
        out["sync_counter"] = [tuple(r) for r in conn.execute(text("SELECT * FROM sync_counter"))]
    return out
