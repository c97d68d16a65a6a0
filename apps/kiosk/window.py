"""Opening the kiosk: resume the meeting from its journal if there is one, else start the prepared one.

``create_window(context)`` is what the desktop launcher calls (an ordinary window for the operator's
desk); ``open_kiosk(..., locked=True)`` is the hall's locked-down kiosk (``python -m apps.kiosk``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from apps.common.qt import QWidget
from apps.kiosk.lockdown import KioskWindow, PinStore
from apps.kiosk.panel import SeatPanel
from apps.kiosk.source import ConferenceFeed, open_journaled
from core.conference.meeting import MeetingSetup
from core.paths import data_dir


def default_journal() -> Path:
    return data_dir() / "kiosk" / "meeting.jsonl"


def open_kiosk(journal: Path | None = None, setup: Callable[[], MeetingSetup] | None = None,
               locked: bool = True, seat: int | None = None, pins: PinStore | None = None) -> KioskWindow:
    """The kiosk on the meeting journaled at ``journal`` (resumed if the file exists)."""
    from apps.kiosk.demo import demo_setup

    source, resumed = open_journaled(journal or default_journal(), setup or demo_setup)
    feed = ConferenceFeed(source)
    window = KioskWindow(feed, pins or PinStore(), seat=seat, panel_factory=lambda: SeatPanel(feed),
                         resumed=resumed, locked=locked)
    feed.setParent(window)
    return window


def open_linked_kiosk(folder: Path, link: str | None = None, bus: Any = None,
                      setup: Callable[[], MeetingSetup] | None = None, locked: bool = True,
                      seat: int | None = None, pins: PinStore | None = None,
                      records: Callable[[], Any] | None = None) -> tuple[KioskWindow, Any]:
    """The kiosk on a seat link: the conference runtime (journal in ``folder``, resumed if there is
    one) drives the rules in its worker thread; returns the window and the started runtime, which the
    caller stops when the application quits. ``records`` (a local store's session factory) receives the
    synced meeting records."""
    from apps.kiosk.demo import demo_setup
    from apps.kiosk.runtime import JOURNAL_NAME, ConferenceRuntime

    journal = folder / JOURNAL_NAME
    fresh = not (journal.exists() and journal.stat().st_size > 0)
    runtime = ConferenceRuntime(folder, (setup or demo_setup)() if fresh else None, link=link, bus=bus,
                                records=records).start()
    feed = ConferenceFeed(runtime)
    window = KioskWindow(feed, pins or PinStore(), seat=seat, panel_factory=None, resumed=runtime.resumed,
                         locked=locked)
    feed.setParent(window)
    return window, runtime


def open_records_store(path: Path) -> Any:
    """The local store (a signed-in client's SQLite database) the kiosk writes its records to."""
    from core.db import make_engine, migrate
    from core.sync.client import LocalStore

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return LocalStore(engine, path.parent / (path.stem + "-blobs"))


def create_window(context: Any) -> QWidget:
    """The conference console as an ordinary window, opened from the launcher."""
    window = open_kiosk(locked=False)
    window.resize(1600, 1000)
    return window
