"""The sign-in dialog: server address (remembered), user name, password, and plain error messages."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from apps.common.application import set_language
from apps.common.context import Connection, SignInFunction, sign_in
from apps.common.errors import is_network_error, user_message
from apps.common.qt import (
    QCoreApplication,
    QDialog,
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.settings import LANGUAGES, ClientSettings
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role

log = logging.getLogger(__name__)


def describe_server(url: str) -> str:
    """A server address in words: 本机服务器（端口 8443）, or the host with whether the link is encrypted."""
    parsed = urlsplit(url.strip())
    host = parsed.hostname or url.strip()
    if host in ("127.0.0.1", "localhost", "::1"):
        port = parsed.port
        return (QCoreApplication.translate("LoginDialog", "本机服务器（端口 {port}）").format(port=port) if port
                else QCoreApplication.translate("LoginDialog", "本机服务器"))
    if parsed.scheme == "https":
        return QCoreApplication.translate("LoginDialog", "{host}（加密连接）").format(host=host)
    return QCoreApplication.translate("LoginDialog", "{host}（未加密连接）").format(host=host)


class LoginDialog(QDialog):
    """Signs a user in through the background-task helper; ``connection`` holds the result."""

    signed_in = Signal(object)  # Connection

    def __init__(self, settings: ClientSettings, sign_in_fn: SignInFunction = sign_in,
                 parent: QWidget | None = None, server_url: str | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._sign_in = sign_in_fn
        self.connection: Connection | None = None
        self._task: BackgroundTask[Connection] | None = None
        self.setObjectName("LoginDialog")
        self.setMinimumWidth(560)

        self.title = set_role(QLabel(), "title")
        self.title.setWordWrap(True)
        self.subtitle = set_role(QLabel(), "subtitle")
        self.server_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        self.server_edit = QLineEdit(server_url or settings.server_url)
        self.server_summary = QLabel()
        self.server_summary.setObjectName("serverSummary")
        self.server_change = QPushButton()
        self.server_change.setFlat(True)
        self.server_change.setObjectName("serverChange")
        self.server_change.clicked.connect(self._edit_server)
        self.server_row = QWidget()
        server_layout = QHBoxLayout(self.server_row)
        server_layout.setContentsMargins(0, 0, 0, 0)
        server_layout.addWidget(self.server_summary, 1)
        server_layout.addWidget(self.server_change)
        server_layout.addWidget(self.server_edit, 1)
        self.user_edit = QLineEdit(settings.last_username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for label, edit in ((self.server_label, self.server_edit), (self.user_label, self.user_edit),
                            (self.password_label, self.password_edit)):
            label.setBuddy(edit)
            edit.textEdited.connect(self._clear_error)

        self.error_label = set_role(QLabel(), "error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # no percentage: the server answers or it does not
        self.busy_bar.setTextVisible(False)
        self.busy_label = QLabel()
        self.busy_row = QWidget()
        busy_layout = QHBoxLayout(self.busy_row)
        busy_layout.setContentsMargins(0, 0, 0, 0)
        busy_layout.addWidget(self.busy_label)
        busy_layout.addWidget(self.busy_bar, 1)
        self.busy_row.hide()

        self.login_button = set_role(QPushButton(), "primary")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        self.language_button = QPushButton()
        self.language_button.setFlat(True)
        self.language_button.clicked.connect(self._toggle_language)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(12)
        form.addRow(self.server_label, self.server_row)
        form.addRow(self.user_label, self.user_edit)
        form.addRow(self.password_label, self.password_edit)

        buttons = QHBoxLayout()
        buttons.addWidget(self.language_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_row)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        self.retranslate()
        self._show_server(editing=not self.server_edit.text().strip())
        self._focus_first_empty()

    def _show_server(self, editing: bool) -> None:
        """A known server is named in words with a 更改 button; the address itself only while editing."""
        self.server_edit.setVisible(editing)
        self.server_summary.setVisible(not editing)
        self.server_change.setVisible(not editing)
        if not editing:
            self.server_summary.setText(describe_server(self.server_edit.text()))
            self.server_summary.setToolTip(self.server_edit.text())
            self.server_label.setBuddy(self.server_change)
        else:
            self.server_label.setBuddy(self.server_edit)

    def _edit_server(self) -> None:
        self._show_server(editing=True)
        self.server_edit.setFocus()
        self.server_edit.selectAll()

    # texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("登录 — 人大业务系统"))
        self.title.setText(self.tr("上海市人大常委会办公厅"))
        self.subtitle.setText(self.tr("业务系统登录"))
        self.server_label.setText(self.tr("服务器地址(&S)："))
        self.user_label.setText(self.tr("用户名(&U)："))
        self.password_label.setText(self.tr("密码(&P)："))
        self.server_edit.setPlaceholderText(self.tr("例如 https://renda.example.gov.cn"))
        self.server_change.setText(self.tr("更改…"))
        self.server_change.setToolTip(self.tr("连接到另一台服务器（一般无需更改，请按管理员的说明操作）"))
        if self.server_summary.isVisibleTo(self):
            self.server_summary.setText(describe_server(self.server_edit.text()))
        self.user_edit.setPlaceholderText(self.tr("您的登录用户名"))
        self.password_edit.setPlaceholderText(self.tr("区分大小写"))
        self.busy_label.setText(self.tr("正在登录，请稍候…"))
        self.login_button.setText(self.tr("登录(&L)"))
        self.cancel_button.setText(self.tr("取消"))
        other = "en" if self.settings.language != "en" else "zh_CN"
        self.language_button.setText(LANGUAGES[other])
        self.language_button.setToolTip(self.tr("切换界面语言"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # actions ---------------------------------------------------------------------------------
    def _focus_first_empty(self) -> None:
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            if not edit.text():
                edit.setFocus()
                return
        self.password_edit.setFocus()

    def _toggle_language(self) -> None:
        set_language(self.settings, "en" if self.settings.language != "en" else "zh_CN")

    def _clear_error(self) -> None:
        self.error_label.hide()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.login_button,
                       self.language_button):
            widget.setEnabled(not busy)
        self.busy_row.setVisible(busy)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def submit(self) -> None:
        """Check the fields, then sign in in the background."""
        if self._task is not None:
            return
        url = self.server_edit.text().strip().rstrip("/")
        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not url:
            self.show_error(self.tr("请填写服务器地址。"))
            self._show_server(editing=True)
            self.server_edit.setFocus()
            return
        if not url.startswith(("http://", "https://")):
            self.show_error(self.tr("服务器地址应以 http:// 或 https:// 开头。"))
            self._show_server(editing=True)
            self.server_edit.setFocus()
            return
        if not username:
            self.show_error(self.tr("请填写用户名。"))
            self.user_edit.setFocus()
            return
        if not password:
            self.show_error(self.tr("请填写密码。"))
            self.password_edit.setFocus()
            return
        self._clear_error()
        self._set_busy(True)
        sign_in_fn = self._sign_in

        def work(ctx: TaskContext) -> Connection:
            return sign_in_fn(url, username, password)

        self._task = (BackgroundTask(work, owner=self, name="sign-in")
                      .on_success(lambda conn: self._signed_in(conn, url, username))
                      .on_failure(lambda exc: self._failed(exc, url))
                      .start())

    def _signed_in(self, connection: Connection, url: str, username: str) -> None:
        if self._task is None:  # the user cancelled while the server was answering
            return
        self._task = None
        self.settings.server_url = url
        self.settings.last_username = username
        self.password_edit.clear()
        self.connection = connection
        self._set_busy(False)
        self.signed_in.emit(connection)
        self.accept()

    def _failed(self, error: BaseException, url: str) -> None:
        if self._task is None:
            return
        self._task = None
        self._set_busy(False)
        self.show_error(user_message(error, url))
        if is_network_error(error):  # the address may be wrong: show it so it can be corrected
            self._show_server(editing=True)
            self.server_edit.setFocus()
            return
        log.info("sign-in refused: %s", error)
        self.password_edit.setFocus()
        self.password_edit.selectAll()

    def reject(self) -> None:
        if self._task is not None:
            # The server call cannot be interrupted; sign out again when its answer comes.
            task, self._task = self._task, None
            task.cancel()
            task.succeeded.connect(discard_connection)
            self._set_busy(False)
        super().reject()


def discard_connection(connection: object) -> None:
    """Sign a connection out and close its store, in the background (logout talks to the server)."""
    if not isinstance(connection, Connection):
        return

    def work(ctx: TaskContext) -> None:
        try:
            connection.remote.logout()
        finally:
            connection.store.engine.dispose()

    BackgroundTask(work, name="sign-out").on_failure(lambda exc: log.info("sign-out failed: %s", exc)).start()
