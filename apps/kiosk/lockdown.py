"""Kiosk lock-down: full screen, frameless, on top; leaving it or switching faces takes the operator's PIN.

The PIN is kept only as a salted PBKDF2 hash in ``kiosk.ini`` under the config folder; the operator
sets it at the first start. Closing the window (Alt+F4, the window manager) and Escape are refused
until the PIN is entered. Ctrl+Alt+1 / 2 / 3 switch to the console, the big screen and the seat
face, Ctrl+Alt+P opens the virtual seat panel, Ctrl+Alt+Q leaves the kiosk — each after the PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

from apps.common.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSettings,
    QStackedWidget,
    Qt,
    QtGui,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role
from apps.kiosk.bigscreen import BigScreen
from apps.kiosk.console import ChairConsole
from apps.kiosk.seatface import SeatFace
from apps.kiosk.source import ConferenceFeed
from apps.kiosk.widgets import kiosk_face
from core.paths import config_dir

PBKDF2_ROUNDS = 200_000
MIN_PIN_LENGTH = 4
MAX_FAILURES = 5
LOCKOUT_MS = 30_000
FACES = ("console", "bigscreen", "seat")
RECLAIM_MS = 300


def hash_pin(pin: str, salt: bytes | None = None, rounds: int = PBKDF2_ROUNDS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, rounds)
    return f"pbkdf2_sha256${rounds}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, rounds, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        expected = hash_pin(pin, bytes.fromhex(salt), int(rounds)).split("$")[3]
    except ValueError:
        return False
    return hmac.compare_digest(expected, digest)


class PinStore:
    """The operator's PIN hash in the kiosk settings file."""

    FILE_NAME = "kiosk.ini"
    KEY = "kiosk/pin_hash"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / self.FILE_NAME
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def has_pin(self) -> bool:
        return bool(self._qs.value(self.KEY, ""))

    def set_pin(self, pin: str) -> None:
        if len(pin) < MIN_PIN_LENGTH or not pin.isdigit():
            raise ValueError(f"PIN must be at least {MIN_PIN_LENGTH} digits")
        self._qs.setValue(self.KEY, hash_pin(pin))
        self._qs.sync()

    def check(self, pin: str) -> bool:
        stored = str(self._qs.value(self.KEY, "") or "")
        return bool(stored) and pin_matches(pin, stored)


