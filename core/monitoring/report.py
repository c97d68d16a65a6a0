"""The daily and monthly machine-room report (机房运行日报 / 月报) as PDF.

The figures are those of :func:`core.monitoring.queries.report_day` / ``report_month`` (availability per
device, alarm counts and durations by kind and severity, the compliance of every point) and the period's
alarms from :func:`core.monitoring.queries.alarm_history`. The page follows the suite's official-document
geometry (GB/T 9704-2012: A4, type area 156 × 225 mm, title in a bold Song face at 2号, headings in Hei,
tables in FangSong); every font is an embedded TrueType subset (:func:`core.reports.fonts.register_official_fonts`);
each page carries "第 X 页 共 Y 页" below the type area.

Temperature and humidity are judged against each point's warning limits, whose defaults are the ranges of
GB 50174-2017《数据中心设计规范》附录A (see ``docs/machineroom.md``). A room or a period without a single
reading or alarm is refused with a Chinese message (:class:`ReportRefused`) and no file is written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.budget.report.content import TableBlock
from core.models.base import utcnow
from core.monitoring.models import COMM, COMM_POINT, KIND_LABELS, SEVERITY_LABELS, MonAlarm, MonPoint
from core.monitoring.queries import LOCAL_TZ, Report, alarm_history, report_day, report_month

APPLICATION = "Renda Suite 机房监控"
STANDARD = "GB 50174-2017《数据中心设计规范》附录A"
STANDARD_RANGES = ("冷通道或机柜进风区域温度 18～27 °C（A、B、C 级相同，5.1.1 条文说明）",
                   "相对湿度不大于 60 %", "露点温度 5.5～15 °C")
_CLIMATE = re.compile(r"temp|hum|dew", re.IGNORECASE)
_CLIMATE_LABELS = ("温度", "湿度", "露点")


class ReportRefused(ValueError):
    """The report cannot be made; the message says why in Chinese."""


@dataclass(frozen=True, slots=True)
class Climate:
    """One temperature or humidity point: its range, extremes and the share of minutes within the range."""

    device: str
    label: str
    unit: str
    low: float | None
    high: float | None
    vmin: float | None
    vmax: float | None
    vavg: float | None
    minutes: int
    compliant_minutes: int

    @property
    def rate(self) -> float | None:
        return self.compliant_minutes / self.minutes if self.minutes else None

    @property
    def range_text(self) -> str:
        unit = shown_unit(self.unit)
        if self.low is not None and self.high is not None:
            return f"{self.low:g}～{self.high:g} {unit}"
        if self.high is not None:
            return f"≤ {self.high:g} {unit}"
        if self.low is not None:
            return f"≥ {self.low:g} {unit}"
        return "未设限值"


@dataclass(frozen=True, slots=True)
class AlarmLine:
    raised: datetime
    device: str
    point: str
    what: str
    severity: str
    seconds: float
    active: bool  # not cleared by the end of the period
    acked_by: str
    comment: str


@dataclass(slots=True)
class RoomReport:
    """Everything the PDF and the console's 报表 page show."""

    figures: Report
    kind: str  # day | month
    made_at: datetime
    climate: list[Climate] = field(default_factory=list)
    alarms: list[AlarmLine] = field(default_factory=list)
    room_name: str = ""
    """The room's name (the room file's ``[room] name``); empty when not known."""

    @property
    def title(self) -> str:
        return self.figures.title

    @property
    def room(self) -> str:
        """The room's id (``main``), as stored in the rows."""
        return self.figures.room

    @property
    def room_label(self) -> str:
        """What the report calls the room: its name, or its id when no name is known."""
        return self.room_name or self.room

    @property
    def period_text(self) -> str:
        start = self.figures.start.astimezone(LOCAL_TZ)
        end = self.figures.end.astimezone(LOCAL_TZ)
        return f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}（北京时间）"

    @property
    def overall_availability(self) -> float | None:
        values = list(self.figures.availability.values())
        return sum(values) / len(values) if values else None

    @property
    def alarm_total(self) -> int:
        return sum(t.count for t in self.figures.alarms.values())

    @property
    def climate_rate(self) -> float | None:
        minutes = sum(c.minutes for c in self.climate)
        return sum(c.compliant_minutes for c in self.climate) / minutes if minutes else None

    def availability_rows(self) -> list[tuple[str, str, str]]:
        """(device, time without communication, availability), then the room's overall share."""
        period = (self.figures.end - self.figures.start).total_seconds()
        rows = [(device, duration_text((1 - share) * period), percent(share))
                for device, share in sorted(self.figures.availability.items())]
        rows.append(("全部设备（平均）", "", percent(self.overall_availability)))
        return rows

    def alarm_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(kind, severity, count, total duration, longest), by kind then severity, then the total."""
        order = {k: n for n, k in enumerate(KIND_LABELS)}
        rows = []
        for (kind, severity), t in sorted(self.figures.alarms.items(),
                                          key=lambda item: (order.get(item[0][0], 99), item[0][1] != "critical")):
            rows.append((KIND_LABELS.get(kind, kind), SEVERITY_LABELS.get(severity, severity), str(t.count),
                         duration_text(t.seconds), duration_text(t.longest)))
        tallies = self.figures.alarms.values()
        rows.append(("合计", "", str(self.alarm_total), duration_text(sum(t.seconds for t in tallies)),
                     duration_text(max((t.longest for t in tallies), default=0.0))))
        return rows

    def climate_rows(self) -> list[tuple[str, str, str, str, str, str, str]]:
        """(device, point, range, min, mean, max, compliance)."""
        return [(c.device, c.label, c.range_text, number(c.vmin), number(c.vavg), number(c.vmax), percent(c.rate))
                for c in self.climate]

    def alarm_list_rows(self) -> list[tuple[str, str, str, str, str, str, str]]:
        """(raised, device, what (the alarm's message), severity, duration, acknowledged by, comment)."""
        fmt = "%H:%M:%S" if self.kind == "day" else "%m-%d %H:%M"
        return [(a.raised.astimezone(LOCAL_TZ).strftime(fmt), a.device, a.what,
                 SEVERITY_LABELS.get(a.severity, a.severity),
                 duration_text(a.seconds) + ("（未恢复）" if a.active else ""), a.acked_by or "未确认", a.comment)
                for a in self.alarms]


def shown_unit(unit: str) -> str:
    """℃ as "°C": the CJK faces do not all have the single character."""
    return unit.replace("℃", "°C")


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}%"


def duration_text(seconds: float) -> str:
    """``3725`` → ``1小时2分5秒``; whole days for long spans."""
    s = round(max(seconds, 0.0))
    if s == 0:
        return "0秒"
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    parts = [(days, "天"), (hours, "小时"), (minutes, "分"), (s, "秒")]
    text = "".join(f"{v}{u}" for v, u in parts if v)
    return text if not days else "".join(f"{v}{u}" for v, u in parts[:3] if v)


def parse_day(text: str) -> date:
    """``2026-12-04`` → a date; a clear Chinese message otherwise."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ReportRefused(f"日期“{text}”无法识别，请写成 2026-12-04 的形式") from None


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11); a clear Chinese message otherwise."""
    parts = (text or "").strip().split("-")
    if (len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4
            or not 1 <= int(parts[1]) <= 12):
        raise ReportRefused(f"月份“{text}”无法识别，请写成 2026-11 的形式")
    return int(parts[0]), int(parts[1])


def is_climate(point: MonPoint) -> bool:
    """A temperature, humidity or dew-point point (by its key or its label)."""
    return point.kind == "number" and (bool(_CLIMATE.search(point.key))
                                       or any(word in (point.label or "") for word in _CLIMATE_LABELS))


def collect(session: Session, room: str, *, day: date | None = None, month: tuple[int, int] | None = None,
            made_at: datetime | None = None, room_name: str = "") -> RoomReport:
    """The figures of one day or one month of ``room`` (called ``room_name`` in the report when given);
    :class:`ReportRefused` when there are none."""
    room = (room or "").strip()
    if not room:
        raise ReportRefused("请指定机房（--room）")
    if (day is None) == (month is None):
        raise ReportRefused("请指定日报的日期或月报的月份（二者选一）")
    known = session.scalar(select(MonPoint.id).where(MonPoint.room == room, MonPoint.deleted.is_(False)).limit(1))
    if known is None and session.scalar(select(MonAlarm.id).where(MonAlarm.room == room).limit(1)) is None:
        rooms = sorted(set(session.scalars(select(MonPoint.room).where(MonPoint.deleted.is_(False)))))
        hint = f"已有的机房：{'、'.join(rooms)}" if rooms else "数据库中还没有任何机房的数据"
        raise ReportRefused(f"机房“{room}”没有任何监测点或告警，未生成报表。{hint}。")
    if day is not None:
        figures, kind = report_day(session, room, day), "day"
    else:
        assert month is not None
        figures, kind = report_month(session, room, *month), "month"
    history = alarm_history(session, room, figures.start, figures.end)
    if not any(p.minutes for p in figures.points) and not history and not any(
            share < 1 for share in figures.availability.values()):
        period = f"{day.isoformat()}" if day is not None else f"{month[0]}年{month[1]}月"  # type: ignore[index]
        raise ReportRefused(f"机房“{room}”在 {period} 没有任何读数或告警，未生成报表。请核对日期或数据库（--db）。")
    points = {p.id: p for p in session.scalars(select(MonPoint).where(MonPoint.room == room))}
    out = RoomReport(figures, kind, made_at or utcnow(), room_name=room_name.strip())
    for line in figures.points:
        p = points.get(line.point_id)
        if p is None or not is_climate(p) or not line.minutes:
            continue
        low = p.low_warning if p.low_warning is not None else p.low_critical
        high = p.high_warning if p.high_warning is not None else p.high_critical
        out.climate.append(Climate(line.device, line.label, line.unit, low, high, line.vmin, line.vmax, line.vavg,
                                   line.minutes, line.compliant_minutes))
    for a in history:
        end = min(a.cleared_at or figures.end, figures.end)
        point = points.get(a.point_id or "")
        name = "" if a.point_key == COMM_POINT else (point.label if point and point.label else a.point_key)
        what = shown_unit(a.message) if a.message and a.kind != COMM else f"{name}{KIND_LABELS.get(a.kind, a.kind)}"
        out.alarms.append(AlarmLine(a.raised_at, a.device, name, what, a.severity,
                                    (end - a.raised_at).total_seconds(),
                                    a.cleared_at is None or a.cleared_at >= figures.end, a.acked_by, a.ack_comment))
    return out


# --------------------------------------------------------------------------------------------- the PDF
def _summary(r: RoomReport) -> str:
    critical = sum(t.count for (_k, sev), t in r.figures.alarms.items() if sev == "critical")
    climate = ("无温湿度测点数据" if r.climate_rate is None
               else f"温湿度测点在 {STANDARD} 范围内的时间占 {percent(r.climate_rate)}")
    return (f"本期设备平均可用率 {percent(r.overall_availability)}，共发生告警 {r.alarm_total} 条"
            f"（其中严重 {critical} 条），{climate}。")


def report_pdf(r: RoomReport) -> bytes:
    """The PDF bytes: title block, summary, the four tables, page numbers "第 X 页 共 Y 页"."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer
    from reportlab.platypus.flowables import Flowable, HRFlowable

    from core.budget.report import pdf as _pdf
    from core.reports.fonts import BoldParagraph, register_official_fonts, wrapped_markup

    fonts = register_official_fonts()
    f = fonts
    s = _pdf._Styles(fonts)
    small = ParagraphStyle("small", fontName=f.fangsong.regular, fontSize=12, leading=18, alignment=TA_CENTER,
                           wordWrap="CJK")
    note = ParagraphStyle("note", fontName=f.fangsong.regular, fontSize=12, leading=18, wordWrap="CJK")
    folio_font, folio_size = f.song.regular, 12.0

    story: list[Flowable] = [
        BoldParagraph(wrapped_markup(r.title, _pdf.AREA_W, _pdf.TITLE, f.song), s.title, f.song),
        s.para(f"机房：{r.room_label}　　统计时段：{r.period_text}", small, f.fangsong, _pdf.AREA_W),
        s.para(f"制表时间：{r.made_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}　　制表系统：{APPLICATION}", small,
               f.fangsong, _pdf.AREA_W),
        HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=6, spaceAfter=_pdf.LINE / 2),
        s.para(_summary(r), s.body, f.fangsong, _pdf.AREA_W),
        s.para("一、设备可用率", s.h1, f.hei, _pdf.AREA_W),
    ]
    story.extend(_pdf._table(TableBlock("表1 设备可用率（统计时段内无通信中断告警的时间占比）",
                                        ("设备", "通信中断时长", "可用率"), tuple(r.availability_rows()),
                                        (3, 3, 2), (1, 2)), s))
    story.append(s.para("二、告警统计", s.h1, f.hei, _pdf.AREA_W))
    story.extend(_pdf._table(TableBlock("表2 告警数量与持续时间（按类型和级别）",
                                        ("告警类型", "级别", "条数", "累计时长", "最长一次"),
                                        tuple(r.alarm_rows()), (3, 2, 1.5, 3, 3), (2, 3, 4)), s))
    story.append(s.para("三、温湿度达标情况", s.h1, f.hei, _pdf.AREA_W))
    story.append(s.para(f"依据 {STANDARD}：{'；'.join(STANDARD_RANGES)}。各测点按其告警限值（默认即上述范围）判定，"
                        "一分钟内的最低值和最高值均在范围内计为达标。", note, f.fangsong, _pdf.AREA_W))
    story.append(Spacer(1, 4))
    if r.climate:
        story.extend(_pdf._table(TableBlock("表3 温湿度达标率", ("设备", "测点", "要求范围", "最低", "平均", "最高", "达标率"),
                                            tuple(r.climate_rows()), (2, 2.6, 2.6, 1.4, 1.4, 1.4, 1.8), (3, 4, 5, 6)),
                                 s))
    else:
        story.append(s.para("本期没有温湿度测点的读数。", s.body, f.fangsong, _pdf.AREA_W))
    if r.alarms:
        # a long list starts right under its heading and runs on over the pages (header repeated)
        parts = _pdf._table(TableBlock(f"表4 本期告警（共 {len(r.alarms)} 条，按发生先后）",
                                       ("发生时间", "设备", "告警内容", "级别", "持续时间", "确认人", "确认说明"),
                                       tuple(r.alarm_list_rows()),
                                       (2.1 if r.kind == "day" else 2.7, 1.7, 3.9, 1.2, 1.9, 2.5, 2.0)), s)
        if len(parts) > 1:
            parts[0] = s.para(parts[0].getPlainText(), ParagraphStyle("caption-long", parent=s.caption,
                                                                      keepWithNext=0), f.hei, _pdf.AREA_W)
        story.append(s.para("四、告警明细", ParagraphStyle("h1-long", parent=s.h1, keepWithNext=len(parts) == 1),
                            f.hei, _pdf.AREA_W))
        story.extend(parts)
    else:
        story.append(s.para("四、告警明细", s.h1, f.hei, _pdf.AREA_W))
        story.append(s.para("本期没有告警。", s.body, f.fangsong, _pdf.AREA_W))

    class NumberedCanvas(Canvas):
        """Draws "第 X 页 共 Y 页" once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                text = f"第 {n} 页 共 {total} 页"
                self.setFont(folio_font, folio_size)
                self.drawCentredString(_pdf.LEFT + _pdf.AREA_W / 2, _pdf.BOTTOM - 10 * mm, text)
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    frame = Frame(_pdf.LEFT, _pdf.BOTTOM, _pdf.AREA_W, _pdf.AREA_H, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="type-area")
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=_pdf.LEFT,
                          rightMargin=_pdf.PAGE_W - _pdf.LEFT - _pdf.AREA_W, topMargin=_pdf.TOP,
                          bottomMargin=_pdf.BOTTOM, title=r.title, author=APPLICATION, subject=f"{r.title}（{r.room_label}）",
                          creator=APPLICATION, pageTemplates=[PageTemplate("page", [frame])],
                          initialFontName=f.song.regular, initialFontSize=_pdf.BODY, initialLeading=_pdf.LINE)
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def report_name(r: RoomReport) -> str:
    return f"{r.title}（{r.room_label}）.pdf"


def write_report(engine: Engine, room: str, out: Path, *, day: date | None = None,
                 month: tuple[int, int] | None = None, made_at: datetime | None = None, room_name: str = "") -> Path:
    """Render the report of ``room`` for ``day`` or ``month`` into ``out``; nothing is written when refused."""
    if out.exists() and out.is_dir():
        raise ReportRefused(f"{out} 是文件夹，请给出 PDF 文件名，例如 {out / '机房日报.pdf'}")
    if out.suffix.lower() != ".pdf":
        raise ReportRefused(f"输出文件“{out.name}”应以 .pdf 结尾")
    with Session(engine) as session:
        r = collect(session, room, day=day, month=month, made_at=made_at, room_name=room_name)
    body = report_pdf(r)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    return out
