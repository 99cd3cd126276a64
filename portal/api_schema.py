"""What the OpenAPI schema documents: the portal's own API, not Wagtail's internal admin API."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


def only_public_api(endpoints: list[tuple]) -> list[tuple]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.complaints.api.ApiClientAuthentication"
    name = "ApiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, a key made with `manage.py create_api_client`.",
        }
