from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.kannel import Kannel, missing_binaries


@pytest.fixture
def kannel(tmp_path: Path) -> Iterator[Kannel]:
    """A running Kannel (bearerbox + smsbox) with the fakesmsc SMS centre, on free ports."""
    missing = missing_binaries()
    if missing:
        pytest.skip(f"Kannel is not installed (missing {', '.join(missing)}; apt-get install kannel kannel-extras)")
    root = tmp_path / "kannel"
    root.mkdir()
    rig = Kannel(root).start()
    try:
        yield rig
    finally:
        rig.stop()
