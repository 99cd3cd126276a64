"""The files a guide offers walkers, chosen by an editor from the documents: the audio commentary
of a trail marker or a river guide point (MP3 or M4A) and a point's 3D model (GLB, and USDZ for
iPhones). Each is checked by its name, its first bytes and its size before the page can be saved
with it.

Walkers fetch them over a phone connection on the spot, so each must be a format every phone plays
and not so large that it cannot be fetched there."""

import struct
import zipfile

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

AUDIO_MAX_BYTES = 20 * 1024 * 1024  # about 20 minutes of speech at 128 kbit/s
AUDIO_EXTENSIONS = {"mp3": "audio/mpeg", "m4a": "audio/mp4"}
# ISO media brands a phone's audio player opens in an .m4a file.
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2"}


class GuideFileError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AudioError(GuideFileError):
    pass


class ModelError(GuideFileError):
    pass


def _looks_like_mp3(head: bytes) -> bool:
    # An ID3 tag, or straight away an MPEG audio frame: 11 sync bits, then layer III.
    return head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2)


def _looks_like_m4a(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS


def audio_check(name: str, size: int, head: bytes) -> str:
    """The file's audio type (for the player's <source type>), or AudioError saying what is wrong,
    in the editor's language. `head`: the file's first 12 bytes at least."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in AUDIO_EXTENSIONS:
        raise AudioError(_("The audio guide must be an MP3 or M4A file (%(name)s is not).") % {"name": name})
    if size > AUDIO_MAX_BYTES:
        raise AudioError(
            _("%(name)s is %(size)s; an audio guide may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(AUDIO_MAX_BYTES)}
        )
    matches = _looks_like_mp3(head) if extension == "mp3" else _looks_like_m4a(head)
    if not matches:
        raise AudioError(
            _("%(name)s is not a playable %(format)s file: its content does not match its name.")
            % {"name": name, "format": extension.upper()}
        )
    return AUDIO_EXTENSIONS[extension]


def document_audio_check(document) -> str:
    """audio_check on a Wagtail document's stored file."""
    try:
        with document.open_file() as file:
            head = file.read(12)
            size = file.size
    except OSError:
        raise AudioError(_("The audio file %(name)s cannot be read.") % {"name": document.filename}) from None
    return audio_check(document.filename, size, head)


def audio_type(document) -> str:
    """A checked audio document's MIME type, for the player's <source type>."""
    return AUDIO_EXTENSIONS.get(document.file_extension.lower(), "audio/mpeg")


MODEL_MAX_BYTES = 10 * 1024 * 1024  # a phone on the riverside fetches it in seconds
USD_LAYERS = (".usdc", ".usda", ".usd")


def _model_extension_check(name: str, extension: str) -> None:
    if not name.lower().endswith("." + extension):
        raise ModelError(
            _("The 3D model must be a %(format)s file (%(name)s is not).")
            % {
                "format": extension.upper(),
                "name": name,
            }
        )


def _model_size_check(name: str, size: int) -> None:
    if size > MODEL_MAX_BYTES:
        raise ModelError(
            _("%(name)s is %(size)s; a 3D model may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(MODEL_MAX_BYTES)}
        )


def glb_check(name: str, file) -> None:
    """A glTF 2.0 binary whose header gives the file's own length (a cut-off upload fails here)."""
    _model_extension_check(name, "glb")
    size = file.size
    _model_size_check(name, size)
    file.seek(0)
    head = file.read(12)
    if len(head) < 12 or struct.unpack("<4sII", head)[:2] != (b"glTF", 2) or struct.unpack("<I", head[8:])[0] != size:
        raise ModelError(_("%(name)s is not a complete glTF 2.0 binary (GLB) file.") % {"name": name})


def usdz_check(name: str, file) -> None:
    """A USDZ package as Quick Look opens it: a zip whose first file is a USD layer and whose files
    are all stored uncompressed (the USDZ specification; iPhones refuse compressed ones)."""
    _model_extension_check(name, "usdz")
    _model_size_check(name, file.size)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        entries = []
    if not entries or not entries[0].filename.lower().endswith(USD_LAYERS):
        raise ModelError(_("%(name)s is not a USDZ package: its first file must be a USD layer.") % {"name": name})
    if any(entry.compress_type != zipfile.ZIP_STORED for entry in entries):
        raise ModelError(
            _("%(name)s has compressed files; a USDZ package stores its files uncompressed.") % {"name": name}
        )


def document_model_check(document, extension: str) -> None:
    """glb_check or usdz_check on a Wagtail document's stored file."""
    check = glb_check if extension == "glb" else usdz_check
    try:
        with document.open_file() as file:
            check(document.filename, file)
    except OSError:
        raise ModelError(_("The 3D model %(name)s cannot be read.") % {"name": document.filename}) from None
