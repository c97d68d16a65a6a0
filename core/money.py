"""Money is stored as integer fen (分) and handled as ``Decimal`` yuan in code. Never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class MoneyUnit(Enum):
    """Units a user may choose to see amounts in."""

    YUAN = ("元", 1)
    WAN = ("万元", 10_000)
    YI = ("亿元", 100_000_000)

    def __init__(self, label: str, yuan: int) -> None:
        self.label = label
        self.yuan = yuan


def yuan_to_fen(amount: Decimal | int | str) -> int:
    """Convert an amount in yuan to integer fen, rounding half up; rejects floats."""
    if isinstance(amount, float):
        raise TypeError("金额不能使用浮点数，请使用 Decimal 或字符串")
    value = Decimal(amount) * 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int) -> Decimal:
    """Convert integer fen to Decimal yuan (exact)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_fen(fen: int, unit: MoneyUnit = MoneyUnit.YUAN, digits: int = 2) -> str:
    """Format fen for display in the chosen unit, with thousands separators: 9,874.80 亿元."""
    value = Decimal(fen) / 100 / unit.yuan
    quant = Decimal(1).scaleb(-digits)
    return f"{value.quantize(quant, rounding=ROUND_HALF_UP):,} {unit.label}"
