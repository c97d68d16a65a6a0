"""Packaging: the Windows installer script compiles, and the frozen-program spec names real files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_installer_script_compiles(tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    if makensis is None:
        if os.environ.get("CI") == "true":
            pytest.fail("makensis is missing: .ci/run should install the nsis package")
        pytest.skip("makensis (Debian package nsis) is not installed")
    payload = tmp_path / "renda"
    payload.mkdir()
    (payload / "renda.exe").write_bytes(b"MZ placeholder for the frozen program")
    out = tmp_path / "renda-setup.exe"
    result = subprocess.run(
        [makensis, "-V2", f"-DSOURCE_DIR={payload}", f"-DOUTFILE={out}", "-DVERSION=0.1.0", "renda-setup.nsi"],
        cwd=ROOT / "installers" / "windows", capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 10_000


def test_frozen_program_spec_bundles_migrations_and_resources() -> None:
    spec = (ROOT / "build_spec" / "renda.spec").read_text(encoding="utf-8")
    for folder in ('"resources"', '"core" / "migrations"'):
        assert folder in spec
    assert (ROOT / "core" / "migrations" / "env.py").is_file()
    assert list((ROOT / "resources" / "translations").glob("*.qm"))
    assert (ROOT / "build_spec" / "entry.py").is_file()
