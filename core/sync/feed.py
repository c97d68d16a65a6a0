"""The server's change feed (``sync_change``): kept by triggers on every synced table.

Every insert, change of ``seq`` or ``scope``, and delete of a synced row updates the row's entry in
the feed, in the same transaction, whoever writes it (the ORM stamping hooks, the batched push, bulk
imports through Core or ``COPY``). A pull page then asks the feed, over its ``(scope, seq)`` index,
for the next changes of a scope pattern and reads only the tables that appear in the page.

The triggers are installed at server start for every registered table; a table that had none yet
(a new feature's table, or one rebuilt by a migration) is filled from its rows in the same
transaction. Clients have the table (one schema for all) but no triggers: they never pull from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, text

from core.sync.schema import SyncedTable

FEED = "sync_change"

# The table's name comes as the trigger's argument (text): ``TG_TABLE_NAME`` is of type ``name``, whose
# "C" collation would keep the feed's key from being used for the delete.
# On PostgreSQL one trigger per table fires once per statement and keeps the feed with one set-based
# statement over the statement's transition tables: a push or an import writes thousands of rows with one
# statement, and a row-level trigger (a function call and an upsert per row) took 60 % of such an update.
# An update counts only where ``seq`` or ``scope`` changed (a transition table rules out a column list).
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION sync_change_feed_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {FEED} f USING old_rows o WHERE f.table_name = TG_ARGV[0] AND f.row_id = o.id;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO {FEED} (table_name, row_id, seq, scope) SELECT TG_ARGV[0], n.id, n.seq, n.scope FROM new_rows n
    ON CONFLICT (table_name, row_id) DO UPDATE SET seq = EXCLUDED.seq, scope = EXCLUDED.scope;
  ELSE
    INSERT INTO {FEED} (table_name, row_id, seq, scope)
    SELECT TG_ARGV[0], n.id, n.seq, n.scope FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.seq IS DISTINCT FROM o.seq OR n.scope IS DISTINCT FROM o.scope
    ON CONFLICT (table_name, row_id) DO UPDATE SET seq = EXCLUDED.seq, scope = EXCLUDED.scope;
  END IF;
  RETURN NULL;
END $$
"""
_PG_EVENTS = {"ins": ("INSERT", "NEW TABLE AS new_rows"), "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
              "del": ("DELETE", "OLD TABLE AS old_rows")}


def _pg_triggers(table: str) -> dict[str, str]:
    """One statement-level trigger per event (PostgreSQL allows a transition table only on one-event triggers
    that name no columns)."""
    out = {}
    for short, (event, referencing) in _PG_EVENTS.items():
        name = f"{FEED}_{short}_{table}"[:63]
        out[name] = (f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" REFERENCING {referencing} '
                     f"FOR EACH STATEMENT EXECUTE FUNCTION sync_change_feed_set('{table}')")
    return out


_UPSERT = (f"INSERT INTO {FEED} (table_name, row_id, seq, scope) VALUES ('{{t}}', NEW.id, NEW.seq, NEW.scope) "
           "ON CONFLICT (table_name, row_id) DO UPDATE SET seq = excluded.seq, scope = excluded.scope;")


def _sqlite_triggers(table: str) -> dict[str, str]:
    upsert = _UPSERT.format(t=table)
    return {
        f"{FEED}_ins_{table}": f'CREATE TRIGGER "{FEED}_ins_{table}" AFTER INSERT ON "{table}" BEGIN {upsert} END',
        f"{FEED}_upd_{table}": (f'CREATE TRIGGER "{FEED}_upd_{table}" AFTER UPDATE OF seq, scope ON "{table}" '
                                f"BEGIN {upsert} END"),
        f"{FEED}_del_{table}": (f'CREATE TRIGGER "{FEED}_del_{table}" AFTER DELETE ON "{table}" BEGIN '
                                f"DELETE FROM {FEED} WHERE table_name = '{table}' AND row_id = OLD.id; END"),
    }


def install_change_feed(engine: Engine, tables: Iterable[SyncedTable]) -> list[str]:
    """Make the database keep the feed for ``tables``; returns the tables whose triggers were added
    now (and whose existing rows were copied into the feed)."""
    added: list[str] = []
    with engine.begin() as conn:
        dialect = conn.dialect.name
        if dialect == "postgresql":
            present = {r[0] for r in conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
        else:
            present = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        if dialect == "postgresql":  # (re)defined at every start, so a corrected body takes effect
            conn.exec_driver_sql(_PG_FUNCTION)
        for spec in tables:
            name = spec.name
            if dialect == "postgresql":
                wanted = _pg_triggers(name)
                if set(wanted) <= present:
                    continue
                conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{f"{FEED}_{name}"[:63]}" ON "{name}"')  # row-level, before
                for trigger, ddl in wanted.items():
                    conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{name}"')
                    conn.exec_driver_sql(ddl)
            else:
                wanted = _sqlite_triggers(name)
                if set(wanted) <= present:
                    continue
                for trigger, ddl in wanted.items():
                    conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{trigger}"')
                    conn.exec_driver_sql(ddl)
            conn.execute(text(f"DELETE FROM {FEED} WHERE table_name = :t"), {"t": name})
            conn.exec_driver_sql(f"INSERT INTO {FEED} (table_name, row_id, seq, scope) "
                                 f"SELECT '{name}', id, seq, scope FROM \"{name}\"")
            added.append(name)
    return added
