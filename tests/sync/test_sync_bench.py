"""`renda bench sync` at a small size: runs end to end, pushes to a server in its own process, and its last
line is one JSON object with the figures."""

from __future__ import annotations

import json

import pytest

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
