"""CJK fonts for every PDF the suite prints (reportlab).

reportlab embeds TrueType outlines only (it refuses CFF-based OpenType such as Noto Sans CJK), so the
suite ships a TrueType collection, WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttc``, Apache-2.0,
see ``resources/fonts/README.md``), and falls back to well-known system fonts when the shipped file is
missing: Microsoft YaHei, SimHei and SimSun on Windows, the WenQuanYi and AR PL fonts on Debian.

:func:`register_cjk_fonts` registers the chosen face under the fixed names :data:`CJK` and
:data:`CJK_BOLD` (and the family, so ``<b>`` in a paragraph works).  When no bold face is available the
bold name maps to the regular face and :attr:`CJKFonts.bold_simulated` is true; :class:`BoldParagraph`
then thickens the glyph outlines (PDF text render mode "fill and stroke") so headings still stand out.

A second collection with wider coverage (CJK Extension A and beyond) is registered as
:data:`CJK_EXTRA` when one is installed; :func:`markup` routes characters the main face lacks (rare
characters in personal names) to it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

CJK = "RendaCJK"
CJK_BOLD = "RendaCJK-Bold"
CJK_EXTRA = "RendaCJK-Extra"
MONO = "RendaMono"
SHIPPED_FONT = "wqy-microhei.ttc"
NO_LINE_START = "，。、：；！？）》〉」』】〕”’…％,.;:!?)]}%"
"""Closing punctuation: never at the start of a line (Chinese line-breaking rules)."""
NO_LINE_END = "（《〈「『【〔“‘([{"
"""Opening punctuation: never at the end of a line."""
_TOKENS = re.compile(r"[A-Za-z0-9_@#.:/+\-]+|\s+|.", re.DOTALL)
PROBE = "中华人民共和国表决赞成反对弃权通过席位签字0123456789ABCabc"
"""Characters a face must have to be accepted."""


class CJKFontNotFound(RuntimeError):
    """No usable CJK TrueType font: neither the shipped one nor a system one."""


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: the path and, for a ``.ttc`` collection, the index of the face."""

    path: Path
    index: int = 0
    bold: Path | None = None
    """A separate bold file of the same family (e.g. ``msyhbd.ttc``), if there is one."""
    bold_index: int = 0


@dataclass(frozen=True)
class CJKFonts:
    """What :func:`register_cjk_fonts` registered."""

    regular: str
    bold: str
    bold_simulated: bool
    source: FontFile
    shipped: bool
    extra: str | None = None
    """Name of the wide-coverage fallback face, if one was found."""
    mono: str = "Courier"
    """A monospaced face for hashes and codes: Micro Hei Mono when the shipped collection is used."""


def shipped_font() -> Path:
    """Where the shipped font lives (it may be missing, e.g. in a trimmed install)."""
    return Path(str(resources.files("resources").joinpath("fonts", SHIPPED_FONT)))


def _windows_font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def system_fonts() -> list[FontFile]:
    """Well-known system CJK TrueType fonts, most suitable first, for this platform."""
    found: list[FontFile] = []
    if sys.platform.startswith("win"):
        for d in _windows_font_dirs():
            found += [
                FontFile(d / "msyh.ttc", 0, d / "msyhbd.ttc", 0),
                FontFile(d / "msyh.ttf", 0, d / "msyhbd.ttf", 0),
                FontFile(d / "simhei.ttf"),
                FontFile(d / "simsun.ttc"),
            ]
    elif sys.platform == "darwin":
        found += [FontFile(Path("/Library/Fonts/Arial Unicode.ttf"))]
    debian = Path("/usr/share/fonts/truetype")
    found += [
        FontFile(debian / "wqy" / "wqy-microhei.ttc"),
        FontFile(debian / "wqy" / "wqy-zenhei.ttc"),
        FontFile(debian / "arphic" / "uming.ttc"),
        FontFile(debian / "droid" / "DroidSansFallbackFull.ttf"),
    ]
    return found


