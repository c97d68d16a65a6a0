"""Command line of the server: ``renda server``, ``renda audit verify``, ``renda backup``/``restore``,
``renda users …``."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from apps.cli_zh import examples
from apps.server.settings import ServerSettings
from core.auth.passwords import PolicyViolation
from core.auth.roles import ROLE_NAMES, ROLES_BY_NAME
from core.auth.service import IdentityError, IdentityService

MAX_WORKERS = 64
WORKER_APP = "apps.server.app:app_from_environment"


def register(subparsers: Any) -> None:
    server = subparsers.add_parser("server", help="启动中心服务器", description="启动中心服务器（HTTP，给出证书和私钥时为 HTTPS）",
                                   epilog=examples(
        ("renda server", "用数据目录下的 server.sqlite3，只在本机 127.0.0.1:8765 提供服务"),
        ("renda server --db sqlite:////var/lib/renda/renda.sqlite3 --host 0.0.0.0 --port 8443 "
         "--cert /etc/renda/server.pem --key /etc/renda/server.key",
         "对外提供 HTTPS；SQLite 文件用绝对路径时 sqlite: 后写四个斜杠（相对路径三个）"),
        ("renda server --db postgresql+psycopg://renda@db.example.gov.cn/renda --host 0.0.0.0 --workers 4",
         "PostgreSQL 数据库，4 个工作进程")))
    _db_option(server)
    server.add_argument("--host", help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0）")
    server.add_argument("--port", type=int, help="端口（默认 8765）")
    server.add_argument("--cert", help="HTTPS 证书文件（PEM）")
    server.add_argument("--key", help="HTTPS 私钥文件（PEM）")
    server.add_argument("--data-dir", help="附件等文件的存放目录")
    server.add_argument("--workers", type=int, default=1, metavar="N",
                        help=f"工作进程数（默认 1，最多 {MAX_WORKERS}）；多于 1 个时须使用 PostgreSQL 数据库")
    server.add_argument("--demo-users", action="store_true", help="创建各角色的演示用户（仅用于演示和培训）")
    server.add_argument("--sms-gateway", metavar="URL",
                        help="发送短信的 Kannel 网关，如 kannel://用户名:密码@127.0.0.1:13013?from=10690（不给出则不发送）")
    server.add_argument("--sms-report-url", metavar="URL", help="网关回报送达状态时访问本服务器的地址，如 http://10.0.0.5:8765")
    server.set_defaults(func=run_server)

    audit = subparsers.add_parser("audit", help="审计日志", description="审计日志",
                                  epilog=examples("renda audit verify",
                                                  "renda audit verify --db sqlite:////var/lib/renda/renda.sqlite3"))
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="操作", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计日志是否被删改",
                                  description="逐条校验审计日志的哈希链；有删改、删除或顺序被调换时指出第一条",
                                  epilog=examples(
        ("renda audit verify", "校验本机服务器数据库（同 renda server）的审计日志"),
        "renda audit verify --db postgresql+psycopg://renda@db.example.gov.cn/renda"))
    _db_option(verify)
    verify.set_defaults(func=audit_verify)

    backup = subparsers.add_parser(
        "backup", help="备份中心服务器（数据库、附件和审计日志末条）",
        description="把中心服务器的数据库（一致的快照）、附件库和审计日志末条写进一个带校验和的备份文件；服务器可照常运行",
        epilog=examples(
            ("renda backup --out /var/backups/renda/renda-2026-12-05.tar.gz",
             "备份本机服务器（同 renda server 的默认数据库和数据目录）"),
            ("renda backup --db postgresql+psycopg://renda@db.example.gov.cn/renda --data-dir /var/lib/renda "
             "--out /var/backups/renda/renda.tar.gz", "PostgreSQL 数据库用同版本的 pg_dump 导出")))
    _db_option(backup)
    backup.add_argument("--data-dir", help="服务器的数据目录（附件库在其下的 blobs 文件夹）")
    backup.add_argument("--out", required=True, metavar="文件", help="备份文件（.tar.gz）")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore", help="从备份文件恢复中心服务器（只恢复到空数据库）",
        description="先完整校验备份文件，再恢复到一个空数据库和数据目录，最后校验审计日志与备份时一致；"
                    "备份文件损坏或目标数据库非空时拒绝，不做任何改动",
        epilog=examples(
            ("renda restore /var/backups/renda/renda.tar.gz --db sqlite:////var/lib/renda/restored.sqlite3 "
             "--data-dir /var/lib/renda", "恢复到一个新的 SQLite 文件"),
            ("renda restore renda.tar.gz --db postgresql+psycopg://renda@db.example.gov.cn/renda_new",
             "恢复到事先用 createdb 建好的空 PostgreSQL 数据库")))
    restore.add_argument("archive", metavar="备份文件")
    _db_option(restore)
    restore.add_argument("--data-dir", help="服务器的数据目录（附件恢复到其下的 blobs 文件夹）")
    restore.set_defaults(func=run_restore)

    users = subparsers.add_parser("users", help="用户管理（创建第一位管理员等）", description="用户管理",
                                  epilog=examples(("renda users create admin --name 王主任 --role 系统管理员",
                                                   "新建第一位管理员（随后提示输入密码）"),
                                                  "renda users list", "renda users unlock zhangsan"))
    users_sub = users.add_subparsers(dest="users_command", metavar="操作", required=True)
    create = users_sub.add_parser(
        "create", help="新建用户", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples("renda users create zhangsan --name 张三 --role 系统管理员",
                        "renda users create lisi --name 李四 --role 专委会委员 --scope committee:教科文卫",
                        ("echo 'Renda@2026demo' | renda users create wangwu --name 王五 --role 预工委工作人员 "
                         "--password-stdin", "从标准输入读取密码（脚本批量建用户时）"),
                        note="角色可写中文名称或代号：" + ROLE_CHOICES_TEXT))
    create.add_argument("username", help="用户名（登录名）")
    create.add_argument("--name", required=True, help="姓名")
    create.add_argument("--role", action="append", default=[], type=role_name, metavar="角色",
                        help="角色（中文名称或代号），可重复")
    create.add_argument("--scope", action="append", default=[], help="额外数据范围，例如 committee:教科文卫")
    create.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    _db_option(create)
    create.set_defaults(func=users_create)
    listing = users_sub.add_parser("list", help="列出用户", description="列出全部用户、角色和锁定状态",
                                   epilog=examples("renda users list",
                                                   "renda users list --db sqlite:///renda.sqlite3"))
    _db_option(listing)
    listing.set_defaults(func=users_list)
    roles = users_sub.add_parser(
        "set-roles", help="设置用户的角色", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples("renda users set-roles zhangsan 系统管理员 预工委工作人员",
                        ("renda users set-roles zhangsan", "去掉 zhangsan 的全部角色"),
                        note="角色可写中文名称或代号：" + ROLE_CHOICES_TEXT))
    roles.add_argument("username")
    roles.add_argument("roles", nargs="*", type=role_name, metavar="角色")
    _db_option(roles)
    roles.set_defaults(func=users_set_roles)
    unlock = users_sub.add_parser("unlock", help="解除登录锁定", description="解除因多次输错密码而锁定的登录",
                                  epilog=examples("renda users unlock zhangsan"))
    unlock.add_argument("username")
    _db_option(unlock)
    unlock.set_defaults(func=users_unlock)


ROLE_CHOICES_TEXT = "、".join(f"{ROLES_BY_NAME[n].label_zh}（{n}）" for n in ROLE_NAMES)


def role_name(text: str) -> str:
    """A role given by its Chinese name (专委会委员) or its id (committee_member), as the id."""
    wanted = text.strip()
    if wanted in ROLE_NAMES:
        return wanted
    for name in ROLE_NAMES:
        if ROLES_BY_NAME[name].label_zh == wanted:
            return name
    raise argparse.ArgumentTypeError(f"没有角色“{wanted}”。可选：{ROLE_CHOICES_TEXT}")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库地址（默认为数据目录下的 server.sqlite3，或环境变量 RENDA_SERVER_DB_URL）")


def settings_from(args: argparse.Namespace) -> ServerSettings:
    overrides = {"db_url": getattr(args, "db", None), "host": getattr(args, "host", None),
                 "port": getattr(args, "port", None), "certfile": getattr(args, "cert", None),
                 "keyfile": getattr(args, "key", None), "data_dir": getattr(args, "data_dir", None),
                 "sms_gateway": getattr(args, "sms_gateway", None),
                 "sms_report_url": getattr(args, "sms_report_url", None)}
    return ServerSettings(**{k: v for k, v in overrides.items() if v is not None})


def _actor() -> str:
    try:
        return f"console:{getpass.getuser()}"
    except (KeyError, OSError):
        return "console"


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


# ------------------------------------------------------------------ server
def run_server(args: argparse.Namespace) -> int:
    import uvicorn
    from pydantic import ValidationError

    from apps.server.app import create_app
    from apps.server.embedded import uvicorn_config
    from apps.server.services import ServerServices

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    try:
        settings = settings_from(args)
    except ValidationError as exc:
        return _fail(f"设置有误：{exc.errors()[0].get('msg', exc)}")
    workers = args.workers
    if not 1 <= workers <= MAX_WORKERS:
        return _fail(f"--workers 应为 1 到 {MAX_WORKERS} 之间的整数")
    if workers > 1 and getattr(sys, "frozen", False):
        return _fail("打包版的 renda 程序只以单进程运行服务器；多进程（--workers）请在服务器上用 pip 安装的 renda")
    if workers > 1 and settings.dialect != "postgresql":
        return _fail("SQLite 数据库只能由一个服务器进程读写：多进程（--workers 大于 1）请改用 PostgreSQL 数据库"
                     "（--db postgresql+psycopg://用户@主机/库名），或去掉 --workers")
    try:
        # Migrate, seed roles and demo users once, before any worker starts.
        services = ServerServices.open(settings)
    except SQLAlchemyError as exc:
        return _fail(f"无法打开数据库：{exc.__class__.__name__}（数据库地址是否正确、数据库是否已启动？）")
    if args.demo_users:
        created = services.identity.ensure_demo_users()
        if created:
            print(f"已创建演示用户：{'、'.join(created)}")
    scheme = "https" if settings.uses_tls else "http"
    print(f"中心服务器：{scheme}://{settings.host}:{settings.port}  数据库：{services.dialect}  工作进程：{workers}")
    if not settings.uses_tls and settings.host not in ("127.0.0.1", "localhost", "::1"):
        print("注意：未启用 HTTPS，密码和数据将以明文在网络上传输；请用 --cert 和 --key 启用 HTTPS")
    if workers == 1:
        app = create_app(settings, services)
        from apps.server.app import freeze_startup_objects

        freeze_startup_objects()
        uvicorn.Server(uvicorn_config(app, settings)).run()
        services.close()
        return 0
    services.close()
    os.environ.update(settings.to_environment())  # each worker reads its settings back from here
    uvicorn.run(WORKER_APP, factory=True, workers=workers, host=settings.host, port=settings.port,
                ssl_certfile=str(settings.certfile) if settings.certfile else None,
                ssl_keyfile=str(settings.keyfile) if settings.keyfile else None,
                log_config=None, lifespan="on", timeout_graceful_shutdown=5, server_header=False)
    return 0


# ------------------------------------------------------------------ audit
def audit_verify(args: argparse.Namespace) -> int:
    """Print the chain report; exit code 1 when the log was tampered with or cannot be read."""
    from core.audit import verify_chain
    from core.db import DatabaseMissing, existing_engine

    try:  # a verifier reads only: a missing or foreign database is refused, nothing is created or upgraded
        engine = existing_engine(settings_from(args).db_url, upgrade=False)
    except DatabaseMissing as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        with Session(engine) as session:
            report = verify_chain(session)
    except SQLAlchemyError as exc:
        return _fail(f"无法读取审计日志：{exc.__class__.__name__}（数据库地址是否正确？）")
    finally:
        engine.dispose()
    print(report.describe())
    return 0 if report.ok else 1


# ------------------------------------------------------------------ backup and restore
def run_backup(args: argparse.Namespace) -> int:
    """Exit 0 with the archive written; 2 when refused (nothing written)."""
    from core.backup import BackupRefused, create_backup

    settings = settings_from(args)
    try:
        report = create_backup(settings.db_url, settings.data_dir, Path(args.out))
    except BackupRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已备份到 {report.path}（{report.size / 1048576:.1f} MB）：{report.dialect} 数据库（版本 {report.revision}），"
          f"附件 {report.blobs} 个，审计日志末条 {report.audit.describe()}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Exit 0 when restored and verified; 2 when refused (nothing changed); 1 when the restored audit
    log does not verify."""
    from core.backup import BackupRefused, RestoreUnverified, restore_backup

    settings = settings_from(args)
    try:
        report = restore_backup(Path(args.archive), settings.db_url, settings.data_dir)
    except BackupRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except RestoreUnverified as exc:
        return _fail(f"错误：{exc}")
    print(f"已恢复：{report.dialect} 数据库（版本 {report.revision}），附件 {report.blobs} 个；"
          f"审计日志校验通过，末条 {report.audit.describe()}，与备份时一致")
    return 0


