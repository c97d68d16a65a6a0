"""The district exchange package: export → import elsewhere gives the same rows; a bad package changes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.budget.demo import generate
from core.budget.exchange import (
    ExchangeError,
    _column,
    _count_rows,
    _counted_column,
    _departments,
    export_package,
    import_package,
)
from core.budget.importers import SPECS
from core.budget.models import ImportLog
from core.db import make_engine, migrate
from core.models.registry import Department
from tests.budget.helpers import snapshot

YEAR = 2024


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    folder = tmp_path_factory.mktemp("exchange-source")
    engine = make_engine(f"sqlite:///{folder / 'city.sqlite3'}")
    migrate(engine)
    generate(engine, YEAR, 1500, projects=60, departments=12)
    package = folder / "2024.zip"
    export_package(engine, YEAR, package, producer="浦东新区人大常委会")
    return engine, package


@pytest.fixture
def fresh(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'district.sqlite3'}")
    migrate(engine)
    return engine


def rows_of(engine: Engine, kind: str) -> list[tuple[Any, ...]]:
    spec = SPECS[kind]
    model: Any = spec.model
    attrs = [c.attr for c in spec.columns] + list(spec.derived)
    with Session(engine) as s:
        return sorted(tuple(getattr(o, a) for a in attrs)
                      for o in s.scalars(select(model).where(model.year == YEAR, model.deleted.is_(False))))


def rewrite(package: Path, target: Path, change: dict[str, bytes | None], fix_manifest: bool = False) -> Path:
    """Copy a package replacing (or, with None, dropping) members; optionally re-describe them in the manifest."""
    with zipfile.ZipFile(package) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    for name, body in change.items():
        if body is None:
            members.pop(name, None)
        else:
            members[name] = body
    if fix_manifest:
        manifest = json.loads(members["manifest.json"])
        for f in [*manifest["files"], manifest["departments"]]:
            if f["name"] in change and change[f["name"]] is not None:
                body = members[f["name"]]
                f["sha256"], f["size"] = hashlib.sha256(body).hexdigest(), len(body)
        members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(target, "w") as out:
        for name, body in members.items():
            out.writestr(name, body)
    return target


def member(package: Path, name: str) -> bytes:
    with zipfile.ZipFile(package) as archive:
        return archive.read(name)


def test_package_lists_every_file_with_counts_and_checksums(source: tuple[Engine, Path]) -> None:
    _, package = source
    manifest = json.loads(member(package, "manifest.json"))
    assert manifest["format"] == "renda-budget-exchange/1" and manifest["year"] == YEAR
    assert manifest["producer"] == "浦东新区人大常委会" and manifest["period"] == "2024年全年"
    kinds = {f["kind"]: f for f in manifest["files"]}
    assert {"codes", "indicators", "plans", "payments", "tax", "social", "assets", "audit"} <= set(kinds)
    assert kinds["payments"]["rows"] == 1500
    body = member(package, "payments.csv")
    assert hashlib.sha256(body).hexdigest() == kinds["payments"]["sha256"]
    assert body.decode("utf-8-sig").splitlines()[0].split(",") == list(SPECS["payments"].headers)
    assert body.decode("utf-8-sig").splitlines()[-1].startswith("合计,")


def test_round_trip_gives_the_same_rows_and_again_changes_nothing(source: tuple[Engine, Path],
                                                                  fresh: Engine) -> None:
    city, package = source
    with pytest.raises(ExchangeError, match="未登记的部门"):
        import_package(fresh, package)
    done = import_package(fresh, package, register_departments=True)
    assert len(done.registered_departments) == 12 and "新增" in done.summary()
    for kind in ("codes", "indicators", "plans", "payments", "tax", "social", "assets", "audit"):
        assert rows_of(fresh, kind) == rows_of(city, kind), kind
    before = snapshot(fresh)
    again = import_package(fresh, package)
    assert sum(r.inserted + r.updated for r in again.results) == 0
    after = snapshot(fresh)
    for volatile in ("bgt_import_log", "sync_counter"):
        before.pop(volatile), after.pop(volatile)
    assert after == before


def test_period_package_holds_only_those_months(source: tuple[Engine, Path], tmp_path: Path) -> None:
    city, _ = source
    manifest = export_package(city, YEAR, tmp_path / "h1.zip", producer="市人大", months=(1, 6))
    assert manifest.period == "2024年1–6月"
    pays = member(tmp_path / "h1.zip", "payments.csv").decode("utf-8-sig").splitlines()[1:-1]
    months = {int(line.split(",")[3][5:7]) for line in pays}
    assert months and months <= set(range(1, 7))
    with pytest.raises(ExchangeError, match="月份范围"):
        export_package(city, YEAR, tmp_path / "bad.zip", producer="市人大", months=(7, 3))


@pytest.mark.parametrize(("change", "fix", "message"), [
    ({"payments.csv": None}, False, "不完整，缺少：payments.csv"),
    ({"extra.csv": b"x"}, False, "清单未列出的文件"),
    ({"manifest.json": None}, False, "缺少清单文件"),
    ({"manifest.json": b"{not json"}, False, "无法读取"),
])
def test_incomplete_or_foreign_package_is_refused(source: tuple[Engine, Path], fresh: Engine, tmp_path: Path,
                                                  change: dict[str, bytes | None], fix: bool, message: str) -> None:
    bad = rewrite(source[1], tmp_path / "bad.zip", change, fix)
    before = snapshot(fresh)
    with pytest.raises(ExchangeError, match=message) as refused:
        import_package(fresh, bad, register_departments=True)
    assert "整个数据包没有导入" in str(refused.value)
    assert snapshot(fresh) == before


def test_tampered_file_is_refused(source: tuple[Engine, Path], fresh: Engine, tmp_path: Path) -> None:
    body = member(source[1], "payments.csv").decode("utf-8-sig")
    lines = body.splitlines()
    cells = lines[1].split(",")
    cells[6] = "99999999.00"
    lines[1] = ",".join(cells)
    edited = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    before = snapshot(fresh)
    with pytest.raises(ExchangeError, match=r"(校验值|大小)与清单不符"):
        import_package(fresh, rewrite(source[1], tmp_path / "t.zip", {"payments.csv": edited}),
                       register_departments=True)
    dropped = ("\ufeff" + "\r\n".join(lines[:1] + lines[2:]) + "\r\n").encode()
    with pytest.raises(ExchangeError, match="行，与清单所列"):
        import_package(fresh, rewrite(source[1], tmp_path / "r.zip", {"payments.csv": dropped}, fix_manifest=True),
                       register_departments=True)
    assert snapshot(fresh) == before


def test_a_row_longer_than_the_header_is_named_not_a_crash(source: tuple[Engine, Path], fresh: Engine,
                                                            tmp_path: Path) -> None:
    lines = member(source[1], "payments.csv").decode("utf-8-sig").splitlines()
    width = lines[0].count(",") + 1
    lines.insert(2, "," * width + "多出的单元格")  # every cell empty, and one more than the header has
    body = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    counted = rewrite(source[1], tmp_path / "long.zip", {"payments.csv": body}, fix_manifest=True)
    before = snapshot(fresh)
    with pytest.raises(ExchangeError, match="行，与清单所列"):  # the row counts, so the manifest's count is short
        import_package(fresh, counted, register_departments=True)
    manifest = json.loads(member(counted, "manifest.json"))
    for f in manifest["files"]:
        f["rows"] += f["name"] == "payments.csv"
    listed = rewrite(counted, tmp_path / "listed.zip", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(ExchangeError) as refused:
        import_package(fresh, listed, register_departments=True)
    assert refused.value.reason == "rows"
    assert "第 3 行" in refused.value.report()
    assert snapshot(fresh) == before


def test_bad_rows_in_a_later_file_roll_back_the_whole_package(source: tuple[Engine, Path], fresh: Engine,
                                                               tmp_path: Path) -> None:
    lines = member(source[1], "audit.csv").decode("utf-8-sig").splitlines()
    cells = lines[2].split(",")
    cells[0] = "二〇二四"
    lines[2] = ",".join(cells)
    body = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    bad = rewrite(source[1], tmp_path / "rows.zip", {"audit.csv": body}, fix_manifest=True)
    before = snapshot(fresh)
    with pytest.raises(ExchangeError) as refused:
        import_package(fresh, bad, register_departments=True)
    assert refused.value.reason == "rows"
    assert "第 3 行，“年度”列" in refused.value.report()
    assert snapshot(fresh) == before
    with Session(fresh) as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 0
        assert s.scalar(select(func.count()).select_from(ImportLog)) == 0


def test_not_a_zip_is_refused(fresh: Engine, tmp_path: Path) -> None:
    junk = tmp_path / "x.zip"
    junk.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ExchangeError, match="不是完整的数据包"):
        import_package(fresh, junk)


def test_a_package_can_carry_projects_changes_and_applications(source: tuple[Engine, Path], fresh: Engine,
                                                               tmp_path: Path) -> None:
    city, _ = source
    kinds = ("codes", "projects", "indicators", "indicator_changes", "plans", "applications", "payments")
    package = tmp_path / "full.zip"
    manifest = export_package(city, YEAR, package, producer="市财政局", kinds=kinds)
    assert [f.kind for f in manifest.files] == list(kinds)
    outcome = import_package(fresh, package, register_departments=True)
    assert [r.kind for r in outcome.results] == list(kinds) and all(r.ok for r in outcome.results)
    for kind in ("projects", "indicator_changes", "applications", "payments"):
        assert rows_of(fresh, kind) == rows_of(city, kind) and rows_of(fresh, kind), kind


def _dict_reader_count(body: bytes) -> tuple[int, set[str], list[dict[str, Any]]]:
    """The package check's earlier reading, by :class:`csv.DictReader`: the reference for :func:`_count_rows`."""
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))

    def text(value: Any) -> str:
        return "".join(value) if isinstance(value, list) else value or ""

    data = [r for r in rows if any(text(v).strip() for v in r.values())]
    if data and text(next(iter(data[-1].values()), "")).strip() in ("合计", "总计"):
        data = data[:-1]
    return len(data), {text(r.get("部门编码")).strip() for r in data}, data


