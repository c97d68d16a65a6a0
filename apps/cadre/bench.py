"""``renda bench cadre --people N``: the retired-cadre desk at the size of the office's records.

1. N demonstration people (with branches, aid, activities, check-ups) go into a fresh SQLite database
   → ``demo_s``; the search index is built from them → ``index_s``.
2. ``search_p95_ms``: 95th percentile over 300 searches as the clerk types — every prefix of names, their
   initials and their pinyin.
3. ``reminders_ms``: the reminders page (solar and lunar birthdays, retirements, hospital stays,
   anniversaries for 30 days), median of five.
4. ``stats_ms``: the analysis page (:func:`core.cadre.stats.analysis`), median of three.
5. ``docx_ms`` and ``labels_s``: one major-event report from the default Word template (median of five) and
   2,000 address labels to PDF (:mod:`apps.cadre.bench_documents`).

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

TARGETS = {"search_p95_ms": 30, "reminders_ms": 200, "stats_ms": 500, "docx_ms": 1000, "labels_s": 5}


def register_bench(kinds: Any) -> None:
    """Add ``cadre`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    p = kinds.add_parser("cadre", help="老干部性能：按姓名、拼音、首字母查找，提醒页，分析页",
                         description="老干部性能：查找、提醒页、分析页；最后一行是 JSON",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(("renda bench cadre --people 20000", "两万人")))
    p.add_argument("--people", type=int, default=20_000, help="人数 N（默认 20000）")
    p.set_defaults(func=run_cadre_bench)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run_cadre_bench(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from apps.cadre.bench_documents import measure
    from core.cadre.demo import generate
    from core.cadre.models import CadPerson
    from core.cadre.reminders import reminders
    from core.cadre.search import SearchIndex
    from core.cadre.stats import analysis
    from core.db import make_engine, make_session_factory, migrate

    if args.people < 1:
        print("错误：--people 须为正整数", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="renda-bench-cadre-"))
    engine = make_engine(f"sqlite:///{folder / 'cadre.sqlite3'}")
    today = date.today()
    try:
        migrate(engine)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with factory.begin() as s:
            generate(s, args.people, today)
        demo_s = time.perf_counter() - started
        _log(f"演示数据：{args.people} 人，{demo_s:.1f} 秒")
        with factory() as s:
            started = time.perf_counter()
            index = SearchIndex.load(s)
            index_s = time.perf_counter() - started
            rng = random.Random(7)
            entries = [hits[0] for q in ("王", "李", "张") if (hits := index.search(q))]
            names = rng.sample(index.entries(), min(100, len(index))) + entries
            queries: list[str] = []
            for entry in names:
                for text in (entry.name, entry.initials[0], entry.spellings[0]):
                    queries.append(text[: rng.randint(1, len(text))])
            queries = queries[:300]
            times = []
            for q in queries:
                started = time.perf_counter()
                index.search(q)
                times.append(time.perf_counter() - started)
            search_p95 = sorted(times)[int(len(times) * 0.95) - 1]
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                found = reminders(s, today, 30)
                runs.append(time.perf_counter() - started)
            reminders_ms = statistics.median(runs)
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                analysis(s, today)
                runs.append(time.perf_counter() - started)
            stats_ms = statistics.median(runs)
            people = list(s.scalars(select(CadPerson).order_by(CadPerson.id).limit(2000)))
            documents = measure(s, people)
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    figures = {"people": args.people, "demo_s": round(demo_s, 1), "index_s": round(index_s, 2),
               "search_p95_ms": _ms(search_p95), "reminders_ms": _ms(reminders_ms), "reminders": len(found),
               "stats_ms": _ms(stats_ms), **documents}
    figures["targets_met"] = all(figures[k] <= v for k, v in TARGETS.items())  # type: ignore[operator]
    print(json.dumps(figures, ensure_ascii=False))
    return 0
