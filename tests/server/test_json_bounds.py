"""The bound on the free-form JSON of requests (depth, item count, numbers, characters) refuses exactly what a
plain walk over every value refuses; it only gets there with less work."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.server.schemas import _UNSTORABLE, MAX_INT, MAX_JSON_DEPTH, MAX_JSON_ITEMS, _bounded_json


def _plain_walk(value: Any) -> bool:
    """Every value on the stack, one at a time: accepted (True) or refused (False)."""
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_JSON_ITEMS or depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int):
            if not -MAX_INT <= item <= MAX_INT:
                return False
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, str):
            if _UNSTORABLE.search(item):
                return False
        elif isinstance(item, dict):
            for key, sub in item.items():
                if _UNSTORABLE.search(key):
                    return False
                stack.append((sub, depth + 1))
        elif isinstance(item, list):
            stack.extend((sub, depth + 1) for sub in item)
    return True


def _accepted(value: Any) -> bool:
    try:
        assert _bounded_json(value) is value
    except ValueError:
        return False
    return True


_texts = st.text(st.sampled_from(["a", "甲", "\x00", "\ud800", "\udfff", "😀", "\x1f"]), max_size=4)
_scalars = (st.none() | st.booleans() | _texts | st.floats()
            | st.integers(-2 * MAX_INT, 2 * MAX_INT) | st.sampled_from([MAX_INT, -MAX_INT, MAX_INT + 1, -MAX_INT - 1]))
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts, inner, max_size=3),
                     max_leaves=12)


def _nest(value: Any, levels: int, in_list: bool) -> Any:
    for _ in range(levels):
        value = [value] if in_list else {"k": value}
    return value


@settings(max_examples=300)
@given(value=_json)
def test_refuses_what_the_plain_walk_refuses(value: Any) -> None:
    assert _accepted(value) == _plain_walk(value)


@settings(max_examples=100)
@given(inner=_json, levels=st.integers(MAX_JSON_DEPTH - 3, MAX_JSON_DEPTH + 2), in_list=st.booleans())
def test_depth_is_bounded_as_the_plain_walk_bounds_it(inner: Any, levels: int, in_list: bool) -> None:
    value = _nest(inner, levels, in_list)
    assert _accepted(value) == _plain_walk(value)


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_the_item_count_is_bounded_at_the_same_item(extra: int) -> None:
    value = {"rows": list(range(MAX_JSON_ITEMS - 2 + extra))}  # the object, the list and its items
    assert _accepted(value) == _plain_walk(value) == (extra <= 0)


def test_a_refusal_says_why_in_chinese() -> None:
    with pytest.raises(ValueError, match="无法保存"):
        _bounded_json({"changes": {"title": "公开\x00文件"}})
    with pytest.raises(ValueError, match="嵌套过深"):
        _bounded_json(_nest(1, MAX_JSON_DEPTH + 1, in_list=False))
    with pytest.raises(ValueError, match="超出允许的范围"):
        _bounded_json({"n": [MAX_INT + 1]})
