"""`renda server --workers 4` on PostgreSQL: four worker processes behind one port, with concurrent pushes
and pulls from several clients. Every pull cursor stays complete (each client ends with exactly the rows
committed) and every pushed mutation is applied once, even a batch delivered three times at once."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from apps.cli import main
from core.auth.service import DEMO_PASSWORD
from core.db import make_engine, migrate
from core.ids import uuid7
from core.models.registry import Document
from core.models.syncstate import AppliedMutation
from core.remote import HttpTransport, RemoteSession
from core.sync.client import LocalStore, SyncClient
from tests.helpers.live_server import FAST_HASHING
from tests.sync.harness import client_rows

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(300)]

WORKERS = 4
REPO = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"Started server process \[(\d+)\]")
SERVED = re.compile(r"INFO (\d+) uvicorn\.access: .*\"POST /api/sync/(push|pull)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def multi_process_server(tmp_path: Path, db_url: str) -> Iterator[tuple[str, Path]]:
    """``renda server --workers 4`` in a child process; yields its URL and its log file."""
    port = _free_port()
    env = dict(os.environ, **{f"RENDA_SERVER_{k.upper()}": str(v) for k, v in FAST_HASHING.items()})
    log = tmp_path / "server.log"
    command = [sys.executable, "-c", "import sys; from apps.cli import main; sys.exit(main(sys.argv[1:]))",
               "server", "--db", db_url, "--port", str(port), "--workers", str(WORKERS),
               "--data-dir", str(tmp_path / "server-data"), "--demo-users"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while len(set(STARTED.findall(log.read_text("utf-8", "replace")))) < WORKERS:
            assert process.poll() is None, log.read_text("utf-8", "replace")
            assert time.monotonic() < deadline, "the workers did not start in time"
            time.sleep(0.1)
        assert requests.get(f"{url}/api/health", timeout=30).json()["status"] == "ok"
        yield url, log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Client:
    """A client computer: its own local database, signed in to the server as ``username``."""

    def __init__(self, tmp_path: Path, name: str, url: str, username: str) -> None:
        self.name = name
        self.engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        migrate(self.engine)
        self.store = LocalStore(self.engine, tmp_path / f"{name}-blobs")
        self.session = RemoteSession.login(url, username, DEMO_PASSWORD)
        self.store.set_permissions(self.session.me.permissions)
        self.sync = SyncClient(self.store, self.session.transport, page_limit=3)  # small pages: many cursors
        self.pushed = 0

    def run(self) -> None:
        # verify=False: a checksum repair would hide a row a cursor skipped
        report = self.sync.sync(verify=False)
        assert report.rejected == 0 and report.conflicts == 0, report.messages
        self.pushed += report.pushed

    def write_round(self, round_no: int, per_round: int) -> None:
        with self.store.session() as s, s.begin():
            for k in range(per_round):
                s.add(Document(title=f"{self.name}-{round_no}-{k}", classification="public", year=2026))
            if round_no:
                earlier = s.scalars(select(Document).where(Document.title == f"{self.name}-{round_no - 1}-0")).one()
                earlier.body = f"第 {round_no} 轮修改"

    def documents(self) -> dict[str, int]:
        return {row_id: row["version"] for row_id, row in client_rows(self.sync)["reg_document"].items()}

    def close(self) -> None:
        self.session.transport.close()
        self.engine.dispose()


def _raw_insert(title: str) -> dict[str, Any]:
    return {"mutation_id": uuid7(), "table": "reg_document", "row_id": uuid7(), "op": "insert", "base_version": 0,
            "base": {}, "changes": {"title": title, "classification": "public"}, "local_seq": 1}


def _in_threads(targets: list[Any]) -> None:
    errors: list[BaseException] = []

    def guarded(target: Any) -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not errors, errors


def test_sqlite_refuses_more_than_one_worker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["server", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "--workers", "2"])
    assert code == 1 and "PostgreSQL" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite3").exists()  # refused before anything was created


def test_four_workers_keep_cursors_complete_and_apply_each_push_once(tmp_path: Path, pg_url: str) -> None:
    rounds, per_round = 3, 4
    with multi_process_server(tmp_path, pg_url) as (url, log):
        writers = [Client(tmp_path, f"staff{i}", url, "staff") for i in range(4)]
        readers = [Client(tmp_path, "deputy", url, "deputy"), Client(tmp_path, "committee", url, "committee")]
        writing = threading.Event()
        writing.set()

        def write(client: Client) -> None:
            for round_no in range(rounds):
                client.write_round(round_no, per_round)
                client.run()

        def read(client: Client) -> None:
            while writing.is_set():
                client.run()

        # One batch delivered three times at once (a client retrying after lost answers).
        batch = [_raw_insert(f"重发-{k}") for k in range(10)]
        answers: list[list[dict[str, Any]]] = []
        start = threading.Barrier(3)

        def deliver() -> None:
            transport = HttpTransport(url, writers[0].session.transport.token)
            try:
                start.wait()
                answers.append(transport.push(uuid7(), batch))
            finally:
                transport.close()

        def writers_then_stop() -> None:
            try:
                _in_threads([lambda c=c: write(c) for c in writers] + [deliver] * 3)
            finally:
                writing.clear()

        _in_threads([writers_then_stop] + [lambda c=c: read(c) for c in readers])
        for client in writers + readers:
            client.run()  # the last pages after every write

        engine = make_engine(pg_url)
        try:
            with engine.connect() as conn:
                committed = {r.id: r.version for r in conn.execute(
                    select(Document.id, Document.version).where(Document.deleted.is_(False)))}
                applied = conn.execute(select(func.count()).select_from(AppliedMutation)).scalar_one()
                distinct = conn.execute(select(func.count(AppliedMutation.mutation_id.distinct()))).scalar_one()
        finally:
            engine.dispose()
        served_by = {pid for pid, _kind in SERVED.findall(log.read_text("utf-8", "replace"))}
        try:
            # every push applied once
            pushed = sum(c.pushed for c in writers)
            assert pushed == len(writers) * (rounds * per_round + rounds - 1)
            assert applied == distinct == pushed + len(batch)
            assert len(committed) == len(writers) * rounds * per_round + len(batch)
            assert sorted(committed.values()).count(2) == len(writers) * (rounds - 1)
            assert len(answers) == 3
            for k, mutation in enumerate(batch):
                replies = [a[k] for a in answers]
                assert all(r["mutation_id"] == mutation["mutation_id"] and r["status"] == "applied" for r in replies)
                assert sum(not r.get("replayed") for r in replies) == 1  # applied by one delivery only
            # every pull cursor complete: each client holds exactly the committed rows, at their versions
            for client in writers + readers:
                assert client.documents() == committed, client.name
            assert len(served_by) >= 2, f"all sync requests went to one process: {served_by}"
        finally:
            for client in writers + readers:
                client.close()


def test_the_packaged_program_refuses_more_than_one_worker(pg_url: str, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert main(["server", "--db", pg_url, "--workers", "4"]) == 1
    assert "单进程" in capsys.readouterr().err
