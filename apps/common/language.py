"""Which of a record's languages to show the reader."""

from django.utils import translation


def pick_language(korean: str, english: str, *, ja: str = "", zh_hans: str = "") -> str:
    """Korean for Korean readers; Japanese or Simplified Chinese for those readers where the record
    has it (walker-facing text); English for everybody else, and Korean when English is missing."""
    language = translation.get_language()
    if language in (None, "ko"):
        return korean
    tourist = {"ja": ja, "zh-hans": zh_hans}.get(language, "")
    return tourist or english or korean
