"""The kiosk's faces on the conference runtime: seat terminals (simulated) on a virtual link."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from apps.kiosk.lockdown import PinStore
from apps.kiosk.window import open_linked_kiosk
from devices.seats import open_bus
from devices.seats.simulator import SeatSimulator
from tests.devices.conftest import unique
from tests.helpers.waits import WAIT_S

SEATS = range(1, 31)


def test_seat_terminals_on_a_link_drive_the_console_and_the_big_screen(qtbot: QtBot, tmp_path: Path) -> None:
    pins = PinStore(tmp_path / "kiosk.ini")
    pins.set_pin("2468")
    channel = unique("kiosk")
    with open_bus("virtual", channel=channel) as console_bus, open_bus("virtual", channel=channel) as seat_bus, \
            SeatSimulator(seat_bus, SEATS) as sim:
        window, runtime = open_linked_kiosk(tmp_path / "meeting", bus=console_bus, pins=pins, locked=False)
        qtbot.addWidget(window)
        try:
            window.show()
            console, big = window.console, window.bigscreen
            assert not window.feed.drives_rules
            for seat in range(1, 21):
                assert sim.press(seat, "sign_in")
            qtbot.waitUntil(lambda: "20 / 全体 30" in console.attendance.text())
            assert console.seat_map.states()[20] == "present" and console.seat_map.states()[21] == "absent"
            console.open_meeting_button.click()
            console.select_item("b1")
            console.duration_spin.setValue(0)  # the chair ends this one
            console.open_vote_button.click()
            qtbot.waitUntil(lambda: console.close_vote_button.isEnabled())
            assert sim.wait_until(lambda s: all(v.vote_id is not None for v in s.seats.values()), WAIT_S)
            for seat in range(1, 17):
                assert sim.press(seat, "yes")
            qtbot.waitUntil(lambda: "已表决 16" in console.tally.text())
            assert console.seat_map.states()[16] == "voted"
            console.close_vote_button.click()
            qtbot.waitUntil(lambda: big.verdict.text() == "通过")
            assert "组织法" in big.citation.text()
        finally:
            window.feed.detach()
            runtime.stop()
