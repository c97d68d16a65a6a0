"""``renda cadre document`` and ``renda cadre labels`` on a real SQLite database: files written on success,
a Chinese reason and exit status 1 (no file) on refusal."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from docx import Document

from apps.cadre.cli_documents import register_documents
from core.cadre.models import CadPerson
from tests.petition.cases import database


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="renda")
    top = parser.add_subparsers(dest="command", required=True)
    cadre = top.add_parser("cadre").add_subparsers(dest="cadre_command", required=True)
    register_documents(cadre)
    args = parser.parse_args(["cadre", *argv])
    result: int = args.func(args)
    return result


@pytest.fixture
def db(migrated_sqlite: Path, tmp_path: Path) -> tuple[str, str]:
    engine, factory = database(migrated_sqlite, tmp_path / "db.sqlite3")
    with factory.begin() as s:
        person = CadPerson(name="王秀英", gender="女", retirement_kind="退休", address="上海市徐汇区漕溪北路88号",
                           postcode="200030", former_unit="上海市人大常委会办公厅")
        s.add(person)
        s.flush()
        person_id = person.id
    engine.dispose()
    return f"sqlite:///{tmp_path / 'db.sqlite3'}", person_id


def test_document_command_writes_word_and_pdf(db: tuple[str, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    url, person_id = db
    out = tmp_path / "申请表.docx"
    assert run("document", "申请表", "--person", person_id, "--out", str(out), "--matter", "申请困难补助",
               "--db", url) == 0
    cells = {c.text for r in Document(io.BytesIO(out.read_bytes())).tables[0].rows for c in r.cells}
    assert {"王秀英", "申请困难补助"} <= cells
    pdf = tmp_path / "报告.pdf"
    assert run("document", "重大事项报告", "--person", person_id, "--out", str(pdf), "--db", url) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已生成重大事项报告" in capsys.readouterr().out


def test_document_command_refusals(db: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, person_id = db
    out = tmp_path / "x.docx"
    assert run("document", "申请表", "--person", "nobody", "--out", str(out), "--db", url) == 1
    assert "没有编号为“nobody”的老干部档案" in capsys.readouterr().err
    assert run("document", "讣告", "--person", person_id, "--out", str(out), "--db", url) == 1
    assert "健在" in capsys.readouterr().err
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    assert run("document", "申请表", "--person", person_id, "--out", str(out), "--template", str(bad),
               "--db", url) == 1
    assert "已损坏" in capsys.readouterr().err
    assert run("document", "申请表", "--person", person_id, "--out", str(tmp_path / "x.txt"), "--db", url) == 1
    assert not out.exists()


def test_labels_command(db: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = db
    out = tmp_path / "标签.pdf"
    assert run("labels", "--out", str(out), "--sheet", "3x8", "--db", url) == 0
    assert out.read_bytes().startswith(b"%PDF") and "1 张地址标签" in capsys.readouterr().out
    assert run("labels", "--out", str(tmp_path / "none.pdf"), "--category", "NONE", "--db", url) == 1
    assert "没有可打印标签的收件人" in capsys.readouterr().err
