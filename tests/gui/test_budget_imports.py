"""The data-links page under pytest-qt: real files, a real database, a real HTTP bureau, real packages."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from apps.budget.common.context import standalone
from apps.budget.imports.page import DataLinksPage
from apps.common.qt import QGuiApplication, QTableWidget
from apps.common.settings import ClientSettings
from core.budget.links import Limits, LinkStore
from core.budget.models import ImportLog, Payment
from core.db import make_engine, make_session_factory, migrate
from core.sync.stamping import install_server_hooks
from tests.budget.helpers import seed_reference
from tests.budget.test_links import BAD_PAYMENTS, GOOD_PAYMENTS, PAY, Bureau, BureauServer, Offered, pay_row
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS


def _database(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    seed_reference(factory)
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = _database(tmp_path / "budget.sqlite3")
    yield eng
    eng.dispose()


@pytest.fixture
def page(qtbot: QtBot, gui: ClientSettings, engine: Engine, tmp_path: Path) -> DataLinksPage:
    widget = DataLinksPage(standalone(engine, year=2025), links=LinkStore(tmp_path / "links"),
                           limits=Limits(connect_timeout=30, read_timeout=30))
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    return widget


def cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    assert item is not None
    return item.text()


def count(engine: Engine, model: object) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def run_import(qtbot: QtBot, page: DataLinksPage, path: Path) -> None:
    page.files.set_kind("payments")
    page.files.set_file(path)
    with qtbot.waitSignal(page.files.imported, timeout=WAIT):
        qtbot.mouseClick(page.files.start_button, _left())
    qtbot.waitUntil(lambda: not page.files.strip.busy, timeout=WAIT)


def _left() -> object:
    from apps.common.qt import Qt

    return Qt.MouseButton.LeftButton


def test_good_file_is_imported_and_appears_in_the_history(qtbot: QtBot, page: DataLinksPage, engine: Engine,
                                                          tmp_path: Path) -> None:
    assert page.title() == "数据接入"
    qtbot.waitUntil(lambda: page.history.loaded_once, timeout=WAIT)
    assert not page.history.empty.isHidden() and "还没有导入记录" in page.history.empty.text()
    assert not page.files.start_button.isEnabled()
    good = tmp_path / "支付明细.csv"
    good.write_bytes(GOOD_PAYMENTS)
    run_import(qtbot, page, good)
    assert "导入完成：共 2 行，新增 2 行" in page.files.summary.text()
    assert not page.files.problems.isVisible()
    assert count(engine, Payment) == 2
    qtbot.waitUntil(lambda: page.history.table.rowCount() == 1, timeout=WAIT)
    page.tabs.setCurrentWidget(page.history)
    assert cell(page.history.table, 0, 2) == "支付明细.csv"
    assert cell(page.history.table, 0, 1) == "支付明细（市财政局）"
    page.grab().save(str(tmp_path / "imported.png"))


def test_bad_file_shows_the_rows_to_fix_and_writes_nothing(qtbot: QtBot, page: DataLinksPage, engine: Engine,
                                                           tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD_PAYMENTS)
    run_import(qtbot, page, bad)
    assert "有 2 处问题，整个文件没有导入" in page.files.summary.text()
    table = page.files.problems.table
    assert page.files.problems.isVisible() and table.rowCount() == 2
    assert (cell(table, 0, 0), cell(table, 0, 1)) == ("2", "支付金额（元）")
    assert cell(table, 1, 1) == "部门编码" and "D999" in cell(table, 1, 2)
    assert count(engine, Payment) == 0 and count(engine, ImportLog) == 0
    page.files.problems.copy()
    assert "部门编码“D999”在系统中不存在" in QGuiApplication.clipboard().text()
    saved = tmp_path / "problems.csv"
    page.files.problems.save(saved)
    with saved.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["行", "列", "问题", "怎么改"] and rows[2][:2] == ["3", "部门编码"]


def test_missing_file_is_a_clear_error(qtbot: QtBot, page: DataLinksPage, tmp_path: Path) -> None:
    page.files.set_file(tmp_path / "nowhere.csv")
    qtbot.mouseClick(page.files.start_button, _left())
    assert "找不到文件" in page.files.summary.text() and not page.files.strip.busy


def test_cancel_an_import_writes_nothing(qtbot: QtBot, page: DataLinksPage, engine: Engine, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PAY)
        writer.writerows(pay_row(f"ZF{n:06d}", "10") for n in range(20_000))
    page.files.set_kind("payments")
    page.files.set_file(big)
    page.files.start()
    task = page.files.strip.task
    assert task is not None
    with qtbot.waitSignal(task.progressed, timeout=WAIT):
        pass
    assert page.files.strip.isVisible() and page.files.strip.cancel_button.isEnabled()
    qtbot.mouseClick(page.files.strip.cancel_button, _left())
    qtbot.waitUntil(lambda: not page.files.strip.busy, timeout=WAIT)
    assert "导入已取消，没有写入任何数据" in page.files.summary.text()
    assert count(engine, Payment) == 0


def test_a_large_file_is_checked_by_a_second_process_from_the_page(
        qtbot: QtBot, page: DataLinksPage, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's import runs in a worker thread of the Qt application: the second process (spawn) starts from
    there, checks the file and ends; the page shows the result as for any file."""
    import multiprocessing

    import core.budget.importers.helper as helper

    monkeypatch.setattr(helper, "HELPER_BYTES", 0)  # this file counts as large
    monkeypatch.setattr(helper, "HELPER_ROWS", 1)
    used: list[bool] = []
    write = helper.write_checked

    def counted(*args: object) -> None:
        write(*args)  # type: ignore[arg-type]
        used.append(True)

    monkeypatch.setattr(helper, "write_checked", counted)
    big = tmp_path / "支付明细-全年.csv"
    with big.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PAY)
        writer.writerows(pay_row(f"ZF{n:06d}", "10") for n in range(2_000))
    run_import(qtbot, page, big)
    assert "导入完成：共 2000 行，新增 2000 行" in page.files.summary.text()
    assert used == [True] and count(engine, Payment) == 2_000
    assert not multiprocessing.active_children()


