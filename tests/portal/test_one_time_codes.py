"""One-time codes on SQLite and PostgreSQL alike: five wrong tries use a code up; an expired code fails;
a newer code replaces the older one; at most three codes an hour for one tracking code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory, transaction
from core.models.base import utcnow
from core.petition.intake import (
    PetPortalOtp,
    SubmissionForm,
    import_submissions,
    otp_hash,
    record_submission,
    request_otp,
    verify_otp,
)
from core.sync.stamping import install_server_hooks


@pytest.fixture
def factory(server_db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(server_db_url)
    made = make_session_factory(engine)
    install_server_hooks(made)
    yield made
    engine.dispose()


def _code_with_case(factory: sessionmaker[Session]) -> str:
    with transaction(factory) as s:
        code = record_submission(s, SubmissionForm(name="吴九", phone="13200004444", subject="供水",
                                                   content="老小区水压不足，高层住户经常停水，请求改造。", district_code="310112"))
    with transaction(factory) as s:
        import_submissions(s)
    return code


def _send(factory: sessionmaker[Session], code: str, otp: str) -> None:
    with transaction(factory) as s:
        request_otp(s, code)
    with transaction(factory) as s:
        import_submissions(s)
        latest = s.execute(select(PetPortalOtp).where(PetPortalOtp.status == "sent")
                           .order_by(PetPortalOtp.requested_at.desc())).scalars().first()
        assert latest is not None
        latest.code_hash = otp_hash(code, otp)


def _verify(factory: sessionmaker[Session], code: str, otp: str) -> bool:
    with transaction(factory) as s:
        return verify_otp(s, code, otp)


def test_five_wrong_tries_use_a_code_up(factory: sessionmaker[Session]) -> None:
    code = _code_with_case(factory)
    _send(factory, code, "135790")
    assert [_verify(factory, code, "000000") for _ in range(5)] == [False] * 5
    assert _verify(factory, code, "135790") is False


def test_an_expired_code_fails_and_a_newer_one_replaces_it(factory: sessionmaker[Session]) -> None:
    code = _code_with_case(factory)
    _send(factory, code, "111111")
    _send(factory, code, "222222")
    assert _verify(factory, code, "111111") is False  # the older code stopped working
    with transaction(factory) as s:
        s.execute(update(PetPortalOtp).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert _verify(factory, code, "222222") is False


def test_at_most_three_codes_an_hour(factory: sessionmaker[Session]) -> None:
    code = _code_with_case(factory)
    for _ in range(4):
        with transaction(factory) as s:
            request_otp(s, code)
    with transaction(factory) as s:
        counts = import_submissions(s)
    assert counts["otps"] == 3 and counts["refused"] == 1
