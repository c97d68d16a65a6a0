"""`renda kiosk …`: the hall's locked-down kiosk (the same options as ``python -m apps.kiosk``)."""

from __future__ import annotations

import argparse
from typing import Any

from apps.cli_zh import examples


def register(subparsers: Any) -> None:
    from apps.kiosk.__main__ import add_arguments

    kiosk = subparsers.add_parser("kiosk", help="主席团电子会务全屏终端（主持人控制台、大屏幕、席位屏）",
                                  description="主席团电子会务全屏终端",
                                  epilog=examples(
        ("renda kiosk --link serial:///dev/ttyUSB0 --face console", "主持人控制台，席位终端接在 RS-485 串口上"),
        ("renda kiosk --link tcp://0.0.0.0:7000 --face bigscreen", "大屏幕，席位经 TCP 网关连接"),
        ("renda kiosk --face seat --seat 12 --windowed", "12 号席位屏，普通窗口（调试用）"),
        ("renda kiosk --link tcp://0.0.0.0:7000 --windowed --panel",
         "培训演示：控制台加虚拟席位面板；也可另开 renda seats simulate --link tcp://127.0.0.1:7000 --seats 30")))
    add_arguments(kiosk)
    kiosk.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from apps.kiosk.__main__ import run

    return run(args)
