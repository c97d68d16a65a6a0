"""Fixtures of the kiosk tests: a demo meeting fed through the kiosk's feed with a clock the test moves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from apps.kiosk.source import ConferenceFeed

# The offscreen platform notes that it cannot propagate size hints or raise windows; not our bug.
OFFSCREEN_NOTES = r"This plugin does not support .*"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOTES))


class Clock:
    """A monotonic clock the test advances by hand."""

    def __init__(self, t: float = 10.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def feed(qapp: object, clock: Clock) -> ConferenceFeed:
    """A 30-member demo meeting, not yet open; the feed's timer is off (the test ticks)."""
    from apps.kiosk.demo import demo_setup
    from apps.kiosk.source import ConferenceFeed, LocalConference
    from core.conference.state import ConferenceState

    return ConferenceFeed(LocalConference(ConferenceState(demo_setup())), clock=clock, tick_ms=0)
