"""Simple labelled illustrations for the demo archive, drawn with Pillow: a scene in flat shapes
(street, market, station, river...) with the item's title and a banner that says, in Korean and
English, that it is an illustration. Nothing here pretends to be a historical photograph."""

import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1200
PAGE_WIDTH, PAGE_HEIGHT = 1240, 1754  # A4 at 150 dpi
BANNER = "삽화 · ILLUSTRATION (데모 자료, 실제 사진이 아님 · demo, not a photograph)"
BANNER_LATIN = "ILLUSTRATION (demo, not a photograph)"
# Fonts with Hangul, where the machine has one (bin/setup installs fonts-noto-cjk for the tests).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
)
SEPIA = [(112, 86, 60), (150, 120, 86), (188, 160, 120), (214, 196, 160), (236, 224, 198)]


def _font(size: int) -> tuple[ImageFont.ImageFont, bool]:
    """A font of that size, and whether it has Hangul (else titles are written in English)."""
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _sky_and_ground(draw: ImageDraw.ImageDraw, horizon: int) -> None:
    for y in range(horizon):
        shade = 236 - y * 40 // horizon
        draw.line([(0, y), (WIDTH, y)], fill=(shade, shade - 12, shade - 34))
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=SEPIA[2])


def _houses(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int, count: int, tall: bool = False) -> None:
    x = 40
    for _ in range(count):
        width = rng.randint(140, 260)
        height = rng.randint(260, 520) if tall else rng.randint(140, 240)
        top = horizon - height
        draw.rectangle([x, top, x + width, horizon], fill=rng.choice(SEPIA[:3]), outline=SEPIA[0], width=3)
        if not tall:
            draw.polygon([(x - 20, top), (x + width // 2, top - 70), (x + width + 20, top)], fill=SEPIA[0])
        for window in range(x + 20, x + width - 40, 60):
            for row in range(top + 30, horizon - 60, 90):
                draw.rectangle([window, row, window + 30, row + 40], fill=SEPIA[4])
        x += width + rng.randint(20, 60)
        if x > WIDTH - 100:
            break


def _scene(draw: ImageDraw.ImageDraw, scene: str, rng: random.Random) -> None:
    horizon = 760
    _sky_and_ground(draw, horizon)
    if scene in ("street", "market", "village", "building"):
        _houses(draw, rng, horizon, 8, tall=scene == "building")
        if scene == "market":
            for x in range(80, WIDTH - 200, 220):
                draw.polygon([(x, 640), (x + 180, 640), (x + 200, 700), (x - 20, 700)], fill=SEPIA[4], outline=SEPIA[0])
        for _ in range(12):
            x = rng.randint(60, WIDTH - 60)
            draw.ellipse([x, 790, x + 28, 818], fill=SEPIA[0])
            draw.rectangle([x + 6, 818, x + 22, 880], fill=SEPIA[0])
    elif scene == "camp":
        draw.rectangle([0, horizon - 160, WIDTH, horizon], outline=SEPIA[0], width=4)
        for x in range(0, WIDTH, 40):
            draw.line([(x, horizon - 160), (x + 40, horizon)], fill=SEPIA[1], width=2)
        draw.rectangle(
            [WIDTH // 2 - 120, horizon - 320, WIDTH // 2 + 120, horizon], fill=SEPIA[1], outline=SEPIA[0], width=5
        )
    elif scene == "station":
        _houses(draw, rng, horizon - 120, 3, tall=True)
        draw.rectangle([0, horizon + 60, WIDTH, horizon + 80], fill=SEPIA[0])
        draw.rounded_rectangle(
            [200, horizon - 90, WIDTH - 200, horizon + 50], radius=30, fill=SEPIA[1], outline=SEPIA[0], width=5
        )
    elif scene == "river":
        draw.polygon([(0, 820), (WIDTH, 760), (WIDTH, 980), (0, 1040)], fill=(150, 160, 150))
        for x in range(100, WIDTH, 180):
            draw.ellipse([x, 880, x + 90, 920], fill=SEPIA[1])
    elif scene == "mountain":
        draw.polygon([(0, horizon), (420, 220), (820, horizon)], fill=SEPIA[1])
        draw.polygon([(520, horizon), (1060, 120), (WIDTH, horizon)], fill=SEPIA[0])
    elif scene in ("object", "heritage"):
        draw.rectangle([0, 0, WIDTH, HEIGHT], fill=SEPIA[4])
        draw.rectangle([560, 880, 1040, 940], fill=SEPIA[1])
        shape = rng.choice(["bell", "pagoda", "statue", "frame"])
        if shape == "bell":
            draw.chord([620, 300, 980, 1000], 180, 360, fill=SEPIA[0])
            draw.rectangle([620, 640, 980, 880], fill=SEPIA[0])
        elif shape == "pagoda":
            for level in range(5):
                width = 360 - level * 50
                top = 820 - level * 120
                draw.rectangle(
                    [800 - width // 2, top, 800 + width // 2, top + 60], fill=SEPIA[1], outline=SEPIA[0], width=4
                )
                draw.polygon(
                    [(800 - width // 2 - 40, top), (800, top - 50), (800 + width // 2 + 40, top)], fill=SEPIA[0]
                )
        elif shape == "statue":
            draw.ellipse([720, 260, 880, 420], fill=SEPIA[0])
            draw.polygon([(800, 400), (620, 880), (980, 880)], fill=SEPIA[0])
        else:
            draw.rectangle([560, 200, 1040, 860], outline=SEPIA[0], width=16)
            draw.rectangle([620, 260, 980, 800], fill=SEPIA[2])


def _banner(draw: ImageDraw.ImageDraw, width: int) -> None:
    font, has_hangul = _font(34)
    draw.rectangle([0, 0, width, 70], fill=(40, 40, 40))
    draw.text((24, 14), BANNER if has_hangul else BANNER_LATIN, font=font, fill=(255, 255, 255))


def illustration(*, title_ko: str, title_en: str, date_text: str, scene: str, seed: str) -> bytes:
    """A 1600x1200 JPEG: the scene, the banner, the title and date at the bottom."""
    rng = random.Random(seed)  # noqa: S311 (shapes of a drawing, no secret)
    image = Image.new("RGB", (WIDTH, HEIGHT), SEPIA[3])
    draw = ImageDraw.Draw(image)
    _scene(draw, scene or "object", rng)
    _banner(draw, WIDTH)
    font, has_hangul = _font(48)
    small, _ = _font(34)
    draw.rectangle([0, HEIGHT - 170, WIDTH, HEIGHT], fill=(250, 246, 236))
    draw.text((40, HEIGHT - 150), title_ko if has_hangul else title_en, font=font, fill=(30, 30, 30))
    caption = f"{title_en} · {date_text}" if has_hangul else title_en
    draw.text((40, HEIGHT - 80), caption, font=small, fill=(70, 70, 70))
    return _jpeg(image)


def document_page(*, title_ko: str, title_en: str, page: int, pages: int, seed: str) -> bytes:
    """A page of a booklet: title on the first, lines of 'text' (grey bars) and a page number."""
    rng = random.Random(f"{seed}-{page}")  # noqa: S311 (shapes of a drawing, no secret)
    image = Image.new("RGB", (PAGE_WIDTH, PAGE_HEIGHT), (244, 236, 214))
    draw = ImageDraw.Draw(image)
    _banner(draw, PAGE_WIDTH)
    font, has_hangul = _font(64)
    small, _ = _font(32)
    top = 160
    if page == 1:
        draw.text((120, 300), title_ko if has_hangul else title_en, font=font, fill=(40, 30, 20))
        draw.text((120, 400), title_en, font=small, fill=(80, 60, 40))
        top = 560
    for y in range(top, PAGE_HEIGHT - 220, 56):
        draw.rectangle([120, y, 120 + rng.randint(600, 1000), y + 18], fill=(150, 135, 110))
    draw.text((PAGE_WIDTH // 2 - 60, PAGE_HEIGHT - 140), f"- {page} / {pages} -", font=small, fill=(80, 60, 40))
    return _jpeg(image)
