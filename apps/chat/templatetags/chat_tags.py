from django import template
from django.conf import settings
from django.utils import translation

from apps.chat.protocol import MAX_TEXT_LENGTH
from apps.complaints.photos import MAX_PHOTOS

register = template.Library()


@register.inclusion_tag("chat/_widget.html")
def chat_widget() -> dict:
    """The chat assistant on every page: a link to the report form until its script takes over."""
    return {
        # The bot speaks Korean and English; visitors reading a tourist language get English.
        "chat_language": "ko" if translation.get_language() == "ko" else "en",
        "retention_days": settings.CHAT_RETENTION_DAYS,
        "max_photos": MAX_PHOTOS,
        "max_text_length": MAX_TEXT_LENGTH,
    }
