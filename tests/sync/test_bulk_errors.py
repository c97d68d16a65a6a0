"""A bulk write that breaks a constraint raises SQLAlchemy's own error classes, as the ORM would, so callers
(the push route's retry of a batch delivered twice at once) recognise it on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import make_engine, migrate
from core.models.syncstate import AppliedMutation
from core.sync.bulk import bulk_insert


def test_a_duplicate_in_a_bulk_insert_is_an_integrity_error(server_db_url: str) -> None:
    engine = make_engine(server_db_url)
    migrate(engine)
    row = {"mutation_id": "m-1", "device_id": "d", "user_id": "u", "result": {"status": "applied"},
           "applied_at": datetime.now(UTC)}
    try:
        with Session(engine) as session, session.begin():
            bulk_insert(session, AppliedMutation.__table__, [row])  # type: ignore[arg-type]
        with pytest.raises(IntegrityError), Session(engine) as session, session.begin():
            bulk_insert(session, AppliedMutation.__table__, [row])  # type: ignore[arg-type]
        with Session(engine) as session:
            assert session.query(AppliedMutation).count() == 1
    finally:
        engine.dispose()
