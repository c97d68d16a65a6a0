"""`renda audit verify` catches edited, deleted and reordered entries; `renda users` bootstraps an administrator."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from apps.cli import main
from apps.server.services import ServerServices
from core.auth.service import DEMO_PASSWORD, DEMO_USERS
from core.db import make_engine
from tests.helpers.live_server import server_settings, start_live_server


@pytest.fixture
def audited_db(tmp_path: Path, server_db_url: str) -> Iterator[str]:
    """A server database with 15 audit entries (roles, users, logins)."""
    services = ServerServices.open(server_settings(tmp_path, server_db_url))
    try:
        services.identity.ensure_demo_users()
        for username in ("staff", "admin"):
            services.identity.authenticate(username, DEMO_PASSWORD, "10.0.0.1")
    finally:
        services.close()
    yield server_db_url


@pytest.fixture
def raw(audited_db: str) -> Iterator[Engine]:
    engine = make_engine(audited_db)
    yield engine
    engine.dispose()


def _verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", url])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_intact_log_verifies(audited_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(audited_db, capsys)
    assert code == 0
    assert f"审计日志完整：共 {len(DEMO_USERS) + 3} 条" in out  # a user.create per demo user, and three more


def test_edited_entry_is_caught(audited_db: str, raw: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with raw.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE seq = 5"))
    code, out = _verify(audited_db, capsys)
    assert code == 1
    assert "审计日志被篡改：第 5 条" in out and "被修改" in out


def test_edited_detail_is_caught(audited_db: str, raw: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with raw.begin() as conn:
        conn.execute(text("UPDATE audit_log SET ip = '192.168.0.66' WHERE seq = 15"))
    code, out = _verify(audited_db, capsys)
    assert code == 1 and "第 15 条" in out


def test_deleted_entry_is_caught(audited_db: str, raw: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with raw.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 7"))
    code, out = _verify(audited_db, capsys)
    assert code == 1
    assert "第 7 条" in out and "删除" in out


def test_deleted_tail_renumbered_is_caught(audited_db: str, raw: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    # A careful forger deletes entry 7 and renumbers the rest so the sequence has no gap.
    with raw.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 7"))
        for seq in range(8, 16):
            conn.execute(text("UPDATE audit_log SET seq = :new WHERE seq = :old"), {"new": seq - 1, "old": seq})
    code, out = _verify(audited_db, capsys)
    assert code == 1 and "第 7 条" in out


def test_reordered_entries_are_caught(audited_db: str, raw: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with raw.begin() as conn:
        conn.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = 9"))
        conn.execute(text("UPDATE audit_log SET seq = 9 WHERE seq = 10"))
        conn.execute(text("UPDATE audit_log SET seq = 10 WHERE seq = -1"))
    code, out = _verify(audited_db, capsys)
    assert code == 1
    assert "第 9 条" in out


def test_a_missing_database_is_refused_and_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "empty.sqlite3"
    code, out = _verify(f"sqlite:///{missing}", capsys)
    assert code == 2 and "不存在" in out and "sqlite:////" in out
    assert not missing.exists()


def test_a_foreign_database_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    code, out = _verify(f"sqlite:///{other}", capsys)
    assert code == 2 and "不是本系统的数据库" in out
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["notes"]


def test_users_commands_bootstrap_an_administrator(tmp_path: Path, server_db_url: str,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", server_db_url]
    monkeypatch.setattr("sys.stdin", io.StringIO("Head#Office2026\n"))
    assert main(["users", "create", "chief", "--name", "信息中心主任", "--role", "admin", "--password-stdin", *db]) == 0
    assert "已创建用户 chief" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO("chief2026\n"))
    assert main(["users", "create", "clerk", "--name", "办事员", "--password-stdin", *db]) == 1
    assert "密码不符合要求" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO("Desk#Work2026\n"))
    assert main(["users", "create", "clerk", "--name", "办事员", "--role", "deputy",
                 "--scope", "committee:财经", "--password-stdin", *db]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Desk#Work2026\n"))
    assert main(["users", "create", "clerk", "--name", "重名", "--password-stdin", *db]) == 1
    assert "已被使用" in capsys.readouterr().err

    assert main(["users", "set-roles", "clerk", "专家", "petition_clerk", *db]) == 0  # Chinese names or ids
    assert "expert、petition_clerk" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["users", "set-roles", "clerk", "魔法师", *db])
    assert refused.value.code == 2 and "没有角色“魔法师”。可选：预工委工作人员（budget_staff）" in capsys.readouterr().err
    assert main(["users", "unlock", "ghost", *db]) == 1
    assert "不存在" in capsys.readouterr().err

    with start_live_server(tmp_path, server_db_url, demo_users=False) as live:
        for _ in range(5):
            live.login("clerk", "Wrong#Pass2026")
        assert live.login("clerk", "Desk#Work2026").status_code == 401  # locked
        assert main(["users", "unlock", "clerk", *db]) == 0
        response = live.login("chief", "Head#Office2026")
        assert response.status_code == 200 and response.json()["user"]["roles"] == ["admin"]
        assert live.login("clerk", "Desk#Work2026").status_code == 200

    capsys.readouterr()
    assert main(["users", "list", *db]) == 0
    out = capsys.readouterr().out
    assert "chief" in out and "信息中心主任" in out and "共 2 位用户" in out
    assert main(["audit", "verify", *db]) == 0
