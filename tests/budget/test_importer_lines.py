"""A file kept as its lines (:func:`read_lines`, the second process's reading) gives the rows, columns, years,
row numbers and problems that the reading of every cell gives (:func:`read_file`), on any file: the lines are
kept only for a quote-free file whose rows all have the header's width, and any other file is read cell by cell."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.budget.importers import SPECS, reading
from core.budget.importers.engine import ImportResult, _rownos, _years, read_file, read_lines
from core.budget.importers.reading import SPLIT_LINES, PlainRows

SPEC = SPECS["plans"]
"""A file with a year column and a totals row."""

_CELL = st.one_of(st.sampled_from(["2024", "2025", " 2024 ", "", " ", "合计", "总计", "abc", "12.5"]),
                  st.text(alphabet=st.sampled_from(list("ab 1收")), max_size=4))
_DAMAGE = st.sampled_from(["收款,人", 'a"b', '"a"', ",", "a\rb", "a\x00b"])
"""A cell that shifts its row's columns or needs the CSV reader: one in some files."""


@st.composite
def _files(draw: st.DrawFn) -> str:
    header = list(SPEC.headers)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header = header[1:]  # a column missing
    width = len(header)
    lines = [draw(st.sampled_from(["", "用款计划表", "单位：元"])) for _ in range(draw(st.integers(0, 2)))]
    lines.append(",".join(header) + draw(st.sampled_from(["", "", ",", ",,"])))
    for _ in range(draw(st.integers(0, 8))):
        cells = draw(st.lists(_CELL, min_size=width, max_size=width))
        if draw(st.integers(0, 6)) == 0:
            cells = cells[:draw(st.integers(0, width))] + draw(st.lists(_CELL, max_size=2))
        lines.append(",".join(cells))
    if draw(st.booleans()):
        label = draw(st.sampled_from(["合计", " 合计 ", "总计", "小计"]))
        lines.append(",".join([label, *draw(st.lists(_CELL, min_size=width - 1, max_size=width - 1))]))
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += draw(_DAMAGE)
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(lines) + draw(st.sampled_from(["", end]))


def _both(text: str, bom: bool) -> tuple[Any, Any, ImportResult, ImportResult]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plans.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        by_cells, by_lines = ImportResult("plans", path.name), ImportResult("plans", path.name)
        return read_file(SPEC, path, by_cells), read_lines(SPEC, path, by_lines), by_cells, by_lines


@settings(max_examples=400, deadline=None)
@given(text=_files(), bom=st.booleans(), block=st.integers(1, 4))
def test_a_file_kept_as_lines_reads_as_the_file_read_cell_by_cell(text: str, bom: bool, block: int) -> None:
    reading.SPLIT_LINES = block  # a part's lines split a block at a time, as a whole file of a re-import is
    try:
        cells, lines, by_cells, by_lines = _both(text, bom)
        _compare(cells, lines, by_cells, by_lines)
    finally:
        reading.SPLIT_LINES = SPLIT_LINES


def _compare(cells: Any, lines: Any, by_cells: ImportResult, by_lines: ImportResult) -> None:
    assert by_lines.problems == by_cells.problems
    assert by_lines.rows == by_cells.rows
    if cells is None:
        assert lines is None
        return
    assert lines is not None
    data, positions, issues, totals = cells
    kept = lines[0]
    assert lines[1:] == (positions, issues, totals)
    assert kept[0:len(kept)] == data
    assert len(kept) == len(data)
    assert _years(kept, positions) == _years(data, positions)
    assert _rownos(kept) == _rownos(data)
    if isinstance(kept, PlainRows):
        for start, size in ((0, 3), (2, 5), (len(data), 3), (0, len(data))):
            rownos, table = kept.columns(start, size)
            part = data[start:start + size]
            assert rownos == [rowno for rowno, _ in part]
            assert table == [list(column) for column in zip(*(cells for _, cells in part), strict=True)]


def test_an_exported_file_is_kept_as_lines_and_any_other_is_read_cell_by_cell() -> None:
    header = ",".join(SPEC.headers)
    row = ",".join("2024" if h == "年度" else "1" for h in SPEC.headers)
    _, lines, _, _ = _both(f"{header}\r\n{row}\r\n{row}\r\n", bom=True)
    assert isinstance(lines[0], PlainRows) and len(lines[0]) == 2 and lines[0].first == 2
    for other in (f'{header}\n"{row}"\n', f"{header}\n\n{row}\n", f"{header}\n{row},x\n", f"{header}\n,{row}\n"):
        _, lines, _, _ = _both(other, bom=False)
        assert lines is None or isinstance(lines[0], list)
