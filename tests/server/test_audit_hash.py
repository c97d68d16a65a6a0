"""Every column of an audit entry is under its hash: editing any one is named by `renda audit verify`.

Entries written before hash version 2 (without ``id`` and ``note`` in the hash) still verify, and
version-2 entries cannot be passed off as old ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from apps.cli import main
from apps.server.services import ServerServices
from core import audit
from core.auth.service import DEMO_PASSWORD
from core.db import make_engine
from core.ids import uuid7
from core.models.identity import AuditEntry
from tests.helpers.live_server import server_settings

TABLE = AuditEntry.__table__
SEQ = 6

# column → how to change its stored value
EDITS: dict[str, Callable[[Any], Any]] = {
    "id": lambda _old: uuid7(),
    "seq": lambda old: old + 1000,
    "at": lambda old: old + timedelta(seconds=1),
    "actor": lambda old: old + "x",
    "action": lambda _old: "login.failed",
    "target": lambda old: old + "x",
    "detail": lambda old: dict(old, forged=True),
    "ip": lambda _old: "10.9.9.9",
    "note": lambda _old: "已核实，无异常",
    "prev_hash": lambda _old: "1" * 64,
    "hash": lambda _old: "2" * 64,
}


def test_every_column_is_listed() -> None:
    assert set(EDITS) == {c.name for c in TABLE.columns}  # type: ignore[attr-defined]


def _fill(url: str, tmp_path: Path) -> None:
    services = ServerServices.open(server_settings(tmp_path, url))
    try:
        services.identity.ensure_demo_users()
        services.identity.authenticate("staff", DEMO_PASSWORD, "10.0.0.1")
    finally:
        services.close()


@pytest.fixture
def engine(tmp_path: Path, server_db_url: str) -> Iterator[Engine]:
    _fill(server_db_url, tmp_path)
    eng = make_engine(server_db_url)
    yield eng
    eng.dispose()


def _verify(engine: Engine, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", engine.url.render_as_string(hide_password=False)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _edit(engine: Engine, seq: int, column: str, change: Callable[[Any], Any]) -> None:
    with engine.begin() as conn:
        old = conn.execute(select(TABLE.c[column]).where(TABLE.c.seq == seq)).scalar_one()
        conn.execute(update(TABLE).where(TABLE.c.seq == seq).values({column: change(old)}))


@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_column_is_named(engine: Engine, column: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _verify(engine, capsys)[0] == 0
    _edit(engine, SEQ, column, EDITS[column])
    code, out = _verify(engine, capsys)
    assert code == 1, out
    assert f"审计日志被篡改：第 {SEQ} 条" in out


def _downgrade_to_version_1(engine: Engine, upto_seq: int) -> None:
    """Rewrite entries 1..upto_seq as an older release wrote them: hashed without id and note."""
    with engine.begin() as conn:
        prev = audit.GENESIS
        rows = conn.execute(select(TABLE).where(TABLE.c.seq <= upto_seq).order_by(TABLE.c.seq)).all()
        for row in rows:
            digest = audit.entry_hash(row.seq, row.at, row.actor, row.action, row.target, row.detail, row.ip, prev)
            conn.execute(update(TABLE).where(TABLE.c.seq == row.seq).values(prev_hash=prev, hash=digest))
            prev = digest
        following = conn.execute(select(TABLE).where(TABLE.c.seq > upto_seq).order_by(TABLE.c.seq)).all()
        for row in following:
            digest = audit.entry_hash(row.seq, row.at, row.actor, row.action, row.target, row.detail, row.ip, prev,
                                      entry_id=row.id, note=row.note)
            conn.execute(update(TABLE).where(TABLE.c.seq == row.seq).values(prev_hash=prev, hash=digest))
            prev = digest


def test_entries_from_before_version_2_still_verify(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    _downgrade_to_version_1(engine, upto_seq=10)
    code, out = _verify(engine, capsys)
    assert code == 0, out


def test_a_note_on_an_old_entry_is_caught(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    _downgrade_to_version_1(engine, upto_seq=10)
    _edit(engine, 4, "note", EDITS["note"])
    code, out = _verify(engine, capsys)
    assert code == 1 and "第 4 条" in out


def test_a_new_entry_cannot_pass_as_an_old_one(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    # Entry 12 is rewritten with an edited actor and a version-1 hash: version 2 came before it.
    _downgrade_to_version_1(engine, upto_seq=10)
    with engine.begin() as conn:
        row = conn.execute(select(TABLE).where(TABLE.c.seq == 12)).one()
        forged = audit.entry_hash(row.seq, row.at, "nobody", row.action, row.target, row.detail, row.ip, row.prev_hash)
        conn.execute(update(TABLE).where(TABLE.c.seq == 12).values(actor="nobody", hash=forged))
    code, out = _verify(engine, capsys)
    assert code == 1 and "第 12 条" in out
