"""``renda portal`` refuses a database it cannot use; ``renda petition intake`` runs the bridge once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from apps.cli import main
from core.db import make_engine, make_session_factory, transaction
from core.petition.intake import SubmissionForm, record_submission
from core.petition.models import PetCase


def test_the_portal_refuses_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["portal", "--db", f"sqlite:///{missing}"]) == 2
    assert "不存在" in capsys.readouterr().err and not missing.exists()


def test_petition_intake_registers_waiting_submissions(portal_db: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(portal_db)
    try:
        with transaction(make_session_factory(engine)) as s:
            record_submission(s, SubmissionForm(name="孙七", phone="13500001111", subject="噪音",
                                                content="广场舞音响声音过大，影响周边居民。" * 2, district_code="310105"))
        assert main(["petition", "intake", "--db", portal_db, "--data-dir", str(tmp_path / "data")]) == 0
        assert "新登记 1 件" in capsys.readouterr().out
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(PetCase)).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_demo_portal_serves_beside_the_demo_server(portal_db: str) -> None:
    import requests

    from apps.portal.serve import demo_portal

    with demo_portal(portal_db, port=0) as url:
        assert requests.get(url + "/", timeout=10).status_code == 200
