"""Fixtures of the portal tests: a migrated database, the portal on a real uvicorn, and a visitor."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session

from apps.portal.app import create_app
from apps.portal.serve import serve_in_thread
from apps.portal.settings import PortalSettings
from core.db import make_engine, make_session_factory
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of

GOOD_FORM = {"name": "张三", "phone": "13812345678", "district": "310104", "kind": "申诉求决类",
             "subject": "小区夜间施工噪音扰民", "persons": "1", "consent": "1",
             "content": "本小区旁边的工地连续两个月在夜间十点以后施工，噪音很大，影响居民休息，请有关部门依法处理。"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Visitor:
    """A browser-like client: keeps cookies, reads the CSRF token from each form page."""

    base: str
    http: requests.Session

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=30, allow_redirects=False, **kw)

    def csrf(self, path: str = "/submit") -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.get(path).text)
        assert found is not None
        return found.group(1)

    def post(self, path: str, data: dict[str, Any], files: Any = None, token: str | None = None,
             **kw: Any) -> requests.Response:
        data = dict(data, csrf=self.csrf("/submit" if path == "/submit" else "/track") if token is None else token)
        return self.http.post(self.base + path, data=data, files=files, timeout=30, allow_redirects=False, **kw)

    def submit(self, files: Any = None, **changes: str) -> requests.Response:
        return self.post("/submit", {**GOOD_FORM, **changes}, files=files)

    def submitted_code(self, **changes: str) -> str:
        answer = self.submit(**changes)
        assert answer.status_code == 303, answer.text
        found = re.search(r'id="tracking-code">([^<]+)<', self.get("/receipt").text)
        assert found is not None
        return found.group(1)


@pytest.fixture
def portal_db(migrated_sqlite: Path, tmp_path: Path) -> str:
    return f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'portal.sqlite3')}"


@pytest.fixture
def server_session(portal_db: str) -> Iterator[Callable[[], AbstractContextManager[Session]]]:
    """Sessions as the server makes them (stamping hooks), on the portal's database."""
    engine = make_engine(portal_db)
    factory = make_session_factory(engine)
    install_server_hooks(factory)

    @contextmanager
    def opened() -> Iterator[Session]:
        with factory() as session:
            yield session
            session.commit()

    yield opened
    engine.dispose()


@contextmanager
def running_portal(db_url: str, **overrides: Any) -> Iterator[Visitor]:
    settings = PortalSettings(db_url=db_url, secure_cookies=False, secret_key="test-key", **overrides)
    app = create_app(settings)
    try:
        with serve_in_thread(app) as base, requests.Session() as http:
            yield Visitor(base, http)
    finally:
        app.state.portal.engine.dispose()


@pytest.fixture
def visitor(portal_db: str) -> Iterator[Visitor]:
    with running_portal(portal_db, rate_limits=False) as v:
        yield v
