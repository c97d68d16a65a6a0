"""Printed records (PDF, reportlab): shared pieces for every report of the suite.

- :mod:`~core.reports.fonts`: the CJK fonts (shipped TrueType collection, system fallbacks, bold).

The reports themselves live with their domain, e.g. :mod:`core.conference.report` (vote result sheet).
"""

from core.reports.fonts import (
    CJK,
    CJK_BOLD,
    BoldParagraph,
    CJKFontNotFound,
    CJKFonts,
    FontFile,
    markup,
    missing_chars,
    register_cjk_fonts,
    text_width,
    wrap_text,
    wrapped_markup,
)

__all__ = [
    "CJK",
    "CJK_BOLD",
    "BoldParagraph",
    "CJKFontNotFound",
    "CJKFonts",
    "FontFile",
    "markup",
    "missing_chars",
    "register_cjk_fonts",
    "text_width",
    "wrap_text",
    "wrapped_markup",
]
