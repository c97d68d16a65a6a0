"""``renda cadre document`` and ``renda cadre labels``: a retiree's documents and address labels.

::

    renda cadre document 重大事项报告 --person ID --out 报告.docx [--event 内容] [--title 标题] [--template 模板.docx]
    renda cadre document 讣告 --person ID --out 讣告.pdf
    renda cadre labels --out 标签.pdf [--category CODE] [--sheet 2x7|3x8|2x4] [--outlines]

The output format follows the file's suffix (.docx or .pdf). The commands work on the server's database
unless ``--db`` names another; exit status 0 on success, 1 when anything was refused (the reason is printed,
no file is written).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from apps.cadre.cli import _help

EXIT_OK, EXIT_REFUSED = 0, 1


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，应写成 2026-12-05 这样") from None


def register_documents(cadre_subparsers: Any) -> None:
    """Add ``document`` and ``labels`` to the sub-commands of ``renda cadre``."""
    from core.cadre.documents import DOCUMENT_KINDS
    from core.cadre.labels import DEFAULT_LAYOUT, LAYOUTS

    doc = cadre_subparsers.add_parser("document", help="生成老干部文书（重大事项报告、业务登记表、申请表、讣告）",
                                      description="按 Word 模板生成文书，输出 Word（.docx）或 PDF", **_help(
        ("renda cadre document 重大事项报告 --person ID --event 住院治疗情况 --out 报告.docx", "生成重大事项报告"),
        ("renda cadre document 讣告 --person ID --out 讣告.pdf", "生成讣告的 PDF")))
    doc.add_argument("kind", choices=DOCUMENT_KINDS, metavar="文书", help="、".join(DOCUMENT_KINDS))
    doc.add_argument("--person", required=True, metavar="ID", help="老干部档案编号")
    doc.add_argument("--out", required=True, type=Path, metavar="文件", help="输出文件（.docx 或 .pdf）")
    doc.add_argument("--template", type=Path, metavar="模板", help="自定义 Word 模板（默认用系统自带模板）")
    doc.add_argument("--date", type=_day, default=None, metavar="日期", help="成文日期（默认今天）")
    doc.add_argument("--title", default="", help="重大事项的标题，例如 住院治疗")
    doc.add_argument("--event", default="", help="重大事项的内容")
    doc.add_argument("--matter", default="", help="登记或申请的事项")
    doc.add_argument("--reason", default="", help="申请理由")
    doc.add_argument("--clerk", default="", help="经办人")
    doc.add_argument("--db", help="数据库地址（默认：服务器的数据库）")
    doc.set_defaults(func=cmd_document)
    labels = cadre_subparsers.add_parser("labels", help="打印地址标签（A4 标签纸）", description="老干部地址标签",
                                         **_help(("renda cadre labels --out 标签.pdf --sheet 3x8", "3×8 标签纸")))
    labels.add_argument("--out", required=True, type=Path, metavar="文件", help="输出的 PDF 文件")
    labels.add_argument("--category", default=None, metavar="类别编码", help="只打印某一人员类别")
    labels.add_argument("--sheet", default=DEFAULT_LAYOUT, choices=list(LAYOUTS), help="标签纸规格")
    labels.add_argument("--outlines", action="store_true", help="画出标签边框（用普通纸预览时）")
    labels.add_argument("--db", help="数据库地址（默认：服务器的数据库）")
    labels.set_defaults(func=cmd_labels)


register = register_documents


def _factory(db: str | None) -> tuple[Any, Any]:
    from core.db import make_engine, make_session_factory, migrate

    if not db:
        from apps.server.settings import ServerSettings

        db = ServerSettings().db_url
    engine = make_engine(db)
    migrate(engine)
    return engine, make_session_factory(engine)


def cmd_document(args: argparse.Namespace) -> int:
    from core.cadre.documents import DocumentError, DocumentRequest, document_docx, document_pdf
    from core.cadre.models import CadPerson

    suffix = args.out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        print(f"输出文件“{args.out.name}”的扩展名应为 .docx 或 .pdf", file=sys.stderr)
        return EXIT_REFUSED
    template = None
    if args.template is not None:
        try:
            template = args.template.read_bytes()
        except OSError:
            print(f"模板文件“{args.template}”无法读取", file=sys.stderr)
            return EXIT_REFUSED
    request = DocumentRequest(on=args.date or date.today(), event_title=args.title, event=args.event,
                              matter=args.matter, reason=args.reason, clerk=args.clerk)
    engine, factory = _factory(args.db)
    try:
        with factory.begin() as s:
            person = s.get(CadPerson, args.person)
            if person is None:
                print(f"没有编号为“{args.person}”的老干部档案", file=sys.stderr)
                return EXIT_REFUSED
            make = document_pdf if suffix == ".pdf" else document_docx
            data = make(s, person, args.kind, request, template=template, actor="cli")
    except DocumentError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    args.out.write_bytes(data)
    print(f"已生成{args.kind}：{args.out}")
    return EXIT_OK


def cmd_labels(args: argparse.Namespace) -> int:
    from core.cadre.labels import LabelError, cadre_recipients, labels_pdf

    engine, factory = _factory(args.db)
    try:
        with factory() as s:
            people = cadre_recipients(s, category=args.category)
        data = labels_pdf(people, sheet=args.sheet, outlines=args.outlines)
    except LabelError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    args.out.write_bytes(data)
    print(f"已生成 {len(people)} 张地址标签：{args.out}")
    return EXIT_OK
