"""文档与照片: a person's documents and photos (``cad_document``), each owning its file in the attachment store.

Images are shown as thumbnails and every file is listed; a double-click opens the viewer (images scaled to
the window, text shown, other files handed to the system's program). Files are read from the local blob
store, or fetched from the server the first time (``SyncClient.open_attachment``, in a background task).
A file that is too large or of a type the store does not take is refused when added
(``core.sync.blobs.check_attachment``), and a file that cannot be read is refused with a message when opened;
neither changes anything.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from apps.cadre.person_edit import RowDialog, field_text, shown
from apps.cadre.person_tabs import confirm_remove
from apps.common.qt import (
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QIcon,
    QImage,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSize,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_CADRE_SENSITIVE
from core.cadre import record
from core.cadre.models import CadDocument
from core.models.registry import Attachment
from core.sync.blobs import AttachmentRefused, check_attachment
from core.sync.permissions import INSERT, UPDATE

if TYPE_CHECKING:
    from apps.cadre.person_page import PersonPage

THUMB = QSize(150, 150)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff")


def attachment_of(session: Session, attachment_id: str | None) -> Attachment | None:
    if not attachment_id:
        return None
    row = session.get(Attachment, attachment_id)
    if row is None or row.deleted:
        return None
    session.expunge(row)
    return row


def image_of(data: bytes) -> QImage | None:
    """The picture in ``data``; None when it is not a readable image."""
    image = QImage()
    return image if image.loadFromData(data) and not image.isNull() else None


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


class AttachmentViewer(QDialog):
    """Shows one file: an image scaled to fit, a text file's text, otherwise its details and 用系统程序打开."""

    def __init__(self, title: str, attachment: Attachment, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreAttachmentViewer")
        self.setWindowTitle(title)
        self.attachment = attachment
        self.data = data
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("文件：{name}（{size}）").format(name=attachment.filename, size=size_text(attachment.size)))
        info.setWordWrap(True)
        layout.addWidget(info)
        self.image = image_of(data) if attachment.mime in IMAGE_TYPES else None
        self.picture: QLabel | None = None
        if self.image is not None:
            self.picture = QLabel()
            self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.picture.setPixmap(QPixmap.fromImage(self.image).scaled(
                QSize(900, 640), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.picture)
            layout.addWidget(scroll, 1)
        elif attachment.mime.startswith("text/"):
            text = QPlainTextEdit(data.decode("utf-8", errors="replace"))
            text.setReadOnly(True)
            layout.addWidget(text, 1)
        else:
            hint = QLabel(self.tr("这类文件（{mime}）由电脑上的程序打开。").format(mime=attachment.mime))
            hint.setWordWrap(True)
            layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.external = QPushButton(self.tr("用系统程序打开"))
        buttons.addButton(self.external, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.external.clicked.connect(self.open_externally)
        layout.addWidget(buttons)
        self.resize(960, 760 if self.image is not None else 520)

    def open_externally(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="renda-cadre-"))
        path = folder / Path(self.attachment.filename).name
        path.write_bytes(self.data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path


class DocumentsTab(QWidget):
    """文档与照片: thumbnails of the images, the list of every file, and the viewer."""

    def __init__(self, page: PersonPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("tab_cad_document")
        permissions = page.permissions
        self.may_add = record.writable("cad_document", permissions, INSERT) and page.store is not None
        self.may_edit = record.writable("cad_document", permissions, UPDATE)
        self.may_photo = record.writable("cad_person", permissions, UPDATE) and page.store is not None
        self.documents: list[CadDocument] = []
        self.files: dict[str, Attachment] = {}  # document id → its attachment
        self.images: dict[str, QImage] = {}  # document id → the picture, once read
        self.viewer: AttachmentViewer | None = None
        self._generation = 0
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("thumbnails")
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setGridSize(QSize(THUMB.width() + 40, THUMB.height() + 56))
        self.thumbs.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setWordWrap(True)
        self.thumbs.setFixedHeight(THUMB.height() + 80)
        self.view = QTableWidget(0, 6)
        self.view.setObjectName("rows_cad_document")
        self.view.setHorizontalHeaderLabels([self.tr("标题"), self.tr("类别"), self.tr("日期"), self.tr("文件"),
                                             self.tr("大小"), self.tr("备注")])
        self.view.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        tidy(self.view, stretch=5)
        self.count = set_role(QLabel(), "hint")
        self.open_button = QPushButton(self.tr("查看"))
        self.add_button = QPushButton(self.tr("添加文件…"))
        self.add_button.setObjectName("add_cad_document")
        self.edit_button = QPushButton(self.tr("修改"))
        self.edit_button.setObjectName("edit_cad_document")
        self.remove_button = QPushButton(self.tr("删除"))
        self.remove_button.setObjectName("remove_cad_document")
        self.photo_button = QPushButton(self.tr("设为照片"))
        self.photo_button.setObjectName("photo_cad_document")
        self.add_button.setVisible(self.may_add)
        self.edit_button.setVisible(self.may_edit)
        self.remove_button.setVisible(self.may_edit)
        self.photo_button.setVisible(self.may_photo)
        self.message = set_role(QLabel(), "error")
        self.message.setObjectName("documentMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.sensitive_note = set_role(QLabel(self.tr(
            "标为敏感的资料（如病历、身份证件扫描件）只发给有敏感信息权限（cadre.sensitive）的人，不在此列出。")), "hint")
        self.sensitive_note.setWordWrap(True)
        self.sensitive_note.setVisible(P_CADRE_SENSITIVE not in permissions)
        bar = QHBoxLayout()
        bar.addWidget(self.count, 1)
        for button in (self.open_button, self.photo_button, self.add_button, self.edit_button, self.remove_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.thumbs)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.sensitive_note)
        layout.addWidget(self.message)
        self.open_button.clicked.connect(lambda: self.open_document(self.current()))
        self.thumbs.itemDoubleClicked.connect(lambda item: self.open_document(self._by_id(item.data(Qt.ItemDataRole.UserRole))))
        self.view.doubleClicked.connect(lambda _i: self.open_document(self.current()))
        self.add_button.clicked.connect(self._ask_file)
        self.edit_button.clicked.connect(lambda: self._edit(self.current()))
        self.remove_button.clicked.connect(lambda: self._remove(self.current()))
        self.photo_button.clicked.connect(lambda: self.set_as_photo(self.current()))

    def title(self) -> str:
        return self.tr("文档与照片")

    # showing ---------------------------------------------------------------------------------------
    def reload(self, session: Session, person_id: str) -> None:
        self._generation += 1
        self.documents = record.person_rows(session, "cad_document", person_id)
        self.files = {}
        for doc in self.documents:
            att = attachment_of(session, doc.attachment_id)
            if att is not None:
                self.files[doc.id] = att
        self.images = {k: v for k, v in self.images.items() if k in self.files}
        self.view.setRowCount(len(self.documents))
        for n, doc in enumerate(self.documents):
            att = self.files.get(doc.id)
            cells = [doc.title + (self.tr("（敏感）") if doc.sensitive else ""), field_text(doc.kind), shown(doc.dated_on),
                     att.filename if att else self.tr("（无文件）"), size_text(att.size) if att else "", doc.note]
            for c, text in enumerate(cells):
                self.view.setItem(n, c, QTableWidgetItem(text))
        fit(self.view)
        pictures = [d for d in self.documents if d.id in self.files and self.files[d.id].mime in IMAGE_TYPES]
        self.count.setText(self.tr("共 {n} 份，其中照片和图片 {m} 张").format(n=len(self.documents), m=len(pictures))
                           if self.documents else self.tr("还没有文档或照片"))
        self.thumbs.clear()
        for doc in pictures:
            item = QListWidgetItem(doc.title)
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setToolTip(self.files[doc.id].filename)
            self.thumbs.addItem(item)
            self._load(doc.id, self.files[doc.id].sha256, self._thumb_ready)
        self.thumbs.setVisible(bool(pictures))
        for button in (self.open_button, self.edit_button, self.remove_button, self.photo_button):
            button.setEnabled(bool(self.documents))
        if self.documents:
            self.view.selectRow(0)

    def _thumb_ready(self, doc_id: str, data: bytes) -> None:
        image = image_of(data)
        if image is None:
            return
        self.images[doc_id] = image
        for n in range(self.thumbs.count()):
            item = self.thumbs.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == doc_id:
                item.setIcon(QIcon(QPixmap.fromImage(image.scaled(
                    THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))))

    def thumbnails_shown(self) -> int:
        return sum(1 for n in range(self.thumbs.count()) if not self.thumbs.item(n).icon().isNull())

    def _load(self, doc_id: str, sha256: str, done: Callable[[str, bytes], None]) -> None:
        """The file's bytes: from the local store at once, else fetched in the background."""
        local = self.page.local_bytes(sha256)
        if local is not None:
            done(doc_id, local)
            return
        fetch = self.page.fetch_attachment
        if fetch is None:
            return
        generation = self._generation

        def work(_ctx: TaskContext) -> bytes:
            return fetch(sha256)

        def ready(data: bytes) -> None:
            if generation == self._generation:
                done(doc_id, data)

        BackgroundTask(work, owner=self, name="cadre-attachment").on_success(ready).on_failure(
            lambda error: self.show_message(self.tr("文件还不能打开：{error}").format(error=error))).start()

    def _by_id(self, doc_id: Any) -> CadDocument | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def current(self) -> CadDocument | None:
        row = self.view.currentRow()
        return self.documents[row] if 0 <= row < len(self.documents) else None

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def open_document(self, doc: CadDocument | None) -> None:
        """Open the viewer on a document's file (a message instead when it has none or cannot be read)."""
        if doc is None:
            return
        att = self.files.get(doc.id)
        if att is None:
            self.show_message(self.tr("“{title}”没有文件。").format(title=doc.title))
            return
        self._load(doc.id, att.sha256, lambda _d, data: self._view(doc, att, data))

    def _view(self, doc: CadDocument, att: Attachment, data: bytes) -> None:
        if att.mime in IMAGE_TYPES and image_of(data) is None:
            self.show_message(self.tr("文件“{name}”无法读取：内容已损坏或不是可显示的图片，没有打开。").format(
                name=att.filename))
            return
        self.show_message("")
        self.viewer = AttachmentViewer(doc.title, att, data, self)
        self.viewer.show()

    # changing ---------------------------------------------------------------------------------------
    def _ask_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择文件"), "",
            self.tr("照片和文档 (*.png *.jpg *.jpeg *.tif *.tiff *.pdf *.docx *.xlsx *.ofd *.txt)"))
        if name:
            dialog = self.add_dialog(Path(name))
            if dialog is not None:
                self.page.run_dialog(dialog)

    def add_dialog(self, path: Path) -> RowDialog | None:
        """The form for adding ``path``; None (with a message) when the file is refused."""
        try:
            data = path.read_bytes()
            mime = check_attachment(data, path.name)
        except AttachmentRefused as refusal:
            self.show_message(self.tr("没有添加：{why}").format(why=refusal))
            return None
        except OSError as error:
            self.show_message(self.tr("没有添加：文件“{name}”无法读取（{error}）").format(
                name=path.name, error=error.strerror or error))
            return None
        if mime in IMAGE_TYPES and image_of(data) is None:
            self.show_message(self.tr("没有添加：文件“{name}”不是可显示的图片（内容已损坏）").format(name=path.name))
            return None
        self.show_message("")
        fields = self._fields()
        values = {"title": path.stem[:120], "kind": "照片" if mime in IMAGE_TYPES else "资料",
                  "dated_on": self.page.today().isoformat()}
        title = self.tr("添加文档或照片——{name}").format(name=self.page.person_name)
        return RowDialog(title, fields, values, lambda v: self.page.write_document(None, v, data, path.name),
                         read_only=self._read_only(), parent=self)

    def _fields(self) -> list[record.Field]:
        return list(record.FORMS["cad_document"])

    def _read_only(self) -> list[str]:
        return [] if P_CADRE_SENSITIVE in self.page.permissions else ["sensitive"]

    def edit_dialog(self, doc: CadDocument) -> RowDialog:
        values = {f.key: getattr(doc, f.key) for f in self._fields()}
        title = self.tr("修改文档或照片——{name}").format(name=self.page.person_name)
        return RowDialog(title, self._fields(), values, lambda v: self.page.write_document(doc.id, v, None, ""),
                         read_only=self._read_only(), parent=self)

    def _edit(self, doc: CadDocument | None) -> None:
        if doc is not None and self.may_edit:
            self.page.run_dialog(self.edit_dialog(doc))

    def _remove(self, doc: CadDocument | None) -> None:
        if doc is not None and self.may_edit and confirm_remove(self, self.tr("文档或照片")):
            self.page.remove_row("cad_document", doc.id)

    def set_as_photo(self, doc: CadDocument | None) -> bool:
        """Make a picture the person's portrait (a copy of the attachment owned by the person's row)."""
        att = self.files.get(doc.id) if doc is not None else None
        if doc is None or att is None or att.mime not in IMAGE_TYPES:
            self.show_message(self.tr("请选择一张照片或图片再设为照片。"))
            return False
        data = self.page.local_bytes(att.sha256)
        if data is None and self.page.fetch_attachment is not None:
            try:
                data = self.page.fetch_attachment(att.sha256)
            except Exception as error:
                self.show_message(self.tr("照片还不能取得：{error}").format(error=error))
                return False
        if data is None:
            self.show_message(self.tr("照片的文件还没有同步到本机。"))
            return False
        self.show_message("")
        return self.page.write_photo(data, att.filename)
