"""Letters of a case: Word templates filled with every placeholder, the same letter as PDF with embedded
fonts, an administrator's template overriding the default, and a broken template refused on upload."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.models.registry import Attachment
from core.petition.letters import (
    LETTER_KINDS,
    PLACEHOLDERS,
    TemplateRefused,
    deactivate_template,
    default_template,
    document_number,
    letter_docx,
    letter_filename,
    letter_pdf,
    placeholders_left,
    template_in_force,
    upload_template,
    validate_template,
)
from core.petition.models import PetCase, PetLetterTemplate
from core.sync.blobs import BlobStore, check_attachment
from tests.petition.cases import add_case, database

ON = date(2026, 12, 5)


@pytest.fixture
def db(migrated_sqlite: Path, tmp_path: Path) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    engine, factory = database(migrated_sqlite, tmp_path / "letters.sqlite3")
    with factory.begin() as s:
        case = add_case(s)
        case.accepted_on = date(2026, 12, 3)
        case.answer_summary = "经核实，加装电梯补贴已于2026年12月10日发放。\n请注意查收。"
    yield engine, factory
    engine.dispose()


def _case(s: Session) -> PetCase:
    return s.scalars(select(PetCase)).one()


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\n", "")


def _pdf_fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_default_templates_use_only_known_placeholders() -> None:
    for kind in LETTER_KINDS:
        assert validate_template(default_template(kind)) == [], kind


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_each_letter_is_filled_in_word_and_drawn_in_pdf_with_embedded_fonts(
        db: tuple[Engine, sessionmaker[Session]], kind: str, tmp_path: Path) -> None:
    _engine, factory = db
    with factory() as s:
        docx = letter_docx(s, _case(s), kind, number=12, on=ON)
        pdf = letter_pdf(s, _case(s), kind, number=12, on=ON)
    assert placeholders_left(docx) == []
    text = _docx_text(docx)
    assert "沪人大信〔2026〕12号" in text and "2026年12月5日" in text and "上海市人大常委会信访办公室" in text
    assert "XF20261201ABCD" in text
    assert check_attachment(docx, "letter.docx").endswith("wordprocessingml.document")
    words = _pdf_text(pdf, tmp_path)
    for expected in ("沪人大信〔2026〕12号", "XF20261201ABCD", "2026年12月5日", "— 1 —"):
        assert expected in words, (kind, expected)
    fonts = _pdf_fonts(pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # the emb column
    assert not any("Helvetica" in row[0] for row in fonts)


def test_the_letters_carry_the_case_facts(db: tuple[Engine, sessionmaker[Session]], tmp_path: Path) -> None:
    _engine, factory = db
    with factory() as s:
        case = _case(s)
        transfer = _docx_text(letter_docx(s, case, "转送函", number=3, on=ON))
        answer = _docx_text(letter_docx(s, case, "答复意见书", number="沪人大信〔2026〕99号", on=ON))
        notice = _pdf_text(letter_pdf(s, case, "告知书", number=4, on=ON), tmp_path)
        refusal = _docx_text(letter_docx(s, case, "不予受理告知书", number=5, on=ON))
    assert "上海市人民政府（市信访办）：" in transfer and "张三于2026年12月1日以来信方式" in transfer
    assert "《信访工作条例》第二十二条" in transfer and "小区加装电梯补贴发放问题" in transfer
    assert "沪人大信〔2026〕99号" in answer and "2026年12月3日受理" in answer
    assert "经核实，加装电梯补贴已于2026年12月10日发放。\n请注意查收。" in answer  # one paragraph a line
    assert "已转送上海市人民政府（市信访办）" in notice and "T7Q2K9" in notice
    assert "上海市黄浦区人民大道200号" in notice and "第二十三条" in notice
    assert "《信访工作条例》第三十一条" in refusal  # the case was routed 转送: its routing article is not cited


def test_document_numbers_follow_gbt_9704() -> None:
    assert document_number(2026, 12) == "沪人大信〔2026〕12号"


def _edited(kind: str, replace: str, by: str) -> bytes:
    """The default template with one text changed, as an administrator edits it in Word."""
    src = zipfile.ZipFile(io.BytesIO(default_template(kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert replace in text
                data = text.replace(replace, by, 1).encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(("replace", "by", "named"), [
    ("{{ case_code }}", "{{ case_number }}", "{{ case_number }}"),
    ("{{ subject }}", "{{ subject", "未闭合"),
    ("{{ content }}", "{% frobnicate %}", "frobnicate"),
    ("{{ content }}", "{{ content }} }}", "}}"),
])
def test_a_broken_template_is_refused_on_upload_naming_the_problem_and_nothing_is_stored(
        db: tuple[Engine, sessionmaker[Session]], tmp_path: Path, replace: str, by: str, named: str) -> None:
    _engine, factory = db
    broken = _edited("转送函", replace, by)
    problems = validate_template(broken)
    assert problems and named in problems[0], problems
    store = BlobStore(tmp_path / "blobs")
    with factory() as s, pytest.raises(TemplateRefused) as refused:
        upload_template(s, "转送函", broken, attach=_attach(store))
    assert named in str(refused.value)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(PetLetterTemplate)) == 0


def test_not_a_word_file_is_refused() -> None:
    assert "不是 Word" in validate_template(b"%PDF-1.7 not a template")[0]
    assert "损坏" in validate_template(b"PK\x03\x04 broken zip")[0]


def _attach(store: BlobStore) -> object:
    def attach(s: Session, owner: PetLetterTemplate, data: bytes, filename: str) -> Attachment:
        mime = check_attachment(data, filename)
        att = Attachment(sha256=store.put(data), size=len(data), mime=mime, filename=filename,
                         owner_table=owner.__tablename__, owner_id=owner.id, owner_scope=owner.scope or "petition.ref")
        s.add(att)
        return att
    return attach


def test_an_administrators_template_overrides_the_default(db: tuple[Engine, sessionmaker[Session]],
                                                          tmp_path: Path) -> None:
    _engine, factory = db
    store = BlobStore(tmp_path / "blobs")
    own = _edited("转送函", "特此函告。", "请于收到后电话联系经办人（{{ office_contact }}）。特此函告。")
    with factory.begin() as s:
        upload_template(s, "转送函", own, attach=_attach(store), name="转送函（2027版）")  # type: ignore[arg-type]
    with factory() as s:
        mine = _docx_text(letter_docx(s, _case(s), "转送函", number=5, on=ON, blobs=store))
        default = _docx_text(letter_docx(s, _case(s), "转送函", number=5, on=ON))
    assert "请于收到后电话联系经办人（上海市人大常委会信访办公室）" in mine
    assert "请于收到后电话联系经办人" not in default
    with factory.begin() as s:
        assert template_in_force(s)["转送函"] == "转送函（2027版）" and template_in_force(s)["告知书"] == "默认模板"
        assert deactivate_template(s, "转送函")
    with factory() as s:
        assert "请于收到后电话联系经办人" not in _docx_text(letter_docx(s, _case(s), "转送函", number=5, on=ON, blobs=store))
        assert letter_filename(_case(s), "转送函") == "转送函-XF20261201ABCD.docx"


def test_the_docs_list_every_placeholder() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "petition.md").read_text(encoding="utf-8")
    section = docs.split("## 文书与模板", 1)[1].split("\n## ", 1)[0]
    for name in PLACEHOLDERS:
        assert f"`{{{{ {name} }}}}`" in section, name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*"{}%# abcx_|.()'\"中文", "{{", "}}", "{%", "%}", "case_code", "if", "endif",
                                  "for", "in"]), max_size=12).map("".join))
def test_any_text_in_a_template_is_either_refused_with_a_message_or_fills_completely(
        db: tuple[Engine, sessionmaker[Session]], inserted: str) -> None:
    _engine, factory = db
    template = _edited("告知书", "特此告知。", inserted.replace("&", "").replace("<", "").replace(">", ""))
    problems = validate_template(template)
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        store = BlobStore(Path(factory.kw["bind"].url.database).parent / "blobs")
        with factory() as s:
            upload_template(s, "告知书", template, attach=_attach(store))  # type: ignore[arg-type]
            filled = letter_docx(s, _case(s), "告知书", number=1, on=ON, blobs=store)
            s.rollback()
        assert placeholders_left(filled) == []
