"""The vertical link with district congresses (纵向贯通): a year's or a period's data as one zip package.

A package holds the same exchange files the importers read (CSV, UTF-8 with BOM, template headers), a
``departments.csv`` naming the departments the files refer to, and ``manifest.json``::

    {"format": "renda-budget-exchange/1", "producer": "上海市人大常委会预算工作委员会", "year": 2024,
     "months": [1, 12], "period": "2024年1–12月", "created_at": "2026-11-28T04:00:00+00:00",
     "files": [{"kind": "payments", "name": "payments.csv", "rows": 20000, "sha256": "…", "size": 123}],
     "departments": {"name": "departments.csv", "rows": 100, "sha256": "…", "size": 4567}}

Import checks the package as a whole first (every listed file present, nothing unlisted, sizes, SHA-256
and row counts as listed, known kinds, departments registered) and then imports every file through
``import_file`` in one transaction: the whole package, or nothing. A package exported here imports back
into another database as the same rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.budget.importers import SPECS, FileSpec, ImportResult, import_file
from core.budget.importers.reading import collector_paused, csv_cells, plain_lines
from core.budget.links.atomic import Hooks, all_or_nothing
from core.budget.links.errors import LinkCancelled, LinkError
from core.budget.models import BOOKS, CODE_KINDS
from core.models.registry import Department
from core.sync.stamping import install_server_hooks

FORMAT = "renda-budget-exchange/1"
ORDER = ("codes", "code_map", "projects", "indicators", "indicator_changes", "plans", "applications", "payments",
         "final_accounts", "tax", "social", "assets", "audit")
"""Every kind a package may carry, in import order (a change after its indicator)."""
DEFAULT_KINDS = ("codes", "code_map", "indicators", "plans", "payments", "tax", "social", "assets", "audit")
"""What a package carries unless asked otherwise: projects reach districts by sync as published budget, and the
finance bureau's changes, applications and final accounts are added on request (``kinds``)."""
"""Import order: code tables before the rows that use them."""
MONTHLY = {"plans", "payments", "tax", "social"}
DEPARTMENTS = "departments.csv"
DEPARTMENT_HEADER = ("部门编码", "部门名称", "上级编码", "归口专委会")
MAX_PACKAGE_BYTES = 2_000_000_000
EXPORT_BATCH = 10_000
Progress = Callable[[int, int, str], None]


class ExchangeError(LinkError):
    """A package refused as a whole; nothing was written."""

    def __init__(self, message: str, reason: str = "package", results: Iterable[ImportResult] = ()) -> None:
        super().__init__(message, reason)
        self.results = list(results)

    def report(self) -> str:
        return "\n".join([self.message, *(r.report() for r in self.results if not r.ok)])


@dataclass
class PackageFile:
    kind: str
    name: str
    rows: int
    sha256: str
    size: int


@dataclass
class PackageManifest:
    producer: str
    year: int
    months: tuple[int, int]
    created_at: str
    files: list[PackageFile]
    departments: PackageFile

    @property
    def period(self) -> str:
        first, last = self.months
        return f"{self.year}年" + ("全年" if (first, last) == (1, 12) else f"{first}–{last}月")

    def to_json(self) -> str:
        def plain(f: PackageFile) -> dict[str, Any]:
            return {"kind": f.kind, "name": f.name, "rows": f.rows, "sha256": f.sha256, "size": f.size}

        return json.dumps({"format": FORMAT, "producer": self.producer, "year": self.year,
                           "months": list(self.months), "period": self.period, "created_at": self.created_at,
                           "files": [plain(f) for f in self.files],
                           "departments": plain(self.departments)}, ensure_ascii=False, indent=2)


@dataclass
class PackageImport:
    """What a package import did."""

    manifest: PackageManifest
    results: list[ImportResult] = field(default_factory=list)
    registered_departments: list[str] = field(default_factory=list)

    def summary(self) -> str:
        inserted = sum(r.inserted for r in self.results)
        updated = sum(r.updated for r in self.results)
        unchanged = sum(r.unchanged for r in self.results)
        return (f"“{self.manifest.producer}”报送的{self.manifest.period}数据包已导入：{len(self.results)} 个文件，"
                f"新增 {inserted} 行，更新 {updated} 行，{unchanged} 行与已有的相同。")


# export ----------------------------------------------------------------------------------------------------

