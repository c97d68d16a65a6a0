"""The WeChat official-account channel of the outbox, against a local server that follows WeChat's documented
API (``tests/helpers/wechat_stub.py``): WeChat itself cannot be reached from the test machines."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.cadre import notices
from core.cadre.models import CadPerson
from core.notifications.dispatch import Dispatcher, DispatchSettings
from core.notifications.models import FAILED, GAVE_UP, QUEUED, SENT
from core.notifications.wechat import WechatDispatcher, WechatGateway
from tests.helpers.sqlite import copy_of
from tests.helpers.wechat_stub import APPID, SECRET, WechatStub, wechat_stub
from tests.notifications.helpers import Outbox

LINK_BASE = "https://rd.example.gov.cn"


@pytest.fixture
def outbox(migrated_sqlite: Path, tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox.open(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}")
    yield box
    box.engine.dispose()


@pytest.fixture
def stub() -> Iterator[WechatStub]:
    with wechat_stub(followers={"oFOLLOWER0001", "oFOLLOWER0002"}, unfollowed={"oGONE00000001"}) as s:
        yield s


def gateway(stub: WechatStub, **kw: Any) -> WechatGateway:
    values: dict[str, Any] = {"appid": APPID, "secret": SECRET, "template_ids": {"cadre.notice": "TPL-NOTICE"},
                              "base_url": stub.base, "link_base": LINK_BASE, "timeout": 5.0, **kw}
    return WechatGateway(**values)


def dispatcher(box: Outbox, gw: WechatGateway, **settings: Any) -> WechatDispatcher:
    values: dict[str, Any] = {"base_delay": 30.0, "jitter": 0.2, **settings}
    return WechatDispatcher(box.factory, gw, DispatchSettings(**values), clock=box.clock, rng=lambda: 0.5)


def people(box: Outbox, *openids: str | None) -> list[str]:
    ids = []
    with box.factory() as s, s.begin():
        for n, openid in enumerate(openids):
            person = CadPerson(name=f"老同志{n}", scope="cadre")
            s.add(person)
            s.flush()
            if openid is not None:
                notices.bind_wechat(s, person.id, openid)
            ids.append(person.id)
    return ids


def publish(box: Outbox, title: str = "重阳节茶话会通知", addressee: str | None = None) -> tuple[str, int]:
    with box.factory() as s, s.begin():
        notice = notices.draft_notice(s, kind="通知", title=title, body="定于10月29日下午举行。",
                                      addressee_id=addressee)
        s.flush()
        _n, queued = notices.publish(s, notice.id, now=box.clock())
        return notice.id, queued


def statuses(box: Outbox) -> dict[str, Any]:
    from sqlalchemy import select

    from core.cadre.notice_models import CadWechatBinding
    from core.notifications.models import NtfMessage

    with box.factory() as s:
        rows = s.execute(select(CadWechatBinding.openid, NtfMessage).join(
            CadWechatBinding, CadWechatBinding.id == NtfMessage.recipient_id)).all()
        for _o, m in rows:
            s.expunge(m)
        return {openid: msg for openid, msg in rows}


def test_publishing_queues_one_message_per_bound_person_and_the_outbox_sends_them(outbox: Outbox,
                                                                                    stub: WechatStub) -> None:
    people(outbox, "oFOLLOWER0001", "oGONE00000001", None)
    notice_id, queued = publish(outbox)
    assert queued == 2
    assert {m.status for m in statuses(outbox).values()} == {QUEUED}
    assert {m.channel for m in statuses(outbox).values()} == {"wechat"}

    counts = dispatcher(outbox, gateway(stub)).run_once()
    assert counts[SENT] == 1 and counts[FAILED] == 1
    state = statuses(outbox)
    ok, gone = state["oFOLLOWER0001"], state["oGONE00000001"]
    assert ok.status == SENT and ok.gateway_id == "200228333" and ok.parts == 1 and ok.last_error == ""
    assert gone.status == FAILED and gone.next_attempt_at is None and "43004" in gone.last_error
    assert "用户未关注公众号" in gone.last_error
    [sent] = stub.sent
    assert sent["touser"] == "oFOLLOWER0001" and sent["template_id"] == "TPL-NOTICE"
    assert sent["url"] == f"{LINK_BASE}/laoganbu/n/{notice_id}"
    assert sent["data"]["first"] == {"value": "通知：重阳节茶话会通知"}
    assert sent["data"]["keyword1"] == {"value": "重阳节茶话会通知"}
    assert sent["data"]["keyword2"]["value"].startswith("2026年12月1日")
    # publishing again is refused, and nothing is queued twice
    with outbox.factory() as s, s.begin(), pytest.raises(notices.NoticeError, match="已经发布"):
        notices.publish(s, notice_id)
    assert dispatcher(outbox, gateway(stub)).run_once()[SENT] == 0


def test_an_addressed_notice_goes_to_its_person_only_and_opens_their_list(outbox: Outbox, stub: WechatStub) -> None:
    first, _second = people(outbox, "oFOLLOWER0001", "oFOLLOWER0002")
    _id, queued = publish(outbox, addressee=first)
    assert queued == 1
    dispatcher(outbox, gateway(stub)).run_once()
    [sent] = stub.sent
    assert sent["touser"] == "oFOLLOWER0001" and sent["url"] == f"{LINK_BASE}/laoganbu/"


def test_the_access_token_is_cached_and_fetched_again_when_wechat_says_it_expired(outbox: Outbox,
                                                                                 stub: WechatStub) -> None:
    people(outbox, "oFOLLOWER0001", "oFOLLOWER0002")
    gw = gateway(stub)
    publish(outbox, "第一条")
    assert dispatcher(outbox, gw).run_once()[SENT] == 2
    assert stub.token_requests == 1  # one token for both messages
    stub.script.append("expire")  # 42001 on the next send: the gateway fetches a new token and sends once more
    publish(outbox, "第二条")
    assert dispatcher(outbox, gw).run_once()[SENT] == 2
    assert stub.token_requests == 2 and len(stub.sent) == 4


def test_a_token_replaced_elsewhere_40001_is_refreshed(outbox: Outbox, stub: WechatStub) -> None:
    people(outbox, "oFOLLOWER0001")
    gw = gateway(stub)
    gw.access_token()
    stub.tokens = {"someone-else-fetched-a-new-one"}
    publish(outbox)
    assert dispatcher(outbox, gw).run_once()[SENT] == 1
    assert stub.token_requests == 2


def test_the_token_is_fetched_again_when_expires_in_runs_out(stub: WechatStub) -> None:
    now = [0.0]
    gw = gateway(stub, clock=lambda: now[0], refresh_margin=300.0)
    first = gw.access_token()
    now[0] = 7200 - 301
    assert gw.access_token() == first and stub.token_requests == 1
    now[0] = 7200 - 299
    assert gw.access_token() != first and stub.token_requests == 2


def test_system_busy_is_retried_with_backoff_and_visible_in_the_outbox(outbox: Outbox, stub: WechatStub) -> None:
    people(outbox, "oFOLLOWER0001")
    publish(outbox)
    stub.script.extend(["busy", "http500"])
    d = dispatcher(outbox, gateway(stub))
    assert d.run_once()[FAILED] == 1
    msg = statuses(outbox)["oFOLLOWER0001"]
    assert msg.status == FAILED and msg.attempts == 1 and "-1" in msg.last_error and "繁忙" in msg.last_error
    assert msg.next_attempt_at == outbox.clock() + timedelta(seconds=30)
    assert d.run_once()[FAILED] == 0  # not due yet
    outbox.clock.advance(31)
    assert d.run_once()[FAILED] == 1  # HTTP 500: retried again, later (60 s)
    msg = statuses(outbox)["oFOLLOWER0001"]
    assert msg.attempts == 2 and msg.next_attempt_at == outbox.clock() + timedelta(seconds=60)
    outbox.clock.advance(61)
    assert d.run_once()[SENT] == 1
    assert statuses(outbox)["oFOLLOWER0001"].attempts == 3 and len(stub.sent) == 1


def test_an_unreachable_wechat_is_retried_then_given_up(outbox: Outbox) -> None:
    people(outbox, "oFOLLOWER0001")
    publish(outbox)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    gw = WechatGateway(appid=APPID, secret=SECRET, template_ids={"cadre.notice": "TPL-NOTICE"}, base_url=closed,
                       timeout=2.0)
    d = dispatcher(outbox, gw, max_attempts=2)
    assert d.run_once()[FAILED] == 1
    assert "无法连接" in statuses(outbox)["oFOLLOWER0001"].last_error
    outbox.clock.advance(3600)
    assert d.run_once()[GAVE_UP] == 1


def test_wrong_credentials_and_unknown_template_or_openid(outbox: Outbox, stub: WechatStub) -> None:
    people(outbox, "oUNKNOWN00001")
    publish(outbox)
    bad = gateway(stub, secret="wrong")
    assert dispatcher(outbox, bad).run_once()[FAILED] == 1
    msg = statuses(outbox)["oUNKNOWN00001"]
    assert "40125" in msg.last_error and msg.next_attempt_at is not None  # the office fixes the secret: retried
    outbox.clock.advance(60)
    assert dispatcher(outbox, gateway(stub)).run_once()[FAILED] == 1
    msg = statuses(outbox)["oUNKNOWN00001"]
    assert "40003" in msg.last_error and msg.next_attempt_at is None  # an unknown openid is final


def test_an_unknown_template_id_is_final(outbox: Outbox, stub: WechatStub) -> None:
    people(outbox, "oFOLLOWER0001")
    publish(outbox)
    assert dispatcher(outbox, gateway(stub, template_ids={"cadre.notice": "TPL-OLD"})).run_once()[FAILED] == 1
    msg = statuses(outbox)["oFOLLOWER0001"]
    assert "40037" in msg.last_error and msg.next_attempt_at is None


def test_the_sms_dispatcher_leaves_wechat_messages_alone(outbox: Outbox, stub: WechatStub) -> None:
    class Refuses:
        def send(self, **_kw: Any) -> Any:
            raise AssertionError("an SMS gateway was given a WeChat message")

    people(outbox, "oFOLLOWER0001")
    publish(outbox)
    sms = Dispatcher(outbox.factory, Refuses(), DispatchSettings(), clock=outbox.clock)
    assert sum(sms.run_once().values()) == 0
    assert statuses(outbox)["oFOLLOWER0001"].status == QUEUED


def test_gateway_address() -> None:
    gw = WechatGateway.from_url("wechat://wxAPP:se%2Fcret@api.weixin.qq.com", {"cadre.notice": "T"})
    assert (gw.appid, gw.secret, gw.base_url) == ("wxAPP", "se/cret", "https://api.weixin.qq.com")
    local = WechatGateway.from_url("wechat+http://a:b@127.0.0.1:8999", {})
    assert local.base_url == "http://127.0.0.1:8999"
    with pytest.raises(ValueError, match="微信接口地址"):
        WechatGateway.from_url("https://api.weixin.qq.com", {})
