"""Draw the program icon (resources/renda.ico): 人大 in white on the suite's red, at every Windows size.

Usage: python build_spec/icon.py   (needs Pillow; the .ico is kept in the repository)
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
RED = (163, 22, 33, 255)
SIZES = [16, 24, 32, 48, 64, 128, 256]


def draw(size: int = 256) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=RED)
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"), int(size * 0.42))
    box = pen.textbbox((0, 0), "人大", font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size - (box[3] - box[1])) / 2 - box[1]
    pen.text((x, y), "人大", font=font, fill="white")
    return image


def main() -> None:
    out = ROOT / "resources" / "renda.ico"
    draw().save(out, sizes=[(s, s) for s in SIZES])
    print(out)


if __name__ == "__main__":
    main()
