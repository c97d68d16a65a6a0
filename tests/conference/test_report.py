"""The vote result sheet: real votes through the journaled rules, checked with pdftotext and pdftoppm."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from core.conference import events as ev
from core.conference.journal import JournaledConference, JournalError
from core.conference.meeting import Member, Reveal, VoteSettings
from core.conference.report import (
    ANONYMOUS_NOTE,
    HANDS_NOTE,
    build_result_sheet,
    render_result_sheet,
    result_sheet_pdf,
    vote_entry_range,
    write_result_sheet,
)
from core.reports import fonts as report_fonts
from core.reports.fonts import (
    CJK,
    CJKFontNotFound,
    FontFile,
    choose_font,
    missing_chars,
    register_cjk_fonts,
    shipped_font,
    system_fonts,
    wrap_text,
)
from tests.conference.factory import make_setup

VOTED_AT = datetime(2026, 11, 28, 10, 5)
CHOICES = ("yes", "yes", "no", "abstain")
LABELS = {"yes": "赞成", "no": "反对", "abstain": "弃权"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is required under CI")
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext reads it (reading order, no layout)."""
    exe = _tool("pdftotext")
    src = tmp_path / "sheet.pdf"
    src.write_bytes(pdf)
    return subprocess.run(
        [exe, "-enc", "UTF-8", str(src), "-"], check=True, capture_output=True, text=True
    ).stdout


def render_png(pdf: Path, out: Path) -> Path:
    """Page 1 of ``pdf`` as a PNG (pdftoppm)."""
    exe = _tool("pdftoppm")
    subprocess.run(
        [exe, "-r", "80", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(out)], check=True
    )
    png = out.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def meeting(tmp_path: Path, *, anonymous: bool) -> JournaledConference:
    """30 members, 25 present; b1 voted electronically, c1 by show of hands, p1 person by person."""
    conference = JournaledConference.create(
        tmp_path / "meeting.journal", make_setup(30, settings=VoteSettings(anonymous=anonymous))
    )
    for seat in range(1, 26):
        assert conference.apply(ev.SeatKeyPressed(seat, 1.0)).ok
    assert conference.apply(ev.OpenMeeting(2.0)).ok
    assert conference.apply(ev.OpenVote(10.0, "b1")).ok
    for seat in range(1, 24):
        assert conference.apply(ev.VoteCast(seat, 11.0, CHOICES[seat % 4])).ok
    assert conference.apply(ev.CloseVote(55.0)).ok
    assert conference.apply(ev.EnterShowOfHands(60.0, "c1", ((18, 5, 2),))).ok
    assert conference.apply(ev.OpenVote(70.0, "p1")).ok
    for seat in range(1, 24):
        for question in range(3):
            assert conference.apply(
                ev.VoteCast(seat, 71.0, ("yes", "no", "abstain")[(seat + question) % 3], question)
            ).ok
    assert conference.apply(ev.CloseVote(80.0)).ok
    return conference


def test_named_vote_lists_every_seat_with_its_choice(tmp_path: Path) -> None:
    conference = meeting(tmp_path, anonymous=False)
    pdf = result_sheet_pdf(conference, "b1", voted_at=VOTED_AT, printed_at=VOTED_AT)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    flat = re.sub(r"\s+", "", text)
    for words in (
        "表决结果单",
        "主席团第一次会议",
        "关于某某条例的决定",
        "记名表决",
        "2026年11月28日",
        "10:05",
        "全体代表的过半数",
        "地方各级人民代表大会",
        "未通过",
        "主持人（签字）",
        "计票人（签字）",
        "第1页/共",
    ):
        assert words in flat, words
    assert conference.journal.last_hash in flat
    assert "赞成11票，未达到通过所需的16票" in flat
    for seat in range(1, 31):
        choice = LABELS[CHOICES[seat % 4]] if seat < 24 else "未表决"
        assert re.search(rf"(?m)^{seat}\s*\n+委员{seat}\s*\n+{choice}\s*$", text), seat


