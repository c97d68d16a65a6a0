"""``python -m apps.kiosk``: the hall's locked-down kiosk on a meeting journal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The kiosk's options, shared by ``python -m apps.kiosk`` and ``renda kiosk``."""
    parser.add_argument("--journal", type=Path, help="会议日志文件（存在时恢复进行中的会议）")
    parser.add_argument("--link", help="席位连接，例如 serial:///dev/ttyUSB0、tcp://0.0.0.0:7000、can://socketcan/can0")
    parser.add_argument("--folder", type=Path, help="使用 --link 时会议日志所在的文件夹（默认数据目录下 kiosk/）")
    parser.add_argument("--face", choices=("console", "bigscreen", "seat"), default="console", help="启动时的画面")
    parser.add_argument("--seat", type=int, help="席位屏对应的席位号")
    parser.add_argument("--windowed", action="store_true", help="不锁定，普通窗口（调试用）")
    parser.add_argument("--panel", action="store_true", help="同时打开虚拟席位面板（演示用）")
    parser.add_argument("--store", type=Path,
                        help="本机同步数据库（会务操作员登录后的本地数据库）：会议记录写入其中并随同步上传")
    parser.add_argument("--meeting", help="开始会前准备中已“发送到会场”的会议（会议编号；需同时给出 --store）")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apps.kiosk", description="主席团电子会务全屏终端")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def hall_store_and_setup(args: argparse.Namespace) -> tuple[Any, Callable[[], Any] | None]:
    """The local store named by ``--store`` (or None) and, with ``--meeting``, the prepared meeting."""
    from apps.kiosk.window import open_records_store

    store = open_records_store(args.store) if args.store else None
    if not args.meeting:
        return store, None
    if store is None:
        raise SystemExit("--meeting 需要同时给出 --store（会前准备数据所在的本机同步数据库）")
    from apps.kiosk.runtime import prepared_setup

    prepared = prepared_setup(store.session, args.meeting)

    def from_preparation() -> Any:
        return prepared

    return store, from_preparation


def run(args: argparse.Namespace) -> int:
    """Open the kiosk as ``args`` say and run the Qt event loop until it quits."""
    from apps.common.application import application
    from apps.common.settings import ClientSettings
    from apps.kiosk.window import open_kiosk
    from core.features import load_features

    load_features()  # started as ``python -m apps.kiosk`` too, not only through ``renda kiosk``
    app = application(ClientSettings())
    if args.link:
        from apps.kiosk.window import open_linked_kiosk
        from core.paths import data_dir

        store, setup = hall_store_and_setup(args)
        window, runtime = open_linked_kiosk(args.folder or data_dir() / "kiosk", link=args.link,
                                            locked=not args.windowed, seat=args.seat, setup=setup,
                                            records=None if store is None else store.session)
        app.aboutToQuit.connect(runtime.stop)
    else:
        window = open_kiosk(args.journal, locked=not args.windowed, seat=args.seat)
    window.show_face(args.face)
    if args.windowed:
        window.resize(1600, 1000)
        window.show()
    else:
        window.start()
    if args.panel:
        window.open_panel()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
