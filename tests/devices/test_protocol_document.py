"""The seat protocol's document and its code agree: the conformance checks are generated from the tables
of ``docs/seat-protocol.md`` (codes and names, reserved ranges, fixed payload sizes, timers and counts),
so a change to either side alone fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devices.seats import timing
from devices.seats.protocol import (
    Choice,
    Code,
    Led,
    PressMode,
    clock_payload,
    leds_payload,
    vote_open_payload,
    vote_payload,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "seat-protocol.md"
TEXT = DOC.read_text(encoding="utf-8")
CODE_ROW = re.compile(r"^\| (0x[0-9A-F]{2}) \| ([A-Z_]+) \| (.*) \|$", re.MULTILINE)
TIMER_ROW = re.compile(r"^\| `([A-Z_]+)` \| ([0-9.]+)( s)? \| .* \|$", re.MULTILINE)
SIZES = {"1": 1, "uint32": 4, "int16": 2}


def _documented_codes() -> dict[str, tuple[int, str]]:
    rows = {name: (int(code, 16), payload) for code, name, payload in CODE_ROW.findall(TEXT)}
    control = re.search(r"Control: `(0x[0-9A-F]{2}) ([A-Z]+)`", TEXT)
    assert control is not None, "the document names its control code"
    rows[control.group(2)] = (int(control.group(1), 16), "")
    return rows


def test_every_code_of_the_document_is_in_the_code_and_back() -> None:
    documented = {name: value for name, (value, _) in _documented_codes().items()}
    assert documented == {code.name: int(code) for code in Code}


def test_the_reserved_ranges_are_exactly_the_unused_codes() -> None:
    sentence = re.search(r"Codes ((?:0x[0-9A-F]{2}–0x[0-9A-F]{2}(?:, | and )?)+) are reserved", TEXT)
    assert sentence is not None
    reserved: set[int] = set()
    for low, high in re.findall(r"(0x[0-9A-F]{2})–(0x[0-9A-F]{2})", sentence.group(1)):
        reserved.update(range(int(low, 16), int(high, 16) + 1))
    assert reserved == set(range(1, 256)) - {int(code) for code in Code}


@pytest.mark.parametrize(("name", "payload"), [
    ("VOTE", vote_payload(3, Choice.NO, 2)),
    ("VOTE_OPEN", vote_open_payload(3, Choice.YES | Choice.NO, PressMode.LAST_PRESS_VALID, 1)),
    ("VOTE_CLOSE", bytes((3,))),
    ("LEDS", leds_payload(Led.SIGNED_IN, Led.SIGNED_IN, Led(0))),
    ("CLOCK", clock_payload(1_760_000_000, 480)),
])
def test_fixed_payloads_have_the_documented_size(name: str, payload: bytes) -> None:
    layout = _documented_codes()[name][1]
    fields = re.findall(r"\((1|uint32|int16)[;)]", layout)
    assert fields, f"{name}: no field sizes in the document's row"
    assert len(payload) == sum(SIZES[f] for f in fields), (name, layout)


def test_every_timer_and_count_of_the_document_is_the_code_s() -> None:
    documented = {name: float(value) for name, value, _ in TIMER_ROW.findall(TEXT)}
    in_code = {name: float(getattr(timing, name)) for name in dir(timing) if name.isupper()}
    assert documented == in_code


def test_the_document_names_its_timers_only_through_the_table() -> None:
    section = TEXT[TEXT.index("## 4. Acknowledgement"):TEXT.index("### 4.1")]
    assert not re.search(r"\b\d+ ?ms\b", section), "a timer written as a number instead of its name"
    for name in re.findall(r"`([A-Z_]+_(?:S|RETRIES|ATTEMPTS|COPIES|POLLS))`", section):
        assert hasattr(timing, name), name
