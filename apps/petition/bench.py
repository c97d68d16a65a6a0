"""``renda bench petition --cases N [--db URL]``: letters and visits at the size of a busy office.

1. N demonstration cases (two years, every state) go into a fresh SQLite database (or the one ``--db``
   names, which must then be empty of demo cases) → ``demo_s``; the local text index is built from them
   → ``index_s``.
2. ``inbox_ms``: the first screen (200 rows) of the deadline inbox, median of five.
3. ``search_p95_ms``: 95th percentile over 200 searches — text (one or two words from real subjects), case
   codes, phones, ID numbers and names, as clerks type them.
4. ``similar_p95_ms``: 95th percentile over 200 similar-case lookups with the subject and opening of a case
   being registered (texts taken from existing cases, each varied).
5. ``stats_ms``: a year's statistics (:func:`core.petition.stats.period_stats`), median of three;
   ``hot_topics_ms``: the hot topics of the last month against the month before.
6. The public portal's load run (``apps.portal.bench.run_portal_load``: 50 clients on 127.0.0.1 for 30 s
   submitting and tracking) → ``portal_p99_ms``, ``portal_rps``, ``portal_lost``; omitted (with
   ``portal: "not installed"``) in a build without the portal.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

TARGETS = {"inbox_ms": 300, "search_p95_ms": 100, "similar_p95_ms": 100, "stats_ms": 1000}


def register_bench(kinds: Any) -> None:
    """Add ``petition`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    p = kinds.add_parser("petition", help="信访性能：期限收件箱首屏、检索、相似件、全年统计、网上信访并发",
                         description="信访性能：期限收件箱首屏、检索、相似件查找、全年统计、网上信访并发；最后一行是 JSON",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(("renda bench petition --cases 100000", "十万件（约两分钟，含 30 秒网上信访并发）"),
                                         ("renda bench petition --cases 20000 --portal-seconds 0",
                                          "两万件，不做网上信访并发")))
    p.add_argument("--cases", type=int, default=100_000, help="信访件数 N（默认 100000）")
    p.add_argument("--db", default=None, help="数据库地址（默认：临时 SQLite 数据库，结束后删除）")
    p.add_argument("--portal-clients", type=int, default=50, help="网上信访并发客户端数（默认 50）")
    p.add_argument("--portal-seconds", type=float, default=30, help="网上信访并发时长（秒，默认 30；0 则不做）")
    p.set_defaults(func=run_petition_bench)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(engine: Any, *, today: date, seed: int = 7, runs: int = 200) -> dict[str, Any]:
    """The inbox, search, similar and statistics figures over the cases in ``engine``."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from core.petition import search, similar, stats, textindex
    from core.petition.models import PetCase, PetPetitioner

    rng = random.Random(seed)
    out: dict[str, Any] = {}
    with Session(engine) as s, s.begin():
        t = time.perf_counter()
        textindex.refresh(s)
        out["index_s"] = round(_ms(t) / 1000, 2)
    with Session(engine) as s:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rows = search.inbox(s, today=today, limit=200)
            times.append(_ms(t))
        out["inbox_ms"] = round(statistics.median(times), 1)
        out["inbox_rows"] = len(rows)
        sample = list(s.execute(select(PetCase.code, PetCase.subject, PetCase.content, PetPetitioner.phone,
                                       PetPetitioner.id_number, PetPetitioner.name)
                                .join(PetPetitioner, PetPetitioner.id == PetCase.petitioner_id)
                                .order_by(PetCase.id).limit(5000)))
        queries: list[str] = []
        for i in range(runs):
            code, subject, _content, phone, id_number, name = rng.choice(sample)
            kind = i % 6
            if kind == 0:  # a few characters from a subject
                at = rng.randrange(0, max(1, len(subject) - 4))
                queries.append(subject[at:at + rng.choice((2, 3, 4))])
            elif kind == 1:  # two words
                queries.append(f"{subject[:2]} {subject[-3:]}")
            else:
                queries.append((code, phone or "", id_number or "", name)[kind - 2])
        times = []
        for q in queries:
            t = time.perf_counter()
            search.search(s, q, limit=100, refresh=False)
            times.append(_ms(t))
        out["search_p95_ms"] = round(_p95(times), 1)
        times = []
        for _ in range(runs):
            _code, subject, content, *_rest = rng.choice(sample)
            cut = rng.randrange(10, 60)
            text = subject + "。" + (content or "")[cut:cut + 80]
            t = time.perf_counter()
            similar.similar_cases(s, text, limit=10, refresh=True)
            times.append(_ms(t))
        out["similar_p95_ms"] = round(_p95(times), 1)
        end = today.replace(day=1) - timedelta(days=1)
        start = (date(end.year - 1, end.month, 1) + timedelta(days=31)).replace(day=1)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            figures = stats.period_stats(s, start, end)
            times.append(_ms(t))
        out["stats_ms"] = round(statistics.median(times), 1)
        out["stats_cases"] = figures.total
        m_start, m_end = stats.month_bounds(end.year, end.month)
        t = time.perf_counter()
        stats.hot_topics(s, m_start, m_end)
        out["hot_topics_ms"] = round(_ms(t), 1)
    return out


def run_petition_bench(args: argparse.Namespace) -> int:
    from core.db import make_engine, migrate
    from core.petition.demo import generate

    if args.cases < 1:
        print("错误：--cases 须为正整数", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="renda-bench-petition-"))
    url = args.db or f"sqlite:///{folder / 'petition.sqlite3'}"
    figures: dict[str, Any] = {"cases": args.cases}
    today = date.today()
    try:
        engine = make_engine(url)
        migrate(engine)
        _log(f"生成 {args.cases} 件演示信访件 …")
        t = time.perf_counter()
        generate(engine, cases=args.cases, until=today)
        figures["demo_s"] = round(time.perf_counter() - t, 2)
        _log("测量收件箱、检索、相似件、统计 …")
        figures.update(measure(engine, today=today))
        engine.dispose()
        if args.portal_seconds > 0 and importlib.util.find_spec("apps.portal.bench") is not None:
            from apps.portal.bench import run_portal_load

            _log(f"网上信访并发：{args.portal_clients} 个客户端，{args.portal_seconds:g} 秒 …")
            load = run_portal_load(url, clients=args.portal_clients, seconds=args.portal_seconds)
            figures.update({k: load[k] for k in ("portal_p99_ms", "portal_rps", "portal_lost") if k in load})
        elif args.portal_seconds > 0:
            figures["portal"] = "not installed"
        else:
            figures["portal"] = "skipped"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    figures["targets_met"] = all(figures.get(k, 0) <= v for k, v in TARGETS.items()) and \
        figures.get("portal_lost", 0) == 0
    print(json.dumps(figures, ensure_ascii=False))
    return 0
