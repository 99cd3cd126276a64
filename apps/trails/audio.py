"""The audio commentary of a marker: an MP3 or M4A file the editor chose from the documents,
checked by its name, its first bytes and its size before the marker can be saved with it.

Walkers play it over a phone connection on the trail, so it must be a format every phone plays
(MP3, AAC in M4A) and not so long that it cannot be fetched on the spot."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

AUDIO_MAX_BYTES = 20 * 1024 * 1024  # about 20 minutes of speech at 128 kbit/s
AUDIO_EXTENSIONS = {"mp3": "audio/mpeg", "m4a": "audio/mp4"}
# ISO media brands a phone's audio player opens in an .m4a file.
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2"}


class AudioError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
