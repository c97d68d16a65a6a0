"""Screenshots of the shared windows: sign-in, sync progress and its cancellation, the conflict inbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from apps.common.conflicts import ConflictInboxWindow
from apps.common.demo import make_field_conflicts
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
    shell = AppShell(context, title=("AppShell", "人大业务系统"))
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
    # A real run cancelled at once: the shell says that the next sync resumes.
    shell.sync_now()
    assert shell.progress_dialog is not None
    shell.progress_dialog.request_cancel()
    env.settle()
    if shell.message_box is not None:
        yield "sync-cancelled", shell.message_box


@screenshot("conflicts")
def conflict_inbox(env: ShotEnv) -> Iterator[Shot]:
    first = env.connect("staff", store="pc-a")
    second = env.connect("staff", store="pc-b")
    env.run(lambda ctx: make_field_conflicts(first.sync_client, second.sync_client))
    second.notice.changed.emit("sync")
    window = ConflictInboxWindow(second)
    window.resize(1100, 720)
    yield "conflict-inbox", window