_CELL = st.one_of(st.sampled_from(["", " ", "D001", " D002 ", "合计", "总计", "1,5", 'a"b', "多行\n文字", "\u3000"]),
                  st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6))


@given(header=st.lists(st.sampled_from(["部门编码", "年度", "金额", "名称", "备注"]), min_size=1, max_size=5,
                       unique=True),
       rows=st.lists(st.lists(_CELL, max_size=7), max_size=12), crlf=st.booleans(), bom=st.booleans())
def test_the_package_check_counts_rows_and_departments_as_the_csv_dict_reader_did(
        header: list[str], rows: list[list[str]], crlf: bool, bom: bool) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([header, *rows])
    body = (("\ufeff" if bom else "") + buffer.getvalue()).encode()
    try:
        expected = _dict_reader_count(body)
    except csv.Error:
        with pytest.raises(csv.Error):
            _count_rows(body)
        return
    count, data, read_header = _count_rows(body)
    assert count == expected[0]
    assert _counted_column(body, "部门编码") == (count, _column(read_header, "部门编码", data))
    assert set(_column(read_header, "部门编码", data)) - {""} == expected[1] - {""}  # a blank code is no department
    assert [{k: v or "" for k, v in r.items() if k is not None} for r in expected[2]] == \
        _departments(read_header, data)


