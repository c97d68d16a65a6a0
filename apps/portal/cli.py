"""``renda portal`` (the public portal) and ``renda petition intake`` (its bridge into the case desk)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Any

from apps.cli_zh import examples


def register(subparsers: Any) -> None:
    portal = subparsers.add_parser(
        "portal", help="启动信访网上服务（公众门户）",
        description="启动面向公众的信访网上服务。它是独立的进程，可放在隔离区（DMZ）；在 PostgreSQL 上请用只能写入申请、"
                    "读取公开状态的 renda_portal 角色连接。数据库须已由中心服务器建好（renda server 会自动升级）。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(
            ("renda portal --db postgresql://renda_portal:密码@db/renda --host 0.0.0.0 --port 8780",
             "以只能写入申请、读取公开状态的 renda_portal 角色启动门户（先设置 RENDA_PORTAL_SECRET_KEY）"),
            ("renda portal --db sqlite:///renda.sqlite3 --insecure-cookies", "在本机用 http 试用"),
            note="其余设置见环境变量 RENDA_PORTAL_*（docs/portal.md）"))
    portal.add_argument("--db", help="数据库地址（默认取 RENDA_PORTAL_DB_URL）")
    portal.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    portal.add_argument("--port", type=int, help="端口（默认 8780）")
    portal.add_argument("--insecure-cookies", action="store_true",
                        help="Cookie 不加 Secure 标志（只在本机以 http 试用时使用）")
    portal.set_defaults(func=run_portal)

    if "petition" in subparsers.choices:  # the case desk's command group exists: it adds intake itself
        return
    petition = subparsers.add_parser("petition", help="信访", description="信访",
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=examples(("renda petition intake --every 5", "每 5 秒把网上提交的信访转为信访件")))
    add_intake_command(petition.add_subparsers(dest="petition_command", metavar="操作", required=True))


def add_intake_command(petition_subparsers: Any) -> None:
    """``renda petition intake``: turn the portal's submissions into cases (for the petition command group)."""
    intake = petition_subparsers.add_parser(
        "intake", help="把网上提交的信访转为信访件",
        description="把公众门户收到的信访登记为信访件（并排队回执短信），把评价写入信访件，发送短信验证码。"
                    "中心服务器每隔几秒自动执行；这里可手动执行一次或持续执行。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(("renda petition intake --db sqlite:///renda.sqlite3", "执行一次"),
                        ("renda petition intake --every 5", "每 5 秒执行一次，按 Ctrl+C 停止")))
    intake.add_argument("--db", help="数据库地址（默认取 RENDA_SERVER_DB_URL）")
    intake.add_argument("--data-dir", help="附件的存放目录（默认与中心服务器相同）")
    intake.add_argument("--every", type=float, default=0, metavar="秒", help="每隔若干秒执行一次，直到中断")
    intake.set_defaults(func=run_intake)


def run_portal(args: argparse.Namespace) -> int:
    import uvicorn

    from apps.portal.app import create_app
    from apps.portal.settings import PortalSettings
    from core.db import DatabaseMissing, existing_engine

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides: dict[str, Any] = {k: v for k, v in (("db_url", args.db), ("host", args.host),
                                                   ("port", args.port)) if v is not None}
    if args.insecure_cookies:
        overrides["secure_cookies"] = False
    try:
        settings = PortalSettings(**overrides)
        if not settings.secret_key:
            print("注意：没有设置 RENDA_PORTAL_SECRET_KEY，本次使用临时密钥；重启后未提交的表单需要刷新", file=sys.stderr)
        if not settings.db_url:
            raise ValueError("没有指定数据库地址（--db 或 RENDA_PORTAL_DB_URL）")
        existing_engine(settings.db_url, upgrade=False).dispose()  # a missing file is not created
        app = create_app(settings)
        _check_database(app.state.portal.engine)
    except (ValueError, DatabaseMissing) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"信访网上服务：http://{settings.host}:{settings.port}")
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, server_header=False,
                proxy_headers=True, forwarded_allow_ips=settings.trusted_proxies, timeout_graceful_shutdown=5)
    return 0


def _check_database(engine: Any) -> None:
    from sqlalchemy import text

    from core.db import DatabaseMissing

    try:
        with engine.connect() as conn:
            conn.info["write"] = False
            conn.execute(text("SELECT 1 FROM pet_public_status WHERE 1 = 0"))
    except Exception as exc:
        raise DatabaseMissing(f"无法读取门户所需的数据库视图（数据库未由中心服务器升级，或角色没有权限）：{getattr(exc, 'orig', exc)}"
                              ) from None


def run_intake(args: argparse.Namespace) -> int:
    from apps.server.settings import ServerSettings
    from core.db import DatabaseMissing, existing_engine, make_session_factory
    from core.petition.intake import run_bridge
    from core.sync.blobs import BlobStore
    from core.sync.stamping import install_server_hooks

    overrides = {k: v for k, v in (("db_url", args.db), ("data_dir", args.data_dir)) if v is not None}
    settings = ServerSettings(**overrides)
    try:
        engine = existing_engine(settings.db_url)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    settings.blob_dir.mkdir(parents=True, exist_ok=True)
    store = BlobStore(settings.blob_dir)
    try:
        while True:
            counts = run_bridge(factory, blob_put=store.put)
            print(f"新登记 {counts['cases']} 件，评价 {counts['ratings']} 条，验证码短信 {counts['otps']} 条，"
                  f"未予处理 {counts['refused']} 条", flush=True)
            if args.every <= 0:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    finally:
        engine.dispose()
