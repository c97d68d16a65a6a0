"""Notices for retirees: drafting, publishing and withdrawing with Chinese refusals, per-person links (hashed,
expiring, revocable), and what the portal's views show."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from core.cadre import notices
from core.cadre.models import CadActivity, CadPerson
from core.cadre.notice_models import CadNoticeLink
from core.db import make_engine, make_session_factory
from core.sync import permissions
from core.sync.stamping import ensure_counter, install_server_hooks
from tests.helpers.sqlite import copy_of

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def factory(migrated_sqlite: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'db.sqlite3')}")
    made = make_session_factory(engine)
    install_server_hooks(made)
    with made() as s, s.begin():
        ensure_counter(s)
    yield made
    engine.dispose()


def person(s: Session, name: str = "李四") -> str:
    p = CadPerson(name=name, scope="cadre")
    s.add(p)
    s.flush()
    return p.id


def test_a_notice_is_public_only_once_published_and_until_withdrawn(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        n = notices.draft_notice(s, kind="文件", title="关于做好冬季保暖工作的通知", body="第一段\n第二段",
                                 document_ref="沪人大办〔2026〕12号")
        s.flush()
        nid = n.id
    with factory() as s:
        assert notices.public_notices(s) == [] and notices.public_notice(s, nid) is None
    with factory() as s, s.begin():
        notices.publish(s, nid, now=NOW)
    with factory() as s:
        [shown] = notices.public_notices(s)
        assert (shown.title, shown.document_ref, shown.published_at) == ("关于做好冬季保暖工作的通知",
                                                                         "沪人大办〔2026〕12号", NOW.replace(tzinfo=UTC))
    with factory() as s, s.begin():
        notices.withdraw(s, nid, now=NOW + timedelta(hours=1))
    with factory() as s:
        assert notices.public_notices(s) == []
        gone = notices.public_notice(s, nid)
        assert gone is not None and gone.withdrawn and gone.title == "" and gone.body == ""
    with factory() as s, s.begin():
        with pytest.raises(notices.NoticeError, match="已经撤回"):
            notices.withdraw(s, nid)
        with pytest.raises(notices.NoticeError, match="已经撤回，不能再发布"):
            notices.publish(s, nid)


def test_refusals_are_in_chinese(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        for kw, message in [({"kind": "公告", "title": "x"}, "通知类别只能是"),
                            ({"kind": "通知", "title": "  "}, "请填写通知标题"),
                            ({"kind": "通知", "title": "长" * 81}, "最多 80 个字"),
                            ({"kind": "通知", "title": "x", "body": "字" * 5001}, "最多 5000 个字"),
                            ({"kind": "活动", "title": "x"}, "请选择所说的活动"),
                            ({"kind": "活动", "title": "x", "activity_id": "nope"}, "活动不存在"),
                            ({"kind": "讣告", "title": "x"}, "讣告请选择逝者"),
                            ({"kind": "通知", "title": "x", "addressee_id": "nope"}, "收件人不存在")]:
            with pytest.raises(notices.NoticeError, match=message):
                notices.draft_notice(s, **kw)  # type: ignore[arg-type]
        draft = notices.draft_notice(s, kind="通知", title="草稿")
        s.flush()
        with pytest.raises(notices.NoticeError, match="还没有发布"):
            notices.withdraw(s, draft.id)
        with pytest.raises(notices.NoticeError, match="没有这条通知"):
            notices.publish(s, "missing")


def test_an_activity_notice_shows_the_date_and_place(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        act = CadActivity(title="重阳登高", held_on=date(2026, 10, 29), place="佘山", scope="cadre")
        s.add(act)
        s.flush()
        n = notices.draft_notice(s, kind="活动", title="重阳登高活动报名", activity_id=act.id)
        s.flush()
        notices.publish(s, n.id, now=NOW)
    with factory() as s:
        [shown] = notices.public_notices(s)
        assert (shown.held_on, shown.place) == (date(2026, 10, 29), "佘山")


def test_links_are_stored_hashed_expire_and_can_be_revoked(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        pid = person(s)
        link, token = notices.create_link(s, pid, days=30, now=NOW)
        _other, token2 = notices.create_link(s, pid, now=NOW)
        s.flush()
        lid = link.id
    assert len(token) == 43 and token != token2
    with factory() as s:
        stored = s.scalars(select(CadNoticeLink.token_hash)).all()
        assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored
        holder = notices.resolve_link(s, token, now=NOW + timedelta(days=29))
        assert holder == notices.LinkHolder(person_id=pid, name="李四")
        with pytest.raises(notices.LinkGone):
            notices.resolve_link(s, token, now=NOW + timedelta(days=30))
        assert notices.resolve_link(s, token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW) is None
    with factory() as s, s.begin():
        notices.revoke_link(s, lid)
    with factory() as s:
        with pytest.raises(notices.LinkGone):
            notices.resolve_link(s, token, now=NOW)
        assert notices.resolve_link(s, token2, now=NOW) is not None
    with factory() as s, s.begin():
        with pytest.raises(notices.NoticeError, match="有效期"):
            notices.create_link(s, pid, days=0)
        with pytest.raises(notices.NoticeError, match="没有这位人员"):
            notices.create_link(s, "nobody")


def test_addressed_notices_are_seen_by_their_person_only(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        mine, theirs = person(s, "甲"), person(s, "乙")
        n = notices.draft_notice(s, kind="通知", title="请来领取慰问品", addressee_id=mine)
        s.flush()
        notices.publish(s, n.id, now=NOW)
        nid = n.id
    with factory() as s:
        assert notices.public_notices(s) == [] and notices.public_notice(s, nid) is None
        assert [x.id for x in notices.public_notices(s, addressee_id=mine)] == [nid]
        assert notices.public_notices(s, addressee_id=theirs) == []
        assert notices.public_notice(s, nid, addressee_id=theirs) is None
        assert notices.public_notice(s, nid, addressee_id=mine) is not None


def _empty_views() -> Engine:
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE cad_public_link (token_hash, expires_at, revoked_at, person_id, person_name)"))
        conn.execute(text("CREATE TABLE cad_public_notice (id, kind, title, body, published_at, document_ref, "
                          "held_on, place, withdrawn, addressee_id)"))
    return engine


VIEWS = _empty_views()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_token_or_notice_id_in_a_url_is_answered_without_error(value: str) -> None:
    with Session(VIEWS) as s:
        assert notices.resolve_link(s, value) is None
        assert notices.public_notice(s, value) is None


@pytest.mark.parametrize("table", ["cad_notice", "cad_notice_link", "cad_wechat_binding"])
def test_only_the_cadre_clerk_writes_notices_links_and_bindings(table: str) -> None:
    from core.auth.roles import ROLE_NAMES

    for role in ROLE_NAMES:
        for op in ("insert", "update", "delete"):
            allowed = permissions.cell(table, role, op)
            assert allowed is (role == "cadre_clerk"), (table, role, op, allowed)


def test_the_desk_lists_every_state_with_its_wechat_messages(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        bound, other = person(s, "王老"), person(s, "赵老")
        notices.bind_wechat(s, bound, "oFOLLOWER0001")
        notices.bind_wechat(s, other, "oFOLLOWER0002")
        assert notices.wechat_recipients(s) == 2 and notices.wechat_recipients(s, bound) == 1
        draft = notices.draft_notice(s, kind="通知", title="草稿一条")
        sent = notices.draft_notice(s, kind="通知", title="已发的", addressee_id=bound)
        gone = notices.draft_notice(s, kind="通知", title="撤回的")
        s.flush()
        notices.publish(s, sent.id, now=NOW)
        notices.publish(s, gone.id, now=NOW - timedelta(days=1))
        notices.withdraw(s, gone.id, now=NOW)
        ids = (draft.id, sent.id, gone.id)
    with factory() as s:
        rows = notices.staff_notices(s)
    assert [r.id for r in rows] == list(ids)
    assert [r.state_label for r in rows] == ["草稿", "已发布", "已撤回"]
    assert (rows[1].addressee_name, rows[1].recipients, rows[1].sent) == ("王老", 1, 0)
    assert (rows[2].addressee_name, rows[2].recipients) == ("", 2)
    assert rows[0].recipients == 0 and rows[1].published_at == NOW


def test_only_a_draft_is_edited_and_a_refusal_names_the_field(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        n = notices.draft_notice(s, kind="通知", title="旧标题", body="旧正文")
        s.flush()
        nid = n.id
    with factory() as s, s.begin():
        with pytest.raises(notices.NoticeError, match="请填写通知标题") as refused:
            notices.edit_draft(s, nid, kind="通知", title=" ", body="新正文")
        assert refused.value.field == "title"
        with pytest.raises(notices.NoticeError, match="讣告请选择逝者") as refused:
            notices.edit_draft(s, nid, kind="讣告", title="讣告")
        assert refused.value.field == "person_id"
    with factory() as s, s.begin():
        assert (s.get(notices.CadNotice, nid).title, s.get(notices.CadNotice, nid).body) == ("旧标题", "旧正文")
        notices.edit_draft(s, nid, kind="文件", title=" 新标题 ", body="新正文", document_ref="沪人大办〔2026〕1号")
    with factory() as s, s.begin():
        row = s.get(notices.CadNotice, nid)
        assert (row.kind, row.title, row.document_ref) == ("文件", "新标题", "沪人大办〔2026〕1号")
        notices.publish(s, nid, now=NOW)
    with factory() as s, s.begin(), pytest.raises(notices.NoticeError, match="已经发布，不能修改"):
        notices.edit_draft(s, nid, kind="通知", title="再改")


def test_bindings_and_links_as_the_desk_lists_them(factory: sessionmaker[Session]) -> None:
    with factory() as s, s.begin():
        someone = person(s)
        first = notices.bind_wechat(s, someone, "oDESK000001")
        with pytest.raises(notices.NoticeError, match="已经绑定"):
            notices.bind_wechat(s, someone, " oDESK000001 ")
        with pytest.raises(notices.NoticeError, match="格式不对"):
            notices.bind_wechat(s, someone, "no good")
        s.flush()
        notices.unbind_wechat(s, first.id)
        with pytest.raises(notices.NoticeError, match="已经解除"):
            notices.unbind_wechat(s, first.id)
        with pytest.raises(notices.NoticeError, match="没有这个微信绑定"):
            notices.unbind_wechat(s, "nope")
        notices.bind_wechat(s, someone, "oDESK000001")
        s.flush()
        assert [(b.openid, b.active) for b in notices.person_bindings(s, someone)] == [
            ("oDESK000001", True), ("oDESK000001", False)]
        old, _ = notices.create_link(s, someone, days=1, now=NOW - timedelta(days=5))
        new, token = notices.create_link(s, someone, days=30, now=NOW)
        s.flush()
        notices.revoke_link(s, old.id)
        listed = notices.person_links(s, someone)
        assert [r.id for r in listed] == [new.id, old.id]
        assert [r.state(NOW) for r in listed] == ["有效", "已停用"]
    assert notices.link_address("https://portal.example.gov.cn/", token) == (
        f"https://portal.example.gov.cn/laoganbu/p/{token}")
