"""A throwaway PostgreSQL cluster from the machine's binaries, or the one named by RENDA_TEST_PG_URL."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("没有找到 PostgreSQL 程序（initdb）；请安装 postgresql-15，或设置 RENDA_TEST_PG_URL")


@dataclass
class PostgresCluster:
    base_url: str  # postgresql://user@host:port/postgres
    data_dir: Path | None = None
    bin_dir: Path | None = None
    run_as: list[str] | None = None
    template: str | None = None
    """A database at the newest schema that :meth:`new_database` copies (made on first use)."""

    def _pg_ctl(self, *args: str) -> None:
        assert self.bin_dir is not None and self.data_dir is not None
        cmd = [*(self.run_as or []), str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), *args]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        if self.data_dir is not None:
            try:
                self._pg_ctl("-m", "immediate", "-w", "stop")
            finally:
                shutil.rmtree(self.data_dir.parent, ignore_errors=True)
        elif self.template is not None:  # a server named by RENDA_TEST_PG_URL: leave it as found
            self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    def url_of(self, name: str) -> str:
        return self.base_url.rsplit("/", 1)[0] + "/" + name

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def _migrated_template(self) -> str:
        """Migrate one database once; every test database is a file copy of it (alembic then finds
        nothing to do), which is ten times quicker than migrating each one."""
        if self.template is None:
            from core.db import make_engine, migrate

            name = "t_template_" + uuid.uuid4().hex[:12]
            self._execute(f'CREATE DATABASE "{name}"')
            engine = make_engine(self.url_of(name))
            try:
                migrate(engine)
            finally:
                engine.dispose()
            self._execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            self.template = name
        return self.template

    def new_database(self, *, empty: bool = False) -> str:
        """A database of its own for one test, at the newest schema (or ``empty``); returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        template = "template0" if empty else self._migrated_template()
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}')  # type: ignore[arg-type]
        return self.url_of(name)

    def drop_database(self, url: str) -> None:
        """Remove a test's database (its connections are closed first): the cluster stays small."""
        self._execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    @contextmanager
    def database(self, *, empty: bool = False) -> Iterator[str]:
        """A database of its own (:meth:`new_database`) for the ``with`` block, dropped after it."""
        url = self.new_database(empty=empty)
        try:
            yield url
        finally:
            self.drop_database(url)


def start_cluster() -> PostgresCluster:
    url = os.environ.get("RENDA_TEST_PG_URL")
    if url:
        return PostgresCluster(base_url=url)
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="renda-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PostgresUnavailable("以 root 运行测试时需要 runuser 来以 postgres 用户启动数据库")
        run_as = [runuser, "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        root.chmod(0o755)
    subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, timeout=180)
    # Each test process (pytest-xdist worker) starts its own cluster in its own folder. The free port is
    # only free when asked: another process may take it before the server binds, so try a few ports.
    for attempt in range(5):
        port = _free_port()
        cluster = PostgresCluster(f"postgresql://postgres@127.0.0.1:{port}/postgres", data, bin_dir, run_as)
        try:
            cluster._pg_ctl("-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                            "-c max_connections=200 -c synchronous_commit=off",
                            "-l", str(root / "log"), "-w", "start")
        except subprocess.CalledProcessError:
            if attempt == 4:
                raise
            continue
        return cluster
    raise PostgresUnavailable("PostgreSQL 没有启动")  # not reached
