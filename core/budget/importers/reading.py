"""Reading a bureau's CSV or Excel file into rows of text, and turning text into exact values."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any


class ValueProblem(ValueError):
    """A cell that cannot be read: ``what`` says what is wrong, ``todo`` what the clerk should do."""

    def __init__(self, what: str, todo: str) -> None:
        super().__init__(what)
        self.what = what
        self.todo = todo


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows of a ``.csv`` (UTF-8, with or without BOM, or GB18030) or ``.xlsx`` file.

    Each data row comes with its row number as the clerk sees it in the file (header is row 1).
    Fully empty rows are skipped.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() != ".csv":
        raise ValueProblem(f"不支持的文件类型“{path.suffix}”", "请使用模板提供的 .xlsx 或 .csv 文件")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValueProblem("文件编码无法识别", "请用模板另存为 UTF-8 编码的 CSV")
    rows = list(csv.reader(io.StringIO(text)))
    return _split(rows)


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _split(rows)


def _split(rows: list[list[str]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not rows:
        raise ValueProblem("文件是空的", "请在模板的第一行保留表头，从第二行开始填写数据")
    header = [h.strip() for h in rows[0]]
    data = [(i, [c.strip() for c in r]) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    return header, data


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


_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


def parse_fen(text: str) -> int:
    """An amount in yuan (``1,234.56``, ``-5``, ``1234.5``) as integer fen, exactly; at most two decimals."""
    if text.isascii():  # the common case (plain digits, a sign, a point) without Decimal: a million rows a file
        body = text[1:] if text[:1] == "-" else text
        whole, point, frac = body.partition(".")
        if whole.isdigit() and (not point or (frac.isdigit() and len(frac) <= 2)):
            fen = int(whole) * 100 + (int(frac.ljust(2, "0")) if point else 0)
            return -fen if body is not text else fen
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("¥", "").replace("￥", "")
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    if not _AMOUNT.match(cleaned):
        raise ValueProblem(f"金额“{text}”不是有效的元金额",
                           "请填写以元为单位的数字，最多两位小数，例如 12345.67，不要带文字")
    return int(Decimal(cleaned) * 100)


def parse_int(text: str, low: int, high: int, label: str) -> int:
    """An integer within ``low``..``high``."""
    try:
        value = int(text)
    except ValueError:
        raise ValueProblem(f"{label}“{text}”不是整数", f"请填写 {low} 到 {high} 之间的整数") from None
    if not low <= value <= high:
        raise ValueProblem(f"{label}“{text}”超出范围", f"请填写 {low} 到 {high} 之间的整数")
    return value


def parse_date(text: str) -> date:
    """A date as ``2025-03-05``, ``2025/3/5`` or ``20250305``."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        with contextlib.suppress(ValueError):  # the common case, checked by the C parser
            return date.fromisoformat(text)
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    try:
        if re.fullmatch(r"\d{8}", cleaned):
            return date(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]))
        parts = [int(p) for p in cleaned.split("-")]
        if len(parts) == 3:
            return date(*parts)
    except ValueError:
        pass
    raise ValueProblem(f"日期“{text}”无法识别", "请按“年-月-日”填写，例如 2025-03-05")
