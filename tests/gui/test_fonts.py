"""Chinese text is drawn with real glyphs on a machine without any system CJK font.

fontconfig reads its configuration once per process, so each check runs in a child Python whose
``FONTCONFIG_FILE`` names an empty font folder: the only CJK face it can find is the one the suite ships.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from apps.common.fonts import SHIPPED_FAMILY, font_files

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from apps.common.qt import (QApplication, QColor, QFontDatabase, QFontMetrics, QImage, QPainter,
                                QRawFont, Qt)

    def render(text, font):
        image = QImage(160, 60, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return image

    app = QApplication([sys.argv[0]])
    system_cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    from apps.common.application import application
    from apps.common.settings import ClientSettings
    application(ClientSettings(Path(sys.argv[1]) / "desktop.ini"))
    font = app.font()
    metrics = QFontMetrics(font)
    people, big = render("人", font), render("大", font)
    box_a, box_b = render(chr(0xF0000), font), render(chr(0xF0001), font)
    print(json.dumps({
        "system_cjk": system_cjk,
        "family": QRawFont.fromFont(font).familyName(),
        "in_font": all(metrics.inFontUcs4(ord(c)) for c in "上海市人大常委会表决赞成"),
        "distinct": people != big,
        "boxes_alike": box_a == box_b,
        "not_box": people != box_a and big != box_a,
        "inked": any(people.pixelColor(x, y) != QColor("white") for x in range(160) for y in range(60)),
    }, ensure_ascii=False))
    """
)


def _without_cjk_fonts(tmp_path: Path) -> dict[str, str]:
    tmp_path.mkdir(exist_ok=True)
    fonts, cache = tmp_path / "fonts", tmp_path / "cache"
    fonts.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("FONTCONFIG_PATH", None)
    return env


@pytest.mark.skipif(not font_files(), reason="this install carries no fonts under resources/fonts")
def test_chinese_is_drawn_with_the_shipped_font_when_the_system_has_none(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], env=_without_cjk_fonts(tmp_path),
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["system_cjk"] == []  # the child really has no Chinese font of its own
    assert seen["family"] == SHIPPED_FAMILY
    assert seen["in_font"]
    assert seen["boxes_alike"]  # two missing code points draw the same box …
    assert seen["distinct"] and seen["not_box"] and seen["inked"]  # … and 人 and 大 are neither


def test_the_application_font_puts_the_shipped_family_first(qapp: object) -> None:
    from apps.common.fonts import load_shipped_fonts
    from apps.common.qt import QApplication

    assert SHIPPED_FAMILY in load_shipped_fonts()
    assert QApplication.font().families()[0] == SHIPPED_FAMILY


GLYPH_CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import apps.common.fonts as fonts
    from apps.common.qt import QApplication
    if sys.argv[2] == "without":
        fonts.font_files = lambda folder=None: []  # an install whose font files are missing
    app = QApplication([sys.argv[0]])
    from apps.common.application import application
    from apps.common.settings import ClientSettings
    application(ClientSettings(Path(sys.argv[1]) / "desktop.ini"))
    print(json.dumps(fonts.missing_glyphs(), ensure_ascii=False))
    """
)


@pytest.mark.skipif(not font_files(), reason="this install carries no fonts under resources/fonts")
def test_the_glyph_check_tells_real_glyphs_from_missing_glyph_boxes(tmp_path: Path) -> None:
    """`renda screenshots --check-glyphs` (the frozen program's smoke test) relies on this check."""
    from apps.common.fonts import GLYPH_PROBE

    seen = {}
    for case in ("with", "without"):
        done = subprocess.run([sys.executable, "-c", GLYPH_CHECK, str(tmp_path), case],
                              env=_without_cjk_fonts(tmp_path / case), cwd=ROOT, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        seen[case] = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["with"] == []
    assert seen["without"] == list(dict.fromkeys(GLYPH_PROBE))
