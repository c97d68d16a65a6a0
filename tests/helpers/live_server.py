"""A real server for tests: uvicorn in a background thread on a free port, with the demo users seeded.

Use :func:`start_live_server` as a context manager, or the ``live_server`` fixture (SQLite)::

    from tests.helpers.live_server import live_server  # noqa: F401  (in a conftest)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from apps.server.embedded import EmbeddedServer
from apps.server.services import ServerServices
from apps.server.settings import ServerSettings
from core.auth.service import DEMO_PASSWORD, DEMO_USERS

# Argon2id at a cost that keeps tests quick; production keeps the library's defaults.
FAST_HASHING: dict[str, Any] = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


def server_settings(tmp_path: Path, db_url: str | None = None, **overrides: Any) -> ServerSettings:
    """Settings for a throwaway server under ``tmp_path`` (SQLite unless ``db_url`` is given)."""
    values: dict[str, Any] = {
        "db_url": db_url or f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "data_dir": tmp_path / "server-data",
        "host": "127.0.0.1",
        "port": 0,
        **FAST_HASHING,
    }
    values.update(overrides)
    return ServerSettings(**values)


@dataclass
class LiveServer:
    """A running server: its URL, its services, and the demo users (user name → id)."""

    server: EmbeddedServer
    users: dict[str, str] = field(default_factory=dict)
    password: str = DEMO_PASSWORD

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def services(self) -> ServerServices:
        assert self.server.services is not None
        return self.server.services

    def token_for(self, username: str, password: str | None = None) -> str:
        """A fresh token for ``username``, straight from the identity service (no HTTP round trip)."""
        token, _principal = self.services.identity.authenticate(username, password or self.password, "127.0.0.1")
        return token

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token_for(username)}"}

    def login(self, username: str, password: str | None = None) -> requests.Response:
        return requests.post(f"{self.url}/api/auth/login", timeout=30,
                             json={"username": username, "password": password or self.password})


@contextmanager
def start_live_server(tmp_path: Path, db_url: str | None = None, demo_users: bool = True,
                      **overrides: Any) -> Iterator[LiveServer]:
    """Start a server on a free port and stop it afterwards."""
    server = EmbeddedServer(server_settings(tmp_path, db_url, **overrides)).start()
    try:
        live = LiveServer(server)
        if demo_users:
            live.services.identity.ensure_demo_users()
            live.users = {u.username: u.id for u in live.services.identity.list_users()
                          if u.username in dict(DEMO_USERS)}
        yield live
    finally:
        server.stop()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server on a temporary SQLite database with the demo users."""
    with start_live_server(tmp_path) as live:
        yield live
