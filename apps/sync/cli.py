"""`renda sync …`: sync through a USB stick with signed bundles, and the keys that sign them.

On a laptop (the default; the local store in the user's data folder)::

    renda sync keys                          # this computer's device id and public key, for enrolment
    renda sync trust-server --public-key K   # remember the server's public key (once)
    renda sync export --out E:\\             # write an upload bundle to the USB stick
    renda sync import E:\\renda-reply-….rsb  # apply the server's reply

On the server (``--server``; database and data folder as for ``renda server``)::

    renda sync enrol --device ID --user NAME --public-key K   # an administrator enrols a laptop
    renda sync keys --server                                  # the server's public key for laptops
    renda sync import --server E:\\renda-push-….rsb
    renda sync export --server --device ID --out E:\\

A refused bundle prints the reason in plain words and exits with code 1; nothing is changed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from apps.cli_zh import examples

if TYPE_CHECKING:
    from apps.server.services import ServerServices
    from core.sync.client import LocalStore


class _Refused(Exception):
    """A command that cannot go on; the message is printed and the exit code is 1."""


def register(subparsers: Any) -> None:
    """Add ``renda sync`` and its sub-commands to the ``renda`` parser."""
    sync = subparsers.add_parser("sync", help="同步：用 U 盘导出/导入同步包，登记笔记本",
                                 description="离线同步：把同步包存到 U 盘，在服务器和笔记本之间传递",
                                 epilog=examples(("renda sync export --out /media/usb", "笔记本：把待上传的修改写到 U 盘"),
                                                 ("renda sync import --server /media/usb/renda-push-0193a5c2-00003.rsb",
                                                  "服务器：导入笔记本的上传包"),
                                                 note="第一次使用前的登记步骤见 renda sync keys -h"))
    sub = sync.add_subparsers(dest="sync_command", metavar="操作", required=True)

    export = sub.add_parser("export", help="导出同步包（笔记本：上传包；服务器：某台电脑的回执包）",
                            description="导出同步包：笔记本导出上传包；服务器（--server）为一台电脑导出回执包",
                            epilog=examples(
        ("renda sync export --out /media/usb", "笔记本：上传包写到 U 盘（文件名自动取）"),
        ("renda sync export --out E:/", "Windows 笔记本：写到 E 盘（U 盘）"),
        ("renda sync export --server --device 0193a5c2-7f41-7c3e-9d2a-5b6e8f0a1c24 --out /media/usb",
         "服务器：为这台电脑导出回执包（设备号见 renda sync keys）")))
    export.add_argument("--out", required=True, help="同步包文件名，或 U 盘上的文件夹（自动起名）")
    _place_options(export)
    export.add_argument("--device", help="（服务器）为哪台电脑导出回执包：设备号")
    export.add_argument("--no-attachments", action="store_true", help="（服务器）回执包中不带附件内容")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="导入同步包（笔记本：回执包；服务器：上传包）",
                         description="导入同步包：服务器（--server）导入上传包；笔记本导入回执包。整包核验，有问题则不改任何数据",
                         epilog=examples(
        ("renda sync import --server /media/usb/renda-push-0193a5c2-00003.rsb", "服务器：导入笔记本的上传包"),
        ("renda sync import /media/usb/renda-reply-0193a5c2-00003.rsb", "笔记本：导入服务器的回执包"),
        ("renda sync import E:/renda-reply-0193a5c2-00003.rsb --server-key Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM=",
         "笔记本第一次导入回执包时，同时记住服务器公钥")))
    imp.add_argument("file", help="同步包文件（.rsb）")
    _place_options(imp)
    imp.add_argument("--server-key", help="（笔记本）服务器公钥；本机尚未记住时给出，导入成功后记住")
    imp.set_defaults(func=cmd_import)

    keys = sub.add_parser("keys", help="显示本机（或服务器）的设备号和公钥，用于登记",
                          description="显示本机（或服务器）的设备号、公钥和指纹；本机还没有密钥时先生成",
                          epilog=examples(("renda sync keys", "笔记本：设备号和公钥，抄给管理员登记"),
                                          ("renda sync keys --server", "服务器：服务器公钥，交给笔记本使用者"),
                                          note="登记步骤：笔记本 renda sync keys → 服务器 renda sync enrol → "
                                               "笔记本 renda sync trust-server"))
    _place_options(keys)
    keys.set_defaults(func=cmd_keys)

    enrol = sub.add_parser("enrol", help="（服务器，管理员）登记一台电脑及其公钥",
                           description="在服务器上登记一台笔记本：设备号、使用者和公钥（在笔记本上运行 renda sync keys 查看）",
                           epilog=examples(
        "renda sync enrol --device 0193a5c2-7f41-7c3e-9d2a-5b6e8f0a1c24 --user zhangsan --public-key Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM= --name 预工委笔记本3号",
        ("renda sync enrol --device 0193a5c2-7f41-7c3e-9d2a-5b6e8f0a1c24 --user zhangsan --public-key Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM= --replace",
         "笔记本重装系统、换了密钥后重新登记")))
    enrol.add_argument("--device", required=True, help="设备号（在笔记本上运行 renda sync keys 查看）")
    enrol.add_argument("--user", required=True, help="这台电脑使用者的用户名")
    enrol.add_argument("--public-key", required=True, help="这台电脑的公钥")
    enrol.add_argument("--name", default="", help="备注名，例如“预工委笔记本 3 号”")
    enrol.add_argument("--replace", action="store_true", help="更换已登记设备的公钥（重装系统后）")
    enrol.add_argument("--db", help="服务器数据库地址（默认同 renda server）")
    enrol.add_argument("--data-dir", help="服务器数据目录（默认同 renda server）")
    enrol.set_defaults(func=cmd_enrol, server=True)

    trust = sub.add_parser("trust-server", help="（笔记本）记住服务器的公钥，用于核验回执包",
                           description="在笔记本上记住服务器的公钥（管理员运行 renda sync keys --server 查看）",
                           epilog=examples("renda sync trust-server --public-key Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM=",
                                           ("renda sync trust-server --public-key Z1BwWG4JWm3Zvc+amJc/2QbHBju5xK2+WCSW7dkg5vM= --replace",
                                            "服务器更换密钥后")))
    trust.add_argument("--public-key", required=True, help="服务器公钥（管理员运行 renda sync keys --server 查看）")
    trust.add_argument("--replace", action="store_true", help="服务器更换密钥后，替换本机记住的公钥")
    trust.add_argument("--db", help="本机数据库地址（默认为数据目录中的本地库）")
    trust.add_argument("--data-dir", help="本机数据目录（默认为用户数据目录）")
    trust.set_defaults(func=cmd_trust_server, server=False)


def _place_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", action="store_true", help="在中心服务器上操作（默认在本机/笔记本上）")
    parser.add_argument("--db", help="数据库地址（本机默认为数据目录中的本地库；服务器默认同 renda server）")
    parser.add_argument("--data-dir", help="数据目录（服务器：存放签名密钥和附件；本机：本地库和附件）")


# ------------------------------------------------------------------------------------ helpers
def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _actor() -> str:
    try:
        return f"console:{getpass.getuser()}"
    except (KeyError, OSError):
        return "console"


class _Progress:
    """Prints progress to stderr at most once a second, and always at the end of a stage."""

    def __init__(self) -> None:
        self._last = 0.0
        self._labels = {"push": "应用修改", "pull": "读取数据", "export": "打包附件"}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and now - self._last < 1.0:
            return
        self._last = now
        label = self._labels.get(stage, stage)
        text = f"{label}：{done}/{total}" if total is not None else f"{label}：已 {done} 条"
        print(text, file=sys.stderr, flush=True)


def _client_location(args: argparse.Namespace) -> tuple[str, Path]:
    """The local database URL and blob folder this command works on."""
    from core.paths import data_dir

    folder = Path(args.data_dir) if args.data_dir else data_dir()
    if args.db:
        url = str(args.db)
        try:
            parsed = make_url(url)
        except Exception:  # any unparsable URL is a user error
            raise _Refused(f"数据库地址格式不正确：{url}") from None
        if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
            return url, Path(parsed.database).parent / "blobs"
        return url, folder / "blobs"
    folder.mkdir(parents=True, exist_ok=True)
    candidates = sorted(folder.glob("local-*.sqlite3"))
    if len(candidates) > 1:
        listing = "\n".join(f"  --db sqlite:///{p}" for p in candidates)
        raise _Refused(f"数据目录中有多个本地库（多位用户或多个服务器），请用 --db 指定其中一个：\n{listing}")
    path = candidates[0] if candidates else folder / "local.sqlite3"
    return f"sqlite:///{path}", folder / "blobs"


@contextmanager
def _local_store(args: argparse.Namespace) -> Iterator[LocalStore]:
    from core.db import make_engine, migrate
    from core.sync.client import LocalStore

    url, blob_dir = _client_location(args)
    engine = make_engine(url)
    try:
        migrate(engine)
        yield LocalStore(engine, blob_dir)
    finally:
        engine.dispose()


@contextmanager
def _server(args: argparse.Namespace) -> Iterator[ServerServices]:
    from pydantic import ValidationError

    from apps.server.services import ServerServices
    from apps.server.settings import ServerSettings

    overrides = {"db_url": args.db, "data_dir": args.data_dir}
    try:
        settings = ServerSettings(**{k: v for k, v in overrides.items() if v})
    except ValidationError as exc:
        raise _Refused(f"服务器设置有误：{exc.errors()[0].get('msg', exc)}") from None
    services = ServerServices.open(settings)
    try:
        yield services
    finally:
        services.close()


def _run(action: Any) -> int:
    """Run ``action`` and turn every refusal into a message and exit code 1."""
    from core.sync.bundle import BundleError
    from core.sync.keys import EnrolmentError, KeyFormatError, KeyStoreError

    try:
        return int(action() or 0)
    except BundleError as exc:
        return _fail(f"同步包被拒绝：{exc.message}\n（没有作任何改动）")
    except (KeyStoreError, KeyFormatError, EnrolmentError, _Refused) as exc:
        return _fail(str(exc))
    except SQLAlchemyError as exc:
        return _fail(f"无法使用数据库：{exc.__class__.__name__}（数据库地址是否正确？数据库是否在运行？）")


# ------------------------------------------------------------------------------------ commands
def cmd_export(args: argparse.Namespace) -> int:
    """``renda sync export``: an upload bundle on a laptop, a reply bundle for one device on the server."""
    from core.sync.bundle import export_client_bundle, export_server_reply
    from core.sync.keys import load_server_key

    def server() -> int:
        if not args.device:
            raise _Refused("在服务器上导出回执包需要 --device（设备号，见导入上传包时的提示）")
        with _server(args) as services:
            key = load_server_key(services.settings.data_dir)
            info = export_server_reply(services.sync, services.factory, args.device, args.out, signing_key=key,
                                       blobs=services.blobs.store, include_blobs=not args.no_attachments,
                                       progress=_Progress())
        print(info.summary())
        print(f"文件：{info.path}\n请把它复制到 U 盘，交给这台电脑的使用者在笔记本上运行：renda sync import <文件>")
        return 0

    def client() -> int:
        if args.device:
            raise _Refused("--device 只用于服务器（--server）")
        with _local_store(args) as store:
            info = export_client_bundle(store, args.out, progress=_Progress())
        print(info.summary())
        print(f"文件：{info.path}\n请把它交给服务器管理员导入（renda sync import --server <文件>）；"
              "拿回回执包后在本机导入。本机的修改在收到回执前会一直保留")
        return 0

    return _run(server if args.server else client)


def cmd_import(args: argparse.Namespace) -> int:
    """``renda sync import FILE``: a reply on a laptop, an upload bundle on the server."""
    from core.sync.bundle import import_client_bundle, import_server_reply
    from core.sync.keys import (
        decode_public_key,
        encode_public_key,
        fingerprint,
        trust_server_key,
        trusted_server_key,
    )

    def server() -> int:
        if args.server_key:
            raise _Refused("--server-key 只用于笔记本导入回执包")
        with _server(args) as services:
            report = import_client_bundle(services.sync, services.factory, args.file,
                                          blobs=services.blobs.store, progress=_Progress())
        print(report.summary())
        for message in report.messages[:20]:
            print(f"  · 被拒绝：{message}")
        print(f"下一步：为这台电脑导出回执包：renda sync export --server --device {report.device_id} --out <U 盘>")
        return 0

    def client() -> int:
        with _local_store(args) as store:
            given: str | None = None
            if args.server_key:
                given = encode_public_key(decode_public_key(args.server_key))
                known = trusted_server_key(store)
                if known and known != given:
                    raise _Refused(f"本机已信任另一把服务器公钥（指纹 {fingerprint(known)}）；"
                                   "如服务器确已更换密钥，请先运行 renda sync trust-server --replace")
            report = import_server_reply(store, args.file, server_public_key=given, progress=_Progress())
            if given and not trusted_server_key(store):
                trust_server_key(store, given)
        print(report.summary())
        for message in report.messages[:20]:
            print(f"  · 被拒绝：{message}")
        return 0

    return _run(server if args.server else client)


def cmd_keys(args: argparse.Namespace) -> int:
    """``renda sync keys``: the device id and public key to enrol, or the server's public key."""
    from core.sync.keys import (
        device_public_key,
        encode_public_key,
        fingerprint,
        load_server_key,
        server_key_path,
        trusted_server_key,
    )

    def server() -> int:
        with _server(args) as services:
            key = load_server_key(services.settings.data_dir)
            path = server_key_path(services.settings.data_dir)
        public = encode_public_key(key)
        print(f"服务器公钥：{public}\n指纹：{fingerprint(public)}\n（私钥保存在 {path}，请勿外传）")
        print(f"请在每台笔记本上运行一次：renda sync trust-server --public-key {public}")
        return 0

    def client() -> int:
        with _local_store(args) as store:
            device_id = store.device_id()
            public = device_public_key(device_id)
            trusted = trusted_server_key(store)
        print(f"设备号：{device_id}\n公钥：{public}\n指纹：{fingerprint(public)}")
        print(f"请管理员在服务器上登记：renda sync enrol --device {device_id} --user <您的用户名> "
              f"--public-key {public}")
        if trusted:
            print(f"本机信任的服务器公钥指纹：{fingerprint(trusted)}")
        else:
            print("本机尚未记住服务器公钥：请向管理员索取，并运行 renda sync trust-server --public-key …")
        return 0

    return _run(server if args.server else client)


