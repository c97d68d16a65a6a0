"""Property tests of the pure parts: NUT's line protocol, register decoding, read planning, map files,
addresses."""

from __future__ import annotations

import contextlib
import math
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.monitor import ConfigError, DeviceProtocolError, Quality, Reading, parse_address, redact
from devices.monitor.nut import NutError, parse_var, quote, readings_from_variables, split_words, status_flags
from devices.monitor.regmap import (
    BitField,
    MapPoint,
    available_maps,
    bit_field,
    decode_point,
    decode_registers,
    encode_registers,
    load_map,
    parse_map,
    plan_reads,
    scaled,
)

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x00"), max_size=40)
names = st.from_regex(r"[a-z][a-z0-9_.-]{0,20}", fullmatch=True)


# --- NUT ---------------------------------------------------------------------------------------------


@given(texts)
def test_quote_then_split_gives_the_word_back(value: str) -> None:
    assert split_words(quote(value)) == [value]


@given(names, names, texts)
def test_var_lines_round_trip(ups: str, var: str, value: str) -> None:
    assert parse_var(f"VAR {ups} {var} {quote(value)}", ups) == (var, value)


@given(st.text(max_size=60))
def test_any_line_parses_or_raises_a_protocol_error(line: str) -> None:
    with contextlib.suppress(DeviceProtocolError):
        parse_var(line, "ups1")


def test_err_lines_become_typed_errors_in_chinese() -> None:
    with pytest.raises(NutError, match="失去联系") as info:
        parse_var("ERR DATA-STALE", "ups1")
    assert info.value.code == "DATA-STALE"


@given(st.lists(st.sampled_from(["OL", "OB", "LB", "RB", "CHRG", "DISCHRG", "BYPASS", "OVER", "TRIM"]),
                max_size=5))
def test_status_flags_map_to_bools(flags: list[str]) -> None:
    readings = {r.key: r.value for r in readings_from_variables({"ups.status": " ".join(flags)})}
    assert readings["ups.on_battery"] is ("OB" in flags)
    assert readings["ups.low_battery"] is ("LB" in flags)
    assert readings["ups.online"] is ("OL" in flags)
    assert status_flags(" ".join(flags)) == set(flags)


@given(st.dictionaries(st.sampled_from(["battery.charge", "battery.runtime", "ups.load", "input.voltage"]),
                       st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), texts)))
def test_numbers_are_good_or_bad_never_an_exception(values: dict[str, str]) -> None:
    for r in readings_from_variables(values):
        if r.good and r.key in values:
            assert isinstance(r.value, float) and math.isfinite(r.value)
        if r.key in ("battery.charge", "battery.runtime", "ups.load", "input.voltage") and r.key not in values:
            assert r.quality is Quality.BAD


# --- registers ---------------------------------------------------------------------------------------

KINDS = {"uint16": st.integers(0, 0xFFFF), "int16": st.integers(-0x8000, 0x7FFF),
         "uint32": st.integers(0, 0xFFFFFFFF), "int32": st.integers(-0x80000000, 0x7FFFFFFF),
         "float32": st.floats(width=32, allow_nan=False)}


@given(st.data(), st.sampled_from(sorted(KINDS)), st.sampled_from(["big", "little"]))
def test_encode_then_decode_gives_the_value_back(data: st.DataObject, kind: str, order: str) -> None:
    value = data.draw(KINDS[kind])
    words = encode_registers(value, kind, order)
    assert all(0 <= w <= 0xFFFF for w in words)
    assert decode_registers(words, kind, order) == value


def test_word_order_of_a_float() -> None:
    hi, lo = struct.unpack(">HH", struct.pack(">f", 21.5))
    assert decode_registers([hi, lo], "float32", "big") == 21.5
    assert decode_registers([lo, hi], "float32", "little") == 21.5


@given(st.integers(0, 0xFFFF), st.integers(0, 15), st.integers(1, 4))
def test_bit_fields_extract_their_bits(raw: int, bit: int, width: int) -> None:
    width = min(width, 16 - bit)
    value = bit_field(raw, BitField(bit, "x", width=width))
    expected = (raw >> bit) & ((1 << width) - 1)
    assert value == (bool(expected) if width == 1 else expected)


