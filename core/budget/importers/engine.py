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
import re
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice, repeat, zip_longest
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.demo import _base
from core.budget.importers.reading import (
    PlainRows,
    Rows,
    ValueProblem,
    _short,
    collector_paused,
    parse_date,
    parse_fen,
    parse_fen_column,
    parse_int,
    plain_file_lines,
    read_rows,
    strip,
)
from core.budget.importers.specs import SPECS, Column, FileSpec
from core.budget.models import BOOKS, CODE_KINDS, ClassCode, DomainRow, ImportLog, Indicator, PublicRow
from core.budget.query.rollup import MARK_STALE, insert_trigger
from core.ids import uuid7_batch
from core.models.base import UTCDateTime, utcnow
from core.models.registry import Department
from core.sync.stamping import allocate_seqs
from core.wal import checkpoint_after_commit

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
        if self.row <= 0:
            where = "文件"
        else:
            column = (f"，{self.column}" if self.column.startswith("第 ") else f"，“{self.column}”列") \
                if self.column else ""
            where = f"第 {self.row} 行{column}"
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
    seconds: float = 0.0
    """Wall time of the whole import: reading, checking and writing."""
    second_process: bool = False
    """Whether the file was checked by a second process while this one wrote it (:mod:`.helper`)."""

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
    started = time.perf_counter()
    with collector_paused():
        result = _import(factory, kind, path, actor, progress, cancel, allow_updates, source)
    result.seconds = time.perf_counter() - started
    return result


def _import(factory: sessionmaker[Session], kind: str, path: Path, actor: str, progress: Progress | None,
            cancel: threading.Event | None, allow_updates: bool, source: str) -> ImportResult:
    from core.budget.importers import helper  # the helper's checks are this module's: imported when needed

    spec = SPECS[kind]
    result = ImportResult(kind, path.name)
    with contextlib.ExitStack() as stack:
        second = stack.enter_context(helper.started(factory, kind, path))
        if second is not None and not helper.kind_present(factory, spec):
            # nothing of the kind yet: the second process reads the file alone, this one only if it must
            if helper.imported(factory, spec, second, result, actor, source, progress, cancel, path):
                return result
            stack.close()
            second = None
        read = read_file(spec, path, result)  # with the second process, if any: both read the file at once
        if read is None:
            return result
        data, positions, issues, totals_row = read
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            return result
        years = _years(data, positions)
        with factory() as session:
            refs = _load_refs(session, spec, {y for y in set(years) if y is not None})
            streamed = _streams(session, refs, len(data))
        if second is not None and helper.takes(second, data, refs, issues) and helper.checked_there(
                factory, spec, second, len(data), refs, result, actor, source, progress, cancel, path):
            return result
    if streamed:
        try:
            _stream(factory, spec, data, positions, years, refs, issues, totals_row, result, actor, progress, cancel,
                    path, source)
        except ImportCancelled:
            result.inserted = result.updated = result.unchanged = 0
            result.cancelled = True
        except _Refused:
            result.inserted = 0
            _refuse(issues, result)
        return result
    checked = _check_rows(spec, data, positions, years, refs, issues, progress, cancel,
                          len(data) + (totals_row is not None), allow_updates)
    if checked is None:
        result.cancelled = True
        return result
    cols, keys, digests, sums = checked
    if totals_row is not None:
        _check_totals(spec, totals_row, positions, sums, result)
    if issues or result.problems:
        _refuse(issues, result)
        return result

    try:
        _write(factory, spec, cols, keys, digests, refs, result, actor, progress, cancel, path, source)
    except ImportCancelled:
        result.inserted = result.updated = result.unchanged = 0
        result.cancelled = True
    return result


Read = tuple[Rows, dict[str, int], list[tuple[int, int, Problem]], tuple[int, list[str]] | None]
"""A file's data rows, its columns' positions, the problems of its rows' widths and its totals row."""


def read_file(spec: FileSpec, path: Path, result: ImportResult) -> Read | None:
    """Read ``path`` as a file of ``spec``: its rows below the header, each as wide as the header (a row of
    another width is a problem), and its totals row taken off the end. None, with the problem in ``result``,
    when the file cannot be read or has no header; ``result.rows`` is the number of data rows."""
    try:
        rows = read_rows(path)
    except ValueProblem as exc:
        result.problems.append(Problem(0, "", exc.what, exc.todo))
        return None
    except OSError as exc:
        result.problems.append(Problem(0, "", f"文件无法打开（{exc.strerror or exc}）", "请确认文件存在且未被其他程序占用"))
        return None
    located = _locate_header(spec, rows)
    if isinstance(located, list):
        result.problems.extend(located)
        return None
    header, data = located
    positions = {h: i for i, h in enumerate(header) if h}
    total_rows = len(data)
    issues: list[tuple[int, int, Problem]] = []
    data = _check_widths(header, data, issues)
    totals_row: tuple[int, list[str]] | None = None
    first = positions[spec.columns[0].header]
    if spec.totals and data and data[-1][1][first].strip() in ("合计", "总计"):
        rowno, cells = data.pop()
        totals_row = (rowno, strip(cells))
    result.rows = total_rows - (totals_row is not None)
    return data, positions, issues, totals_row


PlainRead = tuple[Rows | PlainRows, dict[str, int], list[tuple[int, int, Problem]], tuple[int, list[str]] | None]
"""A file read by :func:`read_lines`: its data rows kept as lines where it can."""


def read_lines(spec: FileSpec, path: Path, result: ImportResult) -> PlainRead | None:
    """:func:`read_file`, with the data rows of a CSV file without quotes kept as its lines (:class:`PlainRows`)
    when every row has the header's width: a second process then splits each part into cells as it checks it.
    Any other file — a quoted or damaged one, an Excel workbook, a row of another width — is read by
    :func:`read_file`, so its problems are named in the same words."""
    try:
        lines = plain_file_lines(path)
    except OSError:
        lines = None
    if lines is None:
        return read_file(spec, path, result)
    top = list(enumerate(map(str.split, lines[:HEADER_SEARCH + 1], repeat(",")), start=1))
    located = _locate_header(spec, top)
    if isinstance(located, list):
        result.problems.extend(located)
        return None
    header, below = located
    start = len(top) - len(below)
    data = PlainRows(lines[start:], start + 1)
    del lines
    if not data.as_wide_as(len(header)):
        return read_file(spec, path, result)
    positions = {h: i for i, h in enumerate(header) if h}
    total_rows = len(data)
    totals_row: tuple[int, list[str]] | None = None
    if spec.totals and data.lines:
        cells = data.lines[-1].split(",")
        if cells[positions[spec.columns[0].header]].strip() in ("合计", "总计"):
            data.lines.pop()
            totals_row = (data.first + len(data.lines), strip(cells))
    result.rows = total_rows - (totals_row is not None)
    return data, positions, [], totals_row


