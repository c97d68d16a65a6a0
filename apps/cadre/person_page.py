"""One person's page on tabs: 基本信息 (with the portrait), 兴趣特长, 生平, 家庭成员, 住院记录, 人员类别, 获奖,
其他登记 and 文档与照片.

The page shows the record as the local store holds it. The sync server masks the ID number for roles without
``cadre.sensitive`` and the phones and address for roles without ``pii.contact``, and sends the sensitive part
(family, hospital stays, sensitive documents and fields) only to roles with ``cadre.sensitive``; so a reader's
page shows masked values and notes where the sensitive part is, and no clear value reaches their computer.

Editing is offered only where the role's permissions may write the table under the sync server's rules
(``core.cadre.record.writable``): 修改基本信息 and 新增 / 修改 / 删除 on the sub-tabs. Every form is validated
by ``core.cadre.record`` (a Chinese message naming the field; nothing saved on refusal) and saved through the
local store, so it syncs.

Construction::

    PersonPage(session_factory, *, permissions=frozenset(), store=None, fetch_attachment=None,
               today=date.today, parent=None)

- ``permissions``: the signed-in user's (none: read-only);
- ``store``: the local store, for adding files to the attachment store (none: files cannot be added);
- ``fetch_attachment``: fetches a file that is not yet on this computer (``SyncClient.open_attachment``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from apps.cadre import data
from apps.cadre.attachments_view import IMAGE_TYPES, DocumentsTab, attachment_of, image_of
from apps.cadre.person_edit import RowDialog, field_text
from apps.cadre.person_tabs import FieldsTab, RowsTab
from apps.common.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPixmap,
    QPushButton,
    QScrollArea,
    QSize,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_CADRE_SENSITIVE, P_PII_CONTACT
from core.cadre import record
from core.cadre.models import STAGE_LABELS, CadDocument, CadFieldDef, CadPerson
from core.sync.blobs import AttachmentRefused
from core.sync.client import LocalStore
from core.sync.permissions import UPDATE

PHOTO = QSize(180, 240)
"""The portrait's frame (a 3:4 ID photo)."""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class PersonPage(QWidget):
    back = Signal()
    changed = Signal(str)
    """The id of the person whose record was just saved."""

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None, *,
                 permissions: frozenset[str] | set[str] = frozenset(), store: LocalStore | None = None,
                 fetch_attachment: Callable[[str], bytes] | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("CadrePerson")
        self.session_factory = session_factory
        self._session_factory = session_factory
        self.permissions = frozenset(permissions)
        self.store = store
        self.fetch_attachment = fetch_attachment
        self.today = today
        self.person_id = ""
        self.person_name = ""
        self.person: CadPerson | None = None
        self.may_edit = record.writable("cad_person", self.permissions, UPDATE)
        self.dialog: RowDialog | None = None
        self._photo_generation = 0
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.back_button = QPushButton(self.tr("返回名册"))
        self.back_button.clicked.connect(self.back)
        self.edit_button = set_role(QPushButton(self.tr("修改基本信息")), "primary")
        self.edit_button.setObjectName("edit_cad_person")
        self.edit_button.setVisible(self.may_edit)
        self.edit_button.clicked.connect(lambda: self.run_dialog(self.person_dialog()))
        self.read_only_note = set_role(QLabel(self.tr("只读：您的角色可以查看，不能修改老干部信息。")), "hint")
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setVisible(not self.may_edit)
        self.status = set_role(QLabel(), "notice")
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        self.status.hide()
        self.tabs = QTabWidget()
        self.basic = self._basic_tab()
        self.tabs.addTab(self.basic, self.tr("基本信息"))
        self.row_tabs: dict[str, RowsTab] = {}
        for table in ("cad_interest", "cad_life_event", "cad_family", "cad_hospital_stay", "cad_person_category",
                      "cad_award"):
            tab = RowsTab(self, table)
            self.row_tabs[table] = tab
            self.tabs.addTab(tab, tab.title())
        self.fields_tab = FieldsTab(self)
        self.tabs.addTab(self.fields_tab, self.fields_tab.title())
        self.documents = DocumentsTab(self)
        self.tabs.addTab(self.documents, self.documents.title())
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        top.addWidget(self.read_only_note)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)

    # the basic information ---------------------------------------------------------------------------
    def _basic_tab(self) -> QWidget:
        tab = QWidget()
        tab.setObjectName("tab_basic")
        self.photo = QLabel()
        self.photo.setObjectName("photoLabel")
        self.photo.setFixedSize(PHOTO)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo.setWordWrap(True)
        self.fields: dict[str, QLabel] = {}
        form = QWidget()
        self.form = QGridLayout(form)
        self.form.setHorizontalSpacing(16)
        labels = self._labels()
        half = (len(labels) + 1) // 2
        for n, (key, label) in enumerate(labels):
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            caption = QLabel(self.tr("{label}：").format(label=label))
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            column = 0 if n < half else 2
            self.form.addWidget(caption, n % half, column)
            self.form.addWidget(value, n % half, column + 1)
        self.form.setColumnStretch(1, 1)
        self.form.setColumnStretch(3, 1)
        self.masked_note = set_role(QLabel(), "hint")
        self.masked_note.setObjectName("maskedNote")
        self.masked_note.setWordWrap(True)
        self.masked_note.hide()
        side = QVBoxLayout()
        side.addWidget(self.photo)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(side)
        body.addWidget(form, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(body)
        inner_layout.addWidget(self.masked_note)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return tab

    def _labels(self) -> list[tuple[str, str]]:
        return [("name", self.tr("姓名")), ("gender", self.tr("性别")), ("ethnicity", self.tr("民族")),
                ("birth_date", self.tr("出生日期")), ("native_place", self.tr("籍贯")),
                ("id_number", self.tr("身份证号")), ("party", self.tr("政治面貌")),
                ("party_date", self.tr("入党时间")), ("work_start_date", self.tr("参加工作时间")),
                ("stage", self.tr("状态")), ("retirement_kind", self.tr("离退休类别")),
                ("retired_on", self.tr("离退休时间")), ("retirement_due_on", self.tr("法定退休日期")),
                ("treatment_level", self.tr("待遇级别")), ("former_unit", self.tr("原单位")),
                ("former_post", self.tr("原职务")), ("address", self.tr("住址")), ("postcode", self.tr("邮政编码")),
                ("phone_mobile", self.tr("手机")), ("phone_home", self.tr("住宅电话")),
                ("died_on", self.tr("去世日期")), ("note", self.tr("备注"))]

    def show_person(self, person_id: str) -> bool:
        with self._session_factory() as session:
            row = data.person(session, person_id)
            if row is None:
                return False
            photo = attachment_of(session, row.photo_attachment_id)
            self.person_id = person_id
            self.person = row
            self.person_name = row.name
            self.heading.setText(row.name if row.alive else self.tr("{name}（已故）").format(name=row.name))
            for key, text in self._values(row).items():
                self.fields[key].setText(text)
            self._show_masked(row)
            self._show_photo(photo.sha256 if photo is not None and photo.mime in IMAGE_TYPES else None)
            for tab in self.row_tabs.values():
                tab.reload(session, person_id)
            self.fields_tab.reload(session, person_id)
            self.documents.reload(session, person_id)
        return True

    def _values(self, p: CadPerson) -> dict[str, str]:
        return {"name": p.name, "gender": field_text(p.gender), "ethnicity": p.ethnicity,
                "birth_date": _day(p.birth_date) + (self.tr("（按农历过生日）") if p.birthday_lunar else ""),
                "native_place": p.native_place, "id_number": p.id_number or "", "party": p.party,
                "party_date": _day(p.party_date), "work_start_date": _day(p.work_start_date),
                "stage": field_text(STAGE_LABELS.get(p.stage, p.stage)), "retirement_kind": field_text(p.retirement_kind),
                "retired_on": _day(p.retired_on), "retirement_due_on": _day(p.retirement_due_on),
                "treatment_level": p.treatment_level, "former_unit": p.former_unit,
                "former_post": p.former_post, "address": p.address or "", "postcode": p.postcode,
                "phone_mobile": p.phone_mobile or "", "phone_home": p.phone_home or "", "died_on": _day(p.died_on),
                "note": p.note}

    def _show_masked(self, p: CadPerson) -> None:
        notes = []
        if "*" in (p.id_number or "") or (P_CADRE_SENSITIVE not in self.permissions and p.id_number):
            notes.append(self.tr("身份证号已遮盖：您的角色没有敏感信息权限（cadre.sensitive）。"))
        if any("*" in (v or "") for v in (p.phone_mobile, p.phone_home, p.address)) or \
                (P_PII_CONTACT not in self.permissions and (p.phone_mobile or p.address)):
            notes.append(self.tr("电话和住址已遮盖：您的角色没有查看联系方式的权限（pii.contact）。"))
        self.masked_note.setText("\n".join(notes))
        self.masked_note.setVisible(bool(notes))

    def _show_photo(self, sha256: str | None) -> None:
        """The portrait: from the local store at once, else fetched in the background."""
        self._photo_generation += 1
        self.photo.setPixmap(QPixmap())
        self.photo.setText(self.tr("未上传照片"))
        if sha256 is None:
            return
        raw = self.local_bytes(sha256)
        if raw is not None:
            self._photo_ready(raw)
            return
        self.photo.setText(self.tr("照片尚未同步到本机"))
        fetch = self.fetch_attachment
        if fetch is None:
            return
        generation = self._photo_generation

        def work(_ctx: TaskContext) -> bytes:
            return fetch(sha256)

        def ready(raw: bytes) -> None:
            if generation == self._photo_generation:
                self._photo_ready(raw)

        BackgroundTask(work, owner=self, name="cadre-photo").on_success(ready).start()

    def _photo_ready(self, raw: bytes) -> None:
        image = image_of(raw)
        if image is None:
            self.photo.setText(self.tr("照片无法读取"))
            return
        self.photo.setPixmap(QPixmap.fromImage(image).scaled(
            PHOTO, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def has_photo(self) -> bool:
        pixmap = self.photo.pixmap()
        return pixmap is not None and not pixmap.isNull()

    def local_bytes(self, sha256: str) -> bytes | None:
        if self.store is None or not self.store.blobs.has(sha256):
            return None
        try:
            return self.store.blobs.get(sha256)
        except AttachmentRefused:
            return None

    # editing ---------------------------------------------------------------------------------------
    def person_dialog(self) -> RowDialog:
        """The form of the basic information, filled with what the record holds."""
        person = self.person
        values: dict[str, Any] = {f.key: getattr(person, f.key) for f in record.PERSON_FIELDS} if person else {}
        masked = [key for key in ("id_number", "phone_mobile", "phone_home", "address")
                  if "*" in str(values.get(key) or "")]
        labels = {"stage": {key: field_text(text) for key, text in STAGE_LABELS.items()}}
        return RowDialog(self.tr("修改基本信息——{name}").format(name=self.person_name), record.PERSON_FIELDS, values,
                         self.write_person, labels=labels, read_only=masked, parent=self)

    def run_dialog(self, dialog: RowDialog) -> None:
        """Show an edit form (modeless, so the page stays responsive); the page reloads once it saved."""
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _write(self, fn: Callable[[Session], object]) -> object:
        try:
            with self._session_factory() as session, session.begin():
                result = fn(session)
        except OperationalError:
            raise record.RecordRefused([self.tr("本机数据库正忙，没有保存，请再点一次“保存”。")]) from None
        except PermissionError as refusal:  # the local store refuses a protected field for this role
            raise record.RecordRefused([self.tr("没有保存：{why}").format(why=refusal)]) from None
        self._saved()
        return result

    def _saved(self) -> None:
        person_id = self.person_id
        self.show_person(person_id)
        self.status.setText(self.tr("已保存到本机，将在下次同步时上传。"))
        self.status.show()
        self.changed.emit(person_id)

    def write_person(self, values: dict[str, Any]) -> object:
        return self._write(lambda s: record.save_person(s, self.person_id, values, self.today()))

    def write_row(self, table: str, row_id: str | None, values: dict[str, Any]) -> object:
        return self._write(lambda s: record.save_row(s, table, self.person_id, row_id, values, self.today()))

    def write_field(self, definition: CadFieldDef, text: str) -> object:
        return self._write(lambda s: record.save_field_value(s, self.person_id, definition, text, self.today()))

    def write_document(self, doc_id: str | None, values: dict[str, Any], data: bytes | None,
                       filename: str) -> object:
        def save(session: Session) -> CadDocument:
            doc: CadDocument = record.save_row(session, "cad_document", self.person_id, doc_id, values,
                                               self.today())
            if data is not None and self.store is not None:
                try:
                    attachment = self.store.attach(session, doc, data, filename)
                except AttachmentRefused as refusal:
                    raise record.RecordRefused([self.tr("文件：{why}").format(why=refusal)]) from None
                session.flush()
                doc.attachment_id = attachment.id
            return doc

        return self._write(save)

    def write_photo(self, data: bytes, filename: str) -> bool:
        if self.store is None:
            return False
        store = self.store

        def save(session: Session) -> None:
            person = session.get(CadPerson, self.person_id)
            if person is None:
                raise record.RecordRefused([self.tr("这位人员已不在名册中，没有保存")])
            attachment = store.attach(session, person, data, filename)
            session.flush()
            person.photo_attachment_id = attachment.id

        try:
            self._write(save)
        except (record.RecordRefused, AttachmentRefused) as refusal:
            self.documents.show_message(str(refusal))
            return False
        return True

    def remove_row(self, table: str, row_id: str) -> None:
        try:
            self._write(lambda s: record.remove_row(s, table, row_id))
        except record.RecordRefused as refusal:
            self.status.setText(str(refusal))
            self.status.show()
