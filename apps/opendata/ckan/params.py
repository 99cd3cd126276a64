"""An action's arguments, read the way CKAN reads them: a POST JSON body, a POST form, or a GET
query string (a repeated key is a list). Keys an action does not know are ignored, as CKAN ignores
them; a value of the wrong kind is a Validation Error naming its key."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.opendata.ckan.errors import ActionError, ValidationFailed
from apps.opendata.selectors import MAX_OFFSET


def request_data(request: HttpRequest) -> dict:
    """The action's arguments, read as CKAN reads them."""
    if request.method == "GET":
        return {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = {key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()}
        # CKAN's old clients post the JSON itself as the only form field's name.
        if len(form) == 1 and next(iter(form.values())) in ("", "1"):
            return _json_object(next(iter(form)))
        return form
    return _json_object(request.body.decode("utf-8", errors="replace")) if request.body.strip() else {}


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ActionError(_("JSON Error: %(error)s") % {"error": error}) from error
    if not isinstance(data, dict):
        raise ActionError(_("JSON Error: the request body must be a JSON object."))
    return data


def integer(data: dict, key: str, default: int, *, maximum: int | None = None) -> int:
    """A whole number 0 or more, read as CKAN's int_validator reads it (2.0 is 2, 2.5 is not).
    Over the maximum is cut to it, as CKAN does; without one, past MAX_OFFSET is refused, as no
    page starts there and the database could not take it."""
    value = data.get(key, default)
    if value in ("", None):
        return default
    if isinstance(value, bool | list | dict) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationFailed(key, _("Invalid integer"))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(key, _("Invalid integer")) from None
    if number < 0:
        raise ValidationFailed(key, _("Must be a positive integer"))
    if maximum is not None:
        return min(number, maximum)
    if number > MAX_OFFSET:
        raise ValidationFailed(key, _("Must be at most %(maximum)s") % {"maximum": MAX_OFFSET})
    return number


def boolean(data: dict, key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def text(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, list | dict):
        raise ValidationFailed(key, _("Must be a string"))
    return str(value)


def string_list(data: dict, key: str) -> list[str]:
    """A list given as a list, a JSON list in a string, or a comma-separated string."""
    value = data.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except ValueError:
                raise ValidationFailed(key, _("Must be a list or a JSON list")) from None
        else:
            value = [item for item in (part.strip() for part in stripped.split(",")) if item]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationFailed(key, _("Must be a list of strings"))
    return value


def json_dict(data: dict, key: str) -> dict:
    value = data.get(key)
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationFailed(key, _("Must be a JSON object")) from None
    if not isinstance(value, dict):
        raise ValidationFailed(key, _("Must be a JSON object"))
    return value
