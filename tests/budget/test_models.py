"""Budget tables: created by the migration on SQLite and PostgreSQL, scoped by role, pulled through sync."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.budget.models import SYNCED_MODELS, AuditFinding, BudgetBook, ClassCode, Payment, Project
from core.sync.schema import REGISTRY
from tests.sync.harness import World, client_rows


def _seed(world: World) -> None:
    with world.factory() as s, s.begin():
        s.add(BudgetBook(year=2025, book="general", name="一般公共预算", budget_fen=987_480_000_000_00))
        s.add(ClassCode(year=2025, kind="functional", code="201", name="一般公共服务支出", level="类",
                        source="F2;F3"))
        s.add(Project(year=2025, code="P1", name="人大履职保障", department_code="D031", functional_code="201"))
        s.add(Payment(year=2025, payment_no="ZF1", paid_on=date(2025, 3, 5), month=3, payee="某某公司",
                      amount_fen=123_456, department_code="D010", domain="教科文卫"))
        s.add(Payment(year=2025, payment_no="ZF2", paid_on=date(2025, 3, 6), month=3, payee="某某单位",
                      amount_fen=99, department_code="D031", domain=""))
        s.add(AuditFinding(year=2025, finding_no="SJ1", department_code="D031", title="超范围支出"))


def test_every_budget_table_is_registered_for_sync() -> None:
    names = set(REGISTRY.names())
    assert {m.__tablename__ for m in SYNCED_MODELS} <= names  # type: ignore[attr-defined]


def test_scopes_follow_the_data(world: World) -> None:
    _seed(world)
    with world.factory() as s:
        scopes = {p.payment_no: p.scope for p in s.scalars(select(Payment))}
        assert scopes == {"ZF1": "committee:教科文卫", "ZF2": "budget.internal"}
        assert s.scalars(select(BudgetBook.scope)).one() == "public"
        assert s.scalars(select(AuditFinding.scope)).one() == "budget.internal"
        assert s.scalars(select(Payment.seq)).all() != [0, 0]


def test_staff_pull_everything_and_a_deputy_no_internal_rows(world: World) -> None:
    _seed(world)
    staff = world.client(world.add_user("staff", "budget_staff"))
    staff.sync()
    rows = client_rows(staff)
    assert {r["payment_no"] for r in rows["bgt_payment"].values()} == {"ZF1", "ZF2"}
    assert len(rows["bgt_audit_finding"]) == 1

    deputy = world.client(world.add_user("deputy", "deputy"))
    deputy.sync()
    rows = client_rows(deputy)
    assert rows["bgt_payment"] == {} and rows["bgt_audit_finding"] == {}
    assert len(rows["bgt_book"]) == 1 and len(rows["bgt_class_code"]) == 1 and len(rows["bgt_project"]) == 1
    every = [r for table in rows.values() for r in table.values()]
    assert all(r["scope"] != "budget.internal" for r in every if "scope" in r)

    member = world.client(world.add_user("member", "committee_member", scopes=("committee:教科文卫",)))
    member.sync()
    rows = client_rows(member)
    assert {r["payment_no"] for r in rows["bgt_payment"].values()} == {"ZF1"}
