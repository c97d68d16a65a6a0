"""The suite's own CJK fonts for every Qt window.

The suite ships WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttc``, the face the PDFs embed too).
:func:`load_shipped_fonts` registers every font file under ``resources/fonts/`` with Qt once per
application, so a seat terminal, a console or a fresh workstation without a system Chinese font still
shows real glyphs instead of empty boxes. :data:`FONT_FAMILIES` puts the shipped family first and the
usual system faces after it (first match wins per glyph).
"""

from __future__ import annotations

import logging
from pathlib import Path

import resources
from apps.common.qt import (
    QColor,
    QCoreApplication,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QPainter,
)

log = logging.getLogger(__name__)

FONT_DIR = Path(resources.__file__).parent / "fonts"
FONT_SUFFIXES = (".ttc", ".ttf", ".otf")
SHIPPED_FAMILY = "WenQuanYi Micro Hei"
SHIPPED_MONO_FAMILY = "WenQuanYi Micro Hei Mono"

FONT_FAMILIES = [SHIPPED_FAMILY, "WenQuanYi Zen Hei", "Microsoft YaHei", "Noto Sans CJK SC",
                 "Source Han Sans SC", "PingFang SC", "SimHei", "Sans Serif"]
"""The application font: the shipped face, then system faces (Linux, Windows, others)."""

MONO_FAMILIES = [SHIPPED_MONO_FAMILY, "DejaVu Sans Mono", "Consolas", "Monospace"]
"""Codes and hashes: the shipped mono face, then system ones."""

_loaded: dict[int, list[str]] = {}
"""Families registered, per QGuiApplication (keyed by its id: a new application starts afresh)."""


def font_files(folder: Path = FONT_DIR) -> list[Path]:
    """The font files shipped with the suite (none in a trimmed install)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def load_shipped_fonts() -> list[str]:
    """Register the shipped fonts with the running QGuiApplication; returns the families they bring.

    Safe to call more than once (the files are registered once per application). Needs a
    QGuiApplication: fonts belong to the application's font database.
    """
    app = QCoreApplication.instance()
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("load_shipped_fonts() needs a QGuiApplication")
    key = id(app)
    if key in _loaded:
        return list(_loaded[key])
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("无法载入字体文件 %s", path)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    _loaded.clear()
    _loaded[key] = families
    return list(families)


GLYPH_PROBE = "信访预算人大会议代表主席团"
"""Chinese characters the glyph check draws: common words of every app."""


def _draw(text: str, font: QFont) -> bytes:
    metrics = QFontMetrics(font)
    image = QImage(max(metrics.horizontalAdvance(text), 1) + 8, metrics.height() + 8, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(4, 4 + metrics.ascent(), text)
    finally:
        painter.end()
    return bytes(image.constBits())  # type: ignore[arg-type]


def missing_glyphs(text: str = GLYPH_PROBE, font: QFont | None = None) -> list[str]:
    """The characters of ``text`` that the application font draws as the missing-glyph box (or not at
    all): each is drawn alone and compared with the drawing of a character no font has (U+FFFF)."""
    app = QCoreApplication.instance()
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("missing_glyphs() needs a QGuiApplication")
    font = font or QGuiApplication.font()
    tofu, blank = _draw("\uffff", font), _draw(" ", font)
    return [ch for ch in dict.fromkeys(text) if _draw(ch, font) in (tofu, blank)]
