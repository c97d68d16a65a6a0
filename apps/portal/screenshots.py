"""Screenshots of every portal page, rendered by headless chromium at phone and desktop width."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from apps.common.screenshots import ShotEnv, screenshot

PAGES = [("home", "/"), ("guide", "/guide"), ("submit", "/submit"), ("track", "/track"), ("stats", "/stats"),
         ("privacy", "/privacy"), ("not-found", "/missing")]
CATEGORIES = [("01", "", "城乡建设"), ("0101", "01", "住房保障"), ("0102", "01", "物业管理"), ("02", "", "劳动和社会保障"),
              ("0201", "02", "社会保险"), ("03", "", "政法"), ("04", "", "教育卫生"), ("05", "", "环境保护"),
              ("06", "", "人大工作和代表建议")]


def seed_public_cases(factory: Any, count: int = 240, today: date | None = None) -> None:
    """Invented cases over the last year (【演示数据】) so the statistics page has something to show."""
    from core.db import transaction
    from core.petition.districts import DISTRICTS
    from core.petition.models import CHANNELS, PetCase, PetCategory

    rng = random.Random(20261205)
    today = today or date.today()
    with transaction(factory) as s:
        for code, parent, name in CATEGORIES:
            s.add(PetCategory(code=code, parent_code=parent, name=name))
        for i in range(count):
            received = today - timedelta(days=rng.randrange(1, 365))
            answered = received + timedelta(days=rng.randrange(20, 80)) if rng.random() < 0.7 else None
            s.add(PetCase(code=f"XF{received:%Y%m%d}-D{i:04d}", channel=rng.choice(CHANNELS),
                          received_on=received, subject="【演示数据】", content="【演示数据】",
                          category_code=rng.choice(CATEGORIES)[0], district_code=rng.choice(DISTRICTS)[0],
                          state="answered" if answered and answered < today else "accepted",
                          answered_on=answered if answered and answered < today else None))


@screenshot("portal")
def portal_pages(env: ShotEnv) -> Iterator[tuple[str, bytes]]:
    """Needs selenium and chromium (a development install); the installed program skips these pages."""
    try:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
    except ImportError:
        return
    from sqlalchemy import update

    from apps.portal.app import create_app
    from apps.portal.browser import (
        DESKTOP,
        PHONE,
        BrowserUnavailable,
        full_page_png,
        headless_chromium,
        press_and_wait,
    )
    from apps.portal.serve import serve_in_thread
    from apps.portal.settings import PortalSettings
    from core.db import make_engine, make_session_factory, migrate, transaction
    from core.petition.intake import import_submissions
    from core.petition.models import PetCase
    from core.sync.stamping import install_server_hooks

    db = env.folder / "portal-shots.sqlite3"
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    seed_public_cases(factory)
    app = create_app(PortalSettings(db_url=f"sqlite:///{db}", secure_cookies=False, rate_limits=False))
    photo = env.folder / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)

    try:
        with serve_in_thread(app) as base:
            for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
                try:
                    chrome = headless_chromium(size)
                except BrowserUnavailable:
                    return
                try:
                    for stem, path in PAGES:
                        chrome.get(base + path)
                        yield f"portal-{stem}-{label}", full_page_png(chrome, size[0])
                    chrome.get(base + "/submit")
                    press_and_wait(chrome, "button[type=submit]")
                    yield f"portal-submit-errors-{label}", full_page_png(chrome, size[0])
                    for field, value in (("f-name", "张三"), ("f-phone", "13812345678"),
                                         ("f-subject", "小区旁工地夜间施工噪音扰民"),
                                         ("f-content", "本小区旁边的工地连续两个月在夜间十点以后施工，噪音很大，"
                                                       "影响居民休息，请有关部门依法处理。")):
                        chrome.find_element(By.ID, field).send_keys(value)
                    Select(chrome.find_element(By.ID, "f-district")).select_by_visible_text("徐汇区")
                    chrome.find_element(By.ID, "f-files").send_keys(str(photo))
                    chrome.find_element(By.ID, "f-consent").click()
                    press_and_wait(chrome, "button[type=submit]")
                    code = chrome.find_element(By.ID, "tracking-code").text
                    yield f"portal-receipt-{label}", full_page_png(chrome, size[0])
                    chrome.get(base + "/progress")
                    yield f"portal-progress-submitted-{label}", full_page_png(chrome, size[0])
                    with transaction(factory) as s:
                        import_submissions(s)
                        s.execute(update(PetCase).where(PetCase.tracking_code == code).values(
                            state="answered", received_on=date.today() - timedelta(days=24), accepted_on=date.today() - timedelta(days=20),
                            answered_on=date.today() - timedelta(days=1),
                            answer_summary="经区生态环境局现场核查，该工地夜间施工未取得许可，已责令停止夜间作业，"
                                           "并将加强巡查。"))
                    chrome.get(base + "/progress")
                    yield f"portal-progress-answered-{label}", full_page_png(chrome, size[0])
                    chrome.find_element(By.CSS_SELECTOR, "label[for='r-1']").click()
                    press_and_wait(chrome, "form[action='/rate'] button")
                    yield f"portal-progress-rated-{label}", full_page_png(chrome, size[0])
                    chrome.delete_all_cookies()
                    chrome.get(base + "/track")
                    chrome.find_element(By.ID, "f-code2").send_keys(code)
                    press_and_wait(chrome, "form[action='/track/sms'] button")
                    yield f"portal-track-sms-{label}", full_page_png(chrome, size[0])
                    chrome.get(base + "/track")
                    chrome.find_element(By.ID, "f-code").send_keys(code[:-1] + ("0" if code[-1] != "0" else "1"))
                    chrome.find_element(By.ID, "f-last4").send_keys("5678")
                    press_and_wait(chrome, "form[action='/track'] button")
                    yield f"portal-track-typo-{label}", full_page_png(chrome, size[0])
                finally:
                    chrome.quit()
    finally:
        app.state.portal.engine.dispose()
        engine.dispose()
