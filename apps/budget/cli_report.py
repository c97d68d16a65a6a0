"""``renda budget report``: write the execution report (智能执行报告) of a month or a quarter as PDF and Word.

``renda budget report --year 2024 --period 2024-09|2024-Q3 --out DIR [--format pdf,docx] [--db URL]`` calls
:func:`core.budget.report.generate_report` — the same generator the report page uses — and prints the paths
it wrote, one per line, so a script or a scheduled job can pick them up. Bad input is refused with a Chinese
message and exit code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

FORMAT_NAMES = {"pdf": "pdf", "docx": "docx", "word": "docx"}


def add_to(budget_subparsers: Any) -> None:
    """Add the ``report`` sub-command to the sub-parsers of ``renda budget``."""
    report = budget_subparsers.add_parser(
        "report", help="生成月度或季度预算执行报告（PDF、Word）",
        description="按月（2024-09）或按季度（2024-Q3）生成预算执行报告，输出 PDF 和/或 Word 文件并打印文件路径",
        epilog=examples(
            ("renda budget report --year 2024 --period 2024-Q3 --out 报告", "第三季度，PDF 和 Word 都输出到“报告”文件夹"),
            ("renda budget report --year 2024 --period 2024-09 --out 报告 --format pdf --db sqlite:////var/lib/renda/renda.sqlite3",
             "9 月份，只要 PDF；数据库是绝对路径的 SQLite 文件（sqlite: 后四个斜杠）"),
            ("renda budget report --year 2024 --period 2024-Q4 --out 报告 --number 沪人大预工〔2025〕3号",
             "用正式发文字号")))
    report.add_argument("--year", type=int, required=True, help="预算年度，例如 2024")
    report.add_argument("--period", required=True, help="报告期：2024-09（月）或 2024-Q3（季度）")
    report.add_argument("--out", required=True, help="输出文件夹（不存在时新建）")
    report.add_argument("--format", default="pdf,docx", help="输出格式，逗号分隔：pdf、docx（默认两种都输出）")
    report.add_argument("--db", help="数据库地址（默认同 renda server）")
    report.add_argument("--issuer", help="发文机关（默认：上海市人民代表大会常务委员会预算工作委员会）")
    report.add_argument("--number", help="发文字号行，例如 沪人大预工〔2026〕5号（默认：报告自身编号，如 预算执行报告〔2024〕第3季度）")
    report.set_defaults(func=cmd_report)


def parse_formats(text: str) -> list[str]:
    """``"pdf,docx"`` → ``["pdf", "docx"]``; an unknown format raises ``ValueError`` in Chinese."""
    wanted: list[str] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        fmt = FORMAT_NAMES.get(part)
        if fmt is None:
            raise ValueError(f"不支持的报告格式：{part}（可选 pdf、docx）")
        if fmt not in wanted:
            wanted.append(fmt)
    if not wanted:
        raise ValueError("请至少指定一种报告格式：pdf 或 docx")
    return wanted


def _engine(db: str | None) -> Any:
    """The database to read; a missing or foreign one raises ``DatabaseMissing`` and nothing is created."""
    from core.db import existing_engine

    if db:
        url = db
    else:
        from apps.server.settings import ServerSettings

        url = ServerSettings().db_url
    return existing_engine(url)


def cmd_report(args: argparse.Namespace) -> int:
    from core.budget.report import ReportPeriod, generate_report

    try:
        period = ReportPeriod.parse(args.period)
        if period.year != args.year:
            raise ValueError(f"报告期 {args.period} 不在 {args.year} 年度内")
        formats = parse_formats(args.format)
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"输出位置 {out} 不是文件夹")
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    from core.db import DatabaseMissing

    try:
        engine = _engine(args.db)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        result = generate_report(engine, period, out, formats, issuer=args.issuer, number=args.number)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for path in result.files:
        print(path)
    return 0
