"""The warning pages under pytest-qt over a generated year: chips filter by level, the detail shows the reason,
trail and history, 发函 → 答复 → 关闭 from the buttons, a refused step shows why, the trail opens the record,
running the rules in the background; the rules page edits, validates and is read-only without the right."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.budget.warnings.page import WarningInboxPage, WarningRulesPage
from apps.budget.warnings.rules_page import ParamEditor
from apps.common.settings import ClientSettings
from core.budget.demo import Manifest
from core.budget.warnings import load_settings, run_rules
from core.budget.warnings.followup import act
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS


@pytest.fixture
def staff(tmp_path: Path) -> tuple[BudgetContext, Manifest]:
    engine, manifest = demo_engine(tmp_path / "budget", payments=5_000)
    return standalone(engine), manifest


def _inbox(qtbot: QtBot, ctx: BudgetContext) -> WarningInboxPage:
    page = WarningInboxPage(ctx)
    qtbot.addWidget(page)
    page.resize(1500, 950)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.show()
    return page


def test_an_empty_inbox_says_what_to_do(qtbot: QtBot, gui: ClientSettings, staff: tuple[BudgetContext, Manifest]) -> None:
    page = _inbox(qtbot, staff[0])
    assert page.list_stack.currentWidget() is page.empty
    assert "立即运行预警规则" in page.empty.text()
    assert page.run_button.isVisible() and page.title() == "预警信息"


def test_run_rules_filter_by_level_and_follow_up(qtbot: QtBot, gui: ClientSettings,
                                                 staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, _manifest = staff
    page = _inbox(qtbot, ctx)
    page.month.setValue(12)
    with qtbot.waitSignal(page.run_finished, timeout=WAIT) as done:
        page.run_button.click()
    assert done.args is not None and done.args[0].raised > 0
    qtbot.waitUntil(lambda: page.table.rowCount() == done.args[0].raised, timeout=WAIT)
    assert "预警规则已运行" in page.message.text()
    reds = int(page.chips["red"].text().split()[-1])
    assert reds > 0

    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.chips["red"].click()
    assert page.table.rowCount() == reds
    assert {(item.text() if (item := page.table.item(r, 0)) else "") for r in range(page.table.rowCount())} == \
        {"红色"}

    page.table.selectRow(0)
    w = page.current
    assert w is not None and page.detail_reason.text().startswith(w.reason)
    assert page.trail.rowCount() == len(w.trail) > 0
    visible = {a for a, b in page.action_buttons.items() if b.isVisible()}
    assert visible == {"发函", "关闭", "备注"}

    # a refused step (answering before any letter) shows why at once and changes nothing
    assert not page.take_action("答复", "答复")
    assert "不能答复" in page.message.text()
    page.ask_note = lambda action: "  "  # type: ignore[method-assign]
    assert not page.take_action("备注") and "需要填写说明" in page.message.text()

    page.ask_note = lambda action: f"{action}：说明"  # type: ignore[method-assign]
    for action, status in (("发函", "已发函"), ("答复", "已答复"), ("关闭", "已关闭")):
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            page.action_buttons[action].click()
        assert page.current is not None and page.current.status == status
    assert [page.history.item(i).text().split(" ")[2][:2] for i in range(page.history.count())] == \
        ["发函", "答复", "关闭"]
    assert {a for a, b in page.action_buttons.items() if b.isVisible()} == {"重新打开", "备注"}

    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.status_filter.setCurrentIndex(page.status_filter.findData("已关闭"))
    assert page.table.rowCount() == 1


def test_double_clicking_the_trail_opens_the_record(qtbot: QtBot, gui: ClientSettings,
                                                    staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, manifest = staff
    run_rules(ctx.engine, ctx.year, session_factory=ctx.session)
    page = _inbox(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.rule_filter.setCurrentIndex(page.rule_filter.findData("cash_withdrawal"))
    page.table.selectRow(0)
    with qtbot.waitSignal(page.open_item, timeout=WAIT) as opened:
        page.trail.cellDoubleClicked.emit(0, 1)
    assert opened.args is not None and opened.args[0] == "payment"
    assert opened.args[1] in manifest.of_rule("cash_withdrawal")[0]["payment_nos"]


def test_a_step_made_stale_by_another_user_is_refused_when_written(
        qtbot: QtBot, gui: ClientSettings, staff: tuple[BudgetContext, Manifest]) -> None:
    """The page shows 待处理, but a colleague has closed the warning meanwhile: the write re-checks and refuses."""
    ctx, _ = staff
    run_rules(ctx.engine, ctx.year, session_factory=ctx.session)
    page = _inbox(qtbot, ctx)
    page.table.selectRow(0)
    assert page.current is not None and page.current.status == "待处理"
    with ctx.session() as s, s.begin():
        act(s, page.current.warning_key, "关闭", "误报", actor="同事", permissions=ctx.permissions)
    with qtbot.waitSignal(page.acted, timeout=WAIT) as done:
        assert page.take_action("发函", "请说明")
    assert done.args == [False] and "不能发函" in page.message.text()


def test_a_committee_member_sees_no_run_button_and_a_deputy_cannot_act(
        qtbot: QtBot, gui: ClientSettings, staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, _ = staff
    run_rules(ctx.engine, ctx.year, session_factory=ctx.session)
    member = standalone(ctx.engine, roles=("committee_member",), domains=("教科文卫",))
    page = _inbox(qtbot, member)
    assert not page.run_button.isVisible()
    page.table.selectRow(0)
    assert page.action_buttons["发函"].isVisible()
    deputy = standalone(ctx.engine, roles=("deputy",))
    page2 = _inbox(qtbot, deputy)
    page2.table.selectRow(0)
    assert not any(b.isVisible() for b in page2.action_buttons.values())
    assert not page2.take_action("发函", "x") and "权限" in page2.message.text()


def test_cancelling_a_run_keeps_the_warnings(qtbot: QtBot, gui: ClientSettings,
                                             staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, _ = staff
    page = _inbox(qtbot, ctx)
    with qtbot.waitSignal(page.run_finished, timeout=WAIT) as done:
        page.start_run()
        page.cancel_run()
    assert done.args == [None]
    assert "已取消" in page.message.text()
    assert page.table.rowCount() == 0 and not page.progress.isVisible() and page.run_button.isEnabled()


def test_rules_page_edits_and_validates(qtbot: QtBot, gui: ClientSettings,
                                        staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, _ = staff
    page = WarningRulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    box = page.boxes["large_single_payment"]
    amount = box.editors["min_amount"]
    assert isinstance(amount, ParamEditor)
    amount.widget.setText("abc")  # type: ignore[attr-defined]
    assert not page.save()
    assert "大额异常支付" in page.message.text() and "应为数字" in page.message.text()
    with Session(ctx.engine) as s:
        assert load_settings(s)["large_single_payment"].params["min_amount"] == "50"

    amount.widget.setText("80")  # type: ignore[attr-defined]
    box.level.setCurrentIndex(box.level.findData("red"))
    words = page.boxes["suspicious_payee_or_purpose"].editors["purpose_keywords"]
    words.widget.setText("购物卡、礼品、高尔夫")  # type: ignore[attr-defined]
    page.boxes["idle_funds"].enabled.setChecked(False)
    with qtbot.waitSignal(page.saved, timeout=WAIT):
        assert page.save()
    with Session(ctx.engine) as s:
        settings = load_settings(s)
    assert settings["large_single_payment"].params["min_amount"] == "80"
    assert settings["large_single_payment"].level == "red"
    assert settings["suspicious_payee_or_purpose"].params["purpose_keywords"] == ["购物卡", "礼品", "高尔夫"]
    assert settings["idle_funds"].enabled is False

    words.widget.setText(" ")  # type: ignore[attr-defined]
    assert not page.save() and "至少要有一个词" in page.message.text()
    assert page.has_unsaved_edits()
    page.refresh()  # a sync arriving while editing keeps the edit
    assert words.widget.text() == " "  # type: ignore[attr-defined]
    page.reload()
    assert not page.has_unsaved_edits()
    assert words.widget.text() == "购物卡、礼品、高尔夫"  # type: ignore[attr-defined]


def test_rules_page_is_read_only_without_the_right(qtbot: QtBot, gui: ClientSettings,
                                                   staff: tuple[BudgetContext, Manifest]) -> None:
    ctx, _ = staff
    member = standalone(ctx.engine, roles=("committee_member",), domains=("教科文卫",))
    page = WarningRulesPage(member)
    qtbot.addWidget(page)
    page.show()
    assert not page.save_button.isVisible()
    assert not page.boxes["idle_funds"].enabled.isEnabled()
    days = page.boxes["idle_funds"].editors["days"].widget
    assert page.boxes["idle_funds"].read_only and days.isReadOnly()  # type: ignore[attr-defined]
    assert not page.save() and "没有修改预警规则的权限" in page.message.text()


@pytest.mark.parametrize(("label", "amount"), [
    ("ZF1 2024-07-15 上海某工程有限公司 80.123456 万元 支付工程款", "80.123456 万元"),
    ("ZF1 2024-07-15 上海某工程有限公司 801,234.56 元 支付工程款", "80.123456 万元"),  # written before 万元
    ("ZF1 2024-07-15 张三 5,000.00 元", "0.50 万元"),
])
def test_a_payment_reads_in_wan_yuan_in_the_grid_and_the_trail(label: str, amount: str) -> None:
    from types import SimpleNamespace

    from apps.budget.warnings.common import readable_subject, trail_lines

    trail = [{"table": "bgt_payment", "key": "ZF1", "label": label}]
    w = SimpleNamespace(subject="支付 ZF1", trail=trail)
    subject = readable_subject(w)
    assert subject.startswith("2024-07-15 付 ") and subject.endswith(amount) and "ZF1" not in subject

    class NoRows:  # the payment itself is not in this store (e.g. outside the user's scope): the label speaks
        def execute(self, _stmt: object) -> list[object]:
            return []

    line, = trail_lines(NoRows(), trail)  # type: ignore[arg-type]
    assert line.amount == amount.removesuffix(" 万元") and line.day == "2024-07-15"
