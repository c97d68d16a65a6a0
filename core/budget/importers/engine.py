"""Validated, all-or-nothing, idempotent import of a bureau's file.

1. The whole file is read and checked first: required columns and cells, codes of the row's year, department
   codes, exact amounts, duplicates within the file and against the database, totals.
2. Any problem → nothing is written; every problem is reported with row, column, what is wrong and what to do.
3. Otherwise all rows are written in ONE transaction (so they sync), in chunks between which the cancel event
   is checked; a cancel rolls everything back. Changed rows go through the ORM (versions bumped, scope exits
   recorded by the stamping hooks); new rows — a million payments in a year — go in through Core
   ``executemany`` stamped exactly as the hooks would (id, version 1, actor, time, scope, change numbers taken
   just before commit).

A row is identified by its natural key (e.g. 年度 + 支付编号). A row already in the database with the same
content (same hash) is left alone, so importing the same file twice changes nothing. The same key with
different content is refused unless ``allow_updates`` is set (a corrected file from the bureau).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.demo import _base, _execute_rows, _to_sqlite, uuid7_batch
from core.budget.importers.reading import ValueProblem, parse_date, parse_fen, parse_int, read_table
from core.budget.importers.specs import SPECS, Column, FileSpec
from core.budget.models import BOOKS, CODE_KINDS, ClassCode, ImportLog, Indicator
from core.models.base import utcnow
from core.models.registry import Department
from core.sync.stamping import allocate_seqs

Progress = Callable[[int, int, str], None]
"""``progress(done, total, phase)``; phase is “检查” or “写入”."""

CHUNK = 500
_BOOK_BY_NAME = {name: key for key, name in BOOKS.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, in words a clerk understands."""

    row: int
    column: str
    what: str
    todo: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f"，“{self.column}”列" if self.column else "")
        return f"{where}：{self.what}。{self.todo}"


@dataclass
class ImportResult:
    """What an import did (or why it did nothing)."""

    kind: str
    filename: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.cancelled

    def report(self) -> str:
        """The result as plain Chinese text, one line per problem."""
        title = SPECS[self.kind].title if self.kind in SPECS else self.kind
        if self.cancelled:
            return f"“{self.filename}”（{title}）的导入已取消，没有写入任何数据。"
        if self.problems:
            lines = [f"“{self.filename}”（{title}）有 {len(self.problems)} 处问题，整个文件没有导入，"
                     "请改正后重新导入："]
            lines += [f"  {p}" for p in self.problems]
            return "\n".join(lines)
        return (f"“{self.filename}”（{title}）导入完成：共 {self.rows} 行，新增 {self.inserted} 行，"
                f"更新 {self.updated} 行，{self.unchanged} 行与已导入的内容相同未作改动。")


class ImportCancelled(Exception):
    """The user cancelled; the transaction is rolled back."""


_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
"""One encoder for every row (``json.dumps`` with options builds a new one per call)."""


