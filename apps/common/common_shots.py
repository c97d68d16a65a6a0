"""Screenshots of the shared windows: sign-in, sync progress and its cancellation, the conflict inbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from apps.common.conflicts import ConflictInboxWindow
from apps.common.demo import edit_demo_document, make_field_conflicts
from apps.common.login import LoginDialog
from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.common.shell import AppShell
from apps.common.sync_status import SyncProgressDialog
from apps.common.tasks import BackgroundTask, TaskContext


@screenshot("login")
def login_dialogs(env: ShotEnv) -> Iterator[Shot]:
    dialog = LoginDialog(env.settings, server_url=env.server_url)
    dialog.user_edit.setText("staff")
    yield "login", dialog
    dialog.password_edit.setText("wrong-password")
    dialog.submit()
    env.settle()
    yield "login-wrong-password", dialog
    env.set_language("en")
    english = LoginDialog(env.settings, server_url=env.server_url)
    english.user_edit.setText("staff")
    yield "login-en", english
    env.set_language("zh_CN")


@screenshot("sync")
def sync_windows(env: ShotEnv) -> Iterator[Shot]:
    context = env.connect("staff")
    shell = AppShell(context)
    shell.resize(900, 560)
    shell.show()
    env.settle()
    # A run held open at a known point, so the dialog shows real progress signals mid-way.
    gate = threading.Event()

    def held_run(ctx: TaskContext) -> None:
        ctx.progress("push", 12, 40)
        gate.wait(30)

    task: BackgroundTask[None] = BackgroundTask(held_run, name="held-sync")
    dialog = SyncProgressDialog(context.sync, task, shell)
    env.held.add(task)
    task.start()
    dialog.open()
    env.settle()
    yield "sync-progress", dialog
    gate.set()
    env.held.discard(task)
    env.settle()
    # A real run with one local edit, held at its upload until the user has pressed 取消同步: the
    # upload finishes, the run stops, and the shell says that the next sync resumes from there.
    env.sync(context)
    env.run(lambda ctx: edit_demo_document(context.store, "演示用文档：这次修改用来演示取消同步。"))
    held = _HeldTransport(context.sync_client.transport)
    context.sync_client.transport = held
    try:
        shell.sync_now()
        assert shell.progress_dialog is not None
        if not held.entered.wait(30):
            raise TimeoutError("the sync never reached the server")
        shell.progress_dialog.request_cancel()
        held.gate.set()
        env.settle()
    finally:
        context.sync_client.transport = held.inner
    assert shell.message_box is not None
    yield "sync-cancelled", shell.message_box


class _HeldTransport:
    """Passes every call through, but holds the first upload until ``gate`` opens."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.gate = threading.Event()

    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.entered.set()
        self.gate.wait(30)
        return self.inner.push(device_id, mutations)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@screenshot("conflicts")
def conflict_inbox(env: ShotEnv) -> Iterator[Shot]:
    first = env.connect("staff", store="pc-a")
    second = env.connect("staff", store="pc-b")
    env.run(lambda ctx: make_field_conflicts(first.sync_client, second.sync_client))
    second.notice.changed.emit("sync")
    window = ConflictInboxWindow(second)
    window.resize(1100, 720)
    yield "conflict-inbox", window
