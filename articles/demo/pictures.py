"""Pictures for the demo articles, drawn with Pillow so that nothing is downloaded."""

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((10, 61, 98), (74, 144, 196)),
    ((32, 80, 60), (120, 180, 140)),
    ((90, 40, 60), (210, 130, 120)),
    ((60, 60, 80), (170, 170, 200)),
    ((110, 70, 20), (230, 180, 90)),
]


def demo_picture(seed_text, width=1200, height=800):
    """A calm, abstract townscape: sky gradient, buildings, windows. JPEG bytes."""
    rng = random.Random(hashlib.sha256(seed_text.encode()).digest())  # noqa: S311 - not a secret
    top, bottom = rng.choice(PALETTES)
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    x = 0
    while x < width:
        w = rng.randint(90, 220)
        h = rng.randint(height // 4, int(height * 0.75))
        shade = rng.randint(20, 70)
        draw.rectangle([x, height - h, x + w, height], fill=(shade, shade + 8, shade + 20))
        for wy in range(height - h + 20, height - 30, 36):
            for wx in range(x + 14, x + w - 20, 30):
                if rng.random() < 0.55:
                    draw.rectangle([wx, wy, wx + 14, wy + 20], fill=(250, 225, 150))
        x += w + rng.randint(4, 30)
    picture = picture.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
