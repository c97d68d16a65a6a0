"""Address labels: rendered with pdftoppm, no ink outside the label cells (long addresses shrink, wrap or are
cut, never leave their cell), one sheet per 14 labels, fonts embedded, the petition desk's 信访标签, the
records' recipients by category, and the commands."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy.orm import Session

from apps.cadre.bench_documents import invented_people, measure
from core.cadre.labels import (
    LAYOUTS,
    PAGE_H,
    PAGE_W,
    LabelError,
    Recipient,
    cadre_recipients,
    fit_label,
    labels_pdf,
    petition_labels_pdf,
)
from core.cadre.models import CadPerson, CadPersonCategory
from core.reports.fonts import register_cjk_fonts, text_width
from tests.petition.cases import database

LONG = ("上海市浦东新区世纪大道一千二百号某某国际大厦东塔楼二十八层二八零一室转交（工作日九点至十七点，"
        "节假日请送门卫室代收，联系电话见备注）") * 3
DPI = 50


def render(data: bytes, tmp_path: Path) -> list[Image.Image]:
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = []
    for p in sorted(tmp_path.glob("page-*.png")):
        with Image.open(p) as image:
            pages.append(image.convert("L"))
    return pages


def ink_outside_cells(page: Image.Image, sheet: str) -> int:
    layout = LAYOUTS[sheet]
    scale = DPI / 72
    ink = page.point(lambda v: 255 if v < 160 else 0)
    for i in range(layout.per_sheet):
        x, y, w, h = layout.cell(i)
        box = (int(x * scale) - 1, int((PAGE_H - y - h) * scale) - 1, int((x + w) * scale) + 1,
               int((PAGE_H - y) * scale) + 1)
        ink.paste(0, box)
    return ink.histogram()[255]


@pytest.mark.parametrize("sheet", list(LAYOUTS))
def test_labels_land_inside_their_cells(tmp_path: Path, sheet: str) -> None:
    people = [("欧阳明月", LONG, "200120"), ("张建国", "上海市黄浦区人民大道200号", "200003"),
              ("爱新觉罗·恒山先生及家属", "", "")] * 10
    pages = render(labels_pdf(people, sheet=sheet), tmp_path)
    assert len(pages) == -(-len(people) // LAYOUTS[sheet].per_sheet)
    assert abs(pages[0].size[0] - PAGE_W * DPI / 72) <= 1 and abs(pages[0].size[1] - PAGE_H * DPI / 72) <= 1
    for page in pages:
        assert ink_outside_cells(page, sheet) == 0
    assert sum(pages[0].histogram()[:100]) > 100  # something was printed in black


def test_ink_check_sees_a_mark_outside_the_cells() -> None:
    page = Image.new("L", (414, 585), 255)
    page.paste(0, (0, 0, 4, 4))  # the top-left corner is outside every 2×7 cell
    assert ink_outside_cells(page, "2x7") == 16


def test_label_text_reads_back_and_fonts_are_embedded(tmp_path: Path) -> None:
    pdf = tmp_path / "l.pdf"
    pdf.write_bytes(petition_labels_pdf([("王秀英", "上海市徐汇区漕溪北路88号", "200030")]))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "200030" in text and "上海市徐汇区漕溪北路88号" in text and "王秀英" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(alphabet="张王李欧阳明月建国·", max_size=30),
       address=st.text(alphabet="上海市黄浦区人民大道0123456789号弄室（）， ABC", max_size=300),
       sheet=st.sampled_from(list(LAYOUTS)))
def test_fitted_text_never_exceeds_the_inner_rectangle(name: str, address: str, sheet: str) -> None:
    fonts = register_cjk_fonts()
    layout = LAYOUTS[sheet]
    fitted = fit_label(Recipient(name, address, "200003"), layout, fonts)
    inner_w = (layout.width - 2 * layout.padding) * 72 / 25.4
    inner_h = (layout.height - 2 * layout.padding) * 72 / 25.4
    assert fitted.size >= layout.min_size
    assert all(text_width(line, fitted.size, fonts) <= inner_w + 0.01 for line in fitted.address)
    assert text_width(fitted.name, fitted.size * 1.3, fonts) <= inner_w + 0.01
    height = (len(fitted.address) + 1) * fitted.leading + (fitted.size * 1.3 * 1.25 if fitted.name else 0)
    assert height <= inner_h + 0.01


def test_short_address_keeps_the_full_size() -> None:
    fitted = fit_label(Recipient("张建国", "上海市黄浦区人民大道200号", "200003"), LAYOUTS["2x7"], register_cjk_fonts())
    assert fitted.size == LAYOUTS["2x7"].size and fitted.address == ["上海市黄浦区人民大道200号"]


def test_bad_requests_named_in_chinese() -> None:
    with pytest.raises(LabelError, match="没有“4x10”这种标签纸"):
        labels_pdf([("张三", "上海", "200000")], sheet="4x10")
    with pytest.raises(LabelError, match="没有可打印标签的收件人"):
        labels_pdf([])


@pytest.fixture
def session(migrated_sqlite: Path, tmp_path: Path) -> Iterator[Session]:
    engine, factory = database(migrated_sqlite, tmp_path / "db.sqlite3")
    with factory.begin() as s:
        yield s
    engine.dispose()


def test_recipients_from_the_record_by_category(session: Session) -> None:
    a = CadPerson(name="李桂兰", address="上海市静安区南京西路1号", postcode="200040")
    b = CadPerson(name="赵志强", address="上海市长宁区延安西路2号", postcode="200050")
    gone = CadPerson(name="周文", address="上海市徐汇区3号", alive=False, died_on=date(2026, 1, 1))
    no_address = CadPerson(name="吴海", address=None)
    session.add_all([a, b, gone, no_address])
    session.flush()
    session.add(CadPersonCategory(person_id=a.id, category_code="LX"))
    session.flush()
    assert [r.name for r in cadre_recipients(session)] == sorted(["李桂兰", "赵志强"])
    assert cadre_recipients(session, category="LX") == [Recipient("李桂兰", "上海市静安区南京西路1号", "200040")]


def test_bench_figures_within_targets(session: Session) -> None:
    figures = measure(session, invented_people(session, 50))
    assert 0 < figures["docx_ms"] <= 1000
    assert 0 < figures["labels_s"] <= 5
