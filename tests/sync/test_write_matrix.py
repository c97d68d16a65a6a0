"""The write matrix — every synced table × every role × insert / update / delete / move — holds on the live
server (SQLite and PostgreSQL) exactly as ``core.sync.permissions`` states it and ``docs/server.md`` shows it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.auth.roles import ROLE_NAMES, ROLES_BY_NAME, Principal
from core.ids import uuid7
from core.sync import permissions
from core.sync.permissions import MATRIX_GRANTS, RULES, cell, example_scope, examples, write_refusal
from core.sync.schema import REGISTRY
from tests.sync.harness import World

OPS = ("insert", "update", "delete", "move")
TABLES = REGISTRY.names()
DOC = Path(__file__).resolve().parents[2] / "docs" / "server.md"


def test_every_synced_table_has_a_rule_and_no_rule_names_an_unknown_table() -> None:
    assert set(RULES) == set(TABLES)


def test_the_documented_matrix_is_the_generated_one() -> None:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- write-matrix:begin -->\n(.*?)<!-- write-matrix:end -->", text, re.S)
    assert found, "docs/server.md 缺少权限矩阵标记"
    assert found.group(1) == permissions.markdown(), "请运行 python -m core.sync.permissions --markdown 更新文档"


def test_a_table_without_a_rule_accepts_no_write(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(RULES, "reg_department")
    staff = permissions.matrix_principal("budget_staff")
    for op in ("insert", "update", "delete"):
        reason = write_refusal("reg_department", "部门单位", staff, op, None if op == "insert" else "public",
                               "public", {"name": "x"})
        assert reason == "“部门单位”不接受客户端修改"


# ----------------------------------------------------------------------------------------- live server
class Matrix:
    """One server database with one user per role and, per role and table, a row to update, one to delete
    and one to move; each role pushes its whole column of the matrix in one batch."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.users = {role: world.add_user(f"m_{role}", role, scopes=MATRIX_GRANTS) for role in ROLE_NAMES}
        self.examples = examples()
        self.rows: dict[tuple[str, str, str], str] = {}
        self.document_id = uuid7()
        with world.factory() as s, s.begin():
            from core.models.registry import Document

            s.add(Document(id=self.document_id, title="教育经费专题审查底稿", classification="internal",
                           domain="教科文卫"))
        with world.factory() as s, s.begin():
            for role, user_id in self.users.items():
                for name in TABLES:
                    for op in ("update", "delete", "move"):
                        row_id = uuid7()
                        self.rows[(name, role, op)] = row_id
                        s.add(REGISTRY.get(name).model(id=row_id, **self._decoded(name, self._values(name, user_id))))
        self.results: dict[str, dict[str, str]] = {}

    def _values(self, name: str, user_id: str) -> dict[str, Any]:
        ex = self.examples[name]
        values = dict(ex.insert)
        if ex.owned_by:
            values[ex.owned_by] = user_id
        if name == "reg_attachment":
            values["owner_id"] = self.document_id
        return values

    @staticmethod
    def _decoded(name: str, values: dict[str, Any]) -> dict[str, Any]:
        spec = REGISTRY.get(name)
        return {k: spec.decode(k, v) for k, v in values.items()}

    def push(self, role: str) -> dict[str, str]:
        """The role's batch: per table an insert, an update, a delete and a move; mutation id → cell."""
        if role in self.results:
            return self.results[role]
        user_id = self.users[role]
        mutations, cells = [], {}
        for name in TABLES:
            ex = self.examples[name]
            for op in OPS:
                if op == "move" and ex.move is None:
                    continue
                mid = uuid7()
                cells[mid] = f"{name}|{op}"
                if op == "insert":
                    mutations.append({"mutation_id": mid, "table": name, "row_id": uuid7(), "op": "insert",
                                      "base_version": 0, "base": {}, "changes": self._values(name, user_id)})
                    continue
                changes = {"update": ex.update, "delete": {"deleted": True}, "move": ex.move}[op]
                assert changes is not None
                values = self._values(name, user_id)
                base = {k: (False if k == "deleted" else values.get(k)) for k in changes}
                mutations.append({"mutation_id": mid, "table": name, "row_id": self.rows[(name, role, op)],
                                  "op": "update", "base_version": 1, "base": base, "changes": dict(changes)})
        principal = self.world.principal(user_id)
        results = self.world.service.push(principal, "", mutations)
        self.results[role] = {cells[r["mutation_id"]]: r["status"] for r in results}
        return self.results[role]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def matrix_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    root = tmp_path_factory.mktemp(f"matrix-{request.param}")
    with ExitStack() as stack:
        url = (stack.enter_context(request.getfixturevalue("pg_cluster").database())
               if request.param == "postgresql" else f"sqlite:///{root / 'server.sqlite3'}")
        world = World(root, url)
        stack.callback(world.close)
        yield Matrix(world)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("table", TABLES)
def test_the_server_follows_the_write_matrix(matrix_world: Matrix, role: str, table: str) -> None:
    statuses = matrix_world.push(role)
    for op in OPS:
        expected = cell(table, role, op, user_id=matrix_world.users[role])
        if expected is None:
            assert f"{table}|{op}" not in statuses
            continue
        status = statuses[f"{table}|{op}"]
        assert (status in ("applied", "merged")) is expected, f"{role} {op} {table}: {status}"


# ----------------------------------------------------------------------------------------- property test
ALL_SCOPES = ("public", "registry", "budget.internal", "committee:教科文卫", "committee:城建环保", "conference",
              "cadre", "petition", "machine_room")


@settings(max_examples=300, deadline=None)
@given(role=st.sampled_from(ROLE_NAMES), table=st.sampled_from(TABLES), op=st.sampled_from(OPS),
       granted=st.sets(st.sampled_from(ALL_SCOPES)))
def test_random_role_table_operation_and_scopes_follow_the_matrix(role: str, table: str, op: str,
                                                                    granted: set[str]) -> None:
    """Whatever scopes a user holds, a write is allowed only when the matrix allows it and the user sees the
    row's scope before and after; when the user sees them, the answer is the matrix's."""
    spec = REGISTRY.get(table)
    ex = examples()[table]
    role_spec = ROLES_BY_NAME[role]
    me = Principal(user_id="u-me", username="me", roles=frozenset({role}), permissions=frozenset(role_spec.permissions),
                   scope_patterns=frozenset(role_spec.scopes) | frozenset(granted))
    values = dict(ex.insert)
    if ex.owned_by:
        values[ex.owned_by] = me.user_id
    before = example_scope(spec, values)
    changes: dict[str, Any] | None
    if op == "insert":
        after, changes = before, values
    elif op == "move":
        if ex.move is None:
            return
        after, changes = example_scope(spec, {**values, **ex.move}), ex.move
    else:
        after, changes = before, (ex.update if op == "update" else {"deleted": True})
    real = "update" if op == "move" else op
    allowed = write_refusal(table, spec.model.sync_label, me, real, None if op == "insert" else before, after,
                            changes) is None
    visible = me.sees_scope(after) and (op == "insert" or me.sees_scope(before))
    expected = cell(table, role, op, user_id="u-me")
    rule_only = write_refusal(table, spec.model.sync_label, permissions.matrix_principal(role, "u-me"), real,
                              None if op == "insert" else before, after, changes) is None
    if not visible:
        assert not allowed
    else:
        assert allowed == rule_only
        if expected:
            assert allowed