def row_hash(values: dict[str, Any]) -> str:
    """SHA-256 of a row's imported values (stable JSON: sorted keys, dates as ISO text).

    The text must never change: rows imported earlier are recognised as unchanged by this hash."""
    text = _HASH_JSON.encode({k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False)


def _digest(values: dict[str, Any], attrs: list[str], dates: frozenset[str]) -> str:
    """:func:`row_hash` of ``values`` restricted to ``attrs`` (sorted) — the same text, without re-sorting the
    keys or testing every value's type: the file's date columns are known."""
    ordered = {a: (values[a].isoformat() if a in dates and values[a] is not None else values[a]) for a in attrs}
    return hashlib.sha256(_PLAIN_JSON.encode(ordered).encode("utf-8")).hexdigest()


def natural_key(spec: FileSpec, values: dict[str, Any]) -> str:
    """The key that identifies a row of ``spec`` across files and imports."""
    return spec.kind + "|" + "|".join(str(values.get(a, "")) for a in spec.key)


@dataclass
class _Refs:
    departments: dict[str, str]
    codes: dict[tuple[str, int], set[str]]
    existing: dict[str, tuple[str, str]]
    indicators: dict[tuple[int, str], str] = field(default_factory=dict)
    """(year, indicator number) → the indicator's domain, loaded for files that refer to indicators."""


def _load_refs(session: Session, spec: FileSpec, years: set[int]) -> _Refs:
    departments = {code: domain for code, domain in session.execute(
        select(Department.code, Department.domain).where(Department.deleted.is_(False)))}
    codes: dict[tuple[str, int], set[str]] = {}
    kinds = {c.kind.split(":", 1)[1] for c in spec.columns if c.kind.startswith("code:")}
    if kinds and years:
        for kind, year, code in session.execute(select(ClassCode.kind, ClassCode.year, ClassCode.code).where(
                ClassCode.kind.in_(kinds), ClassCode.year.in_(years), ClassCode.deleted.is_(False))):
            codes.setdefault((kind, year), set()).add(code)
    model: Any = spec.model
    existing = {key: (rid, h) for key, rid, h in session.execute(
        select(model.natural_key, model.id, model.row_hash).where(
            model.year.in_(years), model.natural_key.like(f"{spec.kind}|%"), model.deleted.is_(False)))}
    indicators: dict[tuple[int, str], str] = {}
    if years and any(c.kind == "indicator" for c in spec.columns):
        indicators = {(year, no): domain for year, no, domain in session.execute(
            select(Indicator.year, Indicator.indicator_no, Indicator.domain).where(
                Indicator.year.in_(years), Indicator.deleted.is_(False)))}
    return _Refs(departments, codes, existing, indicators)


def _parse_cell(col: Column, text: str, year: int | None, refs: _Refs) -> Any:
    kind = col.kind
    if kind == "text":
        if col.choices and text not in col.choices:
            raise ValueProblem(f"“{text}”不是可选的值", "请填写以下之一：" + "、".join(col.choices))
        return text
    if kind == "codekind":
        if text in CODE_KINDS:
            return text
        for key, label in CODE_KINDS.items():
            if text == label:
                return key
        raise ValueProblem(f"科目类别“{text}”无法识别", "请填写：" + "、".join(CODE_KINDS.values()))
    if kind == "choice":
        if text not in col.choices:
            raise ValueProblem(f"“{text}”不是可选的值", "请填写以下之一：" + "、".join(col.choices))
        return text
    if kind == "fen":
        return parse_fen(text)
    if kind == "year":
        return parse_int(text, 2000, 2100, "年度")
    if kind == "month":
        return parse_int(text, 1, 12, "月份")
    if kind == "month0":
        return parse_int(text, 0, 12, "月份")
    if kind == "date":
        return parse_date(text)
    if kind == "book":
        if text in BOOKS:
            return text
        if text in _BOOK_BY_NAME:
            return _BOOK_BY_NAME[text]
        raise ValueProblem(f"预算类型“{text}”无法识别", "请填写：" + "、".join(BOOKS.values()))
    if kind == "dept":
        if text not in refs.departments:
            raise ValueProblem(f"部门编码“{text}”在系统中不存在",
                               "请核对部门编码；新部门须先在“部门单位”中登记")
        return text
    if kind == "indicator":
        if year is None:
            raise ValueProblem("年度无效，无法核对指标", "请先改正本行的“年度”")
        if (year, text) not in refs.indicators:
            raise ValueProblem(f"指标编号“{text}”不在 {year} 年度已导入的预算指标中",
                               "请核对指标编号；新指标须先导入《预算指标》文件")
        return text
    if kind.startswith("code:"):
        table = kind.split(":", 1)[1]
        if year is None:
            raise ValueProblem("年度无效，无法核对科目", "请先改正本行的“年度”")
        if text not in refs.codes.get((table, year), set()):
            raise ValueProblem(f"科目代码“{text}”不在 {year} 年度的科目表中",
                               f"请核对代码；如确属 {year} 年度新增科目，请先导入财政部该年度《政府收支分类科目》")
        return text
    raise AssertionError(kind)  # pragma: no cover


def _blank(col: Column) -> Any:
    if col.kind == "fen":
        return 0
    if col.kind == "date":
        return None
    if col.kind == "book":
        return "general"
    if col.kind == "month0":
        return 0
    return ""


def import_file(factory: sessionmaker[Session], kind: str, path: Path, *, actor: str = "import",
                progress: Progress | None = None, cancel: threading.Event | None = None,
                allow_updates: bool = False, source: str = "") -> ImportResult:
    """Check and import ``path`` (CSV or XLSX) as a file of ``kind`` (a key of :data:`SPECS`).

    ``factory`` must have the server's stamping hooks installed, so the rows get change numbers and sync.
    Returns an :class:`ImportResult`; on any problem or a cancel nothing is written.
    """
    spec = SPECS[kind]
    result = ImportResult(kind, path.name)
    try:
        header, data = read_table(path)
    except ValueProblem as exc:
        result.problems.append(Problem(1, "", exc.what, exc.todo))
        return result
    except OSError as exc:
        result.problems.append(Problem(0, "", f"文件无法打开（{exc.strerror or exc}）", "请确认文件存在且未被其他程序占用"))
        return result
    positions = {h: i for i, h in enumerate(header)}
    missing = [c.header for c in spec.columns if c.header not in positions]
    if missing:
        for h in missing:
            result.problems.append(Problem(1, h, f"表头缺少“{h}”列", f"请使用{spec.bureau}《{spec.title}》导入模板，不要改动表头"))
        return result

    total_rows = len(data)
    totals_row: tuple[int, list[str]] | None = None
    if spec.totals and data and data[-1][1][positions[spec.columns[0].header]] in ("合计", "总计"):
        totals_row = data.pop()
    years: set[int] = set()
    for _, cells in data:
        with contextlib.suppress(ValueProblem):
            years.add(parse_int(_cell(cells, positions, YEAR_HEADER), 2000, 2100, "年度"))

    with factory() as session:
        refs = _load_refs(session, spec, years)
    parsed: list[tuple[int, dict[str, Any], str, str]] = []
    plan = _column_plan(spec, positions)
    hashed = sorted(c.attr for c in spec.columns if c.attr not in spec.derived)
    dates = frozenset(c.attr for c in spec.columns if c.kind == "date")
    seen: dict[str, int] = {}
    sums = {c.attr: 0 for c in spec.columns if c.kind == "fen"}
    for index, (rowno, cells) in enumerate(data):
        if cancel is not None and index % CHUNK == 0 and cancel.is_set():
            result.cancelled = True
            return result
        if progress is not None and index % CHUNK == 0:
            progress(index, total_rows, "检查")
        values, row_problems = _parse_row(spec, rowno, cells, plan, refs)
        result.problems.extend(row_problems)
        if row_problems:
            continue
        for attr in sums:
            sums[attr] += int(values[attr])
        key = natural_key(spec, values)
        if key in seen:
            result.problems.append(Problem(rowno, "、".join(_key_headers(spec)),
                                           f"与第 {seen[key]} 行重复（{'、'.join(_key_headers(spec))}相同）",
                                           "同一条记录只能出现一次，请删除或改正其中一行"))
            continue
        seen[key] = rowno
        digest = _digest(values, hashed, dates)
        replaceable = spec.replaces_seed and key in refs.existing and refs.existing[key][1] == ""
        if key in refs.existing and refs.existing[key][1] != digest and not allow_updates and not replaceable:
            result.problems.append(Problem(rowno, "、".join(_key_headers(spec)),
                                           "这条记录已经导入过，但内容与已导入的不同",
                                           "如是更正，请由预工委工作人员选择“允许更正已导入记录”后重新导入；否则请核对编号"))
            continue
        parsed.append((rowno, values, key, digest))
    if totals_row is not None:
        _check_totals(spec, totals_row, positions, sums, result)
    result.rows = len(data)
    if result.problems:
        return result

    try:
        _write(factory, spec, parsed, refs, result, actor, progress, cancel, path, source)
    except ImportCancelled:
        result.inserted = result.updated = result.unchanged = 0
        result.cancelled = True
    return result


YEAR_HEADER = "年度"


def _cell(cells: list[str], positions: dict[str, int], header: str) -> str:
    i = positions[header]
    return cells[i] if i < len(cells) else ""


def _key_headers(spec: FileSpec) -> list[str]:
    by_attr = {c.attr: c.header for c in spec.columns}
    return [by_attr[a] for a in spec.key]


_MAX_LENGTHS: dict[str, dict[str, int | None]] = {}


def _max_lengths(model: Any) -> dict[str, int | None]:
    """Column lengths of a model (looked up once, not for every row of a million-row file)."""
    name = model.__tablename__
    if name not in _MAX_LENGTHS:
        _MAX_LENGTHS[name] = {c.name: getattr(c.type, "length", None) for c in model.__table__.columns}
    return _MAX_LENGTHS[name]


_PLAIN_TEXT = "plain"
"""A text column without choices: the cell is the value (after the length check)."""


def _column_plan(spec: FileSpec, positions: dict[str, int]) -> list[tuple[int, Column, int | None, bool, Any]]:
    """Per column, once per file: its position, the column, its length limit, whether it is plain text and
    its blank value — so the per-row loop does no look-ups."""
    max_len = _max_lengths(spec.model)
    return [(positions[col.header], col, max_len.get(col.attr) if col.kind == "text" else None,
             col.kind == "text" and not col.choices, _blank(col)) for col in spec.columns]


def _parse_row(spec: FileSpec, rowno: int, cells: list[str], plan: list[tuple[int, Column, int | None, bool, Any]],
               refs: _Refs) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    year: int | None = None
    width = len(cells)
    for pos, col, limit, plain, blank in plan:
        text = cells[pos] if pos < width else ""
        if not text:
            if col.required:
                problems.append(Problem(rowno, col.header, "必填项为空",
                                        f"请填写“{col.header}”" + (f"（{col.hint}）" if col.hint else "")))
            values[col.attr] = blank
            continue
        if limit and len(text) > limit:
            problems.append(Problem(rowno, col.header, f"内容过长（{len(text)} 字，最多 {limit} 字）", "请精简后重新填写"))
            continue
        if plain:
            values[col.attr] = text
            continue
        try:
            kind = col.kind
            value: Any = parse_fen(text) if kind == "fen" else parse_date(text) if kind == "date" else \
                _parse_cell(col, text, year, refs)
        except ValueProblem as exc:
            problems.append(Problem(rowno, col.header, exc.what, exc.todo))
            continue
        values[col.attr] = value
        if col.kind == "year" and col.header == YEAR_HEADER:
            year = value
    if problems:
        return values, problems
    if "month" in spec.derived:
        paid: date = values[spec.derived["month"]]
        if paid.year != values["year"]:
            problems.append(Problem(rowno, "支付日期", f"支付日期 {paid.isoformat()} 不在 {values['year']} 年度内",
                                    "请核对支付日期或年度"))
        values["month"] = paid.month
    if "domain" in spec.derived:
        source = spec.derived["domain"]
        values["domain"] = refs.indicators.get((values["year"], values[source]), "") if source == "indicator_no" \
            else refs.departments.get(values[source], "")
    return values, problems


def _check_totals(spec: FileSpec, totals_row: tuple[int, list[str]], positions: dict[str, int],
                  sums: dict[str, int], result: ImportResult) -> None:
    rowno, cells = totals_row
    for col in spec.columns:
        if col.kind != "fen":
            continue
        text = _cell(cells, positions, col.header)
        if not text:
            continue
        try:
            stated = parse_fen(text)
        except ValueProblem as exc:
            result.problems.append(Problem(rowno, col.header, exc.what, exc.todo))
            continue
        if stated != sums[col.attr]:
            diff = stated - sums[col.attr]
            result.problems.append(Problem(
                rowno, col.header,
                f"合计 {_yuan(stated)} 元与各行之和 {_yuan(sums[col.attr])} 元不符（相差 {_yuan(diff)} 元）",
                "请核对各行金额或合计数"))


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def _write(factory: sessionmaker[Session], spec: FileSpec, parsed: list[tuple[int, dict[str, Any], str, str]],
           refs: _Refs, result: ImportResult, actor: str, progress: Progress | None,
           cancel: threading.Event | None, path: Path, source: str) -> None:
    model: Any = spec.model
    tag = source or f"{spec.bureau}导入"
    fresh: list[dict[str, Any]] = []
    with factory() as session, session.begin():
        session.info["actor"] = actor
        for start in range(0, len(parsed), CHUNK):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            if progress is not None:
                progress(start, len(parsed), "写入")
            for _rowno, values, key, digest in parsed[start:start + CHUNK]:
                if key in refs.existing:
                    row_id, old = refs.existing[key]
                    if old == digest:
                        result.unchanged += 1
                        continue
                    obj: Any = session.get(model, row_id)
                    for attr, value in {**values, **spec.fixed}.items():
                        setattr(obj, attr, value)
                    obj.row_hash = digest
                    obj.source = tag
                    obj.generated = False
                    result.updated += 1
                else:
                    fresh.append({**values, **spec.fixed, "natural_key": key, "row_hash": digest, "source": tag,
                                  "generated": False})
                    result.inserted += 1
            session.flush()
        _insert_new(session, model, fresh, actor, progress, cancel, len(parsed))
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        years = sorted({int(v["year"]) for _, v, _, _ in parsed})
        session.add(ImportLog(kind=spec.kind, filename=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                              year=years[0] if years else 0, rows=result.rows, inserted=result.inserted,
                              updated=result.updated, unchanged=result.unchanged, source=tag,
                              natural_key=f"log|{spec.kind}|{path.name}"))
    if progress is not None:
        progress(len(parsed), len(parsed), "写入")


INSERT_BATCH = 20_000


def _insert_new(session: Session, model: Any, rows: list[dict[str, Any]], actor: str, progress: Progress | None,
                cancel: threading.Event | None, total: int) -> None:
    """Insert new rows through Core in the session's transaction, stamped as the server's hooks stamp them."""
    if not rows:
        return
    table = model.__table__
    base = _base(model)
    sqlite = session.get_bind().dialect.name == "sqlite"
    now = utcnow()
    ids = uuid7_batch(len(rows))
    out: list[dict[str, Any]] = []
    for i, values in enumerate(rows):
        row = {**base, **values}
        row.update(id=ids[i], version=1, changed_by=actor, changed_at=now, deleted=False, seq=0)
        row["scope"] = model.scope_for(row)
        out.append(row)
    if cancel is not None and cancel.is_set():
        raise ImportCancelled
    if sqlite:
        session.connection().exec_driver_sql("PRAGMA cache_size=-1048576")  # up to 1 GB while the indexes grow
    rebuild = _set_aside_indexes(session, table.name, len(out)) if sqlite else []
    first = allocate_seqs(session, len(out))
    done = total - len(out)
    for start in range(0, len(out), INSERT_BATCH):
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        chunk = out[start:start + INSERT_BATCH]
        for i, row in enumerate(chunk, start=start):
            row["seq"] = first + i
        if sqlite:
            _to_sqlite(table, chunk)
        _execute_rows(session, table, chunk)
        if progress is not None:
            progress(done + start + len(chunk), total, "写入")
    conn = session.connection()
    for sql in rebuild:
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        conn.exec_driver_sql(sql)


BULK_ROWS = 50_000
"""From this many new rows on, and when they at least double the table, SQLite's secondary indexes are dropped
for the insert and built again afterwards — in the same transaction, so a failure or a cancel restores them."""


def _set_aside_indexes(session: Session, table: str, fresh: int) -> list[str]:
    """Drop ``table``'s secondary indexes for a bulk insert; returns the statements that create them again.

    Building an index once over sorted keys is several times faster than growing eight of them row by row in
    random order (a million payments: department, month, codes, payee, project, indicator, date)."""
    if fresh < BULK_ROWS:
        return []
    conn = session.connection()
    present = conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0
    if present > fresh:
        return []
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,)).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]
