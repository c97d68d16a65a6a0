"""The import templates shipped in ``resources/budget``: one CSV and one Excel file per bureau file.

Regenerate with ``python -m core.budget.importers.templates resources/budget``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from core.budget.importers.specs import SPECS, FileSpec

KIND_LABELS = {"text": "文字", "fen": "金额（元，最多两位小数）", "year": "年份", "month": "月份 1–12",
               "month0": "月份 0–12（0 为全年）", "date": "日期 年-月-日", "book": "预算类型", "dept": "部门编码",
               "choice": "从可选值中选择", "indicator": "预算指标编号（须已导入）",
               "codekind": "科目类别"}


def _kind_label(kind: str) -> str:
    if kind.startswith("code:"):
        return "科目代码（须在该年度科目表中）"
    return KIND_LABELS.get(kind, kind)


def write_csv_template(spec: FileSpec, path: Path) -> None:
    """A UTF-8 (with BOM, so Excel opens it right) CSV holding only the header row."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerow(spec.headers)


def write_xlsx_template(spec: FileSpec, path: Path) -> None:
    """An Excel template: the data sheet with the header (cells formatted as text, so amounts stay exact)
    and a “填写说明” sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = spec.title[:31]
    sheet.append(list(spec.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for col_idx in range(1, len(spec.columns) + 1):
        letter = sheet.cell(row=1, column=col_idx).column_letter
        sheet.column_dimensions[letter].width = 18
        for row in range(2, 202):
            sheet.cell(row=row, column=col_idx).number_format = "@"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "内容", "说明"])
    for col in spec.columns:
        hint = col.hint or ("可选值：" + "、".join(col.choices) if col.choices else "")
        notes.append([col.header, "必填" if col.required else "可空", _kind_label(col.kind), hint])
    notes.append([])
    notes.append([f"报送单位：{spec.bureau}。每行一条记录，第一行是表头，请勿改动。"])
    if spec.totals:
        notes.append(["可在最后一行的第一列填“合计”，并填写各金额列的合计数，系统会核对合计是否等于各行之和。"])
    notes.append(["导入时整个文件一并检查；有任何一处问题，整个文件都不会导入，系统逐行说明问题和改法。"])
    notes.append(["同一文件重复导入不会产生重复数据。"])
    workbook.save(path)


def write_templates(folder: Path) -> list[Path]:
    """Write every template into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, spec in SPECS.items():
        csv_path, xlsx_path = folder / f"{kind}.csv", folder / f"{kind}.xlsx"
        write_csv_template(spec, csv_path)
        write_xlsx_template(spec, xlsx_path)
        written += [csv_path, xlsx_path]
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/budget")):
        print(p)
