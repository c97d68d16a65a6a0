"""`renda bench sync` at a small size: runs end to end, pushes to a server in its own process, and its last
line is one JSON object with the figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from apps.cli import main


def test_bench_sync_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "sync", "--rows", "3000", "--page", "1000"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["rows"] == 3000 and figures["server_db"] == "sqlite"
    assert figures["push_rows"] == 300  # N/10 offline edits, every one answered by the server process
    for key in ("initial_vs_baseline", "incremental_ratio", "incremental_tables_ratio", "push_rows_per_s",
                "push_vs_baseline", "push_in_process_rows_per_s"):
        assert figures[key] > 0, key
    assert figures["push_vs_baseline"] == pytest.approx(figures["push_s"] / figures["push_baseline_s"], rel=0.05)
    for name in ("push_s", "initial_s"):  # each the median of its rounds (pushes of N/10 edits, pulls of N + N/10 rows)
        rounds = figures[f"{name}_rounds"]
        assert len(rounds) == 3 and figures[name] == sorted(rounds)[1], name


def test_the_push_baseline_inserts_its_rows_in_one_transaction_and_takes_them_out_again(tmp_path: Path) -> None:
    """The floor a push is measured against is one bare insert in one transaction: SQLite's driver connection is
    in autocommit mode (the engine issues BEGIN itself), and an insert outside a transaction commits every row."""
    from apps.sync.bench import push_baseline
    from core.db import make_engine, migrate
    from core.models.registry import Document

    engine = make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate(engine)
    outside: list[str] = []

    @event.listens_for(engine, "connect")
    def trace(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.set_trace_callback(
            lambda sql: outside.append(sql) if sql.startswith("INSERT") and not dbapi_conn.in_transaction else None)

    engine.dispose()
    assert push_baseline(engine, Document, 500) > 0
    assert outside == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Document)).scalar_one() == 0
    engine.dispose()
