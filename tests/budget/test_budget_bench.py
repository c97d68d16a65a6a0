"""`renda bench budget` at a small size: runs end to end and its last line is one JSON object with sane figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apps.cli import main


@pytest.mark.qt_log_ignore(r"This plugin does not support .*")  # the offscreen platform's notes
def test_bench_budget_prints_its_figures(qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "budget", "--payments", "5000", "--folder", str(tmp_path / "bench")])
    assert code == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    for key in ("payments", "import_s", "import_rows_per_s", "import_vs_raw", "rules_s", "query_max_ms",
                "floor_max_ms", "query_vs_floor",
                "table_open_ms"):
        assert key in figures, key
    assert figures["payments"] == 5000
    assert figures["imported_rows"] >= 5000  # the payments, plus indicators and plans, through the importers
    by_kind = figures["imported_by_kind"]
    assert by_kind["payments"] == 5000 and by_kind["projects"] > 0 and by_kind["indicators"] > 0
    assert 0 < figures["import_s"] < 600 and 0 <= figures["rules_s"] < 600
    assert figures["import_rows_per_s"] > 0 and figures["raw_insert_s"] > 0
    assert figures["import_vs_raw"] > 0 and figures["import_payments_s"] > 0
    assert figures["warnings_raised"] > 0  # the planted anomalies are found in the imported data
    assert len(figures["queries"]) == 10 and all(q["rows"] > 0 for q in figures["queries"])
    assert 0 < figures["query_max_ms"] < 10_000 and 0 < figures["floor_max_ms"] < 10_000
    assert figures["query_vs_floor"] == pytest.approx(figures["query_max_ms"] / figures["floor_max_ms"], rel=0.01)
    assert 0 < figures["table_open_ms"] < 30_000


def test_bench_budget_refuses_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "budget", "--payments", "10"]) == 2
    assert "至少" in capsys.readouterr().out
