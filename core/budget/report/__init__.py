"""The generated execution report (预算执行情况报告) for a month or a quarter, as PDF and Word.

:func:`generate_report` gathers the figures once (:func:`~core.budget.report.figures.collect`), writes the
summary sentences from them (:mod:`~core.budget.report.sentences`), lays the report out as neutral blocks
(:mod:`~core.budget.report.content`) and renders those blocks as PDF (reportlab) and/or Word (python-docx).
Each file is written under a temporary name and renamed when complete, so a cancelled or failed run never
leaves half a report behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from core.budget.report.figures import Check, Progress, ReportData, ReportPeriod, collect

FORMATS = ("pdf", "docx")

__all__ = ["FORMATS", "GeneratedReport", "ReportData", "ReportPeriod", "collect", "generate_report", "report_name"]


@dataclass(frozen=True)
class GeneratedReport:
    data: ReportData
    files: list[Path]


def report_name(period: ReportPeriod, fmt: str) -> str:
    return f"预算执行报告-{period.slug}.{fmt}"


def _missing_data(engine: Engine, period: ReportPeriod) -> str | None:
    """Why there is nothing to report for ``period`` (no budget of the year, no payment up to its end)."""
    from sqlalchemy import func, select

    from core.budget.models import BudgetBook, Payment

    with engine.connect() as conn:
        books = conn.execute(select(func.count()).select_from(BudgetBook.__table__)
                             .where(BudgetBook.__table__.c.year == period.year,
                                    BudgetBook.__table__.c.deleted.is_(False))).scalar_one()
        if not books:
            return (f"数据库中没有 {period.year} 年度的预算数据，不能生成{period.label}的执行报告。"
                    "请先导入该年度预算，或核对 --db 参数所指的数据库")
        paid = conn.execute(select(Payment.__table__.c.id).where(
            Payment.__table__.c.year == period.year, Payment.__table__.c.month <= period.end_month,
            Payment.__table__.c.deleted.is_(False)).limit(1)).first()
    if paid is None:
        return (f"数据库中没有 {period.year} 年 1–{period.end_month} 月的支付数据，不能生成{period.label}的执行报告。"
                "请先导入国库支付明细")
    return None


def generate_report(engine: Engine, period: ReportPeriod, folder: Path, formats: Sequence[str] = FORMATS, *,
                    check: Check | None = None, progress: Progress | None = None,
                    now: datetime | None = None, domains: tuple[str, ...] = (), issuer: str | None = None,
                    number: str | None = None) -> GeneratedReport:
    """Write the report of ``period`` into ``folder`` in each of ``formats``; returns the figures and files.

    ``issuer`` is the issuing body of the 版头 and the sign-off (default
    :data:`~core.budget.report.content.ISSUER`); ``number`` the document-number line (default the report's
    own serial, e.g. ``预算执行报告〔2024〕第3季度``; no official 发文字号 is invented).

    Raises ``ValueError`` (in Chinese) for an unknown format or an unusable folder; whatever ``check`` raises
    (cancellation) propagates after the partial files are removed.
    """
    wanted = [f for f in FORMATS if f in formats]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(f"报告格式应为 PDF 或 Word，收到 {', '.join(unknown) or '（无）'}")
    missing = _missing_data(engine, period)
    if missing:
        raise ValueError(missing)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"输出位置 {folder} 不是文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise ValueError(f"没有写入文件夹 {folder} 的权限")
    data = collect(engine, period, check=check, progress=progress, now=now, domains=domains)
    files: list[Path] = []
    for i, fmt in enumerate(wanted):
        if progress is not None:
            progress("生成 PDF" if fmt == "pdf" else "生成 Word", 10 + i, 10 + len(wanted))
        if fmt == "pdf":
            from core.budget.report.pdf import report_pdf
            body = report_pdf(data, check=check, issuer=issuer, number=number)
        else:
            from core.budget.report.word import report_docx
            body = report_docx(data, check=check, issuer=issuer, number=number)
        target = folder / report_name(period, fmt)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(body)
        if check is not None:
            try:
                check()
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        partial.replace(target)
        files.append(target)
    if progress is not None:
        progress("完成", 10 + len(wanted), 10 + len(wanted))
    return GeneratedReport(data, files)
