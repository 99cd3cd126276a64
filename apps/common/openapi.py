"""The error answers every API of the portal documents (portal.api_schema adds them to each
operation; a view with a limit of its own names its 429 with TOO_MANY_REQUESTS)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's error body: {"detail": ...}, and for a 400 also each wrong field's messages under its name."""

    detail = serializers.JSONField(
        required=False, help_text="What went wrong, in the reader's language: a message or a list of them."
    )

    class Meta:
        ref_name = "Error"


TOO_MANY_REQUESTS_TEXT = "Too many requests; the Retry-After header says when to try again."
# For extend_schema(responses=...) of a view whose limit is its own rather than a DRF throttle.
TOO_MANY_REQUESTS = OpenApiResponse(ErrorSerializer, description=TOO_MANY_REQUESTS_TEXT)
