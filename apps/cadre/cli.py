"""``renda cadre``: the retired-cadre commands.

::

    renda cadre import-retiring 即将离退休.xlsx [--db URL] [--today 2026-12-05]
    renda cadre template 即将离退休模板.xlsx
    renda cadre demo-data --people 2000 [--db URL]
    renda cadre document 讣告 --person ID --out 讣告.pdf
    renda cadre labels --out 标签.pdf
    renda cadre link pull --url https://rsrm.example.gov.cn/renda/ [--token-env RSRM_TOKEN]
    renda cadre exchange import 公文交换包.zip

``import-retiring`` checks the whole file first and changes nothing when any row is wrong (exit 2, every
problem printed with its row and column); it writes into the server's database unless ``--db`` names another.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

DB_HELP = "数据库地址（默认：服务器的数据库），例如 sqlite:///renda.sqlite3"
EXIT_OK = 0
EXIT_REFUSED = 2


def _help(*items: tuple[str, str]) -> dict[str, Any]:
    return {"formatter_class": argparse.RawDescriptionHelpFormatter, "epilog": examples(*items)}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，请写成 2026-12-05 的形式") from None


def register(subparsers: Any) -> None:
    cadre = subparsers.add_parser(
        "cadre", help="老干部：导入即将离退休人员、导入模板、演示数据", description="老干部", **_help(
            ("renda cadre template 即将离退休模板.xlsx", "生成人事任免导入模板"),
            ("renda cadre import-retiring 即将离退休.xlsx", "导入即将离退休人员并计算法定退休时间")))
    sub = cadre.add_subparsers(dest="cadre_command", metavar="操作", required=True)
    imp = sub.add_parser(
        "import-retiring", help="导入人事任免系统的即将离退休人员（有任何问题则整个文件不导入）",
        description="导入即将离退休人员（Excel 或 CSV，按模板）", **_help(
            ("renda cadre import-retiring 即将离退休.xlsx", "写入服务器数据库"),
            ("renda cadre import-retiring 即将离退休.csv --db sqlite:///演示.sqlite3", "写入指定数据库")))
    imp.add_argument("file", type=Path, metavar="文件", help="按模板填写的 .xlsx 或 .csv 文件")
    imp.add_argument("--today", type=_day, default=None, metavar="日期", help="以哪一天为今天（默认今天）")
    imp.add_argument("--db", help=DB_HELP)
    imp.set_defaults(func=cmd_import_retiring)
    tpl = sub.add_parser("template", help="生成即将离退休人员导入模板（Excel）", description="生成导入模板",
                         **_help(("renda cadre template 模板.xlsx", "写出模板")))
    tpl.add_argument("out", type=Path, metavar="文件", help="模板的保存位置（.xlsx）")
    tpl.set_defaults(func=cmd_template)
    demo = sub.add_parser(
        "demo-data", help="生成虚构的老干部（标注【演示数据】），含党支部、帮困救助、活动和体检",
        description="生成演示老干部数据", **_help(
            ("renda cadre demo-data --people 2000", "在服务器数据库中生成两千人"),
            ("renda cadre demo-data --people 20000 --db sqlite:///演示.sqlite3", "两万人写入指定数据库")))
    demo.add_argument("--people", type=int, default=2000, metavar="N", help="人数（默认 2000）")
    demo.add_argument("--db", help=DB_HELP)
    demo.set_defaults(func=cmd_demo_data)
    from apps.cadre.cli_documents import register_documents

    register_documents(sub)
    from apps.cadre.cli_notices import register_notices

    register_notices(sub)
    from apps.cadre.cli_link import register_link

    register_link(sub)
    from apps.cadre.cli_exchange import register_exchange

    register_exchange(sub)


def _url(db: str | None) -> str:
    if db:
        return db
    from apps.server.settings import ServerSettings

    return ServerSettings().db_url


def cmd_import_retiring(args: argparse.Namespace) -> int:
    from core.cadre.appointments import import_retiring
    from core.db import make_engine, make_session_factory, migrate
    from core.sync.stamping import install_server_hooks

    engine = make_engine(_url(args.db))
    try:
        migrate(engine)
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        with factory() as s:
            result = import_retiring(s, args.file, args.today or date.today())
            if result.ok:
                s.commit()
            else:
                s.rollback()
    finally:
        engine.dispose()
    print(result.report(), file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_REFUSED


def cmd_template(args: argparse.Namespace) -> int:
    from core.cadre.appointments import write_template

    if args.out.suffix.lower() != ".xlsx":
        print("错误：模板须保存为 .xlsx 文件", file=sys.stderr)
        return EXIT_REFUSED
    try:
        write_template(args.out)
    except OSError as exc:
        print(f"错误：无法写入“{args.out}”：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"已生成导入模板：{args.out}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from core.cadre.demo import DemoDataExists, generate
    from core.db import make_engine, make_session_factory, migrate
    from core.sync.stamping import install_server_hooks

    if args.people < 1:
        print("错误：--people 须为正整数", file=sys.stderr)
        return EXIT_REFUSED
    engine = make_engine(_url(args.db))
    try:
        migrate(engine)
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        with factory.begin() as s:
            result = generate(s, args.people, date.today())
    except DemoDataExists as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(f"已生成演示老干部 {result.people} 人、党支部 {result.branches} 个、帮困救助 {result.aid} 件、"
          f"活动 {result.activities} 项、体检 {result.checkups} 人次")
    return EXIT_OK
