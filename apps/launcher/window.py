"""The launcher: one big tile per business system the signed-in user may open."""

from __future__ import annotations

import logging

from apps.common.context import ClientContext
from apps.common.i18n import join_list
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCloseEvent,
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.shell import AppShell
from apps.common.theme import set_role
from apps.launcher.catalogue import AppEntry, permitted, tr_text

log = logging.getLogger(__name__)


class AppTile(QPushButton):
    """A large button: the system's name in big type and one line on what it does."""

    def __init__(self, entry: AppEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.built = entry.window_factory() is not None
        self.setObjectName(f"tile_{entry.key}")
        set_role(self, "tile" if self.built else "tile-pending")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title_label = set_role(QLabel(), "tile-title" if self.built else "tile-title-pending")
        self.summary_label = set_role(QLabel(), "tile-summary")
        self.badge = set_role(QLabel(), "tile-badge")
        self.badge.setVisible(not self.built)
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 16, 16)
        layout.setSpacing(6)
        heading = QHBoxLayout()
        heading.addWidget(self.title_label, 1)
        heading.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        layout.addWidget(self.summary_label)
        for label in (self.title_label, self.summary_label, self.badge):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.retranslate()

    def retranslate(self) -> None:
        title = tr_text(self.entry.title)
        self.title_label.setText(title)
        self.summary_label.setText(tr_text(self.entry.summary))
        self.badge.setText(self.tr("建设中"))
        self.setAccessibleName(title if self.built else self.tr("{title}（建设中）").format(title=title))
        self.setToolTip(tr_text(self.entry.summary) if self.built else
                        self.tr("该系统正在建设中，点开可查看建成后将提供的功能"))


class LauncherPage(QWidget):
    """Greeting, the user's roles, sign-out, and the tiles of the permitted apps."""

    app_requested = Signal(object)  # AppEntry
    sign_out_requested = Signal()

    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LauncherPage")
        self.context = context
        self.greeting = set_role(QLabel(), "title")
        self.roles_label = set_role(QLabel(), "subtitle")
        self.roles_label.setWordWrap(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.prompt = QLabel()
        self.none_label = set_role(QLabel(), "notice")
        self.none_label.setWordWrap(True)

        header_text = QVBoxLayout()
        header_text.addWidget(self.greeting)
        header_text.addWidget(self.roles_label)
        header = QHBoxLayout()
        header.addLayout(header_text, 1)
        header.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignTop)

        self.tiles: list[AppTile] = []
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(18)
        for i, entry in enumerate(permitted(context.permitted_apps())):
            tile = AppTile(entry)
            tile.clicked.connect(lambda _checked=False, e=entry: self.app_requested.emit(e))
            grid.addWidget(tile, i // 2, i % 2)
            self.tiles.append(tile)
        grid.setRowStretch((len(self.tiles) + 1) // 2, 1)
        scroll = set_role(QScrollArea(), "plain")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)
        self.none_label.setVisible(not self.tiles)
        self.prompt.setVisible(bool(self.tiles))
        scroll.setVisible(bool(self.tiles))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addWidget(self.prompt)
        layout.addWidget(self.none_label)
        layout.addWidget(scroll, 1)
        if not self.tiles:
            layout.addStretch(1)
        if self.tiles:
            self.tiles[0].setFocus()
        self.retranslate()

    def retranslate(self) -> None:
        english = self.context.settings.language == "en"
        self.greeting.setText(self.tr("您好，{name}").format(name=self.context.display_name))
        roles = join_list(self.context.role_labels(english=english)) or self.tr("无")
        self.roles_label.setText(self.tr("角色：{roles}").format(roles=roles))
        self.sign_out_button.setText(self.tr("退出登录(&O)"))
        self.prompt.setText(self.tr("请选择要使用的业务系统："))
        self.none_label.setText(self.tr(
            "您的账号还没有开通任何业务系统。如需使用，请联系系统管理员开通权限。"))
        for tile in self.tiles:
            tile.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class UnderConstructionPage(QWidget):
    """What an app will offer, said plainly, until its window is built. Shows no invented data."""

    def __init__(self, entry: AppEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"under_construction_{entry.key}")
        self.entry = entry
        self.title = set_role(QLabel(), "title")
        self.notice = set_role(QLabel(), "notice")
        self.notice.setWordWrap(True)
        self.offer_label = set_role(QLabel(), "subtitle")
        self.feature_labels = [QLabel() for _ in entry.features]
        features = QVBoxLayout()
        features.setSpacing(10)
        features.setContentsMargins(8, 0, 0, 0)
        for label in self.feature_labels:
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            features.addWidget(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addWidget(self.offer_label)
        layout.addLayout(features)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr_text(self.entry.title))
        self.notice.setText(self.tr("该系统正在建设中，暂时还不能使用。建成后会在这里直接打开，无需另外安装。"))
        self.offer_label.setText(self.tr("建成后将提供："))
        for label, feature in zip(self.feature_labels, self.entry.features, strict=True):
            label.setText(f"•  {tr_text(feature)}")

    def features_text(self) -> str:
        return "\n".join(label.text() for label in self.feature_labels)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class LauncherWindow(AppShell):
    """The shell holding the launcher page; opens one window per app and keeps them."""

    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        title = ("LauncherWindow", QT_TRANSLATE_NOOP("LauncherWindow", "上海市人大常委会办公厅业务系统"))
        super().__init__(context, title=title, parent=parent, allow_sign_out=True)
        self.setObjectName("LauncherWindow")
        self.launcher = LauncherPage(context)
        self.launcher.app_requested.connect(self.open_app)
        self.launcher.sign_out_requested.connect(self.sign_out_requested)
        self.set_page(self.launcher)
        self.app_windows: dict[str, QWidget] = {}

    def open_app(self, entry: AppEntry) -> QWidget:
        """Open (or bring forward) the app's window; an unbuilt app opens its under-construction page."""
        window = self.app_windows.get(entry.key)
        if window is None:
            factory = entry.window_factory()
            if factory is not None:
                window = factory(self.context)
            else:
                shell = AppShell(self.context, title=("AppCatalogue", entry.title))
                shell.setObjectName(f"AppShell_{entry.key}")
                shell.set_page(UnderConstructionPage(entry))
                window = shell
            self.app_windows[entry.key] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close_apps(self) -> None:
        for window in self.app_windows.values():
            window.close()
            window.deleteLater()
        self.app_windows.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_apps()
        super().closeEvent(event)
