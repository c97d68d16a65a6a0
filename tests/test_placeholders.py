"""Unfinished marks are found wherever they stand in a text, and finished text is left alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.placeholders import PLACEHOLDER_MARKS, placeholders_in

FINISHED = st.text(alphabet=st.sampled_from("信访工作条例第二十三条款本机关内部程序，。 （）0123456789ABCDEFG"))


@given(FINISHED, st.sampled_from(PLACEHOLDER_MARKS), FINISHED)
def test_a_mark_is_found_anywhere_even_spaced_out_or_in_another_case(before: str, mark: str, after: str) -> None:
    spaced = " ".join(mark).swapcase()
    assert mark in placeholders_in(before + spaced + after)


@given(FINISHED)
def test_finished_text_has_no_marks(text: str) -> None:
    assert placeholders_in(text) == []
