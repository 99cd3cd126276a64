"""Makes the demo video item's file (UA-M-005.mp4, "부대찌개 축제 영상"): a drawn street festival,
lanterns swaying over a stall and people passing, with a banner on every frame saying it is an
illustration. Frames are drawn with Pillow and encoded by ffmpeg as H.264 in MP4 (the format every
phone's browser plays), with the index at the front so playback starts before the whole file is in.

    apt-get install ffmpeg   # or: FFMPEG=$(python -c "import imageio_ffmpeg as f; print(f.get_ffmpeg_exe())")
    python3 data/demo/archive/make_festival_video.py

Eight seconds of 480x270 at 12 frames a second, no sound: about 200 KB. Its captions are the item's
transcript (WebVTT) in uijeongbu-archive.json."""

import math
import os
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).parent
WIDTH, HEIGHT, FPS, SECONDS = 480, 270, 12, 8
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BANNER = "삽화 영상 · ILLUSTRATION (데모, 실제 촬영 아님)"
LANTERNS = [(60, 40), (130, 52), (200, 38), (270, 50), (340, 42), (410, 54)]


def frame(number: int, font: ImageFont.ImageFont) -> bytes:
    """One frame as raw RGB: the street, the stall, lanterns swinging and walkers crossing."""
    moment = number / FPS
    image = Image.new("RGB", (WIDTH, HEIGHT), (236, 224, 198))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 170, WIDTH, HEIGHT], fill=(188, 160, 120))  # the street
    draw.rectangle([150, 95, 330, 170], fill=(150, 120, 86), outline=(112, 86, 60), width=2)  # the stall
    draw.polygon([(140, 95), (240, 65), (340, 95)], fill=(112, 86, 60))
    draw.text((175, 118), "부대찌개", fill=(236, 224, 198), font=font)
    draw.line([(0, 30), (WIDTH, 30)], fill=(112, 86, 60), width=2)  # the lanterns' string
    for index, (x, y) in enumerate(LANTERNS):
        swing = 6 * math.sin(2 * math.pi * (moment / 2 + index / len(LANTERNS)))
        draw.line([(x, 30), (x + swing, y)], fill=(112, 86, 60), width=1)
        draw.ellipse([x + swing - 9, y, x + swing + 9, y + 20], fill=(196, 72, 52))
    for index in range(5):  # walkers, each at its own pace, coming round again
        x = (index * 110 + moment * (30 + 8 * index)) % (WIDTH + 40) - 20
        y = 190 + (index % 2) * 28
        draw.ellipse([x - 6, y - 30, x + 6, y - 18], fill=(112, 86, 60))
        draw.rectangle([x - 7, y - 18, x + 7, y + 8], fill=(150, 120, 86) if index % 2 else (112, 86, 60))
    draw.rectangle([0, HEIGHT - 26, WIDTH, HEIGHT], fill=(40, 30, 20))
    draw.text((8, HEIGHT - 23), BANNER, fill=(255, 255, 255), font=font)
    return image.tobytes()


def main() -> None:
    ffmpeg = os.environ.get("FFMPEG", "ffmpeg")
    out = HERE / "UA-M-005.mp4"
    font = ImageFont.truetype(FONT, 15)
    command = [
        *(ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24"),
        *("-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-"),
        *("-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-crf", "30"),
        *("-movflags", "+faststart", str(out)),
    ]
    frames = b"".join(frame(number, font) for number in range(FPS * SECONDS))
    subprocess.run(command, input=frames, check=True)  # noqa: S603 - our own arguments
    print(f"{out.name}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
