"""专属链接与微信: one retiree's per-person links and WeChat bindings, from the 通知公告 tab.

- **生成专属链接…** makes a link (``core.cadre.notices.create_link``) and shows it once in :class:`LinkShownDialog`
  with a copy button and the note that it is not shown again (only the token's hash is kept); **停用链接** revokes
  the selected one (``revoke_link``).
- **绑定微信** registers the openid typed (``bind_wechat``; a malformed or repeated openid is refused with the
  core's message under the field); **解除绑定** switches the selected binding off (``unbind_wechat``).

Each change is one transaction of the local store, so it syncs. The same functions as ``renda cadre notice link``,
``revoke`` and ``bind``; the 通知公告 tab offers the dialog only to roles that may write ``cad_notice_link`` and
``cad_wechat_binding`` (``cadre.record``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from apps.common.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.theme import set_role
from core.cadre import notices
from core.notifications.wechat import ENV_LINK_BASE

SessionFactory = Callable[[], Session]


def _local_day(moment: datetime) -> str:
    """The day in Beijing time, ``YYYY-MM-DD``."""
    return (moment + notices.SHANGHAI_OFFSET).date().isoformat()


class LinkShownDialog(QDialog):
    """The new link, shown this once, with a copy button."""

    def __init__(self, name: str, address: str, expires: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkShown")
        self.setWindowTitle(self.tr("专属链接（只显示这一次）"))
        self.address = QLineEdit(address)
        self.address.setReadOnly(True)
        self.address.setMinimumWidth(720)
        self.copy_button = QPushButton(self.tr("复制"))
        self.copied = QLabel()
        self.copied.hide()
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.copy_button)
        heading = QLabel(self.tr("{name} 同志的专属链接，有效期至 {day}：").format(name=name, day=expires))
        heading.setWordWrap(True)
        note = QLabel(self.tr("这个链接只显示这一次，关闭后不能再查看（系统只保存它的摘要）。请直接交给本人；"
                              "如果遗失，请停用后重新生成。"))
        note.setObjectName("linkOnceNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #b00020; font-weight: 700;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("我已交给本人，关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(row)
        layout.addWidget(self.copied)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self.copy)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.address.text())
        self.copied.setText(self.tr("已复制到剪贴板。"))
        self.copied.show()


class PersonReachDialog(QDialog):
    """A retiree's links and WeChat bindings, with the actions."""

    def __init__(self, session_factory: SessionFactory, person_id: str = "", parent: QWidget | None = None,
                 portal_base: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personReach")
        self.setWindowTitle(self.tr("专属链接与微信绑定"))
        self._session_factory = session_factory
        self.shown: LinkShownDialog | None = None
        self.links: list[notices.PersonLink] = []
        self.bindings: list[notices.PersonBinding] = []
        with session_factory() as s:
            people = notices.person_choices(s, alive=True)
        self.person = QComboBox()
        for pid, name in people:
            self.person.addItem(name, pid)
        if person_id:
            self.person.setCurrentIndex(max(self.person.findData(person_id), 0))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("老同志：")))
        top.addWidget(self.person, 1)

        link_box = QGroupBox(self.tr("专属链接（老同志不用登录即可查看发给本人的通知）"))
        self.base = QLineEdit(os.environ.get(ENV_LINK_BASE, "") if portal_base is None else portal_base)
        self.base.setPlaceholderText("https://portal.example.gov.cn")
        self.days = QSpinBox()
        self.days.setRange(1, notices.LINK_MAX_DAYS)
        self.days.setValue(notices.LINK_DAYS)
        self.days.setSuffix(self.tr(" 天"))
        form = QFormLayout()
        form.addRow(QLabel(self.tr("门户地址：")), self.base)
        form.addRow(QLabel(self.tr("有效期：")), self.days)
        self.link_table = QTableWidget(0, 2)
        self.link_table.setHorizontalHeaderLabels([self.tr("状态"), self.tr("有效期至")])
        self._table(self.link_table)
        self.make_button = set_role(QPushButton(self.tr("生成专属链接…")), "primary")
        self.revoke_button = QPushButton(self.tr("停用链接"))
        link_buttons = QHBoxLayout()
        link_buttons.addWidget(self.make_button)
        link_buttons.addWidget(self.revoke_button)
        link_buttons.addStretch(1)
        link_layout = QVBoxLayout(link_box)
        link_layout.addLayout(form)
        link_layout.addWidget(self.link_table)
        link_layout.addLayout(link_buttons)

        wechat_box = QGroupBox(self.tr("微信绑定（发布通知时经公众号推送）"))
        self.openid = QLineEdit()
        self.openid.setPlaceholderText(self.tr("老同志关注公众号后的 openid"))
        self.bind_button = QPushButton(self.tr("绑定微信"))
        self.openid_error = QLabel()
        self.openid_error.setObjectName("openidError")
        self.openid_error.setStyleSheet("color: #b00020;")
        self.openid_error.setWordWrap(True)
        self.openid_error.hide()
        bind_row = QHBoxLayout()
        bind_row.addWidget(QLabel("openid："))
        bind_row.addWidget(self.openid, 1)
        bind_row.addWidget(self.bind_button)
        self.binding_table = QTableWidget(0, 2)
        self.binding_table.setHorizontalHeaderLabels([self.tr("状态"), "openid"])
        self._table(self.binding_table)
        self.unbind_button = QPushButton(self.tr("解除绑定"))
        wechat_layout = QVBoxLayout(wechat_box)
        wechat_layout.addLayout(bind_row)
        wechat_layout.addWidget(self.openid_error)
        wechat_layout.addWidget(self.binding_table)
        unbind_row = QHBoxLayout()
        unbind_row.addWidget(self.unbind_button)
        unbind_row.addStretch(1)
        wechat_layout.addLayout(unbind_row)

        self.status = QLabel()
        self.status.setObjectName("reachStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        columns = QHBoxLayout()
        columns.addWidget(link_box, 1)
        columns.addWidget(wechat_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1100, 560)
        self.person.currentIndexChanged.connect(lambda _i: self.reload())
        self.make_button.clicked.connect(self.make_link)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.bind_button.clicked.connect(self.bind)
        self.openid.returnPressed.connect(self.bind)
        self.unbind_button.clicked.connect(self.unbind_selected)
        self.link_table.itemSelectionChanged.connect(self._buttons)
        self.binding_table.itemSelectionChanged.connect(self._buttons)
        self.reload()

    @staticmethod
    def _table(table: QTableWidget) -> None:
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        tidy(table, stretch=1)

    def person_id(self) -> str:
        return str(self.person.currentData() or "")

    def person_name(self) -> str:
        return self.person.currentText()

    def reload(self) -> None:
        pid = self.person_id()
        with self._session_factory() as s:
            self.links = notices.person_links(s, pid) if pid else []
            self.bindings = notices.person_bindings(s, pid) if pid else []
        labels = {"有效": self.tr("有效"), "已停用": self.tr("已停用"), "已过期": self.tr("已过期")}
        self.link_table.setRowCount(len(self.links))
        for n, link in enumerate(self.links):
            self.link_table.setItem(n, 0, QTableWidgetItem(labels[link.state()]))
            self.link_table.setItem(n, 1, QTableWidgetItem(_local_day(link.expires_at)))
        self.binding_table.setRowCount(len(self.bindings))
        for n, binding in enumerate(self.bindings):
            self.binding_table.setItem(n, 0, QTableWidgetItem(self.tr("已绑定") if binding.active else self.tr("已解除")))
            self.binding_table.setItem(n, 1, QTableWidgetItem(binding.openid))
        fit(self.link_table)
        fit(self.binding_table)
        self._buttons()

    def _selected_link(self) -> notices.PersonLink | None:
        row = self.link_table.currentRow()
        return self.links[row] if 0 <= row < len(self.links) and self.link_table.selectedItems() else None

    def _selected_binding(self) -> notices.PersonBinding | None:
        row = self.binding_table.currentRow()
        return self.bindings[row] if 0 <= row < len(self.bindings) and self.binding_table.selectedItems() else None

    def _buttons(self) -> None:
        link, binding = self._selected_link(), self._selected_binding()
        self.make_button.setEnabled(bool(self.person_id()))
        self.bind_button.setEnabled(bool(self.person_id()))
        self.revoke_button.setEnabled(link is not None and link.revoked_at is None)
        self.unbind_button.setEnabled(binding is not None and binding.active)

    # ------------------------------------------------------------------------------ the actions
    def make_link(self) -> LinkShownDialog | None:
        """Make a link and show it once; None when refused (the reason in the status line)."""
        try:
            with self._session_factory() as s, s.begin():
                link, token = notices.create_link(s, self.person_id(), days=self.days.value())
                expires = _local_day(link.expires_at)
        except notices.NoticeError as refusal:
            self.status.setText(self.tr("没有生成：{why}").format(why=refusal))
            return None
        self.reload()
        self.status.setText(self.tr("已生成专属链接，有效期至 {day}。").format(day=expires))
        self.shown = LinkShownDialog(self.person_name(), notices.link_address(self.base.text(), token), expires, self)
        self.shown.open()
        return self.shown

    def revoke_selected(self) -> bool:
        link = self._selected_link()
        if link is None:
            self.status.setText(self.tr("请先选择一个链接"))
            return False
        try:
            with self._session_factory() as s, s.begin():
                notices.revoke_link(s, link.id)
        except notices.NoticeError as refusal:
            self.status.setText(self.tr("没有停用：{why}").format(why=refusal))
            return False
        self.reload()
        self.status.setText(self.tr("已停用这个链接，老同志再打开它会看到链接已失效。"))
        return True

    def bind(self) -> bool:
        self.openid_error.hide()
        try:
            with self._session_factory() as s, s.begin():
                notices.bind_wechat(s, self.person_id(), self.openid.text())
        except notices.NoticeError as refusal:
            self.openid_error.setText(str(refusal))
            self.openid_error.show()
            return False
        self.openid.clear()
        self.reload()
        self.status.setText(self.tr("已绑定微信；此后发布的通知也经微信推送给这位老同志。"))
        return True

    def unbind_selected(self) -> bool:
        binding = self._selected_binding()
        if binding is None:
            self.status.setText(self.tr("请先选择一个微信绑定"))
            return False
        try:
            with self._session_factory() as s, s.begin():
                notices.unbind_wechat(s, binding.id)
        except notices.NoticeError as refusal:
            self.status.setText(self.tr("没有解除：{why}").format(why=refusal))
            return False
        self.reload()
        self.status.setText(self.tr("已解除绑定，这个微信不再收到通知。"))
        return True
