"""Reading a bureau's CSV or Excel file into rows of text, and turning text into exact values.

A file is recognised by its content, not its name: an Excel workbook (``.xlsx``, a ZIP container), an old
Excel file or a password-protected workbook (both an OLE container), or text (CSV). A file that is not what
its name says, is damaged, truncated, empty or locked ends in a :class:`ValueProblem` a clerk can act on.
CSV text is read as UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030 (which includes GBK and GB2312).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from operator import itemgetter, mul
from pathlib import Path
from typing import Any


class ValueProblem(ValueError):
    """A cell that cannot be read: ``what`` says what is wrong, ``todo`` what the clerk should do."""

    def __init__(self, what: str, todo: str) -> None:
        super().__init__(what)
        self.what = what
        self.todo = todo


Rows = list[tuple[int, list[str]]]
"""Non-empty rows of a file with their row numbers as the clerk sees them (the first row is 1)."""

_ZIPS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）文件，再重新导入"


def read_rows(path: Path) -> Rows:
    """Every row of a ``.csv`` or ``.xlsx`` file with a non-blank cell. Cells may carry surrounding blanks (a
    million rows are stripped column by column where they are used: :func:`strip`)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise ValueProblem(f"不支持的文件类型“{path.suffix}”", "请使用模板提供的 .xlsx 或 .csv 文件")
    raw = path.read_bytes()
    if not raw:
        raise ValueProblem("文件是空的（0 字节），可能在复制或下载时没有完整保存",
                           "请向报送单位重新索取文件，或用模板重新填写后导入")
    if raw.startswith(_OLE):
        if _encrypted(raw):
            raise ValueProblem("文件设有打开密码，系统无法读取",
                               "请在 Excel 中用密码打开，在“文件—信息—保护工作簿—用密码进行加密”中清空密码并保存，"
                               "再重新导入")
        raise ValueProblem("这是旧版 Excel（.xls）文件或其他 Office 文件，不是 .xlsx 工作簿", _SAVE_AS)
    if raw[:4] in _ZIPS:
        if suffix == ".csv":
            raise ValueProblem("文件扩展名是 .csv，内容却是 Excel 工作簿", "请把扩展名改为 .xlsx 后重新导入，或另存为 CSV")
        return _read_xlsx(path)
    if suffix != ".csv":
        if _looks_like_text(raw):
            raise ValueProblem(f"文件扩展名是 {suffix}，内容却是文本（CSV）",
                               "请把扩展名改为 .csv 后重新导入，或在 Excel 中打开后另存为 .xlsx")
        raise ValueProblem("文件不是有效的 Excel 工作簿（可能已损坏，或不是 Excel 文件）", _SAVE_AS)
    return _read_csv(raw)


def _encrypted(raw: bytes) -> bool:
    """An OLE container holding an encrypted OOXML package (Excel's “用密码进行加密”)."""
    return "EncryptedPackage".encode("utf-16-le") in raw or "EncryptionInfo".encode("utf-16-le") in raw


def _looks_like_text(raw: bytes) -> bool:
    try:
        text = _decode(raw)
    except ValueProblem:
        return False
    return "\x00" not in text


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(encoding)
    raise ValueProblem("文件编码无法识别，或文件不是文本（CSV）文件",
                       "请在 Excel 或 WPS 中打开后另存为“CSV UTF-8（逗号分隔）”或 .xlsx 文件，再重新导入")


def _read_csv(raw: bytes) -> Rows:
    text = _decode(raw)
    if "\x00" in text:
        raise ValueProblem("文件中有无法识别的二进制内容，不是正常的 CSV 文本文件",
                           "请在 Excel 或 WPS 中打开后另存为“CSV UTF-8（逗号分隔）”或 .xlsx 文件，再重新导入")
    plain = _split_plain(text)
    if plain is not None:  # no quotes: a line is a row, its commas the cell boundaries
        every: list[list[str]] = plain
        numbered: Any = enumerate(every, start=1)
    else:
        reader = csv.reader(io.StringIO(text))
        try:
            every = list(reader)
            if reader.line_num == len(every):  # no cell spans lines: a row's number is its position
                numbered = enumerate(every, start=1)
            else:  # count lines as the clerk's editor shows them
                reader = csv.reader(io.StringIO(text))
                numbered = [(reader.line_num, cells) for cells in reader]
        except csv.Error as exc:
            raise ValueProblem(f"第 {reader.line_num} 行附近的 CSV 格式有误（{_csv_reason(exc)}）",
                               "请检查引号是否成对；或用模板在 Excel 中另存为 CSV 后重新导入") from None
    try:  # the common case, checked without a Python loop: every row's first cell is filled in
        full = "" not in map(str.strip, map(itemgetter(0), every))
    except IndexError:  # an empty line
        full = False
    rows: Rows = list(numbered) if full else [
        (n, cells) for n, cells in numbered if cells and (cells[0].strip() or "".join(cells).strip())]
    if not rows:
        raise ValueProblem("文件是空的", "请在模板的第一行保留表头，从第二行开始填写数据")
    return rows


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file's millions of cells and short-lived tuples are made: the collector
    would walk them again and again (it doubled the time of reading a 300,000-row file) and finds no cycles there."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def csv_cells(text: str) -> list[list[str]]:
    """Every line's cells (an empty line: no cells), as the CSV reader gives them: a text without quotes split at
    its line ends and commas (:func:`_split_plain`), any other by the reader, which raises :class:`csv.Error`."""
    plain = _split_plain(text)
    return plain if plain is not None else list(csv.reader(io.StringIO(text, newline="")))


