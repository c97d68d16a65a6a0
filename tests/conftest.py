"""Test set-up shared by the whole suite.

- Qt runs offscreen; each test gets its own data and config folders and an in-memory keyring.
- The run's temporary files are kept in memory when the machine has room (``tests/helpers/tmp.py``).
- A test fails if it logs a warning it did not expect (mark it ``warnings_expected`` or clear caplog).
- ``server_db_url`` runs a test against SQLite and against a real PostgreSQL (a throwaway cluster
  started here, or RENDA_TEST_PG_URL). Outside CI the PostgreSQL half skips with a reason when the
  binaries are missing; with CI=true it must run.
"""

from __future__ import annotations

import logging
import os
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from core.features import load_features
from tests.helpers.pg import PostgresCluster, PostgresUnavailable, start_cluster
from tests.helpers.qt import delete_closed_objects
from tests.helpers.sqlite import copy_of, migrated_template
from tests.helpers.tmp import choose_temp_root, remove_temp_root

# Before any test runs: every temporary folder of the run (pytest's, the databases', PostgreSQL's) in memory when
# the machine has room (tests/helpers/tmp.py); the process that made it removes it at the end of a run that passed.
_TEMP_ROOT = choose_temp_root()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--shuffle", metavar="SEED", default=None,
                     help="run the tests in a random order drawn from SEED (an integer, or 'random')")

load_features()  # every feature's synced tables, as the entry points do

# The suite runs on two busy cores beside other workers: properties are checked here, speed is measured by
# `renda bench`. So no per-example deadline and no "generation is slow" verdict from machine load.
settings.register_profile("renda", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("renda")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "warnings_expected: the test expects warnings in the log")
    seed = _shuffle_seed(config)
    if seed is not None:
        config.stash[_SHUFFLE_SEED] = seed


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)
    seed = config.stash.get(_SHUFFLE_SEED, None)
    if seed is not None:  # order-dependence and crashes that show only in another order
        random.Random(seed).shuffle(items)
        return
    # pytest-xdist hands out whole files in this order (``--no-loadscope-reorder``): the files holding a slow test
    # first, then the others by their number of tests, most first. The longest test, rendering every window,
    # takes minutes; started last it kept one worker busy while the other idled, and on a loaded machine it ran
    # beside the run's last and heaviest tests.
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    tests_in = Counter(item.path for item in items)
    items.sort(key=lambda item: (item.path not in slow_files, -tests_in[item.path]))


_SHUFFLE_SEED = pytest.StashKey[int]()


def _shuffle_seed(config: pytest.Config) -> int | None:
    """The --shuffle seed; 'random' is drawn once and handed to pytest-xdist workers (same order in all)."""
    seed = config.getoption("--shuffle")
    if seed != "random":
        return None if seed is None else int(seed)
    if "RENDA_SHUFFLE_SEED" not in os.environ:
        os.environ["RENDA_SHUFFLE_SEED"] = str(random.randrange(2**32))
    return int(os.environ["RENDA_SHUFFLE_SEED"])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TEMP_ROOT is not None and exitstatus == 0:
        remove_temp_root(_TEMP_ROOT)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _TEMP_ROOT is not None and exitstatus != 0:
        terminalreporter.write_line(f"the run's temporary files are kept in {_TEMP_ROOT}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Windows a test closed are deleted before the next test starts, with their timers (tests/helpers/qt.py)."""
    result = yield
    delete_closed_objects()
    return result


def pytest_report_header(config: pytest.Config) -> str | None:
    seed = config.stash.get(_SHUFFLE_SEED, None)
    return None if seed is None else f"shuffled with --shuffle={seed}"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("RENDA_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("RENDA_CONFIG_DIR", str(base / "config"))
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield base
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """Once a QApplication exists, cycles are collected on the GUI thread only (apps.common.tasks);
    tests that process no events still get their due collection here, on the main thread."""
    yield
    from apps.common.tasks import collect_garbage

    collect_garbage()


@pytest.fixture(autouse=True)
def _fail_on_unexpected_warnings(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    if request.node.get_closest_marker("warnings_expected"):
        return
    bad = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    if bad:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad[:10])
        pytest.fail(f"the test logged warnings it did not expect:\n{lines}")


@pytest.fixture
def qtbot(qapp: object, request: pytest.FixtureRequest) -> Any:
    """pytest-qt's ``qtbot`` whose waits, when a test names no time-out, wait as long as any wait of the suite
    (``tests/helpers/waits.py``) instead of five seconds."""
    from tests.helpers.qtbot import PatientQtBot

    return PatientQtBot(request)


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The tests' QApplication, made the way every entry point makes it (shipped CJK fonts loaded)."""
    from apps.common.application import application
    from apps.common.settings import ClientSettings

    yield application(ClientSettings(tmp_path_factory.mktemp("qapp") / "defaults.ini"), qapp_args)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster | None]:
    try:
        cluster = start_cluster()
    except (PostgresUnavailable, OSError, Exception) as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL 不可用，跳过服务器数据库测试：{exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster) -> Iterator[str]:
    with pg_cluster.database() as url:
        yield url


@pytest.fixture(scope="session")
def migrated_sqlite() -> Path:
    """A SQLite file at the newest schema, migrated once per test process; tests get copies of it."""
    return migrated_template()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A server database at the newest schema: SQLite, then a real PostgreSQL."""
    if request.param == "sqlite":
        template = request.getfixturevalue("migrated_sqlite")
        yield f"sqlite:///{copy_of(template, tmp_path / 'server.sqlite3')}"
        return
    with request.getfixturevalue("pg_cluster").database() as url:
        yield url
