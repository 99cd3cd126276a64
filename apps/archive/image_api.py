"""IIIF Image API 3.0, level 1 and a little more: which pixels a request names (region, size,
rotation, quality, format), checked before any image is opened, and those pixels made with Pillow
and kept in a size-limited disk cache. Every request this server will not answer is an
ImageRequestError (a 400 with its reason), never an exception from deep inside Pillow."""

import hashlib
import io
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

# The largest image made in one answer: a phone or a viewer asks for tiles well below this, and a
# request for more is refused instead of tying up a worker.
MAX_WIDTH = 4000
MAX_HEIGHT = 4000
MAX_AREA = 12_000_000
TILE_SIZE = 512
FORMATS = {"jpg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png")}
QUALITIES = ("default",)
JPEG_QUALITY = 85

_INT = r"(0|[1-9]\d{0,8})"
_NUMBER = r"(\d{1,9}(?:\.\d{1,6})?)"
_REGION_PIXELS = re.compile(rf"^{_INT},{_INT},{_INT},{_INT}$")
_REGION_PERCENT = re.compile(rf"^pct:{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$")
_SIZE_WIDTH = re.compile(rf"^{_INT},$")
_SIZE_HEIGHT = re.compile(rf"^,{_INT}$")
_SIZE_BOTH = re.compile(rf"^(!)?{_INT},{_INT}$")
_SIZE_PERCENT = re.compile(rf"^pct:{_NUMBER}$")


class ImageRequestError(ValueError):
    """A request this service does not answer; the message says why (sent as the 400's body)."""


@dataclass(frozen=True)
class ImageRequest:
    """What to make: the box cut from the source, the size it is scaled to, the file format."""

    box: tuple[int, int, int, int]  # left, top, right, bottom
    width: int
    height: int
    format: str

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]

    def cache_key(self, source: str) -> str:
        """Equal for equal pixels, whichever syntax asked for them (full/max and 0,0,w,h/w,)."""
        return hashlib.sha256(f"{source}|{self.box}|{self.width}x{self.height}|{self.format}".encode()).hexdigest()


def max_size(width: int, height: int) -> tuple[int, int]:
    """What `max` makes of a region this big: as large as the limits allow, its own size at most."""
    scale = min(1.0, MAX_WIDTH / width, MAX_HEIGHT / height, math.sqrt(MAX_AREA / (width * height)))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def image_information(service_url: str, width: int, height: int) -> dict:
    """info.json: what a viewer needs to ask for tiles (Image API 3.0, 5)."""
    scale_factors = [1]
    while max(width, height) / (scale_factors[-1] * 2) >= TILE_SIZE / 2:
        scale_factors.append(scale_factors[-1] * 2)
    return {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": service_url,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level1",
        "width": width,
        "height": height,
        "maxWidth": MAX_WIDTH,
        "maxHeight": MAX_HEIGHT,
        "maxArea": MAX_AREA,
        "tiles": [{"width": TILE_SIZE, "scaleFactors": scale_factors}],
        "sizes": [{"width": w, "height": h} for w, h in _preset_sizes(width, height)],
        "extraFormats": ["png"],
        "extraFeatures": ["regionByPct", "sizeByPct", "sizeByConfinedWh"],
    }


def _preset_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """Whole-image sizes a viewer may ask for without tiles (halving down to a thumbnail)."""
    sizes = []
    w, h = max_size(width, height)
    while w >= 64 and h >= 64:
        sizes.append((w, h))
        w, h = w // 2, h // 2
    return sorted(sizes) or [max_size(width, height)]


def _region(region: str, width: int, height: int) -> tuple[int, int, int, int]:
    if region == "full":
        return 0, 0, width, height
    if region == "square":
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        return left, top, left + side, top + side
    if match := _REGION_PIXELS.match(region):
        x, y, w, h = (int(group) for group in match.groups())
    elif match := _REGION_PERCENT.match(region):
        px, py, pw, ph = (float(group) for group in match.groups())
        x, y = math.floor(px * width / 100), math.floor(py * height / 100)
        w, h = round(pw * width / 100), round(ph * height / 100)
    else:
        raise ImageRequestError("region must be full, square, x,y,w,h or pct:x,y,w,h")
    if w <= 0 or h <= 0:
        raise ImageRequestError("region has no width or no height")
    if x >= width or y >= height:
        raise ImageRequestError("region lies outside the image")
    # A region reaching past the edge is cut at it (Image API 3.0, 4.1).
    return x, y, min(x + w, width), min(y + h, height)


