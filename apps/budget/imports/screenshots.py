"""Screenshots of the data-links page over the demo year: a refused file with its row report, the bureau
links with their last results, the district exchange after an export, and the import history."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from nacl.signing import SigningKey

from apps.budget.common.context import standalone
from apps.budget.common.demo import demo_engine
from apps.budget.imports.page import DataLinksPage
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.tasks import wait_for_tasks
from core.budget.importers import SPECS
from core.budget.links import LinkStore
from core.sync.keys import encode_public_key

BAD_ROWS = [
    ["2024", "DEMO-ZF-1", "", "2024-03-05", "上海某某科技有限公司", "6222000011112222", "1,234.567", "国库集中支付",
     "设备维护", "一般公共预算", "2010101", "30213", "D001", "", "", ""],
    ["2024", "DEMO-ZF-2", "", "2024-04-01", "", "", "800", "国库集中支付", "会务费", "一般公共预算", "2999999",
     "", "D001", "", "", ""],
    ["2024", "DEMO-ZF-3", "", "2025-01-02", "某某酒店", "", "2000", "支票", "接待", "一般公共预算", "2010101", "", "D999",
     "", "", ""],
]


GOOD_ROWS = [
    ["2024", f"DEMO-ZF-{n}", "", f"2024-03-{n:02d}", "上海某某信息技术有限公司", "", amount, "国库集中支付", "系统运维",
     "一般公共预算", "2010101", "", "D001", "", "", ""]
    for n, amount in ((11, "12,800.00"), (12, "3,450.50"), (13, "960"))
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SPECS["payments"].headers)
        writer.writerows(rows)
    return path


def _links(folder: Path) -> LinkStore:
    store = LinkStore(folder / "links")
    store.update("finance", url="https://czj.example.gov.cn/exchange/", enabled=True, cursor="20240331-0042",
                 last_pull="2024-04-01T01:00:00+00:00", last_ok=True,
                 last_message="市财政局：收到 3 个文件，导入 3 个；新增 18,204 行，更新 0 行，0 行与已有的相同。")
    store.update("tax", url="https://swj.example.gov.cn/exchange/", enabled=True, last_pull="2024-04-01T01:05:00+00:00",
                 last_ok=False, last_message="市税务局：市税务局的服务器出错（HTTP 500），没有下载文件清单。")
    store.update("audit", url="https://sjj.example.gov.cn/exchange/", enabled=False)
    return store


def data_links_pages(folder: Path) -> Iterator[Shot]:
    """The page's four tabs over a demo database in ``folder``."""
    engine, _manifest = demo_engine(folder / "budget-imports")
    page = DataLinksPage(standalone(engine), links=_links(folder))
    page.resize(1400, 900)
    page.files.set_kind("payments")
    page.files.set_file(_write(folder / "支付明细-2024年3月补报.csv", GOOD_ROWS))
    page.files.start()
    wait_for_tasks()
    yield "budget-imports-imported-file", page
    page.files.set_file(_write(folder / "支付明细-2024年3月.csv", BAD_ROWS))
    page.files.start()
    wait_for_tasks()
    yield "budget-imports-refused-file", page
    page.tabs.setCurrentWidget(page.links)
    page.links.select("tax")
    yield "budget-imports-bureau-links", page
    page.tabs.setCurrentWidget(page.exchange)
    # A fixed demo key pair (no OS keyring is needed to render), and one district already trusted.
    demo_key = SigningKey(bytes(range(32)))
    page.exchange._signing_key = lambda _ctx: demo_key
    page.exchange.trust_producer("浦东新区人大常委会（演示）", encode_public_key(SigningKey(bytes(range(1, 33)))))
    page.exchange.first.setValue(1)
    page.exchange.last.setValue(6)
    package = folder / "预算数据包-2024-上半年.zip"
    page.exchange.export_to(package)
    wait_for_tasks()
    yield "budget-imports-district-exchange", page
    page.tabs.setCurrentWidget(page.history)
    page.history.refresh()
    wait_for_tasks()
    yield "budget-imports-history", page


@screenshot("budget-imports")
def data_links(env: ShotEnv) -> Iterator[Shot]:
    yield from data_links_pages(env.folder)
