"""`renda`: the suite's one command. With no arguments it opens the launcher.

Each feature folder contributes its sub-commands through a ``register(subparsers)`` function listed
in ``COMMAND_MODULES``; a module that cannot be imported (e.g. Qt missing on a server) is skipped
with a note instead of breaking the other commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from apps import cli_zh

COMMAND_MODULES = (
    "apps.server.cli",      # server, audit, users
    "apps.sync.cli",        # sync export / import / keys / enrol / trust-server
    "apps.bench",           # bench: each system's benchmark (apps.bench.BENCH_MODULES)
    "apps.budget.cli",      # budget demo-data / warnings / link / import / exchange / report
    "apps.conference.cli",  # seats simulate / listen
    "apps.common.gui_cli",  # launcher (default), demo, screenshots
    "apps.kiosk.cli",       # kiosk
    "apps.petition.cli",    # petition intake / exchange
    "apps.portal.cli",      # portal (and petition intake when the petition commands are not installed)
    "apps.notifications.cli",  # notify run / status (the SMS outbox)
    "apps.machine_room.cli",   # monitor run / simulate (machine-room monitoring)
    "apps.cadre.cli",       # cadre import-retiring / template
)


EPILOG = cli_zh.examples(
    ("renda", "打开启动器（登录后进入本角色可用的系统）"),
    ("renda demo", "用演示数据运行整个套件"),
    ("renda server --db sqlite:///renda.sqlite3 --port 8443", "启动中心服务器（SQLite 文件在当前文件夹）"),
    ("renda budget report --year 2024 --period 2024-Q3 --out 报告 --db sqlite:////var/lib/renda/renda.sqlite3",
     "生成 2024 年第三季度预算执行报告（绝对路径时 sqlite: 后四个斜杠）"),
    ("renda kiosk --face console", "打开会场的主持人控制台"),
    note="每个命令加 -h 显示其参数和示例，例如：renda budget report -h")


def build_parser() -> argparse.ArgumentParser:
    parser_class = cli_zh.install()
    parser = parser_class(prog="renda", description="上海市人大常委会办公厅业务软件套件", epilog=EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == name or name.startswith(exc.name)):
                continue  # feature not installed in this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from core.features import load_features

    load_features()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["launcher", *(argv or [])])
        if getattr(args, "func", None) is None:
            parser.print_help()
            return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
