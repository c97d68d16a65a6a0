"""The retirees' notice pages on a real uvicorn: lists, one notice, the per-person page, and clear Chinese
404 / 410 pages for unknown, withdrawn or not-public notices and bad, expired or revoked links."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlalchemy.orm import Session

from core.cadre import notices
from core.cadre.models import CadPerson
from core.cadre.notice_models import CadNoticeLink
from core.models.base import utcnow
from tests.portal.conftest import Visitor

Sessions = Callable[[], AbstractContextManager[Session]]


def seed(server_session: Sessions) -> dict[str, str]:
    with server_session() as s:
        me, other = CadPerson(name="王老", scope="cadre"), CadPerson(name="赵老", scope="cadre")
        s.add_all([me, other])
        s.flush()
        public = notices.draft_notice(s, kind="通知", title="春节团拜会通知", body="定于1月20日上午举行。\n请准时参加。")
        mine = notices.draft_notice(s, kind="通知", title="请王老来领取慰问品", addressee_id=me.id)
        theirs = notices.draft_notice(s, kind="通知", title="给赵老的通知", addressee_id=other.id)
        gone = notices.draft_notice(s, kind="讣告", title="讣告", person_id=other.id, body="沉痛悼念")
        draft = notices.draft_notice(s, kind="通知", title="尚未发布的草稿")
        s.flush()
        for n in (public, mine, theirs, gone):
            notices.publish(s, n.id)
        notices.withdraw(s, gone.id)
        _link, token = notices.create_link(s, me.id)
        expired, old = notices.create_link(s, me.id)
        expired.expires_at = utcnow() - timedelta(seconds=1)
        revoked, cut = notices.create_link(s, me.id)
        notices.revoke_link(s, revoked.id)
        return {"public": public.id, "mine": mine.id, "theirs": theirs.id, "gone": gone.id, "draft": draft.id,
                "token": token, "expired": old, "revoked": cut}


def test_the_list_and_a_notice(visitor: Visitor, server_session: Sessions) -> None:
    ids = seed(server_session)
    page = visitor.get("/laoganbu/")
    assert page.status_code == 200 and "春节团拜会通知" in page.text
    for hidden in ("请王老来领取慰问品", "给赵老的通知", "尚未发布的草稿", "沉痛悼念"):
        assert hidden not in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "<script" not in page.text and 'name="viewport"' in page.text
    one = visitor.get(f"/laoganbu/n/{ids['public']}")
    assert one.status_code == 200 and "<p>定于1月20日上午举行。</p>" in one.text and "<p>请准时参加。</p>" in one.text
    assert visitor.get("/laoganbu").status_code == 308


def test_unknown_withdrawn_draft_and_addressed_notices(visitor: Visitor, server_session: Sessions) -> None:
    ids = seed(server_session)
    for key in ("draft", "mine", "theirs"):
        page = visitor.get(f"/laoganbu/n/{ids[key]}")
        assert page.status_code == 404 and "找不到这条通知" in page.text, key
    for path in ("/laoganbu/n/not-a-notice", "/laoganbu/n/" + "0" * 36, "/laoganbu/n/%00%ff"):
        page = visitor.get(path)
        assert page.status_code == 404 and "找不到这条通知" in page.text and "Traceback" not in page.text
    gone = visitor.get(f"/laoganbu/n/{ids['gone']}")
    assert gone.status_code == 410 and "这条通知已撤回" in gone.text and "沉痛悼念" not in gone.text


def test_the_persons_page(visitor: Visitor, server_session: Sessions) -> None:
    ids = seed(server_session)
    base = f"/laoganbu/p/{ids['token']}"
    page = visitor.get(base)
    assert page.status_code == 200 and "王老同志，您好" in page.text
    assert "春节团拜会通知" in page.text and "请王老来领取慰问品" in page.text and "给赵老的通知" not in page.text
    assert f'href="{base}/n/{ids["mine"]}"' in page.text and 'name="robots" content="noindex"' in page.text
    mine = visitor.get(f"{base}/n/{ids['mine']}")
    assert mine.status_code == 200 and "请王老来领取慰问品" in mine.text
    assert visitor.get(f"{base}/n/{ids['theirs']}").status_code == 404
    assert visitor.get(f"{base}/n/{ids['gone']}").status_code == 410


def test_bad_expired_and_revoked_links(visitor: Visitor, server_session: Sessions) -> None:
    ids = seed(server_session)
    for token in ("abc", ids["token"][:-2], "x" * 43, ids["token"] + "x"):
        page = visitor.get(f"/laoganbu/p/{token}")
        assert page.status_code == 404 and "链接无效" in page.text
    for key in ("expired", "revoked"):
        page = visitor.get(f"/laoganbu/p/{ids[key]}")
        assert page.status_code == 410 and "链接已失效" in page.text and "王老" not in page.text
        assert visitor.get(f"/laoganbu/p/{ids[key]}/n/{ids['public']}").status_code == 410
    with server_session() as s:  # the office revokes every link of the person
        s.execute(update(CadNoticeLink).values(revoked_at=utcnow()))
    assert visitor.get(f"/laoganbu/p/{ids['token']}").status_code == 410


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
@example("0/")  # reached the router as /laoganbu/n/0/ and was redirected to notice 0 instead of answered
def test_any_path_gives_a_chinese_page_and_never_a_server_error(visitor: Visitor, value: str) -> None:
    from urllib.parse import quote

    for path in (f"/laoganbu/n/{quote(value, safe='')}", f"/laoganbu/p/{quote(value, safe='')}"):
        page = visitor.get(path)
        assert page.status_code in (404, 410), (path, page.status_code)
        assert "<h1>" in page.text and "Traceback" not in page.text
