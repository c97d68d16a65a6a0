"""Figures of the retirees' documents and labels: ``docx_ms`` and ``labels_s``.

- ``docx_ms``: one major-event report (重大事项报告) filled from the default template, median of five.
- ``labels_s``: 2,000 address labels (2×7 sheets) to PDF.

:func:`measure` works on a session and the people given to it (the cadre bench calls it with its demo data);
``python -m apps.cadre.bench_documents --people 2000`` makes invented people in a temporary SQLite database
first. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from core.cadre.documents import DocumentRequest, document_docx
from core.cadre.labels import Recipient, labels_pdf
from core.cadre.models import CadPerson

TARGETS = {"docx_ms": 1000, "labels_s": 5}
LABELS = 2000
SURNAMES = "张王李赵刘陈杨黄周吴徐孙朱马胡郭林何高罗"
GIVEN = "建国明华秀英志强桂兰玉珍文军海燕国平"
STREETS = ("黄浦区人民大道", "徐汇区漕溪北路", "静安区南京西路", "浦东新区世纪大道", "长宁区延安西路")


def invented_people(session: Session, count: int) -> list[CadPerson]:
    """``count`` invented retirees marked 【演示数据】, with long and short addresses."""
    people = []
    for i in range(count):
        street = STREETS[i % len(STREETS)]
        extra = "某某小区十二号楼三单元一〇二室（近地铁站三号出口，门卫室代收）" if i % 7 == 0 else f"{i % 90 + 1}弄{i % 30 + 1}号"
        person = CadPerson(name=SURNAMES[i % 20] + GIVEN[i % 16] + GIVEN[(i * 7) % 16], gender="男女"[i % 2],
                           birth_date=date(1930 + i % 30, i % 12 + 1, i % 28 + 1), retirement_kind="退休",
                           former_unit="上海市人大常委会办公厅", former_post="处长", treatment_level="正处级",
                           address=f"上海市{street}{i % 900 + 1}号{extra}", postcode=f"200{i % 1000:03d}",
                           note="【演示数据】")
        session.add(person)
        people.append(person)
    session.flush()
    return people


def measure(session: Session, people: Sequence[CadPerson]) -> dict[str, float]:
    """``docx_ms`` for one major-event report and ``labels_s`` for 2,000 labels of ``people`` (repeated)."""
    if not people:
        raise ValueError("没有老干部档案，无法测量")
    request = DocumentRequest(on=date.today(), event_title="住院治疗", event="因病住院治疗，目前病情稳定。")
    times = []
    for i in range(5):
        start = time.perf_counter()
        document_docx(session, people[i % len(people)], "重大事项报告", request)
        times.append((time.perf_counter() - start) * 1000)
    recipients = [Recipient(p.name, p.address or "", p.postcode) for p in people]
    recipients = (recipients * (LABELS // len(recipients) + 1))[:LABELS]
    start = time.perf_counter()
    labels_pdf(recipients)
    labels_s = time.perf_counter() - start
    return {"docx_ms": round(statistics.median(times), 1), "labels_s": round(labels_s, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apps.cadre.bench_documents",
                                     description="老干部文书和标签的性能；最后一行是 JSON")
    parser.add_argument("--people", type=int, default=2000, help="虚构的老干部人数（默认 2000）")
    args = parser.parse_args(argv)
    if args.people < 1:
        print("--people 应为正整数", file=sys.stderr)
        return 1
    from core.db import make_engine, make_session_factory, migrate

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        migrate(engine)
        factory = make_session_factory(engine)
        with factory.begin() as s:
            figures = measure(s, invented_people(s, args.people))
        engine.dispose()
    figures_out = {**figures, "people": args.people, "targets": TARGETS}
    print(json.dumps(figures_out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
