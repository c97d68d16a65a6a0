"""通知公告: the notices for retirees on the desk — the list (草稿 / 已发布 / 已撤回, kind, audience, published
date, WeChat messages), a compose and edit form, publishing and withdrawing after a confirmation, and a preview
of the notice as the retirees' phone page shows it.

Every change goes through ``core.cadre.notices`` (the functions ``renda cadre notice`` uses), in one transaction
of the local store, so it syncs; publishing queues the WeChat messages in the same transaction. A refusal
(``NoticeError``) is shown on the field it names and nothing is saved. Roles: drafting, editing and withdrawing
need ``cadre.record``; publishing also needs ``notify.send`` (it queues messages in the outbox); others see the
list and the preview only.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from apps.cadre.reach_dialog import PersonReachDialog
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.theme import set_role, set_state
from core.auth.roles import P_CADRE_RECORD, P_NOTIFY_SEND
from core.cadre import notices
from core.cadre.notice_models import NOTICE_KINDS

SessionFactory = Callable[[], Session]

LABELS = (
    QT_TRANSLATE_NOOP("CadreNotices", "活动"), QT_TRANSLATE_NOOP("CadreNotices", "讣告"),
    QT_TRANSLATE_NOOP("CadreNotices", "文件"), QT_TRANSLATE_NOOP("CadreNotices", "通知"),
    QT_TRANSLATE_NOOP("CadreNotices", "草稿"), QT_TRANSLATE_NOOP("CadreNotices", "已发布"),
    QT_TRANSLATE_NOOP("CadreNotices", "已撤回"),
)
"""The kinds of ``core.cadre.notice_models.NOTICE_KINDS`` and the states of ``core.cadre.notices.STATE_LABELS``:
stored in Chinese, shown in the current language."""

PHONE_WIDTH = 380
"""The preview's width: about a phone's, like the portal's pages (390 CSS pixels)."""
KIND_COLOURS = {"活动": "#1e7a3c", "讣告": "#1a1a1a", "文件": "#1f4e96", "通知": "#b3261e"}
FIELD_ERROR_STYLE = ("QLineEdit[state=\"error\"], QComboBox[state=\"error\"], "
                     "QPlainTextEdit[state=\"error\"] { border: 2px solid #b00020; }")


def _label(text: str) -> str:
    return QCoreApplication.translate("CadreNotices", text) if text else ""


def local_day(moment: datetime | None) -> str:
    """The day in Beijing time (the day the WeChat message and the portal show), ``YYYY-MM-DD``."""
    return (moment + notices.SHANGHAI_OFFSET).date().isoformat() if moment is not None else ""


def preview_html(kind: str, title: str, body: str, published: str, facts: list[tuple[str, str]]) -> str:
    """The notice as the retirees' phone page shows it: the kind, the title, the date, the facts, the body."""
    colour = KIND_COLOURS.get(kind, "#1f4e96")
    rows = "".join(f"<tr><td style='font-weight:700;padding-right:12px'>{html.escape(k)}</td>"
                   f"<td>{html.escape(v)}</td></tr>" for k, v in facts if v)
    paragraphs = "".join(f"<p style='margin:8px 0'>{html.escape(p)}</p>" for p in body.splitlines() if p.strip())
    when = html.escape(QCoreApplication.translate("CadreNotices", "发布于 {day}").format(day=published)
                       if published else QCoreApplication.translate("CadreNotices", "尚未发布"))
    return (f"<div style='font-size:17pt;line-height:160%'>"
            f"<p><span style='background:{colour};color:#ffffff;font-weight:700'>&nbsp;{html.escape(_label(kind))}&nbsp;"
            f"</span></p>"
            f"<p style='font-size:21pt;font-weight:700;color:#1f4e96'>{html.escape(title) or '&nbsp;'}</p>"
            f"<p style='color:#555555'>{when}</p>"
            f"{'<table>' + rows + '</table>' if rows else ''}{paragraphs}</div>")


def _facts(kind: str, activity: str, held_on: str, place: str, deceased: str, document_ref: str,
           addressee: str) -> list[tuple[str, str]]:
    facts = [(QCoreApplication.translate("CadreNotices", "对象"),
              QCoreApplication.translate("CadreNotices", "只给 {name} 同志").format(name=addressee) if addressee else "")]
    if kind == "活动":
        facts += [(QCoreApplication.translate("CadreNotices", "活动"), activity), (QCoreApplication.translate("CadreNotices", "日期"), held_on),
                  (QCoreApplication.translate("CadreNotices", "地点"), place)]
    elif kind == "讣告":
        facts += [(QCoreApplication.translate("CadreNotices", "逝者"), deceased)]
    elif kind == "文件":
        facts += [(QCoreApplication.translate("CadreNotices", "文号"), document_ref)]
    return facts