def _rownos(data: Rows | PlainRows) -> list[int]:
    return data.rownos() if isinstance(data, PlainRows) else [rowno for rowno, _ in data]


def _refuse(issues: list[tuple[int, int, Problem]], result: ImportResult) -> None:
    """Every problem of the file, the totals row's included, in file order (row, then column) in ``result``."""
    issues.extend((p.row, 1 << 20, p) for p in result.problems)
    issues.sort(key=lambda t: (t[0], t[1]))
    result.problems = [p for _, _, p in issues]


YEAR_HEADER = "年度"
HEADER_SEARCH = 10
"""The header is looked for in the first rows: finance exports put a title (and a unit line) above it."""


def _locate_header(spec: FileSpec, rows: Rows) -> tuple[list[str], Rows] | list[Problem]:
    """The header and the data below it. A title row above the header is skipped; a two-level header (a merged
    cell over several columns, their own names in the row below) is read as one row of column names."""
    wanted = set(spec.headers)
    best: tuple[int, int, list[str], int] | None = None  # (columns found, index, names, header rows)
    top = [(rowno, strip(cells)) for rowno, cells in rows[:HEADER_SEARCH + 1]]
    for i, (rowno, cells) in enumerate(top[:HEADER_SEARCH]):
        found = len(wanted.intersection(cells))
        if best is None or found > best[0]:
            best = (found, i, cells, 1)
        if i + 1 < len(top) and top[i + 1][0] == rowno + 1:
            lower = top[i + 1][1]
            merged = [low or up for up, low in zip_longest(cells, lower, fillvalue="")]
            found2 = len(wanted.intersection(merged))
            if found2 > best[0]:
                best = (found2, i, merged, 2)
        if best[0] == len(wanted):
            break
    assert best is not None
    found, index, names, levels = best
    rowno = rows[index][0]
    if found < min(2, len(wanted)):
        shown = "、".join(spec.headers[:6]) + ("…" if len(spec.headers) > 6 else "")
        return [Problem(0, "", f"在文件的前 {HEADER_SEARCH} 行中找不到《{spec.title}》的表头（{shown}）",
                        f"请确认选择的文件种类是否正确；请使用{spec.bureau}《{spec.title}》导入模板，表头放在第一行，"
                        "或紧接在标题行之下")]
    problems = []
    for h in spec.headers:
        if h not in names:
            problems.append(Problem(rowno, h, f"表头缺少“{h}”列",
                                    f"请使用{spec.bureau}《{spec.title}》导入模板，不要改动表头"))
        elif names.count(h) > 1:
            problems.append(Problem(rowno, h, f"表头中“{h}”列出现了 {names.count(h)} 次",
                                    "每一列只能出现一次，请删除多余的列"))
    if problems:
        return problems
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    return names[:width], rows[index + levels:]


_WIDTH_TODO = ("每行的单元格数须与表头一致。请检查本行是否多了或少了逗号，例如金额“1 234,56”应写成 1234.56；"
               "含逗号的文字须用英文双引号括起，或在 Excel 中填写后另存为 CSV")


def _check_widths(header: list[str], data: Rows, issues: list[tuple[int, int, Problem]]) -> Rows:
    """Rows as wide as the header; a row with more or fewer cells is refused (its cells may have shifted).
    Empty cells after the last column (left by spreadsheet programs) are dropped."""
    width = len(header)
    if all(n == width for n in map(len, (cells for _, cells in data))):
        return data
    out: Rows = []
    for rowno, cells in data:
        n = len(cells)
        if n == width:
            out.append((rowno, cells))
        elif n > width:
            extra = next((k for k in range(width, n) if cells[k].strip()), None)
            if extra is None:
                out.append((rowno, cells[:width]))
                continue
            issues.append((rowno, -1, Problem(
                rowno, f"第 {extra + 1} 列",
                f"本行有 {n} 个单元格，比表头多（第 {extra + 1} 列“{_short(cells[extra].strip())}”在表头之外），"
                "各列可能已错位",
                _WIDTH_TODO)))
        else:
            issues.append((rowno, -1, Problem(
                rowno, header[n],
                f"本行只有 {n} 个单元格，比表头少 {width - n} 个（从“{header[n]}”列起没有内容），各列可能已错位",
                _WIDTH_TODO)))
    return out


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


Checked = tuple[dict[str, list[Any]], list[str], "Digests", dict[str, int]]
"""Per attribute the values of every row, the rows' natural keys and hashes, and each amount column's sum."""


def _years(data: Rows | PlainRows, positions: dict[str, int]) -> list[int | None]:
    """Each row's year (None where the cell is not a valid year; the column's check names it)."""
    if YEAR_HEADER not in positions:
        return [None] * len(data)
    at = positions[YEAR_HEADER]
    cells = data.column(at) if isinstance(data, PlainRows) else map(itemgetter(at), map(itemgetter(1), data))
    texts = list(map(str.strip, cells))
    cache: dict[str, int | None] = {}
    for t in set(texts):
        try:
            cache[t] = parse_int(t, 2000, 2100, "年度")
        except ValueProblem:
            cache[t] = None
    return list(map(cache.__getitem__, texts))


def _check_rows(spec: FileSpec, data: Rows, positions: dict[str, int], years: list[int | None], refs: _Refs,
                issues: list[tuple[int, int, Problem]], progress: Progress | None, cancel: threading.Event | None,
                total: int, allow_updates: bool) -> Checked | None:
    """Check every cell column by column: each distinct value (a code, a department, a date) is looked at
    once, amounts are parsed in one pass, and only a column with a problem is walked cell by cell to name
    its rows. Returns None when cancelled."""
    n = len(data)
    rownos, table = _table(data, 0, n)
    part = _check_table(spec, rownos, table, positions, years, refs, issues, progress, cancel, total)
    if part is None:
        return None
    del table
    cols, bad = part
    hashed = sorted(c.attr for c in spec.columns if c.attr not in spec.derived)
    digests: Digests = _digests(spec, cols, hashed, n) if refs.existing else _HexDigests(spec, cols, hashed, n)
    keys = _keys(spec, cols, n)
    sums = _sums(spec, cols, bad, n)
    _check_duplicates(spec, keys, rownos, bad, issues)
    key_headers = "、".join(_key_headers(spec))
    existing = refs.existing
    replaces = spec.replaces_seed
    for i, key in enumerate(keys if existing and not allow_updates else ()):
        assert isinstance(digests, list)
        old = existing.get(key)
        if old is None or allow_updates or i in bad or old[1] == digests[i] or (replaces and old[1] == ""):
            continue
        issues.append((rownos[i], 1 << 11, Problem(
            rownos[i], key_headers, "这条记录已经导入过，但内容与已导入的不同",
            "如是更正，请由预工委工作人员选择“允许更正已导入记录”后重新导入；否则请核对编号")))
    return cols, keys, digests, sums


