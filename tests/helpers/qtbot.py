"""The suite's ``qtbot``: pytest-qt's, with the suite's patience as the default of every wait.

pytest-qt waits five seconds when a test names no time-out. On a loaded machine a page that normally loads in a
tenth of a second can take longer than that, and the test would fail for the machine's sake, not the program's.
A wait that is met returns at once, so the longer default costs nothing while all is well. Imported only by the
``qtbot`` fixture, so that Qt is loaded only by the tests that use it.
"""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.helpers.waits import WAIT_MS


class PatientQtBot(QtBot):
    def waitSignal(self, signal: Any, *, timeout: int = WAIT_MS, **kwargs: Any) -> Any:
        return super().waitSignal(signal, timeout=timeout, **kwargs)

    def waitSignals(self, signals: Any, *, timeout: int = WAIT_MS, **kwargs: Any) -> Any:
        return super().waitSignals(signals, timeout=timeout, **kwargs)

    def waitUntil(self, callback: Any, *, timeout: int = WAIT_MS) -> None:
        super().waitUntil(callback, timeout=timeout)

    def waitCallback(self, *, timeout: int = WAIT_MS, **kwargs: Any) -> Any:
        return super().waitCallback(timeout=timeout, **kwargs)

    def waitExposed(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitExposed(widget, timeout=timeout)

    def waitActive(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitActive(widget, timeout=timeout)
