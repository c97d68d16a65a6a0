"""The desktop end to end against a real embedded server: sign in → launcher → app shell → sync
(progress, cancel) → a real conflict made by two computers → the conflict inbox → sign out."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import keyring
import pytest
from pytestqt.qtbot import QtBot

from apps.common.conflict_state import ConflictInbox
from apps.common.conflicts import ConflictInboxWindow
from apps.common.context import ClientContext, local_db_path, sign_in
from apps.common.demo import DEMO_PASSWORD, DemoServer
from apps.common.qt import QMessageBox, Qt
from apps.common.settings import ClientSettings
from apps.common.shell import AppShell
from apps.common.sync_status import SyncOutcome
from apps.common.tasks import wait_for_tasks
from apps.launcher.flow import DesktopFlow
from apps.launcher.window import LauncherWindow
from core.models.registry import Document, SyncConflict
from core.remote import KEYRING_SERVICE, keyring_key
from core.sync.client import SyncClient
from tests.helpers.waits import WAIT_MS

WAIT = WAIT_MS


class GatedTransport:
    """Holds the first push until the test opens the gate, so a cancel lands mid-run."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.gate = threading.Event()

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.entered.set()
        assert self.gate.wait(WAIT / 1000), "the test never opened the gate"
        return self.inner.push(device_id, mutations)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _sign_in_through_dialog(qtbot: QtBot, flow: DesktopFlow, username: str) -> LauncherWindow:
    dialog = flow.login
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    dialog.user_edit.clear()
    qtbot.keyClicks(dialog.user_edit, username)
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(flow.launcher_shown, timeout=WAIT) as blocker:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter presses the default 登录
        assert dialog.busy_row.isVisibleTo(dialog)
    window = blocker.args[0]
    qtbot.addWidget(window)
    return window  # type: ignore[no-any-return]


def _run_sync(qtbot: QtBot, context: ClientContext, start: Any) -> SyncOutcome:
    with qtbot.waitSignal(context.sync.finished, timeout=WAIT) as blocker:
        start()
    outcome = blocker.args[0]
    assert isinstance(outcome, SyncOutcome)
    return outcome


def _edit_document(context_or_client: Any, doc_id: str, **values: Any) -> None:
    store = context_or_client.store
    with store.session() as s, s.begin():
        doc = s.get(Document, doc_id)
        assert doc is not None
        for name, value in values.items():
            setattr(doc, name, value)


