"""The care-work tables: who may write them (every role × table × operation, default deny), and a record
reader's laptop that never receives a check-up or a hospital stay, while the clerk's sees them in clear."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.auth.roles import P_CADRE_RECORD, P_CADRE_SENSITIVE, ROLE_NAMES, ROLES_BY_NAME, Principal
from core.cadre.models import (
    CARE_MODELS,
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchOffice,
    CadCheckup,
    CadHospitalStay,
    CadPerson,
)
from core.cadre.scopes import RECORD_SCOPE, SENSITIVE_SCOPE
from core.sync.permissions import RULES, write_refusal
from tests.sync.harness import World, client_rows

CARE_TABLES = [m.__tablename__ for m in CARE_MODELS]
SENSITIVE_TABLES = ["cad_checkup", "cad_hospital_stay", "cad_family"]
OPS = ("insert", "update", "delete")


def test_every_care_table_has_its_rule() -> None:
    for name in [*CARE_TABLES, "cad_checkup"]:
        assert name in RULES, name


@given(role=st.sampled_from(ROLE_NAMES), table=st.sampled_from([*CARE_TABLES, "cad_checkup"]),
       op=st.sampled_from(OPS), extra=st.sets(st.sampled_from(["cadre", "cadre.sensitive", "cadre.ref", "petition"])))
def test_only_the_cadre_clerk_writes_the_care_work(role: str, table: str, op: str, extra: set[str]) -> None:
    """Care rows need cadre.record in the record scope; check-ups need cadre.sensitive in the sensitive one;
    whatever scopes a user is granted on top, no other permission writes them."""
    spec = ROLES_BY_NAME[role]
    me = Principal(user_id="u-me", username="me", roles=frozenset({role}), permissions=frozenset(spec.permissions),
                   scope_patterns=frozenset(spec.scopes) | frozenset(extra))
    scope = SENSITIVE_SCOPE if table == "cad_checkup" else RECORD_SCOPE
    needed = P_CADRE_SENSITIVE if table == "cad_checkup" else P_CADRE_RECORD
    changes = {"deleted": True} if op == "delete" else {"note": "x"}
    reason = write_refusal(table, table, me, op, None if op == "insert" else scope, scope, changes)
    assert (reason is None) == (needed in me.permissions and me.sees_scope(scope)), reason
    if role != "cadre_clerk":
        assert reason is not None


@pytest.fixture
def world(tmp_path: Path, server_db_url: str) -> Iterator[World]:
    w = World(tmp_path, server_db_url)
    yield w
    w.close()


def test_a_reader_laptop_never_receives_check_ups_or_hospital_stays(world: World) -> None:
    clerk = world.client(world.add_user("clerk", "cadre_clerk"))
    with clerk.store.session() as s, s.begin():
        person = CadPerson(name="王文华", gender="男", birth_date=date(1936, 1, 26), id_number="310101193601261234")
        branch = CadBranch(name="第一党支部")
        activity = CadActivity(title="重阳登高", held_on=date(2026, 10, 29), state="done")
        s.add_all([person, branch, activity])
        s.flush()
        s.add_all([
            CadBranchOffice(person_id=person.id, branch_id=branch.id, office="书记", term_start=date(2023, 1, 1)),
            CadAid(person_id=person.id, applied_on=date(2026, 3, 1), requested_fen=300000, state="paid",
                   approved_fen=200000),
            CadActivityEntry(person_id=person.id, activity_id=activity.id, attended=True),
            CadCheckup(person_id=person.id, year=2026, hospital="华东医院", result="血压偏高", conclusion="建议复查"),
            CadHospitalStay(person_id=person.id, admitted_on=date(2026, 11, 28), hospital="华东医院", diagnosis="肺炎"),
        ])
    report = clerk.sync()
    assert not report.rejected, report.summary()

    reader = world.client(world.add_user("reader", "cadre_reader"))
    assert not reader.sync().rejected
    rows = client_rows(reader)
    for name in SENSITIVE_TABLES:
        assert rows[name] == {}, name
    assert [r["office"] for r in rows["cad_branch_office"].values()] == ["书记"]
    assert [r["approved_fen"] for r in rows["cad_aid"].values()] == [200000]
    assert [r["attended"] for r in rows["cad_activity_entry"].values()] == [True]
    [person_row] = rows["cad_person"].values()
    assert person_row["id_number"] != "310101193601261234"  # masked for the reader
    with reader.store.session() as s:
        laptop = Path(str(s.get_bind().url.database))
    stored = b"".join(p.read_bytes() for p in laptop.parent.glob(laptop.name + "*"))  # the file and its WAL
    assert "王文华".encode() in stored
    assert "血压偏高".encode() not in stored and "肺炎".encode() not in stored

    second = world.client(world.add_user("clerk2", "cadre_clerk"))
    assert not second.sync().rejected
    [checkup] = client_rows(second)["cad_checkup"].values()
    assert (checkup["result"], checkup["scope"]) == ("血压偏高", SENSITIVE_SCOPE)


def test_the_reader_cannot_push_care_rows(world: World) -> None:
    reader = world.client(world.add_user("reader", "cadre_reader"))
    with reader.store.session() as s, s.begin():
        s.add(CadAid(person_id="p", applied_on=date(2026, 3, 1), requested_fen=100))
    report = reader.sync()
    assert report.rejected
    with world.factory() as s:
        assert s.query(CadAid).count() == 0
