"""The 信访 window: the clerks' desk on the local synced database (立即同步 is the shell's)."""

from __future__ import annotations

from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QTabWidget, QWidget
from apps.common.shell import AppShell
from apps.petition.inbox import InboxPage
from apps.petition.reception import ReceptionPage
from apps.petition.register import RegisterPage
from apps.petition.supervision import SupervisionPage


class PetitionDesk(QTabWidget):
    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inbox = InboxPage(context.store.session)
        self.supervision = SupervisionPage(context.store.session)
        self.register = RegisterPage(context)
        self.reception = ReceptionPage(context)
        self.addTab(self.inbox, self.inbox.title())
        self.addTab(self.register, self.register.title())
        self.addTab(self.reception, self.reception.title())
        self.addTab(self.supervision, self.supervision.title())
        self.register.registered.connect(self.reload)
        self.reception.registered.connect(self.reload)
        context.sync.finished.connect(self.reload)  # after 立即同步 the lists show what came in

    def reload(self, *_: object) -> None:
        self.inbox.reload()
        self.supervision.reload()
        self.register.reload_reference()


def create_window(context: ClientContext) -> QWidget:
    shell = AppShell(context, title=("PetitionWindow", QT_TRANSLATE_NOOP("PetitionWindow", "信访")))
    shell.setObjectName("AppShell_petition")
    shell.help_topic = "petition"
    shell.set_page(PetitionDesk(context))
    return shell