def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _cell(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "fen":
        return _yuan(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "book":
        return BOOKS.get(value, str(value))
    if kind == "codekind":
        return CODE_KINDS.get(value, str(value))
    return str(value)


def _write_kind(session: Session, spec: FileSpec, year: int, months: tuple[int, int], path: Path,
                cancel: threading.Event | None) -> tuple[int, set[str]]:
    """Stream the rows of ``spec`` into ``path`` (with a “合计” row when the kind has totals).

    Returns the number of rows and the department codes they use. Only the exported columns are read,
    in batches, so a year of a million payments does not sit in memory.
    """
    model: Any = spec.model
    columns = [getattr(model, c.attr) for c in spec.columns]
    query = select(*columns).where(model.year == year, model.deleted.is_(False))
    if spec.kind in MONTHLY and months != (1, 12):
        query = query.where(model.month.between(*months))
    query = query.order_by(*[getattr(model, a) for a in spec.key]).execution_options(yield_per=EXPORT_BATCH)
    kinds = [c.kind for c in spec.columns]
    sums = [0] * len(kinds)
    dept = [i for i, k in enumerate(kinds) if k == "dept"]
    departments: set[str] = set()
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(spec.headers)
        for row in session.execute(query):
            if cancel is not None and count % EXPORT_BATCH == 0 and cancel.is_set():
                raise LinkCancelled("已取消导出，没有生成数据包。")
            writer.writerow([_cell(k, v) for k, v in zip(kinds, row, strict=True)])
            for i, k in enumerate(kinds):
                if k == "fen" and row[i] is not None:
                    sums[i] += int(row[i])
            departments.update(row[i] for i in dept if row[i])
            count += 1
        if count and spec.totals:
            writer.writerow(["合计", *[_yuan(sums[i]) if k == "fen" else "" for i, k in enumerate(kinds)][1:]])
    return count, departments


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(header))
        writer.writerows(rows)


def _described(path: Path, kind: str, rows: int) -> PackageFile:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return PackageFile(kind, path.name, rows, digest.hexdigest(), path.stat().st_size)


def export_package(engine: Engine, year: int, out: Path, *, producer: str, months: tuple[int, int] = (1, 12),
                   kinds: Iterable[str] = DEFAULT_KINDS, progress: Progress | None = None,
                   cancel: threading.Event | None = None) -> PackageManifest:
    """Write ``out`` (a zip) with the year's (or the months') rows of ``kinds``; returns its manifest."""
    first, last = months
    if not 1 <= first <= last <= 12:
        raise ExchangeError(f"月份范围 {first}–{last} 无效，应在 1–12 之间且起始不晚于结束。", "period")
    wanted = [k for k in ORDER if k in set(kinds)]
    work = Path(tempfile.mkdtemp(prefix="renda-exchange-"))
    try:
        files: list[PackageFile] = []
        codes: set[str] = set()
        with Session(engine) as session:
            for number, kind in enumerate(wanted):
                if cancel is not None and cancel.is_set():
                    raise LinkCancelled("已取消导出，没有生成数据包。")
                if progress is not None:
                    progress(number, len(wanted), f"导出{SPECS[kind].title}")
                path = work / f"{kind}.csv"
                count, used = _write_kind(session, SPECS[kind], year, months, path, cancel)
                if not count:
                    continue
                codes.update(used)
                files.append(_described(path, kind, count))
            departments = [[d.code, d.name, d.parent_code, d.domain] for d in session.scalars(
                select(Department).where(Department.code.in_(codes), Department.deleted.is_(False))
                .order_by(Department.code))] if codes else []
        dept_path = work / DEPARTMENTS
        _write_csv(dept_path, DEPARTMENT_HEADER, departments)
        manifest = PackageManifest(producer, year, (first, last), datetime.now(UTC).isoformat(timespec="seconds"),
                                   files, _described(dept_path, "departments", len(departments)))
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", manifest.to_json())
            for f in [*files, manifest.departments]:
                archive.write(work / f.name, f.name)
        partial.replace(out)
        if progress is not None:
            progress(len(wanted), len(wanted), "完成")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


# import ----------------------------------------------------------------------------------------------------

_NAME = re.compile(r"[a-z_]{1,40}\.csv")


def _refuse(what: str) -> ExchangeError:
    return ExchangeError(f"数据包{what}，整个数据包没有导入。请向报送单位索取完整、未经改动的数据包后重新导入。", "tampered")


def _entry(raw: Any, where: str) -> PackageFile:
    if not isinstance(raw, dict):
        raise _refuse(f"清单中的{where}格式不对")
    try:
        f = PackageFile(str(raw["kind"]), str(raw["name"]), raw["rows"], str(raw["sha256"]), raw["size"])
    except KeyError as exc:
        raise _refuse(f"清单中的{where}缺少“{exc.args[0]}”") from None
    if not isinstance(f.rows, int) or not isinstance(f.size, int) or f.rows < 0 or f.size < 0:
        raise _refuse(f"清单中{where}的行数或大小无效")
    if not _NAME.fullmatch(f.name):
        raise _refuse(f"清单中{where}的文件名“{f.name[:40]}”不合规")
    return f


def read_manifest(archive: zipfile.ZipFile) -> PackageManifest:
    """The package's manifest, checked for form (not yet against the files)."""
    try:
        data = json.loads(archive.read("manifest.json").decode("utf-8"))
    except KeyError:
        raise _refuse("缺少清单文件 manifest.json") from None
    except (ValueError, UnicodeDecodeError):
        raise _refuse("的清单 manifest.json 无法读取") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"这不是本系统的预算数据包（格式应为 {FORMAT}）。请确认选择的文件正确。", "format")
    files_raw = data.get("files")
    if not isinstance(files_raw, list):
        raise _refuse("的清单缺少文件列表")
    files = [_entry(raw, f"第 {i + 1} 个文件") for i, raw in enumerate(files_raw)]
    for f in files:
        if f.kind not in SPECS:
            raise ExchangeError(f"数据包中的文件“{f.name}”类别“{f.kind}”本系统不认识，整个数据包没有导入。"
                                "请确认对方使用的是同一版本的交换格式。", "kind")
    if len({f.kind for f in files}) != len(files):
        raise _refuse("的清单中同一类文件出现了两次")
    departments = _entry(data.get("departments"), "部门表")
    year, months = data.get("year"), data.get("months")
    if not isinstance(year, int) or not (isinstance(months, list) and len(months) == 2
                                         and all(isinstance(m, int) for m in months)):
        raise _refuse("的清单缺少年度或月份范围")
    return PackageManifest(str(data.get("producer", "")), year, (months[0], months[1]),
                           str(data.get("created_at", "")), files, departments)


