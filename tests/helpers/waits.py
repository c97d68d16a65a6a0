"""How long a test waits for work it does not drive itself (a worker thread, a server, a device, a subprocess)
before it calls the work hung.

A wait that is met returns at once, so the figure costs nothing while all is well. It is long because a shared
machine under load can run the suite several times slower than a desktop: on one such CI run every test took
four to six times its usual time, and waits of 5 or 30 seconds for a page that normally loads in a tenth of a
second ran out. A hang still fails, after :data:`WAIT_S` instead of hanging the run (``pytest-timeout`` stops
any test after ten minutes).

The desktop tests' ``qtbot`` (``tests/conftest.py``) waits this long unless a test says otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

WAIT_S = 120.0
WAIT_MS = int(WAIT_S * 1000)
POLL_S = 0.02


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_S, what: str = "condition",
             tolerate: tuple[type[BaseException], ...] = ()) -> Any:
    """Poll ``condition`` until it returns something truthy and return that; fail after ``timeout`` seconds.

    Exceptions of the ``tolerate`` types count as "not yet" (a peer that is still starting); the last one is
    named in the failure.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = condition()
        except tolerate as exc:
            last = exc
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}: last {last!r}")
        time.sleep(POLL_S)
