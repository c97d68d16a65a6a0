"""Bad requests get a 4xx answer with a Chinese explanation, never a 500, and change nothing."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from core.ids import uuid7
from core.models.base import Base
from core.sync.blobs import sha256_hex
from tests.helpers.live_server import LiveServer, start_live_server

LIMIT = 16 * 1024
HUGE = 10**20


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.fixture
def small_server(tmp_path: Path, server_db_url: str) -> Iterator[LiveServer]:
    with start_live_server(tmp_path, server_db_url, max_body_bytes=LIMIT) as live:
        yield live


def snapshot(server: LiveServer) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    out: dict[str, list[str]] = {}
    with server.services.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            out[table.name] = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
    return out


def _mutation(**overrides: Any) -> dict[str, Any]:
    base = {"mutation_id": uuid7(), "table": "reg_document", "row_id": uuid7(), "op": "insert",
            "base_version": 0, "base": {}, "changes": {"title": "公开文件", "classification": "public"},
            "local_seq": 1}
    base.update(overrides)
    return base


def _bad_requests(server: LiveServer, admin: dict[str, str], staff: dict[str, str],
                  victim: str) -> list[tuple[str, str, str, dict[str, Any], set[int]]]:
    json_header = {"Content-Type": "application/json"}
    sha = sha256_hex(b"%PDF-1.4 ok")
    chunks = (b"x" * 1024 for _ in range(LIMIT // 1024 + 4))
    return [
        # name, method, path, requests kwargs, acceptable statuses
        ("malformed JSON", "POST", "/api/auth/login", {"data": b'{"username": "admin", ', "headers": json_header}, {400}),
        ("JSON array body", "POST", "/api/auth/login", {"json": ["admin", "x"]}, {422}),
        ("not JSON at all", "POST", "/api/auth/login", {"data": b"username=admin&password=x",
                                                       "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, {422}),
        ("wrong type", "POST", "/api/auth/login", {"json": {"username": 42, "password": "x"}}, {422}),
        ("missing field", "POST", "/api/auth/login", {"json": {"username": "admin"}}, {422}),
        ("unknown field", "POST", "/api/auth/login", {"json": {"username": "admin", "password": "x", "remember": True}},
         {422}),
        ("create: unknown field", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "li", "display_name": "李", "password": "Start#Pass2026", "is_admin": True}}, {422}),
        ("create: roles not a list", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "li", "display_name": "李", "password": "Start#Pass2026", "roles": "admin"}}, {422}),
        ("create: weak password", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "lisi", "display_name": "李四", "password": "lisi"}}, {422}),
        ("create: bad user name", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "li si", "display_name": "李四", "password": "Start#Pass2026"}}, {400}),
        ("patch: active as text", "PATCH", f"/api/admin/users/{victim}", {"headers": admin,
                                                                         "json": {"is_active": "no"}}, {422}),
        ("patch: empty name", "PATCH", f"/api/admin/users/{victim}", {"headers": admin,
                                                                     "json": {"display_name": ""}}, {422}),
        ("roles: unknown role", "PUT", f"/api/admin/users/{victim}/roles", {"headers": admin,
                                                                           "json": {"roles": ["emperor"]}}, {400}),
        ("scopes: bad scope", "PUT", f"/api/admin/users/{victim}/scopes", {"headers": admin,
                                                                          "json": {"scopes": ["a b"]}}, {400}),
        ("role: unknown permission", "PUT", "/api/admin/roles/expert", {"headers": admin, "json": {
            "permissions": ["everything"], "scopes": []}}, {400}),
        ("role: unknown role", "PUT", "/api/admin/roles/emperor", {"headers": admin, "json": {
            "permissions": [], "scopes": []}}, {404}),
        ("unlock: no such user", "POST", f"/api/admin/users/{uuid7()}/unlock", {"headers": admin}, {404}),
        ("audit: negative after_seq", "GET", "/api/audit?after_seq=-1", {"headers": admin}, {422}),
        ("audit: limit as text", "GET", "/api/audit?limit=lots", {"headers": admin}, {422}),
        ("pull: cursor is text", "POST", "/api/sync/pull", {"headers": staff, "json": {"cursor": "abc"}}, {422}),
        ("pull: negative position", "POST", "/api/sync/pull", {"headers": staff, "json": {
            "cursor": {"v": 1, "mask": "", "scopes": {"public": -5}}}}, {400}),
        ("pull: position as text", "POST", "/api/sync/pull", {"headers": staff, "json": {
            "cursor": {"scopes": {"public": "10"}}}}, {400}),
        ("pull: limit too big", "POST", "/api/sync/pull", {"headers": staff, "json": {"limit": 10**9}}, {422}),
        ("pull: limit as text", "POST", "/api/sync/pull", {"headers": staff, "json": {"limit": "5"}}, {422}),
        ("pull: unknown field", "POST", "/api/sync/pull", {"headers": staff, "json": {"since": 0}}, {422}),
        ("push: mutations not a list", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": {"a": 1}}}, {422}),
        ("push: mutation id not a UUID", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(), _mutation(mutation_id="42")]}}, {400}),
        ("push: unknown operation", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(op="drop")]}}, {400}),
        ("push: unknown key in mutation", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(sql="DROP TABLE auth_user")]}}, {400}),
        ("push: empty changes", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(changes={})]}}, {400}),
        ("push: mutation not an object", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": ["insert everything"]}}, {422}),
        ("push: after a batch not applied yet", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation()], "after": uuid7()}}, {425}),
        ("push: after not a mutation id", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation()], "after": "上一批"}}, {400}),
        ("push: too many mutations", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [{}] * 2001}}, {413, 422}),
        ("device: bad id", "POST", "/api/sync/devices", {"headers": staff, "json": {
            "device_id": "laptop", "name": "x", "public_key": "k" * 44}}, {400}),
        ("blob: bad hash", "PUT", "/api/sync/blobs/not-a-hash", {"headers": staff, "data": b"%PDF-1.4 ok"}, {422}),
        ("blob: wrong hash", "PUT", f"/api/sync/blobs/{'a' * 64}", {"headers": staff, "data": b"%PDF-1.4 ok"}, {400}),
        ("blob: empty", "PUT", f"/api/sync/blobs/{sha256_hex(b'')}", {"headers": staff, "data": b""}, {400}),
        ("blob: fetch unknown", "GET", f"/api/sync/blobs/{sha}", {"headers": staff}, {403}),
        ("oversize by Content-Length", "PUT", f"/api/sync/blobs/{sha}",
         {"headers": staff, "data": b"%PDF-" + b"x" * LIMIT}, {413}),
        ("oversize while streaming", "PUT", f"/api/sync/blobs/{sha}", {"headers": staff, "data": chunks}, {413}),
        ("oversize JSON", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(changes={"title": "长" * LIMIT})]}}, {413}),
        ("compact without the right", "POST", "/api/sync/compact", {"headers": staff}, {403}),
        ("compact: negative point", "POST", "/api/sync/compact", {"headers": admin, "json": {"upto_seq": -1}}, {422}),
        # numbers beyond what the database holds, texts it cannot store, JSON built to exhaust the server
        ("audit: huge after_seq", "GET", f"/api/audit?after_seq={HUGE}&limit=5", {"headers": admin}, {422}),
        ("audit: after_seq just past 64 bits", "GET", f"/api/audit?after_seq={2**63}", {"headers": admin}, {422}),
        ("audit: huge limit", "GET", f"/api/audit?limit={HUGE}", {"headers": admin}, {422}),
        ("audit: huge negative", "GET", f"/api/audit?after_seq=-{HUGE}", {"headers": admin}, {422}),
        ("compact: huge point", "POST", "/api/sync/compact", {"headers": admin, "json": {"upto_seq": HUGE}}, {422}),
        ("pull: huge limit", "POST", "/api/sync/pull", {"headers": staff, "json": {"limit": HUGE}}, {422}),
        ("pull: huge position", "POST", "/api/sync/pull", {"headers": staff, "json": {
            "cursor": {"v": 1, "mask": "", "scopes": {"public": HUGE}}}}, {422}),
        ("pull: huge compaction point", "POST", "/api/sync/pull", {"headers": staff, "json": {
            "cursor": {"v": 1, "mask": "", "scopes": {}, "compacted": HUGE}}}, {422}),
        ("pull: deeply nested cursor", "POST", "/api/sync/pull", {"headers": staff, "json": {"cursor": _nested(40)}},
         {422}),
        ("pull: not-a-number position", "POST", "/api/sync/pull", {"headers": {**staff, **json_header},
                                                                  "data": b'{"cursor": {"scopes": {"public": NaN}}}'}, {422}),
        ("push: huge base_version", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(op="update", base_version=HUGE)]}}, {422}),
        ("push: huge local_seq", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(local_seq=HUGE)]}}, {422}),
        ("push: huge value", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(changes={"title": "x", "classification": "public",
                                                                   "page_count": -HUGE})]}}, {422}),
        ("push: NUL in a text", "POST", "/api/sync/push", {"headers": staff, "json": {
            "device_id": uuid7(), "mutations": [_mutation(changes={"title": "公开\x00文件"})]}}, {422}),
        ("login: NUL in the user name", "POST", "/api/auth/login", {"json": {"username": "adm\x00in",
                                                                             "password": "x"}}, {422}),
        ("create: control character in the name", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "lisi", "display_name": "李\x1b四", "password": "Start#Pass2026"}}, {422}),
        ("create: huge role list", "POST", "/api/admin/users", {"headers": admin, "json": {
            "username": "lisi", "display_name": "李四", "password": "Start#Pass2026", "roles": ["deputy"] * 1000}},
         {422}),
        ("patch: overlong user id", "PATCH", f"/api/admin/users/{'9' * 300}", {"headers": admin,
                                                                              "json": {"is_active": False}}, {422}),
        ("role: strange role name", "PUT", "/api/admin/roles/%00%ff..", {"headers": admin, "json": {
            "permissions": [], "scopes": []}}, {422}),
        ("blob: fetch with a NUL", "GET", "/api/sync/blobs/%00", {"headers": staff}, {422}),
        ("unknown address", "GET", "/api/nothing-here", {}, {404}),
        ("wrong method", "DELETE", "/api/auth/login", {}, {405}),
    ]


def test_bad_requests_change_nothing(small_server: LiveServer) -> None:
    server = small_server
    admin, staff = server.headers("admin"), server.headers("staff")
    victim = server.users["deputy"]
    cases = _bad_requests(server, admin, staff, victim)
    before = snapshot(server)
    problems: list[str] = []
    with requests.Session() as http:
        for name, method, path, kwargs, statuses in cases:
            response = http.request(method, server.url + path, timeout=30, **kwargs)
            detail = response.json().get("detail") if response.headers.get("content-type", "").startswith(
                "application/json") else None
            if response.status_code not in statuses:
                problems.append(f"{name}: expected {statuses}, got {response.status_code} {response.text[:200]}")
            elif not isinstance(detail, str) or detail.isascii():
                problems.append(f"{name}: no Chinese explanation: {response.text[:200]}")
    assert not problems, "\n".join(problems)
    assert snapshot(server) == before


def test_a_good_request_after_bad_ones_still_works(small_server: LiveServer) -> None:
    staff, admin = small_server.headers("staff"), small_server.headers("admin")
    with requests.Session() as http:
        # The same kept-alive connection answers after a number beyond 64 bits.
        huge = http.get(f"{small_server.url}/api/audit", params={"after_seq": HUGE, "limit": 5}, headers=admin)
        assert huge.status_code == 422 and "超出允许的范围" in huge.json()["detail"]
        page = http.get(f"{small_server.url}/api/audit", params={"after_seq": 0, "limit": 5}, headers=admin)
        assert page.status_code == 200 and len(page.json()["entries"]) == 5
        bad = http.post(f"{small_server.url}/api/sync/push", headers=staff,
                        json={"device_id": uuid7(), "mutations": [_mutation(mutation_id="x")]})
        assert bad.status_code == 400 and "UUID" in bad.json()["detail"]
        good = http.post(f"{small_server.url}/api/sync/push", headers=staff,
                         json={"device_id": uuid7(), "mutations": [_mutation()]})
        assert good.status_code == 200 and good.json()["results"][0]["status"] == "applied"


@pytest.mark.warnings_expected
def test_an_unexpected_error_leaves_the_connection_usable(live_server: LiveServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> list[Any]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(live_server.services.identity, "list_users", broken)
    admin = live_server.headers("admin")
    conn = http.client.HTTPConnection("127.0.0.1", live_server.server.port, timeout=30)
    try:
        conn.request("GET", "/api/admin/users", headers=admin)
        failed = conn.getresponse()
        assert failed.status == 500 and "服务器内部错误" in failed.read().decode()
        conn.request("GET", "/api/auth/me", headers=admin)  # the same connection, not a new one
        again = conn.getresponse()
        assert again.status == 200 and b'"admin"' in again.read()
    finally:
        conn.close()


def test_a_push_whose_rows_keep_changing_under_it_is_answered_409_and_applies_nothing(
        small_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch whose rows other pushes change between its read and its write is decided again; after
    :data:`PUSH_TRIES` rounds it is refused whole, in words a clerk can act on, and the laptop keeps its edits."""
    from core.sync.bulk import RowsChanged
    from core.sync.server import PUSH_TRIES, SyncService

    rounds: list[int] = []
    real = SyncService._write

    def found_changed(self: SyncService, session: Any, batch: Any) -> None:
        real(self, session, batch)  # written in the push's transaction, then found changed: rolled back whole
        rounds.append(1)
        raise RowsChanged("reg_document：1 行在读取之后被另一次修改改动")

    monkeypatch.setattr(SyncService, "_write", found_changed)
    staff = small_server.headers("staff")
    before = snapshot(small_server)
    answer = requests.post(f"{small_server.url}/api/sync/push", headers=staff,
                           json={"device_id": uuid7(), "mutations": [_mutation()]}, timeout=30)
    assert answer.status_code == 409 and "请稍后再同步" in answer.json()["detail"]
    assert len(rounds) == PUSH_TRIES
    assert snapshot(small_server) == before