def test_sign_in_sync_cancel_and_resolve_a_real_conflict(qtbot: QtBot, gui: ClientSettings,
                                                          demo_server: DemoServer, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    flow = DesktopFlow(gui, server_url=demo_server.url)
    flow.start()
    launcher = _sign_in_through_dialog(qtbot, flow, "staff")
    context = flow.context
    assert context is not None
    assert gui.server_url == demo_server.url and gui.last_username == "staff"
    assert [t.entry.key for t in launcher.launcher.tiles] == ["budget"]
    assert launcher.online_label.text() == "● 在线"

    # The budget app is not built yet: its tile opens the shell with the under-construction page.
    launcher.launcher.tiles[0].click()
    shell = launcher.app_windows["budget"]
    assert isinstance(shell, AppShell)
    qtbot.addWidget(shell)
    qtbot.waitUntil(lambda: shell.pending_label.text() == "待上传：0 条", timeout=WAIT)
    assert shell.last_sync_label.text() == "尚未同步"

    # A local edit goes to the outbox; the status bar counts it.
    with context.store.session() as s, s.begin():
        doc = Document(title="2026年部门预算初审意见", doc_no="沪人预〔2026〕1号", classification="internal",
                       year=2026, body="初稿")
        s.add(doc)
        s.flush()
        doc_id = doc.id
    context.notice.changed.emit("edit")
    qtbot.waitUntil(lambda: shell.pending_label.text() == "待上传：1 条", timeout=WAIT)

    # 立即同步 from the app's shell: a progress dialog with real progress, then the new status.
    outcome = _run_sync(qtbot, context, shell.sync_action.trigger)
    assert outcome.ok and outcome.report is not None and outcome.report.applied == 1
    assert shell.progress_dialog is not None
    assert shell.progress_dialog.last_progress is not None
    assert not shell.progress_dialog.isVisible()
    qtbot.waitUntil(lambda: shell.pending_label.text() == "待上传：0 条", timeout=WAIT)
    assert shell.last_sync_label.text().startswith("上次同步：")
    assert launcher.last_sync_label.text() == shell.last_sync_label.text()

    # A second computer of the same user changes the same field first.
    second = sign_in(demo_server.url, "staff", DEMO_PASSWORD, tmp_path / "second-pc")
    other = SyncClient(second.store, second.remote.transport)
    other.sync()
    _edit_document(other, doc_id, title="2026年部门预算初审意见（第二台电脑改）")
    assert other.sync().applied == 1

    # This computer changes it too, then syncs from the launcher: a real conflict comes back.
    _edit_document(context, doc_id, title="2026年部门预算初审意见（本机改）")
    outcome = _run_sync(qtbot, context, launcher.sync_button.click)
    assert outcome.ok and outcome.report is not None and outcome.report.conflicts == 1
    assert isinstance(launcher.message_box, QMessageBox)
    assert "冲突" in launcher.message_box.text()
    launcher.message_box.close()
    qtbot.waitUntil(lambda: launcher.conflict_button.isVisible(), timeout=WAIT)
    assert launcher.conflict_button.text() == "冲突 1 条"

    # Cancel a run in the middle: the finished push is kept, the user is told the next run resumes.
    _edit_document(context, doc_id, body="第二稿")
    gated = GatedTransport(context.sync_client.transport)
    monkeypatch.setattr(context.sync_client, "transport", gated)
    shell.sync_now()
    dialog = shell.progress_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(gated.entered.is_set, timeout=WAIT)
    with qtbot.waitSignal(context.sync.finished, timeout=WAIT) as blocker:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.text() == "正在取消…"
        gated.gate.set()
    assert blocker.args[0].cancelled
    assert isinstance(shell.message_box, QMessageBox)
    assert "下次同步" in shell.message_box.text()
    shell.message_box.close()
    qtbot.waitUntil(lambda: shell.pending_label.text() == "待上传：0 条", timeout=WAIT)
    monkeypatch.setattr(context.sync_client, "transport", gated.inner)
    assert _run_sync(qtbot, context, shell.sync_now).ok

    # The conflict inbox: the three values side by side, then "use mine" after a confirmation.
    launcher.conflict_button.click()
    inbox = launcher.conflict_window
    assert isinstance(inbox, ConflictInboxWindow)
    qtbot.addWidget(inbox)
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=WAIT)
    item = inbox.selected()
    assert item is not None and item.field == "title" and item.kind == "field"
    assert inbox.base_view.toPlainText() == "2026年部门预算初审意见"
    assert inbox.server_view.toPlainText() == "2026年部门预算初审意见（第二台电脑改）"
    assert inbox.mine_view.toPlainText() == "2026年部门预算初审意见（本机改）"
    assert inbox.model.data(inbox.model.index(0, 2)) == "标题"

    asked: list[str] = []
    monkeypatch.setattr(inbox, "confirm", lambda title, text: asked.append(text) or False)
    inbox.use_mine_button.click()
    assert asked and "本机改" in asked[0]
    assert context.store.pending_count() == 0  # declined: nothing changed

    monkeypatch.setattr(inbox, "confirm", lambda title, text: True)
    with qtbot.waitSignal(inbox.resolved, timeout=WAIT):
        inbox.use_mine_button.click()
    with context.store.session() as s:
        local_doc = s.get(Document, doc_id)
        conflict = s.get(SyncConflict, item.id)
        assert local_doc is not None and conflict is not None
        assert local_doc.title == "2026年部门预算初审意见（本机改）"
        assert (conflict.status, conflict.resolution) == ("resolved", "client")
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0, timeout=WAIT)
    assert inbox.empty_label.isVisibleTo(inbox)
    qtbot.waitUntil(lambda: not launcher.conflict_button.isVisibleTo(launcher), timeout=WAIT)
    qtbot.waitUntil(lambda: launcher.pending_label.text() == "待上传：2 条", timeout=WAIT)

    # The resolution syncs like any edit: the other computer now has this computer's value.
    assert _run_sync(qtbot, context, launcher.sync_now).ok
    other.sync()
    with second.store.session() as s:
        remote_doc = s.get(Document, doc_id)
        assert remote_doc is not None and remote_doc.title == "2026年部门预算初审意见（本机改）"
    assert ConflictInbox(second.store).count_open() == 0

    # Sign out: the login dialog comes back and the token leaves the keyring.
    launcher.sign_out_action.trigger()
    assert flow.login is not None and flow.login.isVisible()
    qtbot.addWidget(flow.login)
    assert flow.launcher is None
    assert wait_for_tasks(WAIT)
    assert keyring.get_password(KEYRING_SERVICE, keyring_key(demo_server.url, "staff")) is None
    second.store.engine.dispose()
    context.close()


