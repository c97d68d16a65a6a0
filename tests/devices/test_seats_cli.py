"""`renda seats simulate` and `renda seats listen` on an in-process link."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pytest

from apps.cli import main
from devices.seats import Code, open_bus
from devices.seats.master import SeatMaster
from devices.seats.simulator import SeatSimulator
from tests.devices.conftest import unique


def test_simulate_runs_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    channel = unique("cli")
    scenario = tmp_path / "signin.json"
    scenario.write_text(json.dumps({"presses": [{"at": 0.0, "seats": "1-5", "key": "sign_in"}],
                                    "faults": [{"at": 0.0, "kind": "drop", "seat": 2}]}), encoding="utf-8")
    with open_bus("virtual", channel=channel) as console:
        master = SeatMaster(console, range(1, 6))
        result: list[int] = []
        runner = threading.Thread(target=lambda: result.append(main(
            ["seats", "simulate", "--link", f"virtual://{channel}", "--seats", "5", "--scenario", str(scenario),
             "--duration", "1.0"])))
        runner.start()
        try:
            events = master.collect(lambda ev: len({e.address for e in ev if e.code == Code.SIGN_IN}) == 5,
                                    timeout=10.0)
        finally:
            runner.join(timeout=10.0)
    assert result == [0]
    assert Counter(e.address for e in events) == Counter(dict.fromkeys(range(1, 6), 1))
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["seats"] == 5 and figures["dropped"] == 1 and figures["unacknowledged"] == 0


def test_listen_prints_events(capsys: pytest.CaptureFixture[str]) -> None:
    channel = unique("cli-listen")
    with open_bus("virtual", channel=channel) as seat_side, SeatSimulator(seat_side, range(1, 4)) as sim:
        for address in range(1, 4):
            sim.press(address, "speak")
        assert main(["seats", "listen", "--link", f"virtual://{channel}", "--seats", "3", "--duration", "0.5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert sum("REQUEST_SPEAK" in line for line in lines) == 3
    assert json.loads(lines[-1])["events"] == 3


def test_bad_link_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seats", "simulate", "--link", "tcp://127.0.0.1", "--seats", "2", "--duration", "0"]) == 1
    assert "tcp://HOST:PORT" in capsys.readouterr().out
