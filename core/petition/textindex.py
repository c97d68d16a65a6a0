"""The local text index of the cases: character bigrams → cases, kept by each device for itself.

Chinese has no spaces, and clerks type mixed text (names of streets, numbers, Latin letters). The index
cuts a text into overlapping **character bigrams** of its CJK runs ("加装电梯" → 加装 装电 电梯) and whole
words of its Latin letters and digits. No dictionary is needed, a new place name is found as well as a
common word, and the same code runs on SQLite (the clerk's laptop) and PostgreSQL (the server).

Why a table of our own and not SQLite FTS5 or PostgreSQL ``pg_trgm``: the clerk's copy is SQLite, the
server PostgreSQL, and the index must answer the same on both; FTS5's trigram tokenizer finds nothing for
two-character words (most Chinese words), and ``pg_trgm`` treats CJK poorly without a locale set up for it.
Two plain tables with a clustered key do the job everywhere:

- ``pet_text_term`` (term, case_key): the postings, clustered by term (SQLite ``WITHOUT ROWID``), so the
  cases holding a term are one range read;
- ``pet_text_df`` (term, df): how many cases hold a term, so a lookup reads the **rarest** terms of the
  query only (a common bigram such as 问题 would touch every case);
- ``pet_text_doc`` (case_key, case_id, version, fingerprint, month): which version of each case is indexed;
- ``pet_text_state``: the change number (``seq``) up to which synced changes are indexed.

These tables are local and derived, never synced (like the budget query's roll-up): :func:`refresh`
brings them up to date from ``pet_case`` — the rows changed since the last change number, and rows made on
this device and not yet synced (``seq`` 0). A case whose subject and content did not change keeps its
postings; a deleted case is filtered out when read.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.models.base import Base
from core.petition.models import PetCase

INDEXED_CONTENT_CHARS = 240
"""The subject and this many characters of the content are indexed (the matter is stated up front)."""
WORD_BASE = 1 << 48
"""Terms from this number up are Latin words and numbers (hashed); below, bigrams (two code points)."""
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_CJK_RUN = re.compile(rf"[{_CJK}]")


class PetTextTerm(Base):
    """One posting: the case (its local key) holds the term. Local, derived, never synced."""

    __tablename__ = "pet_text_term"
    __table_args__ = ({"sqlite_with_rowid": False},)

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    case_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class PetTextDf(Base):
    """How many indexed cases hold the term."""

    __tablename__ = "pet_text_df"

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    df: Mapped[int] = mapped_column(Integer, default=0)


class PetTextDoc(Base):
    """An indexed case: its local key, the version and text fingerprint indexed, the month it came in."""

    __tablename__ = "pet_text_doc"

    case_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[int] = mapped_column(BigInteger, default=0)
    terms: Mapped[int] = mapped_column(Integer, default=0)
    """How many distinct terms the case holds."""
    live: Mapped[bool] = mapped_column(Boolean, default=True)


class PetTextState(Base):
    """One row: the change number up to which pet_case is indexed."""

    __tablename__ = "pet_text_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


def normalize(text: str) -> str:
    """Full-width letters and digits to half-width, lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _word_term(word: str) -> int:
    return WORD_BASE + int.from_bytes(hashlib.blake2b(word.encode(), digest_size=6).digest(), "big")


def tokens(text: str) -> list[str]:
    """The terms of ``text`` as strings, in order: CJK bigrams (a lone CJK character stays itself) and
    Latin words / numbers of two characters or more."""
    out: list[str] = []
    for run in _RUNS.findall(normalize(text)):
        if _CJK_RUN.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i:i + 2] for i in range(len(run) - 1))
        elif len(run) >= 2:
            out.append(run)
    return out


@functools.lru_cache(maxsize=262_144)
def term_id(token: str) -> int:
    """The number a term is stored under: two code points for a CJK bigram (one for a lone character),
    a hash from :data:`WORD_BASE` up for a Latin word or number."""
    if _CJK_RUN.match(token):
        if len(token) == 1:
            return ord(token)
        return ord(token[0]) * 0x110000 + ord(token[1])
    return _word_term(token)


