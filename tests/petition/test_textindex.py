"""The bigram tokenizer and the similarity score (properties)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.petition.textindex import WORD_BASE, dice, normalize, term_id, term_set, term_text, tokens

cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=0, max_size=30)
mixed = st.text(alphabet=st.sampled_from(list("加装电梯补贴小区物业噪声停车ABCabc0123 ，。、（）:-")), max_size=40)


@given(cjk)
def test_a_chinese_run_gives_its_overlapping_bigrams(text: str) -> None:
    got = tokens(text)
    if len(text) >= 2:
        assert got == [text[i:i + 2] for i in range(len(text) - 1)]
    else:
        assert got == ([text] if text else [])


@given(cjk.filter(lambda t: len(t) >= 1))
def test_term_numbers_round_trip(text: str) -> None:
    for token in tokens(text):
        number = term_id(token)
        assert number < WORD_BASE
        assert term_text(number) == token


@given(mixed, mixed)
def test_dice_is_symmetric_and_bounded(a: str, b: str) -> None:
    sa, sb = term_set(a), term_set(b)
    assert dice(sa, sb) == dice(sb, sa)
    assert 0.0 <= dice(sa, sb) <= 1.0
    if sa:
        assert dice(sa, sa) == 1.0


@given(mixed)
def test_punctuation_width_and_case_do_not_matter(text: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert term_set(wide) == term_set(text) == term_set(text.upper())


def test_latin_words_and_numbers_are_whole_terms() -> None:
    assert tokens("黄浦区 No.12 弄ABC") == ["黄浦", "浦区", "no", "12", "弄", "abc"]
    assert normalize("ＡＢＣ１２") == "abc12"
    assert term_id("abc") >= WORD_BASE and term_text(term_id("abc")) == ""
