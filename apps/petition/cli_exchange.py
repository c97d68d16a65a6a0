"""``renda petition exchange``: packages exchanged with other petition systems, from the command line.

::

    renda petition exchange export --to szf --since 2026-11-01 --out 市政府-20261205.zip [--db URL]
    renda petition exchange import 市政府-20261205.zip [--db URL]
    renda petition exchange key                    # this server's public key and fingerprint (give it out)
    renda petition exchange trust NAME KEY         # register a sender's key (compare the fingerprint by phone)
    renda petition exchange trusted | untrust WHO

Packages are signed with the server's key (``sync-signing.key`` in the server's data folder) and imported
only from senders on the trusted list (``trusted-petition-systems.json`` beside it). The commands work on the
server's database unless ``--db`` names another; exit status 0 on success, 1 when anything was refused (the
reason is printed, nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

EXIT_OK, EXIT_REFUSED = 0, 1
TRUST_FILE = "trusted-petition-systems.json"


def _help(*items: tuple[str, str]) -> dict[str, Any]:
    return {"formatter_class": argparse.RawDescriptionHelpFormatter, "epilog": examples(*items)}


def register(petition_subparsers: Any) -> None:
    """Add ``exchange`` to the sub-commands of ``renda petition``."""
    exchange = petition_subparsers.add_parser("exchange", help="与其他信访系统交换数据包（一府两院一委、区人大）",
                                              description="与其他信访系统交换签名的数据包", **_help(
        ("renda petition exchange key", "显示本系统的签名公钥"),
        ("renda petition exchange import 市政府回复.zip", "导入对方的数据包")))
    sub = exchange.add_subparsers(dest="exchange_command", metavar="操作", required=True)
    export = sub.add_parser("export", help="导出转给一个单位的信访件和对方转来信访件的办理进展", **_help(
        ("renda petition exchange export --to szf --since 2026-11-01 --out 转市政府.zip", "导出转给市政府的信访件")))
    export.add_argument("--to", required=True, metavar="单位编码", help="承办单位编码，例如 szf（市政府）")
    export.add_argument("--since", required=True, type=_day, metavar="日期", help="起始日期，例如 2026-11-01")
    export.add_argument("--out", required=True, type=Path, metavar="文件", help="数据包文件（.zip）")
    export.add_argument("--db", help="数据库地址（默认：服务器的数据库）")
    export.add_argument("--system", default=None, help="本系统在数据包中的名称（默认 SH-RD-XF）")
    export.add_argument("--name", default=None, help="本单位名称（默认 上海市人大常委会信访办公室）")
    export.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="导入其他信访系统的数据包（有问题则整包不导入）", **_help(
        ("renda petition exchange import 市政府回复.zip --db sqlite:///renda.sqlite3", "导入并核对签名")))
    imp.add_argument("file", type=Path, metavar="文件", help="数据包文件（.zip）")
    imp.add_argument("--db", help="数据库地址（默认：服务器的数据库）")
    imp.add_argument("--system", default=None, help="本系统在数据包中的名称（默认 SH-RD-XF）")
    imp.set_defaults(func=cmd_import)
    key = sub.add_parser("key", help="显示本服务器的数据包签名公钥和指纹（发给对方登记）", **_help(
        ("renda petition exchange key", "显示公钥和指纹")))
    key.set_defaults(func=cmd_key)
    trust = sub.add_parser("trust", help="登记一个受信任的信访系统的公钥（先电话核对指纹）", **_help(
        ("renda petition exchange trust 上海市人民政府（市信访办） AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
         "登记对方的公钥")))
    trust.add_argument("name", help="单位名称，例如 上海市人民政府（市信访办）")
    trust.add_argument("public_key", help="对方的公钥（44 个字符的 base64 文本）")
    trust.set_defaults(func=cmd_trust)
    trusted = sub.add_parser("trusted", help="列出受信任的信访系统", **_help(("renda petition exchange trusted", "列出")))
    trusted.set_defaults(func=cmd_trusted)
    untrust = sub.add_parser("untrust", help="移除一个受信任的信访系统", **_help(
        ("renda petition exchange untrust 上海市人民政府（市信访办）", "移除")))
    untrust.add_argument("who", help="单位名称或公钥指纹")
    untrust.set_defaults(func=cmd_untrust)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，应写成 2026-11-01 这样") from None


def _settings() -> Any:
    from apps.server.settings import ServerSettings

    return ServerSettings()


def _trust(settings: Any) -> Any:
    from core.sync.package_signing import TrustedProducers

    return TrustedProducers(Path(settings.data_dir) / TRUST_FILE)


def _factory(args: argparse.Namespace, settings: Any) -> tuple[Any, Any]:
    from core.db import make_engine, make_session_factory, migrate
    from core.sync.stamping import install_server_hooks

    engine = make_engine(args.db or settings.db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    return engine, factory


def cmd_export(args: argparse.Namespace) -> int:
    from core.petition.exchange import OUR_NAME, OUR_SYSTEM, ExchangeError, export_package
    from core.sync.blobs import BlobStore
    from core.sync.keys import load_server_key
    from core.sync.package_signing import SignatureError

    settings = _settings()
    engine, factory = _factory(args, settings)
    try:
        with factory.begin() as s:
            done = export_package(s, to=args.to, since=args.since, out=args.out,
                                  key=load_server_key(Path(settings.data_dir)), blobs=BlobStore(settings.blob_dir),
                                  our_system=args.system or OUR_SYSTEM, our_name=args.name or OUR_NAME, actor="cli")
    except (ExchangeError, SignatureError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(done.summary())
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from core.petition.exchange import OUR_SYSTEM, ExchangeError, import_package
    from core.sync.blobs import BlobStore

    settings = _settings()
    engine, factory = _factory(args, settings)
    try:
        with factory.begin() as s:
            done = import_package(s, args.file, trusted=_trust(settings), blobs=BlobStore(settings.blob_dir),
                                  our_system=args.system or OUR_SYSTEM, actor="cli")
    except ExchangeError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(f"签名有效：“{done.signer}”。")
    print(done.summary())
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from core.sync.keys import encode_public_key, fingerprint, load_server_key

    key = encode_public_key(load_server_key(Path(_settings().data_dir)))
    print(f"公钥：{key}")
    print(f"指纹：{fingerprint(key)}")
    return EXIT_OK


def cmd_trust(args: argparse.Namespace) -> int:
    from core.sync.package_signing import SignatureError

    try:
        entry = _trust(_settings()).add(args.name, args.public_key)
    except SignatureError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    print(f"已登记“{entry['name']}”，公钥指纹 {entry['fingerprint']}。")
    return EXIT_OK


def cmd_trusted(args: argparse.Namespace) -> int:
    entries = _trust(_settings()).entries()
    if not entries:
        print("还没有登记受信任的信访系统。")
    for entry in entries:
        print(f"{entry.get('name')}　指纹 {entry.get('fingerprint')}　登记于 {entry.get('added_at', '')}")
    return EXIT_OK


def cmd_untrust(args: argparse.Namespace) -> int:
    if not _trust(_settings()).remove(args.who):
        print(f"名单中没有“{args.who}”。", file=sys.stderr)
        return EXIT_REFUSED
    print(f"已移除“{args.who}”。")
    return EXIT_OK
