"""``renda budget``: budget review commands. ``renda budget demo-data --year Y --payments N [--db URL]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from apps.cli_zh import examples


def register(subparsers: Any) -> None:
    """Add ``renda budget`` and its sub-commands to the ``renda`` parser."""
    budget = subparsers.add_parser("budget", help="预算联网监督：演示数据、预警、数据接入、执行报告",
                                   description="预算联网监督（预算审查）的命令",
                                   epilog=examples(
        ("renda budget demo-data --year 2024 --payments 100000", "生成 2024 年度演示数据"),
        ("renda budget warnings run --year 2024", "运行预警规则"),
        ("renda budget report --year 2024 --period 2024-Q3 --out 报告", "生成第三季度执行报告"),
        note="--db 写数据库地址：sqlite:///renda.sqlite3 是当前文件夹里的文件，sqlite:////var/lib/renda/renda.sqlite3 "
             "是绝对路径（四个斜杠）；不写时用 renda server 的数据库"))
    sub = budget.add_subparsers(dest="budget_command", metavar="操作", required=True)
    demo = sub.add_parser("demo-data", help="生成一个年度的演示预算数据（含预警规则的埋点异常）",
                          description="按真实科目代码和上海市真实决算总数生成演示数据；所有生成的记录都标为“演示生成”",
                          epilog=examples(
        ("renda budget demo-data --year 2024 --payments 100000", "写入 renda server 的数据库，埋点清单存为 budget-demo-2024.json"),
        ("renda budget demo-data --year 2025 --payments 1000000 --db sqlite:///演示.sqlite3 --manifest 埋点.json",
         "一百万条支付明细，写入当前文件夹的 演示.sqlite3"),
        ("renda budget demo-data --year 2024 --payments 20000 --clean --seed 7", "不埋异常，用来检验预警不误报")))
    demo.add_argument("--year", type=int, required=True, help="预算年度，例如 2025")
    demo.add_argument("--payments", type=int, default=100_000, help="支付明细条数（最多约 1,000,000）")
    demo.add_argument("--projects", type=int, default=3000, help="项目数（默认 3000）")
    demo.add_argument("--departments", type=int, default=100, help="预算部门和单位数（默认 100）")
    demo.add_argument("--seed", type=int, default=20250101, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--clean", action="store_true", help="不埋设异常（用于检验预警规则不误报）")
    demo.add_argument("--db", help="数据库地址（默认同 renda server）")
    demo.add_argument("--manifest", help="埋点清单 JSON 的保存位置（默认当前目录 budget-demo-<年度>.json）")
    demo.set_defaults(func=cmd_demo_data)
    _register_warnings(sub)
    from apps.budget.cli_links import add_to as add_links
    from apps.budget.cli_report import add_to as add_report

    add_links(sub)
    add_report(sub)


def _register_warnings(sub: Any) -> None:
    """``renda budget warnings run|list``: run the early-warning rules, list the warnings."""
    warn = sub.add_parser("warnings", help="预警：运行预警规则、列出预警", description="预算执行预警",
                          epilog=examples("renda budget warnings run --year 2024",
                                          "renda budget warnings list --year 2024 --level red"))
    wsub = warn.add_subparsers(dest="warnings_command", metavar="操作", required=True)
    run = wsub.add_parser("run", help="按当前阈值运行全部已启用的预警规则",
                          description="运行预警规则；再次运行只更新，不会重复预警；异常消失的预警自动解除",
                          epilog=examples(
        ("renda budget warnings run --year 2024", "全部已启用的规则，截至有支付的最后一个月"),
        ("renda budget warnings run --year 2024 --as-of-month 9 --rule large_single_payment --rule cash_withdrawal",
         "截至 9 月，只运行两条规则"),
        "renda budget warnings run --year 2024 --db sqlite:////var/lib/renda/renda.sqlite3",
        note="规则代号：" + "、".join(_rule_ids())))
    run.add_argument("--year", type=int, required=True, help="预算年度")
    run.add_argument("--as-of-month", type=int, help="截至月份（默认：有支付的最后一个月）")
    run.add_argument("--rule", action="append", help="只运行这条规则（可重复）")
    run.add_argument("--db", help="数据库地址（默认同 renda server）")
    run.set_defaults(func=cmd_warnings_run)
    lst = wsub.add_parser("list", help="列出预警", description="列出一个年度的预警",
                          epilog=examples(("renda budget warnings list", "最近有预警的年度，未解除的"),
                                          "renda budget warnings list --year 2024 --level red",
                                          ("renda budget warnings list --year 2024 --rule year_end_spike --all",
                                           "这条规则的全部预警，含已解除的")))
    lst.add_argument("--year", type=int, help="预算年度（默认：最近有预警的年度）")
    lst.add_argument("--level", choices=("red", "yellow", "blue"), help="只列这一等级")
    lst.add_argument("--rule", help="只列这条规则的预警")
    lst.add_argument("--all", action="store_true", help="也列出已解除的预警")
    lst.add_argument("--db", help="数据库地址（默认同 renda server）")
    lst.set_defaults(func=cmd_warnings_list)


def _rule_ids() -> list[str]:
    from core.budget.warnings import RULES

    return [f"{key}（{rule.name}）" for key, rule in RULES.items()]


def _engine(args: argparse.Namespace) -> Any:
    """The database the warning commands work on: it must exist and be the suite's (``DatabaseMissing``
    otherwise, and nothing is created)."""
    from core.db import existing_engine

    if args.db:
        url = args.db
    else:
        from apps.server.settings import ServerSettings

        url = ServerSettings().db_url
    return existing_engine(url)


def _open(args: argparse.Namespace) -> Any:
    """:func:`_engine`, or None after printing why the database cannot be used."""
    from core.db import DatabaseMissing

    try:
        return _engine(args)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_warnings_run(args: argparse.Namespace) -> int:
    """Run the rules on the given database (on the server: rows stamped for sync)."""
    from core.budget.warnings import RULES, run_rules

    if args.as_of_month is not None and not 1 <= args.as_of_month <= 12:
        print("截至月份应在 1 到 12 之间", file=sys.stderr)
        return 2
    unknown = [r for r in args.rule or () if r not in RULES]
    if unknown:
        print(f"没有这些预警规则：{'、'.join(unknown)}（可用：{'、'.join(RULES)}）", file=sys.stderr)
        return 2
    engine = _open(args)
    if engine is None:
        return 2

    def progress(step: str, done: int, total: int) -> None:
        print(f"{step} {done}/{total}" if total else step, file=sys.stderr, flush=True)

    try:
        result = run_rules(engine, args.year, args.as_of_month, rules=args.rule, progress=progress,
                           actor="renda budget warnings")
    finally:
        engine.dispose()
    for rule, count in result.by_rule.items():
        print(f"  {RULES[rule].name}（{rule}）：{count} 条，{result.rule_seconds.get(rule, 0):.2f} 秒")
    print(result.summary())
    return 0


def cmd_warnings_list(args: argparse.Namespace) -> int:
    """Print the warnings, red first."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.budget.warnings import LEVEL_NAMES, RULES
    from core.budget.warnings.inbox import WarningFilter, list_warnings
    from core.budget.work import BudgetWarning
    from core.money import MoneyUnit, format_fen

    engine = _open(args)
    if engine is None:
        return 2
    try:
        with Session(engine) as s:
            year = args.year or s.scalar(select(func.max(BudgetWarning.year)).where(BudgetWarning.deleted.is_(False)))
            if not year:
                print("还没有预警；先运行 renda budget warnings run --year 年度")
                return 0
            f = WarningFilter(year=int(year), levels=frozenset({args.level} if args.level else ()),
                              rule=args.rule or "", active=None if args.all else True)
            rows = list_warnings(s, f)
    finally:
        engine.dispose()
    for w in rows:
        name = RULES[w.rule].name if w.rule in RULES else w.rule
        state = w.status if w.active else f"{w.status}，已解除"
        print(f"[{LEVEL_NAMES.get(w.level, w.level)}] {name} | {w.department} | {w.subject} | "
              f"{format_fen(w.amount_fen, MoneyUnit.WAN)} | {state}\n    {w.reason}")
    print(f"{year} 年共 {len(rows)} 条预警")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    """Generate the demo year and write the manifest of planted anomalies."""
    from core.budget.demo import DemoDataExists, generate, write_manifest
    from core.db import make_engine, migrate

    if args.db:
        url = args.db
    else:
        from apps.server.settings import ServerSettings

        url = ServerSettings().db_url
    engine = make_engine(url)
    migrate(engine)
    last = [0.0]

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if step != "支付明细" or now - last[0] > 2 or done == total:
            last[0] = now
            print(f"{step} {done:,}/{total:,}" if total else step, file=sys.stderr, flush=True)

    try:
        manifest = generate(engine, args.year, args.payments, projects=args.projects,
                            departments=args.departments, seed=args.seed, anomalies=not args.clean,
                            progress=progress)
    except DemoDataExists as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    path = write_manifest(manifest, Path(args.manifest or f"budget-demo-{args.year}.json"))
    print(f"已生成 {args.year} 年度演示数据：支付 {manifest.payments:,} 条，项目 {manifest.counts['projects']:,} 个，"
          f"部门和单位 {manifest.counts['departments']} 个，埋点异常 {len(manifest.anomalies)} 处；"
          f"用时 {manifest.timings['total']:.1f} 秒（其中支付明细 {manifest.timings['payments']:.1f} 秒）。"
          f"埋点清单：{path}")
    return 0