def cmd_enrol(args: argparse.Namespace) -> int:
    """``renda sync enrol``: an administrator enrols a laptop (device id and public key) for a user."""
    from core.sync.keys import encode_public_key, enrol_device, fingerprint, load_server_key

    def action() -> int:
        with _server(args) as services:
            result = enrol_device(services.factory, args.device, args.user, args.public_key, name=args.name,
                                  replace=args.replace, actor=_actor())
            server_key = load_server_key(services.settings.data_dir)
        if result.created:
            print(f"已登记设备 {result.device_id}，使用者 {result.username}，公钥指纹 {result.fingerprint}")
        elif result.replaced:
            print(f"已更换设备 {result.device_id} 的公钥，新指纹 {result.fingerprint}")
        else:
            print(f"设备 {result.device_id} 早已登记给 {result.username}（公钥指纹 {result.fingerprint}），未作改动")
        public = encode_public_key(server_key)
        print(f"请在这台笔记本上运行：renda sync trust-server --public-key {public}\n"
              f"（服务器公钥指纹 {fingerprint(public)}，可电话核对）")
        return 0

    return _run(action)


def cmd_trust_server(args: argparse.Namespace) -> int:
    """``renda sync trust-server``: remember the server's public key on this laptop."""
    from core.sync.keys import trust_server_key

    def action() -> int:
        with _local_store(args) as store:
            fp = trust_server_key(store, args.public_key, replace=args.replace)
        print(f"已记住服务器公钥，指纹 {fp}。请与管理员核对指纹是否一致")
        return 0

    return _run(action)