class PhonePreview(QTextEdit):
    """A read-only, phone-wide page showing a notice as the retirees see it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticePreview")
        self.setReadOnly(True)
        self.setFixedWidth(PHONE_WIDTH)
        self.setStyleSheet("QTextEdit#noticePreview { background: #ffffff; border: 6px solid #3a3a3a;"
                           " border-radius: 18px; padding: 8px; color: #1a1a1a; }")


# ------------------------------------------------------------------------------------------ the form
class NoticeDialog(QDialog):
    """新建通知 / 修改草稿: kind, title, body, what the notice refers to and its audience, with a live preview.
    确定 saves through ``core.cadre.notices``; a refusal is shown under the field it names, nothing saved."""

    def __init__(self, session_factory: SessionFactory, row: notices.StaffNotice | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreNoticeDialog")
        self.setWindowTitle(self.tr("修改通知草稿") if row is not None else self.tr("新建通知"))
        self._session_factory = session_factory
        self.row = row
        self.saved_id = ""
        with session_factory() as session:
            activities = notices.activity_choices(session)
            deceased = notices.person_choices(session, alive=False)
            living = notices.person_choices(session, alive=True)
            self.activity_facts = {a.activity_id: (a.title, a.held_on.isoformat() if a.held_on else "", a.place)
                                   for a in _activity_rows(session)}
        self.kind = QComboBox()
        for kind in NOTICE_KINDS:
            self.kind.addItem(_label(kind), kind)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("例如：重阳节茶话会通知"))
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(self.body.fontMetrics().lineSpacing() * 7)
        self.activity = self._combo(activities, self.tr("（请选择活动）"))
        self.person = self._combo(deceased, self.tr("（请选择逝者）"))
        self.document_ref = QLineEdit()
        self.document_ref.setPlaceholderText(self.tr("例如：沪人大办〔2026〕21号"))
        self.audience = QComboBox()
        self.audience.addItem(self.tr("全体老同志"), "all")
        self.audience.addItem(self.tr("只给一位老同志"), "one")
        self.addressee = self._combo(living, self.tr("（请选择老同志）"))
        self.widgets: dict[str, QWidget] = {"kind": self.kind, "title": self.title_edit, "body": self.body,
                                            "activity_id": self.activity, "person_id": self.person,
                                            "document_ref": self.document_ref, "addressee_id": self.addressee}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key, label, widget in (("kind", self.tr("类别"), self.kind), ("title", self.tr("标题"), self.title_edit),
                                   ("activity_id", self.tr("活动"), self.activity),
                                   ("person_id", self.tr("逝者"), self.person),
                                   ("document_ref", self.tr("文号"), self.document_ref),
                                   ("audience", self.tr("发给"), self.audience),
                                   ("addressee_id", self.tr("老同志"), self.addressee),
                                   ("body", self.tr("正文"), self.body)):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            if key in self.widgets:
                error = set_role(QLabel(), "error")
                error.setObjectName(f"error_{key}")
                error.setWordWrap(True)
                error.hide()
                box.addWidget(error)
                self.errors[key] = error
            caption = QLabel(self.tr("{label}：").format(label=label))
            form.addRow(caption, holder)
            self.rows[key] = (caption, holder)
        self.message = set_role(QLabel(), "error")
        self.message.setObjectName("noticeDialogError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.recipients = set_role(QLabel(), "hint")
        self.recipients.setWordWrap(True)
        self.preview = PhonePreview()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存草稿"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addLayout(form, 1)
        left.addWidget(self.recipients)
        left.addWidget(self.message)
        right = QVBoxLayout()
        right.addWidget(set_role(QLabel(self.tr("手机上看到的样子")), "subtitle"))
        right.addWidget(self.preview, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.resize(1180, 760)
        if row is not None:
            self._fill(row)
        for signal in (self.kind.currentIndexChanged, self.activity.currentIndexChanged,
                       self.person.currentIndexChanged, self.audience.currentIndexChanged,
                       self.addressee.currentIndexChanged, self.title_edit.textChanged,
                       self.document_ref.textChanged, self.body.textChanged):
            signal.connect(self._changed)
        self._changed()

    @staticmethod
    def _combo(choices: list[tuple[str, str]], empty: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(empty, "")
        for data, shown in choices:
            combo.addItem(shown, data)
        return combo

    def _fill(self, row: notices.StaffNotice) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(row.kind), 0))
        self.title_edit.setText(row.title)
        self.body.setPlainText(row.body)
        self.document_ref.setText(row.document_ref)
        for combo, value in ((self.activity, row.activity_id), (self.person, row.person_id),
                             (self.addressee, row.addressee_id)):
            combo.setCurrentIndex(max(combo.findData(value or ""), 0))
        self.audience.setCurrentIndex(1 if row.addressee_id else 0)

    def values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        return {"kind": kind, "title": self.title_edit.text(), "body": self.body.toPlainText(),
                "activity_id": (self.activity.currentData() or None) if kind == "活动" else None,
                "person_id": (self.person.currentData() or None) if kind == "讣告" else None,
                "document_ref": self.document_ref.text() if kind == "文件" else "",
                "addressee_id": (self.addressee.currentData() or None) if self.audience.currentData() == "one"
                else None}

    def _changed(self, *_: object) -> None:
        kind = self.kind.currentData()
        one = self.audience.currentData() == "one"
        for key, shown in (("activity_id", kind == "活动"), ("person_id", kind == "讣告"),
                           ("document_ref", kind == "文件"), ("addressee_id", one)):
            for widget in self.rows[key]:
                widget.setVisible(shown)
        activity, held_on, place = self.activity_facts.get(self.activity.currentData() or "", ("", "", ""))
        facts = _facts(kind, activity, held_on, place,
                       self.person.currentText() if self.person.currentData() else "", self.document_ref.text(),
                       self.addressee.currentText() if one and self.addressee.currentData() else "")
        self.preview.setHtml(preview_html(kind, self.title_edit.text().strip(), self.body.toPlainText(), "", facts))
        with self._session_factory() as session:
            count = notices.wechat_recipients(session, self.addressee.currentData() or "" if one else None)
        self.recipients.setText(self.tr("发布后，已绑定微信的 {n} 位老同志会收到微信消息。").format(n=count)
                                if not one or self.addressee.currentData() else "")

    def show_refusal(self, refusal: notices.NoticeError) -> None:
        error = self.errors.get(refusal.field)
        if error is None:  # not about one field: said under the form
            self.message.setText(str(refusal))
            self.message.show()
        else:
            error.setText(str(refusal))
            error.show()
            set_state(self.widgets[refusal.field], "error")
            self.widgets[refusal.field].setFocus()

    def clear_refusal(self) -> None:
        self.message.clear()
        self.message.hide()
        for key, error in self.errors.items():
            error.clear()
            error.hide()
            set_state(self.widgets[key], "")

    def submit(self) -> None:
        self.clear_refusal()
        values = self.values()
        try:
            with self._session_factory() as session, session.begin():
                if self.row is None:
                    self.saved_id = notices.draft_notice(session, **values).id
                else:
                    self.saved_id = notices.edit_draft(session, self.row.id, **values).id
        except notices.NoticeError as refusal:
            self.show_refusal(refusal)
            return
        self.accept()


def _activity_rows(session: Session) -> list[Any]:
    from core.cadre.care import activities

    return activities(session)


# ------------------------------------------------------------------------------------------ the page
class NoticesPage(QWidget):
    """The 通知公告 tab: the list with its filter, the actions the role may take, and the phone preview."""

    FILTERS = (("", QT_TRANSLATE_NOOP("NoticesPage", "全部")), (notices.DRAFT, QT_TRANSLATE_NOOP("NoticesPage", "草稿")),
               (notices.PUBLISHED, QT_TRANSLATE_NOOP("NoticesPage", "已发布")),
               (notices.WITHDRAWN, QT_TRANSLATE_NOOP("NoticesPage", "已撤回")))

    def __init__(self, session_factory: SessionFactory, permissions: frozenset[str] | set[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreNotices")
        self._session_factory = session_factory
        self.may_write = P_CADRE_RECORD in permissions
        self.may_publish = self.may_write and P_NOTIFY_SEND in permissions
        self.all_rows: list[notices.StaffNotice] = []
        self.rows: list[notices.StaffNotice] = []
        self.dialog: NoticeDialog | None = None
        self.confirm: QMessageBox | None = None
        self.reach: PersonReachDialog | None = None
        self.state = QComboBox()
        for data, text in self.FILTERS:
            self.state.addItem(QCoreApplication.translate("NoticesPage", text), data)
        self.new_button = QPushButton(self.tr("新建通知…"))
        self.edit_button = QPushButton(self.tr("修改草稿…"))
        self.publish_button = set_role(QPushButton(self.tr("发布…")), "primary")
        self.withdraw_button = QPushButton(self.tr("撤回…"))
        self.new_button.setVisible(self.may_write)
        self.edit_button.setVisible(self.may_write)
        self.publish_button.setVisible(self.may_publish)
        self.withdraw_button.setVisible(self.may_write)
        self.reach_button = QPushButton(self.tr("专属链接与微信…"))
        self.reach_button.setToolTip(self.tr("为老同志生成专属链接、登记或解除微信绑定"))
        self.reach_button.setVisible(self.may_write)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("状态：")))
        bar.addWidget(self.state)
        for button in (self.new_button, self.edit_button, self.publish_button, self.withdraw_button,
                       self.reach_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("状态"), self.tr("类别"), self.tr("标题"), self.tr("发给"),
                                              self.tr("发布日期"), self.tr("微信推送")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        tidy(self.table, stretch=2)
        self.preview = PhonePreview()
        preview_box = QGroupBox(self.tr("手机上看到的样子"))
        QVBoxLayout(preview_box).addWidget(self.preview)
        self.note = set_role(QLabel(self.tr("老同志是否已读没有记录：门户不记录谁打开了通知。")
                                    if self.may_write else
                                    self.tr("您的角色可以查阅通知，不能起草、发布或撤回。")), "hint")
        self.note.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("noticeStatus")
        self.status.setWordWrap(True)
        columns = QHBoxLayout()
        columns.addWidget(self.table, 1)
        columns.addWidget(preview_box)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(columns, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        self.state.currentIndexChanged.connect(self._show)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _i: self.open_editor(self.selected()) if self.may_write else None)
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(lambda: self.open_editor(self.selected()))
        self.publish_button.clicked.connect(self.ask_publish)
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.reach_button.clicked.connect(lambda: self.open_reach())
        self.reload()

    def title(self) -> str:
        return self.tr("通知公告")

    # showing ---------------------------------------------------------------------------------------
    def reload(self, *_: object) -> None:
        keep = self.selected()
        with self._session_factory() as session:
            self.all_rows = notices.staff_notices(session)
        self._show(keep_id=keep.id if keep else "")

    def _show(self, *_: object, keep_id: str = "") -> None:
        wanted = self.state.currentData()
        self.rows = [r for r in self.all_rows if not wanted or r.state == wanted]
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            audience = (self.tr("只给 {name}").format(name=row.addressee_name) if row.addressee_id
                        else self.tr("全体老同志"))
            if row.state == notices.DRAFT:
                pushed = ""
            elif not row.recipients:
                pushed = self.tr("无人绑定微信")
            else:
                pushed = self.tr("已发 {sent} / 共 {n}").format(sent=row.sent, n=row.recipients)
                if row.failed:
                    pushed += self.tr("，失败 {f}").format(f=row.failed)
            cells = [_label(row.state_label), _label(row.kind), row.title, audience, local_day(row.published_at), pushed]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.state == notices.WITHDRAWN:
                    item.setForeground(Qt.GlobalColor.darkGray)
                elif row.state == notices.DRAFT and column == 0:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(n, column, item)
        fit(self.table)
        drafts = sum(1 for r in self.all_rows if r.state == notices.DRAFT)
        published = sum(1 for r in self.all_rows if r.state == notices.PUBLISHED)
        self.count.setText(self.tr("共 {n} 条：草稿 {d} 条，已发布 {p} 条").format(
            n=len(self.all_rows), d=drafts, p=published))
        index = next((n for n, r in enumerate(self.rows) if r.id == keep_id), 0)
        if self.rows:
            self.table.selectRow(index)
        self._selected()

    def selected(self) -> notices.StaffNotice | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _selected(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None and row.state == notices.DRAFT)
        self.publish_button.setEnabled(row is not None and row.state == notices.DRAFT)
        self.withdraw_button.setEnabled(row is not None and row.state == notices.PUBLISHED)
        if row is None:
            self.preview.setHtml(f"<p style='font-size:16pt;color:#555555'>{html.escape(self.tr('没有选中的通知'))}</p>")
            return
        if row.state == notices.WITHDRAWN:
            text = self.tr("这条通知已撤回。老同志打开时看到“这条通知已撤回”，看不到标题和正文。")
            self.preview.setHtml(f"<div style='font-size:17pt'><p style='font-weight:700'>{html.escape(text)}</p>"
                                 f"<hr/></div>" + self._html(row))
            return
        self.preview.setHtml(self._html(row))

    @staticmethod
    def _html(row: notices.StaffNotice) -> str:
        facts = _facts(row.kind, row.activity_title, row.held_on.isoformat() if row.held_on else "", row.place,
                       row.person_name, row.document_ref, row.addressee_name if row.addressee_id else "")
        return preview_html(row.kind, row.title, row.body, local_day(row.published_at), facts)

    def say(self, text: str) -> None:
        self.status.setText(text)

    # changing ---------------------------------------------------------------------------------------
    def open_editor(self, row: notices.StaffNotice | None) -> NoticeDialog | None:
        """新建 (``row`` None) or edit a draft; the dialog is shown and returned (None when not allowed)."""
        if not self.may_write:
            return None
        if row is not None and row.state != notices.DRAFT:
            self.say(self.tr("只有草稿可以修改；已发布的通知请撤回后新建一条。"))
            return None
        self.dialog = NoticeDialog(self._session_factory, row, self)
        self.dialog.accepted.connect(self._saved)
        self.dialog.open()
        return self.dialog

    def open_reach(self, person_id: str = "") -> PersonReachDialog | None:
        """专属链接与微信 for a retiree (the selected notice's addressee first); None when not allowed."""
        if not self.may_write:
            return None
        row = self.selected()
        self.reach = PersonReachDialog(self._session_factory, person_id or (row.addressee_id if row else "") or "",
                                       self)
        self.reach.finished.connect(lambda _r: self.reload())
        self.reach.open()
        return self.reach

    def _saved(self) -> None:
        saved = self.dialog.saved_id if self.dialog is not None else ""
        self.state.setCurrentIndex(0)
        self.reload()
        index = next((n for n, r in enumerate(self.rows) if r.id == saved), -1)
        if index >= 0:
            self.table.selectRow(index)
        self.say(self.tr("已保存草稿。草稿不公开，发布后老同志才看得到。"))

    def _confirm(self, title: str, text: str, yes: str, then: Callable[[], object]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("noticeConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText(yes)
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(then)
        self.confirm = box
        box.open()
        return box

    def ask_publish(self) -> QMessageBox | None:
        row = self.selected()
        if not self.may_publish or row is None or row.state != notices.DRAFT:
            self.say(self.tr("请先在列表中选择一条草稿"))
            return None
        with self._session_factory() as session:
            count = notices.wechat_recipients(session, row.addressee_id)
        who = (self.tr("只有 {name} 同志能在本人页面上看到").format(name=row.addressee_name) if row.addressee_id
               else self.tr("全体老同志都能在手机页面上看到"))
        text = self.tr("发布“{title}”？\n\n发布后{who}，已绑定微信的 {n} 位老同志会收到微信消息。发布后不能修改，"
                       "只能撤回。").format(title=row.title, who=who, n=count)
        return self._confirm(self.tr("发布通知"), text, self.tr("确认发布"), lambda: self.publish(row.id))

    def publish(self, notice_id: str) -> bool:
        try:
            with self._session_factory() as session, session.begin():
                _notice, queued = notices.publish(session, notice_id)
        except notices.NoticeError as refusal:
            self.say(self.tr("没有发布：{why}").format(why=refusal))
            return False
        self.reload()
        self.say(self.tr("已发布；微信消息排队 {n} 条，下次同步后由服务器发出。").format(n=queued))
        return True

    def ask_withdraw(self) -> QMessageBox | None:
        row = self.selected()
        if not self.may_write or row is None or row.state != notices.PUBLISHED:
            self.say(self.tr("请先在列表中选择一条已发布的通知"))
            return None
        text = self.tr("撤回“{title}”？\n\n撤回后老同志打开它只看到“这条通知已撤回”。已经发出的微信消息不能收回。"
                       "撤回后不能再发布，只能新建一条。").format(title=row.title)
        return self._confirm(self.tr("撤回通知"), text, self.tr("确认撤回"), lambda: self.withdraw(row.id))

    def withdraw(self, notice_id: str) -> bool:
        try:
            with self._session_factory() as session, session.begin():
                notices.withdraw(session, notice_id)
        except notices.NoticeError as refusal:
            self.say(self.tr("没有撤回：{why}").format(why=refusal))
            return False
        self.reload()
        self.say(self.tr("已撤回。"))
        return True
