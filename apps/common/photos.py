"""Checking and cleaning the photos residents send (a complaint's, an archive contribution's).

Every photo is decoded and encoded again as a JPEG: what is stored carries no EXIF (no GPS, no
camera serial), is turned the way the camera meant, and is no larger than a phone screen needs.
Anything that is not a picture, or would take too much memory to decode, is refused before any
byte is written.
"""

import warnings
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Larger than any phone camera (a 200 MP sensor is 16,320 x 12,240); a decompression bomb is far larger.
MAX_PHOTO_PIXELS = 200_000_000
STORED_LONGEST_SIDE = 2560
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}  # MPO: the JPEG variant some phones write


class PhotoError(Exception):
    """A photo that cannot be taken; the message is for the resident."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def photo_clean(
    upload: UploadedFile,
    *,
    max_bytes: int = MAX_PHOTO_BYTES,
    longest_side: int = STORED_LONGEST_SIDE,
    quality: int = 85,
    tiff: bool = False,
) -> ContentFile:
    """The photo as a metadata-free JPEG, or PhotoError saying what is wrong with it. The archive
    takes larger files and keeps more pixels, and takes TIFF scans too (`tiff`)."""
    name = upload.name or "photo"
    if upload.size is not None and upload.size > max_bytes:
        raise PhotoError(
            _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(max_bytes)},
            code="photo_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS | ({"TIFF"} if tiff else set()):
                message = (
                    _("%(name)s is not a JPEG, PNG, WebP, GIF or TIFF picture.")
                    if tiff
                    else _("%(name)s is not a JPEG, PNG, WebP or GIF picture.")
                )
                raise PhotoError(message % {"name": name}, code="photo_type")
            # The header alone gives the size: refuse a bomb before decoding a single pixel.
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise PhotoError(_("%(name)s has too many pixels.") % {"name": name}, code="photo_too_large")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_("%(name)s has too many pixels.") % {"name": name}, code="photo_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError(_("%(name)s is not a picture or is damaged.") % {"name": name}, code="photo_type") from None

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.thumbnail((longest_side, longest_side))
    out = BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)  # no exif= argument: nothing carried over
    return ContentFile(out.getvalue(), name="photo.jpg")
