"""A retiree's documents: every kind filled from its default template and read back as Word (python-docx) and
PDF (pdftotext, pdffonts: every font embedded); an administrator's template; bad templates refused."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit import AuditEntry
from core.cadre.documents import (
    DOCUMENT_KINDS,
    PLACEHOLDERS,
    DocumentError,
    DocumentRequest,
    TemplateRefused,
    default_template,
    document_docx,
    document_pdf,
    validate_template,
    visible_text,
)
from core.cadre.models import CadLifeEvent, CadPerson
from tests.petition.cases import database

ON = date(2026, 12, 5)
REQUEST = DocumentRequest(on=ON, event_title="住院治疗", event="因肺部感染于2026年11月20日住院治疗，目前病情稳定。",
                          matter="申请困难补助", reason="本人长期患病，医疗费用负担较重。", clerk="李文")


@pytest.fixture
def session(migrated_sqlite: Path, tmp_path: Path) -> Iterator[Session]:
    engine, factory = database(migrated_sqlite, tmp_path / "db.sqlite3")
    with factory.begin() as s:
        yield s
    engine.dispose()


def add_person(s: Session, *, alive: bool = True) -> CadPerson:
    person = CadPerson(name="张建国", gender="男", ethnicity="汉族", birth_date=date(1938, 3, 12),
                       native_place="浙江宁波", party_date=date(1958, 7, 1), work_start_date=date(1956, 9, 1),
                       retirement_kind="离休", treatment_level="副局级", former_unit="上海市人大常委会办公厅",
                       former_post="副主任", address="上海市黄浦区人民大道200号", postcode="200003",
                       phone_mobile="13800138000", alive=alive, died_on=None if alive else date(2026, 11, 30))
    s.add(person)
    s.flush()
    s.add_all([CadLifeEvent(person_id=person.id, start_on=date(1956, 9, 1), end_on=date(1978, 3, 1),
                            unit="上海市纺织工业局", post="科员"),
               CadLifeEvent(person_id=person.id, start_on=date(1978, 3, 1), end_on=date(1998, 6, 1),
                            unit="上海市人大常委会办公厅", post="副主任", text="主持机关事务工作")])
    s.flush()
    return person


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def fonts_of(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def test_default_templates_are_valid_and_use_only_known_placeholders() -> None:
    for kind in DOCUMENT_KINDS:
        assert validate_template(default_template(kind)) == [], kind


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_each_document_reads_back_in_word_and_pdf(session: Session, tmp_path: Path, kind: str) -> None:
    person = add_person(session, alive=kind != "讣告")
    data = document_docx(session, person, kind, REQUEST)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows
                                                                for c in r.cells)
    assert "张建国" in text
    assert "{{" not in visible_text(data) and "}}" not in visible_text(data)
    pdf = document_pdf(session, person, kind, REQUEST)
    printed = pdf_text(pdf, tmp_path).replace(" ", "")
    assert "张建国" in printed
    fonts = fonts_of(pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # the "emb" column


def test_report_carries_the_event_and_the_record(session: Session) -> None:
    person = add_person(session)
    text = visible_text(document_docx(session, person, "重大事项报告", REQUEST))
    assert "关于张建国同志住院治疗的报告" in text
    assert "因肺部感染于2026年11月20日住院治疗" in text
    assert "1938年3月出生" in text and "离休干部" in text and "2026年12月5日" in text


def test_obituary_has_life_story_and_age(session: Session) -> None:
    person = add_person(session, alive=False)
    text = visible_text(document_docx(session, person, "讣告", REQUEST))
    assert "于2026年11月30日逝世，享年88岁" in text
    assert text.index("1956年9月—1978年3月，上海市纺织工业局科员。") < text.index("副主任，主持机关事务工作。")


def test_obituary_refused_for_a_living_person(session: Session) -> None:
    person = add_person(session)
    with pytest.raises(DocumentError, match="健在"):
        document_docx(session, person, "讣告", REQUEST)


def test_forms_fill_their_cells(session: Session) -> None:
    person = add_person(session)
    doc = Document(io.BytesIO(document_docx(session, person, "申请表", REQUEST)))
    cells = {c.text for r in doc.tables[0].rows for c in r.cells}
    assert {"申请人", "张建国", "申请困难补助", "本人长期患病，医疗费用负担较重。", "13800138000"} <= cells


def test_document_is_audited_when_an_actor_is_named(session: Session) -> None:
    person = add_person(session)
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    document_docx(session, person, "业务登记表", REQUEST, actor="clerk")
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "cadre.document")).all()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == (before or 0) + 1
    assert entries[-1].target == person.id


def _template_with(text: str) -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_administrators_template_is_used(session: Session) -> None:
    person = add_person(session)
    own = _template_with("报告人：{{ name }}；事项：{{ event_title }}；落款：{{ issuer }}")
    text = visible_text(document_docx(session, person, "重大事项报告", REQUEST, template=own))
    assert "报告人：张建国；事项：住院治疗；落款：上海市人大常委会办公厅" in text


@pytest.mark.parametrize(("template", "message"), [
    (_template_with("{{ name }} {{ salary }}"), "占位符“{{ salary }}”不认识"),
    (_template_with("{{ name "), "占位符写法有误"),
    (b"PK\x03\x04 this is no zip", "已损坏"),
    (b"%PDF-1.4 not word", "不是 Word"),
])
def test_bad_templates_refused_with_a_chinese_reason(session: Session, template: bytes, message: str) -> None:
    person = add_person(session)
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    assert any(message in problem for problem in validate_template(template))
    with pytest.raises(TemplateRefused, match=message.replace("{", r"\{").replace("}", r"\}")):
        document_docx(session, person, "重大事项报告", REQUEST, template=template, actor="clerk")
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_unknown_kind_is_named() -> None:
    with pytest.raises(DocumentError, match="没有“通知”这种文书"):
        default_template("通知")


def test_placeholder_list_covers_the_context(session: Session) -> None:
    from core.cadre.documents import document_context

    assert set(document_context(session, add_person(session), REQUEST)) == set(PLACEHOLDERS)
