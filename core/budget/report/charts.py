"""The report's charts drawn without Qt: one layout, two renderers (reportlab graphics for the PDF, Pillow PNG for Word).

:func:`layout` turns a :class:`ChartSpec` into plain shapes (rectangles, lines, dots, texts) in a
top-left-origin box; :func:`to_drawing` draws them as a reportlab ``Drawing`` (vector, the embedded CJK font)
and :func:`to_png` paints them with Pillow using the shipped font. Both therefore show the same bars, the
same labels and the same colours, which are also the colours of the analysis page (:data:`PALETTE`).

Chart coordinates are floats; the amounts behind them stay integer fen in :class:`ReportData` — a chart is
only a picture of the figures printed in the tables next to it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.budget.report.figures import ReportData
from core.reports.fonts import shipped_font

PALETTE = {"rate": "#2F6DB5", "progress": "#D0342C", "paid": "#3A8F5C", "axis": "#444444", "grid": "#DDDDDD",
           "text": "#222222", "behind": "#E08A1E"}
"""Colours shared by the report and the analysis page: execution, time progress, amounts, behind progress."""


@dataclass(frozen=True)
class ChartSpec:
    title: str
    categories: tuple[str, ...]
    values: tuple[float, ...]
    unit: str
    horizontal: bool = False
    line: tuple[float, ...] | None = None
    """A line over the categories (vertical charts), e.g. time progress month by month."""
    reference: float | None = None
    """A constant reference (horizontal charts), e.g. today's time progress."""
    line_name: str = ""
    bar_name: str = ""
    bar_colours: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    """Baseline."""
    text: str
    size: float
    colour: str = PALETTE["text"]
    anchor: str = "start"  # start / middle / end


Shape = Rect | Line | Dot | Text


def nice_max(value: float) -> float:
    """The axis end: the smallest 1, 2, 2.5 or 5 × 10ⁿ step times 5 that holds ``value``."""
    if value <= 0:
        return 1.0
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= raw:
            return step * power * 5
    return value  # pragma: no cover


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}" if unit == "%" else f"{value:,.1f}"


def layout(spec: ChartSpec, width: float, height: float, size: float = 9.0) -> list[Shape]:
    """The shapes of ``spec`` in a ``width`` × ``height`` box (y grows downwards)."""
    shapes: list[Shape] = [Text(width / 2, size * 1.4, spec.title, size * 1.25, anchor="middle")]
    top = size * 2.6
    legend_y = height - size * 0.6
    items = [(spec.bar_name, PALETTE["rate"] if spec.unit == "%" else PALETTE["paid"], False)]
    if spec.bar_colours:
        names = {PALETTE["rate"]: "不低于序时进度", PALETTE["behind"]: "低于序时进度"}
        items = [(names.get(c, spec.bar_name), c, False) for c in dict.fromkeys(spec.bar_colours)]
    if spec.line_name:
        items.append((spec.line_name, PALETTE["progress"], True))
    x = width / 2 - sum(len(n) * size + size * 3 for n, _, _ in items) / 2
    for name, colour, is_line in items:
        if not name:
            continue
        if is_line:
            shapes.append(Line(x, legend_y - size * 0.35, x + size * 1.6, legend_y - size * 0.35, colour, 2))
        else:
            shapes.append(Rect(x, legend_y - size * 0.8, size * 1.6, size * 0.8, colour))
        shapes.append(Text(x + size * 2, legend_y, name, size))
        x += len(name) * size + size * 3.5
    bottom = height - size * 2.4
    values = list(spec.values) + list(spec.line or ()) + ([spec.reference] if spec.reference is not None else [])
    top_value = nice_max(max(values, default=0.0))
    colours = spec.bar_colours or tuple(PALETTE["rate"] if spec.unit == "%" else PALETTE["paid"]
                                        for _ in spec.values)
    if spec.horizontal:
        label_w = max((len(c) for c in spec.categories), default=2) * size + size
        left, right = label_w, width - size * 4.5
        plot_w = right - left
        x_bottom = bottom - size * 1.4
        n = max(len(spec.categories), 1)
        band = (x_bottom - top) / n
        for i in range(6):
            gx = left + plot_w * i / 5
            shapes.append(Line(gx, top, gx, x_bottom, PALETTE["grid"], 0.5))
            shapes.append(Text(gx, x_bottom + size * 1.2, _fmt(top_value * i / 5, spec.unit), size * 0.85,
                               anchor="middle"))
        for i, (cat, value) in enumerate(zip(spec.categories, spec.values, strict=True)):
            y = top + band * i
            w = plot_w * max(value, 0) / top_value
            shapes.append(Rect(left, y + band * 0.18, w, band * 0.64, colours[i]))
            shapes.append(Text(left - size * 0.4, y + band * 0.5 + size * 0.35, cat, size, anchor="end"))
            shapes.append(Text(left + w + size * 0.3, y + band * 0.5 + size * 0.35, _fmt(value, spec.unit),
                               size * 0.85))
        if spec.reference is not None:
            rx = left + plot_w * spec.reference / top_value
            shapes.append(Line(rx, top - size * 0.3, rx, x_bottom, PALETTE["progress"], 2))
        shapes.append(Line(left, top, left, x_bottom, PALETTE["axis"]))
        return shapes
    left, right = size * 5.5, width - size
    plot_h = bottom - top - size * 1.4
    base_y = top + plot_h
    for i in range(6):
        gy = base_y - plot_h * i / 5
        shapes.append(Line(left, gy, right, gy, PALETTE["grid"], 0.5))
        shapes.append(Text(left - size * 0.4, gy + size * 0.35, _fmt(top_value * i / 5, spec.unit), size * 0.85,
                           anchor="end"))
    n = max(len(spec.categories), 1)
    band = (right - left) / n
    for i, (cat, value) in enumerate(zip(spec.categories, spec.values, strict=True)):
        x0 = left + band * i
        h = plot_h * max(value, 0) / top_value
        shapes.append(Rect(x0 + band * 0.18, base_y - h, band * 0.64, h, colours[i]))
        shapes.append(Text(x0 + band / 2, base_y + size * 1.2, cat, size, anchor="middle"))
        shapes.append(Text(x0 + band / 2, base_y - h - size * 0.3, _fmt(value, spec.unit), size * 0.75,
                           anchor="middle"))
    if spec.line:
        points = [(left + band * (i + 0.5), base_y - plot_h * v / top_value) for i, v in enumerate(spec.line)]
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            shapes.append(Line(x1, y1, x2, y2, PALETTE["progress"], 2))
        shapes.extend(Dot(x, y, size * 0.3, PALETTE["progress"]) for x, y in points)
    shapes.append(Line(left, base_y, right, base_y, PALETTE["axis"]))
    return shapes


