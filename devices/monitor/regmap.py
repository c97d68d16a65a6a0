"""Modbus register maps: one TOML file per device model, validated, planned into block reads, decoded.

A map file (``resources/monitor/maps/MODEL.toml``) has a ``[device]`` table and ``[[point]]`` entries::

    [device]
    model = "precision-ac"
    name = "精密空调（通用 Modbus 映射）"
    word_order = "big"      # of 32-bit values: "big" (high word first) or "little"
    max_block = 60          # registers (or bits) in one read request
    max_gap = 0             # unused registers a block may span to save a request

    [[point]]
    key = "return_air_temp"
    label = "回风温度"
    table = "input"         # holding | input | coil | discrete
    address = 0             # 0-based protocol address
    type = "int16"          # uint16 | int16 | uint32 | int32 | float32 | bool (coils, discrete inputs)
    scale = 0.1             # value = raw * scale + offset
    offset = 0
    unit = "°C"

    [[point]]               # a status word split into bit fields; only the fields become readings
    key = "alarm_word"
    table = "holding"
    address = 20
    type = "uint16"
    bits = [
      { bit = 0, key = "high_temp_alarm", label = "高温告警" },
      { bit = 4, width = 2, key = "fan_stage", label = "风机档位" },
    ]

Everything here is pure (no I/O but reading the file) and tested with hypothesis.
"""

from __future__ import annotations

import math
import re
import struct
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from devices.monitor.base import ConfigError

TABLES = ("holding", "input", "coil", "discrete")
REGISTER_TYPES = {"uint16": 1, "int16": 1, "uint32": 2, "int32": 2, "float32": 2}
BIT_TABLES = ("coil", "discrete")
MAX_REGISTERS = 125  # one Modbus read of registers
MAX_BITS = 2000  # one Modbus read of coils / discrete inputs
KEY_RE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
MODEL_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class BitField:
    bit: int
    key: str
    label: str = ""
    width: int = 1


@dataclass(frozen=True, slots=True)
class MapPoint:
    key: str
    table: str
    address: int
    type: str
    label: str = ""
    unit: str = ""
    scale: float = 1.0
    offset: float = 0.0
    bits: tuple[BitField, ...] = ()

    @property
    def size(self) -> int:
        """Registers (or bits) this point spans."""
        return 1 if self.table in BIT_TABLES else REGISTER_TYPES[self.type]


@dataclass(frozen=True, slots=True)
class RegisterMap:
    model: str
    name: str
    points: tuple[MapPoint, ...]
    word_order: str = "big"
    max_block: int = 60
    max_gap: int = 0
    source: str = ""

    def keys(self) -> list[str]:
        out: list[str] = []
        for p in self.points:
            out.extend(b.key for b in p.bits) if p.bits else out.append(p.key)
        return out


@dataclass(frozen=True, slots=True)
class Block:
    """One read request: ``count`` registers or bits of ``table`` from ``start``."""

    table: str
    start: int
    count: int
    points: tuple[MapPoint, ...] = field(default=())


# --- validation ------------------------------------------------------------------------------------


def _where(source: str, index: int | None, key: Any = None) -> str:
    if index is None:
        return f"映射文件 {source}"
    name = f"（{key}）" if isinstance(key, str) and key else ""
    return f"映射文件 {source} 第 {index + 1} 个测点{name}"


def _int(value: Any, where: str, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}：{what}必须是 {low}–{high} 的整数，现在是 {value!r}")
    return value


def _num(value: Any, where: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where}：{what}必须是数字，现在是 {value!r}")
    return float(value)


def _text(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}：{what}必须是文字，现在是 {value!r}")
    return value


