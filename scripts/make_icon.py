"""Draws icon.png: the 512x512 marketplace icon of the HeyGen integration.

A rounded square with a diagonal violet-to-teal gradient, a stylised avatar (head and shoulders) inside
a soft "screen" frame, and a play button: an avatar that talks in a video. Everything is drawn at four
times the size and scaled down, which gives smooth edges without any font or image file.

Usage: python scripts/make_icon.py [output path]   (default: icon.png next to config.json)
"""

import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = 512
SCALE = 4
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "icon.png"

TOP_LEFT = (124, 58, 237)  # violet
BOTTOM_RIGHT = (14, 165, 233)  # sky blue
ACCENT = (45, 212, 191)  # teal, for the play button
WHITE = (255, 255, 255)


def gradient(size: int, start: tuple, end: tuple) -> Image.Image:
    """A diagonal gradient from the top-left colour to the bottom-right one."""
    ramp = Image.linear_gradient("L").resize((size, size))
    diagonal = Image.blend(ramp, ramp.rotate(90), 0.5)  # 0 at the top-left corner, 255 at the bottom-right
    first = Image.new("RGB", (size, size), start)
    second = Image.new("RGB", (size, size), end)
    return Image.composite(second, first, diagonal)


def rounded_mask(size: int, radius: int, inset: int = 0) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((inset, inset, size - 1 - inset, size - 1 - inset), radius, fill=255)
    return mask


def draw_icon() -> Image.Image:
    big = SIZE * SCALE

    def s(value: float) -> int:
        return round(value * SCALE)

    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    background = gradient(big, TOP_LEFT, BOTTOM_RIGHT).convert("RGBA")
    canvas.paste(background, (0, 0), rounded_mask(big, s(112), s(8)))

    # A soft light in the upper left gives the tile some depth.
    glow = Image.new("L", (big, big), 0)
    ImageDraw.Draw(glow).ellipse((s(-60), s(-80), s(330), s(300)), fill=70)
    glow = glow.filter(ImageFilter.GaussianBlur(s(60)))
    glow = ImageChops.multiply(glow, rounded_mask(big, s(112), s(8)))
    canvas = Image.composite(Image.new("RGBA", (big, big), WHITE + (255,)), canvas, glow)

    # The "screen": a translucent rounded frame the avatar stands in.
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    screen = (s(92), s(96), s(420), s(376))
    draw.rounded_rectangle(screen, s(40), fill=WHITE + (46,), outline=WHITE + (150,), width=s(6))
    canvas = Image.alpha_composite(canvas, layer)

    # The avatar: head and shoulders, clipped to the screen so the shoulders end at its bottom edge.
    avatar = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(avatar)
    draw.ellipse((s(196), s(126), s(316), s(246)), fill=255)  # head
    draw.ellipse((s(136), s(262), s(376), s(470)), fill=255)  # shoulders
    draw.rectangle((s(236), s(236), s(276), s(272)), fill=255)  # neck
    avatar = ImageChops.multiply(avatar, rounded_mask_box(big, screen, s(40)))
    canvas.paste(Image.new("RGBA", (big, big), WHITE + (255,)), (0, 0), avatar)

    # Mouth: a small smile cut out of the head, in the tile's violet.
    draw = ImageDraw.Draw(canvas)
    draw.arc((s(232), s(178), s(280), s(220)), 20, 160, fill=TOP_LEFT + (255,), width=s(7))

    # The play button, overlapping the screen's lower-right corner, with a soft shadow.
    centre, radius = (s(392), s(376)), s(74)
    shadow = Image.new("L", (big, big), 0)
    ImageDraw.Draw(shadow).ellipse(
        (centre[0] - radius, centre[1] - radius + s(10), centre[0] + radius, centre[1] + radius + s(10)), fill=110
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(s(14)))
    canvas.paste(Image.new("RGBA", (big, big), (30, 20, 80, 255)), (0, 0), shadow)
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
        fill=WHITE + (255,),
    )
    inner = radius - s(12)
    draw.ellipse(
        (centre[0] - inner, centre[1] - inner, centre[0] + inner, centre[1] + inner),
        fill=ACCENT + (255,),
    )
    tri = s(30)
    draw.polygon(
        [
            (centre[0] - tri * 0.7, centre[1] - tri),
            (centre[0] - tri * 0.7, centre[1] + tri),
            (centre[0] + tri * 1.05, centre[1]),
        ],
        fill=WHITE + (255,),
    )

    # Keep everything inside the rounded tile.
    alpha = ImageChops.multiply(canvas.getchannel("A"), rounded_mask(big, s(112), s(8)))
    canvas.putalpha(alpha)
    return canvas.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def rounded_mask_box(size: int, box: tuple, radius: int) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius, fill=255)
    return mask


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output = Path(argv[0]) if argv else OUTPUT
    draw_icon().save(output, "PNG", optimize=True)
    print(f"wrote {output} ({SIZE}x{SIZE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
