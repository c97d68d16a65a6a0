"""``renda cadre notice``: notices for retirees from the shell (the desk's screens do the same).

::

    renda cadre notice draft --kind 通知 --title 标题 [--body 正文 | --body-file 文件] [--activity ID] [--person ID]
                             [--ref 文号] [--to 人员ID]
    renda cadre notice publish ID          (queues the WeChat messages)
    renda cadre notice withdraw ID
    renda cadre notice link 人员ID [--days 180] [--base https://门户地址]     (prints the link once)
    renda cadre notice revoke 链接ID
    renda cadre notice bind 人员ID OPENID
    renda cadre notice wechat-send [--once] [--api-base https://api.weixin.qq.com] [--interval 5]

``wechat-send`` sends the queued WeChat messages (``core.notifications.wechat.WechatDispatcher``) with the
official account's credentials from the environment (``RENDA_WECHAT_APPID``, ``RENDA_WECHAT_SECRET`` or the
OS keyring, ``RENDA_WECHAT_TEMPLATE_NOTICE``, optionally ``RENDA_WECHAT_LINK_BASE``): one pass with ``--once``,
otherwise pass after pass until Ctrl+C or SIGTERM, finishing the message in hand before it stops.

The commands work on the server's database unless ``--db`` names another, with the server's stamping, so
every change syncs to the clients. Exit status 0 on success, 1 when refused (the reason is printed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

EXIT_OK, EXIT_REFUSED = 0, 1


def _examples(*items: tuple[str, str]) -> dict[str, Any]:
    return {"formatter_class": argparse.RawDescriptionHelpFormatter, "epilog": examples(*items)}


def register_notices(cadre_subparsers: Any) -> None:
    """Add ``notice`` to the sub-commands of ``renda cadre``."""
    from core.cadre.notice_models import NOTICE_KINDS

    notice = cadre_subparsers.add_parser(
        "notice", help="老干部通知公告：起草、发布、撤回、专属链接、微信绑定", description="老干部通知公告",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=examples(
            ("renda cadre notice draft --kind 通知 --title 春节团拜会通知 --body-file 正文.txt", "起草一条通知"),
            ("renda cadre notice publish ID", "发布（并经微信推送给已绑定的老同志）"),
            ("renda cadre notice link 人员ID --base https://portal.example.gov.cn", "生成本人专属链接")))
    sub = notice.add_subparsers(dest="notice_command", required=True, metavar="操作")
    draft = sub.add_parser("draft", help="起草一条通知（不公开）", description="起草一条通知", **_examples(
        ("renda cadre notice draft --kind 通知 --title 春节团拜会通知 --body-file 正文.txt", "起草一条通知"),
        ("renda cadre notice draft --kind 讣告 --title 讣告 --person 人员ID --body-file 讣告.txt", "起草讣告")))
    draft.add_argument("--kind", required=True, choices=NOTICE_KINDS, help="类别")
    draft.add_argument("--title", required=True, help="标题（最多 80 字）")
    draft.add_argument("--body", default="", help="正文")
    draft.add_argument("--body-file", type=Path, metavar="文件", help="从 UTF-8 文本文件读取正文")
    draft.add_argument("--activity", default=None, metavar="ID", help="活动通知所说的活动")
    draft.add_argument("--person", default=None, metavar="ID", help="讣告的逝者")
    draft.add_argument("--ref", default="", metavar="文号", help="文件的文号")
    draft.add_argument("--to", default=None, metavar="人员ID", help="只给这一位老同志")
    draft.set_defaults(func=cmd_draft)
    for name, text, func, what in (("publish", "发布", cmd_publish, "发布这条通知（已绑定微信的老同志同时收到）"),
                                   ("withdraw", "撤回", cmd_withdraw, "撤回这条通知（页面上显示已撤回）"),
                                   ("revoke", "停用一个专属链接", cmd_revoke, "停用这个专属链接")):
        p = sub.add_parser(name, help=text, description=text, **_examples((f"renda cadre notice {name} ID", what)))
        p.add_argument("id", metavar="ID")
        p.set_defaults(func=func)
    link = sub.add_parser("link", help="生成本人专属链接（只显示这一次）", description="生成本人专属链接", **_examples(
        ("renda cadre notice link 人员ID --base https://portal.example.gov.cn", "生成半年有效的专属链接"),
        ("renda cadre notice link 人员ID --days 30", "三十天有效")))
    link.add_argument("person", metavar="人员ID")
    link.add_argument("--days", type=int, default=180, help="有效天数（1 至 730，默认 180）")
    link.add_argument("--base", default="", metavar="网址", help="门户的对外地址，如 https://portal.example.gov.cn")
    link.set_defaults(func=cmd_link)
    bind = sub.add_parser("bind", help="登记老同志的微信 openid", description="登记老同志的微信 openid", **_examples(
        ("renda cadre notice bind 人员ID oAbC123", "登记微信 openid，此后的通知也经微信推送")))
    bind.add_argument("person", metavar="人员ID")
    bind.add_argument("openid")
    bind.set_defaults(func=cmd_bind)
    send = sub.add_parser(
        "wechat-send", help="经微信公众号发送排队的通知消息（按 Ctrl+C 停止）", description="发送排队的微信消息",
        **_examples(("renda cadre notice wechat-send --once", "发送一轮后退出"),
                    ("renda cadre notice wechat-send", "一直运行，每 5 秒发送一轮，按 Ctrl+C 停止")))
    send.add_argument("--once", action="store_true", help="只发送一轮后退出")
    send.add_argument("--api-base", default="", metavar="网址",
                      help="微信接口地址（默认 https://api.weixin.qq.com；测试时指向本机的测试服务器）")
    send.add_argument("--link-base", default="", metavar="网址",
                      help="门户的对外地址，消息点开后打开的页面（或环境变量 RENDA_WECHAT_LINK_BASE）")
    send.add_argument("--interval", type=float, default=5.0, metavar="秒", help="每隔几秒发送一轮（默认 5）")
    send.set_defaults(func=cmd_wechat_send)
    for p in (draft, link, bind, send, *[sub.choices[n] for n in ("publish", "withdraw", "revoke")]):
        p.add_argument("--db", help="数据库地址（默认：服务器的数据库）")


register = register_notices


def _run(db: str | None, action: Any) -> int:
    from core.cadre.notices import NoticeError
    from core.sync.stamping import ensure_counter

    factory, engine = _server_factory(db)
    try:
        with factory() as s, s.begin():
            s.info["actor"] = "cli"
            ensure_counter(s)
            message = action(s)
    except NoticeError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(message)
    return EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    from core.cadre import notices

    body = args.body
    if args.body_file is not None:
        try:
            body = args.body_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            print(f"正文文件“{args.body_file}”无法以 UTF-8 读取", file=sys.stderr)
            return EXIT_REFUSED

    def act(s: Any) -> str:
        n = notices.draft_notice(s, kind=args.kind, title=args.title, body=body, activity_id=args.activity,
                                 person_id=args.person, document_ref=args.ref, addressee_id=args.to)
        return f"已起草（未公开）：{n.id}"

    return _run(args.db, act)


def cmd_publish(args: argparse.Namespace) -> int:
    from core.cadre import notices

    def act(s: Any) -> str:
        _n, queued = notices.publish(s, args.id)
        return f"已发布；微信消息排队 {queued} 条"

    return _run(args.db, act)


def cmd_withdraw(args: argparse.Namespace) -> int:
    from core.cadre import notices

    return _run(args.db, lambda s: notices.withdraw(s, args.id) and "已撤回")


def cmd_revoke(args: argparse.Namespace) -> int:
    from core.cadre import notices

    return _run(args.db, lambda s: notices.revoke_link(s, args.id) and "已停用")


def cmd_link(args: argparse.Namespace) -> int:
    from core.cadre import notices

    def act(s: Any) -> str:
        link, token = notices.create_link(s, args.person, days=args.days)
        return (f"专属链接（只显示这一次，请直接交给本人）：{notices.link_address(args.base, token)}\n"
                f"链接编号：{link.id}，有效期至 {link.expires_at:%Y-%m-%d}")

    return _run(args.db, act)


def cmd_bind(args: argparse.Namespace) -> int:
    from core.cadre import notices

    return _run(args.db, lambda s: f"已绑定：{notices.bind_wechat(s, args.person, args.openid).id}")


def cmd_wechat_send(args: argparse.Namespace) -> int:
    import os

    from core.notifications.dispatch import DispatchSettings
    from core.notifications.models import STATUS_LABELS
    from core.notifications.wechat import (
        DEFAULT_BASE_URL,
        WechatConfigError,
        WechatDispatcher,
        gateway_from_environment,
    )

    if not args.interval > 0:
        print("--interval 须为正数", file=sys.stderr)
        return EXIT_REFUSED
    try:
        gateway = gateway_from_environment(os.environ, args.api_base or DEFAULT_BASE_URL, args.link_base)
    except WechatConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    factory, engine = _server_factory(args.db)
    dispatcher = WechatDispatcher(factory, gateway, DispatchSettings())
    try:
        if args.once:
            counts = dispatcher.run_once()
            done = "，".join(f"{STATUS_LABELS.get(k, k)} {v} 条" for k, v in counts.items() if v)
            print(f"本轮：{done}" if done else "没有待发的微信消息")
            return EXIT_OK
        print(f"微信发送已启动：接口 {gateway.base_url}，每 {args.interval:g} 秒一轮；按 Ctrl+C 停止", flush=True)
        _run_until_stopped(lambda stop: dispatcher.run_forever(stop, args.interval))
        print("微信发送已停止", flush=True)
        return EXIT_OK
    finally:
        engine.dispose()


def _server_factory(db: str | None) -> tuple[Any, Any]:
    from core.db import make_engine, make_session_factory, migrate
    from core.features import load_features
    from core.sync.stamping import install_server_hooks

    load_features()
    if not db:
        from apps.server.settings import ServerSettings

        db = ServerSettings().db_url
    engine = make_engine(db)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    return factory, engine


def _run_until_stopped(loop: Any) -> None:
    """Run ``loop(stop)`` until Ctrl+C or SIGTERM sets ``stop`` (a pass under way finishes first)."""
    import signal
    import threading

    stop = threading.Event()
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_a: stop.set())
    try:
        loop(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
