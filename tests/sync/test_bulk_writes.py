"""The push batch's set-at-a-time writes (``core.sync.bulk``) store exactly what a row-by-row write stores, on
SQLite (one prepared ``executemany``) and on PostgreSQL (one statement over a JSON set; ``executemany`` for
values JSON cannot carry), for every column type a synced table uses, and refuse what the database refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.db import make_engine
from core.models.base import UTCDateTime
from core.sync.bulk import ID, WAS, BulkWriter, RowsChanged, bulk_insert, bulk_update

PROBE = Table(
    "bulk_probe", MetaData(),
    Column("id", String(36), primary_key=True),
    Column("code", String(5), nullable=False),
    Column("body", Text, nullable=True),
    Column("count", Integer, nullable=True),
    Column("amount_fen", BigInteger, nullable=True),
    Column("deleted", Boolean, nullable=False),
    Column("issued_on", Date, nullable=True),
    Column("measure", Float, nullable=True),
    Column("detail", JSON, nullable=True),
    Column("result", JSON, nullable=False),
    Column("changed_at", UTCDateTime, nullable=True),
)


@pytest.fixture
def engine(server_db_url: str) -> Iterator[Engine]:
    engine = make_engine(server_db_url)
    PROBE.create(engine)
    yield engine
    PROBE.drop(engine)
    engine.dispose()


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
_json = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | _text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
                     max_leaves=8)
_row = st.fixed_dictionaries({
    "code": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=5),
    "body": st.none() | _text,
    "count": st.none() | st.integers(-2**31, 2**31 - 1),
    "amount_fen": st.none() | st.integers(-2**63, 2**63 - 1),
    "deleted": st.booleans(),
    "issued_on": st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    "measure": st.none() | st.floats(allow_nan=False, allow_infinity=False, width=64),
    "detail": st.none() | _json,
    "result": _json,
    "changed_at": st.none() | st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1), timezones=st.just(UTC)),
})


def _stored(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {r["id"]: dict(r) for r in conn.execute(select(PROBE)).mappings()}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the table is emptied per example
@given(rows=st.lists(_row, min_size=1, max_size=6), changes=st.lists(_row, min_size=1, max_size=6))
def test_what_is_written_in_bulk_reads_back_unchanged(engine: Engine, rows: list[dict[str, Any]],
                                                     changes: list[dict[str, Any]]) -> None:
    with Session(engine) as s, s.begin():
        s.execute(delete(PROBE))
    inserted = [{"id": f"00000000-0000-0000-0000-{i:012d}", **r} for i, r in enumerate(rows)]
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, inserted)
    assert _stored(engine) == {r["id"]: r for r in inserted}

    updates = [{ID: r["id"], **c} for r, c in zip(inserted, changes, strict=False)]
    with Session(engine) as s, s.begin():
        bulk_update(s, PROBE, updates)
    expected = {r["id"]: r for r in inserted}
    for u in updates:
        expected[u[ID]] = {"id": u[ID], **{k: v for k, v in u.items() if k != ID}}
    assert _stored(engine) == expected


@pytest.mark.parametrize("odd", [{"body": "含\x00零字节"}, {"measure": float("nan")}, {"measure": float("inf")},
                                 {"measure": float("-inf")}])
def test_values_json_cannot_carry_are_written_as_a_row_by_row_write_writes_them(engine: Engine,
                                                                                odd: dict[str, Any]) -> None:
    """Text holding NUL, NaN and infinity have no faithful JSON form (orjson writes NaN and infinity as null): such
    a set is written row by row on PostgreSQL, and reads back as it would after a plain insert; on both databases."""
    if engine.dialect.name == "postgresql" and "body" in odd:
        pytest.skip("PostgreSQL refuses NUL in text whichever way it is written")
    plain = {"id": "plain", "code": "x", "deleted": False, "result": {}, **odd}
    with Session(engine) as s, s.begin():
        s.execute(PROBE.insert(), [plain])
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{**plain, "id": "a"}, {**plain, "id": "b", **dict.fromkeys(odd)}])
        bulk_update(s, PROBE, [{ID: "b", **odd}])
    stored = _stored(engine)
    (name, _value), = odd.items()
    plain_read = stored["plain"][name]
    for key in "ab":  # NaN reads back as NaN from PostgreSQL; SQLite's driver stores it as NULL
        read = stored[key][name]
        assert read == plain_read or (read != read and plain_read != plain_read), (key, read, plain_read)


def test_a_json_null_in_a_column_that_may_not_be_null_is_json_null(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": "a", "code": "x", "deleted": False, "result": None}])
        bulk_update(s, PROBE, [{ID: "a", "result": None, "detail": None}])
    assert _stored(engine)["a"]["result"] is None


def test_an_update_touches_only_the_rows_and_columns_named(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": i, "code": i, "body": "原文", "deleted": False, "result": {}} for i in "abc"])
        bulk_update(s, PROBE, [{ID: "b", "body": "改过"}])
    stored = _stored(engine)
    assert [stored[i]["body"] for i in "abc"] == ["原文", "改过", "原文"]
    assert stored["b"]["code"] == "b"


@pytest.mark.parametrize("background", [False, True])
def test_a_guarded_update_of_a_row_changed_since_it_was_read_fails_and_writes_nothing(
        engine: Engine, background: bool) -> None:
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": i, "code": i, "count": 1, "body": "原文", "deleted": False, "result": {}}
                               for i in "abc"])
        bulk_update(s, PROBE, [{ID: "b", "count": 2}])  # changed by someone else after our read of count 1
    with Session(engine) as s, s.begin():  # the rows still as read: written
        BulkWriter(s).update(PROBE, [{ID: "a", "body": "甲", WAS: 1}, {ID: "c", "body": "丙", WAS: 1}], guard="count")
    with pytest.raises(RowsChanged, match="bulk_probe：1 行"), Session(engine) as s, s.begin(), \
            BulkWriter(s, background=background) as writer:
        writer.update(PROBE, [{ID: i, "body": "改过", WAS: 1} for i in "abc"], {"measure": 1.5}, guard="count")
        writer.wait()
    stored = _stored(engine)
    assert [(stored[i]["body"], stored[i]["measure"]) for i in "abc"] == [("甲", None), ("原文", None), ("丙", None)]


def test_a_refused_row_refuses_the_whole_set(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": "a", "code": "x", "deleted": False, "result": {}}])
    with pytest.raises(DBAPIError), Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": "b", "code": "y", "deleted": False, "result": {}},
                               {"id": "a", "code": "z", "deleted": False, "result": {}}])
    assert set(_stored(engine)) == {"a"}


@pytest.mark.parametrize("amount", [2**63, 2**64 - 1, 2**64, -2**63 - 1])
def test_an_integer_beyond_64_bits_is_refused_and_nothing_is_written(engine: Engine, amount: int) -> None:
    rows = [{"id": "a", "code": "x", "deleted": False, "result": {}, "amount_fen": 1},
            {"id": "b", "code": "y", "deleted": False, "result": {}, "amount_fen": amount}]
    with pytest.raises((DBAPIError, OverflowError)), Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, rows)
    assert _stored(engine) == {}
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, rows[:1])
    with pytest.raises((DBAPIError, OverflowError)), Session(engine) as s, s.begin():
        bulk_update(s, PROBE, [{ID: "a", "amount_fen": amount}])
    assert _stored(engine)["a"]["amount_fen"] == 1


def test_a_value_too_long_for_its_column_is_refused_where_the_database_checks_lengths(engine: Engine) -> None:
    row = {"id": "a", "code": "太长的代码值", "deleted": False, "result": {}}
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError), Session(engine) as s, s.begin():
            bulk_insert(s, PROBE, [row])
        assert _stored(engine) == {}
    else:  # SQLite keeps any length, as it does for a row-by-row insert
        with Session(engine) as s, s.begin():
            bulk_insert(s, PROBE, [row])
        assert _stored(engine)["a"]["code"] == "太长的代码值"


def test_a_push_reads_rows_by_id_as_sqlalchemy_reads_them(engine: Engine) -> None:
    """The push's own read of the rows it touches (the driver's cursor, each column through its type's result
    processor) gives the values a plain SQLAlchemy select gives, for every column type, and nothing for an id
    that is not there; on both databases."""
    from core.sync.bulk import rows_by_id

    rows = [{"id": f"00000000-0000-0000-0000-{i:012d}", "code": "x", "body": "正文" if i else None, "count": i,
             "amount_fen": 2**40 + i, "deleted": bool(i % 2), "issued_on": date(2026, 1, 1 + i),
             "measure": 0.1 * i, "detail": {"列表": [1, "二", None], "n": i} if i else None, "result": [i, {"a": True}],
             "changed_at": datetime(2026, 12, 5, 8, i, tzinfo=UTC)} for i in range(3)]
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, rows)
    with Session(engine) as s:
        read = rows_by_id(s, PROBE, [r["id"] for r in rows] + ["00000000-0000-0000-0000-999999999999"])
    assert {r["id"]: r for r in read} == _stored(engine) == {r["id"]: r for r in rows}
    assert all(r["changed_at"].utcoffset() is not None and r["changed_at"].tzinfo == UTC for r in read)


def test_values_are_looked_up_by_key_as_sqlalchemy_reads_them(engine: Engine) -> None:
    """The push's look-up of its mutation ids in the log (a key look-up per id on PostgreSQL) gives the JSON
    answers a plain select gives, and nothing for a key that is not there; on both databases."""
    from core.sync.bulk import values_by_key

    rows = [{"id": f"k{i}", "code": "x", "deleted": False, "result": {"status": "applied", "n": i, "列": [None, True]}}
            for i in range(600)]  # more than SQLite's 500 a query
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, rows)
    with Session(engine) as s:
        found = values_by_key(s, PROBE.c.id, PROBE.c.result, [f"k{i}" for i in range(0, 600, 3)] + ["没有"])
    assert dict(found) == {r["id"]: r["result"] for r in rows[::3]}
    with Session(engine) as s:  # keys holding a comma are sent as a list, not joined; quotes travel in JSON intact
        odd = ["含,逗号", 'quote"and\\slash', "it's"]
        bulk_insert(s, PROBE, [{"id": k, "code": "y", "deleted": False, "result": i} for i, k in enumerate(odd)])
        found = values_by_key(s, PROBE.c.id, PROBE.c.result, [*odd, "k0"])
        assert dict(found) == {**{k: i for i, k in enumerate(odd)}, "k0": rows[0]["result"]}
        assert values_by_key(s, PROBE.c.id, PROBE.c.result, []) == []


def test_columns_the_same_in_every_row_are_sent_once_and_written_to_each(engine: Engine) -> None:
    from core.sync.bulk import BulkWriter

    when = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        bulk_insert(s, PROBE, [{"id": i, "code": i, "body": "原文", "deleted": False, "result": {}} for i in "abc"])
        BulkWriter(s).update(PROBE, [{ID: "a", "body": "改一"}, {ID: "c", "body": "改三"}],
                             {"changed_at": when, "code": "同"})
    stored = _stored(engine)
    assert [(stored[i]["body"], stored[i]["code"], stored[i]["changed_at"]) for i in "abc"] == [
        ("改一", "同", when), ("原文", "b", None), ("改三", "同", when)]
