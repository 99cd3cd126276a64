"""`/api/3/action/<name>`: CKAN's envelope, {"help", "success", "result"} or {"help", "success":
false, "error": {"__type", ...}}, with CKAN's status codes."""

from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.municipalities.selectors import municipality_for_request
from apps.opendata.ckan.actions import ACTIONS, Call
from apps.opendata.ckan.errors import ActionError, NotFound
from apps.opendata.ckan.params import request_data


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> JsonResponse:
    help_url = request.build_absolute_uri("/api/3/action/help_show?" + urlencode({"name": name}))
    try:
        handler = ACTIONS.get(name)
        if handler is None:
            raise ActionError(_("Action name not known: %(name)s") % {"name": name})
        municipality = municipality_for_request(request)
        if municipality is None:
            raise NotFound(_("no city is configured"))
        result = handler(Call(request, request_data(request), municipality))
    except ActionError as error:
        body = {"help": help_url, "success": False, "error": error.error()}
        return JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(
        {"help": help_url, "success": True, "result": result}, safe=False, json_dumps_params={"ensure_ascii": False}
    )
