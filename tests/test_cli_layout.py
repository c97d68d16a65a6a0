"""Each system's commands and benchmark live in its own folder and are registered through one list each."""

from __future__ import annotations

import importlib
from pathlib import Path

from apps.bench import BENCH_MODULES
from apps.cli import COMMAND_MODULES, build_parser

APPS = Path(__file__).resolve().parents[1] / "apps"


def _subcommands(parser: object) -> dict[str, object]:
    for action in getattr(parser, "_actions", ()):
        if action.__class__.__name__ == "_SubParsersAction":
            return dict(action.choices)
    return {}


def test_no_feature_module_lies_at_the_root_of_apps() -> None:
    assert sorted(p.name for p in APPS.glob("*.py")) == ["__init__.py", "bench.py", "cli.py", "cli_zh.py"]


def test_every_command_and_bench_module_is_in_a_folder_and_registers() -> None:
    for name in COMMAND_MODULES:
        assert name.count(".") == 2 or name == "apps.bench", name
        assert callable(importlib.import_module(name).register)
    for name in BENCH_MODULES:
        assert name.endswith(".bench") and name.count(".") == 2, name
        assert callable(importlib.import_module(name).register_bench)


def test_renda_bench_offers_every_system_benchmark() -> None:
    bench = _subcommands(build_parser())["bench"]
    assert {"sync", "budget", "conference"} <= set(_subcommands(bench))