def extra_fonts() -> list[FontFile]:
    """System faces with CJK Extension A and beyond, for rare characters (names)."""
    found: list[FontFile] = []
    if sys.platform.startswith("win"):
        for d in _windows_font_dirs():
            found += [FontFile(d / "simsun.ttc"), FontFile(d / "simsunb.ttf")]
    debian = Path("/usr/share/fonts/truetype")
    return [*found, FontFile(debian / "wqy" / "wqy-zenhei.ttc"), FontFile(debian / "arphic" / "uming.ttc")]


def load_face(name: str, font: FontFile, probe: str = PROBE) -> TTFont:
    """Load one face and check it has the probe characters; raises ``ValueError`` with the reason."""
    if not font.path.is_file():
        raise ValueError(f"{font.path}: 文件不存在")
    try:
        face = TTFont(name, str(font.path), subfontIndex=font.index)
    except Exception as exc:  # reportlab raises TTFError, struct.error, OSError …
        raise ValueError(f"{font.path}#{font.index}: 无法作为 TrueType 字体读取（{exc}）") from exc
    missing = [c for c in probe if ord(c) not in face.face.charToGlyph]
    if missing:
        raise ValueError(f"{font.path}#{font.index}: 缺少汉字 {''.join(missing[:8])}")
    return face


def choose_font(candidates: Iterable[FontFile]) -> tuple[FontFile, TTFont, TTFont | None]:
    """The first usable candidate: (file, regular face, bold face or ``None``).

    Raises :class:`CJKFontNotFound` listing why every candidate was rejected.
    """
    reasons: list[str] = []
    for font in candidates:
        try:
            regular = load_face(CJK, font)
        except ValueError as exc:
            reasons.append(str(exc))
            continue
        bold = None
        if font.bold is not None:
            try:
                bold = load_face(CJK_BOLD, FontFile(font.bold, font.bold_index))
            except ValueError:
                bold = None
        return font, regular, bold
    raise CJKFontNotFound(
        "找不到可嵌入 PDF 的中文 TrueType 字体。请重新安装本软件（自带 resources/fonts/"
        + SHIPPED_FONT
        + "），或安装微软雅黑 / 宋体（Windows）或 fonts-wqy-microhei（Debian）。已尝试：\n"
        + "\n".join(reasons)
    )


def register_cjk_fonts(candidates: Sequence[FontFile] | None = None) -> CJKFonts:
    """Register the CJK fonts with reportlab (once per process for the default candidates).

    Explicit ``candidates`` replace the registration under the same names (the next default call
    registers the default fonts again).
    """
    if candidates is None:
        return _register_default()
    _register_default.cache_clear()
    return _register(list(candidates), shipped=False)


@lru_cache(maxsize=1)
def _register_default() -> CJKFonts:
    shipped = shipped_font()
    candidates = [FontFile(shipped), *system_fonts()]
    return _register(candidates, shipped=True)


def _register(candidates: list[FontFile], shipped: bool) -> CJKFonts:
    font, regular, bold = choose_font(candidates)
    pdfmetrics.registerFont(regular)
    if bold is None:
        pdfmetrics.registerFont(TTFont(CJK_BOLD, str(font.path), subfontIndex=font.index))
    else:
        pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK_BOLD, italic=CJK, boldItalic=CJK_BOLD)
    extra = _register_extra(font)
    is_shipped = shipped and font.path == candidates[0].path
    mono = "Courier"
    if is_shipped:
        try:
            pdfmetrics.registerFont(load_face(MONO, FontFile(font.path, 1), probe="0123456789abcdef"))
            mono = MONO
        except ValueError:
            mono = "Courier"
    return CJKFonts(CJK, CJK_BOLD, bold is None, font, is_shipped, extra, mono)


def _register_extra(main: FontFile) -> str | None:
    for font in extra_fonts():
        if font.path == main.path and font.index == main.index:
            continue
        try:
            face = load_face(CJK_EXTRA, font, probe="中")
        except ValueError:
            continue
        pdfmetrics.registerFont(face)
        return CJK_EXTRA
    return None


def _has(font_name: str, char: str) -> bool:
    face: Any = pdfmetrics.getFont(font_name)
    return ord(char) in face.face.charToGlyph


def missing_chars(text: str, font_name: str = CJK) -> str:
    """Characters of ``text`` (other than white space) that the registered face cannot draw."""
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and not _has(font_name, c)))