@given(st.integers(-0x8000, 0x7FFF), st.sampled_from([0.1, 0.01, 1.0, 10.0]), st.sampled_from([0.0, -40.0]))
def test_scaling_is_linear_and_free_of_binary_noise(raw: int, scale: float, offset: float) -> None:
    point = MapPoint("t", "holding", 0, "int16", scale=scale, offset=offset)
    assert scaled(raw, point) == pytest.approx(raw * scale + offset)
    if scale == 0.1 and offset == 0.0:
        assert scaled(raw, point) == round(raw / 10, 1)


points_strategy = st.lists(
    st.builds(lambda table, address, kind: MapPoint(f"p{address}", table, address,
                                                    "bool" if table in ("coil", "discrete") else kind),
              st.sampled_from(["holding", "input", "coil", "discrete"]), st.integers(0, 400),
              st.sampled_from(["uint16", "int32", "float32"])),
    max_size=40,
)


@given(points_strategy, st.integers(1, 125), st.integers(0, 10))
def test_planned_blocks_cover_every_point_within_the_limits(points: list[MapPoint], max_block: int,
                                                             max_gap: int) -> None:
    blocks = plan_reads(points, max_block, max_gap)
    covered = [p for b in blocks for p in b.points]
    assert sorted(covered, key=id) == sorted(points, key=id)
    for b in blocks:
        bits = b.table in ("coil", "discrete")
        assert b.count <= (min(max_block * 16, 2000) if bits else max_block) or len(b.points) == 1
        for p in b.points:
            assert p.table == b.table
            assert b.start <= p.address and p.address + p.size <= b.start + b.count
    # Decoding a block of zeros gives every point a value.
    for b in blocks:
        data = [False] * b.count if b.table in ("coil", "discrete") else [0] * b.count
        for p in b.points:
            assert decode_point(p, b, data)


# --- map files ---------------------------------------------------------------------------------------


def test_every_shipped_map_loads() -> None:
    assert set(available_maps()) >= {"precision-ac", "temp-humidity", "leak-cable", "fire-panel", "door-contact"}
    for model in available_maps():
        regmap = load_map(model)
        assert regmap.model == model
        assert len(set(regmap.keys())) == len(regmap.keys())


GOOD = """
[device]
model = "t"
[[point]]
key = "a"
table = "holding"
address = 1
"""


