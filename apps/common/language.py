"""Which of a record's two languages to show the reader."""

from django.utils import translation


def pick_language(korean: str, english: str) -> str:
    """Korean for Korean readers, English for everybody else (tourist languages included)."""
    return korean if translation.get_language() in (None, "ko") else (english or korean)
