"""The 信访 window: the clerks' desk on the local synced database (立即同步 is the shell's)."""

from __future__ import annotations

from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QWidget
from apps.common.shell import AppShell
from apps.petition.inbox import InboxPage


def create_window(context: ClientContext) -> QWidget:
    shell = AppShell(context, title=("PetitionWindow", QT_TRANSLATE_NOOP("PetitionWindow", "信访")))
    shell.setObjectName("AppShell_petition")
    shell.help_topic = "petition"
    shell.set_page(InboxPage(context.store.session))
    return shell
