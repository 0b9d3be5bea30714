"""Text drawn in any script: a chain of installed fonts, the first that has a glyph drawing each character.

The setup installs Noto (Latin, Greek, Cyrillic, Arabic, Devanagari, … and CJK) and DejaVu
(scripts/system-packages.txt). A character no installed font covers falls back to Pillow's built-in font; with
no font installed at all, everything does (readable for Latin, boxes elsewhere). Each run of one font is laid
out by Pillow, which shapes Arabic and Devanagari where it has libraqm (this machine's Pillow does).
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
FONT_CHAIN = (
    "NotoSans-Regular.ttf",
    "DejaVuSans.ttf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansArabic-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansTamil-Regular.ttf",
    "NotoSansArmenian-Regular.ttf",
    "NotoSansGeorgian-Regular.ttf",
    "NotoSansEthiopic-Regular.ttf",
)
UNASSIGNED = "\u0378"  # no font has a glyph for it: what a missing glyph (.notdef) looks like in that font


@functools.lru_cache(maxsize=None)
def installed_fonts() -> tuple[Path, ...]:
    found = []
    for name in FONT_CHAIN:
        path = next((folder / name for folder in FONT_DIRS if (folder / name).is_file()), None)
        if path:
            found.append(path)
    return tuple(found)


@functools.lru_cache(maxsize=64)
def font_at(path: Path | None, size: int) -> ImageFont.ImageFont:
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size=size)


def glyph_of(font: ImageFont.ImageFont, char: str) -> bytes:
    mask = font.getmask(char)
    return bytes(mask) + bytes(str(mask.size), "ascii")


@functools.lru_cache(maxsize=8192)
def font_for(char: str, size: int) -> ImageFont.ImageFont:
    """The first font of the chain that draws `char` as something other than its missing-glyph box."""
    if char.isspace():
        return font_at(installed_fonts()[0] if installed_fonts() else None, size)
    for path in installed_fonts():
        font = font_at(path, size)
        if glyph_of(font, char) != glyph_of(font, UNASSIGNED):
            return font
    return font_at(None, size)


def runs(text: str, size: int) -> list[tuple[str, ImageFont.ImageFont]]:
    """`text` cut where the font drawing it changes."""
    cut: list[tuple[str, ImageFont.ImageFont]] = []
    for char in text:
        font = font_for(char, size)
        if cut and cut[-1][1] is font:
            cut[-1] = (cut[-1][0] + char, font)
        else:
            cut.append((char, font))
    return cut


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill) -> None:
    x, y = xy
    for piece, font in runs(text, size):
        draw.text((x, y), piece, fill=fill, font=font)
        x += int(draw.textlength(piece, font=font))


def draw_lines(draw: ImageDraw.ImageDraw, xy: tuple[int, int], lines: list[str], size: int, fill) -> None:
    x, y = xy
    for line in lines:
        draw_line(draw, (x, y), line, size, fill)
        y += int(size * 1.25)
