"""Address and envelope labels on A4 label sheets (PDF, reportlab), for retirees and for petition letters.

A sheet layout is data (:class:`SheetLayout`; :data:`LAYOUTS` holds the common A4 sheets 2×7, 3×8 and
2×4 envelope labels). Each label shows the postcode, the address and the name with "收"; text is fitted to
its cell: the font shrinks step by step down to :attr:`SheetLayout.min_size`, lines wrap by the Chinese
line-breaking rules (:func:`core.reports.fonts.wrap_text`) and, at the smallest size, a last line that still
does not fit is cut with "…" — nothing is ever drawn outside the cell's inner rectangle.

:func:`labels_pdf` takes plain :class:`Recipient` tuples, so the petition desk prints 信访标签 with the same
function (:func:`petition_labels_pdf`); :func:`cadre_recipients` reads them from the cadre record.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import CadPerson, CadPersonCategory
from core.reports.fonts import CJKFonts, register_cjk_fonts, text_width, wrap_text

PAGE_W, PAGE_H = A4


class Recipient(NamedTuple):
    """Who a label is addressed to."""

    name: str
    address: str
    postcode: str = ""


@dataclass(frozen=True)
class SheetLayout:
    """One A4 label sheet: columns × rows of cells (millimetres), margins and gaps as the maker prints them."""

    key: str
    title: str
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    padding: float = 4.0
    size: float = 12.0
    min_size: float = 6.5

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """Rectangle (x, y, w, h) in points of cell ``index`` on its sheet, reading order, origin bottom left."""
        col, row = index % self.columns, (index // self.columns) % self.rows
        x = (self.left + col * (self.width + self.gap_x)) * mm
        y = PAGE_H - (self.top + row * (self.height + self.gap_y) + self.height) * mm
        return x, y, self.width * mm, self.height * mm


LAYOUTS: dict[str, SheetLayout] = {
    "2x7": SheetLayout("2x7", "A4 2×7（99.1×38.1 毫米）", 2, 7, 99.1, 38.1, 4.65, 15.15, 2.5, 0.0),
    "3x8": SheetLayout("3x8", "A4 3×8（70×37 毫米）", 3, 8, 70.0, 37.0, 0.0, 0.5, 0.0, 0.0, padding=3.5,
                       size=10.5),
    "2x4": SheetLayout("2x4", "A4 2×4 信封标签（99.1×67.7 毫米）", 2, 4, 99.1, 67.7, 4.65, 13.1, 2.5, 0.0,
                       padding=6.0, size=14.0),
}
DEFAULT_LAYOUT = "2x7"


class LabelError(ValueError):
    """Labels cannot be printed as asked; the text says why, in Chinese."""


def layout(key: str) -> SheetLayout:
    try:
        return LAYOUTS[key]
    except KeyError:
        raise LabelError(f"没有“{key}”这种标签纸；可用的标签纸：{'、'.join(LAYOUTS)}") from None


@dataclass(frozen=True)
class FittedLabel:
    """The lines of one label at the size that fits, and the line height."""

    postcode: str
    address: list[str]
    name: str
    size: float
    leading: float


def _clip(text: str, width: float, size: float, fonts: CJKFonts) -> str:
    if text_width(text, size, fonts) <= width:
        return text
    while text and text_width(text + "…", size, fonts) > width:
        text = text[:-1]
    return text + "…"


def fit_label(recipient: Recipient, sheet: SheetLayout, fonts: CJKFonts) -> FittedLabel:
    """The largest size at which postcode, wrapped address and name fit the cell's inner rectangle."""
    inner_w = (sheet.width - 2 * sheet.padding) * mm
    inner_h = (sheet.height - 2 * sheet.padding) * mm
    name = f"{recipient.name.strip()}　收" if recipient.name.strip() else ""
    size = sheet.size
    while True:
        leading = size * 1.25
        address = wrap_text(" ".join(recipient.address.split()), inner_w, size, fonts) if recipient.address else []
        lines = len(address) + (1 if recipient.postcode else 0)
        height = lines * leading + (size * 1.3 * 1.25 if name else 0)
        if height <= inner_h and text_width(name, size * 1.3, fonts) <= inner_w:
            return FittedLabel(recipient.postcode, address, name, size, leading)
        if size - 0.5 < sheet.min_size:
            break
        size -= 0.5
    leading = size * 1.25
    room = int((inner_h - (size * 1.3 * 1.25 if name else 0)) // leading) - (1 if recipient.postcode else 0)
    room = max(room, 0)
    if len(address) > room:
        address = address[:room]
        if address:
            address[-1] = _clip(address[-1] + "…", inner_w, size, fonts)
    return FittedLabel(recipient.postcode, address, _clip(name, inner_w, size * 1.3, fonts), size, leading)


def _draw(canvas: Canvas, fitted: FittedLabel, rect: tuple[float, float, float, float], sheet: SheetLayout,
          fonts: CJKFonts) -> None:
    x, y, w, h = rect
    pad = sheet.padding * mm
    left, top = x + pad, y + h - pad
    baseline = top - fitted.size
    if fitted.postcode:
        canvas.setFont(fonts.regular, fitted.size)
        canvas.drawString(left, baseline, fitted.postcode)
        baseline -= fitted.leading
    canvas.setFont(fonts.regular, fitted.size)
    for line in fitted.address:
        canvas.drawString(left, baseline, line)
        baseline -= fitted.leading
    if fitted.name:
        big = fitted.size * 1.3
        canvas.setFont(fonts.bold, big)
        name_w = text_width(fitted.name, big, fonts, bold=True)
        canvas.drawString(x + (w - name_w) / 2, y + pad + big * 0.25, fitted.name)


def labels_pdf(recipients: Iterable[Recipient | tuple[str, str, str]], *, sheet: str = DEFAULT_LAYOUT,
               title: str = "地址标签", outlines: bool = False) -> bytes:
    """Labels for ``recipients`` (name, address, postcode), sheet after sheet; ``outlines`` draws the cell
    borders (for a print preview on plain paper)."""
    chosen = layout(sheet)
    fonts = register_cjk_fonts()
    people = [Recipient(*r) for r in recipients]
    if not people:
        raise LabelError("没有可打印标签的收件人")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.regular)
    canvas.setTitle(title)
    canvas.setCreator("人大老干部")
    for i, person in enumerate(people):
        if i and i % chosen.per_sheet == 0:
            canvas.showPage()
        rect = chosen.cell(i)
        if outlines:
            canvas.setStrokeGray(0.75)
            canvas.setLineWidth(0.3)
            canvas.rect(*rect)
        _draw(canvas, fit_label(person, chosen, fonts), rect, chosen, fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def petition_labels_pdf(recipients: Sequence[tuple[str, str, str]], *, sheet: str = DEFAULT_LAYOUT) -> bytes:
    """信访标签: labels for mailing petition letters, from (name, address, postcode) tuples."""
    return labels_pdf(recipients, sheet=sheet, title="信访标签")


def cadre_recipients(session: Session, *, category: str | None = None, alive_only: bool = True
                     ) -> list[Recipient]:
    """Recipients from the cadre record, by name; ``category`` keeps one person category (人员类别 code)."""
    query = select(CadPerson).where(CadPerson.address.is_not(None), CadPerson.address != "")
    if alive_only:
        query = query.where(CadPerson.alive.is_(True))
    if category:
        query = query.where(CadPerson.id.in_(select(CadPersonCategory.person_id)
                                             .where(CadPersonCategory.category_code == category)))
    return [Recipient(p.name, p.address or "", p.postcode) for p in session.scalars(query.order_by(CadPerson.name))]