def test_templates_are_saved_to_a_folder(page: DataLinksPage, tmp_path: Path) -> None:
    written = page.files.save_templates(tmp_path / "templates")
    assert (tmp_path / "templates" / "payments.xlsx") in written
    assert "个模板文件保存到" in page.files.summary.text()


def test_pull_a_bureau_from_the_page(qtbot: QtBot, page: DataLinksPage, engine: Engine, tmp_path: Path) -> None:
    bureau = Bureau(files=[Offered("1", "payments", "p.csv", GOOD_PAYMENTS),
                           Offered("2", "payments", "q.csv", BAD_PAYMENTS)])
    server = BureauServer(bureau)
    try:
        links = page.links
        links.select("finance")
        assert not links.pull_button.isEnabled()
        links.url.setText("ftp://nowhere")
        links.save_settings()
        assert "https://" in links.message.text() and links.store.get("finance").url == ""
        links.url.setText(server.url)
        links.enabled.setChecked(True)
        links.save_settings()
        assert cell(links.table, 0, 1) == "已启用" and links.pull_button.isEnabled()
        with qtbot.waitSignal(links.pulled, timeout=WAIT) as refused:
            qtbot.mouseClick(links.pull_button, _left())
        assert not refused.args[0].ok
        assert "q.csv" in links.message.text() and links.problems.table.rowCount() == 2
        assert cell(links.table, 0, 3).startswith("失败") and count(engine, Payment) == 0
        bureau.files.pop()
        with qtbot.waitSignal(links.pulled, timeout=WAIT):
            qtbot.mouseClick(links.pull_button, _left())
        qtbot.waitUntil(lambda: not links.strip.busy, timeout=WAIT)
        assert "新增 2 行" in links.message.text() and cell(links.table, 0, 3) == "成功"
        assert count(engine, Payment) == 2 and links.store.get("finance").cursor == "1"
        page.tabs.setCurrentWidget(links)
        page.grab().save(str(tmp_path / "links.png"))
    finally:
        server.close()


def test_export_and_import_a_district_package(qtbot: QtBot, page: DataLinksPage, engine: Engine,
                                              tmp_path: Path) -> None:
    good = tmp_path / "p.csv"
    good.write_bytes(GOOD_PAYMENTS)
    run_import(qtbot, page, good)
    package = tmp_path / "2025.zip"
    page.exchange.year.setValue(2025)
    with qtbot.waitSignal(page.exchange.finished, timeout=WAIT):
        page.exchange.export_to(package)
    assert "已导出2025年全年数据包" in page.exchange.message.text() and package.exists()

    other = _database(tmp_path / "district.sqlite3")
    district = DataLinksPage(standalone(other, year=2025, user_id="district-clerk"), links=LinkStore(tmp_path / "links2"))
    qtbot.addWidget(district)
    district.exchange.import_from(package)  # signed, but by a producer the district has not registered
    qtbot.waitUntil(lambda: not district.exchange.strip.busy and "不在受信任名单中" in district.exchange.message.text(),
                    timeout=WAIT)
    assert count(other, Payment) == 0
    assert district.exchange.trust_producer("市人大常委会预算工委", page.exchange.own_public_key())
    assert district.exchange.trusted.count() == 1
    with qtbot.waitSignal(district.exchange.finished, timeout=WAIT):
        district.exchange.import_from(package)
    qtbot.waitUntil(lambda: not district.exchange.strip.busy, timeout=WAIT)
    assert "数据包已导入" in district.exchange.message.text()
    assert count(other, Payment) == 2
    broken = tmp_path / "broken.zip"
    broken.write_bytes(package.read_bytes()[:200])
    district.exchange.import_from(broken)
    qtbot.waitUntil(lambda: not district.exchange.strip.busy and "不是完整的数据包" in district.exchange.message.text(),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: district.history.table.rowCount() >= 1, timeout=WAIT)
    other.dispose()


def test_without_the_data_permission_nothing_can_be_started(qtbot: QtBot, gui: ClientSettings, engine: Engine,
                                                            tmp_path: Path) -> None:
    deputy = DataLinksPage(standalone(engine, roles=("deputy",), year=2025), links=LinkStore(tmp_path / "l"))
    qtbot.addWidget(deputy)
    deputy.files.set_file(tmp_path / "x.csv")
    assert not deputy.files.start_button.isEnabled()
    assert not deputy.links.pull_button.isEnabled() and not deputy.links.save_button.isEnabled()
    assert not deputy.exchange.import_button.isEnabled() and not deputy.exchange.export_button.isEnabled()
    assert "没有导入数据的权限" in deputy.files.summary.text()