# ------------------------------------------------------------------ users
@contextmanager
def _identity(args: argparse.Namespace) -> Iterator[IdentityService]:
    """The identity service over the server database (migrated, roles seeded), closed afterwards."""
    from core.db import make_engine, make_session_factory, migrate

    settings = settings_from(args)
    engine = make_engine(settings.db_url)
    try:
        migrate(engine)
        service = IdentityService(make_session_factory(engine), settings.identity_settings())
        service.ensure_roles()
        yield service
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        print("两次输入的密码不一致", file=sys.stderr)
        return None
    return first


def users_create(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    if password is None:
        return 1
    try:
        with _identity(args) as service:
            user = service.create_user(args.username, args.name, password, args.role, actor=_actor(),
                                       scopes=args.scope)
    except PolicyViolation as exc:
        return _fail("密码不符合要求：\n" + "\n".join(f"  · {p}" for p in exc.problems))
    except IdentityError as exc:
        return _fail(str(exc))
    print(f"已创建用户 {user.username}（{user.display_name}），角色：{'、'.join(user.roles) or '无'}")
    return 0


def users_list(args: argparse.Namespace) -> int:
    with _identity(args) as service:
        users = service.list_users()
    for u in users:
        state = "在用" if u.is_active else "停用"
        if u.locked_until is not None:
            state += f"，锁定至 {u.locked_until:%Y-%m-%d %H:%M} UTC"
        print(f"{u.username:<16} {u.display_name:<20} {','.join(u.roles) or '-':<30} {state}")
    print(f"共 {len(users)} 位用户")
    return 0


def _by_name(service: IdentityService, username: str) -> str:
    user = service.find_user(username)
    if user is None:
        raise IdentityError(f"用户“{username}”不存在")
    return user.id


def users_set_roles(args: argparse.Namespace) -> int:
    try:
        with _identity(args) as service:
            user = service.set_roles(_actor(), _by_name(service, args.username), args.roles)
    except IdentityError as exc:
        return _fail(str(exc))
    print(f"{user.username} 的角色：{'、'.join(user.roles) or '无'}")
    return 0


def users_unlock(args: argparse.Namespace) -> int:
    try:
        with _identity(args) as service:
            user = service.unlock(_actor(), _by_name(service, args.username))
    except IdentityError as exc:
        return _fail(str(exc))
    print(f"已解除 {user.username} 的登录锁定")
    return 0
