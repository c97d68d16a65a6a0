"""``renda petition``: the letters-and-visits commands (portal intake, exchange with other petition systems,
demonstration data, statistics and the monthly report)."""

from __future__ import annotations

import argparse
from typing import Any

from apps.cli_zh import examples


def register(subparsers: Any) -> None:
    from apps.petition import cli_analysis, cli_exchange
    from apps.portal.cli import add_intake_command

    petition = subparsers.add_parser(
        "petition", help="信访：网上信访转为信访件、与其他信访系统交换数据、统计与分析报告、演示数据", description="信访",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(("renda petition intake --every 5", "每 5 秒把网上提交的信访转为信访件"),
                        ("renda petition stats --from 2026-11-01 --to 2026-11-30", "十一月的统计"),
                        ("renda petition report --month 2026-11 --out 报告", "十一月的信访情况分析报告"),
                        ("renda petition exchange export --to szf --since 2026-11-01 --out 转市政府.zip",
                         "导出转给市政府的信访件")))
    sub = petition.add_subparsers(dest="petition_command", metavar="操作", required=True)
    add_intake_command(sub)
    cli_exchange.register(sub)
    cli_analysis.register(sub)
