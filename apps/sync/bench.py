"""`renda bench sync`: the sync engine's benchmark. The last line printed is one JSON object with the figures.

`renda bench sync --rows N [--server-db URL]` runs a real embedded server (HTTP on 127.0.0.1) over a
temporary SQLite database by default, or the database named by URL, and measures:

- the initial pull of N rows into a fresh client, against the raw copy of the same rows from the server
  database into a fresh SQLite file with ``executemany`` and no sync logic (the baseline). The pull that
  counts (``initial_s``) is from a ``renda server`` in its own process, as a laptop meets the server;
  ``initial_in_process_s`` gives the same pull from the embedded server sharing this interpreter;
- an incremental pull of 1,000 changed rows on the N-row table and on a table of N/10 rows;
- the same incremental pull answered by the server with every table of the suite registered, against a
  registry holding the one table that changed (``incremental_tables_ratio``);
- a push of N/10 offline edits, against the same number of rows inserted straight into the server
  database with a bare ``executemany`` in the same run (``push_vs_baseline``). The push goes to a
  ``renda server`` in its own process on the same database, as a laptop meets the server in service (the
  embedded server shares this process's interpreter lock with the client and would measure both at once);
  ``push_in_process_rows_per_s`` gives the same push against the embedded server, for comparison.

The initial pull from the server process, the push and their baselines are each the median of :data:`ROUNDS` runs
(``initial_s_rounds`` and ``push_s_rounds`` list them): on a shared machine one run of a second or two can land
on a slow moment.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select

from apps.cli_zh import examples
from core.ids import uuid7
from core.models.base import utcnow
from core.models.registry import Department, Document
from core.sync.stamping import allocate_seqs

DEMO_PASSWORD = "Renda@2026demo"
ROUNDS = 3


def register_bench(kinds: Any) -> None:
    """Add ``sync`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    sync = kinds.add_parser("sync", help="同步性能：首次下载、增量下载、上传",
                            description="同步性能：首次下载、增量下载、上传，各与不经同步的直接写入比较；最后一行是 JSON",
                            epilog=examples(("renda bench sync --rows 200000", "临时 SQLite 服务器数据库"),
                                            ("renda bench sync --rows 200000 --server-db "
                                             "postgresql+psycopg://renda@127.0.0.1/renda_bench", "PostgreSQL 服务器数据库")))
    sync.add_argument("--rows", type=int, default=200_000, help="服务器上的行数 N（默认 200000）")
    sync.add_argument("--server-db", default=None, help="服务器数据库 URL（默认：临时 SQLite）")
    sync.add_argument("--page", type=int, default=20_000, help="每页行数")
    sync.add_argument("--keep", action="store_true", help="保留工作目录（数据库和日志）以便查看；默认测完即删除")
    sync.set_defaults(func=run_sync_bench)


def _log(message: str) -> None:
    print(message, flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def seed_rows(engine: Engine, model: Any, count: int, make: Callable[[int], dict[str, Any]],
              batch: int = 20_000) -> None:
    """Insert ``count`` synced rows straight through Core, numbered by the same sequencer as every write."""
    from sqlalchemy.orm import Session

    table = model.__table__
    now = utcnow()
    done = 0
    while done < count:
        n = min(batch, count - done)
        with Session(engine) as s, s.begin():
            first = allocate_seqs(s, n)
            rows = []
            for i in range(n):
                values = make(done + i)
                values.update(id=uuid7(), version=1, changed_by="bench", changed_at=now, deleted=False,
                              seq=first + i)
                values["scope"] = model.scope_for(values)
                rows.append(values)
            s.execute(insert(table), rows)
        done += n


def raw_copy_baseline(server_engine: Engine, out_file: Path, models: tuple[Any, ...]) -> float:
    """Copy the same rows from the server database into a fresh SQLite file (same schema and indexes)
    with ``executemany``: no sync logic at all. This is the floor the initial pull is measured against."""
    from core.db import create_blank_sqlite, make_engine, migrate

    target = make_engine(f"sqlite:///{create_blank_sqlite(out_file)}")
    migrate(target)  # nothing to do; opens the file in write-ahead-log mode, as a client's store is
    target.dispose()
    start = time.perf_counter()
    conn = sqlite3.connect(out_file)
    with server_engine.connect() as src:
        for model in models:
            table = model.__table__
            cols = [c.name for c in table.columns]
            result = src.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table.name}")
            sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
            while True:
                chunk = result.fetchmany(20_000)
                if not chunk:
                    break
                conn.executemany(sql, [tuple(r) for r in chunk])
    conn.commit()
    conn.close()
    return time.perf_counter() - start


def push_baseline(engine: Engine, model: Any, count: int) -> float:
    """Insert ``count`` rows of ``model``'s table straight into the server database with one bare
    ``executemany`` on the driver's cursor (same table, indexes and triggers; no sync logic), then remove
    them again. The floor a push of ``count`` edits is measured against."""
    table = model.__table__
    cols = [c.name for c in table.columns]
    now = utcnow()
    rows = []
    for i in range(count):
        values: dict[str, Any] = {c.name: None for c in table.columns}
        values.update(id=uuid7(), title=f"基线 {i}", doc_no=f"基线{i}", kind="审查材料", classification="public",
                      domain="", year=2025, amount_fen=i, body=f"离线修改 {i}", version=1, changed_by="bench",
                      changed_at=now, deleted=False, seq=0, scope="public")
        rows.append(values)
    params = [tuple(r[c] for c in cols) for r in rows]
    marker = "%s" if engine.dialect.name == "postgresql" else "?"
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join(marker for _ in cols)})"
    # in a transaction begun as the application begins one: SQLite's driver connection is in autocommit mode
    # (the engine issues BEGIN itself), and an executemany outside a transaction would commit every row
    start = time.perf_counter()
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(sql, params)
        cursor.close()
    seconds = time.perf_counter() - start
    with engine.begin() as conn:
        conn.execute(table.delete().where(table.c.changed_by == "bench", table.c.seq == 0))
    return seconds


def pull_tables_ratio(services: Any, user_id: str, cursor: dict[str, Any], page: int) -> tuple[float, float]:
    """The server's time for one incremental pull page with every table registered, and with only the
    table that changed registered (median of five each, same cursor and snapshot of data)."""
    from core.auth.principals import principal_for_user
    from core.sync.schema import REGISTRY, SyncRegistry
    from core.sync.server import SyncService

    one = SyncRegistry()
    one.register(Document)
    with services.factory() as s:
        principal = principal_for_user(s, user_id)
    every, single = SyncService(services.factory, REGISTRY), SyncService(services.factory, one)
    single._masked_permissions = every._masked_permissions  # the same cursor stays valid for both
    timings: dict[str, list[float]] = {"every": [], "single": []}
    for _ in range(5):
        for name, service in (("every", every), ("single", single)):
            start = time.perf_counter()
            answer = service.pull(principal, cursor, page)
            seconds = time.perf_counter() - start
            got = sum(len(b["rows"]) for b in answer["tables"].values())
            assert got == 1000, got
            timings[name].append(seconds)
    return sorted(timings["every"])[2], sorted(timings["single"])[2]


class ServerProcess:
    """``renda server`` in a process of its own on ``db_url``, on a free port of 127.0.0.1."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log = data_dir.parent / "server-process.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "apps.cli", "server", "--db", db_url, "--data-dir", str(data_dir),
                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env={**os.environ})

    def __enter__(self) -> ServerProcess:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"renda server 退出了：{self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=5):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("renda server 60 秒内没有应答") from None
                time.sleep(0.1)  # polling a process that is starting: no signal to wait on

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def _offline_edits(store: Any, count: int, label: str) -> int:
    with store.session() as s, s.begin():
        docs = s.scalars(select(Document).where(Document.deleted.is_(False)).limit(count)).all()
        for i, doc in enumerate(docs):
            doc.body = f"{label} {i}"
    return len(docs)


def run_sync_bench(args: argparse.Namespace) -> int:
    """The benchmark in a work folder of its own (databases of N rows: hundreds of megabytes), removed at the
    end unless ``--keep``."""
    work = Path(tempfile.mkdtemp(prefix="renda-bench-"))
    try:
        return _run_sync_bench(args, work)
    finally:
        if args.keep:
            _log(f"工作目录已保留：{work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run_sync_bench(args: argparse.Namespace, work: Path) -> int:
    from apps.server.embedded import EmbeddedServer
    from apps.server.settings import ServerSettings
    from core.auth.service import IdentityService
    from core.db import create_blank_sqlite, make_engine, migrate
    from core.remote import RemoteSession
    from core.sync.client import LocalStore, SyncClient, SyncReport

    n = int(args.rows)
    small = max(n // 10, 1000)
    db_url = args.server_db or f"sqlite:///{work / 'server.sqlite3'}"
    _log(f"基准测试：N = {n}，服务器数据库 {db_url.split('@')[-1]}，工作目录 {work}")
    settings = ServerSettings(db_url=db_url, data_dir=work / "server-data", port=0)
    rng = random.Random(7)
    with EmbeddedServer(settings) as server:
        services = server.services
        assert services is not None
        staff = IdentityService(services.factory).create_user("benchstaff", "基准测试", DEMO_PASSWORD, ["budget_staff"])
        def seed_both() -> None:
            seed_rows(services.engine, Document, n, lambda i: {
                "title": f"审查材料 {i}", "doc_no": f"沪人大〔2025〕{i}号", "kind": "审查材料",
                "classification": "public" if i % 3 else "internal", "domain": "", "year": 2025,
                "amount_fen": (i * 7919) % 10**11, "body": "预算执行情况说明" * 3})
            seed_rows(services.engine, Department, small, lambda i: {
                "code": f"B{i:06d}", "name": f"预算单位{i}", "parent_code": "", "domain": "财经"})

        t_seed, _ = _timed(seed_both)
        _log(f"已在服务器写入 {n} 行文档、{small} 行单位（{t_seed:.1f} 秒）")

        baseline_s = sorted(raw_copy_baseline(services.engine, work / f"baseline-{i}.sqlite3", (Document, Department))
                            for i in range(ROUNDS))[ROUNDS // 2]
        _log(f"基线（直接复制同样的 {n + small} 行到新的 SQLite）：{baseline_s:.2f} 秒")

        engine = make_engine(f"sqlite:///{create_blank_sqlite(work / 'client.sqlite3')}")
        migrate(engine)
        store = LocalStore(engine, work / "client-blobs")
        remote = RemoteSession.login(server.url, "benchstaff", DEMO_PASSWORD)
        store.set_permissions(frozenset(remote.me.permissions))
        client = SyncClient(store, remote.transport, page_limit=int(args.page))
        initial_inproc_s, report = _timed(lambda: client.sync())
        pulled = report.pulled_rows
        _log(f"首次同步（同一进程内的服务器）：下载 {pulled} 行，{initial_inproc_s:.2f} 秒"
             f"（基线的 {initial_inproc_s / baseline_s:.2f} 倍）")

        def change_rows(model: Any, count: int) -> None:
            with services.factory() as s, s.begin():
                s.info["actor"] = "bench"
                ids = s.scalars(select(model.id).where(model.deleted.is_(False))).all()
                picked = rng.sample(list(ids), count)
                rows = {r.id: r for r in s.scalars(select(model).where(model.id.in_(picked)))}  # one read, not 1,000
                for row_id in picked:
                    row: Any = rows[row_id]
                    if model is Document:
                        row.body = f"第二次修改 {rng.random():.6f}"
                    else:
                        row.name = f"预算单位（更名）{rng.random():.6f}"

        def incremental(model: Any) -> tuple[float, int]:
            change_rows(model, 1000)
            timings = []
            for _ in range(5):  # median of five rounds, each with its own 1,000 changes
                seconds, rep = _timed(lambda: client.sync())
                assert rep.pulled_rows == 1000, rep.pulled_rows
                timings.append(seconds)
                change_rows(model, 1000)
            client.sync()
            return sorted(timings)[2], 1000

        inc_s, _ = incremental(Document)
        inc_small_s, _ = incremental(Department)
        _log(f"增量同步 1000 行：{n} 行的表 {inc_s * 1000:.0f} 毫秒；{small} 行的表 {inc_small_s * 1000:.0f} 毫秒")

        held = store.cursor()
        change_rows(Document, 1000)
        every_s, single_s = pull_tables_ratio(services, staff.id, held, int(args.page))
        client.sync()
        tables = len(list(__import__("core.sync.schema", fromlist=["REGISTRY"]).REGISTRY))
        _log(f"服务器答复同一增量页：登记全部 {tables} 张表 {every_s * 1000:.1f} 毫秒；只登记一张表 "
             f"{single_s * 1000:.1f} 毫秒")

        edits = n // 10
        edited = _offline_edits(store, edits, "离线修改")
        push_base_s = sorted(push_baseline(services.engine, Document, edited) for _ in range(ROUNDS))[
            ROUNDS // 2]
        _log(f"基线（把同样 {edited} 行直接 executemany 写入服务器数据库）：{push_base_s:.2f} 秒")
        inproc_report = SyncReport()
        inproc_s, _ = _timed(lambda: client.push(inproc_report))
        _log(f"上传 {inproc_report.pushed} 条离线修改到同一进程内的服务器：{inproc_s:.2f} 秒"
             f"（{inproc_report.pushed / inproc_s:.0f} 条/秒）")
        remote.logout()

        _offline_edits(store, edits, "再次离线修改")
        with ServerProcess(db_url, work / "server-process-data") as process:
            def initial_pull(run: int) -> tuple[float, SyncReport]:
                fresh_engine = make_engine(f"sqlite:///{create_blank_sqlite(work / f'laptop-{run}.sqlite3')}")
                migrate(fresh_engine)
                fresh = LocalStore(fresh_engine, work / f"laptop-{run}-blobs")
                remote = RemoteSession.login(process.url, "benchstaff", DEMO_PASSWORD)
                fresh.set_permissions(frozenset(remote.me.permissions))
                first = SyncClient(fresh, remote.transport, page_limit=int(args.page))
                seconds, pulled = _timed(lambda: first.sync())
                remote.logout()
                fresh_engine.dispose()
                return seconds, pulled

            initial_rounds = [initial_pull(run) for run in range(ROUNDS)]
            initial_s, report = sorted(initial_rounds, key=lambda r: r[0])[ROUNDS // 2]
            _log(f"首次同步（独立进程的服务器）：下载 {report.pulled_rows} 行，{initial_s:.2f} 秒"
                 f"（基线的 {initial_s / baseline_s:.2f} 倍）")
            remote = RemoteSession.login(process.url, "benchstaff", DEMO_PASSWORD)
            laptop = SyncClient(store, remote.transport, page_limit=int(args.page))
            push_rounds: list[float] = []
            for round_no in range(ROUNDS):
                if round_no:
                    _offline_edits(store, edits, f"第 {round_no + 1} 轮离线修改")
                push_report = SyncReport()
                seconds, _ = _timed(functools.partial(laptop.push, push_report))
                assert push_report.pushed == edited, push_report.pushed
                push_rounds.append(seconds)
            remote.logout()
        push_s = sorted(push_rounds)[ROUNDS // 2]
        _log(f"上传 {push_report.pushed} 条离线修改到独立进程的服务器（{ROUNDS} 轮取中位数）：{push_s:.2f} 秒"
             f"（{push_report.pushed / push_s:.0f} 条/秒）")
        engine.dispose()

    figures = {
        "rows": n,
        "small_rows": small,
        "server_db": "postgresql" if db_url.startswith("postgresql") else "sqlite",
        "initial_s": round(initial_s, 3),
        "initial_s_rounds": [round(seconds, 3) for seconds, _ in initial_rounds],
        "baseline_s": round(baseline_s, 3),
        "initial_vs_baseline": round(initial_s / baseline_s, 2),
        "initial_rows": report.pulled_rows,
        "initial_in_process_s": round(initial_inproc_s, 3),
        "initial_in_process_vs_baseline": round(initial_inproc_s / baseline_s, 2),
        "incremental_ms": round(inc_s * 1000, 1),
        "incremental_ms_small": round(inc_small_s * 1000, 1),
        "incremental_ratio": round(inc_s / inc_small_s, 2),
        "incremental_pull_ms_every_table": round(every_s * 1000, 2),
        "incremental_pull_ms_one_table": round(single_s * 1000, 2),
        "incremental_tables_ratio": round(every_s / single_s, 2),
        "push_rows": push_report.pushed,
        "push_s": round(push_s, 3),
        "push_s_rounds": [round(x, 3) for x in push_rounds],
        "push_rows_per_s": round(push_report.pushed / push_s, 1),
        "push_baseline_s": round(push_base_s, 4),
        "push_vs_baseline": round(push_s / push_base_s, 2),
        "push_in_process_rows_per_s": round(inproc_report.pushed / inproc_s, 1),
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 0