@pytest.mark.parametrize(("text", "message"), [
    ("[device\n", "不是有效的 TOML"),
    ("[[point]]\nkey='a'\ntable='holding'\naddress=0\n", "缺少 \\[device\\]"),
    ("[device]\nmodel='t'\n", "至少要有一个"),
    (GOOD.replace('table = "holding"', 'table = "registers"'), "第 1 个测点（a）：table"),
    (GOOD.replace("address = 1", "address = 70000"), "第 1 个测点（a）：address"),
    (GOOD.replace("address = 1", 'address = "1"'), "address"),
    (GOOD + 'type = "double"\n', "type"),
    (GOOD + "scale = 0\n", "scale 不能为 0"),
    (GOOD.replace('key = "a"', 'key = "A b"'), "key 只能"),
    (GOOD + "colour = 1\n", "不认识的字段 colour"),
    (GOOD + '[[point]]\nkey = "a"\ntable = "input"\naddress = 0\n', "第 2 个测点（a）：测点名 a 与第 1 个"),
    (GOOD.replace('table = "holding"', 'table = "coil"') + 'type = "uint16"\n', "只能是 bool"),
    (GOOD + 'type = "float32"\nbits = [{bit = 0, key = "x"}]\n', "位字段"),
    (GOOD + 'bits = [{bit = 16, key = "x"}]\n', "位字段第 1 项：bit"),
    (GOOD + 'bits = [{bit = 0, key = "x", width = 2}, {bit = 1, key = "y"}]\n', "位字段第 2 项：与前面的位字段重叠"),
    (GOOD.replace('model = "t"', 'model = "T T"'), "model"),
    (GOOD.replace('model = "t"', 'model = "t"\nword_order = "middle"'), "word_order"),
])
def test_bad_map_files_name_the_file_and_entry(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_map(text, "my-ac.toml")
    assert "my-ac.toml" in str(info.value)


def test_a_map_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "vendor-x.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_map(path).keys() == ["a"]
    with pytest.raises(ConfigError, match="读不了映射文件"):
        load_map(tmp_path / "missing.toml")


@given(st.text(max_size=300))
def test_any_text_is_a_map_or_a_config_error(text: str) -> None:
    try:
        parse_map(text, "fuzz.toml")
    except ConfigError as exc:
        assert "fuzz.toml" in str(exc)


# --- addresses and readings ---------------------------------------------------------------------------


def test_addresses_parse_into_driver_options() -> None:
    assert parse_address("nut://127.0.0.1/ups1") == ("nut", {"host": "127.0.0.1", "port": 3493, "ups": "ups1"})
    assert parse_address("modbus-tcp://10.0.0.5?unit=2&map=precision-ac") == (
        "modbus-tcp", {"transport": "tcp", "host": "10.0.0.5", "port": 502, "unit": "2", "map": "precision-ac"})
    assert parse_address("modbus-rtu:///dev/ttyUSB0?baud=9600&unit=1&map=leak-cable")[1]["device"] == "/dev/ttyUSB0"
    assert parse_address("modbus-rtu://COM3?map=leak-cable")[1]["device"] == "COM3"
    scheme, opts = parse_address("snmp://public@192.0.2.1:1161?version=2c&profile=ups-mib")
    assert (scheme, opts["community"], opts["port"]) == ("snmp", "public", 1161)
    scheme, opts = parse_address("snmpv3://mon@192.0.2.1?auth=SHA:x&priv=AES:y")
    assert (opts["user"], opts["version"], opts["auth"]) == ("mon", "3", "SHA:x")


@pytest.mark.parametrize(("address", "message"), [
    ("", "为空"),
    ("127.0.0.1:3493", "类型前缀"),
    ("nut://127.0.0.1", "UPS名称"),
    ("nut://127.0.0.1:99999/ups", "端口"),
    ("modbus-tcp://?map=x", "modbus-tcp://主机"),
    ("modbus-rtu://?map=x", "modbus-rtu"),
    ("snmp://127.0.0.1", "团体名"),
    ("nut://h/u?timeout=1&timeout=2", "重复"),
    ("bacnet://h/1", "不支持的设备地址类型"),
])
def test_bad_addresses_say_what_is_wrong(address: str, message: str) -> None:
    from devices.monitor import open_device

    with pytest.raises(ConfigError, match=message):
        open_device(address)


@given(st.text(max_size=80))
def test_any_address_parses_or_raises_a_config_error(address: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_address(address)
    with pytest.raises(ConfigError):
        parse_address("nut://[::1/ups")


def test_secrets_never_reach_messages() -> None:
    text = redact("snmpv3://mon@h?auth=SHA:topsecret1&priv=AES:topsecret2&profile=ups-mib")
    assert "topsecret" not in text and "SHA:***" in text
    assert "pw" not in redact("nut://admin:pw@h/ups1")


def test_readings_are_utc_and_stale_keeps_the_value() -> None:
    r = Reading("t", 21.5, "°C")
    assert r.timestamp.tzinfo is not None and r.good
    s = r.as_stale()
    assert (s.value, s.quality, s.timestamp) == (21.5, Quality.STALE, r.timestamp)
    with pytest.raises(ValueError):
        Reading("t", 1.0, timestamp=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        Reading("t", float("nan"))
    assert Reading("t", None, quality=Quality.BAD, timestamp=datetime(2026, 1, 1, tzinfo=UTC)).value is None


def test_a_vendor_driver_registers_under_its_own_scheme() -> None:
    from devices.monitor import BaseDriver, available_schemes, open_device, register_driver

    class Bacnet(BaseDriver):
        def __init__(self, address: str, **options: object) -> None:
            super().__init__(address)
            self.options = options

    register_driver("bacnet-test", Bacnet)
    assert "bacnet-test" in available_schemes()
    dev = open_device("bacnet-test://10.0.0.9/3?instance=7")
    assert isinstance(dev, Bacnet)
    assert dev.address == "bacnet-test://10.0.0.9/3?instance=7"
    assert dev.options == {"instance": "7"}
