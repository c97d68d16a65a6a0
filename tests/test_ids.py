"""Row keys: UUIDv7 one at a time and in batches (RFC 9562)."""

from __future__ import annotations

import uuid

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