def test_saved_sign_in_skips_the_login(qtbot: QtBot, gui: ClientSettings, demo_server: DemoServer) -> None:
    sign_in(demo_server.url, "cadre", DEMO_PASSWORD).store.engine.dispose()  # leaves a token in the keyring
    gui.server_url = demo_server.url
    gui.last_username = "cadre"
    flow = DesktopFlow(gui)
    with qtbot.waitSignal(flow.launcher_shown, timeout=WAIT) as blocker:
        flow.start()
    window = blocker.args[0]
    qtbot.addWidget(window)
    assert flow.login is None
    assert [t.entry.key for t in window.launcher.tiles] == ["cadre"]
    assert flow.context is not None
    flow.context.close()


def test_wrong_password_shows_the_servers_reason(qtbot: QtBot, gui: ClientSettings,
                                                 demo_server: DemoServer) -> None:
    flow = DesktopFlow(gui, resume_fn=None, server_url=demo_server.url)
    flow.start()
    dialog = flow.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("petition")
    dialog.password_edit.setText("not-the-password")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=WAIT)
    assert "密码" in dialog.error_label.text()
    assert not local_db_path(demo_server.url, "petition").exists()  # no empty database left behind
    assert dialog.login_button.isEnabled() and not dialog.busy_row.isVisibleTo(dialog)
    assert flow.launcher is None


def test_unreachable_server_says_so_plainly(qtbot: QtBot, gui: ClientSettings) -> None:
    dialog_flow = DesktopFlow(gui, resume_fn=None, server_url="http://127.0.0.1:9")
    dialog_flow.start()
    dialog = dialog_flow.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("staff")
    dialog.password_edit.setText(DEMO_PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=WAIT)
    assert dialog.error_label.text().startswith("无法连接服务器（http://127.0.0.1:9）")


def test_empty_fields_are_checked_before_any_network(qtbot: QtBot, gui: ClientSettings) -> None:
    flow = DesktopFlow(gui, resume_fn=None, server_url="renda.example.gov.cn")
    flow.start()
    dialog = flow.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.login_button.click()
    assert "http://" in dialog.error_label.text()
    dialog.server_edit.setText("https://renda.example.gov.cn")
    dialog.login_button.click()
    assert dialog.error_label.text() == "请填写用户名。"
    assert not dialog.busy


def test_a_known_server_is_named_in_words_and_can_be_changed(qtbot: QtBot, gui: ClientSettings) -> None:
    from apps.common.login import LoginDialog, describe_server

    assert describe_server("https://renda.example.gov.cn") == "renda.example.gov.cn（加密连接）"
    assert describe_server("http://10.1.2.3:8080") == "10.1.2.3（未加密连接）"
    assert describe_server("http://127.0.0.1:8443") == "本机服务器（端口 8443）"
    dialog = LoginDialog(gui, server_url="https://renda.example.gov.cn")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_summary.isVisible() and not dialog.server_edit.isVisible()
    assert dialog.server_summary.text() == "renda.example.gov.cn（加密连接）"
    dialog.server_change.click()
    assert dialog.server_edit.isVisible() and not dialog.server_summary.isVisible()
    blank = LoginDialog(gui, server_url="")
    qtbot.addWidget(blank)
    blank.show()
    assert blank.server_edit.isVisible() and not blank.server_summary.isVisible()
