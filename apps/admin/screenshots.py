"""Screenshots of 用户管理: the user list and the new-user dialog."""

from __future__ import annotations

from collections.abc import Iterator

from apps.admin.service import UserAdmin
from apps.admin.users import NewUserDialog
from apps.admin.window import create_window
from apps.common.screenshots import Shot, ShotEnv, screenshot


@screenshot("admin")
def user_admin(env: ShotEnv) -> Iterator[Shot]:
    context = env.connect("admin")
    window = create_window(context)
    window.resize(1100, 720)
    yield "admin-users", window
    admin = UserAdmin(context.remote.transport)  # type: ignore[arg-type]
    dialog = NewUserDialog(admin.roles())
    dialog.username.setText("wangfang")
    dialog.display_name.setText("王芳")
    dialog.roles.boxes["deputy"].setChecked(True)
    yield "admin-new-user", dialog
