"""What the areas' read-only APIs share (trails, car parks, stops): a `near=latitude,longitude`
parameter, and answers every cache may keep for a while, with an ETag."""

import math

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response


def near_parameter(value: str) -> tuple[float, float]:
    """ "37.7381,127.0337" as a point; a clear 400 message for anything else (NaN, 200,127, one number)."""
    parts = value.split(",")
    message = _("near must be latitude,longitude in degrees, e.g. 37.7381,127.0337.")
    if len(parts) != 2:
        raise serializers.ValidationError(message)
    try:
        latitude, longitude = (float(part) for part in parts)
    except ValueError:
        raise serializers.ValidationError(message) from None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise serializers.ValidationError(message)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise serializers.ValidationError(
            _("near is not a place on Earth: latitude goes from -90 to 90, longitude from -180 to 180.")
        )
    return latitude, longitude


def kept_for(request: Request, response: Response, max_age: int) -> Response:
    """A 200 answer to a GET made public for `max_age` seconds with an ETag (304 to If-None-Match)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.render()
    set_response_etag(response)
    patch_cache_control(response, public=True, max_age=max_age)
    return get_conditional_response(request, etag=response["ETag"], response=response)


class CachedReadMixin:
    """An anonymous, unpaginated read-only view whose answers are kept `max_age` seconds."""

    authentication_classes: list = []
    pagination_class = None
    max_age = 30

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return kept_for(request, response, self.max_age)
