"""Text that marks something unfinished and must never reach a user: a screen, a document, a sheet.

The screenshot renderer scans every widget it renders for these marks, and the document tests scan the
text of what they generate; a law or rule the product cannot cite exactly is named in words instead
(e.g. 本机关内部工作程序), never with a placeholder such as （请核对） or （条款待核）.
"""

from __future__ import annotations

PLACEHOLDER_MARKS = ("（请核对）", "待核）", "（待定）", "TODO", "XXX", "第 X 条", "lorem ipsum")
"""Bracketed notes to oneself, not instructions: 请核对代码 tells a clerk what to do and is no mark."""


def placeholders_in(text: str) -> list[str]:
    """The marks found in ``text`` (spaces ignored, Latin marks in any case)."""
    flat = "".join(text.split()).casefold()
    return [mark for mark in PLACEHOLDER_MARKS if "".join(mark.split()).casefold() in flat]
