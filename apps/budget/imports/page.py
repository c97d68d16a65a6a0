"""数据接入: the staff page for getting data in — a file, the bureau links, district packages, the history.

Shown to users with ``budget.data`` (the window decides); every action is also disabled without it. The
server checks the permission again for each pushed table.
"""

from __future__ import annotations

from apps.budget.common.context import BudgetContext
from apps.budget.imports.exchange_panel import ExchangePanel
from apps.budget.imports.file_import import FileImportPanel
from apps.budget.imports.history import ImportHistoryPanel
from apps.budget.imports.links_panel import BureauLinksPanel
from apps.common.qt import QEvent, QLabel, QTabWidget, QVBoxLayout, QWidget, Signal
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_DATA
from core.budget.links import LinkStore, default_store
from core.budget.links.adapters import Limits
from core.budget.package_signing import TrustedProducers


class DataLinksPage(QWidget):
    """Four tabs: 导入文件, 委办局接口, 区人大数据包, 导入记录."""

    open_item = Signal(str, str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None, *, links: LinkStore | None = None,
                 limits: Limits | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heading = set_role(QLabel(), "title")
        self.files = FileImportPanel(ctx)
        store = links or default_store()
        self.links = BureauLinksPanel(ctx, store, limits=limits)
        self.exchange = ExchangePanel(ctx, TrustedProducers(store.folder / "trusted-producers.json"))
        self.history = ImportHistoryPanel(ctx)
        self.tabs = QTabWidget()
        for panel in (self.files, self.links, self.exchange, self.history):
            self.tabs.addTab(panel, "")
        self.files.imported.connect(lambda _r: self.history.refresh())
        self.links.pulled.connect(lambda _r: self.history.refresh())
        self.exchange.finished.connect(lambda _r: self.history.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if not ctx.can(P_BUDGET_DATA):
            layout.addWidget(set_role(QLabel(self.tr("您可以查看导入记录；导入数据由预算工作委员会工作人员办理。")),
                                      "notice"))
        layout.addWidget(self.tabs, 1)
        self._retranslate()
        self.history.refresh()

    def title(self) -> str:
        return self.tr("数据接入")

    def _retranslate(self) -> None:
        self.heading.setText(self.title())
        titles = (self.files.title(), self.links.title(), self.exchange.title(), self.history.title())
        for index, text in enumerate(titles):
            self.tabs.setTabText(index, text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
