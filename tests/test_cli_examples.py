"""Every command's help ends in a 示例 section whose command lines the real parser accepts."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator

import pytest

from apps.cli import build_parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ("renda",)) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for name, child in _subparsers(parser).items():
        yield from walk(child, (*path, name))


def example_commands(parser: argparse.ArgumentParser) -> list[str]:
    """The command lines of the 示例 section (after a pipe, the ``renda …`` part)."""
    text = parser.epilog or ""
    if "示例：" not in text:
        return []
    lines = []
    for line in text.split("示例：", 1)[1].splitlines():
        if not line.startswith("  ") or line.startswith("      "):
            continue  # an explanation line, or the note after the examples
        command = line.strip().rsplit("| ", 1)[-1]
        if command.startswith("renda"):
            lines.append(command)
    return lines


COMMANDS = list(walk(build_parser()))


def test_the_walk_reaches_every_level() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"renda budget exchange trust", "renda bench budget", "renda seats listen", "renda sync enrol",
            "renda users unlock", "renda screenshots", "renda kiosk"} <= names
    assert len(COMMANDS) > 40


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_shows_working_examples(path: tuple[str, ...], parser: argparse.ArgumentParser,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    examples = example_commands(parser)
    assert examples, f"{' '.join(path)} -h has no 示例"
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args([*path[1:], "-h"])
    assert stop.value.code == 0
    assert "示例：" in capsys.readouterr().out
    own = " ".join(path)
    assert any(e == own or e.startswith(own + " ") for e in examples), f"no example of {own} itself"
    for line in examples:
        argv = shlex.split(line)[1:]
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:  # pragma: no cover - the message is in the captured output
            pytest.fail(f"example does not parse: {line}\n{capsys.readouterr().err}")
        if _subparsers(parser) == {}:
            assert callable(getattr(args, "func", None)), line
