"""The execution report as an official document (GB/T 9704-2012): every font embedded and no Helvetica
(pdffonts), issuing body, document-number line, Chinese dates and sign-off (pdftotext), page numbers
"— 1 —" where the standard puts them, the type area's margins measured on a rendered page (pdftoppm), one
unit per table, no space between Chinese and figures, and the Word file's header, footer, PAGE field,
margins, properties and East Asian fonts read back with python-docx."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image
from sqlalchemy import Engine

from core.budget.demo import generate
from core.budget.report import GeneratedReport, ReportPeriod, collect, generate_report
from core.budget.report.content import ISSUER, Heading, Para, TableBlock, blocks, chinese_date, serial
from core.budget.report.pdf import report_pdf
from core.budget.report.sentences import tight
from core.db import make_engine, migrate
from core.reports.fonts import official_font_candidates, register_official_fonts, shipped_font

YEAR = 2024
PERIOD = ReportPeriod(YEAR, "quarter", 3)
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in ("pdffonts", "pdftotext", "pdftoppm")),
                                reason="poppler-utils (pdffonts, pdftotext, pdftoppm) 未安装")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("style") / "budget.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    generate(engine, year=YEAR, payments=1500)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def report(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> GeneratedReport:
    return generate_report(engine, PERIOD, tmp_path_factory.mktemp("out"))


def pdffonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    header = out[0]
    cols = {name: header.index(name) for name in ("name", "type", "encoding", "emb")}
    return [{"name": line[:cols["type"]].strip(), "type": line[cols["type"]:cols["encoding"]].strip(),
             "emb": line[cols["emb"]:cols["emb"] + 3].strip()} for line in out[2:] if line.strip()]


def text_of(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in mm from the top-left corner of ``page``."""
    raw = text_of(path, "-bbox", "-f", str(page), "-l", str(page))
    pt = 25.4 / 72
    return [(html.unescape(m.group(5)), *(float(m.group(i)) * pt for i in range(1, 5)))  # type: ignore[misc]
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                 raw)]


def test_every_font_is_embedded_and_none_is_helvetica(report: GeneratedReport) -> None:
    fonts = pdffonts(report.files[0])
    assert len(fonts) >= 2
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert not any("Helvetica" in f["name"] or "Courier" in f["name"] or "Times" in f["name"] for f in fonts)


def test_roles_use_the_song_fangsong_hei_and_kai_faces_installed() -> None:
    sources = register_official_fonts().sources
    for role, candidates in official_font_candidates().items():
        present = [c for c in candidates if c.path.is_file()]
        assert sources[role] == (present[0] if present else sources[role])
        if not present:
            assert sources[role].path in (shipped_font(), sources["hei"].path)


def test_with_only_the_shipped_face_every_role_falls_back_to_it(engine: Engine, tmp_path: Path) -> None:
    fonts = register_official_fonts({})
    try:
        assert {f.path for f in fonts.sources.values()} == {shipped_font()}
        pdf = tmp_path / "shipped.pdf"
        pdf.write_bytes(report_pdf(collect(engine, ReportPeriod(YEAR, "month", 9)), fonts=fonts))
        found = pdffonts(pdf)
        assert found and all(f["emb"] == "yes" and "WenQuanYiMicroHei" in f["name"] for f in found), found
        flat = "".join(text_of(pdf).split())
        assert ISSUER in flat and "2024年9月预算执行情况报告" in flat
    finally:
        register_official_fonts()  # the default faces again, for the tests that follow


def test_title_block_number_dates_and_sign_off(report: GeneratedReport) -> None:
    text = text_of(report.files[0])
    flat = "".join(text.split())
    made = report.data.made_at
    assert flat.startswith(ISSUER + "预算执行报告〔2024〕第3季度2024年第三季度预算执行情况报告")
    assert "智能执行报告" not in flat
    assert flat.rstrip("—0123456789").endswith(ISSUER + chinese_date(made))
    assert re.search(r"年0\d月|月0\d日", flat) is None
    assert chinese_date(date(2026, 12, 4)) == "2026年12月4日" and serial(ReportPeriod(2024, "month", 9)) == \
        "预算执行报告〔2024〕9月"


def test_issuer_and_number_are_parameters(engine: Engine, tmp_path: Path) -> None:
    result = generate_report(engine, ReportPeriod(YEAR, "month", 9), tmp_path, ["pdf"], issuer="上海市人大常委会办公厅",
                             number="沪人大办〔2024〕7号")
    flat = "".join(text_of(result.files[0]).split())
    assert flat.startswith("上海市人大常委会办公厅沪人大办〔2024〕7号") and ISSUER not in flat