def _table(data: Rows | PlainRows, start: int, size: int) -> tuple[list[int], list[Any]]:
    """The row numbers and the cells, column by column, of the part of ``data`` of ``size`` rows from ``start``."""
    if isinstance(data, PlainRows):
        return data.columns(start, size)
    part = data[start:start + size]
    if not part:
        return [], []
    numbers, rows = zip(*part, strict=True)
    return list(numbers), list(zip(*rows, strict=True))


def _check_table(spec: FileSpec, rownos: list[int], table: list[Any], positions: dict[str, int],
                 years: list[int | None], refs: _Refs, issues: list[tuple[int, int, Problem]],
                 progress: Progress | None, cancel: threading.Event | None,
                 total: int) -> tuple[dict[str, list[Any]], set[int]] | None:
    """The cells of a file's rows (the whole file, or a part of it with its rows' ``years``), given as the rows'
    numbers and their cells column by column (``table``), checked column by column, each row on its own: the
    values per attribute and the indexes (in the part) of the rows refused. Returns None when cancelled."""
    stripped: dict[str, tuple[str, ...]] = {}

    def texts(header: str) -> tuple[str, ...]:
        if header not in stripped:
            stripped[header] = tuple(map(str.strip, table[positions[header]])) if table else ()
        return stripped[header]

    bad: set[int] = set()

    def refuse(i: int, order: int, header: str, exc: ValueProblem) -> None:
        bad.add(i)
        issues.append((rownos[i], order, Problem(rownos[i], header, exc.what, exc.todo)))

    max_len = _max_lengths(spec.model)
    cols: dict[str, list[Any]] = {}
    for order, col in enumerate(spec.columns):
        if cancel is not None and cancel.is_set():
            return None
        if progress is not None:
            progress(total * order // len(spec.columns), total, "检查")
        limit = max_len.get(col.attr) if col.kind == "text" else None
        def refuse_in(i: int, exc: ValueProblem, o: int = order, h: str = col.header) -> None:
            refuse(i, o, h, exc)

        cols[col.attr] = _check_column(col, texts(col.header), years, refs, limit, refuse_in)
    if progress is not None:
        progress(total, total, "检查")
    _derive(spec, cols, rownos, bad, refs, issues)
    _check_signs(spec, cols, rownos, bad, issues)
    return cols, bad


def _keys(spec: FileSpec, cols: dict[str, list[Any]], n: int) -> list[str]:
    """The rows' natural keys (:func:`natural_key`), column by column."""
    if not n:
        return []
    key_cols = [cols[a] if isinstance(cols[a][0], str) else list(map(str, cols[a])) for a in spec.key]
    return [spec.kind + "|" + k for k in map("|".join, zip(*key_cols, strict=True))]


def _sums(spec: FileSpec, cols: dict[str, list[Any]], bad: set[int], n: int) -> dict[str, int]:
    """Each amount column's sum over the rows not refused."""
    good = None if not bad else [i for i in range(n) if i not in bad]
    sums = {}
    for c in spec.columns:
        if c.kind == "fen":
            values = cols[c.attr]
            sums[c.attr] = sum(values) if good is None else sum(values[i] for i in good)
    return sums


def _check_duplicates(spec: FileSpec, keys: list[str], rownos: list[int], bad: set[int],
                      issues: list[tuple[int, int, Problem]]) -> None:
    """A row whose natural key an earlier row (not refused) of the file has is refused, naming that row."""
    n = len(keys)
    key_headers = "、".join(_key_headers(spec))
    seen: dict[str, int] = {}
    for i, key in enumerate(keys if bad or len(set(keys)) < n else ()):
        if i in bad:
            continue
        if key in seen:
            bad.add(i)
            issues.append((rownos[i], 1 << 10, Problem(rownos[i], key_headers, f"与第 {seen[key]} 行重复（{key_headers}相同）",
                                                       "同一条记录只能出现一次，请删除或改正其中一行")))
            continue
        seen[key] = rownos[i]


class _Distinct(dict[Any, Any]):
    """A column's distinct cells and their values, each computed when first looked up."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


def _check_column(col: Column, texts: tuple[str, ...], years: list[int | None], refs: _Refs, limit: int | None,
                  refuse: Callable[[int, ValueProblem], None]) -> list[Any]:
    """The values of one column; every cell that cannot be taken is refused by its index."""
    kind = col.kind
    blank = _blank(col)
    required = ValueProblem("必填项为空", f"请填写“{col.header}”" + (f"（{col.hint}）" if col.hint else ""))
    if kind == "text" and not col.choices:
        plain = list(texts)
        if (col.required and "" in texts) or (limit and texts and max(map(len, texts)) > limit):
            for i, t in enumerate(texts):
                if not t and col.required:
                    refuse(i, required)
                elif limit and len(t) > limit:
                    refuse(i, ValueProblem(f"内容过长（{len(t)} 字，最多 {limit} 字）", "请精简后重新填写"))
        return plain
    if kind == "fen":
        amounts: list[int]
        try:
            if "" in texts:
                raise ValueProblem("", "")
            amounts = parse_fen_column(texts)
        except ValueProblem:
            amounts = []
            for i, t in enumerate(texts):
                if not t:
                    if col.required:
                        refuse(i, required)
                    amounts.append(0)
                    continue
                try:
                    amounts.append(parse_fen(t))
                except ValueProblem as exc:
                    refuse(i, exc)
                    amounts.append(0)
        if not col.signed and amounts and min(amounts) < 0:
            for i, v in enumerate(amounts):
                if v < 0:
                    refuse(i, ValueProblem(f"金额“{texts[i]}”是负数，“{col.header}”不能为负数",
                                           "请填写 0 或正数；调减、收回等资金变动请按指标调整填报"))
        return list(amounts)
    by_year = kind == "indicator" or kind.startswith("code:")
    one_year: list[int | None] = list(set(years)) if by_year else [None]
    if len(one_year) == 1:  # the usual file of one year: a code is looked up once, not once per (year, code)
        by_year = False
    filler = 0 if kind in _INT_KINDS else blank

    def take(key: Any) -> Any:
        """The value of a distinct cell (a text, or a year and a text), or the problem with it."""
        year: int | None
        text: str
        year, text = key if by_year else (one_year[0], key)
        if not text:
            return required if col.required else blank
        if limit and len(text) > limit:
            return ValueProblem(f"内容过长（{len(text)} 字，最多 {limit} 字）", "请精简后重新填写")
        try:
            return _parse_cell(col, text, year, refs)
        except ValueProblem as exc:
            return exc

    cache = _Distinct(take)  # each distinct cell is taken once, on its first appearance; then looked up in C
    values: list[Any] = list(map(cache.__getitem__, zip(years, texts, strict=True) if by_year else texts))
    if any(isinstance(v, ValueProblem) for v in cache.values()):
        for i, v in enumerate(values):
            if isinstance(v, ValueProblem):
                refuse(i, v)
                values[i] = filler
    return values


def _derive(spec: FileSpec, cols: dict[str, list[Any]], rownos: list[int], bad: set[int], refs: _Refs,
            issues: list[tuple[int, int, Problem]]) -> None:
    """The month of a payment from its date (which must lie in the row's year), and the committee domain."""
    years = cols.get("year", [])
    if "month" in spec.derived:
        source = spec.derived["month"]
        header = next(c.header for c in spec.columns if c.attr == source)
        paid: list[date | None] = cols[source]
        distinct = set(paid)
        month_of = {d: 0 if d is None else d.month for d in distinct}
        months = list(map(month_of.__getitem__, paid))
        only = set(years)
        if len(only) != 1 or any(d is not None and d.year not in only for d in distinct):
            for i, (d, y) in enumerate(zip(paid, years, strict=True)):
                if d is not None and d.year != y and i not in bad:
                    bad.add(i)
                    issues.append((rownos[i], 1 << 9, Problem(
                        rownos[i], header, f"支付日期 {d.isoformat()} 不在 {y} 年度内", "请核对支付日期或年度")))
        cols["month"] = months
    if "domain" in spec.derived:
        source = spec.derived["domain"]
        if source == "indicator_no":
            indicators = refs.indicators
            cols["domain"] = [indicators.get((y, no), "") for y, no in zip(years, cols[source], strict=True)]
        else:
            departments = refs.departments
            cols["domain"] = [departments.get(code, "") for code in cols[source]]


def _check_signs(spec: FileSpec, cols: dict[str, list[Any]], rownos: list[int], bad: set[int],
                 issues: list[tuple[int, int, Problem]]) -> None:
    """An amount whose sign disagrees with the row's type (调减 with a positive amount) is refused."""
    if spec.signs is None:
        return
    kind_attr, amount_attr, signs = spec.signs
    header = next(c.header for c in spec.columns if c.attr == amount_attr)
    order = next(i for i, c in enumerate(spec.columns) if c.attr == amount_attr)
    for i, (kind, amount) in enumerate(zip(cols[kind_attr], cols[amount_attr], strict=True)):
        sign = signs.get(kind, 0)
        if i in bad or sign * amount >= 0:
            continue
        bad.add(i)
        ups = "、".join(k for k, s in signs.items() if s > 0)
        downs = "、".join(k for k, s in signs.items() if s < 0)
        issues.append((rownos[i], order, Problem(rownos[i], header,
                                                 f"调整类型为“{kind}”，金额却是{'负数' if amount < 0 else '正数'}",
                                                 f"{ups}的金额填正数，{downs}的金额填负数")))


_ENCODE = json.encoder.encode_basestring  # type: ignore[attr-defined]
"""The string encoder ``json`` itself uses with ``ensure_ascii=False`` (its C version)."""


def _fragments(col: Column, values: list[Any]) -> list[str]:
    """Each value as the JSON text :func:`row_hash` writes for it."""
    if col.kind == "fen":
        return list(map(int.__repr__, values))
    if col.kind == "date":  # a date, or its ISO text as SQLite stores it (:func:`_digests` of the columns written)
        texts = {d: "null" if d is None else f'"{d if isinstance(d, str) else d.isoformat()}"' for d in set(values)}
        return list(map(texts.__getitem__, values))
    if col.kind == "text" and not col.choices:
        return list(map(_ENCODE, values))
    # codes, departments, choices, years, months: few distinct values, each encoded once
    encode = int.__repr__ if col.kind in _INT_KINDS else _ENCODE
    known = {v: encode(v) for v in set(values)}
    return list(map(known.__getitem__, values))


_INT_KINDS = frozenset({"fen", "year", "month", "month0"})


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
"""The characters :data:`_ENCODE` writes as an escape: a text without them is its own JSON text, in quotes."""


def _slot(col: Column, values: list[Any]) -> tuple[str, Any]:
    """A value's place in the row template and the column's values to fill it with: integers and plain texts
    (the common case, checked over the whole column at once) go in as they are, with the quotes in the template;
    anything else as its JSON fragment (:func:`_fragments`)."""
    if col.kind in _INT_KINDS:
        if set(map(type, values)) == {int}:
            return "%s", values
    elif col.kind != "date":
        try:
            joined = "".join(values)  # refuses anything but text
        except TypeError:
            pass
        else:
            if _NEEDS_ESCAPE.search(joined) is None:
                return '"%s"', values
    return "%s", _fragments(col, values)


def _digests(spec: FileSpec, cols: dict[str, list[Any]], hashed: list[str], n: int) -> list[str]:
    """:func:`row_hash` of every row at once: the JSON text of a row is one template filled with its values,
    column by column, so the keys are sorted and encoded once per file and a row costs four C calls (fill,
    encode, hash, hex). The columns may also be those written to SQLite (:func:`_sqlite_forms`: a date as its ISO
    text), which give the same texts: the second process's writer makes the digests so."""
    return list(_HexDigests(spec, cols, hashed, n))


_HEX = methodcaller("hexdigest")


class _HexDigests:
    """The rows' :func:`_digests`, each computed when it is taken, in row order, once. A file whose rows are all
    new compares none of them with the database: their digests are needed only as the rows are written, so on
    PostgreSQL each block's digests are computed while the server parses the block before."""

    def __init__(self, spec: FileSpec, cols: dict[str, list[Any]], hashed: list[str], n: int) -> None:
        self._rows: Iterator[str] = iter(())
        if n:
            by_attr = {c.attr: c for c in spec.columns}
            slots = [_slot(by_attr[a], cols[a]) for a in hashed]
            template = "{" + ", ".join(_ENCODE(a).replace("%", "%%") + ": " + slot for a, (slot, _) in
                                       zip(hashed, slots, strict=True)) + "}"
            texts = map(template.__mod__, zip(*(values for _, values in slots), strict=True))
            self._rows = map(_HEX, map(hashlib.sha256, map(str.encode, texts)))

    def __iter__(self) -> Iterator[str]:
        return self._rows


Digests = list[str] | _HexDigests
"""Row digests: a list, or (a file of new rows only) computed as the rows are written."""


def _write(factory: sessionmaker[Session], spec: FileSpec, cols: dict[str, list[Any]], keys: list[str],
           digests: Digests, refs: _Refs, result: ImportResult, actor: str, progress: Progress | None,
           cancel: threading.Event | None, path: Path, source: str) -> None:
    model: Any = spec.model
    tag = source or f"{spec.bureau}导入"
    fresh: list[int] = []
    changed: list[int] = []
    existing = refs.existing
    for i, key in enumerate(keys if existing else ()):
        assert isinstance(digests, list)  # a list whenever there are rows to compare with
        old = existing.get(key)
        if old is None:
            fresh.append(i)
        elif old[1] == digests[i]:
            result.unchanged += 1
        else:
            changed.append(i)
    if not existing:
        fresh = list(range(len(keys)))
    total = len(keys)
    attrs = list(cols)
    with factory() as session, session.begin():
        session.info["actor"] = actor
        for start in range(0, len(changed), CHUNK):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            if progress is not None:
                progress(start, total, "写入")
            assert isinstance(digests, list)  # changed rows were compared with their digests
            for i in changed[start:start + CHUNK]:
                obj: Any = session.get(model, existing[keys[i]][0])
                for attr in attrs:
                    setattr(obj, attr, cols[attr][i])
                for attr, value in spec.fixed.items():
                    setattr(obj, attr, value)
                obj.row_hash = digests[i]
                obj.source = tag
                obj.generated = False
            session.flush()
        result.updated = len(changed)
        result.inserted = len(fresh)
        _insert_new(session, spec, cols, fresh, keys, digests, tag, actor, progress, cancel, total)
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        session.add(_import_log(spec, path, file_digest(path),
                                {int(y) for y in cols["year"]}, result, tag))
    if progress is not None:
        progress(total, total, "写入")


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at ``path`` (hex), read in blocks, for the import log."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _import_log(spec: FileSpec, path: Path, digest: str, years: set[int], result: ImportResult, tag: str) -> ImportLog:
    """The import's entry in the log: the file, its first year, and what was done with its rows."""
    return ImportLog(kind=spec.kind, filename=path.name, sha256=digest, year=min(years) if years else 0,
                     rows=result.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                     source=tag, natural_key=f"log|{spec.kind}|{path.name}")


class _Refused(Exception):
    """A file checked and written part by part has a problem: the rows written so far are rolled back."""


def _streams(session: Session, refs: _Refs, n: int) -> bool:
    """Whether a file of ``n`` rows is checked and written part by part (:func:`_stream`): on PostgreSQL, a file
    large enough for a bulk insert whose rows are all new (none of its year is in the database yet)."""
    return session.get_bind().dialect.name == "postgresql" and not refs.existing and n >= BULK_ROWS


def _stream(factory: sessionmaker[Session], spec: FileSpec, data: Rows, positions: dict[str, int],
            years: list[int | None], refs: _Refs, issues: list[tuple[int, int, Problem]],
            totals_row: tuple[int, list[str]] | None, result: ImportResult, actor: str, progress: Progress | None,
            cancel: threading.Event | None, path: Path, source: str) -> None:
    """Check and write a file of new rows part by part, on PostgreSQL: each part of :data:`INSERT_BATCH` rows is
    checked as the whole file is (:func:`_check_table`: every cell on its own row) and, as long as no problem has
    been found, handed to one ``COPY`` without waiting for the server, which parses it while the next part is
    checked. What needs the whole file — duplicates, the totals row — is checked at the end. Any problem or a
    cancel raises (:class:`_Refused`, :class:`ImportCancelled`) and rolls back the rows written so far with the
    set-aside indexes and the change numbers; the problems are those the check of the whole file at once finds.
    The indexes are set aside and the change numbers taken when the first part without a problem is written."""
    model: Any = spec.model
    table = model.__table__
    n = len(data)
    tag = source or f"{spec.bureau}导入"
    hashed = sorted(c.attr for c in spec.columns if c.attr not in spec.derived)
    checks = FileChecks(spec, data, positions, years, refs, issues)
    rebuild: list[str] = []
    with factory() as session, session.begin():
        session.info["actor"] = actor
        conn = session.connection()
        with contextlib.ExitStack() as stack:
            copy: Any = None
            first, ids, now = 0, [], utcnow()
            for start in range(0, n, INSERT_BATCH):
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled
                if progress is not None:
                    progress(start, n, "检查")
                checked = checks.part(start, INSERT_BATCH, cancel)
                if checked is None:
                    raise ImportCancelled
                cols, part_keys, m = checked
                if issues:
                    continue  # the file is refused: the rest of it is checked, not written
                if copy is None:
                    first, ids = allocate_seqs(session, n), uuid7_batch(n)
                columns = _new_columns(spec, cols, part_keys, _HexDigests(spec, cols, hashed, m),
                                       ids[start:start + m], tag, actor, now, m)
                columns["seq"] = range(first + start, first + start + m)
                if copy is None:
                    rebuild = _set_aside_indexes(session, table.name, n, appended_indexes(table, columns, m))
                    copy = stack.enter_context(_copy(conn, table.name, list(columns)))
                _send(copy, _copy_lines(columns, m), m)
                if progress is not None:
                    progress(start + m, n, "写入")
            checks.finish(totals_row, result)  # what needs the whole file, while the server takes the last rows
            if issues or result.problems:
                raise _Refused
            digest = file_digest(path)
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        _build_indexes(conn, rebuild, cancel)
        result.inserted = n
        session.add(_import_log(spec, path, digest, checks.years, result, tag))
    if progress is not None:
        progress(n, n, "写入")


class FileChecks:
    """A file checked part by part (:func:`_stream`, the second process of :mod:`.helper`): each part as the whole
    file is checked (:func:`_check_table`), and what needs the whole file — the natural keys for duplicates, each
    amount column's sum for the totals row, the years — gathered as the parts go."""

    def __init__(self, spec: FileSpec, data: Rows | PlainRows, positions: dict[str, int], years: list[int | None],
                 refs: _Refs, issues: list[tuple[int, int, Problem]]) -> None:
        self.spec, self.data, self.positions, self.row_years = spec, data, positions, years
        self.refs, self.issues = refs, issues
        self.keys: list[str] = []
        self.bad: set[int] = set()
        self.sums = {c.attr: 0 for c in spec.columns if c.kind == "fen"}
        self.years: set[int] = set()

    def part(self, start: int, size: int, cancel: threading.Event | None
             ) -> tuple[dict[str, list[Any]], list[str], int] | None:
        """The values per attribute, the natural keys and the number of rows of the part of ``size`` rows from
        ``start``; its problems go to the file's. None when cancelled."""
        spec = self.spec
        rownos, table = _table(self.data, start, size)
        m = len(rownos)
        checked = _check_table(spec, rownos, table, self.positions, self.row_years[start:start + m], self.refs,
                               self.issues, None, cancel, m)
        if checked is None:
            return None
        cols, part_bad = checked
        self.bad.update(start + i for i in part_bad)
        keys = _keys(spec, cols, m)
        self.keys.extend(keys)
        for attr, amount in _sums(spec, cols, part_bad, m).items():
            self.sums[attr] += amount
        self.years.update(cols["year"])
        return cols, keys, m

    def finish(self, totals_row: tuple[int, list[str]] | None, result: ImportResult) -> None:
        """The checks of the whole file, after its last part: duplicates (in ``issues``), the totals row (in
        ``result``)."""
        _check_duplicates(self.spec, self.keys, _rownos(self.data), self.bad, self.issues)
        if totals_row is not None:
            _check_totals(self.spec, totals_row, self.positions, self.sums, result)


INSERT_BATCH = 20_000
_META = ("natural_key", "row_hash", "source", "generated", "id", "version", "changed_by", "changed_at", "deleted",
         "seq", "scope")


def _insert_new(session: Session, spec: FileSpec, cols: dict[str, list[Any]], fresh: list[int], keys: list[str],
                digests: Digests, tag: str, actor: str, progress: Progress | None,
                cancel: threading.Event | None, total: int) -> None:
    """Insert new rows in bulk in the session's transaction, stamped as the server's hooks stamp them (id,
    version 1, actor, time, scope, change numbers taken just before commit): ``COPY`` on PostgreSQL, one
    prepared ``executemany`` per batch on SQLite. Values are handed over column by column, not row by row."""
    if not fresh:
        return
    model: Any = spec.model
    table = model.__table__
    m = len(fresh)
    everything = m == len(keys)

    def pick(values: list[Any]) -> list[Any]:
        return values if everything else [values[i] for i in fresh]

    dialect = session.get_bind().dialect.name
    sqlite = dialect == "sqlite"
    picked = {a: pick(v) for a, v in cols.items()}
    if not everything:
        assert isinstance(digests, list)  # rows were compared with the database's: their digests are a list
        digests = [digests[i] for i in fresh]
    columns = _new_columns(spec, picked, pick(keys), digests, uuid7_batch(m), tag, actor, utcnow(), m)
    if sqlite:
        _sqlite_forms(table, columns, m)
    if cancel is not None and cancel.is_set():
        raise ImportCancelled
    if not sqlite:
        _bulk_write(session, table, columns, m, total, dialect, progress, cancel)
        return
    with sqlite_bulk_cache(session.connection(), m):
        _bulk_write(session, table, columns, m, total, dialect, progress, cancel)


@contextlib.contextmanager
def sqlite_bulk_cache(conn: Any, rows: int) -> Iterator[None]:
    """A page cache of up to 1 GB on an SQLite connection while a bulk insert's ``rows`` go in and its indexes
    grow; the connection goes back to the pool with its usual page cache and one thread. From
    :data:`BULK_ROWS` rows on, the commit leaves the copy of the write-ahead log into the database file to a
    thread of its own (:func:`core.wal.checkpoint_after_commit`)."""
    if rows >= BULK_ROWS:
        checkpoint_after_commit(conn)
    previous = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql("PRAGMA cache_size=-1048576")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            conn.exec_driver_sql(f"PRAGMA cache_size={previous}")
            conn.exec_driver_sql("PRAGMA threads=0")


def _bulk_write(session: Session, table: Any, columns: dict[str, Any], m: int, total: int, dialect: str,
                progress: Progress | None, cancel: threading.Event | None) -> None:
    """Write the new rows (columns of values in the database's forms) with the table's indexes and roll-up
    trigger set aside for a bulk insert, then build the indexes again."""
    sqlite, postgresql = dialect == "sqlite", dialect == "postgresql"
    first = allocate_seqs(session, m)
    columns["seq"] = range(first, first + m)
    kept = appended_indexes(table, columns, m) if postgresql else set()
    rebuild = _set_aside_indexes(session, table.name, m, kept)
    trigger = _set_aside_stale_trigger(session, table.name) if rebuild and sqlite else None
    names = list(columns)
    # SQLite: a column with one value for every row (source, actor, time, version …) is written into the statement
    # once instead of being bound for each row (about a tenth of the bare insert's time for the payments)
    literals = _constant_literals(columns, m) if sqlite else {}
    bound = [n for n in names if n not in literals]
    # the rows are made from the columns as they are written: SQLite's parameter tuples as the driver binds them,
    # PostgreSQL's lines of COPY text block by block, never a list of them all
    tuples = zip(*(columns[n] for n in bound), strict=True)
    lines = _copy_lines(columns, m) if postgresql else iter(())
    rows: list[Any] = [] if sqlite or postgresql else list(tuples)
    conn = session.connection()
    sql = insert_statement(conn, table.name, names, literals)
    raw: Any = conn.connection.driver_connection
    cursor = raw.cursor() if sqlite else None
    done = total - m
    with contextlib.ExitStack() as stack:
        copy = stack.enter_context(_copy(conn, table.name, names)) if postgresql else None
        for start in range(0, m, INSERT_BATCH):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            size = min(INSERT_BATCH, m - start)
            if copy is not None:
                _send(copy, lines, size)
            elif cursor is not None:  # the session's connection and transaction, as SQLAlchemy's executemany would
                cursor.executemany(sql, islice(tuples, size))
            else:
                conn.exec_driver_sql(sql, rows[start:start + size])
            if progress is not None:
                progress(done + start + size, total, "写入")
    if cursor is not None:
        cursor.close()
    if trigger is not None:
        conn.exec_driver_sql(trigger)
    _build_indexes(conn, rebuild, cancel)


def insert_statement(conn: Any, table: str, names: list[str], literals: dict[str, str]) -> str:
    """``INSERT`` of a row of ``names`` into ``table``: a parameter for each column, but those written as
    ``literals``."""
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    marks = ", ".join(literals.get(n, mark) for n in names)
    return f"INSERT INTO {quote(table)} ({', '.join(map(quote, names))}) VALUES ({marks})"


def _constant_literals(columns: dict[str, Any], m: int) -> dict[str, str]:
    """SQLite literals of the columns that hold one value for each of the ``m`` rows (a ``repeat``), by column; a
    value that has no safe literal (a float, a very large integer, text with a NUL character, bytes) stays a
    parameter."""
    constants: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, repeat) and m:
            constants[name] = value = next(values)
            columns[name] = repeat(value, m)
    return sqlite_literals(constants)


def sqlite_literals(constants: dict[str, Any]) -> dict[str, str]:
    """The SQLite literals of constant columns' values, by column; those without one (:func:`sqlite_literal`) are
    left out, to be bound."""
    return {name: text for name, value in constants.items() if (text := sqlite_literal(value)) is not None}


def sqlite_literal(value: Any) -> str | None:
    """``value`` as an SQLite literal that reads back as the same value, or None when it has to be bound."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) and -(1 << 63) <= value < 1 << 63:
        return str(value)
    if isinstance(value, str) and "\x00" not in value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the driver refuses it as a parameter too
            return None
        return "'" + value.replace("'", "''") + "'"
    return None


SORT_RUN_KIB = 2048
"""SQLite's page cache (KiB) while set-aside indexes are built. The sorter of ``CREATE INDEX`` writes sorted runs of
this size, which a helper thread sorts while the table is read, and merges them; with the import's 1 GB cache
each index would be sorted in one run on one core. The eleven indexes of 300,000 payments: 1.6 s instead of 2.0 s
on two cores."""


def _build_indexes(conn: Any, rebuild: list[str], cancel: threading.Event | None) -> None:
    """Create the indexes set aside for a bulk insert again (statements of :func:`_set_aside_indexes`)."""
    if rebuild and conn.dialect.name == "sqlite":  # the caller restores the connection's cache and threads
        conn.exec_driver_sql("PRAGMA threads=2")
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SORT_RUN_KIB}")
    elif rebuild:
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for sql in rebuild:
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        conn.exec_driver_sql(sql)


def _new_columns(spec: FileSpec, picked: dict[str, list[Any]], keys: list[str], digests: Digests, ids: list[str],
                 tag: str, actor: str, now: datetime, m: int) -> dict[str, Any]:
    """The columns of ``m`` new rows of ``spec`` (all but ``seq``), stamped as the server's hooks stamp them: the
    model's defaults, the file's values, the fixed values, key, digest, source, id, version 1, actor, time, scope."""
    model: Any = spec.model
    columns: dict[str, Any] = {}
    for key, value in _base(model).items():
        columns[key] = repeat(value, m)
    for attr, values in picked.items():
        columns[attr] = values
    for attr, value in spec.fixed.items():
        columns[attr] = repeat(value, m)
    for attr in _META:
        columns.pop(attr, None)
    columns.update(natural_key=keys, row_hash=digests, source=repeat(tag, m), generated=repeat(False, m), id=ids,
                   version=repeat(1, m), changed_by=repeat(actor, m), changed_at=repeat(now, m),
                   deleted=repeat(False, m), scope=_scopes(model, picked, m))
    return columns


def _copy_lines(columns: dict[str, Any], m: int) -> Iterator[str]:
    """The rows of ``columns`` as lines of COPY text, each made when it is taken."""
    return map("\t".join, zip(*(_copy_texts(v, m) for v in columns.values()), strict=True))


def _send(copy: Any, lines: Iterator[str], size: int) -> None:
    """Hand the next ``size`` lines to a :func:`_copy`, :data:`COPY_LINES` at a time."""
    for part in range(0, size, COPY_LINES):
        copy.write("\n".join(islice(lines, min(COPY_LINES, size - part))) + "\n")


COPY_LINES = 2_000
"""Rows of COPY text made and handed to the connection at a time (about 1 MB of payments)."""
COPY_BUFFER = 64 << 20
"""Bytes of COPY text the connection may hold unsent before the writer waits for the server to take them."""


@contextlib.contextmanager
def _copy(conn: Any, table: str, names: list[str]) -> Iterator[Any]:
    """PostgreSQL ``COPY … FROM STDIN`` through psycopg 3, in the connection's open transaction, for blocks of COPY
    text (lines made by :func:`_copy_texts`). A block is handed to the connection without waiting for the server
    to take it (up to :data:`COPY_BUFFER` waiting): each later block sends what the socket takes, so the server
    parses the rows while the next block is made."""
    from psycopg.copy import LibpqWriter

    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table)} ({', '.join(map(quote, names))}) FROM STDIN"
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(sql, writer=LibpqWriter(cursor, flush_threshold=COPY_BUFFER)) as copy:
        yield copy


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, date):  # and datetime: ISO text, with its offset when it has one
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def _copy_texts(values: Any, m: int) -> Any:
    """A column's values in COPY text format, column at once: a constant once, plain text as it is (escaped only
    when the column holds a backslash, tab or line break), numbers by ``str``, anything else per distinct value."""
    if isinstance(values, repeat):
        return repeat(_copy_value(next(values)), m)
    if isinstance(values, range):
        return map(str, values)
    if isinstance(values, _HexDigests):  # hexadecimal text: nothing to escape
        return iter(values)
    kinds = set(map(type, values))
    if kinds == {str}:
        joined = "".join(values)
        if any(c in joined for c in "\\\t\n\r"):
            return [v.translate(_COPY_ESCAPES) for v in values]
        return values
    if kinds == {int}:
        return map(str, values)
    texts = {v: _copy_value(v) for v in set(values)}
    return map(texts.__getitem__, values)


def _scopes(model: Any, values: dict[str, list[Any]], m: int) -> Any:
    """Each new row's scope by the model's rule: once for public rows, once per committee domain for domain rows."""
    rule = model.scope_for.__func__
    if rule is PublicRow.scope_for.__func__:  # type: ignore[attr-defined]
        return repeat(model.scope_for({}), m)
    if rule is DomainRow.scope_for.__func__ and "domain" in values:  # type: ignore[attr-defined]
        by_domain = {d: model.scope_for({"domain": d}) for d in set(values["domain"])}
        return list(map(by_domain.__getitem__, values["domain"]))
    attrs = list(values)
    return [model.scope_for(dict(zip(attrs, row, strict=True))) for row in zip(*values.values(), strict=True)]


def _sqlite_forms(table: Any, columns: dict[str, Any], m: int) -> None:
    """Values in the form SQLite stores them: ISO dates, UTC timestamp text, 0/1 for booleans."""
    for col in table.columns:
        key = col.key
        if key not in columns:
            continue
        values = columns[key]
        if isinstance(col.type, Date):
            if isinstance(values, repeat):
                continue  # a default (None); a date default would be a callable, not a constant
            cache = {d: d.isoformat() for d in set(values) if d is not None}
            columns[key] = list(map(cache.get, values))
        elif isinstance(col.type, UTCDateTime) and isinstance(values, repeat):
            stamp = next(values)
            columns[key] = repeat(stamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                                  if isinstance(stamp, datetime) else stamp, m)
        elif isinstance(col.type, Boolean):
            columns[key] = repeat(int(next(values)), m) if isinstance(values, repeat) else [int(v) for v in values]


BULK_ROWS = 50_000
"""From this many new rows on, and when they at least double the table, the table's secondary indexes are dropped
for the insert and built again afterwards — in the same transaction, so a failure or a cancel restores them."""


def _set_aside_indexes(session: Session, table: str, fresh: int, keep: Collection[str] = ()) -> list[str]:
    """Drop ``table``'s secondary indexes for a bulk insert, but those named in ``keep``; returns the statements
    that create them again.

    Building an index once over sorted keys is several times faster than growing eleven of them row by row in
    random order (a million payments: department, month, codes, payee, project, indicator, date). On
    PostgreSQL the indexes that back a constraint (the primary key) stay, and so do those the rows append to
    (:func:`appended_indexes`); the drop holds the table's lock until the import commits, so readers of that
    table wait for the import (which mostly fills an empty year's table)."""
    if fresh < BULK_ROWS:
        return []
    conn = session.connection()
    present = conn.exec_driver_sql(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT {fresh + 1}) AS present"
                                   ).scalar() or 0
    if present > fresh:
        return []
    if conn.dialect.name == "postgresql":
        indexes = conn.exec_driver_sql(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)", (table, table)).all()
    else:
        indexes = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,)).all()
    dropped = [(name, sql) for name, sql in indexes if name not in keep]
    for name, _sql in dropped:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in dropped]


