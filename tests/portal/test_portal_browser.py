"""The portal in headless Debian chromium (Selenium, system chromedriver): the whole flow at phone and
desktop width, with JavaScript on and off, and axe-core's accessibility rules on every page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from apps.portal.app import create_app
from apps.portal.browser import (
    AXE,
    DESKTOP,
    PHONE,
    BrowserUnavailable,
    chromium_paths,
    headless_chromium,
    press_and_wait,
)
from apps.portal.serve import serve_in_thread
from apps.portal.settings import PortalSettings
from core.db import make_engine, make_session_factory, transaction
from core.petition.intake import import_submissions
from core.petition.models import PetCase
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of
from tests.portal.conftest import GOOD_FORM, PNG

try:
    chromium_paths()
except BrowserUnavailable as exc:
    pytestmark = pytest.mark.skip(reason=str(exc))

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


@pytest.fixture(scope="module")
def site(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Callable[[], Any]]]:
    """One portal on 127.0.0.1 for the module, and the server's bridge on the same database."""
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{copy_of(migrated_sqlite, folder / 'portal.sqlite3')}"
    app = create_app(PortalSettings(db_url=url, secure_cookies=False, secret_key="browser", rate_limits=False))
    engine = make_engine(url)
    factory = make_session_factory(engine)
    install_server_hooks(factory)

    def bridge(answer: bool = False) -> None:
        with transaction(factory) as s:
            import_submissions(s)
            if answer:
                s.execute(update(PetCase).values(state="answered", answered_on=date(2026, 12, 3),
                                                 answer_summary="经核查，施工单位已调整作业时间，夜间不再施工。"))

    try:
        with serve_in_thread(app) as base:
            yield base, bridge
    finally:
        app.state.portal.engine.dispose()
        engine.dispose()


@pytest.fixture(scope="module")
def browsers() -> Iterator[Callable[[tuple[int, int], bool], Any]]:
    """Chromium instances by (size, JavaScript), started once each for the module."""
    made: dict[tuple[tuple[int, int], bool], Any] = {}

    def get(size: tuple[int, int], javascript: bool) -> Any:
        if (size, javascript) not in made:
            made[(size, javascript)] = headless_chromium(size, javascript=javascript)
        chrome = made[(size, javascript)]
        chrome.delete_all_cookies()
        return chrome

    yield get
    for chrome in made.values():
        chrome.quit()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_submit_receipt_track_and_rate(site: tuple[str, Callable[..., None]], browsers: Any, tmp_path: Path,
                                       size: tuple[int, int], javascript: bool) -> None:
    base, bridge = site
    chrome = browsers(size, javascript)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)

    chrome.get(base + "/")
    press_and_wait(chrome, "a[href='/submit']")
    assert chrome.current_url == base + "/submit"
    _fits_the_width(chrome)
    # First a mistake: the page comes back with the field's error and keeps what was typed.
    chrome.find_element(By.ID, "f-name").send_keys(GOOD_FORM["name"])
    chrome.find_element(By.ID, "f-phone").send_keys("1381234")
    chrome.find_element(By.ID, "f-subject").send_keys(GOOD_FORM["subject"])
    chrome.find_element(By.ID, "f-content").send_keys(GOOD_FORM["content"])
    Select(chrome.find_element(By.ID, "f-district")).select_by_visible_text("徐汇区")
    _press(chrome, "button[type=submit]")
    assert "手机号码应为 11 位数字" in chrome.find_element(By.ID, "e-phone").text
    assert chrome.find_element(By.ID, "f-subject").get_attribute("value") == GOOD_FORM["subject"]
    assert "请阅读并同意" in chrome.find_element(By.ID, "e-consent").text
    phone = chrome.find_element(By.ID, "f-phone")
    phone.clear()
    phone.send_keys(GOOD_FORM["phone"])
    chrome.find_element(By.ID, "f-files").send_keys(str(photo))
    chrome.find_element(By.ID, "f-consent").click()
    _press(chrome, "button[type=submit]")

    assert chrome.current_url == base + "/receipt", [e.text for e in chrome.find_elements(By.CSS_SELECTOR, ".error, .alert")]
    code = chrome.find_element(By.ID, "tracking-code").text
    assert len(code) == 21 and chrome.find_element(By.ID, "code-copy").get_attribute("value") == code
    assert "138****5678" in chrome.page_source and "短信" in chrome.page_source
    copy = chrome.find_element(By.CSS_SELECTOR, "button.copy")
    assert copy.is_displayed() is javascript  # the copy button is JavaScript's only addition
    _fits_the_width(chrome)

    bridge(answer=True)  # the server registers the case, a clerk answers it
    chrome.delete_all_cookies()
    chrome.get(base + "/track")
    chrome.find_element(By.ID, "f-code").send_keys(code.lower().replace("-", " "))
    chrome.find_element(By.ID, "f-last4").send_keys("0000")
    _press(chrome, "form[action='/track'] button")
    assert "查询码或手机号码后四位不正确" in chrome.page_source
    chrome.find_element(By.ID, "f-last4").send_keys("5678")
    _press(chrome, "form[action='/track'] button")
    assert chrome.current_url == base + "/progress"
    assert "已答复" in chrome.page_source and "夜间不再施工" in chrome.page_source
    _fits_the_width(chrome)

    chrome.find_element(By.CSS_SELECTOR, "label[for='r-2']").click()  # 基本满意
    chrome.find_element(By.ID, "f-comment").send_keys("处理及时，谢谢")
    _press(chrome, "form[action='/rate'] button")
    assert chrome.current_url == base + "/progress?rated=1"
    assert "感谢您的评价" in chrome.page_source
    assert not chrome.find_elements(By.CSS_SELECTOR, "form[action='/rate']")  # once only


def _press(chrome: Any, selector: str) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    press_and_wait(chrome, selector)


def _fits_the_width(chrome: Any) -> None:
    widths = chrome.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


AXE_PAGES = ["/", "/guide", "/submit", "/submit#errors", "/receipt", "/track", "/progress", "/stats", "/privacy",
             "/missing-page"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_core_finds_no_serious_or_critical_violation(site: tuple[str, Callable[..., None]], browsers: Any,
                                                         size: tuple[int, int]) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core 没有取到（{AXE} 不存在；运行 .ci/axe-core 从 npm 仓库获取）")
    base, bridge = site
    chrome = browsers(size, True)
    axe = AXE.read_text(encoding="utf-8")
    chrome.get(base + "/submit")  # a submission so that receipt and progress have something to show
    for field, value in (("f-name", "李四"), ("f-phone", "13900002222"), ("f-subject", GOOD_FORM["subject"]),
                         ("f-content", GOOD_FORM["content"])):
        chrome.find_element(By.ID, field).send_keys(value)
    Select(chrome.find_element(By.ID, "f-district")).select_by_visible_text("浦东新区")
    chrome.find_element(By.ID, "f-consent").click()
    _press(chrome, "button[type=submit]")
    bridge(answer=True)
    found: dict[str, list[str]] = {}
    checked: list[str] = []
    for page in AXE_PAGES:
        if page == "/submit#errors":
            chrome.get(base + "/submit")
            _press(chrome, "button[type=submit]")  # every error shown
        else:
            chrome.get(base + page)
        chrome.execute_script(axe)
        assert chrome.execute_script("return typeof axe.run") == "function"
        result = chrome.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
            " e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
        violations = json.loads(result)
        checked.append(page)
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[page] = [f"{v['id']}: {v['help']} ({len(v['nodes'])}: "
                           f"{[n['target'] for n in v['nodes'][:3]]})" for v in bad]
    assert found == {}
    assert checked == AXE_PAGES
