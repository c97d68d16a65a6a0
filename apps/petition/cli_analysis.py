"""``renda petition demo-data | stats | report``: demonstration cases, a period's figures, the monthly report.

::

    renda petition demo-data --cases 100000 [--db URL]
    renda petition stats --from 2026-01-01 --to 2026-11-30 [--db URL]
    renda petition report --month 2026-11 --out 报告 [--format pdf,docx] [--db URL]

``stats`` and ``report`` read an existing database of the suite (a missing or foreign one is refused, exit 2,
nothing created); ``demo-data`` writes into the server's database unless ``--db`` names another.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

DB_HELP = "数据库地址（默认：服务器的数据库），例如 sqlite:///renda.sqlite3"


def _help(*items: tuple[str, str], note: str = "") -> dict[str, Any]:
    return {"formatter_class": argparse.RawDescriptionHelpFormatter, "epilog": examples(*items, note=note)}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，请写成 2026-11-30 的形式") from None


def register(petition_subparsers: Any) -> None:
    """Add ``demo-data``, ``stats`` and ``report`` to the sub-commands of ``renda petition``."""
    demo = petition_subparsers.add_parser(
        "demo-data", help="生成演示信访件（两年内，各类别、各区、各渠道、各状态，标注【演示数据】）",
        description="生成演示信访件：虚构的信访人（标注【演示数据】）、合法的办理过程、重复件和集体访", **_help(
            ("renda petition demo-data --cases 2000", "在服务器数据库中生成两千件"),
            ("renda petition demo-data --cases 100000 --db sqlite:///演示.sqlite3", "十万件写入指定数据库（约半分钟）")))
    demo.add_argument("--cases", type=int, default=2000, metavar="N", help="信访件数（默认 2000）")
    demo.add_argument("--until", type=_day, default=None, metavar="日期", help="最后收件日期（默认今天）")
    demo.add_argument("--db", help=DB_HELP)
    demo.set_defaults(func=cmd_demo_data)
    stats = petition_subparsers.add_parser(
        "stats", help="统计一个时段的信访情况（按月、类别、区、渠道、承办单位，按期率、满意率、热点）",
        description="统计一个时段的信访情况", **_help(
            ("renda petition stats --from 2026-11-01 --to 2026-11-30", "十一月的统计"),
            ("renda petition stats --from 2026-01-01 --to 2026-12-31 --db sqlite:///演示.sqlite3", "全年统计")))
    stats.add_argument("--from", dest="start", type=_day, required=True, metavar="日期", help="起始日期（含）")
    stats.add_argument("--to", dest="end", type=_day, required=True, metavar="日期", help="截止日期（含）")
    stats.add_argument("--db", help=DB_HELP)
    stats.set_defaults(func=cmd_stats)
    report = petition_subparsers.add_parser(
        "report", help="生成月度信访情况分析报告（PDF 和 Word）", description="生成月度信访情况分析报告", **_help(
            ("renda petition report --month 2026-11 --out 报告", "PDF 和 Word 各一份，写入文件夹“报告”"),
            ("renda petition report --month 2026-11 --out 报告 --format pdf --db sqlite:///演示.sqlite3", "只要 PDF")))
    report.add_argument("--month", required=True, metavar="年-月", help="报告月份，例如 2026-11")
    report.add_argument("--out", required=True, type=Path, metavar="文件夹", help="输出文件夹")
    report.add_argument("--format", default="pdf,docx", help="格式：pdf、docx，逗号分隔（默认两种都要）")
    report.add_argument("--issuer", default=None, help="发文机关（默认 上海市人大常委会信访办公室）")
    report.add_argument("--db", help=DB_HELP)
    report.set_defaults(func=cmd_report)


def _url(db: str | None) -> str:
    if db:
        return db
    from apps.server.settings import ServerSettings

    return ServerSettings().db_url


def _existing(db: str | None) -> Any:
    """The database to read, or None after printing why it cannot be used (nothing is created)."""
    from core.db import DatabaseMissing, existing_engine

    try:
        return existing_engine(_url(db))
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_demo_data(args: argparse.Namespace) -> int:
    from core.db import make_engine, migrate
    from core.petition.demo import generate

    if args.cases < 1:
        print("错误：--cases 须为正整数", file=sys.stderr)
        return 2
    engine = make_engine(_url(args.db))
    try:
        migrate(engine)

        def progress(step: str, done: int, total: int) -> None:
            print(f"{step}：{done}/{total}", file=sys.stderr, flush=True)

        result = generate(engine, cases=args.cases, until=args.until, progress=progress)
    finally:
        engine.dispose()
    print(f"已生成演示信访件 {result.cases} 件、信访人 {result.petitioners} 人、办理记录 {result.transitions} 条、"
          f"重复件关联 {result.links} 条，用时 {result.seconds} 秒")
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def cmd_stats(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from core.petition.stats import hot_topics, period_stats

    if args.end < args.start:
        print(f"错误：截止日期 {args.end} 早于起始日期 {args.start}", file=sys.stderr)
        return 2
    engine = _existing(args.db)
    if engine is None:
        return 2
    try:
        with Session(engine) as s:
            st = period_stats(s, args.start, args.end)
            topics = hot_topics(s, args.start, args.end, top=10)
    finally:
        engine.dispose()
    print(f"时段：{st.start} 至 {st.end}")
    print(f"信访件：{st.total} 件（重复件 {st.repeats} 件另计，不重复计数）；集体访 {st.collective} 件；涉及 {st.persons} 人次")
    for title, rows in (("按月", st.by_month), ("按类别", st.by_category), ("按区", st.by_district),
                        ("按渠道", st.by_channel), ("按承办单位", st.by_body[:15])):
        print(f"{title}：" + "；".join(f"{c.label} {c.count}" for c in rows))
    print(f"按期答复率：{_pct(st.on_time_rate)}（答复 {st.answered} 件）")
    sat = st.satisfaction
    print(f"满意率：{_pct(sat.rate)}（评价 {sat.rated} 件：满意 {sat.satisfied}、基本满意 {sat.basic}、不满意 {sat.unsatisfied}）")
    print("热点：" + "、".join(f"{h.term} {h.count}（{h.change:+d}）" for h in topics.top))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from core.petition.report import FORMATS, ReportRefused, generate, parse_month

    try:
        year, month = parse_month(args.month)
        formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ReportRefused(f"格式“{args.format}”不支持，可选：{'、'.join(FORMATS)}")
        if args.out.exists() and not args.out.is_dir():
            raise ReportRefused(f"输出位置 {args.out} 不是文件夹")
    except ReportRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    engine = _existing(args.db)
    if engine is None:
        return 2
    try:
        files = generate(engine, year, month, args.out, formats, issuer=args.issuer)
    except ReportRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for path in files:
        print(path)
    return 0
