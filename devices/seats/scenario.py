"""Scenario files that script simulated seats: key presses and faults at time offsets.

JSON or TOML, for example::

    {"presses": [{"at": 0.0, "seats": "1-100", "key": "sign_in"},
                 {"at": 2.5, "seat": 7, "key": "card", "value": "04a1b2c3"},
                 {"at": 3.0, "seats": "1-60", "key": "yes", "spread": 1.0}],
     "faults":  [{"at": 1.0, "kind": "drop", "seat": 3, "count": 2},
                 {"at": 1.0, "kind": "corrupt", "seat": 4},
                 {"kind": "silence", "seat": 5, "from": 2.0, "to": 4.0}]}

``seats`` takes ``"1-100"``, ``"1,3,5"`` or a list; ``spread`` spaces the presses of a group evenly
over that many seconds.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.seats.errors import FrameError

KEYS = frozenset(
    {"sign_in", "sign_out", "card", "speak", "cancel", "yes", "no", "abstain", "priority", "priority_release",
     "fault"}
)
FAULTS = frozenset({"drop", "corrupt", "silence"})


@dataclass(frozen=True, slots=True)
class Press:
    """A key pressed on one seat ``at`` seconds after the scenario starts."""

    at: float
    seat: int
    key: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class FaultAction:
    """A fault on one seat: drop or corrupt its next ``count`` frames, or keep it silent until ``until``."""

    at: float
    kind: str
    seat: int
    count: int = 1
    until: float | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scripted run: presses and faults, each with a time offset in seconds."""

    presses: tuple[Press, ...] = ()
    faults: tuple[FaultAction, ...] = ()

    def actions(self) -> list[Press | FaultAction]:
        """All presses and faults in time order (faults first at equal times)."""
        items: list[Press | FaultAction] = [*self.faults, *self.presses]
        return sorted(items, key=lambda a: (a.at, isinstance(a, Press)))

    @property
    def duration(self) -> float:
        """The time of the last action or the end of the last silence."""
        ends = [a.at for a in self.actions()] + [f.until for f in self.faults if f.until is not None]
        return max(ends, default=0.0)

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read a scenario from a ``.json`` or ``.toml`` file."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise FrameError(f"scenario {path}: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Build a scenario from parsed JSON / TOML; raises FrameError on a bad entry."""
        presses: list[Press] = []
        for entry in data.get("presses", []):
            key = str(entry.get("key", ""))
            if key not in KEYS:
                raise FrameError(f"unknown key {key!r}; known: {', '.join(sorted(KEYS))}")
            seats = _seats(entry)
            at = float(entry.get("at", 0.0))
            spread = float(entry.get("spread", 0.0))
            value = entry.get("value")
            for i, seat in enumerate(seats):
                offset = spread * i / len(seats) if spread and seats else 0.0
                presses.append(Press(at + offset, seat, key, None if value is None else str(value)))
        faults: list[FaultAction] = []
        for entry in data.get("faults", []):
            kind = str(entry.get("kind", ""))
            if kind not in FAULTS:
                raise FrameError(f"unknown fault {kind!r}; known: {', '.join(sorted(FAULTS))}")
            for seat in _seats(entry):
                if kind == "silence":
                    start = float(entry.get("from", entry.get("at", 0.0)))
                    end = float(entry["to"]) if "to" in entry else None
                    if end is not None and end < start:
                        raise FrameError("a silence must end after it starts")
                    faults.append(FaultAction(start, kind, seat, until=end))
                else:
                    faults.append(FaultAction(float(entry.get("at", 0.0)), kind, seat, int(entry.get("count", 1))))
        return cls(tuple(presses), tuple(faults))


def _seats(entry: dict[str, Any]) -> list[int]:
    if "seat" in entry:
        return [int(entry["seat"])]
    spec = entry.get("seats")
    if isinstance(spec, list):
        return [int(s) for s in spec]
    if isinstance(spec, str):
        out: list[int] = []
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            out.extend(range(int(first), int(last or first) + 1))
        return out
    raise FrameError(f"scenario entry names no seat: {entry}")