class PinDialog(QDialog):
    """Asks for the operator's PIN, or (first start) has the operator choose one."""

    def __init__(self, store: PinStore, setting: bool = False, reason: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinDialog")
        kiosk_face(self)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.store = store
        self.setting = setting
        self.reason = reason
        self.failures = 0
        self.prompt = set_role(QLabel(), "k-head")
        self.prompt.setWordWrap(True)
        self.pin_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.pin_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(12)
            edit.setMinimumWidth(320)
        self.confirm_edit.setVisible(setting)
        self.error = set_role(QLabel(), "k-status")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(not setting)
        self._unlock_timer = QTimer(self)
        self._unlock_timer.setSingleShot(True)
        self._unlock_timer.timeout.connect(self._lift_lockout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.prompt)
        layout.addWidget(self.pin_edit)
        layout.addWidget(self.confirm_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("操作员密码"))
        if self.setting:
            self.prompt.setText(self.tr("首次使用：请设置操作员密码（至少 {n} 位数字）。退出、切换画面都需要它。")
                                .format(n=MIN_PIN_LENGTH))
            self.pin_edit.setPlaceholderText(self.tr("新密码"))
            self.confirm_edit.setPlaceholderText(self.tr("再输入一次"))
        else:
            self.prompt.setText(self.reason or self.tr("请输入操作员密码"))
            self.pin_edit.setPlaceholderText(self.tr("操作员密码"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reject(self) -> None:
        if not self.setting:  # a PIN must be chosen before the kiosk runs
            super().reject()

    def submit(self) -> None:
        pin = self.pin_edit.text().strip()
        if self.setting:
            if len(pin) < MIN_PIN_LENGTH or not pin.isdigit():
                self.error.setText(self.tr("密码须为至少 {n} 位数字").format(n=MIN_PIN_LENGTH))
                return
            if pin != self.confirm_edit.text().strip():
                self.error.setText(self.tr("两次输入的密码不一致"))
                return
            self.store.set_pin(pin)
            self.accept()
            return
        if self.store.check(pin):
            self.accept()
            return
        self.failures += 1
        self.pin_edit.clear()
        if self.failures >= MAX_FAILURES:
            self.error.setText(self.tr("密码错误次数过多，请 30 秒后再试"))
            self.buttons.setEnabled(False)
            self.pin_edit.setEnabled(False)
            self._unlock_timer.start(LOCKOUT_MS)
        else:
            self.error.setText(self.tr("密码错误"))

    def _lift_lockout(self) -> None:
        self.failures = 0
        self.buttons.setEnabled(True)
        self.pin_edit.setEnabled(True)
        self.error.setText("")


class KioskWindow(QMainWindow):
    """The locked-down window holding the three faces."""

    def __init__(self, feed: ConferenceFeed, pins: PinStore, seat: int | None = None,
                 panel_factory: Callable[[], QWidget] | None = None, resumed: bool = False,
                 locked: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.feed = feed
        self.pins = pins
        self.resumed = resumed
        self.panel_factory = panel_factory
        self.panel: QWidget | None = None
        self.pin_dialog: PinDialog | None = None
        self.locked = locked
        self._may_close = not locked
        if locked:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
        seats = [int(s["seat"]) for s in feed.snapshot.get("seats", [])]
        self.console = ChairConsole(feed)
        self.bigscreen = BigScreen(feed)
        self.seat_face = SeatFace(feed, seat if seat is not None else (seats[0] if seats else 1))
        self.stack = QStackedWidget()
        for face in (self.console, self.bigscreen, self.seat_face):
            self.stack.addWidget(face)
        self.setCentralWidget(self.stack)
        for n, name in enumerate(FACES, start=1):
            self._shortcut(f"Ctrl+Alt+{n}", self._switcher(name))
        self._shortcut("Ctrl+Alt+P", lambda: self.guarded(self.open_panel))
        self._shortcut("Ctrl+Alt+Q", self.request_exit)
        if resumed:
            self.console.status.setText(self.tr("已从会议日志恢复到进行中的会议"))
        self.retranslate()

    def _switcher(self, face: str) -> Callable[[], object]:
        return lambda: self.guarded(lambda: self.show_face(face))

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(lambda: slot())
        self.addAction(action)
        return action

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("主席团电子会务"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.locked and self.isFullScreen():
            QTimer.singleShot(RECLAIM_MS, self.reclaim)
        super().changeEvent(event)

    def reclaim(self) -> bool:
        """Another program took the focus (a task switch): come back on top. Our own dialogs and the
        seat panel may have it; True when the kiosk raised itself."""
        if not (self.locked and self.isFullScreen() and not self._may_close):
            return False
        if QApplication.activeWindow() is not None:
            return False
        self.raise_()
        self.activateWindow()
        return True

    # --- faces ---------------------------------------------------------------------------------
    @property
    def face(self) -> str:
        return FACES[self.stack.currentIndex()]

    def show_face(self, face: str) -> None:
        self.stack.setCurrentIndex(FACES.index(face))

    def open_panel(self) -> None:
        if self.panel_factory is None:
            return
        if self.panel is None:
            self.panel = self.panel_factory()
            self.panel.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
            self.panel.resize(1400, 900)
        self.panel.show()

    # --- lock-down -----------------------------------------------------------------------------
    def start(self) -> None:
        """Show full screen; at the first start the operator chooses the PIN."""
        self.showFullScreen()
        if not self.pins.has_pin():
            dialog = PinDialog(self.pins, setting=True, parent=self)
            self.pin_dialog = dialog
            dialog.open()

    def guarded(self, action: Callable[[], None], reason: str = "") -> PinDialog | None:
        """Run ``action`` once the operator's PIN is entered (at once when the window is not locked)."""
        if not self.locked:
            action()
            return None
        dialog = PinDialog(self.pins, reason=reason, parent=self)
        self.pin_dialog = dialog
        dialog.accepted.connect(action)
        dialog.open()
        return dialog

    def request_exit(self) -> PinDialog | None:
        return self.guarded(self._leave, self.tr("退出会务系统需要操作员密码"))

    def _leave(self) -> None:
        self._may_close = True
        if self.panel is not None:
            self.panel.close()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self.feed.detach()
            event.accept()
            return
        event.ignore()
        if self.pin_dialog is None or not self.pin_dialog.isVisible():
            self.request_exit()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        alt_f4 = event.key() == Qt.Key.Key_F4 and bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if self.locked and (event.key() == Qt.Key.Key_Escape or alt_f4):
            event.accept()
            return
        super().keyPressEvent(event)
