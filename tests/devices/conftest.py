"""Fixtures for the seat-terminal tests: socat PTY pairs and unique channel names."""

from __future__ import annotations

import itertools
import select
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

_counter = itertools.count()


def unique(prefix: str) -> str:
    """A channel name no other test uses."""
    return f"{prefix}-{next(_counter)}-{time.monotonic_ns()}"


@pytest.fixture
def pty_pair() -> Iterator[tuple[str, str]]:
    """Two connected pseudo-terminals made by ``socat -d -d pty,raw,echo=0 pty,raw,echo=0``."""
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    proc = subprocess.Popen(
        ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    assert proc.stderr is not None
    names: list[str] = []
    deadline = time.monotonic() + 5.0
    buffer = b""
    try:
        while len(names) < 2 or b"starting data transfer" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"socat did not report two PTYs: {buffer!r}")
            ready, _, _ = select.select([proc.stderr], [], [], remaining)
            if ready:
                chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]
                if not chunk:
                    pytest.fail(f"socat exited: {buffer!r}")
                buffer += chunk
                names = [line.rsplit(" ", 1)[-1] for line in buffer.decode().splitlines() if "PTY is" in line]
        yield names[0], names[1]
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stderr.close()
