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

COMMAND_MODULES = (
    "apps.server.cli",      # server, audit, users
    "apps.sync_cli",        # sync export / import / now / compact
    "apps.bench",           # bench sync
    "apps.budget_cli",      # budget demo-data
    "apps.seats_cli",       # seats simulate / listen
    "apps.common.gui_cli",  # launcher (default), demo, screenshots
    "apps.kiosk.cli",       # kiosk
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renda", description="上海市人大常委会办公厅业务软件套件")
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
