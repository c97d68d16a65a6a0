"""The dispatcher against a real Kannel (bearerbox + smsbox) and its fakesmsc SMS centre."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from core.notifications.kannel import KannelGateway
from core.notifications.models import DELIVERED, FAILED, GAVE_UP, SENT, NtfAttempt
from core.notifications.templates import render
from tests.helpers.kannel import Kannel, joined
from tests.helpers.live_server import start_live_server
from tests.helpers.waits import wait_for
from tests.notifications.helpers import ACCEPTED, LONG, Outbox


@pytest.fixture
def outbox(server_db_url: str) -> Iterator[Outbox]:
    box = Outbox.open(server_db_url)
    yield box
    box.engine.dispose()


def test_a_queued_chinese_message_reaches_the_smsc_with_its_text(kannel: Kannel, outbox: Outbox) -> None:
    person = outbox.petitioner("138 0013 8000")
    mid = outbox.queue(person, "accepted:1", name="张三", code="X2026-0001")
    queued = outbox.message(mid)
    counts = outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()
    assert counts[SENT] == 1
    wait_for(lambda: len(kannel.received()) >= 1, what="the SMSC to get the message")
    [got] = kannel.received()
    assert got.to == "13800138000" and got.sender == "10690"
    assert got.text == "张三您好：您的信访件X2026-0001已受理，请留意后续答复。"
    sent = outbox.message(mid)
    assert (sent.status, sent.attempts, sent.parts, sent.last_error) == (SENT, 1, 1, "")
    # the server's write is stamped like every server write: a new version and change number for the clients
    assert sent.version > queued.version and sent.seq > queued.seq and sent.changed_by == "notifications"
    assert outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()[SENT] == 0


def test_a_message_queued_while_the_gateway_is_down_is_sent_once_when_it_is_back(kannel: Kannel,
                                                                                   outbox: Outbox) -> None:
    person = outbox.petitioner()
    mid = outbox.queue(person, "accepted:2")
    dispatcher = outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url), base_delay=30)
    kannel.stop_boxes()
    assert dispatcher.run_once()[FAILED] == 1
    down = outbox.message(mid)
    assert down.status == FAILED and "无法连接" in down.last_error
    assert down.next_attempt_at == outbox.clock.now + (dispatcher.settings.delay(1, lambda: 0.5))
    assert dispatcher.run_once()[FAILED] == 0  # not due yet
    kannel.start_boxes()
    outbox.clock.advance(31)
    assert dispatcher.run_once()[SENT] == 1
    outbox.clock.advance(3600)
    assert sum(dispatcher.run_once().values()) == 0
    wait_for(lambda: len(kannel.received()) >= 1, what="the SMSC to get the message")
    assert [r.text for r in kannel.received()] == [render(ACCEPTED.key, {"name": "张三", "code": "X2026-0001"})]
    assert outbox.message(mid).attempts == 2


def test_retries_stop_after_the_maximum(kannel: Kannel, outbox: Outbox) -> None:
    mid = outbox.queue(outbox.petitioner(), "accepted:3")
    dispatcher = outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url), max_attempts=3, base_delay=10,
                                   max_delay=15)
    kannel.stop_boxes()
    delays = []
    for _ in range(3):
        dispatcher.run_once()
        msg = outbox.message(mid)
        if msg.next_attempt_at is not None:
            delays.append((msg.next_attempt_at - outbox.clock.now).total_seconds())
        outbox.clock.advance(20)
    assert delays == [10, 15]  # doubled, capped at max_delay (jitter fixed at its middle here)
    final = outbox.message(mid)
    assert (final.status, final.attempts, final.next_attempt_at) == (GAVE_UP, 3, None)


def test_a_long_message_is_split_into_67_character_parts(kannel: Kannel, outbox: Outbox) -> None:
    body = "人大常委会办公厅通知：" * 15  # 165 characters → 3 parts
    mid = outbox.queue(outbox.petitioner(), "long:1", template=LONG.key, body=body)
    outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()
    wait_for(lambda: len(kannel.received()) >= 3, what="three parts")
    parts = kannel.received()
    assert [len(p.text) for p in parts] == [67, 67, 31]
    assert joined(parts) == body
    assert {p.udh[:4] for p in parts} == {b"\x05\x00\x03" + parts[0].udh[3:4]}  # one concatenation reference
    assert outbox.message(mid).parts == 3


def test_a_refusal_or_a_missing_number_fails_without_retry(kannel: Kannel, outbox: Outbox) -> None:
    no_phone = outbox.queue(outbox.petitioner(phone=None), "nophone:1")
    wrong = outbox.queue(outbox.petitioner(phone="12ab"), "badphone:1")
    good = outbox.queue(outbox.petitioner(), "refused:1")
    gateway = KannelGateway.from_url(kannel.gateway_url.replace("sms-test", "wrong-password"))
    outbox.dispatcher(gateway).run_once()
    for mid, reason in ((no_phone, "没有手机号码"), (wrong, "格式不对"), (good, "拒绝发送")):
        msg = outbox.message(mid)
        assert (msg.status, msg.next_attempt_at) == (FAILED, None), reason
        assert reason in msg.last_error
    outbox.clock.advance(86400)
    assert sum(outbox.dispatcher(gateway).run_once().values()) == 0
    assert kannel.received() == []


def test_a_message_left_sending_by_a_dead_process_is_sent_after_the_claim_expires(kannel: Kannel,
                                                                                   outbox: Outbox) -> None:
    mid = outbox.queue(outbox.petitioner(), "crash:1")
    dispatcher = outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url), sending_timeout=300)
    dispatcher._claim()  # the process dies after claiming, before the gateway is called
    assert sum(dispatcher.run_once().values()) == 0  # still claimed
    outbox.clock.advance(301)
    assert dispatcher.run_once()[SENT] == 1
    wait_for(lambda: len(kannel.received()) >= 1, what="the message")
    assert len(kannel.received()) == 1 and outbox.message(mid).attempts == 2


def test_delivery_reports_come_back_through_the_server(kannel: Kannel, tmp_path: Path) -> None:
    with start_live_server(tmp_path, demo_users=False) as live:
        outbox = Outbox(live.services.engine, live.services.factory)
        mid = outbox.queue(outbox.petitioner(), "dlr:1")
        dispatcher = outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url), report_base_url=live.url)
        dispatcher.run_once()
        wait_for(lambda: outbox.message(mid).status == DELIVERED, what="the delivery report")
        msg = outbox.message(mid)
        assert msg.delivered_at is not None and msg.sent_at is not None
        with live.services.factory() as s:
            attempt = s.scalar(select(NtfAttempt).where(NtfAttempt.message_id == mid, NtfAttempt.kind == "send"))
            assert attempt is not None
            reports = s.scalar(select(func.count()).select_from(NtfAttempt).where(NtfAttempt.kind == "dlr"))
            assert reports >= 1
        # a forged report (wrong token) changes nothing
        forged = requests.get(f"{live.url}/api/notifications/dlr", timeout=10,
                              params={"attempt": attempt.id, "token": "guess", "type": 16})
        assert forged.status_code == 403
        assert outbox.message(mid).status == DELIVERED
        # a genuine failure report after delivery does not undo it
        real = requests.get(f"{live.url}/api/notifications/dlr", timeout=10,
                            params={"attempt": attempt.id, "token": attempt.dlr_token, "type": 2})
        assert real.status_code == 200 and outbox.message(mid).status == DELIVERED


@pytest.mark.postgres
def test_a_message_locked_by_another_process_is_skipped_not_waited_for(pg_url: str) -> None:
    from sqlalchemy import text

    from core.notifications.gateway import SendResult

    outbox = Outbox.open(pg_url)
    try:
        mid = outbox.queue(outbox.petitioner(), "locked:1")
        sent: list[str] = []

        class Recorder:
            def send(self, *, to: str, text: str, message_id: str, report_url: str) -> SendResult:
                sent.append(message_id)
                return SendResult(message_id)

        dispatcher = outbox.dispatcher(Recorder())
        with outbox.engine.connect() as other, other.begin():  # another server process holds the row
            other.execute(text("SELECT id FROM ntf_message WHERE id = :id FOR UPDATE"), {"id": mid})
            assert sum(dispatcher.run_once().values()) == 0
        assert dispatcher.run_once()[SENT] == 1 and sent == [mid]
    finally:
        outbox.engine.dispose()
