"""The 老干部 window: the reminders first, and the register found by name, pinyin or initials with the
person opened from it."""

from __future__ import annotations

from apps.cadre.analysis_page import AnalysisPage
from apps.cadre.care_page import CarePage
from apps.cadre.interfaces_page import InterfacesPage
from apps.cadre.notices_page import NoticesPage
from apps.cadre.people_page import PeoplePage
from apps.cadre.person_page import PersonPage
from apps.cadre.reminders_page import RemindersPage
from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QStackedWidget, QTabWidget, QWidget
from apps.common.shell import AppShell
from core.auth.roles import P_CADRE_ADMIN, P_CADRE_RECORD, P_NOTIFY_SEND


class CadreDesk(QTabWidget):
    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reminders = RemindersPage(context.store.session)
        self.people = PeoplePage(context.store.session,
                                 may_batch=context.may(P_CADRE_RECORD) and context.may(P_NOTIFY_SEND),
                                 may_templates=context.may(P_CADRE_ADMIN))
        self.analysis = AnalysisPage(context.store.session)
        self.person_page = PersonPage(context.store.session, permissions=frozenset(context.user.permissions),
                                      store=context.store, fetch_attachment=context.sync_client.open_attachment)
        self.register = QStackedWidget()  # the register, and the person opened from it
        self.register.addWidget(self.people)
        self.register.addWidget(self.person_page)
        self.addTab(self.reminders, self.reminders.title())
        self.addTab(self.register, self.people.title())
        self.care = CarePage(context.store.session, frozenset(context.user.permissions), context.display_name,
                             store=context.store, fetch_attachment=context.sync_client.open_attachment)
        self.addTab(self.care, self.care.title())
        self.notices = NoticesPage(context.store.session, frozenset(context.user.permissions))
        self.addTab(self.notices, self.notices.title())
        self.addTab(self.analysis, self.analysis.title())
        self.interfaces = InterfacesPage(context.store, frozenset(context.user.permissions), context.user.username)
        self.addTab(self.interfaces, self.interfaces.title())
        self.interfaces.changed.connect(self._imported)
        self.currentChanged.connect(self._tab_shown)
        self.reminders.opened.connect(self.open_person)
        self.people.opened.connect(self.open_person)
        self.person_page.back.connect(lambda: self.register.setCurrentWidget(self.people))
        context.sync.finished.connect(self._synced)
        self.person_page.changed.connect(self._person_changed)

    def open_person(self, person_id: str) -> None:
        if self.person_page.show_person(person_id):
            self.setCurrentWidget(self.register)
            self.register.setCurrentWidget(self.person_page)

    def _person_changed(self, _person_id: str) -> None:
        self.reminders.reload()
        self.people.reload()

    def _imported(self) -> None:
        self.reminders.reload()
        self.people.reload()
        self.care.reload()

    def _tab_shown(self, *_: object) -> None:
        if self.currentWidget() is self.analysis and self.analysis.result is None:
            self.analysis.reload()

    def _synced(self, *_: object) -> None:
        self.reminders.reload()
        self.people.reload()
        self.care.reload()
        self.notices.reload()
        self.interfaces.reload()
        if self.analysis.result is not None:
            self.analysis.reload()
        if self.person_page.person_id:
            self.person_page.show_person(self.person_page.person_id)


def create_window(context: ClientContext) -> QWidget:
    shell = AppShell(context, title=("CadreWindow", QT_TRANSLATE_NOOP("CadreWindow", "老干部")))
    shell.setObjectName("AppShell_cadre")
    shell.help_topic = "cadre"
    shell.set_page(CadreDesk(context))
    return shell
