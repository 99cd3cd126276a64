"""Photos sent from the chat widget. Thin: the photo is checked and stored by the complaints
service, owned by the chatbot's API client so the bot can attach it when it files the case."""

import math

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.chat import selectors
from apps.chat.protocol import LANGUAGES
from apps.common.ratelimit import Limit, rate_limit_forget, rate_limit_hit
from apps.complaints import services as complaint_services

PHOTO_RATE_SCOPE = "chat-photo"
# Five photos a case; a few cases' worth, since residents behind one address share the limit.
PHOTO_LIMITS = (Limit(count=20, seconds=10 * 60), Limit(count=100, seconds=24 * 60 * 60))


def _refuse(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})


# No cookie or session gives this request any right: only the signed conversation id, which
# another site cannot read from the resident's browser, so there is nothing to forge (no CSRF).
@csrf_exempt
@require_POST
def photo_upload(request: HttpRequest) -> JsonResponse:
    """POST multipart `file`, `conversation` (the signed id) and `language`: 201 {"id": "<uuid>"}."""
    conversation = selectors.conversation_for_signed_id(request.POST.get("conversation"))
    language = request.POST.get("language")
    if language not in LANGUAGES:
        language = conversation.language if conversation else settings.LANGUAGE_CODE
    with translation.override(language):
        if conversation is None:
            return _refuse("bad_request", _("This chat has expired. Please reload the page and try again."), 400)
        client = selectors.chatbot_api_client(municipality=conversation.municipality)
        if client is None:
            message = _("Photos cannot be received in the chat right now. Please use the report form.")
            return _refuse("bot_down", message, 503)
        upload = request.FILES.get("file")
        if upload is None:
            return _refuse("bad_request", _("Choose a photo to send."), 400)
        # Checked and counted in one step, so photos sent at the same moment cannot all pass; a
        # photo refused for what it is does not count.
        if wait := rate_limit_hit(request, scope=PHOTO_RATE_SCOPE, limits=PHOTO_LIMITS):
            minutes = math.ceil(wait / 60)
            message = ngettext(
                "Too many photos were sent. Please wait %(minutes)s minute and try again.",
                "Too many photos were sent. Please wait %(minutes)s minutes and try again.",
                minutes,
            ) % {"minutes": minutes}
            response = _refuse("rate_limited", message, 429)
            response["Retry-After"] = str(wait)
            return response
        try:
            photo = complaint_services.photo_upload(client=client, upload=upload)
        except complaint_services.ComplaintError as error:
            rate_limit_forget(request, scope=PHOTO_RATE_SCOPE, limits=PHOTO_LIMITS)
            return _refuse(error.code, error.messages[0], 400)
    return JsonResponse({"id": str(photo.uuid)}, status=201)