def term_text(term: int) -> str:
    """The bigram (or character) of a CJK term; '' for a hashed word."""
    if term >= WORD_BASE:
        return ""
    if term < 0x110000:
        return chr(term)
    return chr(term // 0x110000) + chr(term % 0x110000)


def term_set(text: str) -> set[int]:
    return {term_id(t) for t in tokens(text)}


def indexed_text(subject: str | None, content: str | None) -> str:
    return f"{subject or ''}\n{(content or '')[:INDEXED_CONTENT_CHARS]}"


def fingerprint(subject: str | None, content: str | None) -> int:
    return zlib.crc32(indexed_text(subject, content).encode())


def dice(a: set[int], b: set[int]) -> float:
    """Similarity of two term sets: 2·|a∩b| / (|a|+|b|), 0 when both are empty."""
    if not a and not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


# -- maintenance ------------------------------------------------------------------------------------------


def _state(session: Session) -> PetTextState:
    state = session.get(PetTextState, 1)
    if state is None:
        state = PetTextState(id=1, last_seq=0)
        session.add(state)
        session.flush()
    return state


def refresh(session: Session, *, batch: int = 20_000) -> int:
    """Index the cases changed since the last refresh; returns how many cases were (re)indexed.

    Runs inside the caller's transaction; cheap when nothing changed (one indexed range read)."""
    state = _state(session)
    last = int(state.last_seq or 0)
    changed = (select(PetCase.id, PetCase.version, PetCase.seq, PetCase.subject, PetCase.content,
                      PetCase.deleted, PetTextDoc.case_key, PetTextDoc.version, PetTextDoc.fingerprint)
               .outerjoin(PetTextDoc, PetTextDoc.case_id == PetCase.id)
               .where(or_(PetCase.seq > last, PetCase.seq == 0))
               .where(or_(PetTextDoc.case_key.is_(None), PetTextDoc.version != PetCase.version)))
    rows = session.execute(changed).all()
    if not rows:
        return 0
    top = max([last, *(int(r[2] or 0) for r in rows)])
    fresh: list[tuple[str, int, str, str, bool]] = []
    for case_id, version, _seq, subject, content, deleted, key, _v, fp in rows:
        new_fp = fingerprint(subject, content)
        if key is not None and new_fp == fp:
            session.execute(update(PetTextDoc).where(PetTextDoc.case_key == key)
                            .values(version=version, live=not deleted))
            continue
        if key is not None:  # the text changed (rare): drop the old postings
            old = [t for (t,) in session.execute(select(PetTextTerm.term).where(PetTextTerm.case_key == key))]
            _bump_df(session, Counter(old), -1)
            session.execute(delete(PetTextTerm).where(PetTextTerm.case_key == key))
            session.execute(delete(PetTextDoc).where(PetTextDoc.case_key == key))
        fresh.append((case_id, version, subject, content, bool(deleted)))
    for start in range(0, len(fresh), batch):
        _index(session, fresh[start:start + batch])
    state.last_seq = top
    session.flush()
    return len(rows)


def refresh_database(engine: Engine) -> int:
    """:func:`refresh` in a transaction of its own, committed: for a desk at start-up and after each sync, so
    lookups made in read-only sessions find the index current (work done in a session that is rolled back
    is lost and done again by the next lookup)."""
    with Session(engine) as session, session.begin():
        return refresh(session)


def _index(session: Session, cases: Sequence[tuple[str, int, str, str, bool]]) -> None:
    first = int(session.scalar(select(func.coalesce(func.max(PetTextDoc.case_key), 0))) or 0) + 1
    docs: list[tuple[Any, ...]] = []
    postings: list[tuple[int, int]] = []
    df: Counter[int] = Counter()
    for offset, (case_id, version, subject, content, deleted) in enumerate(cases):
        key = first + offset
        terms = term_set(indexed_text(subject, content))
        docs.append((key, case_id, version, fingerprint(subject, content), len(terms), not deleted))
        postings.extend((t, key) for t in terms)
        df.update(terms)
    _executemany(session, PetTextDoc, ("case_key", "case_id", "version", "fingerprint", "terms", "live"), docs)
    postings.sort()
    for start in range(0, len(postings), 100_000):
        _executemany(session, PetTextTerm, ("term", "case_key"), postings[start:start + 100_000])
    _bump_df(session, df, +1)


def _executemany(session: Session, model: Any, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """``INSERT`` plain values through the driver's ``executemany`` (Core's statement, compiled once): the
    index holds millions of postings, and SQLAlchemy's per-row processing would be most of the time."""
    if not rows:
        return
    conn = session.connection()
    compiled = insert(model.__table__).compile(dialect=conn.dialect, column_keys=list(keys))
    params: Sequence[Any]
    if compiled.positional and list(compiled.positiontup or []) == list(keys):
        params = rows
    else:
        params = [dict(zip(keys, r, strict=True)) for r in rows]
    conn.exec_driver_sql(str(compiled), params)


def _bump_df(session: Session, counts: Counter[int], sign: int) -> None:
    if not counts:
        return
    have: set[int] = set()
    terms = list(counts)
    for start in range(0, len(terms), 500):
        chunk = terms[start:start + 500]
        have.update(t for (t,) in session.execute(select(PetTextDf.term).where(PetTextDf.term.in_(chunk))))
    new = [(t, n) for t, n in counts.items() if t not in have and sign > 0]
    if new:
        _executemany(session, PetTextDf, ("term", "df"), new)
    old = [{"t": t, "n": sign * n} for t, n in counts.items() if t in have]
    if old:
        table: Table = PetTextDf.__table__  # type: ignore[assignment]
        session.connection().execute(
            update(table).where(table.c.term == bindparam("t")).values(df=table.c.df + bindparam("n")), old)


# -- reading -----------------------------------------------------------------------------------------------


def document_frequencies(session: Session, terms: Iterable[int]) -> dict[int, int]:
    wanted = list(terms)
    if not wanted:
        return {}
    return {t: int(n) for t, n in session.execute(
        select(PetTextDf.term, PetTextDf.df).where(PetTextDf.term.in_(wanted), PetTextDf.df > 0))}


def rarest(session: Session, terms: set[int], count: int) -> list[tuple[int, int]]:
    """The ``count`` rarest of ``terms`` that some case holds: (term, df), rarest first."""
    df = document_frequencies(session, terms)
    return sorted(df.items(), key=lambda kv: (kv[1], kv[0]))[:count]


def candidates(session: Session, terms: Sequence[int], *, need: int = 1, limit: int = 200) -> list[tuple[str, int]]:
    """(case id, how many of ``terms`` it holds) of live cases holding at least ``need`` of them, most first."""
    if not terms:
        return []
    hits = func.count().label("hits")
    inner = (select(PetTextTerm.case_key, hits).where(PetTextTerm.term.in_(list(terms)))
             .group_by(PetTextTerm.case_key).having(func.count() >= need)
             .order_by(hits.desc(), PetTextTerm.case_key.desc()).limit(limit).subquery())
    query = (select(PetTextDoc.case_id, inner.c.hits).join(inner, inner.c.case_key == PetTextDoc.case_key)
             .where(PetTextDoc.live.is_(True)).order_by(inner.c.hits.desc(), PetTextDoc.case_key.desc()))
    return [(cid, int(h)) for cid, h in session.execute(query)]
