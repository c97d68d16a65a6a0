"""``renda backup`` and ``renda restore``: backup → restore into an empty database → audit verify → a sync
round that finds every row and attachment; damaged archives and non-empty targets are refused unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from apps.cli import main
from core.db import make_engine, migrate
from core.models.registry import Document
from core.remote import RemoteSession
from core.sync.client import LocalStore, SyncClient
from tests.helpers.live_server import start_live_server
from tests.helpers.pg import PostgresCluster

PDF = "%PDF-1.4\n2026 年部门预算草案扫描件（备份测试）\n".encode()


def _client(tmp_path: Path, name: str, url: str, username: str, password: str) -> tuple[SyncClient, LocalStore]:
    session = RemoteSession.login(url, username, password)
    engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
    migrate(engine)
    store = LocalStore(engine, tmp_path / f"{name}-blobs")
    store.set_permissions(session.me.permissions)
    return SyncClient(store, session.transport), store


@pytest.fixture
def empty_target(request: pytest.FixtureRequest, server_db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as ``server_db_url`` to restore into."""
    if server_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    with cluster.database(empty=True) as url:
        yield url


def _filled_server(tmp_path: Path, db_url: str) -> tuple[str, str]:
    """Run a server on ``db_url``, push a document with an attachment; returns (document id, sha256)."""
    with start_live_server(tmp_path / "origin", db_url) as live:
        sync, store = _client(tmp_path, "staff", live.url, "staff", live.password)
        with store.session() as s, s.begin():
            doc = Document(title="2026年部门预算草案", classification="public", year=2026, amount_fen=98_765_400)
            s.add(doc)
            s.flush()
            store.attach(s, doc, PDF, "预算草案.pdf")
            doc_id = doc.id
        assert sync.sync().rejected == 0
        sync.transport.close()  # type: ignore[attr-defined]
        store.engine.dispose()
    return doc_id, hashlib.sha256(PDF).hexdigest()


def test_backup_restore_verify_and_sync(tmp_path: Path, server_db_url: str, empty_target: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    doc_id, sha = _filled_server(tmp_path, server_db_url)
    origin_data = tmp_path / "origin" / "server-data"
    archive = tmp_path / "backup.tar.gz"
    assert main(["backup", "--db", server_db_url, "--data-dir", str(origin_data), "--out", str(archive)]) == 0
    assert "已备份到" in capsys.readouterr().out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["audit"]["seq"] > 0 and f"blobs/{sha[:2]}/{sha[2:]}" in manifest["files"]

    restored_data = tmp_path / "restored" / "server-data"
    assert main(["restore", str(archive), "--db", empty_target, "--data-dir", str(restored_data)]) == 0
    out = capsys.readouterr().out
    assert "审计日志校验通过" in out and f"第 {manifest['audit']['seq']} 条" in out
    assert main(["audit", "verify", "--db", empty_target]) == 0
    assert f"共 {manifest['audit']['seq']} 条，末条哈希 {manifest['audit']['hash'][:16]}" in capsys.readouterr().out

    # A second restore into the now filled database is refused and changes nothing.
    assert main(["restore", str(archive), "--db", empty_target, "--data-dir", str(restored_data)]) == 2
    assert "只能恢复到空数据库" in capsys.readouterr().err

    # A database that does not exist (a PostgreSQL database never created, a folder that is not there).
    missing = (empty_target.rsplit("/", 1)[0] + "/no_such_database" if empty_target.startswith("postgresql")
               else f"sqlite:///{tmp_path / 'no-such-folder' / 'restored.sqlite3'}")
    assert main(["restore", str(archive), "--db", missing, "--data-dir", str(tmp_path / "elsewhere")]) == 2
    err = capsys.readouterr().err
    assert "未做任何改动" in err and "Traceback" not in err and not (tmp_path / "elsewhere").exists()

    # The restored server serves every row and the attachment to a client that never saw them.
    with start_live_server(tmp_path / "restored", empty_target, demo_users=False) as live:
        sync, store = _client(tmp_path, "deputy", live.url, "deputy", live.password)
        report = sync.sync(verify=True)
        assert report.pulled_rows >= 1 and not report.repaired_scopes
        with store.session() as s:
            assert s.scalars(select(Document.title).where(Document.id == doc_id)).one() == "2026年部门预算草案"
        assert sync.open_attachment(sha) == PDF
        sync.transport.close()  # type: ignore[attr-defined]
        store.engine.dispose()


def _rewrite(archive: Path, target: Path, change: dict[str, bytes | None]) -> None:
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name in change:
                replaced = change[info.name]
                if replaced is None:
                    continue
                data = replaced
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_damaged_archives_are_refused_unchanged(tmp_path: Path, migrated_sqlite: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "server.sqlite3"
    db.write_bytes(migrated_sqlite.read_bytes())
    data = tmp_path / "data"
    (data / "blobs").mkdir(parents=True)
    blob = hashlib.sha256(PDF).hexdigest()
    (data / "blobs" / blob[:2]).mkdir()
    (data / "blobs" / blob[:2] / blob[2:]).write_bytes(PDF)
    archive = tmp_path / "good.tar.gz"
    assert main(["backup", "--db", f"sqlite:///{db}", "--data-dir", str(data), "--out", str(archive)]) == 0
    capsys.readouterr()

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    flipped = tmp_path / "flipped.tar.gz"
    _rewrite(archive, flipped, {f"blobs/{blob[:2]}/{blob[2:]}": PDF.replace(b"2026", b"2025")})
    missing = tmp_path / "missing.tar.gz"
    _rewrite(archive, missing, {"database.sqlite3": None})
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    newer = tmp_path / "newer.tar.gz"
    _rewrite(archive, newer, {"manifest.json": json.dumps({**manifest, "revision": "9999"}).encode()})
    foreign = tmp_path / "foreign.tar.gz"
    foreign.write_bytes(b"PK\x03\x04 not a backup at all")
    target = tmp_path / "restored.sqlite3"
    restored_data = tmp_path / "restored-data"
    for bad, reason in ((truncated, "已损坏"), (flipped, "校验和不符"), (missing, "缺少 database.sqlite3"),
                        (foreign, "已损坏"), (newer, "更新的版本"), (tmp_path / "nowhere.tar.gz", "不存在")):
        code = main(["restore", str(bad), "--db", f"sqlite:///{target}", "--data-dir", str(restored_data)])
        err = capsys.readouterr().err
        assert code == 2 and reason in err and "Traceback" not in err, err
        assert not target.exists() and not restored_data.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".renda")] == []

    # A restore into a database that already holds data is refused too.
    code = main(["restore", str(archive), "--db", f"sqlite:///{db}", "--data-dir", str(restored_data)])
    assert code == 2 and "只能恢复到空数据库" in capsys.readouterr().err
    # A backup of a database that does not exist writes nothing.
    code = main(["backup", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}", "--out", str(tmp_path / "x.tar.gz")])
    assert code == 2 and "不存在" in capsys.readouterr().err and not (tmp_path / "x.tar.gz").exists()
