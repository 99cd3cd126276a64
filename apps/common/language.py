"""Which of a record's languages to show the reader."""

from contextlib import AbstractContextManager, nullcontext

from django.utils import translation


def pick_language(korean: str, english: str, *, ja: str = "", zh_hans: str = "") -> str:
    """Korean for Korean readers; Japanese or Simplified Chinese for those readers where the record
    has it (walker-facing text); English for everybody else, and Korean when English is missing."""
    language = translation.get_language()
    if language in (None, "ko"):
        return korean
    tourist = {"ja": ja, "zh-hans": zh_hans}.get(language, "")
    return tourist or english or korean


def user_language(user) -> AbstractContextManager:
    """The language a staff member chose in the admin (their Wagtail profile), for messages written
    on their behalf outside the request (a Celery task's errors); the active language without one."""
    profile = getattr(user, "wagtail_userprofile", None) if user else None
    language = profile.preferred_language if profile else ""
    return translation.override(language) if language else nullcontext()
