"""Engines, sessions and start-up migrations for the server database and each client's SQLite."""

from __future__ import annotations

import atexit
import json
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from core import wal

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


SQLITE_CACHE_KIB = 65_536
"""Each SQLite connection's page cache (SQLite's default is 2 MiB). A push of 2,000 edits updates rows, their
indexes and the change feed at 2,000 places of a table of hundreds of thousands of rows: with the default, most
of those pages were read again from the operating system, and the database's share of a push took about half
as long again. Pages are only taken as they are read, so a small database uses little of it."""

SERVER_STATEMENT_JOURNALS = "MEMORY"
"""The sync server's SQLite keeps its statement journals in memory (``PRAGMA temp_store``). A statement that
writes more than one row and may fail half-way (every write to a synced table, whose change-feed trigger writes a
second row) keeps the pages it changes in a statement journal, so that it alone can be undone. With the default
temporary store that journal moves to a file once it outgrows 64 KiB, a few statements into a transaction, and
from then on every page each statement changes is written to that file with system calls of its own (about
sixteen per updated row): the 10,000 updates of a push took twice as long (0.22 s against 0.10 s on a copy of the
bench's database). In memory it holds the pages of one statement at a time. Workstations keep the default:
their big writes are bulk imports, whose ``CREATE INDEX`` SQLite sorts on one thread only when temporary data is
in memory."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _json_loads(text: str | bytes) -> Any:
    """JSON columns read with orjson (several times faster on outboxes and pages of thousands of rows); the
    few texts it refuses and the standard library reads (NaN, integers beyond 64 bits) are read by ``json``."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _json_dumps(value: Any) -> str:
    """JSON columns written with orjson (the mutation log and conflict records of a push are thousands of
    values a batch); what it refuses (integers beyond 64 bits, other types) the standard library writes, or
    refuses as before."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, server: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout, and with ``server`` its
    statement journals in memory (:data:`SERVER_STATEMENT_JOURNALS`)."""
    kwargs.setdefault("json_deserializer", _json_loads)
    kwargs.setdefault("json_serializer", _json_dumps)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        wal.watch(engine)
        if server:
            @event.listens_for(engine, "connect")
            def _server_pragmas(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.execute(f"PRAGMA temp_store={SERVER_STATEMENT_JOURNALS}")

        # pysqlite's own BEGIN handling defers locks badly; take the write lock at BEGIN instead.
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write", True) else "BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class DatabaseMissing(ValueError):
    """A command that reads was pointed at a database that does not exist or is not the suite's."""


SQLITE_URL_HELP = ("SQLite 数据库写作 sqlite:///相对路径 或 sqlite:////绝对路径（sqlite: 后三个斜杠，绝对路径再加一个），"
                   "例如 sqlite:////var/lib/renda/renda.sqlite3；PostgreSQL 写作 postgresql://用户@主机/库名")


def existing_engine(url: str, *, upgrade: bool = True) -> Engine:
    """An engine for a database that must already exist and hold the suite's tables (brought to the newest
    schema unless ``upgrade`` is False, for commands that only read); a missing file or a foreign database
    raises :class:`DatabaseMissing` and creates nothing."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
        if path in ("", ":memory:"):
            raise DatabaseMissing(f"数据库地址 {url} 没有指明文件。{SQLITE_URL_HELP}")
        if not Path(path).is_file():
            raise DatabaseMissing(f"数据库文件 {Path(path).resolve()} 不存在，未做任何改动。请核对 --db 参数。{SQLITE_URL_HELP}")
    try:
        engine = make_engine(url)
    except Exception as exc:  # an unparsable URL or an unknown driver
        raise DatabaseMissing(f"数据库地址 {url} 无法识别（{exc}）。{SQLITE_URL_HELP}") from None
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except Exception as exc:  # any driver error means the database cannot be read
        engine.dispose()
        raise DatabaseMissing(f"无法打开数据库 {url}：{getattr(exc, 'orig', exc)}") from None
    if "alembic_version" not in tables:
        engine.dispose()
        raise DatabaseMissing(f"数据库 {url} 不是本系统的数据库（没有本系统的数据表），未做任何改动。请核对 --db 参数")
    if upgrade:
        migrate(engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error, always closes."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection that only reads. On SQLite its transactions begin with a plain ``BEGIN``, not the ``BEGIN
    IMMEDIATE`` of every other connection: it takes no write lock, so it neither waits for a write under way
    (WAL readers see the last commit) nor holds one up."""
    with engine.connect() as conn:
        conn.info["write"] = False
        try:
            yield conn
        finally:
            conn.info.pop("write", None)


@contextmanager
def read_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that only reads, over :func:`read_connection`. A request's token check read under the write
    lock waited for a push of another batch to commit, polling, and woke up to tens of milliseconds after it."""
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine):
        with factory() as session:
            yield session
        return
    with read_connection(engine) as conn, factory(bind=conn) as session:
        yield session


def migrate(engine: Engine) -> None:
    """Bring ``engine``'s database to the newest schema with Alembic (run at every start-up)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


_blank: Path | None = None
_blank_lock = threading.Lock()


def _migrated_sqlite_file(path: Path) -> Path:
    """Create ``path`` as a SQLite database at the newest schema, as one file (no write-ahead log beside it)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:  # fold the log into the file
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def blank_sqlite_template() -> Path:
    """A database at the newest schema holding nothing, migrated the first time this process asks for it (in
    a temporary folder removed when the process ends). Migrating from nothing replays every revision, about a
    second; a copy of this file takes milliseconds, and :func:`migrate` then finds nothing to do."""
    global _blank
    with _blank_lock:
        if _blank is None or not _blank.exists():
            folder = Path(tempfile.mkdtemp(prefix="renda-blank-"))
            atexit.register(shutil.rmtree, folder, True)
            _blank = _migrated_sqlite_file(folder / "blank.sqlite3")
        return _blank


def create_blank_sqlite(path: Path) -> Path:
    """Create ``path`` (which must not exist) as an empty database at the newest schema: a copy of
    :func:`blank_sqlite_template`, with the tables, indexes, triggers and rows that migrating a new file leaves.
    A write-ahead log left beside a file that is gone belongs to that file, not to the copy: it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    with path.open("xb") as target, blank_sqlite_template().open("rb") as source:
        shutil.copyfileobj(source, target)
    return path