def _short(name: str) -> str:
    return name.removesuffix("支出") or name


def report_charts(data: ReportData) -> list[ChartSpec]:
    """The report's three charts: rate by functional class, cumulative rate by month, paid by month."""
    m = data.period.end_month
    classes = [c for c in data.classes if c.rate is not None]
    progress = float(classes[0].progress) if classes else m * 100 / 12
    charts = []
    if classes:
        charts.append(ChartSpec(
            title=f"各功能类执行率（截至{m}月底）", categories=tuple(_short(c.name) for c in classes),
            values=tuple(float(c.rate or Decimal(0)) for c in classes), unit="%", horizontal=True,
            reference=progress, bar_name="执行率", line_name=f"序时进度{progress:.2f}%",
            bar_colours=tuple(PALETTE["behind"] if (c.gap or 0) < 0 else PALETTE["rate"] for c in classes)))
    if data.months:
        charts.append(ChartSpec(
            title="一般公共预算累计执行率与序时进度", categories=tuple(f"{p.month}月" for p in data.months),
            values=tuple(float(p.rate or Decimal(0)) for p in data.months), unit="%",
            line=tuple(float(p.progress) for p in data.months), bar_name="累计执行率", line_name="序时进度"))
        charts.append(ChartSpec(
            title="一般公共预算各月支出（单位：亿元）", categories=tuple(f"{p.month}月" for p in data.months),
            values=tuple(p.paid_fen / 10_000_000_000 for p in data.months), unit="亿元", bar_name="当月支出"))
    return charts


def to_drawing(spec: ChartSpec, width: float, height: float, font: str, size: float = 9.0) -> object:
    """A reportlab ``Drawing`` of the chart (flowable in a PDF story)."""
    from reportlab.graphics.shapes import Circle, Drawing, String
    from reportlab.graphics.shapes import Line as RLine
    from reportlab.graphics.shapes import Rect as RRect
    from reportlab.lib.colors import HexColor

    d = Drawing(width, height)
    d.initialFontName, d.initialFontSize = font, size  # else reportlab starts the drawing in Helvetica
    for s in layout(spec, width, height, size):
        if isinstance(s, Rect):
            d.add(RRect(s.x, height - s.y - s.h, s.w, s.h, fillColor=HexColor(s.fill), strokeColor=None))
        elif isinstance(s, Line):
            d.add(RLine(s.x1, height - s.y1, s.x2, height - s.y2, strokeColor=HexColor(s.colour),
                        strokeWidth=s.width))
        elif isinstance(s, Dot):
            d.add(Circle(s.x, height - s.y, s.r, fillColor=HexColor(s.fill), strokeColor=None))
        else:
            d.add(String(s.x, height - s.y, s.text, fontName=font, fontSize=s.size, fillColor=HexColor(s.colour),
                         textAnchor=s.anchor))
    return d


def to_png(spec: ChartSpec, path: Path, width: int = 1600, height: int = 900, size: float = 26.0) -> Path:
    """The chart as a PNG painted by Pillow with the shipped CJK font."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[int, ImageFont.FreeTypeFont] = {}

    def font(px: float) -> ImageFont.FreeTypeFont:
        key = round(px)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(shipped_font()), key, index=0)
        return fonts[key]

    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for s in layout(spec, width, height, size):
        if isinstance(s, Rect):
            if s.w > 0 and s.h > 0:
                draw.rectangle((s.x, s.y, s.x + s.w, s.y + s.h), fill=s.fill)
        elif isinstance(s, Line):
            draw.line((s.x1, s.y1, s.x2, s.y2), fill=s.colour, width=max(1, round(s.width * size / 9)))
        elif isinstance(s, Dot):
            draw.ellipse((s.x - s.r, s.y - s.r, s.x + s.r, s.y + s.r), fill=s.fill)
        else:
            draw.text((s.x, s.y), s.text, fill=s.colour, font=font(s.size), anchor=anchors[s.anchor])
    image.save(path, "PNG")
    return path
