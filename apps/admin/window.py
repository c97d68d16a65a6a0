"""The 用户管理 window: the shell with the user list, for administrators."""

from __future__ import annotations

from apps.admin.service import UserAdmin
from apps.admin.users import UsersPage
from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QWidget
from apps.common.shell import AppShell


def create_window(context: ClientContext) -> QWidget:
    shell = AppShell(context, title=("AdminWindow", QT_TRANSLATE_NOOP("AdminWindow", "用户管理")))
    shell.setObjectName("AppShell_admin")
    transport = context.remote.transport
    shell.set_page(UsersPage(UserAdmin(transport)))  # type: ignore[arg-type]
    return shell
