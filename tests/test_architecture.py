"""The layering rules of ARCHITECTURE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "shiboken6", "fastapi", "starlette", "uvicorn", "apps", "pyqtgraph")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["core", "devices"])
def test_core_and_devices_import_neither_qt_nor_web_nor_apps(package: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & set(FORBIDDEN))
        for p in (ROOT / package).rglob("*.py")
        if _imports(p) & set(FORBIDDEN)
    }
    assert offenders == {}


def test_devices_know_nothing_of_the_database() -> None:
    offenders = [str(p) for p in (ROOT / "devices").rglob("*.py") if _imports(p) & {"sqlalchemy", "core"}]
    assert offenders == []


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """A model change without a migration fails here (alembic's autogenerate finds no difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from core.db import make_engine, migrate
    from core.models.base import Base

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _feature_packages() -> set[str]:
    from core.features import FEATURE_SYNC_MODULES

    return {name.rsplit(".", 1)[0] for name in FEATURE_SYNC_MODULES}


def test_the_sync_engine_imports_no_feature_package() -> None:
    """Features register their tables with the sync registry from their own packages
    (``core.features``); the engine in ``core/sync`` never imports a feature, directly or not."""
    import subprocess
    import sys

    features = _feature_packages()
    assert {"core.budget", "core.conference"} <= features
    direct: dict[str, list[str]] = {}
    for path in (ROOT / "core" / "sync").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            bad = [n for n in names if any(n == f or n.startswith(f + ".") for f in features)]
            if bad:
                direct.setdefault(str(path.relative_to(ROOT)), []).extend(bad)
    assert direct == {}
    # Importing the whole engine registers only the engine's own tables; features add theirs when
    # an entry point loads them.
    modules = sorted(f"core.sync.{p.stem}" for p in (ROOT / "core" / "sync").glob("*.py") if p.stem != "__init__")
    probe = (f"import importlib\nfor m in {modules!r}: importlib.import_module(m)\n"
             "from core.sync.schema import REGISTRY\nprint(' '.join(REGISTRY.names()))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["reg_department", "reg_deputy", "reg_document", "reg_attachment", "sync_conflict"]
