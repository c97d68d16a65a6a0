"""Tracking codes: 80 random bits, a check symbol that catches every single-symbol error and every
transposition of adjacent symbols, and forgiving reading of what people type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.petition.intake import (
    ALPHABET,
    DATA_SYMBOLS,
    TrackingCodeError,
    check_symbol,
    format_code,
    new_tracking_code,
    parse_tracking_code,
)

data_symbols = st.text(alphabet=ALPHABET, min_size=DATA_SYMBOLS, max_size=DATA_SYMBOLS)


def _code(data: str) -> str:
    return data + check_symbol(data)


@given(data_symbols)
def test_a_code_reads_back_as_itself_however_it_is_typed(data: str) -> None:
    code = format_code(_code(data))
    assert parse_tracking_code(code) == code
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert parse_tracking_code(f"  {typed} ") == code
    assert parse_tracking_code(code.replace("-", "").replace("A", "Ａ")) == code  # full-width forms


@given(data_symbols, st.integers(0, DATA_SYMBOLS), st.sampled_from(ALPHABET))
def test_every_single_symbol_error_is_caught(data: str, position: int, wrong: str) -> None:
    symbols = _code(data)
    if symbols[position] == wrong:
        return
    typo = symbols[:position] + wrong + symbols[position + 1:]
    with pytest.raises(TrackingCodeError) as refused:
        parse_tracking_code(format_code(typo))
    assert refused.value.kind == "check"


@given(data_symbols, st.integers(0, DATA_SYMBOLS - 1))
def test_every_adjacent_transposition_is_caught(data: str, position: int) -> None:
    symbols = _code(data)
    if symbols[position] == symbols[position + 1]:
        return
    swapped = symbols[:position] + symbols[position + 1] + symbols[position] + symbols[position + 2:]
    with pytest.raises(TrackingCodeError) as refused:
        parse_tracking_code(format_code(swapped))
    assert refused.value.kind == "check"


def test_exhaustively_for_one_code() -> None:
    symbols = new_tracking_code().replace("-", "")
    for i in range(len(symbols)):
        for c in ALPHABET:
            if c != symbols[i]:
                with pytest.raises(TrackingCodeError):
                    parse_tracking_code(symbols[:i] + c + symbols[i + 1:])


def test_new_codes_carry_80_random_bits_and_look_right() -> None:
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert DATA_SYMBOLS * 5 >= 80
    for code in list(codes)[:50]:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4, 1]
        assert parse_tracking_code(code) == code


@pytest.mark.parametrize(("typed", "kind", "words"), [
    ("", "format", "请填写"), ("ABCD-EFGH", "format", "17 位"), ("ABCD-EFGH-JKMN-PQRS-U", "format", "不使用"),
    ("我的查询码", "format", "不使用"),
])
def test_what_is_not_a_code_is_told_in_chinese(typed: str, kind: str, words: str) -> None:
    with pytest.raises(TrackingCodeError) as refused:
        parse_tracking_code(typed)
    assert refused.value.kind == kind and words in str(refused.value)


@given(st.text(max_size=60))
def test_any_text_is_a_code_or_a_chinese_refusal(typed: str) -> None:
    try:
        code = parse_tracking_code(typed)
    except TrackingCodeError as exc:
        assert str(exc)
    else:
        assert len(code) == 21