def _point(raw: Any, source: str, index: int) -> MapPoint:
    if not isinstance(raw, dict):
        raise ConfigError(f"{_where(source, index)}：应是一个表（[[point]]）")
    where = _where(source, index, raw.get("key"))
    known = {"key", "label", "table", "address", "type", "scale", "offset", "unit", "bits"}
    extra = sorted(set(raw) - known)
    if extra:
        raise ConfigError(f"{where}：不认识的字段 {'、'.join(extra)}")
    for need in ("key", "table", "address"):
        if need not in raw:
            raise ConfigError(f"{where}：缺少“{need}”")
    key = _text(raw["key"], where, "key")
    if not KEY_RE.match(key):
        raise ConfigError(f"{where}：key 只能用小写字母、数字、下划线和点，且以字母开头：{key!r}")
    table = raw["table"]
    if table not in TABLES:
        raise ConfigError(f"{where}：table 必须是 {'、'.join(TABLES)} 之一，现在是 {table!r}")
    kind = raw.get("type", "bool" if table in BIT_TABLES else "uint16")
    if table in BIT_TABLES:
        if kind != "bool":
            raise ConfigError(f"{where}：线圈和离散输入只能是 bool 类型，现在是 {kind!r}")
    elif kind not in REGISTER_TYPES:
        raise ConfigError(f"{where}：type 必须是 {'、'.join(REGISTER_TYPES)} 之一，现在是 {kind!r}")
    size = 1 if table in BIT_TABLES else REGISTER_TYPES[kind]
    address = _int(raw["address"], where, "address", 0, 65536 - size)
    scale = _num(raw.get("scale", 1.0), where, "scale")
    if scale == 0:
        raise ConfigError(f"{where}：scale 不能为 0")
    offset = _num(raw.get("offset", 0.0), where, "offset")
    bits: list[BitField] = []
    if "bits" in raw:
        if kind not in ("uint16", "uint32"):
            raise ConfigError(f"{where}：只有 uint16 或 uint32 寄存器可以拆分位字段")
        if not isinstance(raw["bits"], list) or not raw["bits"]:
            raise ConfigError(f"{where}：bits 必须是非空列表")
        if "scale" in raw or "offset" in raw:
            raise ConfigError(f"{where}：位字段不能同时设置 scale 或 offset")
        width_total = 16 * REGISTER_TYPES[kind]
        used: set[int] = set()
        for n, b in enumerate(raw["bits"]):
            bw = f"{where} 位字段第 {n + 1} 项"
            if not isinstance(b, dict) or "bit" not in b or "key" not in b:
                raise ConfigError(f"{bw}：需要 bit 和 key")
            extra = sorted(set(b) - {"bit", "key", "label", "width"})
            if extra:
                raise ConfigError(f"{bw}：不认识的字段 {'、'.join(extra)}")
            bit = _int(b["bit"], bw, "bit", 0, width_total - 1)
            width = _int(b.get("width", 1), bw, "width", 1, width_total - bit)
            bkey = _text(b["key"], bw, "key")
            if not KEY_RE.match(bkey):
                raise ConfigError(f"{bw}：key 只能用小写字母、数字、下划线和点，且以字母开头：{bkey!r}")
            span = set(range(bit, bit + width))
            if used & span:
                raise ConfigError(f"{bw}：与前面的位字段重叠（位 {min(used & span)}）")
            used |= span
            bits.append(BitField(bit, bkey, _text(b.get("label", ""), bw, "label"), width))
    return MapPoint(key=key, table=table, address=address, type=kind,
                    label=_text(raw.get("label", ""), where, "label"), unit=_text(raw.get("unit", ""), where, "unit"),
                    scale=scale, offset=offset, bits=tuple(bits))


