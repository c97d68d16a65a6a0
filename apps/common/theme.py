"""The look shared by every window: a CJK font family list, the font-size setting and the base style sheet."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

import resources
from apps.common.fonts import FONT_FAMILIES, load_shipped_fonts
from apps.common.qt import QApplication, QFont, QWidget

__all__ = ["FONT_FAMILIES", "app_font", "apply_appearance", "set_role", "set_state", "style_sheet"]
STYLE_DIR = Path(resources.__file__).parent / "styles"
W = TypeVar("W", bound=QWidget)


@cache
def _template(name: str) -> str:
    return (STYLE_DIR / name).read_text(encoding="utf-8")


def style_sheet(points: int, name: str = "base.qss") -> str:
    """The style sheet with its size tokens filled in for a base font of ``points``."""
    sizes = {
        "@BASE@": points,
        "@SMALLER@": max(points - 1, 11),
        "@LARGER@": points + 2,
        "@TITLE@": round(points * 1.6),
        "@TILE@": round(points * 1.35),
    }
    text = _template(name)
    for token, value in sizes.items():
        text = text.replace(token, str(value))
    return text


def app_font(points: int) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(points)
    return font


def apply_appearance(app: QApplication, points: int) -> None:
    """Set the application font (the shipped CJK face first) and style sheet; open windows follow at once."""
    load_shipped_fonts()
    font, sheet = app_font(points), style_sheet(points)
    # Unchanged (a language switch re-applies the settings): setting them again would re-style every widget.
    if app.font() != font:
        app.setFont(font)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def set_role(widget: W, role: str) -> W:
    """Tag a widget for the style sheet (``QLabel[role="title"]`` and the like)."""
    widget.setProperty("role", role)
    return widget


def set_state(widget: QWidget, state: str) -> None:
    """Change a styled state property and re-polish so the new look shows."""
    if widget.property("state") == state:
        return
    widget.setProperty("state", state)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


CHART_POINTS = 12
"""Axis ticks, legends and labels of the charts: readable at the theme's standard size."""


def chart_font(points: int = CHART_POINTS) -> QFont:
    """The shipped CJK face at ``points`` for pyqtgraph axes, legends and labels."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(points)
    return font
