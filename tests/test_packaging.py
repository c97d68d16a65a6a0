"""Packaging: the Windows installer script compiles, and the frozen-program spec names real files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from installers.windows.filelist import frozen_files, install_lines, uninstall_lines, write_lists

ROOT = Path(__file__).resolve().parents[1]


def _makensis() -> str:
    makensis = shutil.which("makensis")
    if makensis is None:
        if os.environ.get("CI") == "true":
            pytest.fail("makensis is missing: .ci/run should install the nsis package")
        pytest.skip("makensis (Debian package nsis) is not installed")
    return makensis


def _frozen_like(folder: Path) -> Path:
    """A small stand-in of the frozen folder: both executables, nested folders, a name with a space."""
    for name, data in (("renda.exe", b"MZ windowed"), ("renda-cli.exe", b"MZ console"),
                       ("_internal/PySide6/Qt6Core.dll", b"MZ qt"), ("_internal/base library.zip", b"PK"),
                       ("_internal/resources/fonts/wqy-microhei.ttc", b"ttcf"),
                       ("_internal/core/migrations/versions/0001_initial_schema.py", b"# 0001")):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def test_installer_script_compiles_without_warnings(tmp_path: Path) -> None:
    makensis = _makensis()
    payload = _frozen_like(tmp_path / "renda")
    write_lists(payload, tmp_path / "lists")
    out = tmp_path / "renda-setup-0.1.0.exe"
    result = subprocess.run(
        [makensis, "-WX", "-V2", f"-DSOURCE_DIR={payload}", f"-DLISTS={tmp_path / 'lists'}", f"-DOUTFILE={out}",
         "-DVERSION=0.1.0", "renda-setup.nsi"],
        cwd=ROOT / "installers" / "windows", capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 10_000


def _listed(lines: list[str], verb: str) -> set[str]:
    return {line.split('"')[1] for line in lines if line.strip().startswith(verb + " ")}


@pytest.mark.parametrize("which", ["stand-in", "frozen"])
def test_uninstaller_removes_exactly_the_installed_files(tmp_path: Path, which: str) -> None:
    """Every file of the frozen folder is installed and deleted by name, folders are removed only when
    empty (never RMDir /r), and nothing outside the list is touched."""
    if which == "frozen":
        folder = ROOT / "dist" / "renda"
        if not folder.is_dir():
            pytest.skip("dist/renda is not built here (make dist builds it and checks its lists too)")
    else:
        folder = _frozen_like(tmp_path / "renda")
    files = {"$INSTDIR\\" + str(p) for p in frozen_files(folder)}
    installed = install_lines(folder)
    removed = uninstall_lines(folder)
    targets = {(out.split('"')[1] + "\\" + name.split('"')[1].removeprefix("/oname="))
               for out, name in _file_commands(installed)}
    assert targets == files
    assert _listed(removed, "Delete") == files
    assert all("/r" not in line for line in removed)
    folders = _listed(removed, "RMDir")
    assert folders == {"$INSTDIR\\" + str(parent) for p in frozen_files(folder) for parent in p.parents
                       if str(parent) != "."}
    depth = [line.count("\\") for line in removed if line.strip().startswith("RMDir ")]
    assert depth == sorted(depth, reverse=True)  # deepest first, so each folder is empty when its turn comes
    script = (ROOT / "installers" / "windows" / "renda-setup.nsi").read_text(encoding="utf-8")
    assert "RMDir /r" not in script and "SetShellVarContext all" in script
    assert "MUI_UNGETLANGUAGE" in script and "explorer.exe" in script


def _file_commands(lines: list[str]) -> list[tuple[str, str]]:
    """(SetOutPath line, File line) for every File command."""
    current, pairs = "", []
    for line in lines:
        if line.strip().startswith("SetOutPath "):
            current = line
        elif line.strip().startswith("File "):
            pairs.append((current, line))
    return pairs


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
