"""What every endpoint that devices push to shares (car park sensors, river gauges and gates): a
bearer token hashed like every token here, a burst limit per device, a small JSON object as the
body, the reading time and the message id that makes a push idempotent."""

import json

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from apps.common.ratelimit import Limit, subject_limit_hit
from apps.common.tokens import token_hash

MAX_BODY_BYTES = 2048  # a reading is a few fields: more is a device gone wrong or an attack


class DeviceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`: the token shown once when the device was made. Subclasses
    name their devices (a model with `token_hash` and `is_active`), their realm, and the name and
    description of their security scheme in the OpenAPI schema."""

    realm = "devices"
    scheme_name = "DeviceToken"
    scheme_description = "The token of a device, shown once when staff add the device."

    def devices(self) -> QuerySet:
        raise NotImplementedError

    def authenticate(self, request: Request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2 or len(parts[1]) > 100:
            raise exceptions.AuthenticationFailed(_("The device token is missing or malformed."))
        device = self.devices().filter(token_hash=token_hash(parts[1].decode("latin-1")), is_active=True).first()
        if device is None:
            raise exceptions.AuthenticationFailed(_("Unknown or disabled device token."))
        return None, device

    def authenticate_header(self, request: Request) -> str:
        return f'Bearer realm="{self.realm}"'


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """Documents every DeviceTokenAuthentication in the OpenAPI schema (registered by being defined)."""

    target_class = DeviceTokenAuthentication
    match_subclasses = True

    @property
    def name(self) -> str:
        return self.target.scheme_name

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer", "description": self.target.scheme_description}


def device_burst_limit(*, scope: str, device, per_minute: int) -> None:
    """429 when the device pushed more than per_minute times in the last minute."""
    limits = [Limit(count=per_minute, seconds=60)]
    if wait := subject_limit_hit(scope=scope, subject=device.token_hash[:32], limits=limits):
        raise exceptions.Throttled(wait=wait)


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The body is larger than a reading.")


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def json_object_body(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> dict:
    """The body as a JSON object, read within max_bytes (views using it set `parser_classes = []`):
    415 for another type, 413 when larger, 400 for anything but an object (NaN and Infinity too)."""
    if request.content_type.split(";")[0].strip() != "application/json":
        raise exceptions.UnsupportedMediaType(request.content_type[:50])
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes or len(body := request.body) > max_bytes:
        raise RequestTooLarge()
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except ValueError:  # deeper nesting than portal.middleware.MAX_JSON_DEPTH never gets here
        raise exceptions.ParseError(_("The body is not JSON.")) from None
    if not isinstance(data, dict):
        raise exceptions.ParseError(_("The body must be a JSON object."))
    return data


class ReadingTimeField(serializers.DateTimeField):
    """A time without an offset is Seoul's; one that cannot be placed on Seoul's clock (year 1 at
    midnight) is invalid, not a crash."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("invalid", format="ISO 8601")


def message_id_field() -> serializers.RegexField:
    return serializers.RegexField(
        r"^[A-Za-z0-9._:@-]{1,100}$",
        help_text="Unique per message of the device: a message sent again is stored once.",
    )