def markup(text: str, fonts: CJKFonts) -> str:
    """``text`` escaped for a reportlab paragraph, rare characters routed to the extra face.

    A character missing from the main face is wrapped in ``<font name=CJK_EXTRA>`` when the extra face
    has it; otherwise it is left as it is (the PDF shows an empty box, and :func:`missing_chars` tells).
    """
    if fonts.extra is None:
        return escape(text)
    out: list[str] = []
    for c in text:
        if not c.isspace() and not _has(fonts.regular, c) and _has(fonts.extra, c):
            out.append(f'<font name="{fonts.extra}">{escape(c)}</font>')
        else:
            out.append(escape(c))
    return "".join(out)


def text_width(text: str, size: float, fonts: CJKFonts, bold: bool = False) -> float:
    """Width of ``text`` in points, rare characters measured in the extra face as :func:`markup` draws them."""
    name = fonts.bold if bold else fonts.regular
    total = 0.0
    for c in text:
        font = name
        if fonts.extra is not None and not _has(name, c) and _has(fonts.extra, c):
            font = fonts.extra
        total += pdfmetrics.stringWidth(c, font, size)
    return total


def wrap_text(text: str, width: float, size: float, fonts: CJKFonts, bold: bool = False,
              indent: float = 0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, by the Chinese line-breaking rules.

    Breaks fall between any two Chinese characters but never inside a run of Latin letters and digits
    (``pm-2026-11``, ``SHA-256``); closing punctuation (，。：》…) never starts a line and opening
    punctuation (《（“) never ends one: the character before is carried down with it instead.
    reportlab's own CJK wrapping lets ``》：`` start a line, so text that may wrap is broken here and
    handed over with explicit line breaks. ``indent`` (points) shortens the first line of each paragraph
    (a first-line indent drawn by the paragraph style).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = indent
        for token in _TOKENS.findall(paragraph):
            w = text_width(token, size, fonts, bold)
            if current and used + w > width:
                carry: list[str] = []
                if token.isspace():
                    token, w = "", 0.0
                head = token
                while len(current) > 1 and head and head[0] in NO_LINE_START and len(carry) < 2:
                    carry.insert(0, current.pop())
                    head = carry[0]
                while len(current) > 1 and current[-1][-1] in NO_LINE_END:
                    carry.insert(0, current.pop())
                while carry and carry[0].isspace():
                    carry.pop(0)
                lines.append("".join(current).rstrip())
                current = carry
                used = sum(text_width(t, size, fonts, bold) for t in carry)
                if not token:
                    continue
            current.append(token)
            used += w
        lines.append("".join(current).rstrip())
    return lines


def wrapped_markup(text: str, width: float, size: float, fonts: CJKFonts, bold: bool = False,
                   indent: float = 0) -> str:
    """:func:`wrap_text` then :func:`markup`, lines joined by ``<br/>``: ready for a paragraph."""
    return "<br/>".join(markup(line, fonts) for line in wrap_text(text, width, size, fonts, bold, indent))


class BoldParagraph(Paragraph):
    """A paragraph drawn in the bold face, or thickened when the bold face is simulated."""

    def __init__(self, text: str, style: Any, fonts: CJKFonts, **kwargs: Any) -> None:
        super().__init__(text, style, **kwargs)
        self._cjk = fonts

    def draw(self) -> None:
        if not self._cjk.bold_simulated:
            super().draw()
            return
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(self.style.textColor)
        canv.setLineWidth(self.style.fontSize * 0.035)
        canv.addLiteral("2 Tr")
        super().draw()
        canv.restoreState()


# Official documents (GB/T 9704-2012): one face per role ------------------------------------------------
ROLES = ("song", "fangsong", "hei", "kai")
ROLE_LABELS = {"song": "宋体（标题、页码）", "fangsong": "仿宋（正文）", "hei": "黑体（一级标题）", "kai": "楷体（二级标题）"}
OFFICIAL_PROBE = PROBE + "〔〕—（）：；、。"
"""Characters an official-document face must have: the probe plus the brackets of a document number."""


def official_font_candidates() -> dict[str, list[FontFile]]:
    """System faces per role, most suitable first; the shipped face is always the last resort.

    - 宋体 (title, page numbers): SimSun (Windows); AR PL UMing CN (Debian ``fonts-arphic-uming``).
    - 仿宋 (body): FangSong (Windows); AR PL UMing CN — a Ming (Song) face, the closest free relative.
    - 黑体 (一、 headings): SimHei (Windows); WenQuanYi Zen Hei (Debian); the shipped Micro Hei.
    - 楷体 (（一） headings): KaiTi (Windows); AR PL UKai CN (Debian ``fonts-arphic-ukai``).
    """
    win: dict[str, list[FontFile]] = {role: [] for role in ROLES}
    if sys.platform.startswith("win"):
        for d in _windows_font_dirs():
            win["song"] += [FontFile(d / "simsun.ttc")]
            win["fangsong"] += [FontFile(d / "simfang.ttf")]
            win["hei"] += [FontFile(d / "simhei.ttf")]
            win["kai"] += [FontFile(d / "simkai.ttf")]
    arphic = Path("/usr/share/fonts/truetype/arphic")
    wqy = Path("/usr/share/fonts/truetype/wqy")
    uming, ukai = FontFile(arphic / "uming.ttc", 0), FontFile(arphic / "ukai.ttc", 0)
    return {
        "song": [*win["song"], uming],
        "fangsong": [*win["fangsong"], *win["song"], uming],
        "hei": [*win["hei"], FontFile(wqy / "wqy-zenhei.ttc")],
        "kai": [*win["kai"], ukai],
    }


@dataclass(frozen=True)
class OfficialFonts:
    """The face of each role, as :class:`CJKFonts` so :func:`markup` and :func:`wrap_text` work with it.

    A role whose face is missing falls back to the shipped face (WenQuanYi Micro Hei); :attr:`sources`
    tells which file each role uses. Roles that share a face share its registered name (one embedded copy).
    """

    song: CJKFonts
    fangsong: CJKFonts
    hei: CJKFonts
    kai: CJKFonts

    @property
    def sources(self) -> dict[str, FontFile]:
        return {"song": self.song.source, "fangsong": self.fangsong.source, "hei": self.hei.source,
                "kai": self.kai.source}


def register_official_fonts(candidates: dict[str, list[FontFile]] | None = None) -> OfficialFonts:
    """Register one embeddable face per role, each face under a name of its own file (``RendaOfficial-uming-0``).

    reportlab ignores a second registration under a name it knows, so a face is named after its file, not
    its role: registering other candidates later never leaves a role drawn in the previous face.

    ``candidates`` replaces :func:`official_font_candidates` (tests pass ``{}`` to get the shipped face
    for every role). The default registration is done once per process.
    """
    if candidates is None:
        return _register_official_default()
    _register_official_default.cache_clear()
    return _register_official(candidates)


@lru_cache(maxsize=1)
def _register_official_default() -> OfficialFonts:
    return _register_official(official_font_candidates())


def _register_official(candidates: dict[str, list[FontFile]]) -> OfficialFonts:
    base = register_cjk_fonts()
    last_resort = [FontFile(shipped_font()), base.source]
    chosen: dict[str, CJKFonts] = {}
    registered: dict[FontFile, str] = {}
    """A face chosen for several roles is registered (and embedded) once."""
    for role in ROLES:
        face: TTFont | None = None
        for font in [*candidates.get(role, []), *last_resort]:
            if font in registered:
                break
            name = f"RendaOfficial-{font.path.stem}-{font.index}"
            try:
                face = load_face(name, font, OFFICIAL_PROBE if font not in last_resort else PROBE)
            except ValueError:
                continue
            break
        else:  # pragma: no cover - register_cjk_fonts has already found a usable face
            raise CJKFontNotFound(f"找不到{ROLE_LABELS[role]}可用的中文字体")
        if face is not None:
            pdfmetrics.registerFont(face)
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
            registered[font] = name
        used = registered[font]
        chosen[role] = CJKFonts(used, used, True, font, font.path == shipped_font(), base.extra, base.mono)
    return OfficialFonts(**chosen)