def parse_map(text: str, source: str = "<text>") -> RegisterMap:
    """Parse and validate a map file's text; every fault is a ConfigError naming the file and entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"映射文件 {source} 不是有效的 TOML：{exc}") from None
    device = data.get("device")
    if not isinstance(device, dict):
        raise ConfigError(f"映射文件 {source}：缺少 [device] 表")
    extra = sorted(set(data) - {"device", "point"})
    if extra:
        raise ConfigError(f"映射文件 {source}：不认识的表 {'、'.join(extra)}")
    where = f"映射文件 {source} 的 [device]"
    model = _text(device.get("model", ""), where, "model")
    if not MODEL_RE.match(model):
        raise ConfigError(f"{where}：model 只能用小写字母、数字、“-”和“_”：{model!r}")
    word_order = device.get("word_order", "big")
    if word_order not in ("big", "little"):
        raise ConfigError(f"{where}：word_order 必须是 big 或 little，现在是 {word_order!r}")
    max_block = _int(device.get("max_block", 60), where, "max_block", 1, MAX_REGISTERS)
    max_gap = _int(device.get("max_gap", 0), where, "max_gap", 0, MAX_REGISTERS)
    raw_points = data.get("point")
    if not isinstance(raw_points, list) or not raw_points:
        raise ConfigError(f"映射文件 {source}：至少要有一个 [[point]]")
    points = [_point(raw, source, i) for i, raw in enumerate(raw_points)]
    seen: dict[str, int] = {}
    for i, p in enumerate(points):
        for key in [b.key for b in p.bits] if p.bits else [p.key]:
            if key in seen:
                raise ConfigError(f"{_where(source, i, p.key)}：测点名 {key} 与第 {seen[key] + 1} 个测点重复")
            seen[key] = i
    return RegisterMap(model=model, name=_text(device.get("name", model), where, "name"), points=tuple(points),
                       word_order=word_order, max_block=max_block, max_gap=max_gap, source=source)


def load_map(name_or_path: str | Path) -> RegisterMap:
    """Load a map by model name (``resources/monitor/maps/NAME.toml``) or by file path."""
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or text_name.endswith(".toml") or "/" in text_name or "\\" in text_name:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"读不了映射文件 {path}：{exc}") from None
        return parse_map(text, path.name)
    if not MODEL_RE.match(text_name):
        raise ConfigError(f"设备型号名称无效：{text_name!r}")
    ref = resources.files("resources.monitor.maps").joinpath(f"{text_name}.toml")
    if not ref.is_file():
        raise ConfigError(f"没有型号“{text_name}”的寄存器映射；可用：{'、'.join(available_maps())}")
    return parse_map(ref.read_text(encoding="utf-8"), f"{text_name}.toml")


def available_maps() -> list[str]:
    root = resources.files("resources.monitor.maps")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


# --- planning ----------------------------------------------------------------------------------------


def plan_reads(points: Sequence[MapPoint], max_block: int = 60, max_gap: int = 0) -> list[Block]:
    """Group points into as few read requests as the limits allow. Registers of a block are contiguous
    apart from gaps of at most ``max_gap`` unused registers; no block is longer than ``max_block``
    registers (``MAX_BITS`` bits for coils and discrete inputs, capped the same way)."""
    blocks: list[Block] = []
    for table in TABLES:
        mine = sorted((p for p in points if p.table == table), key=lambda p: (p.address, p.size))
        limit = min(max_block * (16 if table in BIT_TABLES else 1), MAX_BITS if table in BIT_TABLES else MAX_REGISTERS)
        start = end = -1
        members: list[MapPoint] = []
        for p in mine:
            p_end = p.address + p.size
            if members and p.address <= end + max_gap and max(end, p_end) - start <= limit:
                end = max(end, p_end)
                members.append(p)
                continue
            if members:
                blocks.append(Block(table, start, end - start, tuple(members)))
            start, end, members = p.address, p_end, [p]
        if members:
            blocks.append(Block(table, start, end - start, tuple(members)))
    return blocks


# --- decoding ----------------------------------------------------------------------------------------


def decode_registers(words: Sequence[int], kind: str, word_order: str = "big") -> int | float:
    """Decode one value from 16-bit registers (each register big-endian, as Modbus sends it)."""
    if len(words) != REGISTER_TYPES[kind]:
        raise ValueError(f"{kind} needs {REGISTER_TYPES[kind]} registers, got {len(words)}")
    if any(not 0 <= w <= 0xFFFF for w in words):
        raise ValueError("a register holds 0..65535")
    ordered = list(words) if word_order == "big" else list(reversed(words))
    raw = b"".join(w.to_bytes(2, "big") for w in ordered)
    fmt = {"uint16": ">H", "int16": ">h", "uint32": ">I", "int32": ">i", "float32": ">f"}[kind]
    value: int | float = struct.unpack(fmt, raw)[0]
    return value


def encode_registers(value: int | float, kind: str, word_order: str = "big") -> list[int]:
    """The inverse of :func:`decode_registers` (used by simulators and tests)."""
    fmt = {"uint16": ">H", "int16": ">h", "uint32": ">I", "int32": ">i", "float32": ">f"}[kind]
    raw = struct.pack(fmt, value)
    words = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
    return words if word_order == "big" else list(reversed(words))


def scaled(raw: int | float, point: MapPoint) -> float | int:
    """Apply the point's scale and offset; an unscaled integer stays an integer."""
    if point.scale == 1.0 and point.offset == 0.0 and isinstance(raw, int):
        return raw
    value = raw * point.scale + point.offset
    # Round away binary noise of decimal scales (0.1 * 253 = 25.300000000000001).
    return round(value, 10)


def bit_field(raw: int, field_: BitField) -> bool | int:
    value = (raw >> field_.bit) & ((1 << field_.width) - 1)
    return bool(value) if field_.width == 1 else value


def decode_point(point: MapPoint, block: Block, data: Sequence[int] | Sequence[bool],
                 word_order: str = "big") -> list[tuple[str, float | int | bool]]:
    """(key, value) pairs of one point from its block's data; bit fields give one pair per field."""
    at = point.address - block.start
    if point.table in BIT_TABLES:
        return [(point.key, bool(data[at]))]
    words = [int(w) for w in data[at:at + point.size]]
    raw = decode_registers(words, point.type, word_order)
    if point.bits:
        return [(b.key, bit_field(int(raw), b)) for b in point.bits]
    return [(point.key, scaled(raw, point))]
