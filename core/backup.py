"""Backup and restore of the central server: database, attachment store and audit head in one archive.

An archive is a gzip'd tar with:

- ``manifest.json``: format, time, database kind, schema revision, the audit head (last ``seq`` and
  ``hash``) and the SHA-256 and size of every other member;
- ``database.sqlite3`` (SQLite online-backup copy) or ``database.pgdump`` (``pg_dump --format=custom``,
  taken in the same snapshot as the audit head is read);
- ``blobs/ab/cdef…``: the content-addressed attachment store.

:func:`restore_backup` reads and checks the whole archive before it writes anything, restores only into an
empty database, and then checks that the audit chain verifies and ends at the recorded head.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

FORMAT = "renda-server-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
_BLOB_MEMBER = re.compile(r"^blobs/[0-9a-f]{2}/[0-9a-f]{62}$")
_CHUNK = 1024 * 1024
_TOOL_TIMEOUT = 6 * 3600


class BackupRefused(ValueError):
    """The backup or restore cannot be done as asked; nothing was changed. The message is for the operator."""


class RestoreUnverified(RuntimeError):
    """The restore was written but its audit chain does not verify or does not end at the recorded head."""


@dataclass(frozen=True)
class AuditHead:
    seq: int
    hash: str

    def describe(self) -> str:
        return f"第 {self.seq} 条，哈希 {self.hash[:16]}…" if self.seq else "（审计日志为空）"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    dialect: str
    revision: str
    audit: AuditHead
    blobs: int
    size: int


@dataclass(frozen=True)
class RestoreReport:
    dialect: str
    revision: str
    audit: AuditHead
    blobs: int


# ------------------------------------------------------------------ helpers
def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_path(url: URL) -> Path:
    database = url.database or ""
    if database in ("", ":memory:"):
        raise BackupRefused(f"数据库地址 {url} 没有指明文件。SQLite 数据库写作 sqlite:////绝对路径")
    return Path(database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the PostgreSQL tools, and the environment carrying the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(name: str, server_version: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version when installed, else the one on PATH."""
    major = server_version // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"没有找到 PostgreSQL 的 {name} 程序；请在本机安装与数据库同版本（{major}）的 PostgreSQL 客户端")
    return found


def _run_tool(cmd: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=_TOOL_TIMEOUT, check=False)
    except OSError as exc:
        raise BackupRefused(f"无法运行 {cmd[0]}：{exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupRefused(f"{what}失败：{detail[-1] if detail else f'退出码 {done.returncode}'}")


def _head_and_revision(conn: Any) -> tuple[AuditHead, str]:
    row = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).first()
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    head = AuditHead(int(row[0]), str(row[1])) if row else AuditHead(0, "0" * 64)
    return head, ",".join(sorted(str(r) for r in revision))


def _engine(url: str) -> Engine:
    from core.db import make_engine

    return make_engine(url)


# ------------------------------------------------------------------ backup
def create_backup(db_url: str, data_dir: Path, out: Path) -> BackupReport:
    """Write a backup of the server at ``db_url`` with its attachment store under ``data_dir`` to ``out``."""
    from core.db import DatabaseMissing, existing_engine

    out = Path(out)
    if out.exists() and out.is_dir():
        raise BackupRefused(f"{out} 是一个文件夹；--out 应给出备份文件的名字，例如 {out / 'renda-backup.tar.gz'}")
    if not out.parent.is_dir():
        raise BackupRefused(f"存放备份的文件夹 {out.parent} 不存在")
    try:
        engine = existing_engine(db_url, upgrade=False)
    except DatabaseMissing as exc:
        raise BackupRefused(str(exc)) from None
    url = engine.url
    blob_dir = Path(data_dir) / "blobs"
    with tempfile.TemporaryDirectory(prefix=".renda-backup-", dir=out.parent) as tmp:
        work = Path(tmp)
        try:
            if url.get_backend_name() == "sqlite":
                engine.dispose()
                member = SQLITE_MEMBER
                head, revision = _snapshot_sqlite(_sqlite_path(url), work / member)
            elif url.get_backend_name() == "postgresql":
                member = PG_MEMBER
                head, revision = _snapshot_postgres(engine, work / member)
            else:
                raise BackupRefused(f"不支持备份 {url.get_backend_name()} 数据库")
        finally:
            engine.dispose()
        files: dict[str, dict[str, Any]] = {member: {"sha256": _sha256_file(work / member),
                                                      "size": (work / member).stat().st_size}}
        blobs = sorted(p for p in blob_dir.glob("??/*") if p.is_file()) if blob_dir.is_dir() else []
        blob_members: list[tuple[str, Path]] = []
        for path in blobs:
            name = f"blobs/{path.parent.name}/{path.name}"
            if not _BLOB_MEMBER.match(name):
                continue  # a half-written upload (.incoming-…) or a stray file: not part of the store
            digest = _sha256_file(path)
            if digest != path.parent.name + path.name:
                raise BackupRefused(f"附件库中的文件 {path} 已损坏（内容与编号不符）；请先处理后再备份")
            files[name] = {"sha256": digest, "size": path.stat().st_size}
            blob_members.append((name, path))
        manifest = {"format": FORMAT, "version": FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "dialect": url.get_backend_name(), "revision": revision,
                    "audit": {"seq": head.seq, "hash": head.hash}, "files": files}
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = work / "archive.partial"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(work / MANIFEST, MANIFEST)
            tar.add(work / member, member)
            for name, path in blob_members:
                tar.add(path, name)
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, out)
    return BackupReport(out, url.get_backend_name(), revision, head, len(blob_members), out.stat().st_size)


