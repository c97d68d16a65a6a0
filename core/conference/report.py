"""The vote result sheet (表决结果单): one A4 PDF per vote, carrying the journal's head hash.

The sheet shows the meeting, the agenda item, the date and time, how the vote was taken (named or
anonymous, electronic or a show of hands), the majority rule with the law's citation, present and
total members, the counts, the verdict in large type, the journal head (SHA-256) with the range of
entries that hold the vote, page numbers and signature lines for the chair and the teller.

A named electronic vote adds a per-seat table (seat, member, choice).  An anonymous vote and a show of
hands print totals only: the sheet is built from :meth:`VoteRecord.to_dict`, which for them holds no
seat→choice data, and the renderer never prints a per-seat table for them even if it were given one.

The rules keep monotonic times only, so the wall-clock time of the vote is passed in by the caller.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.conference.events import from_dict
from core.conference.journal import JournaledConference, JournalError, read_entries
from core.conference.meeting import AgendaItem, ItemKind, MeetingSetup
from core.conference.state import ConferenceState
from core.reports.fonts import (
    CJK,
    CJK_BOLD,
    BoldParagraph,
    CJKFonts,
    markup,
    register_cjk_fonts,
    wrapped_markup,
)

CHOICE_TEXT = {"yes": "赞成", "no": "反对", "abstain": "弃权"}
NOT_VOTED = "未表决"
KIND_TEXT = {
    ItemKind.BILL: "议案",
    ItemKind.AMENDMENT: "修正案",
    ItemKind.APPOINTMENT: "任免事项，逐人表决",
    ItemKind.PROCEDURAL: "程序性事项",
}
WEEKDAYS = "一二三四五六日"
ANONYMOUS_NOTE = (
    "本次为无记名表决：系统只记录各项票数，不记录任何人或任何席位的表决意向，本表不列个人表决情况。"
)
HANDS_NOTE = "本次为举手表决（电子表决器故障），票数由工作人员当场清点录入，无逐人表决记录。"
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN
GRID = 0.8
PAD = 6
INK = colors.black
SHADE = colors.Color(0.9, 0.9, 0.9)


@dataclass(frozen=True)
class JournalSeal:
    """Where the vote sits in the hash-chained journal."""

    head: str
    """SHA-256 of the last entry when the sheet was made: it covers every entry before it."""
    entries: int
    first: int
    """Sequence number of the entry that opened the vote (or entered the show of hands)."""
    last: int
    """Sequence number of the last entry of the vote (its close, or the anonymous tally)."""


@dataclass(frozen=True)
class SeatRow:
    """One line of the per-seat table: seat (``None`` when the member has none), member, choice per question."""

    seat: int | None
    member_id: str
    name: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class ResultSheet:
    """Everything printed on one result sheet."""

    meeting_id: str
    meeting_title: str
    item_kind: ItemKind
    amends_title: str | None
    record: dict[str, Any]
    """:meth:`VoteRecord.to_dict` of the vote."""
    seats: tuple[SeatRow, ...]
    """Per-seat rows: empty for anonymous votes and shows of hands."""
    journal: JournalSeal
    voted_at: datetime
    printed_at: datetime

    @property
    def per_seat(self) -> bool:
        """Whether the sheet may show who chose what (named electronic votes only)."""
        return not self.record["anonymous"] and not self.record["show_of_hands"]


def vote_entry_range(path: Path, number: int) -> tuple[int, int]:
    """First and last journal entry of vote ``number``, found by replaying the journal's commands.

    Sealed key presses are not opened: they never decide when a vote opens or closes.
    """
    entries = read_entries(path)
    if not entries or entries[0].kind != "setup":
        raise JournalError("会议日志缺少会议设置")
    state = ConferenceState(MeetingSetup.from_dict(entries[0].body))
    first: int | None = None
    last: int | None = None
    for e in entries[1:]:
        if e.kind == "msg":
            state.apply(from_dict(e.body))
            current = state.voting.current
            recorded = bool(state.voting.records) and state.voting.records[-1].number == number
            if first is None and ((current is not None and current.number == number) or recorded):
                first = e.seq
            if last is None and recorded:
                last = e.seq
        elif e.kind == "anon_close" and int(e.body["vote"]) == number and last is not None:
            last = e.seq
    if first is None or last is None:
        raise JournalError(f"会议日志中找不到第 {number} 次表决")
    return first, last


def build_result_sheet(
    conference: JournaledConference,
    item_id: str | None = None,
    *,
    voted_at: datetime,
    printed_at: datetime | None = None,
) -> ResultSheet:
    """The sheet of the vote on ``item_id`` (default: the latest result) of a journaled meeting.

    Raises :class:`JournalError` when the journal's chain is broken or the item has no result.
    """
    report = conference.verify()
    if not report.ok:
        raise JournalError(f"会议日志校验失败，不能出具表决结果单：{report.reason}")
    records = conference.state.voting.records
    matching = [r for r in records if item_id is None or r.item_id == item_id]
    if not matching:
        raise JournalError("尚无表决结果" if item_id is None else f"议程 {item_id} 尚无表决结果")
    record = matching[-1]
    setup = conference.state.setup
    item: AgendaItem | None = setup.item(record.item_id)
    first, last = vote_entry_range(conference.path, record.number)
    data = record.to_dict()
    rows: list[SeatRow] = []
    if not record.anonymous and not record.show_of_hands:
        named = [q.named or {} for q in record.questions]
        names = {m.member_id: m.name for m in setup.members}
        seated = sorted(setup.seats.items())
        for seat, mid in seated:
            choices = tuple(CHOICE_TEXT.get(str(n.get(seat, "")), NOT_VOTED) for n in named)
            rows.append(SeatRow(seat, mid, names.get(mid, mid), choices))
        with_seat = {mid for _, mid in seated}
        for m in setup.members:
            if m.member_id not in with_seat:
                rows.append(SeatRow(None, m.member_id, m.name, tuple(NOT_VOTED for _ in named)))
    amends = setup.item(item.amends) if item is not None and item.amends else None
    return ResultSheet(
        meeting_id=setup.meeting_id,
        meeting_title=setup.title,
        item_kind=item.kind if item is not None else ItemKind.BILL,
        amends_title=amends.title if amends is not None else None,
        record=data,
        seats=tuple(rows),
        journal=JournalSeal(conference.journal.last_hash, conference.journal.seq, first, last),
        voted_at=voted_at,
        printed_at=printed_at or datetime.now().astimezone(),
    )


def result_sheet_pdf(
    conference: JournaledConference,
    item_id: str | None = None,
    *,
    voted_at: datetime,
    printed_at: datetime | None = None,
) -> bytes:
    """The result sheet of one vote as PDF bytes (see :func:`build_result_sheet`)."""
    return render_result_sheet(
        build_result_sheet(conference, item_id, voted_at=voted_at, printed_at=printed_at)
    )


def write_result_sheet(
    path: Path,
    conference: JournaledConference,
    item_id: str | None = None,
    *,
    voted_at: datetime,
    printed_at: datetime | None = None,
) -> Path:
    """Write the result sheet to ``path`` (atomically: a temporary file, then a rename)."""
    data = result_sheet_pdf(conference, item_id, voted_at=voted_at, printed_at=printed_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    return path


# --- rendering ---------------------------------------------------------------------------------


def format_datetime(value: datetime) -> str:
    """``2026年11月28日（星期六）10:05``."""
    return f"{value.year}年{value.month}月{value.day}日（星期{WEEKDAYS[value.weekday()]}）{value:%H:%M}"


class _Styles:
    def __init__(self, fonts: CJKFonts) -> None:
        def style(
            name: str, size: float, *, bold: bool = False, align: int = TA_LEFT, **kw: Any
        ) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=CJK_BOLD if bold else CJK,
                fontSize=size,
                leading=size * 1.4,
                alignment=align,
                wordWrap="CJK",
                textColor=INK,
                **kw,
            )

        self.fonts = fonts
        self.title = style("title", 26, bold=True, align=TA_CENTER, spaceAfter=8)
        self.heading = style("heading", 15, bold=True, spaceBefore=8, spaceAfter=4, keepWithNext=1)
        self.label = style("label", 13)
        self.value = style("value", 13)
        self.small = style("small", 11)
        self.cell = style("cell", 13, align=TA_CENTER)
        self.cell_bold = style("cellbold", 13, bold=True, align=TA_CENTER)
        self.count = style("count", 22, bold=True, align=TA_CENTER)
        self.verdict = style("verdict", 40, bold=True, align=TA_CENTER)
        self.hash = ParagraphStyle(
            "hash", fontName=fonts.mono, fontSize=11.5, leading=15, alignment=TA_CENTER, textColor=INK
        )

    def _text(self, text: str, style: ParagraphStyle, width: float | None, bold: bool) -> str:
        if width is None:
            return markup(text, self.fonts)
        return wrapped_markup(text, width - 1, style.fontSize, self.fonts, bold)

    def p(self, text: str, style: ParagraphStyle, width: float | None = None) -> Paragraph:
        """A paragraph; with ``width`` (the space it has) broken by the Chinese line-breaking rules."""
        return Paragraph(self._text(text, style, width, False), style)

    def b(self, text: str, style: ParagraphStyle, width: float | None = None) -> Paragraph:
        """A bold paragraph (see :meth:`p`)."""
        return BoldParagraph(self._text(text, style, width, True), style, self.fonts)


def _grid(extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), CJK),
            ("GRID", (0, 0), (-1, -1), GRID, INK),
            ("BOX", (0, 0), (-1, -1), GRID * 2, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            *extra,
        ]
    )


def _method(record: dict[str, Any]) -> str:
    if record["show_of_hands"]:
        return "举手表决（电子表决器故障，由工作人员录入票数）"
    return "电子表决 · " + ("无记名表决" if record["anonymous"] else "记名表决")


def _info_table(sheet: ResultSheet, s: _Styles) -> Table:
    r = sheet.record
    kind = KIND_TEXT[sheet.item_kind]
    if sheet.amends_title:
        kind += f"（修正：{sheet.amends_title}）"
    required = r["questions"][0]["required"] if r["questions"] else 0
    rows = [
        ("会议", f"{sheet.meeting_title}（编号 {sheet.meeting_id}）"),
        ("表决事项", f"{r['title']}（{kind}）"),
        ("表决时间", format_datetime(sheet.voted_at) + f"，第 {r['number']} 次表决" + _duration(r)),
        ("表决方式", _method(r)),
        ("通过条件", f"{r['majority_label']}：赞成票须达到 {required} 票"),
        ("法律依据", r["citation"]),
        ("出席情况", f"全体 {r['total_members']} 人，表决开始时出席 {r['present']} 人"),
    ]
    if not r["revealed"]:
        rows.append(("公布", "延迟公布：本结果尚未当场公布"))
    label_w = 30 * mm
    value_w = TEXT_W - label_w
    data: list[list[Flowable]] = [[s.p(k, s.label), s.p(v, s.value, value_w - 2 * PAD)] for k, v in rows]
    note = HANDS_NOTE if r["show_of_hands"] else ANONYMOUS_NOTE if r["anonymous"] else None
    if note is not None:
        data.append([s.b("说明", s.label), s.b(note, s.value, value_w - 2 * PAD)])
    return Table(data, colWidths=[label_w, value_w], style=_grid([("BACKGROUND", (0, 0), (0, -1), SHADE)]))


def _duration(record: dict[str, Any]) -> str:
    if record["show_of_hands"]:
        return ""
    seconds = max(0, round(record["closed_at"] - record["opened_at"]))
    return f"，用时 {seconds // 60} 分 {seconds % 60} 秒"


def _counts_table(sheet: ResultSheet, s: _Styles) -> Table:
    r = sheet.record
    q = r["questions"][0]
    head = ["赞成", "反对", "弃权", NOT_VOTED, "全体人数"]
    values = [q["yes"], q["no"], q["abstain"], q["not_voted"], r["total_members"]]
    data = [[s.p(h, s.cell) for h in head], [s.b(str(v), s.count) for v in values]]
    return Table(data, colWidths=[TEXT_W / 5] * 5, style=_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]))


def _verdict(sheet: ResultSheet, s: _Styles) -> Table:
    q = sheet.record["questions"][0]
    word = "通　过" if q["passed"] else "未 通 过"
    reach = "达到" if q["passed"] else "未达到"
    detail = f"赞成 {q['yes']} 票，{reach}通过所需的 {q['required']} 票（{sheet.record['majority_label']}）"
    data = [[s.p("表决结果", s.cell)], [s.b(word, s.verdict)], [s.p(detail, s.cell, TEXT_W - 2 * PAD)]]
    return Table(
        data,
        colWidths=[TEXT_W],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), CJK),
                ("BOX", (0, 0), (-1, -1), GRID * 3, INK),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
                ("BOTTOMPADDING", (0, 2), (-1, 2), 8),
            ]
        ),
    )


def _questions_table(sheet: ResultSheet, s: _Styles) -> Table:
    head = ["候选人 / 事项", "赞成", "反对", "弃权", NOT_VOTED, "结果"]
    data: list[list[Flowable]] = [[s.p(h, s.cell) for h in head]]
    first = 50 * mm
    last = 28 * mm
    other = (TEXT_W - first - last) / 4
    for q in sheet.record["questions"]:
        data.append(
            [
                s.p(q["label"], s.cell, first - 2 * PAD),
                s.p(str(q["yes"]), s.cell),
                s.p(str(q["no"]), s.cell),
                s.p(str(q["abstain"]), s.cell),
                s.p(str(q["not_voted"]), s.cell),
                s.b("通过" if q["passed"] else "未通过", s.cell_bold),
            ]
        )
    return Table(
        data,
        colWidths=[first, other, other, other, other, last],
        repeatRows=1,
        style=_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]),
    )


def _seat_tables(sheet: ResultSheet, s: _Styles) -> list[Flowable]:
    labels = [q["label"] for q in sheet.record["questions"]]
    out: list[Flowable] = []
    per_table = 4
    for start in range(0, len(labels), per_table):
        chunk = range(start, min(start + per_table, len(labels)))
        seat_w, name_w = 22 * mm, 60 * mm
        rest = (TEXT_W - seat_w - name_w) / len(chunk)
        head = ["席位", "姓名", *(("表决",) if len(labels) == 1 else (labels[i] for i in chunk))]
        data: list[list[Flowable]] = [[s.p(h, s.cell, rest - 2 * PAD) for h in head]]
        for row in sheet.seats:
            seat = "—" if row.seat is None else str(row.seat)
            data.append(
                [
                    s.p(seat, s.cell),
                    s.p(row.name, s.cell, name_w - 2 * PAD),
                    *(s.p(row.choices[i], s.cell) for i in chunk),
                ]
            )
        out.append(
            Table(
                data,
                colWidths=[seat_w, name_w, *([rest] * len(chunk))],
                repeatRows=1,
                style=_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]),
            )
        )
        out.append(Spacer(1, 6 * mm))
    return out


def _entry_range(first: int, last: int) -> str:
    """``第 3 条`` for one entry, ``第 3 – 7 条`` for several."""
    return f"第 {first} 条" if first == last else f"第 {first} – {last} 条"


def _journal_table(sheet: ResultSheet, s: _Styles) -> Table:
    j = sheet.journal
    label_w = 30 * mm
    value_w = TEXT_W - label_w - 2 * PAD
    entries = f"共 {j.entries} 条（{_entry_range(0, j.entries - 1)}），哈希链完整；本次表决：{_entry_range(j.first, j.last)}"
    printed = sheet.printed_at
    head = (
        f"会议日志头哈希（SHA-256，{printed.year}年{printed.month}月{printed.day}日 {printed:%H:%M} 打印时）"
    )
    rows: list[list[Flowable | str]] = [
        [s.b(head, s.label, TEXT_W - 2 * PAD), ""],
        [Paragraph(grouped_hash(j.head), s.hash), ""],
        [s.p("日志条目", s.label), s.p(entries, s.value, value_w)],
    ]
    return Table(
        rows,
        colWidths=[label_w, TEXT_W - label_w],
        style=_grid(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (1, 1)),
                ("BACKGROUND", (0, 0), (1, 0), SHADE),
                ("BACKGROUND", (0, 2), (0, -1), SHADE),
            ]
        ),
    )


def grouped_hash(digest: str) -> str:
    """A hex digest in groups of four, so it can be read aloud and compared by eye."""
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


SIGNATORIES = ("主持人", "计票人", "监票人")
"""Who signs a result sheet: the chair, the teller who counted, the scrutineer who watched the count."""


def _signatures(s: _Styles) -> Table:
    rows = [[s.p(f"{who}（签字）", s.label), "", s.p("日期", s.label), ""] for who in SIGNATORIES]
    return Table(
        rows,
        colWidths=[36 * mm, 70 * mm, 14 * mm, TEXT_W - 120 * mm],
        rowHeights=[11 * mm] * len(rows),
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), CJK),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), GRID, INK),
                ("LINEBELOW", (3, 0), (3, -1), GRID, INK),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut short with "…" to fit ``width`` points on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _numbered_canvas(footer_left: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Draws "第 n 页 / 共 N 页" once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or CJK
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setStrokeColor(INK)
            self.setLineWidth(0.5)
            self.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
            self.setFont(CJK, 10)
            self.drawString(MARGIN, 9 * mm, _fit(footer_left, CJK, 10, TEXT_W - 40 * mm))
            self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def render_result_sheet(sheet: ResultSheet) -> bytes:
    """Render a :class:`ResultSheet` to PDF bytes (A4)."""
    fonts = register_cjk_fonts()
    s = _Styles(fonts)
    r = sheet.record
    story: list[Flowable] = [
        s.b("表决结果单", s.title),
        _info_table(sheet, s),
        Spacer(1, 6 * mm),
    ]
    note = s.p(f"注：{NOT_VOTED} = 全体人数 − 赞成 − 反对 − 弃权（含缺席者）。", s.small, TEXT_W)
    signed = [Spacer(1, 1.5 * mm), note, Spacer(1, 2 * mm), _signatures(s)]
    if len(r["questions"]) == 1:  # the result and the signatures under it stay on one page
        story += [KeepTogether([_counts_table(sheet, s), Spacer(1, 4 * mm), _verdict(sheet, s), *signed])]
    else:
        story += [s.b("逐项表决结果", s.heading), KeepTogether([_questions_table(sheet, s), *signed])]
    story.append(Spacer(1, 4 * mm))
    if sheet.per_seat and sheet.seats:
        story.append(s.b("逐人表决情况（记名表决）", s.heading))
        story += _seat_tables(sheet, s)
    story.append(KeepTogether([Spacer(1, 3 * mm), _journal_table(sheet, s)]))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=19 * mm,
        title=f"表决结果单 – {r['title']}",
        subject=sheet.meeting_title,
        creator="renda suite",
    )
    footer = f"{sheet.meeting_title} · 第 {r['number']} 次表决 · 日志头 {sheet.journal.head[:16]}…"
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()
