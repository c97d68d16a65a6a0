"""用户管理: an administrator finds, creates, re-roles, disables, unlocks and resets accounts on a real server;
the list shows what the server holds, and the new account can sign in with the password shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.admin.service import UserAdmin, temporary_password
from apps.admin.users import NewUserDialog, RolesDialog, UsersPage
from apps.common.context import sign_in
from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from apps.launcher.catalogue import APPS_BY_KEY
from apps.launcher.window import LauncherWindow
from core.remote import LoginFailed
from tests.gui.test_launcher import _context
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS


def _page(qtbot: QtBot, context_admin: UserAdmin, confirm: bool = True) -> UsersPage:
    page = UsersPage(context_admin, confirm=lambda _q: confirm)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(page.accounts) and not page.busy(), timeout=WAIT)
    return page


def _row(page: UsersPage, username: str) -> list[str]:
    for r in range(page.table.rowCount()):
        if page.table.item(r, 0).text() == username:
            return [page.table.item(r, c).text() for c in range(page.table.columnCount())]
    raise AssertionError(f"{username} not listed")


def _done(qtbot: QtBot, page: UsersPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        pass
    qtbot.waitUntil(lambda: not page.busy(), timeout=WAIT)


def test_administrator_manages_accounts(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                        tmp_path: Path) -> None:
    context = _context(demo_server, "admin", tmp_path / "admin", gui)
    launcher = LauncherWindow(context)
    qtbot.addWidget(launcher)
    tile = next(t for t in launcher.launcher.tiles if t.entry.key == "admin")
    assert tile.built and APPS_BY_KEY["admin"].window_factory() is not None

    page = _page(qtbot, UserAdmin(context.remote.transport))  # type: ignore[arg-type]
    assert {"staff", "deputy", "committee"} <= {a.username for a in page.accounts}
    assert _row(page, "committee")[2] == "专委会委员" and "committee:教科文卫" in _row(page, "committee")[4]
    page.search.setText("dep")
    assert [a.username for a in page.visible_accounts()] == ["deputy"] and page.table.rowCount() == 1
    page.search.clear()

    # a new account with a first password the clerk hands over
    page.new_button.click()
    dialog = page.dialog
    assert isinstance(dialog, NewUserDialog)
    dialog.username.setText("wangfang")
    dialog.display_name.setText("王芳")
    dialog._check()  # no role chosen: refused with a reason, nothing sent
    assert dialog.error.text() == "请至少选择一个角色。" and dialog.isVisible()
    dialog.roles.boxes["deputy"].setChecked(True)
    password = dialog.password.text()
    dialog._check()
    _done(qtbot, page)
    assert _row(page, "wangfang")[1:4] == ["王芳", "人大代表", "正常（首次登录须改密码）"]
    assert password in page.feedback.text()
    sign_in(demo_server.url, "wangfang", password, tmp_path / "wang").store.engine.dispose()

    # roles and scopes
    page.select("wangfang")
    page.edit_roles()
    roles = page.dialog
    assert isinstance(roles, RolesDialog)
    roles.roles.boxes["committee_member"].setChecked(True)
    roles.scopes.setText("committee:财政经济")
    roles.accept()
    _done(qtbot, page)
    assert set(_row(page, "wangfang")[2].split("、")) == {"专委会委员", "人大代表"}
    assert _row(page, "wangfang")[4] == "committee:财政经济"

    # disabled: cannot sign in; enabled again: can
    page.select("wangfang")
    page.toggle_active()
    _done(qtbot, page)
    assert _row(page, "wangfang")[3] == "已停用" and page.active_button.text() == "启用"
    with pytest.raises(LoginFailed):
        sign_in(demo_server.url, "wangfang", password, tmp_path / "wang2")
    page.select("wangfang")
    page.toggle_active()
    _done(qtbot, page)

    # a reset password replaces the old one
    page.select("wangfang")
    page.reset_password()
    _done(qtbot, page)
    new = page.feedback.text().split("新初始密码：", 1)[1].split("（", 1)[0]
    assert new != password
    with pytest.raises(LoginFailed):
        sign_in(demo_server.url, "wangfang", password, tmp_path / "wang3")
    sign_in(demo_server.url, "wangfang", new, tmp_path / "wang4").store.engine.dispose()
    launcher.close()
    context.close()


def test_a_refused_change_says_why_and_changes_nothing(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                                       tmp_path: Path) -> None:
    context = _context(demo_server, "admin", tmp_path, gui)
    admin = UserAdmin(context.remote.transport)  # type: ignore[arg-type]
    page = _page(qtbot, admin)
    before = [(a.username, a.roles, a.active) for a in admin.accounts()]
    page._change(lambda: admin.create("staff", "重名", temporary_password(), ["deputy"], []), "不应出现")
    qtbot.waitUntil(lambda: page.feedback.text().startswith("未完成："), timeout=WAIT)
    assert "不应出现" not in page.feedback.text()
    assert [(a.username, a.roles, a.active) for a in admin.accounts()] == before
    context.close()


def test_other_roles_see_no_user_management(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer,
                                            tmp_path: Path) -> None:
    context = _context(demo_server, "staff", tmp_path, gui)
    launcher = LauncherWindow(context)
    qtbot.addWidget(launcher)
    assert "admin" not in [t.entry.key for t in launcher.launcher.tiles]
    launcher.close()
    context.close()


def test_first_passwords_are_strong_and_unambiguous() -> None:
    seen = {temporary_password() for _ in range(200)}
    assert len(seen) == 200
    for p in seen:
        assert len(p) == 12 and not set(p) & set("0O1lI") and any(c in "@#%+=" for c in p)