def test_page_numbers_sit_below_the_type_area_odd_right_even_left(report: GeneratedReport) -> None:
    pdf = report.files[0]
    for page in (1, 2):
        found = words(pdf, page)
        digits = [w for w in found if w[0] == str(page) and w[2] > 260]
        assert len(digits) == 1, found[-4:]
        dashes = [w for w in found if w[0] == "—" and w[2] > 260]
        assert len(dashes) == 2
        _, x0, y0, _, _ = dashes[0]
        x1 = dashes[1][3]
        assert y0 == pytest.approx(297 - 35 + 7, abs=1.5)  # 7 mm below the type area
        if page % 2:
            assert x1 == pytest.approx(28 + 156 - 14 * 25.4 / 72, abs=1.0)  # right, one character in
        else:
            assert x0 == pytest.approx(28 + 14 * 25.4 / 72, abs=1.0)  # left, one character in
    assert "— 1 —" in text_of(pdf, "-layout", "-f", "1", "-l", "1")


def test_margins_measured_on_the_rendered_first_page(report: GeneratedReport, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(report.files[0]),
                    str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("L")
    mm_per_px = 25.4 / 60
    above_folio = image.crop((0, 0, image.width, round((297 - 35) / mm_per_px)))
    box = above_folio.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert box is not None
    left, top, right, _ = (v * mm_per_px for v in box)
    assert left == pytest.approx(28, abs=1.0)  # the red separator spans the type area
    assert 210 - right == pytest.approx(26, abs=1.0)
    assert 37 - 0.5 <= top <= 37 + 6  # the issuing body's characters start at the top of the type area


def test_one_unit_per_table_and_no_space_between_chinese_and_figures(report: GeneratedReport) -> None:
    section = ""
    units: dict[str, set[str]] = {}
    stray = re.compile(r"[\u4e00-\u9fff][ \u00a0]+[\d.,%]|[\d%][ \u00a0]+[\u4e00-\u9fff]")
    for block in blocks(report.data):
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, TableBlock):
            found = re.findall(r"单位：(亿元|万元|元)", block.caption)
            assert len(found) == 1, block.caption
            units.setdefault(section, set()).add(found[0])
            figures = [i for i, h in enumerate(block.header) if h != "原因"]  # reasons quote the rule's text
            assert not any(re.search(r"\d(亿元|万元|元)", row[i]) for row in block.rows for i in figures)
        elif isinstance(block, Para):
            assert stray.search(block.text) is None, block.text
    assert all(len(u) == 1 for u in units.values()), units
    for sentence in report.data.sentences:
        assert stray.search(sentence) is None, sentence


def test_word_has_header_footer_page_field_margins_properties_and_fonts(report: GeneratedReport) -> None:
    document = docx.Document(str(report.files[1]))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
        assert "fldChar" in xml and footer.paragraphs[0].text.startswith("— ") and \
            footer.paragraphs[0].text.endswith(" —")
    assert section.header.paragraphs[0].text == "预算执行报告〔2024〕第3季度"
    margins = (section.top_margin, section.left_margin, section.bottom_margin, section.right_margin)
    assert [round(m / Mm(1)) for m in margins] == [37, 28, 35, 26]  # type: ignore[operator]
    assert round(section.page_width / Mm(1)) == 210 and round(section.page_height / Mm(1)) == 297  # type: ignore[operator]
    props = document.core_properties
    assert props.author == props.last_modified_by == ISSUER
    assert props.title == "2024年第三季度预算执行情况报告"
    assert props.created is not None and abs(props.created - datetime.now(UTC)) < timedelta(minutes=5)
    assert props.modified == props.created and "python-docx" not in (props.comments or "")
    east = {name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
            for name in ("Normal", "Title", "Heading 1", "Heading 2")}
    assert east == {"Normal": "仿宋", "Title": "宋体", "Heading 1": "黑体", "Heading 2": "楷体"}
    with zipfile.ZipFile(report.files[1]) as package:
        app = package.read("docProps/app.xml").decode()
    assert "Microsoft" not in app and "<Application>Renda Suite" in app
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == [ISSUER, "预算执行报告〔2024〕第3季度"] and "智能执行报告" not in "".join(texts)
    assert texts[-2:] == [ISSUER, chinese_date(report.data.made_at)]


def test_a_date_with_one_digit_month_and_day_is_not_padded(engine: Engine, tmp_path: Path) -> None:
    data = replace(collect(engine, ReportPeriod(YEAR, "month", 9)), made_at=datetime(2026, 3, 4, 9, 5))
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(report_pdf(data))
    flat = "".join(text_of(pdf).split())
    assert "2026年3月4日" in flat and "03月" not in flat and "04日" not in flat


def test_quoted_texts_lose_the_spaces_between_chinese_and_figures() -> None:
    assert tight("市电影局 于 2024-07-15 单笔支付 1,234.50 元（阈值 8 倍）") == "市电影局于2024-07-15单笔支付1,234.50元（阈值8倍）"
    assert tight("SHA 256 与 PDF 1.7") == "SHA 256与PDF 1.7"  # spaces between Latin words stay
