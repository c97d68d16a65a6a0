"""From start to sign-out: resume a saved sign-in or ask for one, open the launcher, sign out again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apps.common.context import ClientContext, Connection, SignInFunction, resume, sign_in
from apps.common.errors import user_message
from apps.common.login import LoginDialog, discard_connection
from apps.common.qt import QObject, Signal
from apps.common.settings import ClientSettings
from apps.common.tasks import BackgroundTask
from apps.launcher.window import LauncherWindow

log = logging.getLogger(__name__)

ResumeFunction = Callable[[str, str], Connection | None]


class DesktopFlow(QObject):
    """Drives the windows of one desktop session; ``finished`` fires when the user is done."""

    finished = Signal()
    launcher_shown = Signal(object)  # LauncherWindow
    login_shown = Signal(object)  # LoginDialog

    def __init__(self, settings: ClientSettings, sign_in_fn: SignInFunction = sign_in,
                 resume_fn: ResumeFunction | None = resume, server_url: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self._sign_in = sign_in_fn
        self._resume = resume_fn
        self._server_url = server_url
        self.login: LoginDialog | None = None
        self.launcher: LauncherWindow | None = None
        self.context: ClientContext | None = None

    def start(self) -> None:
        url = self._server_url or self.settings.server_url
        username = self.settings.last_username
        if self._resume is None or not url or not username:
            self.show_login()
            return
        resume_fn = self._resume
        BackgroundTask(lambda ctx: resume_fn(url, username), owner=self, name="resume") \
            .on_success(self._resumed) \
            .on_failure(lambda exc: self._resume_failed(exc, url)) \
            .start()

    def _resumed(self, connection: Connection | None) -> None:
        if connection is None:
            self.show_login()
        else:
            self._open_launcher(connection)

    def _resume_failed(self, error: BaseException, url: str) -> None:
        self.show_login(user_message(error, url))

    def show_login(self, message: str = "") -> LoginDialog:
        dialog = LoginDialog(self.settings, self._sign_in, server_url=self._server_url)
        dialog.setObjectName("LoginDialog")
        if message:
            dialog.show_error(message)
        # The launcher opens before the dialog hides, so the application never has no window.
        dialog.signed_in.connect(self._open_launcher)
        dialog.rejected.connect(self._login_cancelled)
        self.login = dialog
        dialog.show()
        self.login_shown.emit(dialog)
        return dialog

    def _login_cancelled(self) -> None:
        if self.launcher is None:
            self.finished.emit()

    def _open_launcher(self, connection: Connection) -> None:
        context = ClientContext(connection, self.settings)
        context.sync.set_online(True)  # the server just answered
        window = LauncherWindow(context)
        window.sign_out_requested.connect(self.sign_out)
        window.destroyed.connect(self._launcher_gone)
        self.context, self.launcher = context, window
        if self.login is not None:
            self.login.deleteLater()
            self.login = None
        window.show()
        self.launcher_shown.emit(window)

    def _launcher_gone(self) -> None:
        self.launcher = None

    def sign_out(self) -> None:
        """Close the launcher and its apps, end the server session in the background, ask again."""
        window, context = self.launcher, self.context
        self.launcher, self.context = None, None
        self.show_login()
        if context is not None:
            context.sync.cancel()
            discard_connection(context.connection)
        if window is not None:
            window.close_apps()
            window.close()
            window.deleteLater()

    def shutdown(self) -> None:
        """The application is quitting: stop a running sync (it keeps what it did)."""
        if self.context is not None:
            self.context.sync.cancel()
