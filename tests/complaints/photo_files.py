"""Pictures for tests, made on the spot: a phone photo with GPS in its EXIF, junk, a bomb."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo(
    name: str = "IMG_0001.jpg", size: tuple[int, int] = (640, 480), orientation: int = 1
) -> SimpleUploadedFile:
    """A JPEG as a phone writes it: camera make, GPS position and an orientation flag."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 44.0, 17.0), 3: "E", 4: (127.0, 2.0, 1.0)})
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def not_a_picture(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7 this is not a picture" * 10, content_type="image/jpeg")


def bomb_png(width: int = 60_000, height: int = 60_000) -> SimpleUploadedFile:
    """A tiny PNG whose header claims 3.6 gigapixels: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", body, content_type="image/png")


def oversized_photo() -> SimpleUploadedFile:
    """Over 10 MB (a valid JPEG start followed by padding)."""
    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    return SimpleUploadedFile("huge.jpg", out.getvalue() + b"\x00" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
