"""On PostgreSQL the portal connects as ``renda_portal``: it can insert submissions, ratings and one-time
code requests, read the two public views and check a one-time code, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from sqlalchemy import inspect, select, text, update
from sqlalchemy.exc import ProgrammingError

from core.db import make_engine, make_session_factory, transaction
from core.petition.intake import (
    INTAKE_TABLES,
    PetPortalOtp,
    SubmissionFile,
    SubmissionForm,
    import_submissions,
    otp_hash,
    public_statistics,
    record_rating,
    record_submission,
    request_otp,
    verify_otp,
    verify_phone,
)
from core.petition.models import PetCase
from core.sync.stamping import install_server_hooks
from tests.portal.conftest import PNG, running_portal

pytestmark = pytest.mark.postgres
FORM = SubmissionForm(name="王五", phone="13700001234", subject="道路积水", content="雨天道路积水严重，影响出行，希望尽快整治。" * 2,
                      district_code="310110", files=(SubmissionFile("a.png", "image/png", PNG),))


@pytest.fixture
def portal_url(pg_url: str) -> Iterator[str]:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ALTER ROLE renda_portal LOGIN")  # the deployer's step (a password too, outside tests)
    yield pg_url.replace("postgresql://postgres@", "postgresql://renda_portal@")


def test_the_portal_role_can_do_what_the_portal_needs(pg_url: str, portal_url: str) -> None:
    portal = make_engine(portal_url)
    server = make_engine(pg_url)
    factory = make_session_factory(server)
    install_server_hooks(factory)
    try:
        with transaction(make_session_factory(portal)) as s:
            code = record_submission(s, FORM, client_hash="h")
        with transaction(make_session_factory(portal)) as s:
            assert verify_phone(s, code, "1234") is not None
            assert verify_phone(s, code, "9999") is None
            request_otp(s, code)
            assert verify_otp(s, code, "123456") is False
            assert public_statistics(s) == []
        with transaction(factory) as s:  # the server's bridge, as the owner
            counts = import_submissions(s)
            assert counts["cases"] == 1 and counts["otps"] == 1
            s.execute(update(PetPortalOtp).where(PetPortalOtp.status == "sent").values(code_hash=otp_hash(code, "654321")))
            s.execute(update(PetCase).values(answered_on=date(2026, 11, 30), state="answered"))
        with transaction(make_session_factory(portal)) as s:
            status = verify_phone(s, code, "1234")
            assert status is not None and status.state == "answered" and not status.rated
            assert verify_otp(s, code, "000000") is False
            assert verify_otp(s, code, "654321") is True
            assert verify_otp(s, code, "654321") is False  # used once
            assert record_rating(s, code, "满意", "")
            assert not record_rating(s, code, "不满意", "")
            assert len(public_statistics(s)) == 1
        with transaction(factory) as s:
            assert import_submissions(s)["ratings"] == 1
            assert s.execute(select(PetCase.satisfaction)).scalar_one() == "满意"
    finally:
        portal.dispose()
        server.dispose()


def test_the_portal_role_is_refused_everything_else(pg_url: str, portal_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        first_column = dict(conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                                         "WHERE table_schema = 'public' AND ordinal_position = 1").fetchall())
    assert {"pet_submission", "pet_petitioner", "pet_case", "auth_user", "reg_deputy"} <= set(tables)
    refused: list[str] = []
    with psycopg.connect(portal_url, autocommit=True) as conn:
        def denied(sql: str) -> bool:
            try:
                conn.execute(sql)  # type: ignore[arg-type]
            except psycopg.errors.InsufficientPrivilege:
                return True
            return False

        for table in tables:
            assert denied(f'SELECT 1 FROM "{table}" LIMIT 1'), f"portal can read {table}"
            assert denied(f'UPDATE "{table}" SET "{first_column[table]}" = "{first_column[table]}" WHERE false'), f"portal can update {table}"
            assert denied(f'DELETE FROM "{table}" WHERE false'), f"portal can delete from {table}"
            assert denied(f'TRUNCATE "{table}"'), f"portal can truncate {table}"
            if table not in INTAKE_TABLES:
                assert denied(f'INSERT INTO "{table}" DEFAULT VALUES'), f"portal can insert into {table}"
            refused.append(table)
        assert denied("CREATE TABLE portal_own (x int)")
        for view in ("pet_public_status", "pet_public_stats"):  # no write privilege, and not updatable anyway
            with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectNotInPrerequisiteState)):
                conn.execute(f"DELETE FROM {view}")  # type: ignore[arg-type]
        assert denied("CREATE FUNCTION portal_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    assert len(refused) == len(tables) > 20


def test_the_whole_portal_runs_as_the_portal_role(pg_url: str, portal_url: str) -> None:
    with running_portal(portal_url, rate_limits=False) as visitor:
        code = visitor.submitted_code()
        assert visitor.post("/track", {"code": code, "last4": "5678"}).status_code == 303
        assert "已提交，等待登记" in visitor.get("/progress").text
        assert visitor.post("/track/sms", {"code": code}).status_code == 200
        assert visitor.get("/stats").status_code == 200
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).has_table("pet_submission")
            assert conn.execute(text("SELECT count(*) FROM pet_submission")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_portal_role_cannot_insert_a_second_rating_by_updating(portal_url: str) -> None:
    engine = make_engine(portal_url)
    try:
        with pytest.raises(ProgrammingError), engine.begin() as conn:
            conn.execute(text("UPDATE pet_portal_rating SET satisfaction = '满意'"))
    finally:
        engine.dispose()


def test_the_portal_role_reads_the_notice_views_and_not_their_tables(pg_url: str, portal_url: str) -> None:
    from core.cadre import notices
    from core.cadre.models import CadPerson

    server = make_engine(pg_url)
    factory = make_session_factory(server)
    install_server_hooks(factory)
    portal = make_engine(portal_url)
    try:
        with transaction(factory) as s:
            person = CadPerson(name="王老", scope="cadre")
            s.add(person)
            s.flush()
            n = notices.draft_notice(s, kind="通知", title="春节团拜会通知")
            notices.publish(s, n.id)
            _link, token = notices.create_link(s, person.id)
        with transaction(make_session_factory(portal)) as s:
            assert [x.title for x in notices.public_notices(s)] == ["春节团拜会通知"]
            assert notices.resolve_link(s, token) == notices.LinkHolder(person.id, "王老")
        for table in ("cad_notice", "cad_notice_link", "cad_person"):
            with pytest.raises(ProgrammingError), portal.begin() as conn:
                conn.execute(text(f"SELECT 1 FROM {table}"))
    finally:
        portal.dispose()
        server.dispose()
