from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers.live_server import LiveServer, live_server, start_live_server

__all__ = ["live_server"]


@pytest.fixture
def server(tmp_path: Path, server_db_url: str) -> Iterator[LiveServer]:
    """A live server on SQLite and on PostgreSQL, with the demo users."""
    with start_live_server(tmp_path, server_db_url) as live:
        yield live


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
