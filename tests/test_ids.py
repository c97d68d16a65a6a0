"""Row keys: UUIDv7 one at a time and in batches (RFC 9562)."""

from __future__ import annotations

import time
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from core.ids import is_uuid, uuid7, uuid7_batch


def _is_v7(value: str) -> bool:
    parsed = uuid.UUID(value)
    return parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == value


def test_keys_made_one_after_another_sort_in_the_order_they_were_made() -> None:
    keys = [uuid7() for _ in range(5_000)]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(map(_is_v7, keys[::50])) and all(map(is_uuid, keys))


def test_batch_keys_are_ordered_uuid7_across_the_counter_s_end() -> None:
    keys = uuid7_batch(10_000)  # 4,096 keys a millisecond: the batch takes three
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(map(_is_v7, keys[::97])) and _is_v7(keys[4095]) and _is_v7(keys[4096])
    assert keys[4095][:13] != keys[4096][:13]  # the next millisecond begins with the counter at zero
    assert uuid7_batch(0) == []


@settings(max_examples=60, deadline=None)
@given(count=st.integers(min_value=1, max_value=9_000))
def test_every_batch_key_is_a_canonical_uuid7_in_creation_order(count: int) -> None:
    before = time.time_ns() // 1_000_000
    keys = uuid7_batch(count)
    after = time.time_ns() // 1_000_000
    assert len(keys) == count and len(set(keys)) == count and keys == sorted(keys)
    for i, key in enumerate(keys):
        parsed = uuid.UUID(key)
        assert str(parsed) == key and parsed.version == 7 and parsed.variant == uuid.RFC_4122
        value = parsed.int
        assert (value >> 64) & 0xFFF == i % 0x1000  # the counter restarts with each millisecond
        stamp = value >> 80
        assert before + i // 0x1000 <= stamp <= after + i // 0x1000


def test_batch_keys_carry_the_random_bits_of_the_system_s_random_source() -> None:
    keys = uuid7_batch(4_096)
    tails = [uuid.UUID(k).int & ((1 << 62) - 1) for k in keys]
    assert len(set(tails)) == len(tails)
    ones = sum(bin(t).count("1") for t in tails)
    assert 0.45 < ones / (62 * len(tails)) < 0.55  # every random bit position is used, not a fixed pattern
    for bit in range(62):
        share = sum((t >> bit) & 1 for t in tails) / len(tails)
        assert 0.4 < share < 0.6, bit
