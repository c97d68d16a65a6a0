"""The main-window shell every app uses: menus, a page slot, and the sync status bar.

An app gives the shell its page (``set_page``) and its title; the shell brings sync (立即同步 with
progress and cancel), the conflict inbox, the font-size and language menus, and sign-out.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from apps.common.application import set_font_size, set_language
from apps.common.context import ClientContext
from apps.common.i18n import join_list
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QActionGroup,
    QCloseEvent,
    QCoreApplication,
    QEvent,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolButton,
    QWidget,
    Signal,
)
from apps.common.settings import FONT_SIZES, LANGUAGES, font_size_label
from apps.common.sync_status import SyncOutcome, SyncProgressDialog, SyncStatus, outcome_message
from apps.common.theme import set_role, set_state

log = logging.getLogger(__name__)


if TYPE_CHECKING:
    from apps.common.help import HelpWindow

def format_time(value: datetime | None) -> str:
    """Local date and time, to the minute; today's shows only the time."""
    if value is None:
        return ""
    local = value.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def format_moment(value: datetime | None, now: datetime | None = None) -> str:
    """A moment with its day always said, in Chinese: 今天 09:30, 昨天 18:05, 12月3日 09:30, 2025年12月3日 09:30."""
    if value is None:
        return ""
    local = value.astimezone()
    today = (now or datetime.now()).astimezone().date()
    clock = local.strftime("%H:%M")
    days = (today - local.date()).days
    if days == 0:
        return QCoreApplication.translate("Time", "今天 {time}").format(time=clock)
    if days == 1:
        return QCoreApplication.translate("Time", "昨天 {time}").format(time=clock)
    if local.year == today.year:
        return QCoreApplication.translate("Time", "{month}月{day}日 {time}").format(
            month=local.month, day=local.day, time=clock)
    return QCoreApplication.translate("Time", "{year}年{month}月{day}日 {time}").format(
        year=local.year, month=local.month, day=local.day, time=clock)


