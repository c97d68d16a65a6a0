"""``renda budget warnings run|list`` on a small hand-made year: runs, reruns without duplicates, lists, refuses
bad input with a Chinese message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from apps.cli import main
from core.budget.models import Indicator, Payment
from core.db import make_engine, migrate
from core.models.registry import Department


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as s, s.begin():
        s.add(Department(code="D010", name="市教育委员会", domain="教科文卫"))
        s.add(Indicator(year=2024, indicator_no="I-1", department_code="D010", amount_fen=10**9,
                        issued_on=date(2024, 1, 10), domain="教科文卫"))
        s.add(Payment(year=2024, payment_no="Z-1", paid_on=date(2024, 3, 1), month=3, payee="张某某",
                      amount_fen=800_000, purpose="购物卡", department_code="D010", indicator_no="I-1",
                      domain="教科文卫"))
    engine.dispose()
    return url


def test_run_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _db(tmp_path)
    assert main(["budget", "warnings", "run", "--year", "2024", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "2024 年截至 3 月：在办预警 2 条（新增 2，更新 0，解除 0）" in out
    assert "可疑收款人或用途（suspicious_payee_or_purpose）：1 条" in out
    assert main(["budget", "warnings", "run", "--year", "2024", "--as-of-month", "3", "--db", url]) == 0
    assert "新增 0，更新 0，解除 0" in capsys.readouterr().out
    assert main(["budget", "warnings", "list", "--db", url, "--level", "red"]) == 0
    listed = capsys.readouterr().out
    assert "[红色] 预算执行低于序时进度 | 市教育委员会" in listed and "2024 年共 1 条预警" in listed
    assert main(["budget", "warnings", "list", "--db", url]) == 0
    assert "购物卡" in capsys.readouterr().out


def test_bad_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _db(tmp_path)
    assert main(["budget", "warnings", "run", "--year", "2024", "--as-of-month", "13", "--db", url]) == 2
    assert "截至月份应在 1 到 12 之间" in capsys.readouterr().err
    assert main(["budget", "warnings", "run", "--year", "2024", "--rule", "nonsense", "--db", url]) == 2
    assert "没有这些预警规则：nonsense" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["run", "--year", "2024"], ["list"]])
def test_a_mistyped_database_is_refused_and_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        command: list[str]) -> None:
    wrong = tmp_path / "wrong.sqlite3"
    assert main(["budget", "warnings", *command, "--db", f"sqlite:///{wrong}"]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not wrong.exists()
