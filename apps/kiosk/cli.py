"""`renda kiosk …`: the hall's locked-down kiosk (the same options as ``python -m apps.kiosk``)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    from apps.kiosk.__main__ import add_arguments

    kiosk = subparsers.add_parser("kiosk", help="主席团电子会务全屏终端（主持人控制台、大屏幕、席位屏）",
                                  description="主席团电子会务全屏终端")
    add_arguments(kiosk)
    kiosk.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from apps.kiosk.__main__ import run

    return run(args)
