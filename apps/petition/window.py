"""The 信访 window: the clerks' desk on the local synced database (立即同步 is the shell's)."""

from __future__ import annotations

from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QStackedWidget, QTabWidget, QWidget
from apps.common.shell import AppShell
from apps.petition.case_page import CasePage
from apps.petition.inbox import InboxPage
from apps.petition.reception import ReceptionPage
from apps.petition.register import RegisterPage
from apps.petition.stats_page import StatsPage
from apps.petition.supervision import SupervisionPage
from core.petition.service import Actor
from core.petition.textindex import refresh_database


class PetitionDesk(QTabWidget):
    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = context.store.engine
        refresh_database(self._engine)  # the local text index (search, similar cases) up to date

        def actor() -> Actor:
            return Actor.of(context.user.username, frozenset(context.user.permissions))

        self.inbox = InboxPage(context.store.session)
        self.case_page = CasePage(context.store.session, actor, blobs=context.store.blobs)
        self.cases = QStackedWidget()  # the inbox, and the case opened from it
        self.cases.addWidget(self.inbox)
        self.cases.addWidget(self.case_page)
        self.supervision = SupervisionPage(context.store.session)
        # -- 登记 (registration) --------------------------------------------------------------------------
        self.register = RegisterPage(context)
        self.reception = ReceptionPage(context)
        self.stats = StatsPage(context.store.session)
        self.addTab(self.cases, self.inbox.title())
        self.addTab(self.register, self.register.title())
        self.addTab(self.reception, self.reception.title())
        self.addTab(self.supervision, self.supervision.title())
        self.addTab(self.stats, self.stats.title())
        self.register.registered.connect(self.reload)
        self.reception.registered.connect(self.reload)
        self.inbox.opened.connect(self.open_case)
        self.case_page.back.connect(lambda: self.cases.setCurrentWidget(self.inbox))
        self.case_page.changed.connect(self.reload)
        context.sync.finished.connect(self._synced)  # after 立即同步 the lists show what came in

    def open_case(self, case_id: str) -> None:
        self.case_page.show_case(case_id)
        self.setCurrentWidget(self.cases)
        self.cases.setCurrentWidget(self.case_page)

    def _synced(self, *_: object) -> None:
        refresh_database(self._engine)
        self.reload()
        self.case_page.refresh()

    def reload(self, *_: object) -> None:
        self.inbox.reload()
        self.supervision.reload()
        self.register.reload_reference()
        self.stats.reload()


def create_window(context: ClientContext) -> QWidget:
    shell = AppShell(context, title=("PetitionWindow", QT_TRANSLATE_NOOP("PetitionWindow", "信访")))
    shell.setObjectName("AppShell_petition")
    shell.help_topic = "petition"
    shell.set_page(PetitionDesk(context))
    return shell
