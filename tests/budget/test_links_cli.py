"""``renda budget link|import|exchange`` through a real parser, on real SQLite databases and a real HTTP bureau."""

from __future__ import annotations

import argparse
import io
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from apps.budget.cli_links import add_to
from core.budget.models import Payment
from core.db import make_engine, make_session_factory, migrate
from core.sync.stamping import install_server_hooks
from tests.budget.helpers import seed_reference
from tests.budget.test_links import BAD_PAYMENTS, GOOD_PAYMENTS, Bureau, BureauServer, Offered
from tests.helpers.sqlite import migrated_copy


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="renda budget")
    add_to(parser.add_subparsers(dest="budget_command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{migrated_copy(tmp_path / 'server.sqlite3')}"
    engine = make_engine(url)
    factory: sessionmaker[Session] = make_session_factory(engine)
    install_server_hooks(factory)
    seed_reference(factory)
    return url, engine


def payments(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Payment)) or 0)


def test_import_good_and_bad_file(db: tuple[str, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, engine = db
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD_PAYMENTS)
    bad.write_bytes(BAD_PAYMENTS)
    assert run("import", "--kind", "payments", str(bad), "--db", url) == 1
    assert "第 2 行" in capsys.readouterr().out and payments(engine) == 0
    assert run("import", "--kind", "payments", str(good), "--db", url) == 0
    assert "新增 2 行" in capsys.readouterr().out and payments(engine) == 2
    assert run("import", "--kind", "payments", str(tmp_path / "none.csv"), "--db", url) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_link_set_pull_status(db: tuple[str, Engine], capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    url, engine = db
    assert run("link", "pull", "--db", url) == 1
    assert "没有已启用的数据接口" in capsys.readouterr().err
    server = BureauServer(Bureau(token="t0k", files=[Offered("1", "payments", "p.csv", GOOD_PAYMENTS)]))
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("t0k\n"))
        assert run("link", "set", "finance", "--url", server.url, "--enable", "--token-stdin") == 0
        assert run("link", "list") == 0
        listing = capsys.readouterr().out
        assert "市财政局" in listing and "已启用" in listing and "身份凭据：口令" in listing
        assert run("link", "pull", "--db", url) == 0
        assert "新增 2 行" in capsys.readouterr().out and payments(engine) == 2
        assert run("link", "status") == 0
        status = capsys.readouterr().out
        assert "市财政局：上次拉取" in status and "结果 成功" in status and "接收位置 1" in status
    finally:
        server.close()


def test_exchange_export_and_import(db: tuple[str, Engine], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = db
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_PAYMENTS)
    assert run("import", "--kind", "payments", str(good), "--db", url) == 0
    package = tmp_path / "2025.zip"
    assert run("exchange", "export", "--year", "2025", "--months", "1-6", "--out", str(package), "--db", url) == 0
    assert "2025年1–6月" in capsys.readouterr().out
    other = f"sqlite:///{tmp_path / 'district.sqlite3'}"
    migrate(make_engine(other))  # the district's own server database
    assert run("exchange", "import", str(package), "--db", other) == 1
    assert "不在受信任名单中" in capsys.readouterr().err  # the signer is not trusted yet
    assert run("exchange", "key") == 0
    key = capsys.readouterr().out.split("公钥：")[1].split()[0]
    assert run("exchange", "trust", "市人大常委会预算工委", key) == 0
    assert run("exchange", "trusted") == 0
    assert "市人大常委会预算工委" in capsys.readouterr().out
    assert run("exchange", "import", str(package), "--db", other) == 1
    assert "未登记的部门" in capsys.readouterr().err
    assert run("exchange", "import", str(package), "--db", other, "--register-departments") == 0
    assert "同时登记了部门：D010、D031" in capsys.readouterr().out
    district = make_engine(other)
    assert payments(district) == 2
    district.dispose()


def _foreign(path: Path) -> str:
    """A SQLite file that exists but is not the suite's (another program's data)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kunden (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def _tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        conn.close()


@pytest.mark.parametrize("target", ["missing", "foreign", "no-file"])
@pytest.mark.parametrize("command", ["import", "link-pull", "exchange-export", "exchange-import"])
def test_a_missing_or_foreign_database_is_refused_and_nothing_is_created(
        command: str, target: str, db: tuple[str, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = db
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_PAYMENTS)
    package = tmp_path / "2025.zip"
    if command == "exchange-import":  # a genuine, signed, trusted package: only the database is wrong
        assert run("import", "--kind", "payments", str(good), "--db", url) == 0
        assert run("exchange", "export", "--year", "2025", "--out", str(package), "--db", url) == 0
        assert run("exchange", "key") == 0
        key = capsys.readouterr().out.split("公钥：")[1].split()[0]
        assert run("exchange", "trust", "市人大常委会预算工委", key) == 0
        capsys.readouterr()
    wrong_file = tmp_path / "wrong.sqlite3"
    wrong = _foreign(wrong_file) if target == "foreign" else {"missing": f"sqlite:///{wrong_file}",
                                                               "no-file": "sqlite://"}[target]
    out = tmp_path / "out.zip"
    argv = {"import": ["import", "--kind", "payments", str(good)],
            "link-pull": ["link", "pull", "--bureau", "finance"],
            "exchange-export": ["exchange", "export", "--year", "2025", "--out", str(out)],
            "exchange-import": ["exchange", "import", str(package)]}[command]
    assert run(*argv, "--db", wrong) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err
    expected = {"missing": "不存在，未做任何改动", "foreign": "不是本系统的数据库", "no-file": "没有指明文件"}[target]
    assert expected in err and ("sqlite:////" in err or "--db" in err)  # and how to write it right
    if target == "missing":
        assert not wrong_file.exists()
    elif target == "foreign":
        assert _tables(wrong_file) == ["kunden"]  # not migrated, not written
    assert not out.exists()
