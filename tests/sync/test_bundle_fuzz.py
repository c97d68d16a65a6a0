"""Random damage to valid bundles: the reader never crashes (always a BundleError with a message) and an
import that is refused never changes anything."""

from __future__ import annotations

import copy
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from core.models import Document
from core.sync.bundle import (
    MAGIC,
    BundleError,
    RawBundle,
    decode_body,
    import_client_bundle,
    import_server_reply,
    parse_bundle,
    parse_push_body,
    parse_reply_body,
    verify_bundle,
)
from core.sync.keys import load_device_key
from core.sync.schema import REGISTRY
from tests.sync.harness import World
from tests.sync.test_bundles import _ENGINES, SCAN, Laptop, _seed, dump

FUZZ = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def scene(sqlite_world: World, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A laptop with edits and an attachment; its push bundle imported once, its reply imported once."""
    from core.sync.keys import load_server_key

    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, load_server_key(tmp_path / "server-data"), tmp_path / "usb")
    with laptop.store.session() as s, s.begin():
        s.add(Document(title="甲", classification="public"))
        doc = Document(title="乙", classification="internal", body="正文")
        s.add(doc)
        s.flush()
        laptop.store.attach(s, doc, SCAN, "照片.png")
    push = laptop.push_bundle()
    laptop.import_push(push)
    reply = laptop.reply_bundle()
    laptop.import_reply(reply)
    yield {"world": world, "laptop": laptop, "push": push.read_bytes(), "reply": reply.read_bytes(),
           "tmp": tmp_path}
    _ENGINES.append(world.engine)
    while _ENGINES:
        _ENGINES.pop().dispose()


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """The original bytes with a few flips, a truncation, an insertion or a cut somewhere."""
    data = bytearray(original)
    n = len(data)
    header_end = len(MAGIC) + 5 + struct.unpack(">I", original[len(MAGIC) + 1:len(MAGIC) + 5])[0] + 8
    how = draw(st.sampled_from(["flip", "flip-header", "truncate", "insert", "cut", "swap-tail"]))
    if how in ("flip", "flip-header"):
        top = header_end - 1 if how == "flip-header" else n - 1
        for _ in range(draw(st.integers(1, 6))):
            data[draw(st.integers(0, top))] ^= draw(st.integers(1, 255))
    elif how == "truncate":
        del data[draw(st.integers(0, n - 1)):]
    elif how == "insert":
        at = draw(st.integers(0, n))
        data[at:at] = draw(st.binary(min_size=1, max_size=32))
    elif how == "cut":
        at = draw(st.integers(0, n - 1))
        del data[at:at + draw(st.integers(1, 64))]
    else:
        data[-draw(st.integers(1, 80)):] = draw(st.binary(min_size=0, max_size=80))
    return bytes(data)


def _refused(fn: Any) -> BundleError:
    try:
        fn()
    except BundleError as exc:
        assert exc.message.strip(), "a refusal must say why"
        return exc
    raise AssertionError("a damaged bundle was accepted")


# ------------------------------------------------------------------------------------ damaged files
@FUZZ
@given(data=st.data())
def test_damaged_client_bundle_is_refused_and_changes_nothing(scene: dict[str, Any], data: st.DataObject) -> None:
    world, laptop = scene["world"], scene["laptop"]
    bad = data.draw(damaged(scene["push"]))
    assume(bad != scene["push"])
    path = scene["tmp"] / "damaged-push.rsb"
    path.write_bytes(bad)
    before = dump(world.engine)
    _refused(lambda: import_client_bundle(world.service, world.factory, path, blobs=world.blobs.store))
    assert dump(world.engine) == before
    assert laptop.store.pending_count() == 0


@FUZZ
@given(data=st.data())
def test_damaged_reply_is_refused_and_changes_nothing(scene: dict[str, Any], data: st.DataObject) -> None:
    laptop = scene["laptop"]
    bad = data.draw(damaged(scene["reply"]))
    assume(bad != scene["reply"])
    path = scene["tmp"] / "damaged-reply.rsb"
    path.write_bytes(bad)
    before = dump(laptop.store.engine)
    _refused(lambda: import_server_reply(laptop.client, path))
    assert dump(laptop.store.engine) == before


@settings(max_examples=300, deadline=None, database=None)
@given(blob=st.one_of(st.binary(max_size=512), st.binary(max_size=512).map(lambda b: MAGIC + b"\x01" + b)))
def test_reader_survives_arbitrary_bytes(blob: bytes) -> None:
    try:
        raw = parse_bundle(blob)
    except BundleError as exc:
        assert exc.message
        return
    with pytest.raises(BundleError):
        verify_bundle(raw, SigningKey.generate().verify_key)


# ------------------------------------------------------------------------------------ re-signed damage
def _resign(raw: RawBundle, body: bytes, key: SigningKey, body_size: int | None = None) -> bytes:
    """A bundle with a different compressed body, signed again with ``key`` (exercises the body reader)."""
    header = raw.header
    if body_size is not None:
        header = type(header)(header.kind, header.device_id, header.user_id, header.bundle_no, header.created_at,
                              header.signer, body_size, header.protocol)
    head = orjson.dumps(header.to_json(), option=orjson.OPT_SORT_KEYS)
    signed = b"".join((MAGIC, b"\x01", struct.pack(">I", len(head)), head, struct.pack(">Q", len(body)), body))
    return signed + key.sign(signed).signature


@FUZZ
@given(data=st.data())
def test_resigned_damaged_compression_is_refused(scene: dict[str, Any], data: st.DataObject) -> None:
    world, laptop = scene["world"], scene["laptop"]
    raw = parse_bundle(scene["push"])
    body = bytearray(raw.body)
    for _ in range(data.draw(st.integers(1, 4))):
        body[data.draw(st.integers(0, len(body) - 1))] ^= data.draw(st.integers(1, 255))
    lie = data.draw(st.one_of(st.none(), st.integers(0, 2**40)))
    path = scene["tmp"] / "resigned.rsb"
    path.write_bytes(_resign(raw, bytes(body), load_device_key(laptop.device_id), lie))
    before = dump(world.engine)
    try:
        import_client_bundle(world.service, world.factory, path, blobs=world.blobs.store)
    except BundleError as exc:
        assert exc.message
    assert dump(world.engine) == before  # refused, or (if the damage missed the content) a replay


def _json() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=40),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.sampled_from(["applied", "rejected", "insert", "update", "public", "reg_document",
                                        "01900000-0000-7000-8000-000000000001"]))
    return st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                        max_leaves=12)


def _mutate_json(data: st.DataObject, value: Any) -> Any:
    """Replace, drop or add one field somewhere in a JSON document."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["descend", "replace", "drop", "add"]))
        if action == "descend":
            value[key] = _mutate_json(data, value[key])
        elif action == "replace":
            value[key] = data.draw(_json())
        elif action == "drop":
            del value[key]
        else:
            value[data.draw(st.text(max_size=8))] = data.draw(_json())
        return value
    if isinstance(value, list) and value and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(value) - 1))
        action = data.draw(st.sampled_from(["descend", "replace", "drop", "duplicate"]))
        if action == "descend":
            value[i] = _mutate_json(data, value[i])
        elif action == "replace":
            value[i] = data.draw(_json())
        elif action == "drop":
            del value[i]
        else:
            value.append(copy.deepcopy(value[i]))
        return value
    return data.draw(_json())


