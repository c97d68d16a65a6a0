"""The run's temporary folder (tests/helpers/tmp.py): chosen once, inherited by workers, cleaned up after."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import tmp


def test_a_folder_left_by_a_run_whose_process_is_gone_is_removed_and_no_other(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    abandoned, running, foreign = (tmp_path / f"{tmp.PREFIX}{n}" for n in ("old", "now", "other"))
    for folder in (abandoned, running, foreign):
        folder.mkdir()
    (abandoned / tmp.OWNER).write_text(finished.stdout.strip())
    (running / tmp.OWNER).write_text(str(os.getpid()))

    assert tmp.remove_abandoned(tmp_path) == [abandoned]
    assert not abandoned.exists() and running.exists() and foreign.exists()


def test_a_worker_uses_the_folder_its_run_made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setenv("TMPDIR", os.environ.get("TMPDIR", ""))
    monkeypatch.setenv("RENDA_TEST_TMPROOT", str(tmp_path))

    assert tmp.choose_temp_root() is None  # inherited: the worker neither makes nor removes it
    assert tempfile.gettempdir() == str(tmp_path) == os.environ["TMPDIR"]


def test_a_run_makes_its_folder_where_it_is_told_readable_by_the_cluster_user(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setenv("TMPDIR", os.environ.get("TMPDIR", ""))
    monkeypatch.delenv("RENDA_TEST_TMPROOT", raising=False)
    monkeypatch.setenv("RENDA_TEST_TMPDIR", str(tmp_path / "fast"))

    root = tmp.choose_temp_root()

    assert root is not None and root.parent == tmp_path / "fast" and root.name.startswith(tmp.PREFIX)
    assert root.stat().st_mode & 0o777 == 0o755
    assert (root / tmp.OWNER).read_text() == str(os.getpid())
    assert os.environ["RENDA_TEST_TMPROOT"] == str(root) == tempfile.gettempdir()


def test_an_empty_setting_keeps_the_systems_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RENDA_TEST_TMPROOT", raising=False)
    monkeypatch.setenv("RENDA_TEST_TMPDIR", "")

    assert tmp.choose_temp_root() is None


def test_a_killed_runs_folder_in_memory_does_not_keep_the_next_run_out(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    """A run killed halfway leaves gigabytes in memory; the next run removes them before it judges the room."""
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setenv("TMPDIR", os.environ.get("TMPDIR", ""))
    monkeypatch.delenv("RENDA_TEST_TMPROOT", raising=False)
    monkeypatch.delenv("RENDA_TEST_TMPDIR", raising=False)
    memory = tmp_path / "shm"
    killed = memory / f"{tmp.PREFIX}killed"
    killed.mkdir(parents=True)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    (killed / tmp.OWNER).write_text(gone.stdout.strip())
    monkeypatch.setattr(tmp, "MEMORY", memory)
    monkeypatch.setattr(tmp, "_memory_has_room", lambda: not killed.exists())  # the killed run's files fill it

    root = tmp.choose_temp_root()

    assert not killed.exists()
    assert root is not None and root.parent == memory
