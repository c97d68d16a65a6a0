"""Qt housekeeping between tests (no Qt import unless a test already brought Qt in)."""

from __future__ import annotations

import sys


def delete_closed_objects() -> None:
    """Delete now the objects Qt was asked to delete later (``deleteLater``), with their children and timers.

    pytest-qt closes a test's widgets and calls ``deleteLater`` on them; Qt deletes such objects only when an event
    loop next runs, which is in the next test, and a timer of theirs (the kiosk's tick, a page's refresh) could
    fire there first, writing into a folder of the test that made it."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