_PLAIN_CELL = st.one_of(st.sampled_from(["", " ", "D001", " D002 ", "合计", "总计", "\u3000", "\t"]),
                        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                                                       exclude_characters='",\r\n'), max_size=6))


@given(header=st.lists(st.sampled_from(["部门编码", "年度", "金额", "名称", "部门编码"]), min_size=1, max_size=5),
       rows=st.lists(st.lists(_PLAIN_CELL, max_size=7), max_size=12), crlf=st.booleans(), bom=st.booleans(),
       end=st.booleans())
def test_a_file_without_quotes_is_counted_line_by_line_as_the_whole_check_counts_it(
        header: list[str], rows: list[list[str]], crlf: bool, bom: bool, end: bool) -> None:
    """The package check's line-by-line count and department codes (empty lines, lines of blank cells, short
    lines, a totals line, a column named twice) against the reading of every cell."""
    newline = "\r\n" if crlf else "\n"
    text = newline.join(",".join(cells) for cells in [header, *rows]) + (newline if end else "")
    body = (("\ufeff" if bom else "") + text).encode()
    count, data, read_header = _count_rows(body)
    assert _counted_column(body, "部门编码") == (count, _column(read_header, "部门编码", data))
    assert _counted_column(body, "不存在的列") == (count, [])


def test_a_department_listed_without_its_name_is_refused_not_registered_blank(
        source: tuple[Engine, Path], fresh: Engine, tmp_path: Path) -> None:
    lines = member(source[1], "departments.csv").decode("utf-8-sig").splitlines()
    code = lines[1].split(",")[0]
    lines[1] = code  # the row ends after the code: no name, parent or committee
    body = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    short = rewrite(source[1], tmp_path / "short.zip", {"departments.csv": body}, fix_manifest=True)
    before = snapshot(fresh)
    with pytest.raises(ExchangeError, match=f"部门表中“{code}”没有部门名称"):
        import_package(fresh, short, register_departments=True)
    assert snapshot(fresh) == before
