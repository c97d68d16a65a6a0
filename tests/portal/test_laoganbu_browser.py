"""The retirees' notice pages in headless Debian chromium at phone width (390 px) and without JavaScript: they
fit the width, the person's link works, withdrawn and bad links answer with a Chinese page, and axe-core finds
no serious or critical violation on any of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from apps.portal.app import create_app
from apps.portal.browser import (
    AXE,
    PHONE,
    BrowserUnavailable,
    chromium_paths,
    full_page_png,
    headless_chromium,
)
from apps.portal.serve import serve_in_thread
from apps.portal.settings import PortalSettings
from core.cadre import notices
from core.cadre.models import CadActivity, CadPerson
from core.db import make_engine, make_session_factory, transaction
from core.models.base import utcnow
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of

try:
    chromium_paths()
except BrowserUnavailable as exc:
    pytestmark = pytest.mark.skip(reason=str(exc))

from selenium.webdriver.common.by import By

LONG_TITLE = "关于组织离退休干部参加二〇二七年春节团拜会暨迎新春文艺演出有关事项的通知"


@pytest.fixture(scope="module")
def site(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("laoganbu")
    url = f"sqlite:///{copy_of(migrated_sqlite, folder / 'portal.sqlite3')}"
    engine = make_engine(url)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    from datetime import date

    with transaction(factory) as s:
        me = CadPerson(name="王老", scope="cadre")
        act = CadActivity(title="重阳登高", held_on=date(2026, 10, 29), place="松江区佘山国家森林公园东门集合",
                          scope="cadre")
        s.add_all([me, act])
        s.flush()
        public = notices.draft_notice(s, kind="活动", title=LONG_TITLE, activity_id=act.id,
                                      body="各位老同志：\n" + "团拜会定于二〇二七年一月二十日上午九时在市人大常委会机关礼堂举行，" * 6)
        doc = notices.draft_notice(s, kind="文件", title="关于做好冬季保暖工作的通知", document_ref="沪人大办〔2026〕12号",
                                   body="https://example.gov.cn/a/very/long/address/without/any/break/" * 3)
        mine = notices.draft_notice(s, kind="通知", title="请王老来领取慰问品", addressee_id=me.id)
        gone = notices.draft_notice(s, kind="通知", title="已撤回的通知")
        for n in (public, doc, mine, gone):
            notices.publish(s, n.id)
        notices.withdraw(s, gone.id)
        _l, token = notices.create_link(s, me.id)
        old, expired = notices.create_link(s, me.id)
        old.expires_at = utcnow() - timedelta(days=1)
        ids = {"public": public.id, "doc": doc.id, "mine": mine.id, "gone": gone.id, "token": token,
               "expired": expired}
    app = create_app(PortalSettings(db_url=url, secure_cookies=False, secret_key="browser", rate_limits=False))
    try:
        with serve_in_thread(app) as base:
            yield base, ids
    finally:
        app.state.portal.engine.dispose()
        engine.dispose()


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    chrome = headless_chromium(PHONE, javascript=False)
    yield chrome
    chrome.quit()


def pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    link = f"/laoganbu/p/{ids['token']}"
    return [("/laoganbu/", "通知公告"), (f"/laoganbu/n/{ids['public']}", LONG_TITLE),
            (f"/laoganbu/n/{ids['doc']}", "沪人大办〔2026〕12号"), (link, "王老同志，您好"),
            (f"{link}/n/{ids['mine']}", "请王老来领取慰问品"), (f"/laoganbu/n/{ids['gone']}", "这条通知已撤回"),
            ("/laoganbu/n/unknown", "找不到这条通知"), (f"/laoganbu/p/{ids['expired']}", "链接已失效"),
            ("/laoganbu/p/bad", "链接无效")]


def _fits_the_width(chrome: Any, page: str) -> None:
    widths = chrome.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page} scrolls sideways: {widths}"


def test_every_page_fits_a_phone_without_javascript(site: tuple[str, dict[str, str]], phone: Any,
                                                    tmp_path: Path) -> None:
    base, ids = site
    for n, (page, text) in enumerate(pages(ids)):
        phone.get(base + page)
        assert text in phone.find_element(By.TAG_NAME, "main").text, page
        _fits_the_width(phone, page)
        size = float(phone.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)"))
        assert size >= 20, f"{page}: body text {size}px"
        shot = full_page_png(phone, PHONE[0])
        assert shot.startswith(b"\x89PNG") and len(shot) > 5000
        (tmp_path / f"laoganbu-{n}.png").write_bytes(shot)
        phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": False})
    # from the person's page to a notice and back, by tapping
    phone.get(f"{base}/laoganbu/p/{ids['token']}")
    phone.find_element(By.PARTIAL_LINK_TEXT, "请王老来领取慰问品").click()
    assert phone.current_url == f"{base}/laoganbu/p/{ids['token']}/n/{ids['mine']}"
    phone.find_element(By.CSS_SELECTOR, "a.button").click()
    assert phone.current_url == f"{base}/laoganbu/p/{ids['token']}/"


def test_axe_core_finds_no_serious_or_critical_violation(site: tuple[str, dict[str, str]]) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core 没有取到（{AXE} 不存在；运行 .ci/axe-core 从 npm 仓库获取）")
    base, ids = site
    chrome = headless_chromium(PHONE, javascript=True)
    try:
        axe = AXE.read_text(encoding="utf-8")
        found: dict[str, list[str]] = {}
        for page, _text in pages(ids):
            chrome.get(base + page)
            chrome.execute_script(axe)
            result = chrome.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
                " e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
            bad = [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]
            if bad:
                found[page] = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in bad]
        assert found == {}
    finally:
        chrome.quit()