APPEND_GROUPS = 64
"""The most runs of equal leading columns an index may have in the first rows written and still count as one the
rows append to (:func:`appended_indexes`): (scope, change number) has one run per committee's domain."""
APPENDED_CANDIDATES = (("seq",), ("scope", "seq"), ("natural_key",))
"""The columns of the indexes kept through a ``COPY`` when the rows append to them: those every budget table has
(:class:`core.budget.models.BudgetRow`) for sync and for the import."""


def appended_indexes(table: Any, columns: dict[str, Any], m: int) -> set[str]:
    """The names of ``table``'s indexes on :data:`APPENDED_CANDIDATES` that the ``m`` rows of ``columns`` (values
    in the order they are written) append to, judged on their first :data:`INSERT_BATCH` rows: in at most
    :data:`APPEND_GROUPS` runs of equal leading columns, the index's last column never goes down. The change
    numbers and (scope, change number) always are; the natural key is when the file comes sorted by it.

    PostgreSQL inserts the rows of a ``COPY`` on a core of its own while the importer makes the next ones, and
    an entry added at the end of an index's run is cheap, so these indexes are kept while the rows go in instead
    of being sorted and built again afterwards, when the importer has nothing left to do: for a million
    payments, 1.7–3.4 s less rebuilding and a ``COPY`` no longer on average. Each kept index still costs the
    server up to a second per million rows (every entry is logged), which the spare core has room for with these
    three; keeping as well the department's and the project's indexes, which a file sorted that way also appends
    to, made the ``COPY`` 3–5 s longer for 3 s less rebuilding."""
    size = min(m, INSERT_BATCH)
    kept = set()
    for index in table.indexes:
        names = tuple(c.name for c in index.columns)
        if names in APPENDED_CANDIDATES and all(n in columns for n in names) \
                and _appends([_head(columns, n, m, size) for n in names]):
            kept.add(index.name)
    return kept


