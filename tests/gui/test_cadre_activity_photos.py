"""活动照片 on 工作管理 → 活动: thumbnails of the selected activity's photos, the viewer, adding photos with the
attachment store's limits refused in Chinese (nothing saved), photos fetched from the server when not local,
and the reader seeing the photos without the add button."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.care_page import ActivitySection, CarePage
from apps.common.qt import QImage
from core.auth.roles import ROLES_BY_NAME
from core.cadre.models import CadActivity
from core.db import make_engine, migrate
from core.models.registry import Attachment
from core.sync.client import LocalStore

CLERK = frozenset(ROLES_BY_NAME["cadre_clerk"].permissions)
READER = frozenset(ROLES_BY_NAME["cadre_reader"].permissions)
TODAY = date(2026, 12, 5)


def _png(path: Path, colour: int, size: tuple[int, int] = (64, 48)) -> bytes:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(colour)
    assert image.save(str(path))
    return path.read_bytes()


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        held = CadActivity(id="a-held", title="重阳登高", held_on=date(2026, 10, 29), place="佘山", state="done")
        coming = CadActivity(id="a-coming", title="迎春茶话会", held_on=date(2027, 1, 20), place="机关礼堂")
        s.add_all([held, coming])
        s.flush()
        for n, colour in enumerate((0x3366AA, 0xC07828)):
            store.attach(s, held, _png(tmp_path / f"合影{n + 1}.png", colour), f"合影{n + 1}.png")
    return store


def _page(qtbot: QtBot, store: LocalStore, permissions: frozenset[str], **kw: object) -> CarePage:
    page = CarePage(store.session, permissions, "cadre", today=lambda: TODAY, store=store, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.setCurrentWidget(page.activities)
    return page


def _select(section: ActivitySection, title: str) -> None:
    row = next(n for n, r in enumerate(section.rows) if r.title == title)
    section.table.selectRow(row)


def _photos(store: LocalStore) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Attachment)) or 0)


def test_the_selected_activity_shows_its_photos_and_opens_the_viewer(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store, CLERK)
    acts = page.activities
    _select(acts, "重阳登高")
    strip = acts.photos
    assert [p.filename for p in strip.photos] == ["合影1.png", "合影2.png"] and strip.thumbnails_shown() == 2
    assert acts.photos_box.title() == "活动照片：重阳登高（2 张）"
    strip.thumbs.itemDoubleClicked.emit(strip.thumbs.item(1))
    viewer = strip.viewer
    assert viewer is not None and viewer.isVisible() and viewer.windowTitle() == "重阳登高——合影2.png"
    assert viewer.image is not None and viewer.image.pixelColor(0, 0).name() == "#c07828"
    viewer.close()
    _select(acts, "迎春茶话会")
    assert strip.photos == [] and not strip.open_button.isEnabled() and strip.empty.text() == "这项活动还没有照片。"


def test_adding_photos_keeps_pictures_and_refuses_the_rest_in_chinese(qtbot: QtBot, store: LocalStore,
                                                                       tmp_path: Path) -> None:
    page = _page(qtbot, store, CLERK)
    acts = page.activities
    _select(acts, "迎春茶话会")
    good = tmp_path / "茶话会.png"
    _png(good, 0x228B22)
    huge = tmp_path / "太大.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(26 * 1024 * 1024))
    broken = tmp_path / "损坏.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture")
    text = tmp_path / "名单.txt"
    text.write_text("参加人员名单", encoding="utf-8")
    pdf = tmp_path / "通知.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    before = _photos(store)
    assert acts.add_photos([huge, broken, text, pdf, good]) == 1
    status = acts.status.text()
    assert "已添加 1 张照片" in status
    assert "文件“太大.png”有 26.0 MB，超过上限 25 MB" in status
    assert "“损坏.png”不是可显示的图片（内容已损坏），没有添加" in status
    assert "“名单.txt”不是照片，请选择 JPG 或 PNG 图片" in status and "“通知.pdf”不是照片" in status
    assert _photos(store) == before + 1
    strip = acts.photos
    assert [p.filename for p in strip.photos] == ["茶话会.png"] and strip.thumbnails_shown() == 1


def test_photos_not_on_this_computer_are_fetched_in_the_background(qtbot: QtBot, store: LocalStore,
                                                                   tmp_path: Path) -> None:
    with store.session() as s:
        shas = {a.sha256 for a in s.scalars(select(Attachment))}
    kept = {sha: store.blobs.get(sha) for sha in shas}
    for sha in shas:
        store.blobs.path(sha).unlink()  # as on a computer that has the rows but not yet the files
    asked: list[str] = []

    def fetch(sha256: str) -> bytes:
        asked.append(sha256)
        return kept[sha256]

    page = _page(qtbot, store, READER, fetch_attachment=fetch)
    acts = page.activities
    _select(acts, "重阳登高")
    strip = acts.photos
    qtbot.waitUntil(lambda: strip.thumbnails_shown() == 2)
    assert set(asked) == shas
    assert acts.photo_button is None  # the reader adds nothing
    strip.open_photo(0)
    qtbot.waitUntil(lambda: strip.viewer is not None and strip.viewer.isVisible())
    strip.viewer.close()