def _count_rows(body: bytes) -> tuple[int, list[list[str]], list[str]]:
    """The data rows of a package file, as lists of cells, and its header. A data row is a row after the header with
    a non-blank cell, and a totals row at the end (合计 / 总计 in the first column) is not one. The file is read as
    the importer reads it (:func:`csv_cells`); :class:`csv.DictReader` cost a dictionary per row, a fifth of a
    300,000-payment package's import. Raises :class:`UnicodeDecodeError` or :class:`csv.Error`."""
    rows = csv_cells(body.decode("utf-8-sig"))
    if not rows:
        return 0, [], []
    header = rows[0]
    data = [r for r in rows[1:] if r]  # an empty line is no row
    if "" in map(str.strip, map(itemgetter(0), data)):  # some first cell is blank: rows of blank cells are no rows
        data = [r for r in data if any(c.strip() for c in r)]
    if data and data[-1][0].strip() in ("合计", "总计"):
        data.pop()
    return len(data), data, header


def _counted_column(body: bytes, name: str) -> tuple[int, list[str]]:
    """The number of data rows of a package file and the cells of its column ``name`` (stripped; blank where a row
    is short), as :func:`_count_rows` and :func:`_column` give them. A file without quotes is split only up to
    that column, line by line: a million payments' check held every cell (2.3 GB) where it now holds the lines.
    Raises :class:`UnicodeDecodeError` or :class:`csv.Error`."""
    text = body.decode("utf-8-sig")
    lines = plain_lines(text)
    if lines is None:
        count, cells_of_rows, header = _count_rows(body)
        return count, _column(header, name, cells_of_rows)
    del text
    if not lines:
        return 0, []
    header = lines[0].split(",")
    rows = [line for line in lines[1:] if line]  # an empty line is no row
    del lines
    firsts = [line.partition(",")[0] for line in rows]
    if "" in map(str.strip, firsts):  # some first cell is blank: lines of blank cells are no rows
        rows = [line for line in rows if line.replace(",", "").strip()]
        firsts = [line.partition(",")[0] for line in rows]
    if firsts and firsts[-1].strip() in ("合计", "总计"):
        rows.pop()
    if name not in header:
        return len(rows), []
    at = len(header) - 1 - header[::-1].index(name)
    cells = map(str.split, rows, repeat(","), repeat(at + 1))
    return len(rows), [c[at].strip() if at < len(c) else "" for c in cells]


def _column(header: list[str], name: str, data: list[list[str]]) -> list[str]:
    """The cells of the column ``name`` (its last one, if the header names it twice), blank where a row is short."""
    if name not in header:
        return []
    at = len(header) - 1 - header[::-1].index(name)
    return [r[at].strip() if at < len(r) else "" for r in data]


def _departments(header: list[str], data: list[list[str]]) -> list[dict[str, str]]:
    """The rows of the departments file as dictionaries by column name (cells beyond the header left out)."""
    return [dict(zip(header, r + [""] * (len(header) - len(r)), strict=False)) for r in data]


