"""The user list of 用户管理: find an account, create one with a first password, change its roles, lock it
out or let it back in, reset its password, sign it out everywhere. Every change asks the server, which checks
the administrator's right and writes the audit log; the list shows the server's answer, never a guess."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.admin.service import Account, RoleChoice, UserAdmin, temporary_password
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask
from apps.common.theme import set_role, set_state


def status_text(account: Account) -> str:
    if not account.active:
        return QCoreApplication.translate("UsersPage", "已停用")
    if account.locked and account.locked_until is not None:
        return QCoreApplication.translate("UsersPage", "已锁定（至 {time}）").format(
            time=account.locked_until.astimezone().strftime("%H:%M"))
    if account.must_change_password:
        return QCoreApplication.translate("UsersPage", "正常（首次登录须改密码）")
    return QCoreApplication.translate("UsersPage", "正常")


def scope_list(text: str) -> list[str]:
    """Extra data scopes typed as one line, separated by commas (either width)."""
    return [s.strip() for s in text.replace("，", ",").split(",") if s.strip()]


class RolesBox(QWidget):
    """One check box per role, in the catalogue's order."""

    def __init__(self, roles: list[RoleChoice], chosen: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for n, role in enumerate(roles):
            box = QCheckBox(role.label_zh)
            box.setObjectName(f"role_{role.name}")
            box.setChecked(role.name in chosen)
            layout.addWidget(box, n // 2, n % 2)
            self.boxes[role.name] = box

    def chosen(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]


class NewUserDialog(QDialog):
    """User name, name, roles, extra data scopes; a first password is made and shown to be handed over."""

    def __init__(self, roles: list[RoleChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建用户"))
        self.setMinimumWidth(620)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("登录用的名字，如 zhangsan"))
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("姓名，如 张三"))
        self.roles = RolesBox(roles)
        self.scopes = QLineEdit()
        self.scopes.setPlaceholderText(self.tr("专委会委员联系的领域，如 committee:教科文卫"))
        self.scopes.setToolTip(self.tr("专门委员会委员填写联系的领域，如 committee:教科文卫；多个用逗号隔开"))
        self.password = QLineEdit(temporary_password())
        self.password.setReadOnly(True)
        self.password.setObjectName("firstPassword")
        note = set_role(QLabel(self.tr("请把初始密码当面交给用户；首次登录时须改为自己的密码。")), "hint")
        note.setWordWrap(True)
        self.error = set_role(QLabel(), "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.roles)
        form.addRow(self.tr("额外数据范围"), self.scopes)
        form.addRow(self.tr("初始密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("创建"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def scope_list(self) -> list[str]:
        return scope_list(self.scopes.text())

    def _check(self) -> None:
        problem = ""
        if len(self.username.text().strip()) < 2:
            problem = self.tr("用户名至少 2 个字符。")
        elif not self.display_name.text().strip():
            problem = self.tr("请填写姓名。")
        elif not self.roles.chosen():
            problem = self.tr("请至少选择一个角色。")
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()


class RolesDialog(QDialog):
    def __init__(self, account: Account, roles: list[RoleChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改角色 — {name}").format(name=account.display_name))
        self.setMinimumWidth(620)
        self.roles = RolesBox(roles, account.roles)
        self.scopes = QLineEdit(", ".join(account.scopes))
        self.scopes.setPlaceholderText(self.tr("如 committee:教科文卫；多个用逗号隔开"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("角色"), self.roles)
        form.addRow(self.tr("额外数据范围"), self.scopes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def scope_list(self) -> list[str]:
        return scope_list(self.scopes.text())


class UsersPage(QWidget):
    """The accounts on the server, and what an administrator may do to them."""

    COLUMNS = (QT_TRANSLATE_NOOP("UsersPage", "用户名"), QT_TRANSLATE_NOOP("UsersPage", "姓名"),
               QT_TRANSLATE_NOOP("UsersPage", "角色"), QT_TRANSLATE_NOOP("UsersPage", "状态"),
               QT_TRANSLATE_NOOP("UsersPage", "额外数据范围"))
    loaded = Signal()
    changed = Signal()

    def __init__(self, admin: UserAdmin, confirm: Callable[[str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UsersPage")
        self.admin = admin
        self.confirm = confirm or self._ask
        self.accounts: list[Account] = []
        self.role_choices: list[RoleChoice] = []
        self.dialog: QDialog | None = None
        self._notice = ""
        """What the last change did, said again above the refreshed list."""
        self._tasks: list[BackgroundTask[Any]] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按用户名或姓名查找"))
        self.search.textChanged.connect(lambda _text: self._fill())
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("UsersPage", c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.feedback = QLabel()
        self.feedback.setObjectName("usersFeedback")
        self.feedback.setWordWrap(True)
        self.new_button = set_role(QPushButton(self.tr("新建用户…")), "primary")
        self.roles_button = QPushButton(self.tr("修改角色…"))
        self.active_button = QPushButton(self.tr("停用"))
        self.unlock_button = QPushButton(self.tr("解除锁定"))
        self.password_button = QPushButton(self.tr("重设密码…"))
        self.revoke_button = QPushButton(self.tr("强制下线"))
        self.revoke_button.setToolTip(self.tr("让该用户在所有电脑上重新登录"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.new_button.clicked.connect(self.new_user)
        self.roles_button.clicked.connect(self.edit_roles)
        self.active_button.clicked.connect(self.toggle_active)
        self.unlock_button.clicked.connect(self.unlock)
        self.password_button.clicked.connect(self.reset_password)
        self.revoke_button.clicked.connect(self.revoke)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.roles_button, self.active_button, self.unlock_button,
                  self.password_button, self.revoke_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        self._selection_changed()
        self.refresh()

    # ------------------------------------------------------------------ reading
    def refresh(self) -> None:
        self._run(lambda: (self.admin.accounts(), self.admin.roles()), self._loaded, self.tr("正在读取用户…"))

    def _loaded(self, result: tuple[list[Account], list[RoleChoice]]) -> None:
        self.accounts, self.role_choices = result
        self._fill()
        count = self.tr("共 {n} 个用户。").format(n=len(self.accounts))
        notice, self._notice = self._notice, ""
        self.feedback.setText(f"{notice} {count}" if notice else count)
        self.loaded.emit()

    def _role_label(self, name: str) -> str:
        return next((r.label_zh for r in self.role_choices if r.name == name), name)

    def visible_accounts(self) -> list[Account]:
        needle = self.search.text().strip().lower()
        return [a for a in self.accounts if not needle or needle in a.username.lower() or needle in a.display_name]

    def _fill(self) -> None:
        chosen = self.current()
        rows = self.visible_accounts()
        self.table.setRowCount(len(rows))
        for r, account in enumerate(rows):
            values = (account.username, account.display_name, "、".join(self._role_label(n) for n in account.roles),
                      status_text(account), "、".join(account.scopes))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                item.setData(Qt.ItemDataRole.UserRole, account.user_id)
                self.table.setItem(r, c, item)
            if chosen is not None and account.user_id == chosen.user_id:
                self.table.selectRow(r)
        self._selection_changed()

    def current(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        user_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((a for a in self.accounts if a.user_id == user_id), None)

    def select(self, username: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == username:
                self.table.selectRow(r)
                return

    def _selection_changed(self) -> None:
        account = self.current()
        for b in (self.roles_button, self.active_button, self.password_button, self.revoke_button):
            b.setEnabled(account is not None)
        self.unlock_button.setEnabled(account is not None and account.locked)
        self.active_button.setText(self.tr("启用") if account is not None and not account.active else self.tr("停用"))

    # ------------------------------------------------------------------ changes
    def new_user(self) -> None:
        dialog = NewUserDialog(self.role_choices, self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._create(dialog))
        dialog.open()

    def _create(self, dialog: NewUserDialog) -> None:
        username, name = dialog.username.text().strip(), dialog.display_name.text().strip()
        password, roles, scopes = dialog.password.text(), dialog.roles.chosen(), dialog.scope_list()
        self._change(lambda: self.admin.create(username, name, password, roles, scopes),
                     self.tr("已创建用户 {user}，初始密码：{password}（请当面交给本人）").format(
                         user=username, password=password), select=username)

    def edit_roles(self) -> None:
        account = self.current()
        if account is None:
            return
        dialog = RolesDialog(account, self.role_choices, self)
        self.dialog = dialog

        def save() -> None:
            roles, scopes = dialog.roles.chosen(), dialog.scope_list()

            def work() -> Account:
                self.admin.set_roles(account.user_id, roles)
                return self.admin.set_scopes(account.user_id, scopes)

            self._change(work, self.tr("已修改 {user} 的角色。").format(user=account.username),
                         select=account.username)

        dialog.accepted.connect(save)
        dialog.open()

    def toggle_active(self) -> None:
        account = self.current()
        if account is None:
            return
        if account.active and not self.confirm(
                self.tr("停用 {name}（{user}）后，他将不能登录，已登录的电脑也会退出。确定停用吗？").format(
                    name=account.display_name, user=account.username)):
            return
        done = self.tr("已启用 {user}。") if not account.active else self.tr("已停用 {user}。")
        self._change(lambda: self.admin.set_active(account.user_id, not account.active),
                     done.format(user=account.username), select=account.username)

    def unlock(self) -> None:
        account = self.current()
        if account is not None:
            self._change(lambda: self.admin.unlock(account.user_id),
                         self.tr("已解除 {user} 的登录锁定。").format(user=account.username), select=account.username)

    def reset_password(self) -> None:
        account = self.current()
        if account is None or not self.confirm(self.tr("为 {name}（{user}）设置新的初始密码？他须在下次登录时修改。").format(
                name=account.display_name, user=account.username)):
            return
        password = temporary_password()
        self._change(lambda: self.admin.reset_password(account.user_id, password),
                     self.tr("{user} 的新初始密码：{password}（请当面交给本人）").format(
                         user=account.username, password=password), select=account.username)

    def revoke(self) -> None:
        account = self.current()
        if account is None or not self.confirm(self.tr("让 {user} 在所有电脑上退出登录？").format(user=account.username)):
            return
        self._change(lambda: self.admin.revoke_tokens(account.user_id),
                     self.tr("{user} 已在所有电脑上退出登录。").format(user=account.username), select=account.username)

    # ------------------------------------------------------------------ plumbing
    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("请确认"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _change(self, work: Callable[[], Any], done: str, select: str = "") -> None:
        def finished(_result: Any) -> None:
            self._notice = done
            set_state(self.feedback, "ok")
            self.changed.emit()

            def reselect() -> None:
                if select:
                    self.select(select)

            self.loaded.connect(reselect, Qt.ConnectionType.SingleShotConnection)
            self.refresh()

        self._run(work, finished, self.tr("正在保存…"))

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], busy: str) -> None:
        self.feedback.setText(busy)
        task: BackgroundTask[Any] = BackgroundTask(lambda _ctx: work(), owner=self, name="user-admin")
        task.on_success(done)
        task.on_failure(self._failed)
        task.on_finished(lambda: self._tasks.remove(task) if task in self._tasks else None)
        self._tasks.append(task)
        task.start()

    def _failed(self, error: BaseException) -> None:
        self._notice = ""
        self.feedback.setText(self.tr("未完成：{error}").format(error=error))
        set_state(self.feedback, "error")

    def busy(self) -> bool:
        return any(t.is_running for t in self._tasks)
