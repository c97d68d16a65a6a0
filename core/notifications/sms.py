"""SMS length rules: how many messages (parts) a text costs and how it is split.

Text made only of GSM 03.38 characters is sent in GSM-7: 160 characters in one message, 153 per part
when split (extension characters such as ``€ [ ] { }`` count twice). Anything else (Chinese) is sent in
UCS-2: 70 characters in one message, 67 per part when split. Characters outside the BMP take two UCS-2
units and are never cut in half.
"""

from __future__ import annotations

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM_EXTENDED else 1
    return 2 if ord(ch) > 0xFFFF else 1


def split_sms(text: str) -> list[str]:
    """The parts ``text`` is sent as (one part when it fits a single message; none for an empty text)."""
    if not text:
        return []
    gsm = is_gsm7(text)
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    if sum(_units(ch, gsm) for ch in text) <= single:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        size = _units(ch, gsm)
        if used + size > part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += size
    parts.append("".join(current))
    return parts


def sms_parts(text: str) -> int:
    """How many SMS ``text`` costs: ≤ 70 UCS-2 characters (160 GSM-7) is one, longer is split by 67 (153)."""
    return len(split_sms(text))
