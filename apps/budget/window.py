"""The budget review app's main window: a page list on the left, the page on the right, by role.

Which pages a user gets follows their permissions (the server decides what data their laptop holds;
the window only decides what to offer). Pages are built when first shown. A page may emit
``open_item(kind, code)``; the window shows that item in the query page (an indicator also in its timeline).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from apps.budget.common.context import BudgetContext, from_client
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from core.auth.roles import (
    P_BUDGET_COMMENT,
    P_BUDGET_DATA,
    P_BUDGET_OPINION,
    P_BUDGET_PLAN,
    P_BUDGET_RULES,
    P_BUDGET_WARNING,
)
from core.budget.models import ClassCode, Payment

log = logging.getLogger(__name__)

Rule = Callable[[BudgetContext], bool]


def _always(ctx: BudgetContext) -> bool:
    return True


def _internal(ctx: BudgetContext) -> bool:
    """Staff and special committees: they hold execution detail."""
    return ctx.can(P_BUDGET_WARNING) or ctx.can(P_BUDGET_DATA)


def _reviewer(ctx: BudgetContext) -> bool:
    return ctx.can(P_BUDGET_PLAN) or ctx.can(P_BUDGET_OPINION)


@dataclass(frozen=True)
class PageSpec:
    key: str
    module: str
    cls: str
    label: str  # QT_TRANSLATE_NOOP("BudgetWindow", …)
    allowed: Rule = _always


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "apps.budget.platform.home", "HomePage", QT_TRANSLATE_NOOP("BudgetWindow", "工作台")),
    PageSpec("query", "apps.budget.query.page", "QueryPage", QT_TRANSLATE_NOOP("BudgetWindow", "预算查询")),
    PageSpec("warnings", "apps.budget.warnings.page", "WarningInboxPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "预警信息"), _internal),
    PageSpec("rules", "apps.budget.warnings.page", "WarningRulesPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "预警规则"), lambda ctx: ctx.can(P_BUDGET_RULES)),
    PageSpec("analysis", "apps.budget.analysis.page", "AnalysisPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "分析")),
    PageSpec("timeline", "apps.budget.analysis.timeline_page", "IndicatorTimelinePage",
             QT_TRANSLATE_NOOP("BudgetWindow", "指标管理"), _internal),
    PageSpec("report", "apps.budget.analysis.report_page", "ExecutionReportPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "执行报告"), _internal),
    PageSpec("plan", "apps.budget.platform.review_plan", "ReviewPlanPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "审查计划"), lambda ctx: ctx.can(P_BUDGET_PLAN)),
    PageSpec("tasks", "apps.budget.platform.review_tasks", "ReviewTasksPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "审查任务"), _reviewer),
    PageSpec("comments", "apps.budget.platform.comments", "CommentsPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "代表建言"), lambda ctx: ctx.can(P_BUDGET_COMMENT)),
    PageSpec("registries", "apps.budget.platform.registries", "RegistriesPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "专家库与代表库"), lambda ctx: not ctx.can(P_BUDGET_OPINION)
             or ctx.can(P_BUDGET_PLAN)),
    PageSpec("imports", "apps.budget.imports.page", "DataLinksPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "数据接入"), lambda ctx: ctx.can(P_BUDGET_DATA)),
    PageSpec("documents", "apps.budget.platform.documents", "DocumentsPage",
             QT_TRANSLATE_NOOP("BudgetWindow", "文档与档案")),
)


def page_class(spec: PageSpec) -> type[QWidget] | None:
    """The page's class, or None when that page is not installed."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name and spec.module.startswith(exc.name):
            log.info("budget page %s is not installed", spec.module)
            return None
        raise
    found = getattr(module, spec.cls, None)
    return found if isinstance(found, type) else None


def pages_for(ctx: BudgetContext) -> list[PageSpec]:
    return [p for p in PAGES if p.allowed(ctx) and page_class(p) is not None]


class BudgetWorkspace(QWidget):
    """Navigation and pages of the budget app over one :class:`BudgetContext`."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BudgetWorkspace")
        self.ctx = ctx
        self.specs = pages_for(ctx)
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("budget_nav")
        self.nav.setFixedWidth(220)
        self.nav.setStyleSheet("QListWidget#budget_nav { font-size: 13pt; }"
                               "QListWidget#budget_nav::item { padding: 10px 12px; }")
        for spec in self.specs:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.note = QLabel()
        self.note.setObjectName("budget_data_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel#budget_data_note { color: #7a5a00; background: #fff6d6;"
                                " border: 1px solid #e8d48a; padding: 4px 10px; }")

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.note)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.nav.currentRowChanged.connect(self._show_row)
        self.retranslate()
        if self.specs:
            self.nav.setCurrentRow(0)

    # pages -------------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def page(self, key: str) -> QWidget:
        """The page ``key``, built on first use."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            cls: Any = page_class(spec)
            assert cls is not None
            page: Any = cls(self.ctx)
            signal = getattr(page, "open_item", None)
            if signal is not None:
                signal.connect(self.open_item)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self.page_keys().index(key))
        return self.page(key)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.stack.setCurrentWidget(self.page(self.specs[row].key))

    def open_item(self, kind: str, code: str) -> None:
        """Show an item a page pointed at: an indicator in its timeline, anything else in the query page."""
        if kind == "indicator" and "timeline" in self.page_keys():
            page: Any = self.show_page("timeline")
            page.show_indicator(code)
        elif "query" in self.page_keys():
            page = self.show_page("query")
            page.show_item(kind, code)

    def refresh(self) -> None:
        """After a sync: every built page that can refresh does."""
        self._update_note()
        for page in self.pages.values():
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()

    # texts -------------------------------------------------------------------------------------
    def _update_note(self) -> None:
        with self.ctx.engine.connect() as conn:  # EXISTS stops at the first row: cheap on the GUI thread
            generated = conn.scalar(select(Payment.id).where(Payment.generated.is_(True)).limit(1))
            partial = conn.scalar(select(ClassCode.id).where(ClassCode.is_partial.is_(True)).limit(1))
        parts = []
        if generated:
            parts.append(self.tr("本机的支付、指标和项目数据含演示生成数据（非真实数据）"))
        if partial:
            parts.append(self.tr("科目代码表来自部分公开资料，未收录的科目显示为“代码表缺名称”"))
        self.note.setText("；".join(parts))
        self.note.setVisible(bool(parts))

    def retranslate(self) -> None:
        for row, spec in enumerate(self.specs):
            self.nav.item(row).setText(QCoreApplication.translate("BudgetWindow", spec.label))
        self._update_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def create_window(context: Any) -> QWidget:
    """The budget app for a signed-in client (``apps.common.context.ClientContext``), in the suite's shell."""
    from apps.common.shell import AppShell

    shell = AppShell(context, title=("BudgetWindow", QT_TRANSLATE_NOOP("BudgetWindow", "预算联网监督")))
    shell.setObjectName("AppShell_budget")
    shell.help_topic = "budget"
    workspace = BudgetWorkspace(from_client(context))
    shell.set_page(workspace)
    context.sync.finished.connect(lambda *_: workspace.refresh())
    shell.resize(1500, 920)
    return shell
