"""Work-around: some PySide6 builds (seen with 6.12.0 on CPython 3.11) return ``None`` from void
methods without taking a reference, as if ``None`` were immortal (it is only from CPython 3.12 on).

Every ``widget.setEnabled(...)`` then takes one reference from ``None``; a kiosk refreshing dozens of
seat tiles a second runs ``None``'s count down to zero within minutes and the interpreter aborts
("none_dealloc").  :func:`keep_none_alive` detects the fault once and, only then, gives ``None`` a
reference count no session can exhaust.  On CPython 3.12+ or a correct build it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

from apps.common.qt import QObject

_RESERVE = 1 << 48
_done = False


def void_calls_leak() -> bool:
    """Whether a void PySide call takes a reference from ``None``."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 100


def keep_none_alive() -> bool:
    """Apply the work-around if this interpreter and PySide6 need it; True when applied."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not void_calls_leak():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
    _done = True
    return True
