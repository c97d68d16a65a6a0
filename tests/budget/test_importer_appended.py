"""Which indexes a bulk insert on PostgreSQL keeps through its ``COPY``: those on the change numbers, (scope,
change number) and the natural key that the rows, in the order they are written, append to."""

from __future__ import annotations

from itertools import repeat
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.budget.importers import engine
from core.budget.importers.engine import APPEND_GROUPS, INSERT_BATCH, appended_indexes
from core.budget.models import Payment

TABLE: Any = Payment.__table__


def _columns(scopes: list[str], keys: list[Any], first: int = 1) -> dict[str, Any]:
    m = len(keys)
    return {"seq": range(first, first + m), "scope": scopes, "natural_key": keys, "year": repeat(2025, m),
            "payee": [f"收款人{i % 7}" for i in range(m)]}


@given(scopes=st.lists(st.sampled_from([f"domain:{i}" for i in range(80)]), min_size=1, max_size=300),
       keys=st.lists(st.text(alphabet="ZF0123", max_size=6) | st.none(), min_size=300, max_size=300))
def test_an_index_is_kept_when_the_rows_append_to_it(scopes: list[str], keys: list[str | None]) -> None:
    keys = keys[:len(scopes)]
    kept = appended_indexes(TABLE, _columns(scopes, keys), len(keys))
    assert ("ix_bgt_payment_seq" in kept) is True
    assert ("ix_bgt_payment_scope_seq" in kept) == (len(set(scopes)) <= APPEND_GROUPS)
    in_order = None not in keys and keys == sorted(keys)  # type: ignore[type-var]
    assert ("ix_bgt_payment_natural_key" in kept) == in_order
    assert kept <= {"ix_bgt_payment_seq", "ix_bgt_payment_scope_seq", "ix_bgt_payment_natural_key"}


def test_only_the_first_part_is_judged_and_a_constant_column_is_left_whole() -> None:
    m = INSERT_BATCH + 3
    keys = [f"k{i:09d}" for i in range(INSERT_BATCH)] + ["a", "b", "c"]  # out of order after the first part
    columns = _columns(["public"] * m, keys)
    assert "ix_bgt_payment_natural_key" in appended_indexes(TABLE, columns, m)
    assert list(columns["year"]) == [2025] * m  # the constant still gives every row its value


def test_a_column_of_another_kind_or_missing_is_not_judged_appended() -> None:
    columns = _columns(["public"] * 3, ["a", "b", "c"])
    columns["seq"] = iter(range(3))  # neither a list, a range nor a constant
    del columns["natural_key"]
    assert appended_indexes(TABLE, columns, 3) == set()
    assert engine._appends([["a", 1]]) is False  # values that cannot be compared
