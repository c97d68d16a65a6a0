"""``renda budget link|import|exchange``: the budget app's data links from the command line.

::

    renda budget link list                      # the bureaus and their settings
    renda budget link set finance --url https://… --enable [--token-stdin] [--cert C --key K] [--ca CA]
    renda budget link pull [--bureau NAME]      # every enabled bureau, or one
    renda budget link status                    # last pull, result, next
    renda budget import --kind payments FILE    # one bureau file (CSV or Excel)
    renda budget exchange export --year 2024 [--months 1-6] --out FILE.zip
    renda budget exchange import FILE.zip [--register-departments]   (signed by a trusted producer)
    renda budget exchange key | trust NAME KEY | trusted | untrust WHO

The commands work on the server's database (``--db`` to choose another), through the same all-or-nothing
imports as the app; exit status 0 on success, 1 when anything was refused (the reason is printed), 2 when the
database does not exist or is not the suite's (nothing is created: a mistyped ``--db`` must not make a new,
empty database that then receives the bureau's data).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

EXIT_OK, EXIT_REFUSED, EXIT_NO_DATABASE = 0, 1, 2


def add_to(budget_subparsers: Any) -> None:
    """Add ``link``, ``import`` and ``exchange`` to the sub-commands of ``renda budget``."""
    from core.budget.importers import SPECS
    from core.budget.links import ADAPTERS

    link = budget_subparsers.add_parser("link", help="各委办局数据接口：查看、设置、拉取",
                                        description="从市财政局、税务局、人社局、国资委、审计局的数据接口拉取数据",
                                        epilog=examples("renda budget link list", "renda budget link status",
                                                        ("renda budget link pull", "拉取所有已启用的接口"),
                                                        note="接口代号：" + "、".join(sorted(ADAPTERS))))
    link_sub = link.add_subparsers(dest="link_command", metavar="操作", required=True)
    listing = link_sub.add_parser("list", help="列出各数据接口及其设置",
                                  epilog=examples("renda budget link list"))
    listing.set_defaults(func=cmd_link_list)
    status = link_sub.add_parser("status", help="各接口上次拉取的时间、结果和下次拉取时间",
                                 epilog=examples("renda budget link status"))
    status.set_defaults(func=cmd_link_status)
    pull = link_sub.add_parser("pull", help="立即拉取（默认所有已启用的接口）",
                               epilog=examples(("renda budget link pull", "所有已启用的接口"),
                                               ("renda budget link pull --bureau finance", "只拉取市财政局")))
    pull.add_argument("--bureau", choices=sorted(ADAPTERS), help="只拉取这一个接口")
    _db_arg(pull)
    pull.set_defaults(func=cmd_link_pull)
    setting = link_sub.add_parser("set", help="设置一个接口的地址、启用与否和身份凭据",
                                  epilog=examples(
        ("renda budget link set finance --url https://czj.example.gov.cn/api/budget --enable --interval 60",
         "启用市财政局接口，每 60 分钟自动拉取"),
        ("echo 'token-from-the-bureau' | renda budget link set tax --token-stdin", "把接口口令存入系统钥匙串"),
        ("renda budget link set audit --cert client.pem --key client.key --ca audit-ca.pem",
         "用客户端证书连接审计局"),
        "renda budget link set social --disable"))
    setting.add_argument("bureau", choices=sorted(ADAPTERS))
    setting.add_argument("--url", help="接口地址（https://…）")
    on_off = setting.add_mutually_exclusive_group()
    on_off.add_argument("--enable", action="store_true", help="启用")
    on_off.add_argument("--disable", action="store_true", help="停用")
    setting.add_argument("--cert", help="客户端证书文件（PEM）")
    setting.add_argument("--key", help="客户端证书私钥文件（PEM）")
    setting.add_argument("--ca", help="对方的根证书文件（PEM）")
    setting.add_argument("--interval", type=int, help="自动拉取间隔（分钟）")
    setting.add_argument("--token-stdin", action="store_true", help="从标准输入读取接口口令，存入系统钥匙串")
    setting.set_defaults(func=cmd_link_set)

    kinds = ", ".join(f"{k}（{s.title}）" for k, s in SPECS.items())
    imp = budget_subparsers.add_parser("import", help="导入一个委办局报送的文件（CSV 或 Excel）",
                                       description=f"文件类别：{kinds}",
                                       epilog=examples(
        ("renda budget import --kind payments 支付明细-2024-09.csv", "市财政局报送的支付明细"),
        ("renda budget import --kind projects 项目库.xlsx --allow-updates", "对方重新报送的更正文件"),
        "renda budget import --kind tax 税收收入.csv --db sqlite:////var/lib/renda/renda.sqlite3"))
    imp.add_argument("--kind", required=True, choices=sorted(SPECS), help="文件类别")
    imp.add_argument("file", type=Path, help="CSV 或 .xlsx 文件")
    imp.add_argument("--allow-updates", action="store_true", help="允许更正已导入的记录（对方重新报送的更正文件）")
    _db_arg(imp)
    imp.set_defaults(func=cmd_import)

    exchange = budget_subparsers.add_parser("exchange", help="与区人大交换数据包（纵向贯通）",
                                            description="与区人大交换签名的数据包：导出、导入，登记对方的公钥",
                                            epilog=examples(
        "renda budget exchange export --year 2024 --out 2024.zip",
        "renda budget exchange import 浦东-2024.zip",
        note="第一次交换前：双方运行 renda budget exchange key，电话核对指纹后用 renda budget exchange trust 登记对方"))
    ex_sub = exchange.add_subparsers(dest="exchange_command", metavar="操作", required=True)
    export = ex_sub.add_parser("export", help="把一个年度（或若干月份）的数据导出为数据包",
                               epilog=examples(("renda budget exchange export --year 2024 --out 2024.zip", "全年"),
                                               ("renda budget exchange export --year 2024 --months 1-6 --out 2024上半年.zip "
                                                "--producer 浦东新区人大常委会", "1–6 月，以浦东新区人大常委会的名义")))
    export.add_argument("--year", type=int, required=True, help="预算年度")
    export.add_argument("--months", default="1-12", help="月份范围，例如 1-6（默认全年）")
    export.add_argument("--out", type=Path, required=True, help="数据包文件（.zip）")
    export.add_argument("--producer", default="上海市人大常委会预算工作委员会", help="报送单位名称")
    _db_arg(export)
    export.set_defaults(func=cmd_exchange_export)
    ex_in = ex_sub.add_parser("import", help="导入区人大报送的数据包（整包导入，有问题则整包不导入）",
                              epilog=examples("renda budget exchange import 浦东-2024.zip",
                                              ("renda budget exchange import 浦东-2024.zip --register-departments",
                                               "同时登记数据包中本系统还没有的部门"),
                                              ("renda budget exchange import 浦东-2024更正.zip --allow-updates",
                                               "对方重新报送的更正包")))
    ex_in.add_argument("file", type=Path, help="数据包文件（.zip）")
    ex_in.add_argument("--register-departments", action="store_true", help="同时登记数据包中本系统没有的部门")
    ex_in.add_argument("--allow-updates", action="store_true", help="允许更正已导入的记录")
    _db_arg(ex_in)
    ex_in.set_defaults(func=cmd_exchange_import)
    key = ex_sub.add_parser("key", help="显示本服务器的数据包签名公钥和指纹（发给对方登记）",
                            epilog=examples("renda budget exchange key"))
    key.set_defaults(func=cmd_exchange_key)
    trust = ex_sub.add_parser("trust", help="登记一个受信任的报送单位的公钥（先电话核对指纹）",
                              epilog=examples("renda budget exchange trust 浦东新区人大常委会 Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM="))
    trust.add_argument("name", help="单位名称，例如 浦东新区人大常委会")
    trust.add_argument("public_key", help="对方的公钥（44 个字符，对方运行 renda budget exchange key 查看）")
    trust.set_defaults(func=cmd_exchange_trust)
    trusted = ex_sub.add_parser("trusted", help="列出受信任的报送单位", epilog=examples("renda budget exchange trusted"))
    trusted.set_defaults(func=cmd_exchange_trusted)
    untrust = ex_sub.add_parser("untrust", help="移除一个受信任的报送单位",
                                epilog=examples("renda budget exchange untrust 浦东新区人大常委会"))
    untrust.add_argument("who", help="单位名称或公钥指纹")
    untrust.set_defaults(func=cmd_exchange_untrust)


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库地址（默认同 renda server）")


def _engine(args: argparse.Namespace) -> Any:
    """The database the command writes to: it must exist and be the suite's (brought to the newest schema);
    otherwise the reason is printed and None returned, and nothing is created."""
    from core.db import DatabaseMissing, existing_engine

    url = args.db
    if not url:
        from apps.server.settings import ServerSettings

        url = ServerSettings().db_url
    try:
        return existing_engine(url, upgrade=True)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


class _Printer:
    """Progress on stderr, at most one line per stage change or per 10%."""

    def __init__(self) -> None:
        self.last: tuple[str, int] = ("", -1)

    def __call__(self, done: int, total: int, stage: str) -> None:
        tenth = done * 10 // total if total else 0
        if (stage, tenth) != self.last:
            self.last = (stage, tenth)
            print(f"{stage} {done:,}/{total:,}" if total else stage, file=sys.stderr, flush=True)


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16] if iso else "从未"


def cmd_link_list(args: argparse.Namespace) -> int:
    from core.budget.importers import SPECS
    from core.budget.links import ADAPTERS, default_store, load_token

    store = default_store()
    for name, cls in ADAPTERS.items():
        s = store.get(name)
        auth = "口令" if load_token(name) else ("证书" if s.cert_file else "无")
        print(f"{name:8} {cls.title:<14} {'已启用' if s.enabled else '未启用'}  地址：{s.url or '未设置'}  身份凭据：{auth}  "
              f"文件：{'、'.join(k for k in cls.kinds if k in SPECS)}")
    return EXIT_OK


def cmd_link_status(args: argparse.Namespace) -> int:
    from core.budget.links import ADAPTERS, default_store

    store = default_store()
    for name, cls in ADAPTERS.items():
        s = store.get(name)
        result = "—" if s.last_ok is None else ("成功" if s.last_ok else "失败")
        nxt = s.next_pull()
        print(f"{cls.title}：上次拉取 {_when(s.last_pull)}，结果 {result}，"
              f"下次 {nxt.isoformat(timespec='minutes').replace('T', ' ')[:16] if nxt else '—'}，接收位置 {s.cursor or '（起点）'}")
        if s.last_message:
            print(f"    {s.last_message}")
    return EXIT_OK


def cmd_link_set(args: argparse.Namespace) -> int:
    from core.budget.links import LinkError, default_store, store_token

    store = default_store()
    changes: dict[str, Any] = {}
    for attr, value in (("url", args.url), ("cert_file", args.cert), ("key_file", args.key), ("ca_file", args.ca),
                        ("interval_minutes", args.interval)):
        if value is not None:
            changes[attr] = value
    if args.enable or args.disable:
        changes["enabled"] = bool(args.enable)
    if args.token_stdin:
        token = sys.stdin.readline().strip()
        if not token:
            print("没有读到口令，未作改动。", file=sys.stderr)
            return EXIT_REFUSED
        try:
            store_token(args.bureau, token)
        except LinkError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_REFUSED
    store.update(args.bureau, **changes)
    print(f"已保存 {args.bureau} 接口的设置。")
    return EXIT_OK


def cmd_link_pull(args: argparse.Namespace) -> int:
    from core.budget.links import ADAPTERS, default_store, pull

    engine = _engine(args)
    if engine is None:
        return EXIT_NO_DATABASE
    store = default_store()
    names = [args.bureau] if args.bureau else [n for n in ADAPTERS if store.get(n).enabled]
    if not names:
        engine.dispose()
        print("没有已启用的数据接口。请先用 renda budget link set NAME --url … --enable 设置。", file=sys.stderr)
        return EXIT_REFUSED
    status = EXIT_OK
    try:
        for name in names:
            result = pull(name, store, engine, actor="cli", progress=_Printer())
            print(result.report())
            if not result.ok:
                status = EXIT_REFUSED
    finally:
        engine.dispose()
    return status


def cmd_import(args: argparse.Namespace) -> int:
    from core.budget.importers import import_file
    from core.db import make_session_factory
    from core.sync.stamping import install_server_hooks

    if not args.file.is_file():
        print(f"找不到文件 {args.file}。", file=sys.stderr)
        return EXIT_REFUSED
    engine = _engine(args)
    if engine is None:
        return EXIT_NO_DATABASE
    try:
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        result = import_file(factory, args.kind, args.file, actor="cli", progress=_Printer(),
                             allow_updates=args.allow_updates)
    finally:
        engine.dispose()
    print(result.report())
    return EXIT_OK if result.ok else EXIT_REFUSED


def _months(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise SystemExit(f"月份范围“{text}”无效，应写成 1-6 这样。") from None


def _server_data_dir() -> Path:
    from apps.server.settings import ServerSettings

    return Path(ServerSettings().data_dir)


def _trust() -> Any:
    from core.budget.package_signing import TrustedProducers

    return TrustedProducers(_server_data_dir() / "trusted-producers.json")


def cmd_exchange_key(args: argparse.Namespace) -> int:
    from core.sync.keys import encode_public_key, fingerprint, load_server_key

    key = encode_public_key(load_server_key(_server_data_dir()))
    print(f"公钥：{key}")
    print(f"指纹：{fingerprint(key)}")
    return EXIT_OK


def cmd_exchange_trust(args: argparse.Namespace) -> int:
    from core.budget.package_signing import SignatureError

    try:
        entry = _trust().add(args.name, args.public_key)
    except SignatureError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    print(f"已登记“{entry['name']}”，公钥指纹 {entry['fingerprint']}。")
    return EXIT_OK


def cmd_exchange_trusted(args: argparse.Namespace) -> int:
    entries = _trust().entries()
    if not entries:
        print("还没有登记受信任的报送单位。")
    for entry in entries:
        print(f"{entry.get('name')}　指纹 {entry.get('fingerprint')}　登记于 {_when(entry.get('added_at', ''))}")
    return EXIT_OK


def cmd_exchange_untrust(args: argparse.Namespace) -> int:
    if not _trust().remove(args.who):
        print(f"名单中没有“{args.who}”。", file=sys.stderr)
        return EXIT_REFUSED
    print(f"已移除“{args.who}”。")
    return EXIT_OK


def cmd_exchange_export(args: argparse.Namespace) -> int:
    from core.budget.exchange import export_package
    from core.budget.links import LinkError
    from core.budget.package_signing import SignatureError, sign_package
    from core.sync.keys import load_server_key

    engine = _engine(args)
    if engine is None:
        return EXIT_NO_DATABASE
    try:
        manifest = export_package(engine, args.year, args.out, producer=args.producer, months=_months(args.months),
                                  progress=_Printer())
        signed = sign_package(args.out, load_server_key(_server_data_dir()), args.producer)
    except (LinkError, SignatureError) as exc:
        args.out.unlink(missing_ok=True)
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    rows = sum(f.rows for f in manifest.files)
    print(f"已导出{manifest.period}数据包 {args.out}：{len(manifest.files)} 个文件，共 {rows:,} 行，"
          f"涉及部门 {manifest.departments.rows} 个。已签名（公钥指纹 {signed.fingerprint}）。")
    return EXIT_OK


def cmd_exchange_import(args: argparse.Namespace) -> int:
    import tempfile

    from core.budget.exchange import ExchangeError, import_package
    from core.budget.links import LinkError
    from core.budget.package_signing import SignatureError, unsigned_copy, verify_package

    try:
        signed = verify_package(args.file, _trust())
    except SignatureError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    print(f"签名有效：“{signed.signer}”（指纹 {signed.fingerprint}），签于 {_when(signed.signed_at)}。")
    engine = _engine(args)
    if engine is None:
        return EXIT_NO_DATABASE
    try:
        with tempfile.TemporaryDirectory(prefix="renda-package-") as tmp:
            plain = unsigned_copy(args.file, Path(tmp) / args.file.name)
            done = import_package(engine, plain, actor="cli", register_departments=args.register_departments,
                                  allow_updates=args.allow_updates, progress=_Printer())
    except ExchangeError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_REFUSED
    except LinkError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(done.summary())
    if done.registered_departments:
        print("同时登记了部门：" + "、".join(done.registered_departments))
    return EXIT_OK
