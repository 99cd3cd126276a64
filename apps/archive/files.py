"""What an archivist's files are, read before anything is stored: a scan or photograph (checked and
re-encoded as complaint photos are, at archive sizes), a PDF document (its pages to be rendered), a
film (MP4) and a recording (WAV or M4A). Each check names the file and what is wrong with it in
the archivist's language; nothing is stored when one fails.

MP4 and M4A are read here, box by box, for their length and picture size (ISO/IEC 14496-12): a
few dozen lines instead of a media toolkit on every server."""

import struct
import wave
from dataclasses import dataclass
from typing import BinaryIO

import pypdfium2 as pdfium
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.common.photos import PhotoError, photo_clean

SCAN_MAX_BYTES = 100 * 1024 * 1024
SCAN_LONGEST_SIDE = 8000  # deep zoom needs the scan's own detail, not a phone photo's 2560 px
PDF_MAX_BYTES = 100 * 1024 * 1024
PDF_MAX_PAGES = 500
VIDEO_MAX_BYTES = 500 * 1024 * 1024
RECORDING_MAX_BYTES = 200 * 1024 * 1024
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4A ", b"dash"}


class ArchiveFileError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MediaInfo:
    seconds: float
    width: int | None = None
    height: int | None = None


def _too_large(upload: UploadedFile, limit: int) -> None:
    if upload.size is not None and upload.size > limit:
        raise ArchiveFileError(
            _("%(name)s is %(size)s; at most %(limit)s is taken.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


def scan_clean(upload: UploadedFile) -> bytes:
    """A scan or photograph as a JPEG with no camera data left (EXIF, GPS), at most 8000 px a side."""
    _too_large(upload, SCAN_MAX_BYTES)
    try:
        return photo_clean(
            upload, max_bytes=SCAN_MAX_BYTES, longest_side=SCAN_LONGEST_SIDE, quality=90, tiff=True
        ).read()
    except PhotoError as error:
        raise ArchiveFileError(error.message) from None


def pdf_page_count(upload: BinaryIO, name: str) -> int:
    """The number of pages of a PDF that opens without a password, or ArchiveFileError."""
    upload.seek(0)
    if b"%PDF-" not in upload.read(1024):
        raise ArchiveFileError(_("%(name)s is not a PDF document.") % {"name": name})
    upload.seek(0)
    try:
        document = pdfium.PdfDocument(upload.read())
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ArchiveFileError(
                _("%(name)s is protected by a password; give the archive an unprotected copy.") % {"name": name}
            ) from None
        raise ArchiveFileError(_("%(name)s is damaged: its pages cannot be read.") % {"name": name}) from None
    with document:
        pages = len(document)
    if not pages:
        raise ArchiveFileError(_("%(name)s has no pages.") % {"name": name})
    if pages > PDF_MAX_PAGES:
        raise ArchiveFileError(
            _("%(name)s has %(pages)s pages; split it into documents of at most %(limit)s.")
            % {"name": name, "pages": pages, "limit": PDF_MAX_PAGES}
        )
    return pages


def pdf_check(upload: UploadedFile) -> int:
    _too_large(upload, PDF_MAX_BYTES)
    return pdf_page_count(upload, upload.name)


MAX_BOXES = 10_000  # per level: a real file has a handful; a crafted one could have millions


def _boxes(file: BinaryIO, start: int, end: int):
    """(type, start of content, end) of each box between two offsets of an ISO media file."""
    position = start
    for _box_number in range(MAX_BOXES):
        if position + 8 > end:
            return
        file.seek(position)
        header = file.read(16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        content = position + 8
        if size == 1 and len(header) == 16:  # a 64-bit size follows the type
            size = struct.unpack(">Q", header[8:16])[0]
            content = position + 16
        elif size == 0:  # to the end of the file
            size = end - position
        if size < 8 or position + size > end:
            return
        yield kind, content, position + size
        position += size


def _box(file: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((content, stop) for found, content, stop in _boxes(file, start, end) if found == kind), None)


def mp4_info(file: BinaryIO, size: int) -> MediaInfo | None:
    """The length (from the movie header) and the picture size of the first video track (from its
    track header) of an MP4 or M4A file; None when it is not one, or is cut short or garbled."""
    try:
        return _mp4_info(file, size)
    except (struct.error, IndexError, TypeError, ValueError):
        return None


def _mp4_info(file: BinaryIO, size: int) -> MediaInfo | None:
    file.seek(0)
    head = file.read(12)
    if len(head) < 12 or head[4:8] != b"ftyp" or head[8:12] not in MP4_BRANDS:
        return None
    movie = _box(file, 0, size, b"moov")
    header = movie and _box(file, *movie, b"mvhd")
    if not header:
        return None
    file.seek(header[0])
    version = file.read(1)[0]
    file.seek(header[0] + (20 if version == 1 else 12))
    timescale, duration = struct.unpack(">IQ" if version == 1 else ">II", file.read(12 if version == 1 else 8))
    if not timescale or not duration:
        return None
    width = height = None
    for kind, content, stop in _boxes(file, *movie):
        media = _box(file, content, stop, b"mdia") if kind == b"trak" else None
        handler = media and _box(file, *media, b"hdlr")
        if handler:
            file.seek(handler[0] + 8)
            if file.read(4) == b"vide":
                track = _box(file, content, stop, b"tkhd")
                file.seek(track[1] - 8)  # the last two fields: width and height, 16.16 fixed point
                width, height = (value >> 16 for value in struct.unpack(">II", file.read(8)))
                break
    return MediaInfo(seconds=round(duration / timescale, 3), width=width, height=height)


def video_check(upload: UploadedFile) -> MediaInfo:
    """An MP4 film with a picture: its length and size, for the player and the manifest."""
    _too_large(upload, VIDEO_MAX_BYTES)
    info = mp4_info(upload, upload.size)
    if info is None or not info.width or not info.height:
        raise ArchiveFileError(
            _("%(name)s is not an MP4 film; give the archive an MP4 (H.264) copy.") % {"name": upload.name}
        )
    return info


def recording_check(upload: UploadedFile) -> MediaInfo:
    """A WAV or M4A recording: its length, for the player and the manifest."""
    _too_large(upload, RECORDING_MAX_BYTES)
    info = mp4_info(upload, upload.size)
    if info is not None:
        return MediaInfo(seconds=info.seconds)
    upload.seek(0)
    try:
        with wave.open(upload) as recording:
            return MediaInfo(seconds=round(recording.getnframes() / recording.getframerate(), 3))
    except (wave.Error, EOFError, ZeroDivisionError, struct.error, ValueError, RuntimeError):
        raise ArchiveFileError(_("%(name)s is not a WAV or M4A recording.") % {"name": upload.name}) from None
