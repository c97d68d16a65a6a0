"""``renda cadre notice``: draft, publish, link, withdraw and refusals from the shell, on a server database."""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from apps.cadre.cli_notices import register_notices
from core.cadre import notices
from core.cadre.models import CadPerson
from core.db import make_engine, make_session_factory
from core.notifications import wechat
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of
from tests.helpers.wechat_stub import APPID, SECRET, wechat_stub

ROOT = Path(__file__).resolve().parents[2]


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


# ------------------------------------------------------------------------------------------ wechat-send
# WeChat cannot be reached from the test machines: the command is pointed (--api-base) at the local server
# that follows WeChat's documented API (tests/helpers/wechat_stub.py).
def _published(db: str, openid: str = "oFOLLOWER0001") -> str:
    engine = make_engine(db)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    with factory() as s, s.begin():
        person = CadPerson(name="周老", scope="cadre")
        s.add(person)
        s.flush()
        notices.bind_wechat(s, person.id, openid)
        n = notices.draft_notice(s, kind="通知", title="春节团拜会通知", body="定于1月20日上午举行。")
        s.flush()
        notices.publish(s, n.id)
        nid = n.id
    engine.dispose()
    return nid


def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wechat.ENV_APPID, APPID)
    monkeypatch.setenv(wechat.ENV_SECRET, SECRET)
    monkeypatch.setenv(wechat.ENV_TEMPLATE_NOTICE, "TPL-NOTICE")
    monkeypatch.setenv(wechat.ENV_LINK_BASE, "https://portal.example.gov.cn")


def test_wechat_send_once_delivers_each_message_once(migrated_sqlite: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    nid = _published(db)
    _credentials(monkeypatch)
    with wechat_stub(followers={"oFOLLOWER0001"}) as stub:
        assert run(["notice", "wechat-send", "--once", "--api-base", stub.base, "--db", db]) == 0
        assert "已发出 1 条" in capsys.readouterr().out
        assert run(["notice", "wechat-send", "--once", "--api-base", stub.base, "--db", db]) == 0
        assert "没有待发的微信消息" in capsys.readouterr().out
    [sent] = stub.sent
    assert (sent["touser"], sent["template_id"]) == ("oFOLLOWER0001", "TPL-NOTICE")
    assert sent["url"] == f"https://portal.example.gov.cn/laoganbu/n/{nid}"
    assert sent["data"]["first"]["value"] == "通知：春节团拜会通知"
    assert stub.token_requests == 1


def test_wechat_send_refuses_without_credentials(migrated_sqlite: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    for name in (wechat.ENV_APPID, wechat.ENV_SECRET, wechat.ENV_TEMPLATE_NOTICE, wechat.ENV_LINK_BASE):
        monkeypatch.delenv(name, raising=False)
    assert run(["notice", "wechat-send", "--once", "--db", db]) == 1
    assert "RENDA_WECHAT_APPID" in capsys.readouterr().err
    with pytest.raises(wechat.WechatConfigError, match="系统钥匙串"):
        wechat.gateway_from_environment({wechat.ENV_APPID: APPID}, secret_lookup=lambda _appid: None)
    gateway = wechat.gateway_from_environment(  # the AppSecret from the keyring when the environment has none
        {wechat.ENV_APPID: APPID, wechat.ENV_TEMPLATE_NOTICE: "TPL"}, secret_lookup={APPID: SECRET}.get)
    assert (gateway.secret, gateway.template_ids) == (SECRET, {"cadre.notice": "TPL"})


def test_wechat_send_runs_until_sigterm(migrated_sqlite: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    _published(db)
    env = {**os.environ, wechat.ENV_APPID: APPID, wechat.ENV_SECRET: SECRET,
           wechat.ENV_TEMPLATE_NOTICE: "TPL-NOTICE", "PYTHONUNBUFFERED": "1"}
    arrived = threading.Event()

    class Arrivals(list[dict[str, Any]]):
        def append(self, item: dict[str, Any]) -> None:
            super().append(item)
            arrived.set()

    with wechat_stub(followers={"oFOLLOWER0001"}, sent=Arrivals()) as stub:
        proc = subprocess.Popen([sys.executable, "-m", "apps.cli", "cadre", "notice", "wechat-send", "--api-base",
                                 stub.base, "--interval", "0.2", "--db", db], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None
            assert "微信发送已启动" in proc.stdout.readline()  # blocks until the loop has started
            assert arrived.wait(30), proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert "微信发送已停止" in out
    assert len(stub.sent) == 1  # sent once, never again on the later passes
