"""活动照片: the photos of the activity selected on 工作管理 → 活动, as thumbnails; a double-click (or 查看照片)
opens the same viewer as a person's documents (``apps.cadre.attachments_view.AttachmentViewer``).

The pictures are read from the local blob store at once, or fetched from the server the first time
(``SyncClient.open_attachment``) in a background task; a picture that cannot be read is refused with a
message when opened, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from apps.cadre.attachments_view import THUMB, AttachmentViewer, image_of
from apps.common.qt import (
    QHBoxLayout,
    QIcon,
    QImage,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.tasks import BackgroundTask, TaskContext
from apps.common.theme import set_role
from core.models.registry import Attachment

LocalBytes = Callable[[str], bytes | None]
Fetch = Callable[[str], bytes]


class PhotoStrip(QWidget):
    """Thumbnails of some photos (attachment rows), with the viewer."""

    def __init__(self, local: LocalBytes, fetch: Fetch | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreActivityPhotos")
        self._local = local
        self._fetch = fetch
        self._generation = 0
        self.title = ""
        self.photos: list[Attachment] = []
        self.images: dict[str, QImage] = {}
        self.viewer: AttachmentViewer | None = None
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("activityThumbnails")
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setGridSize(QSize(THUMB.width() + 40, THUMB.height() + 56))
        self.thumbs.setFlow(QListView.Flow.LeftToRight)
        self.thumbs.setWrapping(False)  # one row, scrolled sideways: no picture is cut in half
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setWordWrap(True)
        self.thumbs.setFixedHeight(THUMB.height() + 80)
        self.empty = set_role(QLabel(), "hint")
        self.empty.setWordWrap(True)
        self.open_button = QPushButton(self.tr("查看照片"))
        self.message = set_role(QLabel(), "error")
        self.message.setObjectName("photoMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        side = QVBoxLayout()
        side.addWidget(self.open_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.thumbs, 1)
        row.addWidget(self.empty, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.thumbs.itemDoubleClicked.connect(lambda item: self.open_photo(self.thumbs.row(item)))
        self.open_button.clicked.connect(lambda: self.open_photo(max(self.thumbs.currentRow(), 0)))
        self.show_photos([], "")

    def show_photos(self, photos: list[Attachment], title: str) -> None:
        self._generation += 1
        self.title = title
        self.photos = list(photos)
        self.images = {}
        self.show_message("")
        self.thumbs.clear()
        for photo in self.photos:
            item = QListWidgetItem(photo.filename)
            item.setData(Qt.ItemDataRole.UserRole, photo.id)
            item.setToolTip(photo.filename)
            self.thumbs.addItem(item)
            self._load(photo, self._thumb_ready)
        self.thumbs.setVisible(bool(self.photos))
        self.empty.setVisible(not self.photos)
        self.empty.setText(self.tr("这项活动还没有照片。") if title else self.tr("请在上面的列表中选择一项活动。"))
        self.open_button.setEnabled(bool(self.photos))
        if self.photos:
            self.thumbs.setCurrentRow(0)

    def thumbnails_shown(self) -> int:
        return sum(1 for n in range(self.thumbs.count()) if not self.thumbs.item(n).icon().isNull())

    def _thumb_ready(self, photo: Attachment, data: bytes) -> None:
        image = image_of(data)
        if image is None:
            return
        self.images[photo.id] = image
        for n in range(self.thumbs.count()):
            item = self.thumbs.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == photo.id:
                item.setIcon(QIcon(QPixmap.fromImage(image.scaled(
                    THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))))

    def _load(self, photo: Attachment, done: Callable[[Attachment, bytes], None]) -> None:
        """The picture's bytes: from the local store at once, else fetched in the background."""
        local = self._local(photo.sha256)
        if local is not None:
            done(photo, local)
            return
        fetch = self._fetch
        if fetch is None:
            return
        generation = self._generation

        def work(_ctx: TaskContext) -> bytes:
            return fetch(photo.sha256)

        def ready(data: bytes) -> None:
            if generation == self._generation:
                done(photo, data)

        BackgroundTask(work, owner=self, name="cadre-activity-photo").on_success(ready).on_failure(
            lambda error: self.show_message(self.tr("照片还不能打开：{error}").format(error=error))).start()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def open_photo(self, index: int) -> None:
        """Open the viewer on the ``index``-th photo (a message instead when it cannot be read)."""
        if not 0 <= index < len(self.photos):
            return
        self._load(self.photos[index], self._view)

    def _view(self, photo: Attachment, data: bytes) -> None:
        if image_of(data) is None:
            self.show_message(self.tr("照片“{name}”无法读取：内容已损坏或不是可显示的图片，没有打开。").format(
                name=photo.filename))
            return
        self.show_message("")
        self.viewer = AttachmentViewer(self.tr("{title}——{name}").format(title=self.title, name=photo.filename),
                                       photo, data, self)
        self.viewer.show()