def test_anonymous_vote_prints_totals_only(tmp_path: Path) -> None:
    conference = meeting(tmp_path, anonymous=True)
    sheet = build_result_sheet(conference, "b1", voted_at=VOTED_AT)
    assert sheet.seats == () and not sheet.per_seat
    text = pdf_text(render_result_sheet(sheet), tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "无记名表决" in flat and re.sub(r"\s+", "", ANONYMOUS_NOTE) in flat
    assert conference.journal.last_hash in flat
    q = sheet.record["questions"][0]
    assert [q["yes"], q["no"], q["abstain"], q["not_voted"]] == [11, 6, 6, 7]
    assert "逐人表决" not in flat and "姓名" not in flat
    assert not re.search(r"委员\d+", text), "no member name may appear on an anonymous sheet"


def test_anonymous_sheet_never_prints_seats_even_if_given(tmp_path: Path) -> None:
    named = build_result_sheet(meeting(tmp_path / "n", anonymous=False), "b1", voted_at=VOTED_AT)
    anonymous = build_result_sheet(meeting(tmp_path / "a", anonymous=True), "b1", voted_at=VOTED_AT)
    forged = type(anonymous)(**{**anonymous.__dict__, "seats": named.seats})
    text = pdf_text(render_result_sheet(forged), tmp_path)
    assert not re.search(r"委员\d+", text)


def test_show_of_hands_is_marked_and_has_no_seats(tmp_path: Path) -> None:
    conference = meeting(tmp_path, anonymous=False)
    sheet = build_result_sheet(conference, "c1", voted_at=VOTED_AT)
    assert sheet.seats == ()
    flat = re.sub(r"\s+", "", pdf_text(render_result_sheet(sheet), tmp_path))
    assert "举手表决" in flat and re.sub(r"\s+", "", HANDS_NOTE) in flat
    assert "全体成员的三分之二以上" in flat and "《某某章程》第二十条" in flat and "宪法" not in flat
    assert "赞成18票，未达到通过所需的20票" in flat  # two thirds of 30 is 20


def test_appointment_person_by_person(tmp_path: Path) -> None:
    for anonymous in (False, True):
        conference = meeting(tmp_path / str(anonymous), anonymous=anonymous)
        text = pdf_text(result_sheet_pdf(conference, "p1", voted_at=VOTED_AT), tmp_path)
        flat = re.sub(r"\s+", "", text)
        assert "逐项表决结果" in flat
        for name in ("张三", "李四", "王五"):
            assert name in flat
        assert ("委员1" in flat) is (not anonymous)


def test_entry_range_covers_the_vote(tmp_path: Path) -> None:
    conference = meeting(tmp_path, anonymous=True)
    sheet = build_result_sheet(conference, "b1", voted_at=VOTED_AT)
    lines = (tmp_path / "meeting.journal").read_text(encoding="utf-8").splitlines()
    first, last = sheet.journal.first, sheet.journal.last
    assert '"OpenVote"' in lines[first] and '"anon_close"' in lines[last]
    assert all('"sealed"' in line for line in lines[first + 1 : last - 1])
    c1 = build_result_sheet(conference, "c1", voted_at=VOTED_AT).journal
    assert c1.first == c1.last and '"EnterShowOfHands"' in lines[c1.first]
    assert vote_entry_range(tmp_path / "meeting.journal", 2) == (c1.first, c1.last)
    assert sheet.journal.entries == len(lines) and sheet.journal.head == conference.journal.last_hash


def test_a_broken_journal_gives_no_sheet(tmp_path: Path) -> None:
    conference = meeting(tmp_path, anonymous=False)
    path = tmp_path / "meeting.journal"
    path.write_text(path.read_text(encoding="utf-8").replace("委员3", "委员X", 1), encoding="utf-8")
    with pytest.raises(JournalError):
        result_sheet_pdf(conference, "b1", voted_at=VOTED_AT)
    with pytest.raises(JournalError):
        result_sheet_pdf(meeting(tmp_path / "x", anonymous=False), "zz", voted_at=VOTED_AT)


def test_pages_render_to_png(tmp_path: Path) -> None:
    for anonymous in (False, True):
        conference = meeting(tmp_path / str(anonymous), anonymous=anonymous)
        for item in ("b1", "c1", "p1"):
            pdf = write_result_sheet(
                tmp_path / f"{anonymous}-{item}.pdf", conference, item, voted_at=VOTED_AT
            )
            png = render_png(pdf, tmp_path / f"{anonymous}-{item}")
            assert png.stat().st_size > 10_000


def test_the_shipped_font_is_a_truetype_cjk_face() -> None:
    assert shipped_font().is_file()
    fonts = register_cjk_fonts()
    assert fonts.shipped and fonts.regular == CJK
    assert missing_chars("上海市人民代表大会常务委员会办公厅表决赞成反对弃权") == ""


def test_font_falls_back_and_fails_clearly(tmp_path: Path) -> None:
    shipped = shipped_font()
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    font, _, bold = choose_font([FontFile(tmp_path / "missing.ttc"), FontFile(not_a_font), FontFile(shipped)])
    assert font.path == shipped and bold is None
    with pytest.raises(CJKFontNotFound) as err:
        choose_font([FontFile(tmp_path / "missing.ttc"), FontFile(not_a_font)])
    assert "missing.ttc" in str(err.value) and "broken.ttf" in str(err.value)


def test_chinese_line_breaking_keeps_punctuation_off_the_line_start() -> None:
    fonts = register_cjk_fonts()
    citation = "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》：大会表决议案，由全体代表的过半数通过。"
    for width in range(60, 420, 7):
        lines = wrap_text(citation, width, 13, fonts)
        assert "".join(lines) == citation
        for line in lines[1:]:
            assert line[0] not in "，。：》）", (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in "《（", (width, lines)
    assert wrap_text("会议（编号 pm-2026-11）", 95, 13, fonts)[-1].startswith("pm-2026-11")


def test_fonts_are_embedded(tmp_path: Path) -> None:
    exe = _tool("pdffonts")
    pdf = write_result_sheet(tmp_path / "s.pdf", meeting(tmp_path, anonymous=True), "b1", voted_at=VOTED_AT)
    rows = subprocess.run([exe, str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), rows


def test_unseated_members_rare_names_and_delayed_results(tmp_path: Path) -> None:
    base = make_setup(30, settings=VoteSettings(anonymous=False, reveal=Reveal.DELAYED))
    members = tuple(Member(m.member_id, "刘䶮" if m.member_id == "m002" else m.name) for m in base.members)
    seats = {seat: mid for seat, mid in base.seats.items() if seat != 30}
    setup = dataclasses.replace(base, members=members, seats=seats)
    conference = JournaledConference.create(tmp_path / "meeting.journal", setup)
    for seat in range(1, 21):
        assert conference.apply(ev.SeatKeyPressed(seat, 1.0)).ok
    assert conference.apply(ev.OpenMeeting(2.0)).ok
    assert conference.apply(ev.OpenVote(10.0, "b1")).ok
    for seat in range(1, 21):
        assert conference.apply(ev.VoteCast(seat, 11.0, "yes")).ok
    assert conference.apply(ev.CloseVote(20.0)).ok
    sheet = build_result_sheet(conference, "b1", voted_at=VOTED_AT)
    assert sheet.seats[-1].seat is None and sheet.seats[-1].member_id == "m030"
    text = pdf_text(render_result_sheet(sheet), tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "延迟公布" in flat and "通过" in flat and "未通过" not in flat
    assert re.search(r"(?m)^—\s*\n+委员30\s*\n+未表决\s*$", text)
    fonts = register_cjk_fonts()
    if fonts.extra is None:
        pytest.skip("no CJK Extension A face installed (fonts-wqy-zenhei): rare characters print as boxes")
    assert "刘䶮" in flat


def test_without_the_shipped_font_a_system_font_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not any(f.path.is_file() for f in system_fonts()):
        pytest.skip("no system CJK TrueType font installed (fonts-wqy-zenhei)")
    monkeypatch.setattr(report_fonts, "shipped_font", lambda: tmp_path / "gone.ttc")
    report_fonts._register_default.cache_clear()
    try:
        fonts = register_cjk_fonts()
        assert not fonts.shipped and fonts.source.path != shipped_font()
        conference = meeting(tmp_path, anonymous=True)
        flat = re.sub(r"\s+", "", pdf_text(result_sheet_pdf(conference, "b1", voted_at=VOTED_AT), tmp_path))
        assert "无记名表决" in flat and conference.journal.last_hash in flat
    finally:
        monkeypatch.undo()
        report_fonts._register_default.cache_clear()
        assert register_cjk_fonts().shipped