def _size(size: str, region_width: int, region_height: int) -> tuple[int, int]:
    if size.startswith("^"):
        raise ImageRequestError("this service does not scale images up (^)")
    if size == "max":
        return max_size(region_width, region_height)
    if match := _SIZE_WIDTH.match(size):
        width = int(match[1])
        height = round(region_height * width / region_width)
    elif match := _SIZE_HEIGHT.match(size):
        height = int(match[1])
        width = round(region_width * height / region_height)
    elif match := _SIZE_PERCENT.match(size):
        percent = float(match[1])
        if percent > 100:
            raise ImageRequestError("pct: over 100 scales up, which this service does not do")
        width, height = round(region_width * percent / 100), round(region_height * percent / 100)
    elif match := _SIZE_BOTH.match(size):
        confined, width, height = match[1], int(match[2]), int(match[3])
        if confined:
            scale = min(width / region_width, height / region_height, 1.0)
            width, height = round(region_width * scale), round(region_height * scale)
    else:
        raise ImageRequestError("size must be max, w, ,h, pct:n, w,h or !w,h")
    if width <= 0 or height <= 0:
        raise ImageRequestError("size comes to zero pixels")
    if width > region_width or height > region_height:
        raise ImageRequestError("size is larger than the region: this service does not scale images up")
    if width > MAX_WIDTH or height > MAX_HEIGHT or width * height > MAX_AREA:
        raise ImageRequestError(
            f"size is over the limits (maxWidth {MAX_WIDTH}, maxHeight {MAX_HEIGHT}, maxArea {MAX_AREA})"
        )
    return width, height


def image_request_parse(
    *, region: str, size: str, rotation: str, quality: str, image_format: str, width: int, height: int
) -> ImageRequest:
    """The request for an image of width x height, checked whole; ImageRequestError otherwise."""
    box = _region(region, width, height)
    out_width, out_height = _size(size, box[2] - box[0], box[3] - box[1])
    if rotation != "0":
        raise ImageRequestError("rotation must be 0: this service does not rotate or mirror")
    if quality not in QUALITIES:
        raise ImageRequestError("quality must be default")
    if image_format not in FORMATS:
        raise ImageRequestError("format must be jpg or png")
    return ImageRequest(box=box, width=out_width, height=out_height, format=image_format)


def image_render(source: Path, request: ImageRequest) -> bytes:
    """The requested pixels, encoded. JPEG sources are decoded at a reduced scale when the answer is
    much smaller than the region (draft mode), which makes small tiles of large scans cheap."""
    with Image.open(source) as image:
        left, top, right, bottom = request.box
        reduce_by = min((right - left) // request.width, (bottom - top) // request.height)
        if image.format == "JPEG" and reduce_by >= 2:
            full_width = image.width
            image.draft("RGB", (image.width // reduce_by, image.height // reduce_by))
            ratio = image.width / full_width
            left, top = math.floor(left * ratio), math.floor(top * ratio)
            right, bottom = min(math.ceil(right * ratio), image.width), min(math.ceil(bottom * ratio), image.height)
        picture = image.crop((left, top, right, bottom))
        if picture.size != (request.width, request.height):
            picture = picture.resize((request.width, request.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        pillow_format = FORMATS[request.format][0]
        if pillow_format == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        out = io.BytesIO()
        options = {"quality": JPEG_QUALITY, "optimize": True} if pillow_format == "JPEG" else {}
        picture.save(out, pillow_format, **options)
        return out.getvalue()


class TileCache:
    """Made images on disk, one file per cache key (two-level folders), the least recently used
    removed once the folder outgrows `max_bytes`. Writes are atomic (a temporary file renamed), so
    two workers making the same tile both succeed and a reader never sees half a file. The folder is
    measured on the first write of a process and again after every tenth of the limit written."""

    def __init__(self, folder: Path, max_bytes: int):
        self.folder = folder
        self.max_bytes = max_bytes
        self._written_since_trim: int | None = None

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        # Touched, so that trimming keeps the tiles people look at.
        os.utime(path)
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".") as temporary:
            temporary.write(data)
        os.replace(temporary.name, path)
        if self._written_since_trim is None or self._written_since_trim > self.max_bytes // 10:
            self.trim()
        self._written_since_trim = (self._written_since_trim or 0) + len(data)

    def trim(self) -> int:
        """Removes the least recently used files until the folder is at 90 % of its limit; returns
        the bytes it holds then."""
        files = []
        for path in self.folder.glob("*/*"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        if total > self.max_bytes:
            for _, size, path in sorted(files):
                if total <= self.max_bytes * 0.9:
                    break
                path.unlink(missing_ok=True)
                total -= size
        self._written_since_trim = 0
        return total
