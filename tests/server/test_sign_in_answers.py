"""Sign-in refusals cannot be told apart: unknown, wrong password, locked and deactivated accounts.

Each answer is compared by status, headers and body, and each attempt is counted to cost exactly one
Argon2 verification (instrumented, not timed), so the time taken does not tell them apart either.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import argon2
import pytest
import requests
from sqlalchemy import select

from core.auth.service import BAD_CREDENTIALS
from core.models.identity import AuditEntry
from tests.helpers.live_server import LiveServer

WRONG = "Wrong#Pass2026"


class VerifyCounter:
    def __init__(self) -> None:
        self.calls = 0


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> Iterator[VerifyCounter]:
    counter = VerifyCounter()
    original = argon2.PasswordHasher.verify

    def counting(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> Any:
        counter.calls += 1
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    yield counter


def _prepare(server: LiveServer) -> None:
    identity = server.services.identity
    identity.deactivate("admin", server.users["expert"])
    for _ in range(identity.settings.lockout_threshold):
        server.login("chair", WRONG)
    locked = identity.find_user("chair")
    assert locked is not None and locked.locked_until is not None


def test_every_refusal_looks_and_costs_the_same(server: LiveServer, verifications: VerifyCounter) -> None:
    _prepare(server)
    cases = {
        "unknown user": ("nobody-here", server.password),
        "unknown user, other password": ("nobody-here", WRONG),
        "wrong password": ("deputy", WRONG),
        "locked, wrong password": ("chair", WRONG),
        "locked, right password": ("chair", server.password),
        "deactivated, wrong password": ("expert", WRONG),
        "deactivated, right password": ("expert", server.password),
    }
    answers: dict[str, tuple[int, str, str, int]] = {}
    with requests.Session() as http:
        for name, (username, password) in cases.items():
            before = verifications.calls
            response = http.post(f"{server.url}/api/auth/login", timeout=30,
                                 json={"username": username, "password": password})
            answers[name] = (response.status_code, response.headers.get("www-authenticate", ""), response.text,
                             verifications.calls - before)
        before = verifications.calls
        ok = http.post(f"{server.url}/api/auth/login", timeout=30,
                       json={"username": "deputy", "password": server.password})
        assert ok.status_code == 200 and verifications.calls - before == 1
    expected = (401, "Bearer", '{"detail":"' + BAD_CREDENTIALS + '"}', 1)
    assert {name: answer for name, answer in answers.items() if answer != expected} == {}


def test_the_reason_is_kept_for_administrators(server: LiveServer) -> None:
    _prepare(server)
    for username, password in (("chair", server.password), ("expert", server.password), ("ghost", WRONG)):
        server.login(username, password)
    with server.services.factory() as s:
        reasons = [(e.actor, e.action, e.detail.get("reason")) for e in
                   s.scalars(select(AuditEntry).where(AuditEntry.action.like("login.%")).order_by(AuditEntry.seq))]
    assert ("system", "login.locked", None) in reasons
    assert reasons[-3:] == [("chair", "login.refused", "locked"), ("expert", "login.refused", "inactive"),
                            ("ghost", "login.failed", "unknown_user")]
