"""Photos editors upload: what a phone camera records besides the picture (EXIF: GPS position,
time, camera serial) must not reach the public. Wagtail keeps an original's EXIF, and Willow
copies it into the renditions it serves, so the original is cleaned when it is stored."""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats that carry EXIF, and how each is written back (MPO: the JPEG variant some phones write).
SAVE_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}


def image_without_metadata(file) -> ContentFile | None:
    """The picture again, turned the way the camera meant and without its EXIF, in its own format;
    None when there is nothing to remove (the file is kept byte for byte) or it is not a picture
    (Wagtail's own checks refuse it)."""
    try:
        file.seek(0)
        image = Image.open(file)
        if image.format not in SAVE_AS or not image.getexif():
            return None
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)
    image_format = SAVE_AS[image.format]
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    out = BytesIO()
    options = {"quality": 92} if image_format in ("JPEG", "WEBP") else {}
    if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    # No exif= argument: nothing of it is written.
    image.save(out, image_format, icc_profile=icc_profile, **options)
    return ContentFile(out.getvalue())