def check_package(path: Path, work: Path) -> tuple[PackageManifest, list[dict[str, str]], set[str]]:
    """Check the package as a whole and unpack it into ``work``.

    Returns the manifest, the departments listed and the department codes the files use.
    Raises :class:`ExchangeError` for a damaged, tampered, incomplete or foreign package.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(f"“{path.name}”不是完整的数据包（zip 文件无法打开：{exc}）。请重新拷贝或索取数据包。",
                            "zip") from exc
    with archive:
        manifest = read_manifest(archive)
        listed = {f.name: f for f in [*manifest.files, manifest.departments]}
        present = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        missing = sorted(set(listed) - set(present))
        if missing:
            raise _refuse("不完整，缺少：" + "、".join(missing))
        extra = sorted(set(present) - set(listed) - {"manifest.json"})
        if extra:
            raise _refuse("中有清单未列出的文件：" + "、".join(extra[:10]))
        if sum(present[n].file_size for n in listed) > MAX_PACKAGE_BYTES:
            raise _refuse("解压后过大")
        used: set[str] = set()
        departments: list[dict[str, str]] = []
        for name, f in listed.items():
            info = present[name]
            if info.file_size != f.size:
                raise _refuse(f"中的“{name}”大小与清单不符（可能被改动或损坏）")
            body = archive.read(info)
            if hashlib.sha256(body).hexdigest() != f.sha256:
                raise _refuse(f"中的“{name}”校验值与清单不符（可能被改动或损坏）")
            try:
                with collector_paused():
                    if name == DEPARTMENTS:
                        rows, data, header = _count_rows(body)
                        departments = _departments(header, data)
                    else:
                        rows, codes = _counted_column(body, "部门编码")
                        used.update(codes)
            except (UnicodeDecodeError, csv.Error):
                raise _refuse(f"中的“{name}”不是 UTF-8 编码的 CSV 文件") from None
            if rows != f.rows:
                raise _refuse(f"中的“{name}”有 {rows} 行，与清单所列 {f.rows} 行不符")
            (work / name).write_bytes(body)
    used.discard("")
    return manifest, departments, used


def import_package(engine: Engine, path: Path, *, hooks: Hooks = install_server_hooks, actor: str = "exchange",
                   register_departments: bool = False, allow_updates: bool = False,
                   progress: Progress | None = None, cancel: threading.Event | None = None) -> PackageImport:
    """Import a district's package: all files or none. Raises :class:`ExchangeError` when refused."""
    work = Path(tempfile.mkdtemp(prefix="renda-exchange-in-"))
    try:
        manifest, listed_departments, used = check_package(path, work)
        outcome = PackageImport(manifest)
        with Session(engine) as session:
            known = set(session.scalars(select(Department.code).where(Department.deleted.is_(False))))
        missing = sorted(used - known)
        names = {d.get("部门编码", ""): d for d in listed_departments}
        if missing and not register_departments:
            shown = "、".join(f"{c}（{names[c].get('部门名称', '')}）" if c in names else c for c in missing[:20])
            raise ExchangeError(f"数据包用到 {len(missing)} 个本系统未登记的部门：{shown}"
                                f"{'等' if len(missing) > 20 else ''}。整个数据包没有导入。请先在“部门单位”中登记这些部门，"
                                "或在导入时选择“同时登记数据包中的部门”。", "departments")
        unlisted = [c for c in missing if c not in names]
        if unlisted:
            raise _refuse("的部门表缺少文件用到的部门：" + "、".join(unlisted[:20]))
        nameless = [c for c in missing if not names[c].get("部门名称", "").strip()]
        if nameless:
            raise _refuse("的部门表中" + "、".join(f"“{c}”" for c in nameless[:20]) + "没有部门名称，无法登记")
        source = f"{manifest.producer or '区人大'}数据包"
        order = sorted(manifest.files, key=lambda f: ORDER.index(f.kind))
        with all_or_nothing(engine, hooks) as factory:
            if missing:
                with factory() as session, session.begin():
                    session.info["actor"] = actor
                    for code in missing:
                        d = names[code]
                        session.add(Department(code=code, name=d.get("部门名称", "")[:120],
                                               parent_code=d.get("上级编码", "")[:20],
                                               domain=d.get("归口专委会", "")[:40]))
                outcome.registered_departments = missing
            for number, f in enumerate(order, 1):

                def step(done: int, total: int, phase: str, title: str = SPECS[f.kind].title,
                         n: int = number) -> None:
                    if progress is not None:
                        progress(done, total, f"{phase}{title}（{n}/{len(order)}）")

                result = import_file(factory, f.kind, work / f.name, actor=actor, progress=step, cancel=cancel,
                                     allow_updates=allow_updates, source=source)
                outcome.results.append(result)
                if result.cancelled:
                    raise LinkCancelled("已取消导入数据包，没有写入任何数据。")
                if not result.ok:
                    raise ExchangeError(f"数据包中的“{f.name}”（{SPECS[f.kind].title}）有问题，整个数据包没有导入。"
                                        "请把下面的问题转告报送单位：", "rows", [result])
        return outcome
    finally:
        shutil.rmtree(work, ignore_errors=True)
