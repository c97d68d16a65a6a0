"""``renda cadre exchange``: documents in and out with the office system (办公系统公文交换).

::

    renda cadre exchange import 公文交换包.zip [--today 2026-12-05] [--db URL]     (a .zip or a folder)
    renda cadre exchange export --since 2026-11-01 导出文件夹 [--producer 名称] [--db URL]

``import`` checks the whole package first (``core/cadre/office_exchange.py``; the format is in
``docs/cadre.md``) and changes nothing when anything is wrong; importing the same package again changes
nothing. ``export`` writes one package (.zip) per document produced here since the day into the folder. The
files go to and come from the server's attachment store. Exit status 0 on success, 1 when refused (the reason
is printed), 2 when the database does not exist or is not the suite's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from apps.cadre.cli import DB_HELP, _day, _help

EXIT_OK, EXIT_REFUSED, EXIT_NO_DATABASE = 0, 1, 2


def register_exchange(cadre_subparsers: Any) -> None:
    """Add ``exchange`` to the sub-commands of ``renda cadre``."""
    exchange = cadre_subparsers.add_parser(
        "exchange", help="与办公系统交换公文（导入送阅公文、导出本处公文和送达记录）", description="办公系统公文交换",
        **_help(("renda cadre exchange import 公文交换包.zip", "导入办公系统发来的公文"),
                ("renda cadre exchange export --since 2026-11-01 导出", "导出本处的公文和送达记录")))
    sub = exchange.add_subparsers(dest="exchange_command", metavar="操作", required=True)
    imp = sub.add_parser("import", help="导入办公系统的公文交换包（有任何问题则整包不导入）", description="导入公文交换包",
                         **_help(("renda cadre exchange import 公文交换包.zip", "导入 ZIP 交换包"),
                                 ("renda cadre exchange import 公文文件夹 --db sqlite:///renda.sqlite3", "导入文件夹")))
    imp.add_argument("path", type=Path, metavar="交换包", help="公文交换包（.zip 文件或含 manifest.json 的文件夹）")
    imp.add_argument("--today", type=_day, default=None, metavar="日期", help="送阅登记日期（默认今天）")
    imp.add_argument("--db", help=DB_HELP)
    imp.set_defaults(func=cmd_import)
    exp = sub.add_parser("export", help="导出本处的公文（通知公告、讣告、送阅公文及送达记录）", description="导出公文交换包",
                         **_help(("renda cadre exchange export --since 2026-11-01 导出", "每份公文一个 .zip")))
    exp.add_argument("--since", required=True, type=_day, metavar="日期", help="导出此日起的公文，例如 2026-11-01")
    exp.add_argument("out", type=Path, metavar="文件夹", help="导出位置（文件夹，不存在则新建）")
    exp.add_argument("--producer", default=None, metavar="名称", help="本单位名称（默认 上海市人大常委会办公厅老干部处）")
    exp.add_argument("--db", help=DB_HELP)
    exp.set_defaults(func=cmd_export)


register = register_exchange


def _open(db: str | None) -> tuple[Any, Any] | None:
    from apps.server.settings import ServerSettings
    from core.db import DatabaseMissing, existing_engine, make_session_factory
    from core.sync.blobs import BlobStore
    from core.sync.stamping import install_server_hooks

    settings = ServerSettings()
    try:
        engine = existing_engine(db or settings.db_url, upgrade=True)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    return engine, (factory, BlobStore(settings.blob_dir))


def _run(db: str | None, action: Any) -> int:
    from core.cadre.office_exchange import ExchangeRefused

    opened = _open(db)
    if opened is None:
        return EXIT_NO_DATABASE
    engine, (factory, blobs) = opened
    try:
        with factory.begin() as s:
            message = action(s, blobs)
    except ExchangeRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # the last guard: the clerk sees a sentence, never a traceback
        print(f"错误：公文交换意外中断（{type(exc).__name__}：{exc}），未做任何改动。如反复出现请联系信息中心。",
              file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(message)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from core.cadre.office_exchange import import_package

    return _run(args.db, lambda s, blobs: import_package(s, args.path, blobs=blobs, today=args.today or date.today(),
                                                         actor="cli").summary())


def cmd_export(args: argparse.Namespace) -> int:
    from core.cadre.office_exchange import PRODUCER, export_packages

    return _run(args.db, lambda s, blobs: export_packages(s, since=args.since, out=args.out, blobs=blobs,
                                                          producer=args.producer or PRODUCER, actor="cli").summary())