def _split_plain(text: str) -> list[list[str]] | None:
    """The rows of CSV text without a quote character, as :mod:`csv` reads them, by splitting lines at commas
    (a few C calls instead of the CSV state machine per character); None when the text needs the CSV reader:
    it quotes a cell, mixes line ends, holds a carriage return other than at a line end (the reader refuses it) or
    a cell longer than the reader allows."""
    lines = plain_lines(text)
    if lines is None:
        return None
    rows = list(map(str.split, lines, repeat(",")))
    if "" in lines:  # an empty line is a row without cells
        rows = [cells if line else [] for line, cells in zip(lines, rows, strict=True)]
    return rows


def plain_lines(text: str) -> list[str] | None:
    """The lines of CSV text without a quote character, each one row whose cells its commas separate (the last
    line break taken off); None when the text needs the CSV reader (:func:`_split_plain`)."""
    if '"' in text:
        return None
    if "\r" in text:  # Windows line ends: every line break must be one
        lines = text.split("\r\n")
        if text.count("\r") != len(lines) - 1 or text.count("\n") != len(lines) - 1:
            return None
    else:
        lines = text.split("\n")
    if lines[-1] == "":  # the line break that ends the last line
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


class PlainRows:
    """The data rows of a CSV file without quotes, kept as its lines and split into cells a part at a time: a
    million payments held as a million lines instead of sixteen million cells, which a second process checking
    the file part by part (:mod:`.helper`) would otherwise make all at once before the first part. Every line is
    a row (none is empty), so a row's number is its line's."""

    def __init__(self, lines: list[str], first: int) -> None:
        self.lines = lines
        self.first = first
        """The row number of ``lines[0]``."""

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, part: slice) -> Rows:
        """The rows of ``part`` with their cells, as :func:`read_rows` gives them."""
        start, stop, _ = part.indices(len(self.lines))
        cells = map(str.split, self.lines[start:stop], repeat(","))
        return list(zip(range(self.first + start, self.first + max(start, stop)), cells, strict=True))

    def columns(self, start: int, size: int) -> tuple[list[int], list[list[str]]]:
        """The row numbers and the cells, column by column, of the part of ``size`` rows from ``start`` (every
        row as wide as the first: :meth:`as_wide_as`). The part's lines are split at once, as one text: no list
        of cells is made for each row."""
        lines = self.lines[start:start + size]
        rownos = list(range(self.first + start, self.first + start + len(lines)))
        if not lines:
            return rownos, []
        width = lines[0].count(",") + 1
        columns: list[list[str]] = [[] for _ in range(width)]
        for at in range(0, len(lines), SPLIT_LINES):  # the whole file (a re-import) a block at a time
            cells = ",".join(lines[at:at + SPLIT_LINES]).split(",")
            for i, column in enumerate(columns):
                column += cells[i::width]
        return rownos, columns

    def rownos(self) -> list[int]:
        return list(range(self.first, self.first + len(self.lines)))

    def column(self, index: int) -> list[str]:
        """Every row's cell at ``index`` (each line split only up to it)."""
        return list(map(itemgetter(index), map(str.split, self.lines, repeat(","), repeat(index + 1))))

    def as_wide_as(self, width: int) -> bool:
        """Whether every row has exactly ``width`` cells."""
        return set(map(str.count, self.lines, repeat(","))) <= {width - 1}


SPLIT_LINES = 100_000
"""Lines joined and split at a time by :meth:`PlainRows.columns` (about 40 MB of text for payments)."""


def plain_file_lines(path: Path) -> list[str] | None:
    """The lines of a ``.csv`` file read as :func:`read_rows` reads it, when it holds no quote and no empty line
    and every row's first cell is filled in (every file the suite exports): then a line is a row and its number
    the line's. None for any other file (an Excel workbook, a quoted or damaged file, one with empty lines),
    which :func:`read_rows` reads, or refuses with its message."""
    if path.suffix.lower() != ".csv":
        return None
    raw = path.read_bytes()
    if raw.startswith(_OLE) or raw[:4] in _ZIPS:
        return None
    try:
        text = _decode(raw)
    except ValueProblem:
        return None
    del raw
    if "\x00" in text:
        return None
    lines = plain_lines(text)
    del text
    if not lines or "" in map(str.strip, map(itemgetter(0), map(str.split, lines, repeat(","), repeat(1)))):
        return None
    return lines


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger" in text:
        return "某个单元格过长，多半是引号没有配对"
    if "NUL" in text:
        return "含有二进制内容"
    return "引号或分隔符不配对"


