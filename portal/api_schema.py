"""What the OpenAPI schema documents: the portal's own API, not Wagtail's internal admin API, with
the error answers each operation can really give."""

import uritemplate
from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from apps.common.openapi import TOO_MANY_REQUESTS_TEXT, ErrorSerializer

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")


def only_public_api(endpoints: list[tuple]) -> list[tuple]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class PortalAutoSchema(AutoSchema):
    """Adds the error statuses an operation can answer, read from the view itself (its path, its
    authentication, permissions and throttles, whether it takes a body), so clients and schemathesis
    know them. A view with a limit of its own lists its 429 in extend_schema(responses=...)."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for status, description in self._error_statuses().items():
            if str(status) not in bodies:
                bodies[str(status)] = {
                    **self._get_response_for_code(ErrorSerializer, str(status), direction=direction),
                    "description": description,
                }
        return bodies

    def _error_statuses(self) -> dict[int, str]:
        view, request = self.view, self.view.request
        parameters = {parameter["name"] for parameter in self._get_parameters()}
        statuses = {400: "A parameter or the body is not valid (a NUL byte, a wrong type or value)."}
        if uritemplate.variables(self.path) or "municipality" in parameters:
            statuses[404] = "Nothing of that name or number (or an unknown municipality)."
        authenticators = view.get_authenticators()
        if any(authenticator.authenticate_header(request) for authenticator in authenticators):
            statuses[401] = "The credentials given are wrong or missing."
        session = any(isinstance(authenticator, SessionAuthentication) for authenticator in authenticators)
        if (
            any(not isinstance(permission, AllowAny) for permission in view.get_permissions())
            or (session and self.method in UNSAFE_METHODS)  # a signed-in browser without the CSRF token
        ):
            statuses[403] = "Not allowed for these credentials."
        if self.method in BODY_METHODS:
            statuses[413] = "The request body is larger than the server takes."
            statuses[415] = "The body's content type is not one the operation reads."
        if view.get_throttles():
            statuses[429] = TOO_MANY_REQUESTS_TEXT
        return statuses