def _head(columns: dict[str, Any], name: str, m: int, size: int) -> list[Any] | None:
    """The first ``size`` values of the column ``name`` of ``m`` rows as :func:`_new_columns` makes it (a
    constant's ``repeat`` is put back whole), or None for a column that is neither a list, a range nor a
    constant."""
    values = columns[name]
    if isinstance(values, repeat):
        value = next(values, None)
        columns[name] = repeat(value, m)
        return [value] * size
    if isinstance(values, (list, range)):
        return list(values[:size])
    return None


def _appends(columns: list[list[Any] | None]) -> bool:
    """Whether rows with these values of an index's columns append to it: in at most :data:`APPEND_GROUPS` runs
    of equal leading columns, the last column never goes down (a missing value or one that cannot be compared
    says no)."""
    if any(c is None for c in columns):
        return False
    ends: dict[tuple[Any, ...], Any] = {}
    try:
        for *group, value in zip(*columns, strict=True):  # type: ignore[call-overload]
            key = tuple(group)
            end = ends.get(key, _NO_END)
            if value is None or (end is not _NO_END and value < end):
                return False
            ends[key] = value
            if len(ends) > APPEND_GROUPS:
                return False
    except TypeError:
        return False
    return True


_NO_END = object()


def _set_aside_stale_trigger(session: Session, table: str) -> str | None:
    """Mark the query roll-up stale once and drop ``table``'s trigger that would mark it again for every new row
    (a sixth of a bulk insert's time on SQLite); returns the statement that creates the trigger again, after the
    insert, in the same transaction — so a failure or a cancel restores it. None when the table has no such
    trigger, or a trigger that does more than that."""
    conn = session.connection()
    name = insert_trigger(table)
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = ?",
                               (name, table)).scalar()
    if not isinstance(sql, str) or " AFTER INSERT ON " not in sql or not sql.endswith(f"BEGIN {MARK_STALE}; END"):
        return None
    conn.exec_driver_sql(MARK_STALE)
    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return sql