def _read_xlsx(path: Path) -> Rows:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise ValueProblem("Excel 文件已损坏或不完整（可能在复制、下载或邮件传送时被截断）",
                           "请向报送单位重新索取文件，或在 Excel 中打开后另存为 .xlsx 再导入") from None
    except Exception:  # openpyxl raises many kinds of errors on a package that is not a workbook
        raise ValueProblem("文件不是有效的 Excel 工作簿（可能已损坏，或是其他软件的文件）", _SAVE_AS) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ValueProblem("Excel 文件中没有工作表", "请使用模板填写后重新导入")
        rows: Rows = []
        width = 0
        for number, values in enumerate(sheets[0].iter_rows(values_only=True), start=1):
            cells = [_cell_text(v).strip() for v in values]
            if any(cells):
                rows.append((number, cells))
                width = max(width, len(cells))
    except ValueProblem:
        raise
    except Exception:  # a damaged sheet inside a readable package
        raise ValueProblem("Excel 文件已损坏，工作表内容无法读取",
                           "请向报送单位重新索取文件，或在 Excel 中打开后另存为 .xlsx 再导入") from None
    finally:
        workbook.close()
    if not rows:
        raise ValueProblem("文件是空的", "请在模板的第一行保留表头，从第二行开始填写数据")
    for _number, cells in rows:  # a worksheet has no cell count: every row is as wide as the sheet
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
    return rows


def strip(cells: list[str] | tuple[str, ...]) -> list[str]:
    """Cells without surrounding blanks."""
    return list(map(str.strip, cells))


def _cell_text(value: Any) -> str:
    """An Excel cell as text. Numbers typed as numbers come back as floats: their shortest decimal form is
    used (``1234.56`` → ``"1234.56"``), never binary arithmetic."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


_AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")


def parse_fen(text: str) -> int:
    """An amount in yuan (``1,234.56``, ``-5``, ``1234.5``) as integer fen, exactly; at most two decimals."""
    if text.isascii():  # the common case (plain digits, a sign, a point) without Decimal: a million rows a file
        body = text[1:] if text[:1] == "-" else text
        whole, point, frac = body.partition(".")
        if whole.isdigit() and len(whole) <= _MAX_DIGITS and (not point or (frac.isdigit() and len(frac) <= 2)):
            fen = int(whole) * 100 + (int(frac.ljust(2, "0")) if point else 0)
            return -fen if body is not text else fen
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("¥", "").replace("￥", "")
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    if not _AMOUNT.match(cleaned):
        raise ValueProblem(f"金额“{_short(text)}”不是有效的元金额",
                           "请填写以元为单位的数字，最多两位小数，例如 12345.67，不要带文字")
    if len(cleaned.lstrip("-").partition(".")[0]) > _MAX_DIGITS:
        raise ValueProblem(f"金额“{_short(text)}”过大", "请核对金额，金额以元为单位，最多 15 位整数")
    return int(Decimal(cleaned) * 100)


_PLAIN_AMOUNTS = re.compile(r"(?:-?[0-9]{1,11}(?:\.[0-9]{1,2})?\n)*")
_HUNDRED = repeat(100)


def parse_fen_column(texts: tuple[str, ...] | list[str]) -> list[int]:
    """:func:`parse_fen` of every cell of a column. When every cell is a plain amount (digits, a sign, at most
    two decimals, below 1000 亿元, as exports write them; checked by one pattern over the whole column), the
    amounts are converted without a Python call per cell: ``round(float(text) * 100)`` is exact there, the error
    of a float being below a thousandth of a fen. Otherwise cell by cell."""
    if _PLAIN_AMOUNTS.fullmatch("\n".join(texts) + "\n"):
        try:
            return list(map(round, map(mul, map(float, texts), _HUNDRED)))
        except ValueError:  # a cell holding a line break slipped through the pattern
            pass
    return list(map(parse_fen, texts))


_MAX_DIGITS = 15
"""At most 999 万亿元: far above any budget, and well inside the database's 64-bit integers of fen."""


def _short(text: str, limit: int = 40) -> str:
    """A cell quoted in a message, cut short when it is long."""
    return text if len(text) <= limit else text[:limit] + "…"


def parse_int(text: str, low: int, high: int, label: str) -> int:
    """An integer within ``low``..``high``."""
    try:
        value = int(text)
    except ValueError:
        raise ValueProblem(f"{label}“{_short(text)}”不是整数", f"请填写 {low} 到 {high} 之间的整数") from None
    if not low <= value <= high:
        raise ValueProblem(f"{label}“{_short(text)}”超出范围", f"请填写 {low} 到 {high} 之间的整数")
    return value


def parse_date(text: str) -> date:
    """A date as ``2025-03-05``, ``2025/3/5`` or ``20250305``."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        with contextlib.suppress(ValueError):  # the common case, checked by the C parser
            return date.fromisoformat(text)
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    try:
        if re.fullmatch(r"[0-9]{8}", cleaned):
            return date(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]))
        parts = [int(p) for p in cleaned.split("-")] if len(cleaned) <= 12 else []
        if len(parts) == 3:
            return date(*parts)
    except (ValueError, OverflowError):
        pass
    raise ValueProblem(f"日期“{_short(text)}”无法识别", "请按“年-月-日”填写，例如 2025-03-05")
