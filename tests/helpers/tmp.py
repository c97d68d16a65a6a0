"""Where the suite writes its throwaway files: a folder in memory when the machine has room for one.

The suite creates tens of thousands of files: databases copied from a migrated template, each test's folders,
the throwaway PostgreSQL cluster (every test database is a copy of a template, a thousand files each). On a
virtual machine's disk creating a file can take a millisecond or more; in memory (``/dev/shm``, a tmpfs on
Linux) it takes microseconds. Nothing a test checks depends on which folder it is.

The folder is made once per run (the pytest-xdist workers inherit it through ``TMPDIR``), readable by the
``postgres`` user the cluster runs as, and removed when the run passes; a failed run keeps it and says where,
and the next run removes it once the process that made it is gone (a run's files take a few gigabytes of
memory). ``RENDA_TEST_TMPDIR`` names a folder to use instead (``RENDA_TEST_TMPDIR=`` keeps the system's
default). Its name is short: Unix socket paths (the simulated UPS drivers' among them) hold 107 bytes at most.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MEMORY = Path("/dev/shm")
ROOM_NEEDED = 8 * 1024**3
"""Free space the folder in memory must offer. A passing test's own folder goes when it ends
(``tmp_path_retention_policy``); what stays to the end (module fixtures' folders, PostgreSQL's databases) is
under a gigabyte, and a failed test keeps its folder."""
PREFIX = "renda-"
OWNER = ".owner-pid"
_INHERITED = "RENDA_TEST_TMPROOT"


def _memory_has_room(path: Path = MEMORY) -> bool:
    try:
        stats = os.statvfs(path)
    except OSError:
        return False
    return os.access(path, os.W_OK) and stats.f_bavail * stats.f_frsize >= ROOM_NEEDED


def choose_temp_root() -> Path | None:
    """Make this run's folder and point ``TMPDIR`` (and :mod:`tempfile`) at it; returns it when this process
    made it (the one to remove it), None when it was inherited or the system's default stays."""
    inherited = os.environ.get(_INHERITED)
    if inherited:
        _use(Path(inherited))
        return None
    wanted = os.environ.get("RENDA_TEST_TMPDIR")
    if wanted == "":
        return None
    if wanted:
        parent = Path(wanted)
        parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(parent)
    elif os.access(MEMORY, os.W_OK):
        remove_abandoned(MEMORY)  # before judging the room: a killed run's folder must not keep the next one out
        if not _memory_has_room():
            return None
        parent = MEMORY
    else:
        return None
    root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    root.chmod(0o755)  # the throwaway PostgreSQL cluster runs as another user inside it
    (root / OWNER).write_text(str(os.getpid()))
    os.environ[_INHERITED] = str(root)
    _use(root)
    return root


def _use(root: Path) -> None:
    os.environ["TMPDIR"] = str(root)
    tempfile.tempdir = str(root)


def remove_temp_root(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)


def remove_abandoned(parent: Path) -> list[Path]:
    """Remove the folders earlier runs kept in ``parent`` (failed, or killed) whose process is gone."""
    removed = []
    for folder in parent.glob(PREFIX + "*"):
        try:
            pid = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not a run's folder, or not ours to judge
        if not _alive(pid):
            remove_temp_root(folder)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
