"""The change feed (``sync_change``) mirrors every synced row's change number and scope, whoever writes
the row, and a pull page's queries do not grow with the number of registered tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, insert, select, text

from core.ids import uuid7
from core.models import Document
from core.models.base import utcnow
from core.models.syncstate import SyncChange
from core.sync.feed import install_change_feed
from core.sync.schema import REGISTRY, SyncRegistry
from core.sync.scopes import pull_patterns
from core.sync.server import SyncService
from core.sync.stamping import allocate_seqs
from tests.sync.harness import World, client_rows


def _feed(world: World) -> dict[tuple[str, str], tuple[int, str]]:
    with world.factory() as s:
        return {(r.table_name, r.row_id): (r.seq, r.scope) for r in s.scalars(select(SyncChange))}


def _tables(world: World) -> dict[tuple[str, str], tuple[int, str]]:
    out: dict[tuple[str, str], tuple[int, str]] = {}
    with world.factory() as s:
        for spec in REGISTRY:
            t = spec.table
            for row_id, seq, scope in s.execute(select(t.c.id, t.c.seq, t.c.scope)):
                out[(spec.name, row_id)] = (seq, scope)
    return out


def _core_insert(world: World, count: int,
                 fields: Callable[[int], dict[str, Any]] = lambda i: {"title": f"导入 {i}"}) -> None:
    """Rows written as a bulk importer does: Core, numbered by the sequencer, no ORM hooks. ``fields`` gives the
    i-th document's own values (title, classification, domain) over a public document's."""
    with world.factory() as s, s.begin():
        first = allocate_seqs(s, count)
        rows: list[dict[str, Any]] = []
        for i in range(count):
            values: dict[str, Any] = {"id": uuid7(), "doc_no": "", "kind": "", "classification": "public",
                                      "domain": "", "year": 2025, "amount_fen": i, "body": "", "version": 1,
                                      "changed_by": "import", "changed_at": utcnow(), "deleted": False,
                                      "seq": first + i, **fields(i)}
            values["scope"] = Document.scope_for(values)
            rows.append(values)
        s.execute(insert(Document.__table__), rows)  # type: ignore[arg-type]


def test_every_writer_feeds_it_and_compaction_empties_it(world: World) -> None:
    staff = world.add_user("s", "budget_staff")
    client = world.client(staff)
    with client.store.session() as s, s.begin():
        s.add(Document(title="离线新增", classification="internal"))
        s.add(Document(title="另一份", classification="public"))
    client.sync()
    _core_insert(world, 30)
    with client.store.session() as s, s.begin():
        doc = s.scalars(select(Document).where(Document.title == "离线新增")).one()
        doc.classification = "public"  # moves between scopes
        s.scalars(select(Document).where(Document.title == "另一份")).one().deleted = True
    client.sync()
    assert _feed(world) == _tables(world) and len(_feed(world)) == 32
    assert world.service.compact()["tombstones_removed"] == 1
    assert _feed(world) == _tables(world) and len(_feed(world)) == 31
    client.sync()
    assert client_rows(client) == world.server_rows(world.principal(staff))


def test_a_table_without_its_triggers_is_filled_when_they_are_installed(world: World) -> None:
    _core_insert(world, 5)
    with world.engine.begin() as conn:  # as after a migration that rebuilt the table
        on = " ON reg_document" if conn.dialect.name == "postgresql" else ""
        for kind in ("ins", "upd", "del"):
            conn.execute(text(f'DROP TRIGGER "sync_change_{kind}_reg_document"{on}'))
        conn.execute(delete(SyncChange.__table__))  # type: ignore[arg-type]
    _core_insert(world, 3)
    assert install_change_feed(world.engine, REGISTRY) == ["reg_document"]
    assert install_change_feed(world.engine, REGISTRY) == []
    assert _feed(world) == _tables(world) and len(_feed(world)) == 8


def test_a_pull_page_costs_the_same_queries_however_many_tables_are_registered(sqlite_world: World) -> None:
    world = sqlite_world
    staff = world.add_user("s", "budget_staff")
    _core_insert(world, 50)
    principal = world.principal(staff)
    one = SyncRegistry()
    one.register(Document)
    every, single = SyncService(world.factory, REGISTRY), SyncService(world.factory, one)
    single._masked_permissions = every._masked_permissions
    counts = []
    for service in (every, single):
        statements: list[str] = []
        with world.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
        raw.set_trace_callback(statements.append)  # the pool hands the same connection back
        try:
            page = service.pull(principal, None, 1000)
        finally:
            raw.set_trace_callback(None)
        assert len(page["tables"]["reg_document"]["rows"]) == 50
        counts.append(len([q for q in statements if q.lstrip().upper().startswith("SELECT")]))
    assert len(list(REGISTRY)) > 30
    assert counts[0] == counts[1] > 0


def test_the_row_level_trigger_of_earlier_versions_is_replaced_on_postgresql(world: World) -> None:
    """Servers before the statement-level triggers kept the feed with one row-level trigger per table
    (``sync_change_<table>``); the first start after the upgrade replaces it, so no row counts twice."""
    if world.engine.dialect.name != "postgresql":
        assert install_change_feed(world.engine, REGISTRY) == []  # SQLite's triggers are as they were
        return
    with world.engine.begin() as conn:
        for kind in ("ins", "upd", "del"):
            conn.execute(text(f'DROP TRIGGER "sync_change_{kind}_reg_document" ON reg_document'))
        conn.execute(text("CREATE OR REPLACE FUNCTION sync_change_feed() RETURNS trigger LANGUAGE plpgsql AS "
                          "$$ BEGIN RAISE EXCEPTION 'earlier trigger still fires'; END $$"))
        conn.execute(text('CREATE TRIGGER "sync_change_reg_document" AFTER INSERT OR UPDATE OF seq, scope OR DELETE '
                          "ON reg_document FOR EACH ROW EXECUTE FUNCTION sync_change_feed('reg_document')"))
    assert install_change_feed(world.engine, REGISTRY) == ["reg_document"]
    _core_insert(world, 4)  # would raise if the earlier trigger were still there
    assert _feed(world) == _tables(world) and len(_feed(world)) == 4


COMMITTEES = ("财经", "教科文卫", "城建环保")


def _committee_documents(world: World, count: int) -> None:
    """Documents of three committees, their change numbers interleaved (``committee:财经``, ``committee:教科文卫`` …)."""
    _core_insert(world, count, lambda i: {"title": f"委员会材料 {i}", "classification": "internal",
                                          "domain": COMMITTEES[i % 3]})


def test_a_committee_wide_pattern_is_pulled_page_by_page_in_change_number_order(world: World) -> None:
    """``committee:*`` covers three scopes, their change numbers interleaved: in pages of four, rows moved between
    committees, edits and rows leaving the pattern all arrive once, each page in change-number order (a page out
    of order would set the cursor short of its last row and send rows again)."""
    staff = world.add_user("s", "budget_staff")
    _committee_documents(world, 30)
    principal = world.principal(staff)
    assert "committee:*" in pull_patterns(principal)
    sent: list[tuple[str, str]] = []  # a fresh pull in pages of four: each row once, each page in order
    cursor = None
    for _ in range(100):
        page = world.service.pull(principal, cursor, 4)
        for name, block in page["tables"].items():
            at, seq_at = block["columns"].index("id"), block["columns"].index("seq")
            seqs = [row[seq_at] for row in block["rows"]]
            assert seqs == sorted(seqs)
            sent += [(name, row[at]) for row in block["rows"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert len(sent) == len(set(sent)) and len([n for n, _ in sent if n == "reg_document"]) == 30
    client = world.client(staff, page_limit=4)
    client.sync()
    assert client_rows(client) == world.server_rows(principal)
    with world.factory() as s, s.begin():
        s.info["actor"] = "staff"
        for i, doc in enumerate(s.scalars(select(Document).where(Document.title.like("委员会材料%"))
                                          .order_by(Document.amount_fen))):
            if i % 4 == 0:
                doc.domain = COMMITTEES[(i + 1) % 3]  # moves to another committee of the same pattern
            elif i % 4 == 1:
                doc.body = f"修改 {i}"
            elif i % 4 == 2:
                doc.classification = "public"  # leaves the pattern
    _committee_documents(world, 7)
    client.sync()
    rows = client_rows(client)
    assert rows == world.server_rows(principal)
    assert sum(1 for r in rows["reg_document"].values() if r["scope"].startswith("committee:")) == 30
