"""The dispatcher inside the server process (``--sms-gateway``) and the ``renda notify`` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.cli import main
from core.notifications import TemplateError, queue_sms
from core.notifications.models import DELIVERED, SENT
from tests.helpers.kannel import Kannel
from tests.helpers.live_server import start_live_server
from tests.helpers.waits import wait_for
from tests.notifications.helpers import ACCEPTED, Outbox


def test_the_server_sends_queued_messages_when_given_a_gateway(kannel: Kannel, tmp_path: Path) -> None:
    with start_live_server(tmp_path, demo_users=False, sms_gateway=kannel.gateway_url,
                           sms_interval_seconds=0.05) as live:
        outbox = Outbox(live.services.engine, live.services.factory)
        mid = outbox.queue(outbox.petitioner(), "server:1")
        wait_for(lambda: outbox.message(mid).status in (SENT, DELIVERED), what="the server to send it")
        wait_for(lambda: len(kannel.received()) >= 1, what="the SMSC")
    assert [r.text for r in kannel.received()] == ["张三您好：您的信访件X2026-0001已受理，请留意后续答复。"]


def test_notify_run_once_and_status(kannel: Kannel, tmp_path: Path, migrated_sqlite: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers.sqlite import copy_of

    url = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    outbox = Outbox.open(url)
    outbox.queue(outbox.petitioner(), "cli:1")
    assert main(["notify", "status", "--db", url]) == 0
    assert "待发送\t1" in capsys.readouterr().out
    assert main(["notify", "run", "--once", "--db", url, "--sms-gateway", kannel.gateway_url]) == 0
    assert "已发出 1 条" in capsys.readouterr().out
    assert main(["notify", "run", "--once", "--db", url, "--sms-gateway", "http://x"]) == 2
    assert "kannel://" in capsys.readouterr().err
    outbox.engine.dispose()
    wait_for(lambda: len(kannel.received()) >= 1, what="the SMSC")


def test_queueing_checks_the_template_and_the_recipient_at_once(migrated_sqlite: Path, tmp_path: Path) -> None:
    from tests.helpers.sqlite import copy_of

    outbox = Outbox.open(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}")
    with outbox.factory() as s:
        cases: list[tuple[dict[str, object], str]] = [
            ({"template_key": "nope", "params": {}}, "没有登记短信模板"),
            ({"params": {"name": "张三"}}, "缺少参数：code"),
            ({"recipient": ("pet_petitioner", "", "phone")}, "收件人"),
            ({"scope": ""}, "范围"),
            ({"dedup_key": ""}, "去重键"),
        ]
        for override, message in cases:
            args: dict[str, object] = {"template_key": ACCEPTED.key, "params": {"name": "张三", "code": "1"},
                                       "recipient": ("pet_petitioner", "p1", "phone"), "scope": "petition",
                                       "dedup_key": "k", **override}
            with pytest.raises(TemplateError, match=message):
                queue_sms(s, **args)  # type: ignore[arg-type]
        assert not s.new
    outbox.engine.dispose()