def _body(bundle: bytes, key: Any) -> dict[str, Any]:
    raw = parse_bundle(bundle)
    verify_bundle(raw, key)
    return decode_body(raw)


def _compress(body: Any) -> tuple[bytes, int]:
    raw = orjson.dumps(body)
    return zstandard.ZstdCompressor(write_checksum=True, write_content_size=True).compress(raw), len(raw)


@FUZZ
@given(data=st.data())
def test_resigned_altered_push_bodies_import_or_are_refused(scene: dict[str, Any], data: st.DataObject) -> None:
    world, laptop = scene["world"], scene["laptop"]
    key = load_device_key(laptop.device_id)
    body = _mutate_json(data, _body(scene["push"], key.verify_key))
    try:
        parse_push_body(body) if isinstance(body, dict) else None
    except BundleError as exc:
        assert exc.message
    compressed, size = _compress(body)
    path = scene["tmp"] / "altered-push.rsb"
    path.write_bytes(_resign(parse_bundle(scene["push"]), compressed, key, size))
    try:
        import_client_bundle(world.service, world.factory, path, blobs=world.blobs.store)
    except BundleError as exc:
        assert exc.message


@FUZZ
@given(data=st.data())
def test_resigned_altered_replies_apply_or_are_refused_whole(scene: dict[str, Any], data: st.DataObject) -> None:
    from core.sync.keys import load_server_key

    laptop = scene["laptop"]
    key = load_server_key(scene["tmp"] / "server-data")
    body = _mutate_json(data, _body(scene["reply"], key.verify_key))
    try:
        parse_reply_body(body, REGISTRY) if isinstance(body, dict) else None
    except BundleError as exc:
        assert exc.message
    compressed, size = _compress(body)
    path = scene["tmp"] / "altered-reply.rsb"
    path.write_bytes(_resign(parse_bundle(scene["reply"]), compressed, key, size))
    before = dump(laptop.store.engine)
    try:
        import_server_reply(laptop.client, path)
    except BundleError as exc:
        assert exc.message
        assert dump(laptop.store.engine) == before  # all or nothing


@pytest.mark.parametrize("status", [[], {}, ["applied"]])
def test_an_answer_whose_status_is_not_a_word_is_refused_with_a_message(scene: dict[str, Any], status: Any) -> None:
    from core.sync.keys import load_server_key

    body = _body(scene["reply"], load_server_key(scene["tmp"] / "server-data").verify_key)
    body["results"][0]["status"] = status
    assert "第 1 条答复格式不正确" in _refused(lambda: parse_reply_body(body, REGISTRY)).message
