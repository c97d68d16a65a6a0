"""``renda notify``: send queued SMS from the command line, and show how the outbox stands."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Any

from apps.cli_zh import examples
from apps.server.cli import settings_from


def register(subparsers: Any) -> None:
    notify = subparsers.add_parser("notify", help="短信通知：发送待发短信、查看发送情况",
                                   description="短信通知（服务器端）",
                                   formatter_class=argparse.RawDescriptionHelpFormatter,
                                   epilog=examples(("renda notify status", "各状态的短信条数"),
                                                   ("renda notify run --once", "用服务器设置的网关发送一轮待发短信")))
    sub = notify.add_subparsers(dest="notify_command", metavar="操作", required=True)
    run = sub.add_parser("run", help="发送待发短信", formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(("renda notify run --sms-gateway kannel://renda:口令@127.0.0.1:13013?from=10690 --once",
                                          "通过本机的 Kannel 发送一轮待发短信后退出")))
    run.add_argument("--db", help="数据库地址（默认为数据目录下的 server.sqlite3，或环境变量 RENDA_SERVER_DB_URL）")
    run.add_argument("--sms-gateway", metavar="URL", help="Kannel 网关地址（或环境变量 RENDA_SERVER_SMS_GATEWAY）")
    run.add_argument("--sms-report-url", metavar="URL", help="网关回报送达状态时访问中心服务器的地址")
    run.add_argument("--once", action="store_true", help="只发送一轮后退出（默认一直运行，按 Ctrl+C 停止）")
    run.set_defaults(func=run_command)
    status = sub.add_parser("status", help="各状态的短信条数", formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog=examples(("renda notify status --db sqlite:///renda.sqlite3", "查看这个数据库的短信")))
    status.add_argument("--db", help="数据库地址（默认为数据目录下的 server.sqlite3，或环境变量 RENDA_SERVER_DB_URL）")
    status.set_defaults(func=status_command)


def _factory(settings: Any) -> Any:
    from core.db import make_engine, make_session_factory, migrate
    from core.features import load_features
    from core.sync.stamping import install_server_hooks

    load_features()
    engine = make_engine(settings.db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    return factory


def run_command(args: argparse.Namespace) -> int:
    from core.notifications.dispatch import Dispatcher, DispatchSettings
    from core.notifications.kannel import KannelGateway

    settings = settings_from(args)
    if not settings.sms_gateway:
        print("请用 --sms-gateway 给出短信网关地址", file=sys.stderr)
        return 2
    try:
        gateway = KannelGateway.from_url(settings.sms_gateway)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    dispatcher = Dispatcher(_factory(settings), gateway,
                            DispatchSettings(max_attempts=settings.sms_max_attempts,
                                             report_base_url=settings.sms_report_url))
    if args.once:
        counts = dispatcher.run_once()
        print("本轮：" + "，".join(f"{_label(k)} {v} 条" for k, v in counts.items() if v) if any(counts.values())
              else "没有待发短信")
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    try:
        dispatcher.run_forever(stop, settings.sms_interval_seconds)
    except KeyboardInterrupt:
        stop.set()
    return 0


def status_command(args: argparse.Namespace) -> int:
    from core.notifications.dispatch import status_counts

    counts = status_counts(_factory(settings_from(args)))
    for key, value in counts.items():
        print(f"{_label(key)}\t{value}")
    return 0


def _label(status: str) -> str:
    from core.notifications.models import STATUS_LABELS

    return STATUS_LABELS.get(status, status)
