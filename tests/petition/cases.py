"""Small cases for the petition tests: a migrated SQLite copy with the reference data and one case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory
from core.petition.models import PetCase, PetPetitioner, PetTransition
from core.petition.reference import seed_reference
from tests.helpers.sqlite import copy_of


def database(template: Path, path: Path) -> tuple[Engine, sessionmaker[Session]]:
    return database_at(f"sqlite:///{copy_of(template, path)}")


def database_at(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The database at ``url`` (at the newest schema) with the reference data seeded."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as s:
        seed_reference(s)
    return engine, factory


def add_case(s: Session, *, code: str = "XF20261201ABCD", body: str = "szf", route: str = "转送",
             subject: str = "小区加装电梯补贴发放问题", name: str = "张三", state: str = "routed",
             received: date = date(2026, 12, 1)) -> PetCase:
    person = PetPetitioner(name=name, gender="男", id_number="310101199001011234", phone="13800138000",
                           address="上海市黄浦区人民大道200号", district_code="310101")
    s.add(person)
    s.flush()
    case = PetCase(code=code, tracking_code="T7Q2K9", channel="来信", kind="申诉求决类", received_on=received,
                   subject=subject, content="本人所在小区于2025年完成加装电梯，补贴至今未发放。",
                   category_code="0401", district_code="310101", petitioner_id=person.id, state=state,
                   route=route, body_code=body, due_on=date(2026, 12, 16))
    s.add(case)
    s.flush()
    s.add(PetTransition(case_id=case.id, action="route", from_state="registered", to_state=state,
                        article="第二十二条", on_date=received, actor="clerk", note=""))
    s.flush()
    return case
