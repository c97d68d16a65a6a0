"""The command line speaks Chinese: argparse's own words, errors naming the argument, examples in the help."""

from __future__ import annotations

import argparse

import pytest

from apps import cli_zh
from apps.cli import build_parser


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(argv)
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out + out.err


def test_help_is_in_chinese_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(["--help"], capsys)
    assert code == 0
    assert text.startswith("用法：renda")
    assert "显示本帮助并退出" in text and "选项" in text and "示例：" in text and "sqlite:////" in text
    for english in ("usage:", "show this help message", "options:", "positional arguments"):
        assert english not in text


@pytest.mark.parametrize(("argv", "expected"), [
    (["budget", "report"], "错误：缺少必需的参数：--year, --period, --out"),
    (["budget", "report", "--year", "abc", "--period", "2024-Q3", "--out", "x"], "'abc' 不是有效的整数"),
    (["kiosk", "--face", "nope"], "无效的选择 'nope'（可选："),
    (["no-such-command"], "参数 命令：无效的选择"),
    (["kiosk", "--surprise"], "无法识别的参数：--surprise"),
])
def test_errors_are_in_chinese_and_name_the_argument(argv: list[str], expected: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(argv, capsys)
    assert code == 2
    assert expected in text
    assert "error:" not in text and "invalid choice" not in text and "required" not in text


def test_english_is_kept_on_request(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RENDA_LANG", "en")
    monkeypatch.setattr(argparse, "_", argparse._)  # restored after the test
    assert cli_zh.install() is argparse.ArgumentParser