def _snapshot_sqlite(source: Path, target: Path) -> tuple[AuditHead, str]:
    """A consistent copy through SQLite's online backup API (writers may go on meanwhile)."""
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    engine = _engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return _head_and_revision(conn)
    finally:
        engine.dispose()


def _snapshot_postgres(engine: Engine, target: Path) -> tuple[AuditHead, str]:
    """``pg_dump`` in a snapshot exported by a repeatable-read transaction that also reads the audit head,
    so the dump and the recorded head are of the same moment."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            head, revision = _head_and_revision(conn)
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
            dsn, env = _libpq(engine.url)
            _run_tool([_pg_tool("pg_dump", version), "--format=custom", "--no-owner", "--no-privileges",
                       f"--snapshot={snapshot}", f"--file={target}", f"--dbname={dsn}"], env, "导出数据库（pg_dump）")
    return head, revision


# ------------------------------------------------------------------ restore
@dataclass
class _Checked:
    manifest: dict[str, Any]
    root: Path

    @property
    def dialect(self) -> str:
        return str(self.manifest["dialect"])

    @property
    def head(self) -> AuditHead:
        audit = self.manifest["audit"]
        return AuditHead(int(audit["seq"]), str(audit["hash"]))

    @property
    def blob_names(self) -> list[str]:
        return [n for n in self.manifest["files"] if _BLOB_MEMBER.match(n)]


def _damaged(path: Path, why: str) -> BackupRefused:
    return BackupRefused(f"备份文件 {path} 已损坏或不是本系统的备份（{why}），未做任何改动。请换用另一份备份")


@contextmanager
def checked_archive(path: Path, work_parent: Path | None = None) -> Iterator[_Checked]:
    """Unpack ``path`` into a temporary folder and check every member against the manifest; yields the
    checked contents (removed afterwards). Raises :class:`BackupRefused` on any damage."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"备份文件 {path} 不存在")
    with tempfile.TemporaryDirectory(prefix=".renda-restore-", dir=work_parent) as tmp:
        root = Path(tmp)
        digests: dict[str, tuple[str, int]] = {}
        manifest: dict[str, Any] | None = None
        try:
            with tarfile.open(path, "r:gz") as tar:
                for info in tar:
                    name = info.name
                    if not info.isfile() or not (name in (MANIFEST, SQLITE_MEMBER, PG_MEMBER)
                                                 or _BLOB_MEMBER.match(name)) or name in digests:
                        raise _damaged(path, f"多余或重复的内容 {name}")
                    source = tar.extractfile(info)
                    assert source is not None
                    if name == MANIFEST:
                        manifest = json.loads(source.read(16 * 1024 * 1024).decode("utf-8"))
                        digests[name] = ("", 0)
                        continue
                    target = root / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest, size = hashlib.sha256(), 0
                    with target.open("wb") as fh:
                        while chunk := source.read(_CHUNK):
                            digest.update(chunk)
                            size += len(chunk)
                            fh.write(chunk)
                    digests[name] = (digest.hexdigest(), size)
        except BackupRefused:
            raise
        except (tarfile.TarError, OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
            raise _damaged(path, type(exc).__name__) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _damaged(path, "没有清单")
        if manifest.get("version") != FORMAT_VERSION:
            raise BackupRefused(f"备份文件 {path} 的格式版本 {manifest.get('version')} 不受本版程序支持，未做任何改动")
        files = manifest.get("files")
        dialect = manifest.get("dialect")
        database = {"sqlite": SQLITE_MEMBER, "postgresql": PG_MEMBER}.get(str(dialect))
        if not isinstance(files, dict) or database is None or database not in files:
            raise _damaged(path, "清单不完整")
        present = set(digests) - {MANIFEST}
        if present != set(files):
            missing = sorted(set(files) - present)
            raise _damaged(path, f"缺少 {missing[0]}" if missing else f"清单外的文件 {sorted(present - set(files))[0]}")
        for name, entry in files.items():
            if digests[name] != (entry.get("sha256"), entry.get("size")):
                raise _damaged(path, f"{name} 的校验和不符")
        try:
            audit = manifest["audit"]
            AuditHead(int(audit["seq"]), str(audit["hash"]))
        except (KeyError, TypeError, ValueError):
            raise _damaged(path, "清单中没有审计日志末条") from None
        yield _Checked(manifest, root)


def restore_backup(archive: Path, db_url: str, data_dir: Path) -> RestoreReport:
    """Restore ``archive`` into the empty database at ``db_url`` and the attachment store under
    ``data_dir``. The archive is checked whole first; a non-empty or missing target is refused."""
    url = make_url(db_url)
    dialect = url.get_backend_name()
    if dialect not in ("sqlite", "postgresql"):
        raise BackupRefused(f"不支持恢复到 {dialect} 数据库")
    data_dir = Path(data_dir)
    work_parent = None
    if dialect == "sqlite":
        target = _sqlite_path(url)
        if not target.parent.is_dir():
            raise BackupRefused(f"数据库文件所在的文件夹 {target.parent} 不存在，未做任何改动")
        work_parent = target.parent
    with checked_archive(Path(archive), work_parent) as checked:
        if checked.dialect != dialect:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupRefused(f"这是 {names[checked.dialect]} 数据库的备份，只能恢复到 {names[checked.dialect]} 数据库"
                                f"（--db 指向的是 {names[dialect]}），未做任何改动")
        _check_revision(str(checked.manifest.get("revision", "")))
        _check_blob_dir(data_dir)
        if dialect == "sqlite":
            _restore_sqlite(checked.root / SQLITE_MEMBER, _sqlite_path(url))
        else:
            _restore_postgres(checked.root / PG_MEMBER, db_url)
        blobs = _restore_blobs(checked, data_dir / "blobs")
        head = checked.head
        revision = str(checked.manifest.get("revision", ""))
    _verify_restored(db_url, head)
    return RestoreReport(dialect, revision, head, blobs)


def _check_revision(revision: str) -> None:
    """A backup made by a newer release holds a schema this program cannot run on: refuse it up front."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from core.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
    unknown = [r for r in revision.split(",") if r and r not in known]
    if unknown:
        raise BackupRefused(f"这份备份来自更新的版本（数据库版本 {revision}），本程序不认识；请用不低于备份时版本的"
                            "renda 恢复，未做任何改动")


def _check_blob_dir(data_dir: Path) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupRefused(f"数据目录 {data_dir} 是一个文件，不是文件夹，未做任何改动")


def _restore_sqlite(snapshot: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size > 0:
        with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as conn:
            try:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            except sqlite3.DatabaseError:
                tables = 1
        if tables:
            raise BackupRefused(f"数据库文件 {target} 已有数据：只能恢复到空数据库，未做任何改动。"
                                "请给出一个新的文件名，或先移走这个文件")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(snapshot, partial)
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


_NON_EMPTY_SQL = text(
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
    "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')")


def _restore_postgres(dump: Path, db_url: str) -> None:
    engine = _engine(db_url)
    try:
        try:
            with engine.connect() as conn:
                relations = int(conn.execute(_NON_EMPTY_SQL).scalar_one())
                version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        except Exception as exc:  # any driver error: missing database, wrong password, server down
            raise BackupRefused(f"无法连接数据库 {engine.url.render_as_string()}：{getattr(exc, 'orig', exc)}。"
                                "请先建好一个空数据库（createdb），并核对 --db 参数；未做任何改动") from None
        if relations:
            raise BackupRefused(f"数据库 {engine.url.database} 已有 {relations} 个表或序列：只能恢复到空数据库，"
                                "未做任何改动。请新建一个空数据库（createdb 新库名）后再恢复")
        dsn, env = _libpq(engine.url)
    finally:
        engine.dispose()
    _run_tool([_pg_tool("pg_restore", version), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={dsn}", str(dump)], env, "导入数据库（pg_restore）")


def _restore_blobs(checked: _Checked, blob_dir: Path) -> int:
    count = 0
    for name in checked.blob_names:
        source = checked.root / name
        target = blob_dir / name.removeprefix("blobs/")
        count += 1
        if target.is_file() and _sha256_file(target) == checked.manifest["files"][name]["sha256"]:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".incoming-{target.name}")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    return count


def _verify_restored(db_url: str, head: AuditHead) -> None:
    from sqlalchemy.orm import Session

    from core.audit import verify_chain

    engine = _engine(db_url)
    try:
        with Session(engine) as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if not report.ok:
        raise RestoreUnverified(f"恢复后的审计日志校验不通过：{report.describe()}")
    if report.entries != head.seq or report.head_hash != head.hash:
        raise RestoreUnverified(f"恢复后的审计日志末条（第 {report.entries} 条，哈希 {report.head_hash[:16]}…）"
                                f"与备份时记录的末条（{head.describe()}）不一致")
