"""Printing the result sheet from the chair's console right after a vote: print preview, then Qt's PDF
printer, read back page by page against the sheet itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apps.common.printing import PdfPrintJob, print_to_pdf_file
from apps.kiosk.console import ChairConsole
from apps.kiosk.demo import demo_setup
from apps.kiosk.source import ConferenceFeed, LocalConference
from core.conference import events as ev
from core.conference.journal import JournaledConference
from core.conference.state import ConferenceState
from tests.kiosk.conftest import Clock


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def _voted(tmp_path: Path, clock: Clock) -> ConferenceFeed:
    conference = JournaledConference.create(tmp_path / "meeting.journal", demo_setup())
    feed = ConferenceFeed(LocalConference(conference), clock=clock, tick_ms=0)
    for seat in range(1, 21):
        assert feed.apply(ev.SeatKeyPressed(seat, clock())).ok
    assert feed.send(lambda t: ev.OpenMeeting(t)).ok
    assert feed.send(lambda t: ev.OpenVote(t, "b1")).ok
    for seat in range(1, 21):
        feed.apply(ev.VoteCast(seat, clock(), "yes" if seat <= 17 else "no"))
    clock.advance(5)
    assert feed.send(lambda t: ev.CloseVote(t)).ok
    return feed


def _ink_map(pdf: Path, out: Path, block: int = 6) -> list[list[bool]]:
    """Each page at 40 dpi in grey, cut into ``block``-pixel squares: whether each square holds ink."""
    subprocess.run([_tool("pdftoppm"), "-gray", "-r", "40", str(pdf), str(out)], check=True)
    pages = []
    for path in sorted(out.parent.glob(out.name + "-*.pgm")):
        data = path.read_bytes()
        magic, width, height, _maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        w, h = int(width), int(height)
        pages.append([any(pixels[y * w + x] < 160 for y in range(by, min(by + block, h))
                          for x in range(bx, min(bx + block, w)))
                      for by in range(0, h, block) for bx in range(0, w, block)])
    return pages


def test_the_console_prints_the_sheet_of_the_vote_just_closed(qtbot: QtBot, tmp_path: Path) -> None:
    clock = Clock()
    feed = _voted(tmp_path, clock)
    console = ChairConsole(feed)
    qtbot.addWidget(console)
    console.show()
    assert console.print_button.isVisible() and console.print_button.isEnabled()
    console.print_button.click()
    qtbot.waitUntil(lambda: console.preview is not None and console.preview.isVisible())
    assert "表决结果单" in console.preview.windowTitle()

    pdf = feed.result_sheet("b1", feed.now())
    job = PdfPrintJob(pdf, "表决结果单")
    printed = print_to_pdf_file(job, tmp_path / "printed.pdf")
    original = tmp_path / "sheet.pdf"
    original.write_bytes(pdf)
    text = subprocess.run([_tool("pdftotext"), str(original), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "表决结果单" in "".join(text.split()) and "通过" in text

    pages_printed = _ink_map(printed, tmp_path / "p")
    pages_original = _ink_map(original, tmp_path / "o")
    assert len(pages_printed) == len(pages_original) == job.page_count >= 1
    for a, b in zip(pages_printed, pages_original, strict=True):
        assert len(a) == len(b)  # the same A4 page in pixels: nothing shifted by printer margins
        inked = sum(b)
        agree = sum(1 for x, y in zip(a, b, strict=True) if x == y)
        assert inked > 50 and agree >= 0.95 * len(b)  # ink where the sheet has it, and nowhere else
    console.preview.reject()


def test_a_meeting_without_a_journal_offers_no_printing(qtbot: QtBot, clock: Clock) -> None:
    feed = ConferenceFeed(LocalConference(ConferenceState(demo_setup())), clock=clock, tick_ms=0)
    console = ChairConsole(feed)
    qtbot.addWidget(console)
    console.show()
    assert not console.print_button.isVisible()


def test_something_that_is_not_a_pdf_is_refused() -> None:
    with pytest.raises(ValueError, match="不是 PDF"):
        PdfPrintJob(b"<html>", "x")
