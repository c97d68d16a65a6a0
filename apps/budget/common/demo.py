"""A small demo budget data set for screenshots and GUI tests, generated once per process and copied."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from core.budget.demo import Manifest, generate
from core.db import make_engine, migrate

DEMO_YEAR = 2024
_cache: dict[int, tuple[Path, Manifest]] = {}


def demo_engine(folder: Path, payments: int = 20_000, year: int = DEMO_YEAR) -> tuple[Engine, Manifest]:
    """A migrated SQLite database in ``folder`` holding a generated year (with planted anomalies).

    The first call per size generates it (a few seconds) into a temporary folder removed when the process
    ends; later calls copy the file.
    """
    if payments not in _cache:
        folder_made = Path(tempfile.mkdtemp(prefix="renda-budget-demo-"))
        atexit.register(shutil.rmtree, folder_made, ignore_errors=True)  # the process's copy source goes with it
        src = folder_made / "budget.sqlite3"
        eng = make_engine(f"sqlite:///{src}")
        migrate(eng)
        manifest = generate(eng, year=year, payments=payments)
        eng.dispose()
        _cache[payments] = (src, manifest)
    src, manifest = _cache[payments]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"budget-{payments}.sqlite3"
    shutil.copy(src, target)
    engine = make_engine(f"sqlite:///{target}")
    migrate(engine)
    return engine, manifest
