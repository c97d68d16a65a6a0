"""``renda cadre link``: pull the people about to retire from the personnel appointments system (人事任免).

::

    renda cadre link pull --url https://rsrm.example.gov.cn/renda/ [--token-env RSRM_TOKEN] [--from-start] [--db URL]
    renda cadre link status [--db URL]

``pull`` asks the appointments system for the files after this database's cursor, checks every file's size and
SHA-256, and imports them in order with the all-or-nothing importer, moving the cursor with each imported file
(``core/cadre/appointments_link_pull.py``; the protocol is in ``docs/cadre.md``). The token is read from the
environment variable named by ``--token-env`` and never stored. The address is remembered, so later pulls may
leave out ``--url``. Exit status 0 on success, 1 when the pull failed or a file was refused (the reason is
printed), 2 when the database does not exist or is not the suite's.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import Any

from apps.cadre.cli import DB_HELP, _day, _help

EXIT_OK, EXIT_REFUSED, EXIT_NO_DATABASE = 0, 1, 2


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"秒数“{text}”无效，应为 0 到 3600 之间的数")
    return value


def register_link(cadre_subparsers: Any) -> None:
    """Add ``link`` to the sub-commands of ``renda cadre``."""
    from core.cadre.appointments_link import ADAPTERS

    link = cadre_subparsers.add_parser(
        "link", help="人事任免系统接口：拉取即将离退休人员、查看接收位置", description="人事任免系统接口", **_help(
            ("renda cadre link pull --url https://rsrm.example.gov.cn/renda/ --token-env RSRM_TOKEN", "拉取新文件"),
            ("renda cadre link status", "查看上次拉取的结果和接收位置")))
    sub = link.add_subparsers(dest="link_command", metavar="操作", required=True)
    pull = sub.add_parser(
        "pull", help="从人事任免系统拉取新的即将离退休人员文件并导入", description="从人事任免系统拉取并导入", **_help(
            ("renda cadre link pull --url https://rsrm.example.gov.cn/renda/ --token-env RSRM_TOKEN", "第一次拉取"),
            ("renda cadre link pull", "按上次的地址继续拉取"),
            ("renda cadre link pull --url https://new.example.gov.cn/renda/ --from-start", "系统更换地址后从头拉取")))
    pull.add_argument("--url", default=None, metavar="地址", help="人事任免系统的接口地址（https://；默认用上次的地址）")
    pull.add_argument("--token-env", default=None, metavar="变量名", help="存放接口口令的环境变量名（口令不会被保存）")
    pull.add_argument("--adapter", default="http", choices=sorted(ADAPTERS), help="接口类型（默认 http）")
    pull.add_argument("--from-start", action="store_true", help="不管接收位置，从头拉取（已导入的人员不会重复）")
    pull.add_argument("--timeout", type=_seconds, default=60.0, metavar="秒", help="多少秒收不到数据即停止（默认 60）")
    pull.add_argument("--today", type=_day, default=None, metavar="日期", help="以哪一天为今天（默认今天）")
    pull.add_argument("--db", help=DB_HELP)
    pull.set_defaults(func=cmd_pull)
    status = sub.add_parser("status", help="查看人事任免接口的接收位置和上次拉取的结果", description="人事任免接口状态",
                            **_help(("renda cadre link status", "查看状态")))
    status.add_argument("--db", help=DB_HELP)
    status.set_defaults(func=cmd_status)


register = register_link


def _engine(db: str | None) -> Any:
    """The database to write to: it must exist and be the suite's; None (reason printed) otherwise."""
    from core.db import DatabaseMissing, existing_engine

    url = db
    if not url:
        from apps.server.settings import ServerSettings

        url = ServerSettings().db_url
    try:
        return existing_engine(url, upgrade=True)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_pull(args: argparse.Namespace) -> int:
    from core.cadre.appointments_link import AppointmentsLinkError, Limits, LinkConfig, adapter_for
    from core.cadre.appointments_link_pull import load_state, pull
    from core.db import make_session_factory
    from core.sync.stamping import install_server_hooks

    token = None
    if args.token_env:
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            print(f"错误：环境变量 {args.token_env} 没有设置或为空，无法向人事任免系统出示口令。", file=sys.stderr)
            return EXIT_REFUSED
    engine = _engine(args.db)
    if engine is None:
        return EXIT_NO_DATABASE
    try:
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        url = args.url
        if not url:
            with factory() as s:
                url = load_state(s).url
            if not url:
                print("错误：还没有拉取过，请用 --url 给出人事任免系统的接口地址。", file=sys.stderr)
                return EXIT_REFUSED
        adapter = adapter_for(args.adapter, LinkConfig(url, token), Limits(read_timeout=args.timeout))
        result = pull(factory, adapter, today=args.today or date.today(), from_start=args.from_start)
    except AppointmentsLinkError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # the last guard: the clerk sees a sentence, never a traceback
        print(f"错误：拉取意外中断（{type(exc).__name__}：{exc}）。已导入的文件和接收位置一致，可以稍后重新拉取；"
              "如反复出现请联系信息中心。", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(result.summary())
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from core.cadre.appointments_link_pull import load_state, status_text
    from core.db import make_session_factory

    engine = _engine(args.db)
    if engine is None:
        return EXIT_NO_DATABASE
    try:
        with make_session_factory(engine)() as s:
            state = load_state(s)
    finally:
        engine.dispose()
    print(status_text(state))
    return EXIT_OK
