"""``renda budget``: budget review commands. ``renda budget demo-data --year Y --payments N [--db URL]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add ``renda budget`` and its sub-commands to the ``renda`` parser."""
    budget = subparsers.add_parser("budget", help="预算联网监督：演示数据等",
                                   description="预算联网监督（预算审查）的命令")
    sub = budget.add_subparsers(dest="budget_command", metavar="操作", required=True)
    demo = sub.add_parser("demo-data", help="生成一个年度的演示预算数据（含预警规则的埋点异常）",
                          description="按真实科目代码和上海市真实决算总数生成演示数据；所有生成的记录都标为“演示生成”")
    demo.add_argument("--year", type=int, required=True, help="预算年度，例如 2025")
    demo.add_argument("--payments", type=int, default=100_000, help="支付明细条数（最多约 1,000,000）")
    demo.add_argument("--projects", type=int, default=3000, help="项目数（默认 3000）")
    demo.add_argument("--departments", type=int, default=100, help="预算部门和单位数（默认 100）")
    demo.add_argument("--seed", type=int, default=20250101, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--clean", action="store_true", help="不埋设异常（用于检验预警规则不误报）")
    demo.add_argument("--db", help="数据库地址（默认同 renda server）")
    demo.add_argument("--manifest", help="埋点清单 JSON 的保存位置（默认当前目录 budget-demo-<年度>.json）")
    demo.set_defaults(func=cmd_demo_data)


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
