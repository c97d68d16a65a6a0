from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import World


@pytest.fixture
def world(tmp_path: Path, server_db_url: str) -> Iterator[World]:
    w = World(tmp_path, server_db_url)
    yield w
    w.close()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}")
    yield w
    w.close()
