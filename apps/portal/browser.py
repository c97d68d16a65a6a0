"""Headless Debian chromium driven by Selenium, for the portal's browser tests and screenshots.

The system chromedriver is passed explicitly, so Selenium Manager never downloads anything.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = Path(__file__).resolve().parents[2] / "build" / "axe-core" / "axe.min.js"
PHONE = (390, 844)
DESKTOP = (1280, 900)


class BrowserUnavailable(RuntimeError):
    pass


def chromium_paths() -> tuple[str, str]:
    browser = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    driver = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    if not browser or not driver:
        raise BrowserUnavailable("没有找到 chromium 和 chromedriver（Debian 软件包 chromium chromium-driver）")
    return browser, driver


def headless_chromium(size: tuple[int, int] = PHONE, *, javascript: bool = True) -> Any:
    """A headless chromium of ``size`` (CSS pixels), with JavaScript on or off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=zh-CN",
                "--disable-extensions", "--no-first-run", "--disable-background-networking",
                f"--window-size={size[0]},{size[1]}"):
        options.add_argument(arg)
    prefs: dict[str, Any] = {"intl.accept_languages": "zh-CN"}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    import os

    env = dict(os.environ, LANGUAGE="zh_CN:zh")  # the browser's own words (file picker) in Chinese
    chrome = webdriver.Chrome(service=Service(executable_path=driver, env=env), options=options)
    chrome.set_page_load_timeout(120)  # a guard against a hung page, long enough for a loaded machine
    # The window includes no browser chrome in headless mode; make the viewport exactly the width asked.
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})
    return chrome


def full_page_png(chrome: Any, width: int) -> bytes:
    """A PNG of the whole page at ``width`` (the height follows the content)."""
    import base64

    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 600, "deviceScaleFactor": 1, "mobile": False})
    height = int(chrome.execute_cdp_cmd("Runtime.evaluate", {
        "expression": "Math.ceil(document.documentElement.scrollHeight)", "returnByValue": True})["result"]["value"])
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": max(height, 200), "deviceScaleFactor": 1, "mobile": False})
    shot = chrome.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    return base64.b64decode(shot["data"])


def press_and_wait(chrome: Any, selector: str, timeout: float = 120) -> None:
    """Click the element at ``selector`` and wait until the next page has replaced this one and loaded.

    The old page counts as gone on any refusal to read it: chromedriver reports a node of a replaced
    document either as stale or as "does not belong to the document", depending on timing.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = chrome.find_element(By.TAG_NAME, "html")
    chrome.find_element(By.CSS_SELECTOR, selector).click()

    def replaced(_: Any) -> bool:
        try:
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    def loaded(c: Any) -> bool:
        try:
            return bool(c.execute_script("return document.readyState") == "complete")
        except WebDriverException:
            return False

    WebDriverWait(chrome, timeout).until(replaced)
    WebDriverWait(chrome, timeout).until(loaded)
