"""``renda cadre notice``: draft, publish, link, withdraw and refusals from the shell, on a server database."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from apps.cadre.cli_notices import register_notices
from core.cadre import notices
from core.cadre.models import CadPerson
from core.db import make_engine, make_session_factory
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renda cadre")
    register_notices(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_draft_publish_link_withdraw(migrated_sqlite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    engine = make_engine(db)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    with factory() as s, s.begin():
        person = CadPerson(name="周老", scope="cadre")
        s.add(person)
        s.flush()
        pid = person.id
    body = tmp_path / "正文.txt"
    body.write_text("定于1月20日上午举行。", encoding="utf-8")
    assert run(["notice", "draft", "--kind", "通知", "--title", "春节团拜会通知", "--body-file", str(body), "--db", db]) == 0
    nid = capsys.readouterr().out.strip().rsplit("：", 1)[1]
    assert run(["notice", "bind", pid, "oFOLLOWER0001", "--db", db]) == 0
    assert run(["notice", "publish", nid, "--db", db]) == 0
    assert "微信消息排队 1 条" in capsys.readouterr().out
    assert run(["notice", "publish", nid, "--db", db]) == 1
    assert "已经发布" in capsys.readouterr().err
    assert run(["notice", "link", pid, "--base", "https://portal.example.gov.cn/", "--db", db]) == 0
    found = re.search(r"https://portal\.example\.gov\.cn/laoganbu/p/([A-Za-z0-9_-]{43})", capsys.readouterr().out)
    assert found is not None
    with factory() as s:
        assert notices.resolve_link(s, found.group(1)) == notices.LinkHolder(pid, "周老")
        assert [n.id for n in notices.public_notices(s)] == [nid]
    assert run(["notice", "withdraw", nid, "--db", db]) == 0
    assert run(["notice", "draft", "--kind", "讣告", "--title", "讣告", "--db", db]) == 1
    assert "讣告请选择逝者" in capsys.readouterr().err
    with factory() as s:
        assert notices.public_notices(s) == []
    engine.dispose()
