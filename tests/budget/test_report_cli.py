"""``renda budget report``: the parser the lead engineer hooks in, run on a generated year, writing real files."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from apps.budget.cli_report import add_to, parse_formats
from core.budget.demo import generate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renda")
    sub = parser.add_subparsers(dest="command", required=True)
    budget = sub.add_parser("budget")
    add_to(budget.add_subparsers(dest="budget_command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return int(args.func(args))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from core.db import make_engine, migrate

    path = tmp_path_factory.mktemp("report-cli") / "budget.sqlite3"
    engine: Engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    generate(engine, 2024, payments=3000)
    engine.dispose()
    return f"sqlite:///{path}"


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_a_quarter_writes_pdf_and_word_and_prints_their_paths(database: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-Q3", "--out", str(out), "--db", database])
    printed = capsys.readouterr().out.split()
    assert code == 0
    assert [Path(p).name for p in printed] == ["预算执行报告-2024-Q3.pdf", "预算执行报告-2024-Q3.docx"]
    assert all(Path(p).stat().st_size > 1000 for p in printed)
    text = _text(Path(printed[0]))
    assert "2024年第三季度" in text and "预算执行情况报告" in text
    assert not list(out.glob("*.part"))


def test_a_month_in_one_format(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-09", "--out", str(tmp_path),
                 "--format", "PDF", "--db", database])
    printed = capsys.readouterr().out.split()
    assert code == 0 and [Path(p).name for p in printed] == ["预算执行报告-2024-09.pdf"]
    assert "2024年9月" in _text(Path(printed[0]))


@pytest.mark.parametrize(("extra", "message"), [
    (["--period", "2024-13"], "月份应在 1 到 12 之间"),
    (["--period", "九月"], "报告期格式应为"),
    (["--period", "2023-Q3"], "不在 2024 年度内"),
    (["--period", "2024-Q3", "--format", "xlsx"], "不支持的报告格式：xlsx"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(database: str, tmp_path: Path, extra: list[str],
                                                           message: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    code = _run(["budget", "report", "--year", "2024", "--out", str(out), "--db", database, *extra])
    captured = capsys.readouterr()
    assert code == 2 and message in captured.err and captured.out == ""
    assert not out.exists()


def test_an_output_path_that_is_a_file_is_refused(database: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-Q1", "--out", str(target), "--db", database])
    assert code == 2 and "不是文件夹" in capsys.readouterr().err
    assert target.read_text() == "x"


def test_formats_are_parsed_and_deduplicated() -> None:
    assert parse_formats("pdf,docx") == ["pdf", "docx"]
    assert parse_formats(" Word , pdf, docx ") == ["docx", "pdf"]
    with pytest.raises(ValueError, match="至少指定一种"):
        parse_formats(" , ")


def test_the_period_and_year_are_required() -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["budget", "report", "--out", "x"])


def test_a_mistyped_database_is_refused_and_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "wrong.sqlite3"
    out = tmp_path / "reports"
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-Q3", "--out", str(out),
                 "--db", f"sqlite:///{wrong}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "不存在" in err and "sqlite:////" in err
    assert not wrong.exists() and not out.exists()


def test_a_database_that_is_not_the_suites_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-Q3", "--out", str(tmp_path / "r"),
                 "--db", f"sqlite:///{other}"])
    assert code == 2 and "不是本系统的数据库" in capsys.readouterr().err
    with sqlite3.connect(other) as conn:  # nothing was added to it
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["notes"]


def test_a_year_without_data_writes_no_report(database: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from core.db import make_engine, migrate

    empty = tmp_path / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{empty}")
    migrate(engine)
    engine.dispose()
    out = tmp_path / "reports"
    code = _run(["budget", "report", "--year", "2024", "--period", "2024-Q3", "--out", str(out),
                 "--db", f"sqlite:///{empty}"])
    assert code == 2 and "没有 2024 年度的预算数据" in capsys.readouterr().err
    assert not out.exists()
    code = _run(["budget", "report", "--year", "2023", "--period", "2023-Q3", "--out", str(out), "--db", database])
    assert code == 2 and "没有 2023 年度的预算数据" in capsys.readouterr().err