class AppShell(QMainWindow):
    """A main window bound to one signed-in context.

    ``title`` is a (translation context, source text) pair marked with ``QT_TRANSLATE_NOOP``, so the
    title follows a language switch.
    """

    sign_out_requested = Signal()

    def __init__(self, context: ClientContext,
                 title: tuple[str, str] = ("AppShell", QT_TRANSLATE_NOOP("AppShell", "人大业务系统")),
                 parent: QWidget | None = None, allow_sign_out: bool = False) -> None:
        super().__init__(parent)
        self.context = context
        self.sync = context.sync
        self._title = title
        self._allow_sign_out = allow_sign_out
        self._own_sync = False
        self.progress_dialog: SyncProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self.conflict_window: QWidget | None = None
        self.help_window: HelpWindow | None = None
        self.help_topic = "desktop"
        """The guide F1 opens (a system's window sets its own, e.g. ``budget``)."""
        self.setObjectName("AppShell")
        self.resize(1100, 720)
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self.sync.status_changed.connect(self.show_status)
        self.sync.finished.connect(self._sync_finished)
        self.retranslate()
        self.show_status(self.sync.status)
        self.sync.refresh()

    # construction ----------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self.sync_now)
        self.conflicts_action = QAction(self)
        self.conflicts_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.conflicts_action.triggered.connect(self.open_conflicts)
        self.sign_out_action = QAction(self)
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        self.sign_out_action.setVisible(self._allow_sign_out)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence("Ctrl+W"))
        self.close_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_action = QAction(self)
        self.help_action.setShortcut(QKeySequence("F1"))
        self.help_action.triggered.connect(self.show_help)
        self.addAction(self.help_action)

        self.font_actions: dict[str, QAction] = {}
        font_group = QActionGroup(self)
        for key in FONT_SIZES:
            action = QAction(self, checkable=True)
            action.triggered.connect(lambda _checked=False, k=key: set_font_size(self.context.settings, k))
            font_group.addAction(action)
            self.font_actions[key] = action
        self.font_actions["large"].setShortcut(QKeySequence("Ctrl+="))
        self.font_actions["standard"].setShortcut(QKeySequence("Ctrl+0"))
        self.language_actions: dict[str, QAction] = {}
        language_group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.triggered.connect(lambda _checked=False, c=code: set_language(self.context.settings, c))
            language_group.addAction(action)
            self.language_actions[code] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.system_menu = bar.addMenu("")
        self.system_menu.addAction(self.sync_action)
        self.system_menu.addAction(self.conflicts_action)
        self.system_menu.addSeparator()
        self.system_menu.addAction(self.sign_out_action)
        self.system_menu.addAction(self.close_action)
        self.view_menu = bar.addMenu("")
        self.font_menu = self.view_menu.addMenu("")
        for action in self.font_actions.values():
            self.font_menu.addAction(action)
        self.language_menu = self.view_menu.addMenu("")
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.help_action)
        self.help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel()
        self.online_label = QLabel()
        self.last_sync_label = QLabel()
        self.pending_label = QLabel()
        self.conflict_button = QToolButton()
        set_role(self.conflict_button, "conflicts")
        self.conflict_button.clicked.connect(self.open_conflicts)
        self.sync_button = QToolButton()
        self.sync_button.setDefaultAction(self.sync_action)
        bar.addWidget(self.user_label)
        for widget in (self.online_label, self.last_sync_label, self.pending_label, self.conflict_button,
                       self.sync_button):
            bar.addPermanentWidget(widget)

    # texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        context_name, source = self._title
        self.setWindowTitle(QCoreApplication.translate(context_name, source))
        self.system_menu.setTitle(self.tr("系统(&X)"))
        self.view_menu.setTitle(self.tr("显示(&V)"))
        self.font_menu.setTitle(self.tr("字号(&F)"))
        self.language_menu.setTitle(self.tr("语言 Language(&L)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.sync_action.setText(self.tr("立即同步(&S)"))
        self.sync_action.setToolTip(self.tr("上传本机的修改，并下载服务器上的新数据（F5）"))
        self.conflicts_action.setText(self.tr("冲突记录(&K)…"))
        self.sign_out_action.setText(self.tr("退出登录(&O)"))
        self.close_action.setText(self.tr("关闭窗口(&W)"))
        self.about_action.setText(self.tr("关于(&A)"))
        self.help_action.setText(self.tr("使用说明(&H)"))
        for key, action in self.font_actions.items():
            action.setText(self.tr("{label}（{points} 磅）").format(label=font_size_label(key),
                                                                  points=FONT_SIZES[key]))
            action.setChecked(key == self.context.settings.font_size)
        for code, action in self.language_actions.items():
            action.setChecked(code == self.context.settings.language)
        english = self.context.settings.language == "en"
        roles = join_list(self.context.role_labels(english=english))
        self.user_label.setText(self.tr("当前用户：{name}").format(name=self.context.display_name))
        self.user_label.setToolTip(self.tr("角色：{roles}").format(roles=roles or self.tr("无")))
        self.show_status(self.sync.status)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # the page --------------------------------------------------------------------------------
    def set_page(self, page: QWidget) -> None:
        self.setCentralWidget(page)

    def page(self) -> QWidget | None:
        return self.centralWidget()

    # status ----------------------------------------------------------------------------------
    def show_status(self, status: SyncStatus) -> None:
        if status.running:
            self.online_label.setText(self.tr("● 正在同步…"))
            set_state(self.online_label, "unknown")
        elif status.online is True:
            self.online_label.setText(self.tr("● 在线"))
            set_state(self.online_label, "online")
        elif status.online is False:
            self.online_label.setText(self.tr("● 离线"))
            set_state(self.online_label, "offline")
        else:
            self.online_label.setText(self.tr("● 未连接"))
            set_state(self.online_label, "unknown")
        when = format_time(status.last_sync)
        self.last_sync_label.setText(self.tr("上次同步：{when}").format(when=when) if when
                                     else self.tr("尚未同步"))
        self.pending_label.setText(self.tr("待上传：{n} 条").format(n=status.pending))
        self.pending_label.setToolTip(self.tr("在本机保存、还没有上传到服务器的修改"))
        self.conflict_button.setText(self.tr("冲突 {n} 条").format(n=status.open_conflicts))
        self.conflict_button.setToolTip(self.tr("有修改与他人的修改冲突，点击查看并处理"))
        self.conflict_button.setVisible(status.open_conflicts > 0)
        self.sync_action.setEnabled(not status.running)

    # sync ------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """Start a sync with a progress dialog (cancel keeps what was done)."""
        task = self.sync.sync_now()
        if task is None:
            self.statusBar().showMessage(self.tr("已经在同步了，请稍候。"), 5000)
            return
        self._own_sync = True
        dialog = SyncProgressDialog(self.sync, task, self)
        self.progress_dialog = dialog
        dialog.open()

    def _sync_finished(self, outcome: SyncOutcome) -> None:
        if not self._own_sync:
            return
        self._own_sync = False
        text = outcome_message(outcome, self.context.server_url)
        if outcome.ok:
            self.statusBar().showMessage(text, 20000)
            if outcome.report is not None and outcome.report.conflicts:
                self._conflicts_found(outcome.report.conflicts)
            return
        icon = QMessageBox.Icon.Information if outcome.cancelled else QMessageBox.Icon.Warning
        title = self.tr("同步已取消") if outcome.cancelled else self.tr("同步未完成")
        self.show_message(icon, title, text)

    def _conflicts_found(self, count: int) -> None:
        box = self.show_message(
            QMessageBox.Icon.Information, self.tr("有冲突需要处理"),
            self.tr("有 {n} 处修改与他人的修改冲突。服务器上的值暂时有效，请您确认保留哪一个。").format(n=count),
            buttons=QMessageBox.StandardButton.NoButton)
        view = box.addButton(self.tr("查看冲突"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("稍后处理"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(view)
        view.clicked.connect(self.open_conflicts)

    def show_message(self, icon: QMessageBox.Icon, title: str, text: str,
                     buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
        """A window-modal message that does not block the event loop (sync keeps its worker free)."""
        box = QMessageBox(icon, title, text, buttons, self)
        box.setObjectName("ShellMessage")
        self.message_box = box
        box.open()
        return box

    # windows ---------------------------------------------------------------------------------
    def open_conflicts(self) -> None:
        from apps.common.conflicts import ConflictInboxWindow

        if self.conflict_window is None:
            self.conflict_window = ConflictInboxWindow(self.context, self)
        self.conflict_window.show()
        self.conflict_window.raise_()
        self.conflict_window.activateWindow()

    def show_help(self) -> None:
        """F1: the guide of this window's system, beside the window."""
        from apps.common.help import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self.help_topic, self)
        else:
            self.help_window.show_topic(self.help_topic)
        self.help_window.show()
        self.help_window.raise_()

    def show_about(self) -> None:
        self.show_message(QMessageBox.Icon.Information, self.tr("关于"), self.tr(
            "上海市人大常委会办公厅业务软件套件\n服务器：{url}").format(url=self.context.server_url))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._own_sync:
            self.sync.cancel()  # the run stops at its next step and keeps what it did
        super().closeEvent(event)
