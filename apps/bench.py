"""`renda bench …`: measured benchmarks, one sub-command per system. The last line each prints is one JSON
object with the figures.

Each system keeps its benchmark in its own folder (``apps/<system>/bench.py``) and plugs it in here through
``BENCH_MODULES``: a module exposing ``register_bench(kinds)``, which adds its sub-command to the
sub-parsers of ``renda bench``. A new system adds its module and one line below. A module that cannot be
imported (its feature is not installed in this build) is skipped.
"""

from __future__ import annotations

import importlib
from typing import Any

from apps.cli_zh import examples

BENCH_MODULES = (
    "apps.sync.bench",        # bench sync
    "apps.conference.bench",  # bench conference
    "apps.budget.bench",      # bench budget
    "apps.cadre.bench",       # bench cadre
    "apps.petition.bench",    # bench petition
    "apps.machine_room.bench",  # bench monitor
)

EPILOG = examples("renda bench sync --rows 200000", "renda bench conference --link tcp --seats 1000",
                  "renda bench budget --payments 1000000",
                  "renda bench petition --cases 100000", "renda bench monitor --points 1000 --interval 1 --seconds 120",
                  note="每项的参数：renda bench 项目 -h，例如 renda bench budget -h")


def register(sub: Any) -> None:
    """Add ``renda bench`` and every system's benchmark to the ``renda`` parser."""
    bench = sub.add_parser("bench", help="性能基准测试", description="性能基准测试：最后一行输出一个 JSON 对象，列出各项数据",
                           epilog=EPILOG)
    kinds = bench.add_subparsers(dest="bench_kind", metavar="项目")
    bench.set_defaults(func=lambda _a: bench.print_help() or 0)
    for name in BENCH_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == name or name.startswith(exc.name)):
                continue  # feature not installed in this build
            raise
        module.register_bench(kinds)
