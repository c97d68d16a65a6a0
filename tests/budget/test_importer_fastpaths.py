"""The import's fast paths give exactly what the plain ways give: CSV split at commas as the CSV reader reads it,
row digests filled into one template as :func:`row_hash` writes them (so digests stored by earlier imports still
recognise unchanged rows)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.budget.importers import SPECS
from core.budget.importers.engine import _digests, _sqlite_forms, row_hash
from core.budget.importers.reading import ValueProblem, _read_csv, _split_plain


def _by_reader(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


_CELL = st.text(alphabet=st.sampled_from(list("ab 1,\t\u3000收款\r\n\x0b\x1c\u2028\\")), max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=5), max_size=6), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_plain_csv_splits_as_the_csv_reader_reads(rows: list[list[str]], end: str, last_end: bool) -> None:
    text = end.join(",".join(cells) for cells in rows) + (end if last_end else "")
    try:
        expected: list[list[str]] | None = _by_reader(text)
    except csv.Error:
        expected = None
    plain = _split_plain(text)
    if plain is not None:  # whenever the fast path answers, it answers what the reader reads
        assert plain == expected
    if expected is not None and "\r" not in text.replace("\r\n", "") and not ("\r\n" in text and "\n" in
                                                                                 text.replace("\r\n", "")):
        assert plain == expected  # and it answers for every quote-free text with one kind of line end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab,"\r\n 收')), max_size=30))
def test_read_csv_gives_the_same_rows_either_way(text: str) -> None:
    raw = text.encode("utf-8")
    try:
        fast: Any = _read_csv(raw)
    except ValueProblem as exc:
        fast = ("refused", exc.what)
    original = _split_plain
    try:
        import core.budget.importers.reading as reading

        reading._split_plain = lambda _text: None  # type: ignore[assignment]
        try:
            slow: Any = _read_csv(raw)
        except ValueProblem as exc:
            slow = ("refused", exc.what)
    finally:
        reading._split_plain = original
    assert fast == slow


def test_quotes_and_lone_carriage_returns_go_to_the_csv_reader() -> None:
    assert _split_plain('a,"b,c"\n') is None
    assert _split_plain("a\rb\n") is None
    assert _split_plain("a\r\nb\n") is None  # mixed line ends
    assert _split_plain("a,b\r\n\r\nc\r\n") == [["a", "b"], [], ["c"]]
    assert _split_plain("x" * (csv.field_size_limit() + 1)) is None


_TEXT = st.text(max_size=10)
_VALUE = {"text": _TEXT, "choice": _TEXT, "codekind": _TEXT, "book": _TEXT, "dept": _TEXT, "indicator": _TEXT,
          "fen": st.integers(-10**15, 10**15), "year": st.integers(2000, 2100), "month": st.integers(1, 12),
          "month0": st.integers(0, 12), "date": st.one_of(st.none(), st.dates())}


@pytest.mark.parametrize("kind", sorted(SPECS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_row_digests_equal_the_row_hash(kind: str, data: st.DataObject) -> None:
    spec = SPECS[kind]
    n = data.draw(st.integers(1, 5))
    plain = data.draw(st.booleans())  # mostly texts without anything to escape: the template path
    cols: dict[str, list[Any]] = {}
    for c in spec.columns:
        strategy = _VALUE.get(c.kind, _TEXT)
        if plain and strategy is _TEXT:
            strategy = st.text(alphabet=st.characters(blacklist_characters='"\\', blacklist_categories=("Cc", "Cs")),
                               max_size=10)
        cols[c.attr] = data.draw(st.lists(strategy, min_size=n, max_size=n))
    hashed = sorted(c.attr for c in spec.columns if c.attr not in spec.derived)
    expected = [row_hash({a: cols[a][i] for a in hashed}) for i in range(n)]
    assert _digests(spec, cols, hashed, n) == expected
    stored = dict(cols)  # as the second process hands the rows over: the writing process makes the digests
    _sqlite_forms(spec.model.__table__, stored, n)
    assert _digests(spec, stored, hashed, n) == expected


def test_a_stored_digest_is_unchanged() -> None:
    """A digest written by earlier versions (the JSON text of the row, sorted keys, hashed with SHA-256)."""
    spec = SPECS["payments"]
    row: dict[str, Any] = {"year": 2025, "payment_no": "ZF1", "application_no": "", "paid_on": date(2025, 3, 5),
                           "payee": "上海某某\"科技\"", "payee_account": "6222", "amount_fen": 123456,
                           "method": "国库集中支付", "purpose": "设备\\维护", "book": "general",
                           "functional_code": "2050203", "economic_code": "30213", "department_code": "D010",
                           "unit_code": "", "project_code": "P001", "indicator_no": "ZB001"}
    hashed = sorted(row)
    assert _digests(spec, {a: [v] for a, v in row.items()}, hashed, 1) == [row_hash(row)]
    assert row_hash(row) == "1bb6a8a44fc98cdb43488083020dc807f6af721bf5bd7a1c3be2c8a12b4215c6"
