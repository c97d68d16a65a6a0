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


def test_frozen_program_ships_no_development_packages() -> None:
    """The spec keeps test and development packages out even from a build environment that has them, and
    on Windows builds the windowed renda.exe beside the console renda-cli.exe."""
    spec = (ROOT / "build_spec" / "renda.spec").read_text(encoding="utf-8")
    hidden = spec.split("hiddenimports = (", 1)[1].split(")\n", 1)[0]
    assert "keyrings.alt" not in hidden and "hypothesis" not in hidden
    for package in ("hypothesis", "mypy", "pytest", "keyrings.alt", "selenium"):
        assert f'"{package}"' in spec.split("DEV_PACKAGES = [", 1)[1].split("]", 1)[0]
    assert 'name="renda-cli"' in spec and "console=not WINDOWS" in spec
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet . 'pyinstaller" in makefile and ".[dev]" not in makefile.split("dist:", 1)[1]
