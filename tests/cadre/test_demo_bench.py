"""The demo-data command and the benchmark, end to end at a small size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from core.cadre.demo import MARK
from core.cadre.models import CadAid, CadBranch, CadCheckup, CadPerson
from core.db import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apps.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_demo_data_marks_every_person_and_refuses_a_second_run(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    run = _run("cadre", "demo-data", "--people", "300", "--db", db)
    assert run.returncode == 0 and "已生成演示老干部 300 人" in run.stdout, run.stderr
    engine = make_engine(db)
    with make_session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(CadPerson)) == 300
        assert s.scalar(select(func.count()).select_from(CadPerson).where(CadPerson.note.startswith(MARK))) == 300
        assert s.scalar(select(func.count()).select_from(CadBranch)) >= 2
        assert s.scalar(select(func.count()).select_from(CadCheckup)) > 0
        assert s.scalar(select(func.count()).select_from(CadAid)) > 0
        assert s.scalar(select(func.min(CadPerson.seq))) > 0  # stamped for sync
    engine.dispose()
    again = _run("cadre", "demo-data", "--people", "10", "--db", db)
    assert again.returncode == 2 and "已有演示人员" in again.stderr and "Traceback" not in again.stderr


def test_the_bench_prints_its_figures_as_the_last_line() -> None:
    run = _run("bench", "cadre", "--people", "500")
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["people"] == 500
    assert {"search_p95_ms", "reminders_ms", "stats_ms"} <= set(figures)
    assert all(figures[k] >= 0 for k in ("search_p95_ms", "reminders_ms", "stats_ms"))
